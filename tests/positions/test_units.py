"""Tests for the reading records and how a found stance becomes a Statement."""

from __future__ import annotations

from stancewatch.positions.attribution import Frame
from stancewatch.positions.issues import IssueMention
from stancewatch.positions.mentions import Mention
from stancewatch.positions.units import Found, Unit, polarised, to_statement


def mention(text: str, actor: str, start: int = 0) -> Mention:
    return Mention(start, start + len(text), text, "name", actor)


def found(holder: Mention, anchor: int) -> Found:
    issue = IssueMention(30, 35, "deal", 1, False, False, "truce")
    return Found(holder, issue, "accept", 1.0, anchor, None, False, None, False)


def test_polarised_flips_stances_on_the_opposite_wording() -> None:
    assert polarised("reject", -1.0, -1) == ("accept", 1.0)
    assert polarised("accept_if", 0.5, -1) == ("reject_unless", -0.5)
    assert polarised("open", 0.0, -1) == ("open", 0.0)


def test_attribution_direct_reported_and_third_party() -> None:
    text = "Blinken said Israel accepted the truce."
    israel = mention("Israel", "israel", 13)
    blinken = mention("Blinken", "united_states")
    unit = Unit(text, 0, False, mentions=[blinken, israel])
    unit.frames = [Frame(8, 12, blinken, "named", 12, len(text))]
    statement = to_statement(unit, found(israel, 20))
    assert statement.attribution == "third_party" and statement.source == "Blinken"
    unit.frames = [Frame(8, 12, None, "unnamed", 12, len(text))]
    assert to_statement(unit, found(israel, 20)).attribution == "reported"
    unit.frames = []
    assert to_statement(unit, found(israel, 20)).attribution == "direct"
