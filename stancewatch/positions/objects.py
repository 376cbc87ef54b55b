"""What a stance cue governs in its sentence: its objects and whether it asks for their removal."""

from __future__ import annotations

import re

from stancewatch.positions.issues import IssueMention, content_of
from stancewatch.positions.units import CLAUSE_BREAK

_OBJECT_WINDOW = 110  # characters after a cue in which its object must start
_STOP_REACH = 40  # longer than any stop phrase, so one starting inside the window is whole

_OBJECT_STOP = re.compile(
    r"(?:^|\s)(?:comment|elaborate|specify|speculate|disclose|give details)\b|"
    r"\b(?:dispute|row|spat|disagreements?|differences|gaps?|standoff|quarrel|tensions?|"
    r"talk|question|issue|matter|debate)\s+(?:over|about|on|between|regarding)\b|"
    # "urges more pressure on Hamas over the truce deal": the pressure is the demand
    r"\bpressure\s+(?:on|against)\b|"
    r"[;:]|\s[—–]\s|,\s+(?:but|while|which|who|after|because|although|saying|adding|as|"
    r"amid|according)\b|\s(?:but|while|whereas|although|because|though|unless|until|after|"
    r"when|since|amid|before|if|once|provided|subject to|as long as|so long as|as|against|"
    r"despite|during|"
    r"claims?|reports?|accusations?|allegations?|suggestions?|"
    # "rejected comparisons to the 2015 deal": the object is the comparison, not the deal
    r"comparisons?|likening|parallels?)\s",
    re.IGNORECASE,
)

# Between two objects of one cue: "release of hostages, withdrawal of troops from Gaza, and
# negotiations for a permanent end": a short tail, a separator, a few modifiers.
_COORDINATION = re.compile(
    r"^(?:\s+(?:from|in|of|to|on|with|at|by)\s+(?:the\s+)?[\w'’-]+)?"
    r"(?:\s*,\s*|\s+)(?:and|or|nor|as well as|,)?\s*"
    r"(?:(?!that\b|which\b|who\b|\w+ing\b)[\w'’-]+\s+){0,3}$"
    r"|^\s+(?:for|on|over|about|of)\s+(?:a|an|the)?\s*(?:[\w'’-]+\s+){0,1}$",
    re.IGNORECASE,
)

# "voted to reject the offer and strike": after an infinitive's determined object, a bare word
# after "and" that ends the clause is the infinitive's second verb, not a second object.
_BARE_CONJUNCT = re.compile(r"^\s+(?:and|or)\s+$", re.IGNORECASE)
_CLAUSE_ENDS = re.compile(
    r"^(?:\s*(?:[.,;:!?\"”)]|$)|\s+(?:on|over|until|unless|if|at|by|in|from|again|instead|"
    r"now|today|tomorrow|immediately|indefinitely)\b)",
    re.IGNORECASE,
)
_INFINITIVE_CUE = re.compile(r"\bto\s+(?:\w+ly\s+)?[\w-]+\s*$", re.IGNORECASE)
_DETERMINED = re.compile(r"\b(?:the|a|an|its|their|his|her|our|this|that)\b|['’]s?\s", re.I)


def _coordinated_verb(text: str, cue_end: int, first: IssueMention, nxt: IssueMention) -> bool:
    return bool(
        _BARE_CONJUNCT.match(text[first.end : nxt.start])
        and " " not in nxt.text.strip()
        and nxt.text.islower()
        and _CLAUSE_ENDS.match(text[nxt.end :])
        and _INFINITIVE_CUE.search(text[:cue_end])
        and _DETERMINED.search(text[cue_end : first.start])
    )


# "troops must stay on the border under any deal": a condition phrase, not a second object.
_CONDITION_GAP = re.compile(
    r"^\s*,?\s*(?:under|during|after|before|until|unless|if|once|when|without|despite|"
    r"as part of|in exchange for|in return for)\b",
    re.IGNORECASE,
)

