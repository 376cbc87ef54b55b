"""Confidence bands: shifts read plainly sit high, new stances and risky crossings lower."""

from __future__ import annotations

from stancewatch.models import BaselinePosition, Statement
from stancewatch.positions.confidence import confidence


def _statement(
    stance: str, score: float, headline: bool = False, modality: str | None = None
) -> Statement:
    return Statement(
        "union",
        "contract",
        stance,
        score,
        "direct",
        "The union rejected the offer.",
        0,
        headline=headline,
        modality=modality,
    )


def _baseline(pinned: bool) -> BaselinePosition:
    return BaselinePosition(
        "B1", "union", "contract", "accept", 1.0, "The union accepted.", "s.txt", pinned=pinned
    )


def test_a_plain_shift_is_confident_and_a_new_stance_is_not() -> None:
    rejected = _statement("reject", -1.0)
    assert confidence(rejected, "hardening", _baseline(True)) >= 0.9
    assert confidence(rejected, "reversal", _baseline(True)) >= 0.9
    assert confidence(rejected, "new") < 0.8


def test_crossing_a_seed_read_position_weighs_less_than_a_confirmed_one() -> None:
    rejected = _statement("reject", -1.0)
    confirmed = confidence(rejected, "reversal", _baseline(True))
    read = confidence(rejected, "reversal", _baseline(False))
    assert read < 0.8 <= confirmed


def test_reported_headline_and_hedged_statements_weigh_less() -> None:
    plain = confidence(_statement("reject", -1.0), "hardening", _baseline(True))
    for weaker in (
        _statement("reject", -1.0, headline=True),
        _statement("reject", -1.0, modality="hedged"),
    ):
        assert confidence(weaker, "hardening", _baseline(True)) < plain
