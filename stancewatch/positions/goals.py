"""Goals stated as an end point: "the war will go on until Hamas is destroyed"."""

from __future__ import annotations

import re

from stancewatch.positions import cues, stance
from stancewatch.positions.holders import find_holders
from stancewatch.positions.issues import IssueMention
from stancewatch.positions.units import CLAUSE_BREAK, Found, Unit, polarised

# "until X is destroyed", "until the hostages were returned and X was defeated".
_UNTIL = re.compile(
    r"\buntil\s+(?:[\w'’-]+\s+){0,5}?(?:(?:is|are|was|were|has been|have been|had been)\s+"
    r"(?:\w+\s+){0,2}(?:,\s*)?and\s+)?$",
    re.IGNORECASE,
)
# What the end point is: the issue reached, agreed, done ("until an agreement is reached"),
# unless the issue's own wording holds the participle ("Hamas is destroyed").
_ACHIEVED = re.compile(
    r"^\s+(?:is|are|was|were|has been|have been|had been|gets?|got)\s+(?:\w+ly\s+)?"
    r"(?:(?P<agreed>reached|agreed|signed|secured|achieved|done|concluded|finali[sz]ed|sealed|"
    r"clinched|struck)|implemented|completed|destroyed|defeated|eliminated|dismantled|"
    r"eradicated|finished|crushed|returned|freed|released|over)\b",
    re.IGNORECASE,
)
# A coercive course ("military pressure would continue until a deal was done") kept until an
# agreement is a means of getting terms, not a demand for the agreement itself.
_COERCION = re.compile(
    r"\b(?:pressure|fight\w*|war|strikes|attacks|offensive|operations?|bombing|bombardment|"
    r"assault|siege|blockade|sanctions|tariffs|duties|military)\b",
    re.IGNORECASE,
)
_PARTICIPLE_IN_TERM = re.compile(
    r"\b(?:is|are|was|were|be|been)\s+(?:\w+\s+)?\w+ed\b|\b(?:freed|released|returned)$",
    re.IGNORECASE,
)
# The clause before "until" must state a course kept on purpose: a modal, a vow or an effort.
_COURSE = re.compile(
    r"\b(?:will|would|shall|must|['’]ll|vow\w*|pledg\w*|promis\w*|keep\w*|kept|continu\w*|"
    r"go(?:es)? on|went on|fight\w*|press\w*|work\w*|persist\w*|not stop|never stop)\b",
    re.IGNORECASE,
)
# "the ceasefire held until the army resumed strikes": narration of the past has no course.
_NARRATED = re.compile(r"\b(?:had|was|were)\s+\w+ed\s+(?:\w+\s+){0,3}$", re.IGNORECASE)


def until_goal(text: str, obj: IssueMention) -> bool:
    """Whether an issue is the end point of a course its holder keeps: "will keep up the
    pressure until Hamas is defeated", "would keep working until an agreement was reached"."""
    head = text[max(0, obj.start - 120) : obj.start]
    if "until" not in head.lower():
        return False
    until = _UNTIL.search(head)
    if until is None:
        return False
    achieved = _ACHIEVED.match(text[obj.end :])
    if not (_PARTICIPLE_IN_TERM.search(obj.text) or achieved):
        return False
    clause_start = 0
    before = head[: until.start()]
    for b in CLAUSE_BREAK.finditer(before):
        clause_start = b.end()
    course = before[clause_start:]
    if achieved and achieved.group("agreed") and _COERCION.search(course):
        return False
    return _COURSE.search(course) is not None and _NARRATED.search(course) is None


# "would resume fighting to complete the destruction of Hamas": the purpose of a course.
_PURPOSE = re.compile(
    r"\bto\s+(?:complete|achieve|ensure|accomplish|finish|bring about|pursue)\s+"
    r"(?:the|its|their|a|an)?\s*$",
    re.IGNORECASE,
)


def purpose_goal(text: str, obj: IssueMention) -> int | None:
    """Where a purpose infinitive whose object is the issue starts, if its clause keeps a
    course ("would resume fighting afterwards to complete the destruction of Hamas")."""
    head = text[max(0, obj.start - 120) : obj.start]
    if " to " not in head:
        return None
    purpose = _PURPOSE.search(head)
    if purpose is None:
        return None
    before = head[: purpose.start()]
    clause_start = 0
    for b in CLAUSE_BREAK.finditer(before):
        clause_start = b.end()
    if _COURSE.search(before[clause_start:]) is None:
        return None
    return obj.start - len(head) + purpose.start()


def goal_stances(text: str, obj: IssueMention, unit: Unit) -> list[Found]:
    """The holder's demand for the end point or the purpose of the course it keeps."""
    if until_goal(text, obj):
        where = text.rfind("until", 0, obj.start)
    else:
        found = purpose_goal(text, obj)
        if found is None:
            return []
        where = found
    holders = [h for h in find_holders(text, where, where + 2, None, unit) if h.actor]
    if not holders:
        return []
    label, score = stance.resolve(cues.DEMAND, None, False, None)
    label, score = polarised(label, score, obj.polarity)
    return [
        Found(h, obj, label, score, obj.start, None, False, None, h.resolved, "", "goal")
        for h in holders
    ]