# "insists that Israel commit to", "demanded Washington lift": the subject of a demand's
# content clause; the cue there states the demander's wish about that subject.
CONTENT_SUBJECT = re.compile(
    r"^\s+(?:that\s+)?(?!(?:it|he|she|they|we|I)\s)"
    r"(?!.*\b(?:will|would|had|has|have|was|is|were|did|not|never|and|or|to)\s)"
    r"(?:[\w'’.-]+\s+){1,4}$",
)

ANAPHORIC_OBJECT = re.compile(
    r"^\s+(?:it|this|that|them|these|those|the (?:idea|move|request|call|demand|plan|"
    r"document|response|text|initiative|terms))(?![\w])"
    # "insisted it will not open talks": "it" subject of a clause, not the cue's object
    r"(?!\s+(?:will|would|can|could|must|should|shall|has|had|have|is|was|were|are|does|did|"
    r"won['’]t|wouldn['’]t|can['’]t|cannot)\b)",
    re.IGNORECASE,
)

# Anaphors that name a package of terms themselves: when the watchlist lists them as an issue
# term, they stand for that issue rather than for whatever was named before.
_PACKAGE_ANAPHORS = frozenset({"terms", "plan", "text", "document", "initiative"})

_CONTENT = re.compile(
    r"^[^;.]{0,60}?(?:\b(?:which|that)\s+(?:would\s+)?(?:include[sd]?|call(?:s|ed)? for|"
    r"see|saw|provide[sd]? for|envisage[sd]?|stipulate[sd]?|involve[sd]?)|\bincluding|"
    r"\bcalling for|\bwith)\s+(?:[\w'’-]+\s+){0,2}$",
    re.IGNORECASE,
)

INNER_NEGATION = re.compile(
    r"\b(?:that|which)\s+(?:\w+\s+)?(?:not|never|fails?|failed)\b|\bdid\s+not\b|"
    r"\bdoes\s+not\b|n['’]t\b|\bwithout\b"
    # "insisted it will not open discussions": the demanded content is a refusal
    r"|\b(?:will|would|could|can|must|should|shall)\s+(?:not|never)\b",
    re.IGNORECASE,
)

_SAID_THAT = re.compile(r"\b(?:said|says|told \w+|stated|added|insisted)(?:\s+that)?\s", re.I)

_NEGATED_RELATIVE = re.compile(
    r"^\s+(?:that|which)\s+(?:\w+\s+)?(?:does|do|did|would|will|could)\s*(?:not|n['’]t)\s+"
    r"(?:[\w'’-]+\s+){0,5}$|^\s+without\s+(?:[\w'’-]+\s+){0,2}$",
    re.IGNORECASE,
)

_REMOVAL_VERBS = (
    r"withdraw|withdrawn|drop|dropped|lift|lifted|scrap|scrapped|remove|removed|abandon|"
    r"abandoned|cancel|cancelled|canceled|suspend|suspended|repeal|repealed|roll back|"
    r"rolled back|reverse|reversed|revoke|revoked|rescind|rescinded|waive|waived|shelve|shelved|"
    r"lower|lowered|lowering|cut|cutting|reduce|reduced|reducing|slash|slashed|ease|eased|"
    r"halve|halved|phase out|phased out|end"
)

_REMOVAL_BEFORE = re.compile(
    rf"\b(?:{_REMOVAL_VERBS})\s+(?:the|its|their|these|those|all)?\s*(?:[\w'’%$.,-]+\s+){{0,2}}$"
    r"|\b(?:closure|lifting|removal|scrapping|repeal|cancell?ation|suspension|abolition|"
    r"rollback|end|ending)\s+of\s+(?:the|its|their|these|those|all)?\s*(?:[\w'’-]+\s+){0,2}$",
    re.IGNORECASE,
)

_REMOVAL_AFTER = re.compile(
    rf"^\s+(?:to be|be|are|were|is|being|should be|must be)\s+(?:\w+ly\s+)?(?:{_REMOVAL_VERBS})\b",
    re.IGNORECASE,
)

PASSIVE_BY = re.compile(r"^\s+by\s+")
_PASSIVE_GAP = re.compile(
    r"\s*(?:(?:was|were|is|are|been|being|be|has been|have been|had been)\s+)?(?:\w+ly\s+)?"
    r"\w+(?:\s+(?:forward|up|out))?\s*"
)

