"""Tests for reading rules: "no X without Y", hopes, evaluations, efforts, unnamed speakers."""

from __future__ import annotations

from stancewatch.positions.cues import ACCEPT, find_cues
from stancewatch.positions.reader import Reader
from tests.conftest import find


def test_no_deal_without_demands_what_it_lacks(reader: Reader) -> None:
    text = "Hamas said there would be no deal without a full withdrawal of Israeli troops."
    found = find(reader, text, "hamas", "troop_withdrawal")
    assert [(s.stance, s.score) for s in found] == [("demand", 1.0)]


def test_without_alone_is_no_cue() -> None:
    assert not find_cues("Talks went on without a break.")


def test_any_deal_had_to_include_after_adding_that(reader: Reader) -> None:
    text = (
        "Hamas said it was ready, adding that any agreement had to include a permanent "
        "ceasefire and the complete withdrawal of Israeli forces from the Gaza Strip."
    )
    assert [s.stance for s in find(reader, text, "hamas", "troop_withdrawal")] == ["demand"]
    assert [s.stance for s in find(reader, text, "hamas", "end_of_war")] == ["demand"]


def test_hoping_for_a_deal_supports_it(reader: Reader) -> None:
    text = "Biden said he hoped a truce could be in place by the start of Ramadan."
    assert [s.stance for s in find(reader, text, "united_states", "ceasefire_deal")] == ["accept"]


def test_viewing_positively_is_acceptance() -> None:
    cues = find_cues("Hamas said it viewed the proposal positively.")
    assert [(c.text, c.cls) for c in cues] == [("positively", ACCEPT)]
    assert find_cues("The talks went positively.")[0].cls != ACCEPT


def test_unnamed_spokesman_is_he_and_achievable_is_support(reader: Reader) -> None:
    text = (
        "A U.S. State Department spokesman said Washington was reviewing the response. "
        '"We believe an agreement is absolutely achievable," he said.'
    )
    found = find(reader, text, "united_states", "ceasefire_deal")
    assert [s.stance for s in found] == ["accept"]


def test_getting_it_done_refers_to_the_deal_just_named(reader: Reader) -> None:
    text = (
        'Blinken said a ceasefire agreement was "very close". '
        '"We are working around the clock with Qatar and Egypt to get this done," he said.'
    )
    found = find(reader, text, "united_states", "ceasefire_deal")
    assert [s.stance for s in found] == ["accept"]
    assert not find(reader, text, "qatar", "ceasefire_deal")


def test_what_a_plan_provides_for_is_no_stance(reader: Reader) -> None:
    text = (
        "Biden laid out a three-phase deal, beginning with a six-week truce during which "
        "Israeli forces would withdraw from populated areas and some hostages would be released."
    )
    assert not find(reader, text, "israel", "hostage_release")
    text = "During that stage, Israel and Hamas would negotiate the terms of the second phase."
    assert not find(reader, text, "israel", "negotiations")


def test_plan_content_marker() -> None:
    from stancewatch.positions.unasserted import plan_content

    text = "a truce during which forces would withdraw"
    assert plan_content(text, text.index("withdraw"))
    text = "Israel said it would withdraw"
    assert not plan_content(text, text.index("withdraw"))
