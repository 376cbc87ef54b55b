"""A change's confidence: the factors of its evidence, calibrated on the real-article sets."""

from __future__ import annotations

from stancewatch.models import BaselinePosition, ChangeKind, Statement

# Confidence: how often a change of this make-up was right on the real-article sets
# (eval/real: the four tuned topics, scored per article and actor; `stancewatch eval eval/real
# -v` prints the reliability table). Multiplied together, clipped to [0.05, 0.99]. Recalibrated
# after the reader's real-copy fixes: a shift of any kind, marked or not, was right ~19 times in
# 20 (47/49 of the emitted shifts); a new stance ~7 in 10, whatever its label. Headlines now
# weigh little less than body text (their changes were right as often); hedges and holders or
# issues found by reference keep a small discount. A reversal against a position read from the
# seeds keeps a larger one: only 6 such reversals were seen (all right), and a misread seed makes
# every restatement look like a crossing.
_BASE_CONFIDENCE = {"direct": 0.95, "reported": 0.8}
_HEADLINE_FACTOR = 0.95
_HEDGED_FACTOR = 0.8
_RESOLVED_FACTOR = 0.95
# A shift the text does not itself call a move, per kind, and one it calls a move ("dropped its
# demand", "hardened its line").
_UNMARKED_SHIFT_FACTOR = {"reversal": 0.97, "softening": 0.95, "hardening": 1.0}
_MARKED_SHIFT_FACTOR = 1.0
_UNCONFIRMED_CROSSING_FACTOR = 0.7  # a reversal against a baseline read from the seeds
_NEW_FACTOR = 0.72
_BACKGROUND_FACTOR = 0.9


def confidence_factors(
    s: Statement, kind: ChangeKind, baseline: BaselinePosition | None = None
) -> list[tuple[str, float]]:
    """What a change's confidence is made of: its base, then each factor multiplied in."""
    factors = [(f"{s.attribution} attribution", _BASE_CONFIDENCE.get(s.attribution, 0.0))]
    if s.headline:
        factors.append(("headline statement", _HEADLINE_FACTOR))
    if s.modality == "hedged":
        factors.append(("hedged", _HEDGED_FACTOR))
    if s.resolved:
        factors.append(("holder or issue found by reference", _RESOLVED_FACTOR))
    if kind in _UNMARKED_SHIFT_FACTOR:
        if s.shift is None:
            factors.append(
                (f"a {kind} the text does not itself call a move", _UNMARKED_SHIFT_FACTOR[kind])
            )
        else:
            factors.append(("a move the text names", _MARKED_SHIFT_FACTOR))
    if kind == "reversal" and baseline is not None and not baseline.pinned:
        factors.append(("crossing a position read from the seeds", _UNCONFIRMED_CROSSING_FACTOR))
    if kind == "new":
        factors.append(("no baseline position (new)", _NEW_FACTOR))
    if s.background:
        factors.append(("background recap", _BACKGROUND_FACTOR))
    return factors


def confidence(s: Statement, kind: ChangeKind, baseline: BaselinePosition | None = None) -> float:
    """How likely the change is right, from its evidence's make-up (calibrated on real sets)."""
    value = 1.0
    for _, factor in confidence_factors(s, kind, baseline):
        value *= factor
    return round(min(0.99, max(0.05, value)), 2)
