"""Stances stated without a stance verb: modal actions, stance-laden phrases, agent nouns."""

from __future__ import annotations

import re

from stancewatch import cues, stance
from stancewatch.attribution import frame_at
from stancewatch.holders import (
    AGENT_TERM,
    SUBJECT_OF_MODAL,
    attached,
    find_holders,
    with_coordinated_subject,
)
from stancewatch.issues import IssueMention
from stancewatch.units import Found, Unit, polarised

_CONTRAST = re.compile(r",\s*(?:and\s+)?not\s+(?:a|an|the|more)?\s*$", re.IGNORECASE)


def implicit_stances(text: str, obj: IssueMention, unit: Unit) -> list[Found]:
    """A stance stated without a stance verb: "will withdraw", "must end", "total victory"."""
    modal = stance.modal_before(text, obj.start)
    negation = stance.negation_before(text, obj.start, window=14)
    if modal is None and not obj.laden:
        return []
    if obj.laden and _CONTRAST.search(text[: obj.start]):
        negation = None  # "a negotiated solution, not a spiral of tariffs": still against
    if obj.laden and " " not in obj.text.strip() and AGENT_TERM.search(obj.text):
        label, score = polarised("support", 1.0, obj.polarity)
        return [
            Found(h, obj, label, score, obj.start, None, False, None, False)
            for h in attached(text, obj, unit.mentions)
        ]
    if modal == "must":
        frame = frame_at(unit.frames, obj.start)
        speaker = frame.source if frame and frame.source else unit.speaker
        if speaker is None or speaker.actor is None:
            return []
        holders = [speaker]
        cls = cues.DEMAND
    else:
        holders = find_holders(text, obj.start, obj.end, None, unit)
        frame = frame_at(unit.frames, obj.start)
        if (
            modal is not None
            and holders
            and not SUBJECT_OF_MODAL.match(text[holders[-1].end : obj.start])
        ):
            if not (obj.laden and frame is not None and frame.source is not None):
                return []  # "the plan would bring ... home": the subject is not an actor
            # A stance-laden phrase in reported speech is the speaker's framing: "Germany
            # and the carmakers warned the levies could spark a trade war".
            source = frame.source
            subjects = [m for m in unit.mentions if m.actor and m.subject and m.end <= source.end]
            holders = with_coordinated_subject(text, subjects) if subjects else [source]
            modal = None
        cls = {
            "neg": cues.REJECT,
            "hedge": cues.OPEN,
            "will": cues.COMMIT,
        }.get(modal or "", cues.ACCEPT)
        if modal == "neg":
            negation = None
    if not holders or holders[0].actor is None:
        return []
    hedge = modal == "hedge"
    condition = stance.condition_after(text, obj.end)
    label, score = stance.resolve(cls, negation, hedge, condition[0] if condition else None)
    if obj.laden and label == "accept":
        label = "support"
    label, score = polarised(label, score, obj.polarity)
    return [
        Found(h, obj, label, score, obj.start, None, hedge, condition, h.resolved) for h in holders
    ]
