"""Whose terms or account a stance is: the other side's reply, one actor's claim about another."""

from __future__ import annotations

import re
from collections.abc import Sequence

from stancewatch.positions.issues import IssueMention
from stancewatch.positions.mentions import Mention

# "citing Hamas's refusal", "blamed the union's demands": one actor's account of another's stance.
_CLAIM_FRAME = re.compile(
    r"\b(?:citing|cited|cites|blam(?:e|es|ed|ing)|accus(?:e|es|ed|ing)|in light of|"
    r"condemn(?:s|ed|ing)?|criticis(?:e|es|ed|ing)|criticiz(?:e|es|ed|ing)|denounc(?:e|es|ed|ing)|"
    r"slamm?(?:s|ed|ing)?|decr(?:y|ies|ied|ying)|point(?:s|ed|ing)? to|faulted|faults|over)\s+"
    r"(?:what (?:it|he|she|they) (?:called|described as)\s+)?(?:the\s+)?$",
    re.IGNORECASE,
)

# "Hamas's response", "the offer from Hamas", "Hamas's latest counterproposal": whose terms.
_REPLY = (
    r"(?:offer|proposal|counter-?proposal|counter-?offer|response|reply|answer|amendments?|"
    r"demands?|terms|conditions|draft)\b"
)
_OWNED_REPLY = re.compile(
    rf"^(?:['’]s?)?\s*(?:[\w-]+\s+){{0,2}}{_REPLY}",  # "Hamas's latest truce offer"
    re.I,
)
_REPLY_FROM = re.compile(rf"{_REPLY}\s+(?:from|by)\s+(?:the\s+)?$", re.I)


def counterparts(
    text: str, obj: IssueMention, holder: Mention, mentions: Sequence[Mention]
) -> bool:
    """Whether the object is another actor's offer or reply, not the deal itself.

    "Israel rejected Hamas's response" is about Hamas's terms: by the labeling rules, rejecting
    the other side's reply is no reversal of one's own support for a deal.
    """
    if holder.actor is None:
        return False
    for m in mentions:
        if m.actor is None or m.actor == holder.actor:
            continue
        owned = m.possessive and obj.start - 40 <= m.start < obj.end
        if owned and _OWNED_REPLY.match(text[m.end : obj.end + 30]):
            return True
        if obj.start <= m.start <= obj.end + 30 and _REPLY_FROM.search(text[obj.start : m.start]):
            return True
        # "accepts Egypt, Qatar cease-fire proposal": a name modifying the offer noun.
        modifier = 0 <= obj.start - m.end <= 2 and not m.possessive and m.kind != "adjective"
        if modifier and _OWNED_REPLY.match(text[m.end : obj.end + 30]):
            return True
    return False


# "a new ceasefire proposal", "the revised offer": not the offer a seed rejected.
_FRESH_WORDS = (
    r"new|fresh|revised|updated|amended|modified|different|another|improved|sweetened|"
    r"alternative|reworked|redrafted"
)
_FRESH_BEFORE = re.compile(rf"\b(?:{_FRESH_WORDS})\s+(?:[\w'’-]+\s+){{0,2}}$", re.IGNORECASE)
_FRESH_INSIDE = re.compile(rf"\b(?:{_FRESH_WORDS})\b", re.IGNORECASE)
_OFFER_NOUN = re.compile(
    r"(?:offer|proposal|plan|deal|framework|draft|agreement|contract|initiative|package|terms)s?$",
    re.IGNORECASE,
)


def fresh_offer(text: str, obj: IssueMention) -> bool:
    """Whether the object is an offer the text calls new or different ("accepted a new
    proposal"): a yes to it does not take back a no to an earlier offer."""
    if not _OFFER_NOUN.search(obj.text.strip()):
        return False
    before = text[max(0, obj.start - 40) : obj.start]
    return bool(_FRESH_BEFORE.search(before) or _FRESH_INSIDE.search(obj.text))


# "said it was reviewing the offer", "is studying the proposal": a procedural look at terms.
_REVIEW = re.compile(r"(?:review|study|studie|examin)\w*$", re.IGNORECASE)


def under_review(cue: str) -> bool:
    """Whether the cue reviews its object: one only reviews an offer not yet answered, so it
    is not the offer a seed already said no to."""
    return _REVIEW.match(cue.strip()) is not None


def claimant_of(text: str, owner: Mention, mentions: Sequence[Mention]) -> Mention | None:
    """Another actor whose account the owner's stance is: "Israel ..., citing Hamas's refusal"."""
    if not _CLAIM_FRAME.search(text[: owner.start]):
        return None
    before = [m for m in mentions if m.end <= owner.start and m.actor and m.actor != owner.actor]
    return before[-1] if before else None


