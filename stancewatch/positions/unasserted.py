"""Positions no one takes: what a plan provides for, and cues under an "if" or a rumour."""

from __future__ import annotations

import re

from stancewatch.positions.prefilter import Needs
from stancewatch.positions.units import CLAUSE_BREAK

_HYPOTHETICAL = re.compile(
    r"(?<![\w])(?:if|whether|unless|until|till|provided(?: that)?|providing(?: that)?|"
    r"on (?:the )?condition(?: that)?|as long as|so long as|"
    r"(?:contingent|conditional|dependent|conditioned) (?:up)?on|"
    r"(?:suggestions?|claims?|reports?|speculation|notion|"
    r"idea|accusations?|allegations?|rumou?rs?|fears?|hopes?) that)\s+(?:[\w'’-]+\s+){0,6}$",
    re.IGNORECASE,
)

# Every _HYPOTHETICAL match holds one of these.
_HYPOTHETICAL_WORDS = Needs(
    "if|whether|unless|til|provid|condition|long as|contingent|dependent|that"
)

# Someone's readiness inside a "when" clause is a condition on another's act, not a stance.
_READINESS = re.compile(r"(?:ready|willing|prepared)\b", re.IGNORECASE)
_WHEN_SUBJECT_IS = re.compile(
    r"(?<![\w])(?:when|whenever|once)\s+(?:[\w'’-]+\s+){1,3}(?:is|are|was|were)\s+"
    r"(?P<ready>(?:ready|willing|prepared)\s+to\s+)?$",
    re.IGNORECASE,
)

# A fronted temporal clause: what happens in it is not yet anyone's stance.
_FRONTED_WHEN = re.compile(r"^[\"“]?\s*(?:when|whenever|once)\s[^,;:]*$", re.IGNORECASE)

# "a truce during which forces would withdraw", "During that phase, the parties would
# negotiate", "Under the proposal, Israel will keep its troops": what a plan provides for, not
# anyone's stance.
_DURING_WHICH = re.compile(r"\b(?:during|under|in|by) which\b[^,;:]*$")
_FRONTED_PLAN = re.compile(
    r"^(?:During|In|Under) (?:that|this|the \w+|the) (?:stage|phase|period|plan|deal|agreement|"
    r"framework|proposal)\b[^;:]*\b(?:would|will)\b[^;:]*$"
)
# "The draft says the Front's units would withdraw": what a text provides for.
_PLAN_SAYS = re.compile(
    r"\b(?:proposal|plan|deal|agreement|framework|draft|text|document|offer)s?\s+"
    r"(?:says|said|states|stated|stipulates|stipulated|envisages|envisaged|provides|provided|"
    r"foresees|sets out|set out|outlines|outlined)\s+(?:that\s+)?[^;:]*\b(?:would|will)\b[^;:]*$"
)
# "a package that would require Ukraine to ... accept", "the plan would have seen Kyiv
# withdraw": what a plan asks of a side, not that side's stance.
_PLAN_WOULD = re.compile(
    r"\b(?:proposal|plan|deal|agreement|framework|draft|text|document|offer|package|option)s?"
    r"\b[^;:]{0,100}?\bwould\s+(?:have\s+)?"
    r"(?:require[sd]?|see|seen|force[sd]?|oblige[sd]?|compel(?:led|s)?|let|allow(?:ed|s)?)\s+"
    # the side it asks something of, then "to" or a bare verb, all in one clause
    r"(?:the\s+|both\s+|all\s+)?[\w'’.-]+(?:\s+[A-Z][\w'’.-]*){0,2}\s+(?:to\s+)?"
    r"[^,;:]*$"
)
_PLAN_VERBS = (
    "say",
    "said",
    "state",
    "stipulat",
    "envisage",
    "provide",
    "foresee",
    "set",
    "outline",
)


# "only if" and "as long as" open a condition of a stance, not a hypothesis.
_OWN_CONDITION = re.compile(r"(?:only|as long as|even) if\s+(?:[\w'’-]+\s+){0,6}$", re.I)


def plan_content(text: str, start: int) -> bool:
    """Whether a position sits in what a plan provides for ("a truce during which forces
    would withdraw", "During that stage, both sides would negotiate")."""
    head = text[:start]
    # Cheap word checks first: this runs for every cue and issue of every sentence.
    if "which" in head and _DURING_WHICH.search(head):
        return True
    if "wil" not in head and "would" not in head:
        return False
    if head.startswith(("During", "In ", "Under")) and _FRONTED_PLAN.search(head):
        return True
    if "would" in head and _PLAN_WOULD.search(head):
        return True
    return any(v in head for v in _PLAN_VERBS) and _PLAN_SAYS.search(head) is not None


def hypothetical(text: str, start: int) -> bool:
    """Whether a cue sits in an if-clause or a reported rumour ("reports that X accepted")."""
    if _FRONTED_WHEN.match(text, 0, start):
        return True  # "When the parties are ready to stop this war, we will be there"
    window = text[max(0, start - 60) : start]
    # "when" and "once" have no letters that case folding maps from other scripts.
    low = window.lower()
    if "when" in low or "once" in low:
        when = _WHEN_SUBJECT_IS.search(text, max(0, start - 60), start)
        if when is not None and (when.group("ready") or _READINESS.match(text, start)):
            return True  # "we will meet the guild once it is willing to bargain": a condition
    if _HYPOTHETICAL_WORDS.absent(window):
        return False
    clause_start = 0
    for b in CLAUSE_BREAK.finditer(text, 0, start):
        clause_start = b.end()
    head = text[max(clause_start, start - 60) : start]
    if not _HYPOTHETICAL.search(head):
        return False
    return _OWN_CONDITION.search(head) is None
