"""Tests for goals stated as an end point or a purpose."""

from __future__ import annotations

from pathlib import Path

import pytest

from stancewatch.positions.reader import Reader
from stancewatch.positions.watchlist import load_watchlist

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture(scope="module")
def reader() -> Reader:
    return Reader(load_watchlist(SEEDS / "watchlist.toml"))


def read(reader: Reader, text: str) -> set[tuple[str, str, str]]:
    statements = reader.read(text, title="", judge_scope=False).statements
    return {(s.actor, s.issue, s.stance) for s in statements}


def test_until_end_point_is_a_demand(reader: Reader) -> None:
    assert ("israel", "eliminate_hamas", "demand") in read(
        reader, "Netanyahu has said the war will go on until Hamas is destroyed."
    )
    assert ("united_states", "ceasefire_deal", "demand") in read(
        reader,
        "Blinken said Washington would keep working with Qatar until an agreement was reached.",
    )


def test_narrated_until_is_not_a_goal(reader: Reader) -> None:
    assert read(reader, "The ceasefire held until Hamas was defeated, Israel said.") == set()


def test_purpose_of_a_course_is_a_demand(reader: Reader) -> None:
    assert ("israel", "eliminate_hamas", "demand") in read(
        reader,
        "Netanyahu said Israel would resume fighting later to complete the destruction of Hamas.",
    )


def test_coercion_kept_until_an_agreement_is_a_means_not_a_demand(reader: Reader) -> None:
    found = read(
        reader,
        "Netanyahu said the military pressure on Hamas would go on until an agreement is reached.",
    )
    assert ("israel", "ceasefire_deal", "demand") not in found
    assert ("israel", "eliminate_hamas", "demand") in read(
        reader, "Netanyahu said the fighting would continue until Hamas was defeated."
    )
