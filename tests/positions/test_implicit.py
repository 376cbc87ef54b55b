"""Tests for stances stated without a stance verb."""

from __future__ import annotations

from pathlib import Path

import pytest

from stancewatch.positions.implicit import implicit_stances
from stancewatch.positions.issues import IssueFinder
from stancewatch.positions.mentions import MentionFinder
from stancewatch.positions.units import Unit
from stancewatch.positions.watchlist import load_watchlist

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture(scope="module")
def finders() -> tuple[MentionFinder, IssueFinder]:
    watchlist = load_watchlist(SEEDS / "watchlist.toml")
    mentions = MentionFinder(watchlist)
    return mentions, IssueFinder(watchlist, mentions.names_of(watchlist))


def stances(finders: tuple[MentionFinder, IssueFinder], text: str) -> list[tuple[str, str, str]]:
    mentions, issues = finders
    unit = Unit(text, 0, False, mentions=mentions.find(text), issues=issues.find(text))
    out = []
    for obj in unit.issues:
        out += [
            (f.holder.actor or "", f.issue.issue, f.label)
            for f in implicit_stances(text, obj, unit)
        ]
    return out


def test_modal_actions(finders: tuple[MentionFinder, IssueFinder]) -> None:
    assert stances(finders, "Israel will not withdraw its troops.") == [
        ("israel", "troop_withdrawal", "reject")
    ]
    assert stances(finders, "Hamas would release the hostages.") == [
        ("hamas", "hostage_release", "commit")
    ]
    assert stances(finders, "The plan would bring the hostages home.") == []


def test_laden_phrases_and_agent_nouns(finders: tuple[MentionFinder, IssueFinder]) -> None:
    assert ("israel", "eliminate_hamas", "support") in stances(
        finders, "Netanyahu promised total victory."
    )
    joint = stances(finders, "Mediators from Qatar and Egypt met.")
    assert ("qatar", "negotiations", "support") in joint and (
        "egypt",
        "negotiations",
        "support",
    ) in joint


def test_reporter_expectation_and_outsider_narration(
    finders: tuple[MentionFinder, IssueFinder],
) -> None:
    from stancewatch.positions.attribution import find_frames

    mentions, issues = finders
    for text in (
        "Mediators from Qatar and Egypt were expected to hold further contacts with both sides.",
        "Qatar and Egypt have continued contacts with both sides, according to diplomats.",
    ):
        found = mentions.find(text)
        unit = Unit(text, 0, False, mentions=found, issues=issues.find(text))
        unit.frames = find_frames(text, found)
        assert [f for obj in unit.issues for f in implicit_stances(text, obj, unit)] == []


def test_content_of_a_position_noun_is_not_the_subjects(
    finders: tuple[MentionFinder, IssueFinder],
) -> None:
    assert stances(finders, "Hamas said the demand to remain in the corridor was new.") == []
