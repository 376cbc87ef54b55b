"""Whose stance a cue states: subjects, passive agents, owners, speakers and coordination."""

from __future__ import annotations

import re
from collections.abc import Sequence

from stancewatch.positions import cues
from stancewatch.positions.attribution import LIST_JOINER, REPORTING_VERBS, frame_at
from stancewatch.positions.issues import IssueMention
from stancewatch.positions.mentions import AGENT_NOUNS, LIST_ITEM, Mention
from stancewatch.positions.objects import PASSIVE_BY
from stancewatch.positions.units import CLAUSE_BREAK, Unit

_POSITION_NOUN = re.compile(
    r"^['’]s?\s+(?:[\w-]+\s+){0,2}(?:proposal|plan|response|offer|position|stance|statement|"
    r"demands?|counterproposal|terms|draft|document|reply|delegation|leadership)\s+"
    r"(?:[\w'’-]+\s+){0,3}$",
    re.IGNORECASE,
)

_POSITION_NOUN_HEAD = re.compile(
    r"^['’]s?\s+(?:[\w-]+\s+){0,2}(?:proposal|plan|response|offer|position|stance|statement|"
    r"demands?|counterproposal|terms|draft|document|reply|delegation|leadership)\b",
    re.IGNORECASE,
)

# A relative clause whose antecedent is some other noun sits between a mention and the cue.
# "adding that", "insisted that", "said that": a complement clause, not a relative one.
_RELATIVE_BEFORE = re.compile(
    r"[a-z](?<!ing)(?<!ed)(?<!said)(?<!says)(?<!told)(?<!\band)\s+(?:that|who|which|whose)\s+"
    r"(?:[\w'’-]+\s+){0,3}$",
    re.IGNORECASE,
)

# Between the holder and a modal action ("Israel will not withdraw", "Hamas, the official said,
# would release"): an appositive, a reporting verb with a pronoun, then at most three words.
SUBJECT_OF_MODAL = re.compile(
    r"^(?:['’]s\s+\w+)?\s*(?:,[^,]{0,60},\s*)?"
    r"(?:(?:said|says|told \w+|added|insisted)\s+(?:that\s+)?(?:it|he|she|they|we)\s+)?"
    r"(?:[\w'’]+\s+){0,3}$"
)

# The verb of a non-restrictive relative clause: "Berlin, which has long argued for ...".
_NONRESTRICTIVE = re.compile(
    r",\s+(?:which|who)\s+(?:(?:has|have|had|is|was|were|are|also|long|not|never|\w+ly)\s+)"
    r"{0,3}$",
    re.IGNORECASE,
)

# "Hamas said X, and reiterated that ...": a second reporting verb sharing the first subject.
_COORDINATED_REPORT = re.compile(
    rf",?\s+and\s+(?:also\s+|\w+ly\s+)?(?:{REPORTING_VERBS})\s+(?:that\s+)?", re.IGNORECASE
)

# A non-restrictive relative clause closed before the cue: ", which ... ," / ", who ... ,".
_CLOSED_RELATIVE = re.compile(r",\s+(?:which|who)\s[^,;:]{1,200},", re.IGNORECASE)

_VOICE_PASSIVE = re.compile(r"(?:\b(?:was|were|is|are|been|being|be)\s+(?:\w+ly\s+)?)$", re.I)

AGENT_TERM = re.compile(rf"(?:{AGENT_NOUNS})$", re.IGNORECASE)

# "called the proposal unrealistic", "described the offer as a non-starter": a judging verb
# whose object comes between it and the judgment.
_JUDGING_LITERALS = re.compile(r"call|descri|brand|term|deem|label", re.IGNORECASE)
_JUDGING_VERB = re.compile(
    r"\b(call(?:s|ed)|described|describes|branded|brands|termed|terms|deemed|deems|"
    r"labell?ed|labels)\s+(?:[\w'’.-]+\s+){1,5}(?:as\s+)?(?:a\s+)?[\"“]?$",
    re.IGNORECASE,
)

_POSSESSOR_GAP = re.compile(r"^(?:['’]s?)?\s+(?:[\w-]+\s+){0,2}$")

# Small patterns of the functions below, compiled once.
_ADVERB_GAP = re.compile(r"\s*(?:\w+ly\s+)?")
_WITH_BEFORE = re.compile(r"\bwith\s+$")
_BY_BEFORE = re.compile(r"\bby\s+$")
_ADVERB_ONLY = re.compile(r"(?:(?:also|then|instead|\w+ly)\s*)?")
_SOURCE_PREPOSITION = re.compile(r"\s+(?:from|of|for)\s+")


