"""The working records of reading a sentence, and how a stance found in it becomes a Statement."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from stancewatch.models import Attribution, Statement
from stancewatch.positions import stance
from stancewatch.positions.attribution import Frame, reported_marker, weakest_frame
from stancewatch.positions.explain import statement_trace
from stancewatch.positions.issues import IssueMention
from stancewatch.positions.matching import Hit
from stancewatch.positions.mentions import Mention
from stancewatch.positions.relatedness import SentenceScope

CLAUSE_BREAK = re.compile(
    r"[;:]\s|\s[—–]\s|,\s+(?:but|while|whereas|although)\s|\s(?:but|whereas)\s", re.IGNORECASE
)


@dataclass
class Unit:
    """A sentence under reading, with what the first pass found in it."""

    text: str
    index: int
    headline: bool
    mentions: list[Mention] = field(default_factory=list)
    frames: list[Frame] = field(default_factory=list)
    speaker: Mention | None = None  # the speaker of a quote this sentence belongs to
    co_speakers: tuple[Mention, ...] = ()  # the other authors of a document the quote is from
    speaker_intro: bool = False  # the speaker was named by a sentence ending in a colon
    issues: list[IssueMention] = field(default_factory=list)
    conditioned_by_next: str | None = None  # the next sentence states this one's conditions
    name_hits: list[Hit] = field(default_factory=list)
    scope: SentenceScope = "none"


@dataclass
class Found:
    """A stance found in a sentence, before it becomes a Statement."""

    holder: Mention
    issue: IssueMention
    label: str
    score: float
    anchor: int
    shift: str | None
    hedge: bool
    condition: tuple[str, str] | None
    resolved: bool
    # For explanations: the words stating the stance, what kind of cue they are, how the
    # holder and the object were found, the negation and a limited scope.
    cue: str = ""
    cue_how: str = ""
    holder_how: str = ""
    object_how: str = ""
    negation: str | None = None
    partial: bool = False
    counterpart: bool = False  # the object is another actor's offer or reply
    fresh_offer: bool = False  # the object is an offer called new or different
    amount: tuple[float, str] | None = None  # the figure the object names ("a 30% raise")
    offer: tuple[str, ...] = ()  # what names the offer apart from others ("numbered:20-point")
    claimant: Mention | None = None  # another actor whose claim this is ("citing X's refusal")
    supposed: str | None = None  # others' fear or judgment of the holder ("concerns that X ...")


_FLIPPED = {
    "accept_partial": "reject_partial",
    "reject_partial": "accept_partial",
    "reject": "accept",
    "reject_unless": "accept_if",
    "accept": "reject",
    "support": "reject",
    "demand": "reject",
    "propose": "reject",
    "commit": "reject",
    "accept_if": "reject_unless",
}


def polarised(label: str, score: float, polarity: int) -> tuple[str, float]:
    """Stance toward the issue when the wording names its opposite ("rejected calls to fight")."""
    if polarity >= 0 or score == 0.0:
        return label, score
    return _FLIPPED.get(label, label), -score


def to_statement(unit: Unit, f: Found, explain: bool = False) -> Statement:
    actor = f.holder.actor or ""
    frame = weakest_frame(unit.frames, f.anchor, actor)
    attribution: Attribution
    source: str | None = None
    why: str  # which rule decided the attribution, for explanations
    if frame is None and unit.speaker is not None and unit.speaker.actor is not None:
        same = actor in {unit.speaker.actor, *(m.actor for m in unit.co_speakers)}
        attribution = "direct" if same else "third_party"
        source = None if same else unit.speaker.text
        why = "quote_own" if same else "quote_other"
        if same and actor != unit.speaker.actor:
            why = "co_author"  # "the declaration says": one of the document's other authors
    elif frame is None:
        attribution = "reported" if reported_marker(unit.text) else "direct"
        why = "marker" if attribution == "reported" else "plain"
    elif frame.kind == "unnamed":
        other = frame.source is not None and not frame.speaks_for(actor)
        attribution = "third_party" if other else "reported"
        source = "sources"
        why = "unnamed_other" if other else "unnamed"
    elif frame.kind == "named" and frame.source is None:
        attribution = "direct"  # "the official said": the official named earlier
        why = "named_earlier"
    elif frame.kind in ("outsider", "unknown") or frame.source is None:
        attribution = "third_party"
        source = unit.text[frame.verb_start : frame.verb_end]
        why = "outsider"
    elif frame.speaks_for(actor):
        attribution = "direct"
        source = frame.source.text if frame.source is not f.holder else None
        why = "speaks_for"
        if frame.co_authors and actor != frame.source.actor:
            why = "co_author"  # "the declaration says": one of the document's other authors
    else:
        attribution = "third_party"
        source = frame.source.text
        why = "other_speaker"
    if f.claimant is not None and f.claimant.actor != actor:
        attribution, source, why = "third_party", f.claimant.text, "claim_of_other"
    elif f.supposed is not None:
        attribution, source, why = "third_party", f.supposed, "supposed"
    reported_speech = frame is not None and frame.verb_start < f.anchor
    modality = None
    if f.condition and f.label in ("accept_if", "reject_unless"):
        modality = "conditional"
    elif f.hedge:
        modality = "hedged"
    named = f.holder.antecedent if f.holder.resolved and f.holder.antecedent else f.holder
    recap = stance.background_reason(unit.text, f.anchor, reported_speech, named.start)
    return Statement(
        actor=actor,
        issue=f.issue.issue,
        stance=f.label,
        score=f.score,
        attribution=attribution,
        sentence=unit.text,
        sentence_index=unit.index,
        source=source,
        modality=modality,
        condition=f.condition[1] if f.condition else None,
        background=recap is not None,
        shift=f.shift,
        headline=unit.headline,
        resolved=f.resolved,
        counterpart=f.counterpart,
        fresh_offer=f.fresh_offer,
        amount=f.amount,
        offer=f.offer,
        trace=statement_trace(unit, f, frame, why, recap) if explain else None,
    )