_ANAPHOR_REMOVAL = re.compile(
    r"^\s+(?:that\s+)?(?:it|they|them|these|those|this)\s+(?:to\s+)?(?:be|should be|must be|"
    rf"would be|are|is|were|was|being)\s+(?:\w+ly\s+)?(?:{_REMOVAL_VERBS})\b",
    re.IGNORECASE,
)

# "regarded those investigations as unfounded": a judgment of something named before.
_ANAPHORIC_SUBJECT = re.compile(
    r"\b(?:this|these|those|such|the (?:idea|move|decision|measures?|step|plan|offer|"
    r"investigations?|probes?|cases?))\s+(?:[\w'’-]+\s+){0,2}$",
    re.IGNORECASE,
)


def anaphor_removed(text: str, cue_end: int) -> bool:
    """Whether a cue asks for the removal of what a pronoun stands for ("demanding that they
    be scrapped", "called for them to be lifted")."""
    return _ANAPHOR_REMOVAL.match(text[cue_end:]) is not None


def anaphoric_subject(text: str, cue_start: int) -> bool:
    """Whether a post-nominal judgment's subject refers back ("those investigations as")."""
    return _ANAPHORIC_SUBJECT.search(text[max(0, cue_start - 60) : cue_start]) is not None


def find_objects(
    text: str,
    start: int,
    next_cue: int,
    issues: list[IssueMention],
    last_issues: list[IssueMention],
    content: bool,
) -> tuple[list[IssueMention], bool]:
    """The issues a cue governs: its first object and those coordinated with it.

    With content=True (proposing, demanding) the contents of the object count too.
    """
    anaphor = ANAPHORIC_OBJECT.match(text[start:])
    if anaphor:
        earlier = [i for i in issues if i.end <= start and not i.laden]
        if earlier:
            return [earlier[-1]], True
        own = [i for i in issues if start <= i.start < start + anaphor.end() <= i.end]
        if own and anaphor.group(0).split()[-1].lower() in _PACKAGE_ANAPHORS:
            return own[:1], False  # "stick to the terms", when the watchlist names them
        if last_issues:
            return [last_issues[0]], True
    if PASSIVE_BY.match(text[start:]):
        # "a proposal presented by X": the participle's object is the noun before it.
        just_before = [i for i in issues if 0 <= start - i.end <= 30 and i.end <= start]
        # "a proposal presented by X", "the resolution was put forward by X".
        if just_before and _PASSIVE_GAP.fullmatch(text, just_before[-1].end, start):
            return [just_before[-1]], False
    # A stop past the window changes nothing, so the search need not run to the text's end.
    stop = _OBJECT_STOP.search(text, start, start + _OBJECT_WINDOW + _STOP_REACH)
    limit = min(start + _OBJECT_WINDOW, stop.start() if stop else len(text), next_cue)
    candidates = [k for k, i in enumerate(issues) if start <= i.start < limit]
    if not candidates:
        return [], False
    first = candidates[0]
    if _bargains_over(text, issues[first], issues):
        return [], False
    flipped = negated_content(text, issues, first)
    if flipped is not None:
        return [flipped], False
    objects = [content_of(text, issues, first)]
    position = objects[0].end
    connector = False
    for k in range(first + 1, len(issues)):
        nxt = issues[k]
        if nxt.start < position:
            continue
        between = text[position : nxt.start]
        if _CONDITION_GAP.match(between) or _coordinated_verb(text, start, objects[-1], nxt):
            break
        if not connector and content and _CONTENT.match(between):
            # "a proposal ..., which included the release of all hostages, ...": the
            # proposer's stance covers what the proposal contains.
            connector = True
        elif (nxt.start >= limit and not connector) or not _COORDINATION.match(between):
            break
        if nxt.issue not in {o.issue for o in objects}:
            objects.append(nxt)
        position = nxt.end
    return objects, False