def find_holders(
    text: str, start: int, end: int, cue: cues.Cue | None, unit: Unit
) -> list[Mention]:
    """Whose stance a cue states: passive agent, nearest subject, or fronted-clause subject."""
    mentions = [m for m in unit.mentions if m.actor]
    passive = cue is not None and bool(PASSIVE_BY.match(text[cue.end :]))
    if (
        cue is not None
        and passive
        and (cue.text.lower().endswith("ed") or _VOICE_PASSIVE.search(text[:start]))
    ):
        agents = [m for m in mentions if cue.end < m.start < cue.end + 100]
        if agents:
            return coordinated(text, agents)
    shared = _shared_reporting_subject(text, start, mentions)
    if shared:
        return shared
    clause_start = 0
    for b in CLAUSE_BREAK.finditer(text, 0, start):
        clause_start = b.end()
    before = [m for m in mentions if clause_start <= m.start and m.end <= start]
    closed = [r.span() for r in _CLOSED_RELATIVE.finditer(text, clause_start, start)]
    if closed:
        # "Qatar, which with Egypt has mediated the talks, urged ...": the clause's own
        # subjects do not hold the main verb's stance.
        before = [m for m in before if not any(a <= m.start < b for a, b in closed)]
    if before and cue is not None and cue.text.lower().endswith("ing"):
        # "..., with the European Commission insisting ...": the absolute clause's subject.
        gap = text[before[-1].end : start]
        if _ADVERB_GAP.fullmatch(gap) and _WITH_BEFORE.search(
            text[max(0, before[-1].start - 6) : before[-1].start]
        ):
            return [before[-1]]
    relative = _NONRESTRICTIVE.search(text, clause_start, start)
    if relative is not None:
        # "Berlin, which has lobbied for a price deal": the antecedent holds the stance.
        ante = [m for m in mentions if m.end <= relative.start()]
        if ante and not text[ante[-1].end : relative.start()].strip():
            return [ante[-1]]
        return []
    subjects = [m for m in before if m.subject]
    gerund = cue is not None and cue.text.lower().endswith("ing")
    if subjects and gerund and _BY_BEFORE.search(text[clause_start:start]):
        # "Boeing angered union leaders by presenting an offer": the means clause shares the
        # main verb's subject, not the object just before it.
        return coordinated(text, subjects)
    if before and before[-1].possessive and _POSITION_NOUN.match(text[before[-1].end : start]):
        return [before[-1]]
    if subjects and _RELATIVE_BEFORE.search(text[subjects[-1].end : start]):
        return []  # "pressing Beijing to lift deposits for producers that have not signed"
    if subjects:
        found = with_coordinated_subject(text, subjects)
        found += _joint_signers(text, found[-1].end, start, mentions)
        frame = frame_at(unit.frames, start)
        if (
            len(found) == 1
            and found[0].text.lower() == "they"
            and frame is not None
            and frame.source is not None
            and frame.speaks_for(found[0].actor or "")
        ):
            # "Qatar and Egypt said they would ...": "they" is every speaker.
            speakers = [m for m in mentions if m.subject and m.end <= frame.source.end]
            return with_coordinated_subject(text, speakers)
        return found
    head = text[clause_start:start].strip(" \"“'‘")
    if clause_start > 0 and _ADVERB_ONLY.fullmatch(head):
        # "... does not demand X but stipulates Y": the verb shares the earlier subject.
        earlier = [m for m in mentions if m.end <= clause_start]
        if (
            earlier
            and earlier[-1].possessive
            and _POSITION_NOUN_HEAD.match(text[earlier[-1].end : clause_start])
        ):
            return [earlier[-1]]
        subjects_before = [m for m in earlier if m.subject]
        if subjects_before:
            # The shared subject opens the sentence; later mentions are objects.
            first = subjects_before[0]
            rest = [m for m in subjects_before if m.start <= first.end + 40]
            return with_coordinated_subject(
                text,
                rest[:1]
                + [m for m in rest[1:] if LIST_JOINER.fullmatch(text[rest[0].end : m.start])],
            )
    if not head and cue is not None and cue.text.lower().endswith("ing"):
        comma = text.find(",", end)
        after = [m for m in mentions if comma >= 0 and m.start > comma and m.subject]
        return after[:1]
    frame = frame_at(unit.frames, start)
    if frame is not None and frame.source is not None:
        return [frame.source]
    if unit.speaker is not None and not any(m.subject for m in before):
        return [unit.speaker]  # quoted words with no other subject are the speaker's
    return []


# "issued a joint statement with Ukraine backing ...": who signs with the subject holds it too.
_JOINT_WITH = re.compile(
    r"\bjoint\s+(?:statement|declaration|communiqu[eé]|letter|appeal)\s+with\s+$", re.I
)


def _joint_signers(text: str, after: int, start: int, mentions: Sequence[Mention]) -> list[Mention]:
    """Actors named as co-signers of the subject's joint statement before the cue."""
    return [
        m
        for m in mentions
        if after <= m.start
        and m.end <= start
        and _JOINT_WITH.search(text[max(after, m.start - 40) : m.start])
    ]


