"""When a cue phrase is no stance cue where it stands, and which cues judge what came before."""

from __future__ import annotations

import re

SKIP = "skip"  # not a stance cue here
FAVOURABLE = "favourable"  # an evaluative adverb after a judging verb: a yes
KEEP = ""  # a cue as found

# "the proposed deal", "a halt to the fighting": after a determiner these words are not verbs.
_DETERMINER_BEFORE = re.compile(
    r"(?<![\w])(?:a|an|the|this|that|these|those|any|such|no|complete|full|immediate|"
    r"total|permanent|temporary)\s+$",
    re.IGNORECASE,
)
# "a clear rejection of", "the formal approval": a noun whose holder is not the subject.
_NOMINAL_FORM = re.compile(r"(?:tion|sal|ance|ment|ition|ence)$", re.IGNORECASE)
_DETERMINER_ADJ_BEFORE = re.compile(
    r"(?<![\w])(?:a|an|the|this|that|any|such|no)\s+(?:\w+\s+)?$", re.I
)
_POSSESSIVE_BEFORE = re.compile(
    r"(?:['’]s?|\b(?:its|their|his|her|our|my))\s+(?:[\w-]+\s+)?$", re.I
)
#: Cues that follow what they judge ("the offer was unacceptable", "the proposal remained on
#: the table"): their object is the issue named before them.
POSTNOMINAL = re.compile(
    r"non-?starter|out of the question|off the table|unacceptable|delusional|unrealistic|"
    r"unworkable|not a basis for|"
    r"a dead end|dead on arrival|on the table$|short of$|be \w+$|^positively$|^favou?rably$|"
    r"^constructively$|"
    r"stands$|stood$|indispensable$|essential$|"
    r"(?:is|are|was|were|remains?|remained) [\"“]?(?:\w+ )?[\"“]?(?:needed|necessary)$|"
    r"justified$|acceptable$|step forward$|positive step$|"
    r"unfounded$|groundless$|baseless$|discriminatory$|unwarranted$|illegitimate$|"
    r"continues$|continued$|continue$|continuing$|go on$|goes on$|went on$|stopped$|"
    r"good basis$|right (?:decision|step)$|achievable$|attainable$|doable$|within reach$|"
    r"open mind$|on hold$|(?:n['’]t|not) (?:needed|necessary)$|unnecessary$|on the agenda$|"
    r"non-?negotiable$",
    re.IGNORECASE,
)

# "with U.S. support", "without the approval of": a noun in a prepositional phrase whose
# subject is not the holder.
_PREPOSITIONAL_NOUN = re.compile(
    r"\b(?:with|without|amid|despite|under)\s+(?:[\w.'’-]+\s+){0,2}$", re.IGNORECASE
)
_NOUN_CUES = frozenset({"support", "approval", "backing", "acceptance", "endorsement"})

# "the strongest backers of the duties": an agent noun that keeps its determiner.
_AGENT_NOUN_CUE = re.compile(r"(?:backers?|champions?|proponents?|opponents?) of$", re.I)
# What makes an agent noun its subject's description: "France was among the backers of",
# "France, the main champion of".
_PREDICATE_BEFORE = re.compile(
    r"(?:\b(?:is|are|was|were|been|be|as|among|remains?|remained)|,)\s+"
    r"(?:(?:the|a|an|one of the|its|their|a leading|long)\s+)?$",
    re.IGNORECASE,
)

# "no deal without", "no agreement without": a noun negated by "no" just before "without".
_NO_NOUN_BEFORE = re.compile(r"\b[Nn]o\s+(?:[\w-]+\s+){1,2}$")
_EVALUATIVE = frozenset({"positively", "favourably", "favorably"})
# "viewed the plan positively", "sees the offer favourably": an evaluative verb before.
_VIEWED = re.compile(r"\b(?:view|see|regard|judge|assess)(?:s|ed|ing)?\b|\bsaw\b|\bseen\b", re.I)


# "dropped 30,000-pound bombs", "dropped aid": a physical drop, not a dropped demand.
_PHYSICAL_DROP = re.compile(
    r"^\s+(?:[\w,.'’-]+\s+){0,2}?(?:bombs?|munitions?|ordnance|leaflets?|payloads?|missiles?|"
    r"shells?|explosives?|aid|supplies|food|packages?|parcels?|pallets?|troops|paratroopers|off|"
    r"out)\b",
    re.IGNORECASE,
)


# "I agree with him that a truce is enough", "agreed with her assessment": sharing a person's
# view of something is a judgment of what it does, not a yes to it.
_AGREE_WITH_VIEW = re.compile(
    r"^\s+with\s+(?:him|her|you|(?:his|her|your|their|the)\s+(?:\w+\s+)?"
    r"(?:view|views|assessment|analysis|argument|point|idea|opinion|reading))\b",
    re.IGNORECASE,
)


# "one of the main stumbling blocks in the talks": a noun, not a verb of blocking.
_BLOCK_NOUN = re.compile(r"(?:stumbling|building|road|voting)[- ]?$", re.IGNORECASE)

_KEEP_UP = re.compile(r"(?:remain|stay)\w* (?:on|in)$", re.IGNORECASE)
_RIGHT_BEFORE_OBJECT = re.compile(r"\s+(?:(?:the|a|an|its|their|his|her|our)\s+)?$", re.IGNORECASE)


def keeps_up_nothing(text: str, cue_text: str, cue_end: int, object_start: int | None) -> bool:
    """Whether a keep-up cue ("remained in", "stays on") names no issue right after it:
    "remained in Cairo", "stayed on the sidelines over the truce" keep up no issue."""
    if not _KEEP_UP.search(cue_text):
        return False
    return object_start is None or not _RIGHT_BEFORE_OBJECT.fullmatch(text, cue_end, object_start)


def no_cue_here(text: str, start: int, end: int) -> str:
    """SKIP where the match at start..end is no stance cue, FAVOURABLE where it is a favourable
    judgment ("viewed the plan positively"), else KEEP."""
    head = text[max(0, start - 30) : start]
    found = text[start:end]
    word = found.lower()
    if word == "without" and not _NO_NOUN_BEFORE.search(head):
        return SKIP  # only "no deal without X" demands X
    if word.startswith("drop") and _PHYSICAL_DROP.match(text[end:]):
        return SKIP
    if word.startswith("agree") and _AGREE_WITH_VIEW.match(text[end:]):
        return SKIP
    if word.startswith("block") and _BLOCK_NOUN.search(head):
        return SKIP  # "one of the main stumbling blocks in the talks": a noun
    if word in _NOUN_CUES and _PREPOSITIONAL_NOUN.search(head):
        return SKIP  # "Qatar and Egypt, with U.S. support, have led talks"
    agent_noun = _AGENT_NOUN_CUE.search(found)
    if agent_noun and not _PREDICATE_BEFORE.search(head):
        return SKIP  # "arguments used by opponents of the duties": not the subject's stance
    if not (POSTNOMINAL.search(found) or agent_noun):
        nominal = _NOMINAL_FORM.search(found) and _DETERMINER_ADJ_BEFORE.search(head)
        if nominal or (
            _DETERMINER_BEFORE.search(head[-14:]) and not _POSSESSIVE_BEFORE.search(head)
        ):
            # "the proposed deal", "a halt to", "the demand to remain": a noun or adjective
            # whose holder is not the sentence's subject. ("the offer was a non-starter", "the
            # main backers of" keep their determiner.)
            return SKIP
    if word in _EVALUATIVE and _VIEWED.search(text[max(0, start - 80) : start]):
        return FAVOURABLE  # "viewed the proposal positively": a favourable judgment
    return KEEP
