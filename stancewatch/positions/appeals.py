"""Appeals and shared aims: who asks whom to act, and what two sides want together."""

from __future__ import annotations

import re
from collections.abc import Sequence

from stancewatch.positions import stance
from stancewatch.positions.attribution import frame_at
from stancewatch.positions.holders import find_holders
from stancewatch.positions.mentions import Mention
from stancewatch.positions.prefilter import Needs
from stancewatch.positions.units import Unit

# "urged Boeing and the union to accept", "called on Israel, Hamas and the mediators to": the
# addressees of an appeal are not its speakers; what they are asked to do is the caller's demand.
APPEAL_CUE = re.compile(
    r"^(?:urg|ask|call(?:s|ed|ing)? on|press|push|pressur|tell|told|encourag|implor|appeal)",
    re.IGNORECASE,
)
APPEAL_GAP = re.compile(r"^\s+(?:[\w'’.,-]+\s+){1,7}?(?:not\s+)?to\s+(?:be\s+)?$")

# A wish ("want", "hope for"): of two sides together, an aim they share, no one's concession.
WISH = re.compile(r"want|wish|hop", re.IGNORECASE)
_BOTH_BEFORE = re.compile(r"\bboth\s+(?:the\s+)?$", re.IGNORECASE)


def shared_by_both(text: str, holders: Sequence[Mention]) -> bool:
    """Whether two or more actors hold the stance as one subject opened by "both"."""
    if len({h.actor for h in holders if h.actor}) < 2:
        return False
    first = min(h.start for h in holders)
    return _BOTH_BEFORE.search(text[max(0, first - 12) : first]) is not None


BOTH_SIDES = re.compile(
    r"\b(?:the two|both|the|all) (?:sides|parties|countries|nations|delegations|camps|"
    r"governments)\s+(?:(?:could|can|would|will|should|must|might|may|then|now|also|"
    r"jointly|together)\s+){0,2}$",
    re.IGNORECASE,
)

# "asked Boeing not to miss ...", "called on Israel's leaders to be firm ...", "urging them to
# ...": an appeal's verb, its addressees, then what they are asked to do.
_APPEAL_OPENING = re.compile(
    r"\b(?:urg(?:e|es|ed|ing)|ask(?:s|ed|ing)?|call(?:s|ed|ing)? (?:up)?on|press(?:es|ed|ing)?|"
    r"push(?:es|ed|ing)?|pressur(?:e|es|ed|ing)|encourag(?:e|es|ed|ing)|implor(?:e|es|ed|ing)|"
    r"appeal(?:s|ed|ing)? to|convinc(?:e|es|ed|ing)|persuad(?:e|es|ed|ing)|"
    r"compel(?:s|led|ling)?|coax(?:es|ed|ing)?)\s+(?:[\w'’.,-]+\s+){1,6}?(?:not\s+)?to\s",
    re.IGNORECASE,
)
# Every _APPEAL_OPENING match holds one of these.
_APPEAL_WORDS = Needs(
    "urg|ask|call|press|push|pressur|encourag|implor|appeal|convinc|persuad|compel|coax"
)
_APPEAL_ENDS = re.compile(r"[;:]\s|[\"”]|\s[—–]\s|,\s+(?:but|while|whereas|although|said)\b")


def told_to(text: str, start: int, unit: Unit, holders: Sequence[Mention]) -> Mention | None:
    """The speaker who says the holders must act ("X must stop Y, Z said"), when that speaker
    is another watchlisted actor; None otherwise."""
    frame = frame_at(unit.frames, start)
    speaker = frame.source if frame is not None and frame.source is not None else unit.speaker
    if speaker is None or speaker.actor is None:
        return None
    if any(h.actor == speaker.actor for h in holders):
        return None
    return speaker if stance.modal_before(text, start) == "must" else None


def appeal_at(text: str, position: int, unit: Unit) -> tuple[int, set[str | None]] | None:
    """Where the content of an appeal holding a position starts and who makes the appeal, or
    None outside any appeal."""
    if _APPEAL_WORDS.absent(text[:position]):
        return None
    for m in _APPEAL_OPENING.finditer(text, 0, position):
        if m.end() > position:
            continue
        end = _APPEAL_ENDS.search(text, m.end())
        if end is not None and end.start() <= position:
            continue
        callers = find_holders(text, m.start(), m.start() + 1, None, unit)
        return m.end(), {c.actor for c in callers}
    return None