# "refused to negotiate the rejected demands": "negotiate" with an object of its own bargains
# over that object; refusing it keeps those terms, it does not refuse talks.
_TO_VERB = re.compile(r"\bto\s+$", re.IGNORECASE)
_OWN_OBJECT = re.compile(
    r"^\s+(?:the|its|their|these|those|any|his|her)\s+(?:[\w'’-]+\s+){0,2}?"
    r"(?:demands?|terms|conditions|points?|details|clauses?|issues?|items?|price|amounts?)\b",
    re.IGNORECASE,
)


def _bargains_over(text: str, obj: IssueMention, issues: list[IssueMention]) -> bool:
    if not obj.text.lower().startswith("negotiat") or not _TO_VERB.search(text[: obj.start]):
        return False
    follows = _OWN_OBJECT.match(text[obj.end :])
    return follows is not None and not any(
        obj.end < i.start < obj.end + follows.end() for i in issues
    )


def removal(text: str, cue_end: int, obj: IssueMention) -> bool:
    """Whether the cue asks for the issue's removal ("demanded that Brussels withdraw the
    duties", "called for the duties to be dropped") rather than for the issue itself."""
    return bool(
        _REMOVAL_BEFORE.search(text[cue_end : obj.start]) or _REMOVAL_AFTER.match(text[obj.end :])
    )


def subject_issue(text: str, cue_start: int, issues: list[IssueMention]) -> list[IssueMention]:
    """The issue a post-nominal cue judges: the nearest one before it in its clause."""
    clause_start = 0
    for b in CLAUSE_BREAK.finditer(text, 0, cue_start):
        clause_start = b.end()
    said = list(_SAID_THAT.finditer(text, clause_start, cue_start))
    if said:
        clause_start = said[-1].end()
    before = [i for i in issues if clause_start <= i.start and i.end <= cue_start]
    return before[:1]  # the subject's head comes first: "a price deal that diluted the duties"


def negated_content(text: str, issues: list[IssueMention], first: int) -> IssueMention | None:
    """ "any agreement that does not end the war": the stance is about ending the war, flipped."""
    mention = issues[first]
    if not mention.carrier or first + 1 >= len(issues):
        return None
    following = issues[first + 1]
    if following.issue == mention.issue:
        return None  # "rejected the offer without a ratification vote": no other content
    if not _NEGATED_RELATIVE.match(text[mention.end : following.start]):
        return None
    return following._replace(polarity=-following.polarity)


# "bow to Hamas's demands", "cave in to their conditions": the other side's asks, as a package.
_ASKS = frozenset({"demands", "conditions", "terms"})
_GIVE_IN = re.compile(r"^(?:bow|cav|giv\w* in|gave in|yield|capitulat|succumb)[\w ]* to$", re.I)
#: A cheap pre-check for sentences that may give in to someone's demands.
GIVE_IN_LITERAL = re.compile(r"\b(?:bow|cav|giv|gave|yield|capitulat|succumb)\w* (?:in )?to ")


def asks_as_package(governor: str, cue: str, end: int, package: str | None) -> list[IssueMention]:
    """The package under negotiation, when giving in to someone's demands is at stake."""
    if package is None or cue.lower() not in _ASKS or not _GIVE_IN.match(governor):
        return []
    return [IssueMention(end - len(cue), end, package, 1, False, True, cue)]


# "wanted the dispute settled through a price agreement": the means wanted is the object.
_SETTLED_THROUGH = re.compile(
    r"\b(?:settled|resolved|solved|ended)\s+(?:only\s+)?(?:through|by|via|with)\s+", re.I
)


def means_object(text: str, start: int, issues: list[IssueMention]) -> list[IssueMention]:
    """The issue named as the means of a settlement the cue asks for ("wants the dispute
    resolved through talks"), when the cue found no object of its own."""
    if "ed " not in text:
        return []
    stop = re.compile(r"[;:.]|,\s").search(text, start)
    m = _SETTLED_THROUGH.search(text, start, stop.start() if stop else len(text))
    if m is None:
        return []
    return [i for i in issues if 0 <= i.start - m.end() <= 20][:1]