def _shared_reporting_subject(text: str, start: int, mentions: Sequence[Mention]) -> list[Mention]:
    """ "Hamas said the demand was new, and reiterated that any deal must include X": the
    content of a coordinated reporting verb with no subject of its own is the first subject's."""
    last = None
    if " and " not in text[:start]:
        return []
    for m in _COORDINATED_REPORT.finditer(text, 0, start):
        last = m
    if last is None or any(last.end() <= m.start < start and m.subject for m in mentions):
        return []
    subjects = [m for m in mentions if m.subject and m.end <= last.start()]
    if not subjects or text[: subjects[0].start].strip(" \"“'‘"):
        return []  # only a subject that opens the sentence is shared
    first = subjects[0]
    return coordinated(text, [first, *[m for m in subjects[1:] if m.start > first.end]])


def attached(text: str, obj: IssueMention, mentions: Sequence[Mention]) -> list[Mention]:
    """The actors an agent noun belongs to: "Qatari mediators", "mediators from Qatar and
    Egypt", "Qatar and Egypt, the key mediators"."""
    named = [m for m in mentions if m.actor and m.pronoun is None]
    before = [m for m in named if m.end <= obj.start]
    if before and re.fullmatch(
        r"(?:\s+and\s+\w+|\s*)\s*|,\s+(?:the|its|their)\s+(?:\w+\s+)?",
        text[before[-1].end : obj.start],
    ):
        return with_coordinated_subject(text, before)
    after = [m for m in named if m.start >= obj.end]
    if after and _SOURCE_PREPOSITION.fullmatch(text[obj.end : after[0].start]):
        return coordinated(text, after)
    return []


def judge(text: str, cue: cues.Cue, unit: Unit) -> list[Mention]:
    """Who passes a post-nominal judgment ("X fell short of Israel's requirements", "the offer
    is unacceptable", the ministry said, "the office called the proposal unrealistic")."""
    after = [m for m in unit.mentions if m.actor and cue.end <= m.start <= cue.end + 20]
    if cue.text.lower().endswith("short of") and after:
        return after[:1]
    head = text[max(0, cue.start - 90) : cue.start]
    verb = _JUDGING_VERB.search(head) if _JUDGING_LITERALS.search(head) else None
    if verb is not None:
        # "called the Hamas proposal unrealistic": the subject of "called" judges.
        at = cue.start - len(head) + verb.start()
        return find_holders(text, at, at + len(verb.group(1)), None, unit)
    frame = frame_at(unit.frames, cue.start)
    if frame is not None and frame.source is not None:
        return [frame.source]
    return [unit.speaker] if unit.speaker is not None else []


def possessor(text: str, start: int, mentions: Sequence[Mention]) -> Mention | None:
    """The owner of a nominal cue: "its demand for", "Netanyahu's refusal to"."""
    for m in reversed(mentions):
        if m.end > start:
            continue
        if m.possessive and m.actor and _POSSESSOR_GAP.match(text[m.end : start]):
            return m
        break
    return None


# Between two members of one list: a comma or "and", names the watchlist does not know ("Egypt,
# Jordan, Turkey and Qatar"), an aside on the member before ("the Troika - France, Germany and
# the UK - and the US"), or a body's people ("Trump and the leaders of Egypt").
# Names the watchlist does not know, standing in a list between watchlisted ones.
_UNLISTED = rf"(?:{LIST_ITEM}\s*(?:,|,?\s+and)\s+){{0,8}}"
LIST_GAP = re.compile(
    r"\s*(?:[-–—]\s+[^-–—]{1,80}?\s+[-–—]\s*|\([^()]{1,80}\)\s*)?(?:,|and|or|,\s*and)\s*"
    + _UNLISTED
    + r"|\s+and\s+the\s+(?:[\w-]+\s+){0,2}(?:leaders|heads|ministers|presidents|governments|"
    r"representatives|delegations)\s+of\s+"
    # into and out of an aside that lists the members: "the Troika - France, ... - and the US"
    r"|\s+[-–—(]\s*" + _UNLISTED + r"|\s*[-–—)]\s*(?:,|and|,\s*and)\s*"
)


def coordinated(text: str, agents: list[Mention]) -> list[Mention]:
    out = [agents[0]]
    for m in agents[1:]:
        if LIST_GAP.fullmatch(text, out[-1].end, m.start):
            out.append(m)
        else:
            break
    return out


def with_coordinated_subject(text: str, subjects: list[Mention]) -> list[Mention]:
    last = subjects[-1]
    out = [last]
    for m in reversed(subjects[:-1]):
        if LIST_GAP.fullmatch(text, m.end, out[0].start):
            out.insert(0, m)
        else:
            break
    return out
