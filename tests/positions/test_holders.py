"""Tests for finding whose stance a cue states."""

from __future__ import annotations

from pathlib import Path

import pytest

from stancewatch.positions.cues import find_cues
from stancewatch.positions.holders import find_holders, possessor
from stancewatch.positions.mentions import MentionFinder
from stancewatch.positions.units import Unit
from stancewatch.positions.watchlist import load_watchlist

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture(scope="module")
def finder() -> MentionFinder:
    return MentionFinder(load_watchlist(SEEDS / "watchlist.toml"))


def holders_of(finder: MentionFinder, text: str, cue_word: str) -> list[str | None]:
    unit = Unit(text, 0, False, mentions=finder.find(text))
    cue = next(c for c in find_cues(text) if c.text.lower().startswith(cue_word))
    return [m.actor for m in find_holders(text, cue.start, cue.end, cue, unit)]


def test_nearest_subject_passive_agent_and_fronted_clause(finder: MentionFinder) -> None:
    assert holders_of(finder, "Blinken said Israel had rejected the truce.", "rejected") == [
        "israel"
    ]
    assert holders_of(finder, "The truce was rejected by Israel on Monday.", "rejected") == [
        "israel"
    ]
    text = "Rejecting the offer, Netanyahu vowed to press on."
    assert holders_of(finder, text, "rejecting") == ["israel"]


def test_coordinated_subjects_and_relative_clauses(finder: MentionFinder) -> None:
    assert holders_of(finder, "Qatar and Egypt welcomed the truce.", "welcomed") == [
        "qatar",
        "egypt",
    ]
    text = "Egypt pressed Hamas over delegates who had rejected the truce."
    assert holders_of(finder, text, "rejected") == []


def test_possessor_of_a_nominal_cue(finder: MentionFinder) -> None:
    text = "Israel's refusal to withdraw angered Hamas."
    owner = possessor(text, text.index("refusal"), finder.find(text))
    assert owner is not None and owner.actor == "israel"


def test_nonrestrictive_relative_clause_takes_its_antecedent(finder: MentionFinder) -> None:
    text = "The push sets Hamas against Israel, which has called for total victory."
    assert holders_of(finder, text, "called for") == ["israel"]
    text = "The plan, which has called for a truce, was discussed by Hamas."
    assert holders_of(finder, text, "called for") == []


def test_coordinated_reporting_verb_shares_the_opening_subject(finder: MentionFinder) -> None:
    text = (
        "Hamas said the demand was a condition that Netanyahu had introduced, and reiterated "
        "that any agreement must include a withdrawal."
    )
    assert holders_of(finder, text, "must include") == ["hamas"]
