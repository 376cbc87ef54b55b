"""Amounts on an issue: the figure an offer or demand names ("a 30% raise") and the one it replaces.

A better offer by amount is a move even when the words stay the same: "a 30% raise, up from
25%" gives ground on pay, and so does "a 30% raise" against a baseline that offered 25%. Who
gives ground by a larger figure depends on the stance: the one offering gives more, the one
demanding asks more (a harder line), and a measure one side imposes (a tariff) bites harder.
"""

from __future__ import annotations

import re

from stancewatch.positions.issues import IssueMention

#: An amount: its value and its unit ("%", "$", or "" for a bare count).
Amount = tuple[float, str]

_NUMBER = (
    r"(?P<cur>[$€£]\s?)?(?P<num>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"
    r"(?:\s?(?P<pct>%|percent\b|per cent\b))?(?:\s(?P<scale>thousand|million|billion)\b)?"
)
_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9}

# "a 30% pay raise", "a $6,000 bonus": the figure just before the issue's words.
_BEFORE = re.compile(rf"{_NUMBER}(?:-\w+)?\s+(?:[\w-]+\s+)?$", re.IGNORECASE)
# "a wage increase of 30%", "pay raises totaling 30%", "the bonus to $6,000".
_AFTER = re.compile(
    rf"^\s+(?:of|totall?ing|worth|at|to|amounting to|reaching)\s+"
    rf"(?:about\s+|nearly\s+|roughly\s+|some\s+|around\s+|up to\s+)?{_NUMBER}",
    re.IGNORECASE,
)
_INSIDE = re.compile(_NUMBER, re.IGNORECASE)

# "up from 12%", "raised from the 12% it offered before", "up from the earlier offer of
# 12%", "compared with 12%": the figure the new one replaces.
_PREVIOUS = re.compile(
    r"^[^.;:]{0,40}?\b(?:(?:up|down|increased|improved|raised|rising|risen|lowered|reduced|cut|"
    r"dropped|jumping|climbing|higher|lower)\s+from|compared (?:with|to)|versus|vs\.?|"
    r"(?:higher|lower|more|less) than)\s+(?:the\s+|a\s+|its\s+|their\s+)?"
    r"(?:(?:previous|prior|earlier|old|original|first|initial|last|current)\s+)?"
    r"(?:(?:offer|proposal|deal|contract|demand|agreement|package)\s+(?:of\s+)?)?"
    rf"{_NUMBER}",
    re.IGNORECASE,
)
# "raised the bonus from $3,000 to $6,000": both figures after the issue's words.
_FROM_TO = re.compile(
    rf"^\s+(?:[\w-]+\s+){{0,2}}?from\s+{_NUMBER}\s+to\s+" + _NUMBER.replace("?P<", "?P<to_"),
    re.IGNORECASE,
)


def _value(m: re.Match[str], prefix: str = "") -> Amount:
    value = float(m.group(f"{prefix}num").replace(",", ""))
    scale = m.group(f"{prefix}scale")
    if scale:
        value *= _SCALE[scale.lower()]
    unit = "%" if m.group(f"{prefix}pct") else (m.group(f"{prefix}cur") or "").strip()
    return value, unit


def amounts(text: str, obj: IssueMention) -> tuple[Amount | None, Amount | None]:
    """The amount the issue's words name and, if the text says, the amount it replaces."""
    from_to = _FROM_TO.match(text[obj.end : obj.end + 80])
    if from_to:
        return _value(from_to, "to_"), _value(from_to)
    found: Amount | None = None
    end = obj.end
    inside = _INSIDE.search(obj.text)
    before = _BEFORE.search(text[max(0, obj.start - 24) : obj.start])
    after = _AFTER.match(text[obj.end : obj.end + 40])
    if inside:
        found = _value(inside)
    elif before:
        found = _value(before)
    elif after:
        found, end = _value(after), obj.end + after.end()
    if found is None:
        return None, None
    previous = _PREVIOUS.match(text[end : end + 120])
    if previous is None:
        return found, None
    earlier = _value(previous)
    return found, earlier if earlier[1] == found[1] else None


def amount_direction(
    amount: Amount | None, earlier: Amount | None, *, giving: bool, imposed: bool
) -> str | None:
    """ "softer" or "firmer" for an amount that replaces an earlier one, else None.

    giving: the stance offers or accepts the amount (more is a concession); otherwise it asks
    for it (more is a harder line). imposed: the issue is a measure one side imposes, where
    more bites harder whoever states it.
    """
    if amount is None or earlier is None or amount[1] != earlier[1] or amount[0] == earlier[0]:
        return None
    more = amount[0] > earlier[0]
    if imposed:
        return "firmer" if more else "softer"
    if giving:
        return "softer" if more else "firmer"
    return "firmer" if more else "softer"