# "amid growing concerns that X may be ready to ...", "there is little indication that X ...":
# what others fear, hope or see of an actor, not what it says.
_SUPPOSED = re.compile(
    r"\b(?:concerns?|fears?|worries|worry|speculation|suspicions?|expectations?|rumou?rs?|"
    r"doubts?|hopes?|signs?|indications?|suggestions?|perceptions?|impression|"
    r"likelihood|possibility|prospect)\s+(?:(?:among|in|from)\s+[\w\s'’-]{1,40}?\s+)?that\s+"
    r"(?:(?!\b(?:said|says|told|announced|stated)\b)[^,;:!?]){0,80}$",
    re.IGNORECASE,
)
# "criticised the IAEA for failing to condemn", "commends the parties on their willingness to",
# "accused Israel of stalling": the object of a judgment, and what it is judged for.
_E = "(?:e|es|ed|ing)"
_S = "(?:s|ed|ing)?"
# Each judging verb once: its stem and its endings.
_JUDGE_VERB_FORMS = (
    ("critici[sz]", _E), ("accus", _E), ("blam", _E), ("prais", _E), ("commend", _S),
    ("thank", _S), ("fault", _S), ("rebuk", _E), ("lambast", _S), ("applaud", _S),
    ("laud", _S), ("slamm?", _S), ("chid", _E),
)  # fmt: skip
_JUDGE_VERBS = r"\b(?:" + "|".join(stem + ends for stem, ends in _JUDGE_VERB_FORMS) + ")"
_JUDGE_STEMS = re.compile("|".join(stem for stem, _ in _JUDGE_VERB_FORMS), re.I)
_JUDGED_OBJECT = re.compile(
    _JUDGE_VERBS + r"\s+(?:the\s+)?(?:[\w'’ -]{1,60}\(\s*)?$", re.IGNORECASE
)
# "commended the Front on its readiness to": the judged one's own words refer back to it.
_JUDGED_FOR_ITS = re.compile(
    _JUDGE_VERBS + r"\s+[^,;:]{1,60}?\s(?:for|of|on|over)\s+$", re.IGNORECASE
)
_JUDGED_FOR = re.compile(
    r"^\s*\)?\s*(?:\([^)]{1,20}\)\s*)?(?:for|of|on|over)\s+(?:its|their|his|her|the)?\s*\w+",
    re.IGNORECASE,
)


# "Velmar gave signs", "Velmar's hopes": a few words from the holder's name to the noun.
_OWNER_TO_NOUN = re.compile(r"(?:['’]s?)?(?:\s+[\w-]+){0,3}\s+")


def _owns(text: str, holder: Mention, noun: int) -> bool:
    """Whether the holder itself owns or gives the sign, hope or fear ("Velmar gave signs that
    it would accept"): its own signal, not others' view of it."""
    owner = holder.antecedent if holder.resolved else None
    if owner is None or owner.actor != holder.actor or owner.end > noun:
        return False
    return _OWNER_TO_NOUN.fullmatch(text, owner.end, noun) is not None


def supposed(text: str, holder: Mention, anchor: int) -> str | None:
    """Words that make a stance what others suppose or judge of the holder, or None.

    "growing concerns that X may be ready to ease sanctions" is a fear about X; "criticised X
    for failing to condemn the attacks" is the critic's account of X: neither is X's position.
    """
    if holder.start > anchor:
        return None
    before = text[: holder.start]
    fear = _SUPPOSED.search(before) if "that " in before else None
    if fear is not None and not _owns(text, holder, fear.start()):
        return fear.group().split(" that", 1)[0].strip()
    if not _JUDGE_STEMS.search(before):
        return None
    judged = _JUDGED_OBJECT.search(before)
    if judged is not None and _JUDGED_FOR.match(text[holder.end : anchor]):
        return judged.group().split()[0]
    judged = _JUDGED_FOR_ITS.search(before) if holder.possessive else None
    if judged is not None:
        return judged.group().split()[0]
    return None


# "...: Iranian FM", "...: Kremlin official says": a headline that ends by naming its speaker.
_HEADLINE_TAIL = re.compile(r":\s+([^:]{2,60}?)\s*$")
_SPEAKER_WORDS = frozenset(
    {
        "fm", "pm", "foreign", "prime", "minister", "ministry", "official", "officials",
        "spokesperson", "spokesman", "spokeswoman", "envoy", "negotiator", "negotiators",
        "chief", "leader", "president", "top", "senior", "source", "sources", "says", "said",
        "government", "state", "media",
    }
)  # fmt: skip


def headline_speaker(text: str, mentions: Sequence[Mention]) -> Mention | None:
    """The actor a headline names as its speaker after a final colon, or None.

    Only a tail of the speaker's name and words such as "FM", "official" or "says" counts:
    "Gaza: Hamas accepts the truce" names no speaker (its tail states a stance).
    """
    if ":" not in text:
        return None
    tail = _HEADLINE_TAIL.search(text)
    if tail is None:
        return None
    named = [m for m in mentions if m.actor and m.start >= tail.start(1)]
    if not named:
        return None
    rest = text[tail.start(1) :]
    for m in reversed(named):
        rest = rest[: m.start - tail.start(1)] + " " + rest[m.end - tail.start(1) :]
    words = re.findall(r"[\w'’-]+", rest)
    if len(words) > 3 or any(w.lower() not in _SPEAKER_WORDS for w in words):
        return None
    return named[0]
