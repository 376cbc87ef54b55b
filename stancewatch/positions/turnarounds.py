"""A stance the same sentence says was given up: "had backed the proposal but reversed course"."""

from __future__ import annotations

import re
from dataclasses import replace

from stancewatch.positions.units import Found, polarised

# "but reversed course", "then backtracked", "but has since done a U-turn": the stance named
# before is no longer held.
_TURNAROUND = re.compile(
    r"\b(?:but|then|and)\s+(?:later\s+|then\s+|(?:has|had)\s+(?:since\s+)?|since\s+)?"
    r"(?:reversed course|changed course|backtracked|did an? u-turn|made an? u-turn|"
    r"backpedall?ed|back-pedall?ed)\b",
    re.IGNORECASE,
)


def turned_around(text: str, found: list[Found]) -> list[Found]:
    """Each stance stated before a turnaround in its sentence, turned round at the turnaround.

    "Korin had backed the plan before but then reversed course after the vote": the recap is
    the old stance; the news is its opposite, stated where the sentence turns.
    """
    if "course" not in text and "back" not in text and "turn" not in text:
        return []
    turn = _TURNAROUND.search(text)
    if turn is None:
        return []
    before = [f for f in found if f.anchor < turn.start() and f.score != 0.0 and f.shift is None]
    if not before:
        return []
    # The turn belongs to the clause right before it: only its holder gave something up. "The
    # Front accepted the truce, and Ostrava rejected it but later reversed course" turns
    # Ostrava's rejection, not the Front's acceptance.
    own = max(before, key=lambda f: f.anchor)
    if any(
        f.holder.actor != own.holder.actor and own.holder.start < f.holder.start < turn.start()
        for f in found
    ):
        return []
    turned: list[Found] = []
    for f in before:
        if f.holder.actor != own.holder.actor:
            continue
        label, score = polarised(f.label, f.score, -1)
        words = turn.group(0).split(None, 1)[1]
        turned.append(
            replace(f, label=label, score=score, anchor=turn.end(), cue=words, cue_how="reversed")
        )
    return turned
