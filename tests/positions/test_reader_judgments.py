"""Tests for judging verbs, obligations, giving in to demands, and package anaphors."""

from __future__ import annotations

from stancewatch.positions.cues import DEMAND, REJECT, find_cues
from stancewatch.positions.issues import IssueMention
from stancewatch.positions.objects import asks_as_package, find_objects, means_object
from stancewatch.positions.reader import Reader
from stancewatch.positions.stance import condition_after
from tests.conftest import find


def test_unrealistic_is_a_rejecting_judgment() -> None:
    cues = find_cues('The office called the proposal "unrealistic".')
    assert [(c.text, c.cls) for c in cues] == [("unrealistic", REJECT)]


def test_the_subject_of_called_passes_the_judgment(reader: Reader) -> None:
    text = 'Netanyahu\'s office called the Hamas proposal "unrealistic" on Sunday.'
    assert [s.stance for s in find(reader, text, "israel", "ceasefire_deal")] == ["reject"]
    assert not find(reader, text, "hamas", "ceasefire_deal")


def test_described_as_a_non_starter(reader: Reader) -> None:
    text = "Israel described the offer as a non-starter."
    assert [s.stance for s in find(reader, text, "israel", "ceasefire_deal")] == ["reject"]


def test_obliged_to_respect_is_a_demand() -> None:
    cues = find_cues("Both sides were obliged to respect it.")
    assert [(c.text, c.cls) for c in cues] == [("obliged to respect", DEMAND)]


def test_and_that_is_a_coordinated_complement_not_a_relative(reader: Reader) -> None:
    text = (
        "Hamas responded that a signed agreement existed and that both sides were obliged "
        "to respect it."
    )
    assert [s.stance for s in find(reader, text, "hamas", "ceasefire_deal")] == ["demand"]


def _mention(start: int, end: int, issue: str, text: str) -> IssueMention:
    return IssueMention(start, end, issue, 1, False, True, text)


def test_the_terms_named_by_the_watchlist_beat_the_previous_sentence() -> None:
    text = "They urged both parties to stick to the terms."
    start = text.index(" the terms")
    terms = _mention(start + 1, start + 10, "ceasefire_deal", "the terms")
    earlier = _mention(0, 4, "hostage_release", "releases")
    assert find_objects(text, start, len(text), [terms], [earlier], False) == ([terms], False)


def test_the_response_still_refers_back() -> None:
    text = "Washington was reviewing the response."
    start = text.index(" the response")
    response = _mention(start + 1, start + 13, "ceasefire_deal", "the response")
    earlier = _mention(0, 5, "negotiations", "talks")
    assert find_objects(text, start, len(text), [response], [earlier], False) == (
        [earlier],
        True,
    )


def test_joint_statement_urging_the_terms_is_both_mediators(reader: Reader) -> None:
    text = (
        "Israel said future releases would be carried out safely. Egypt and Qatar said in a "
        "joint statement that they had obtained assurances from the group about the conduct "
        "of future handovers and urged both parties to stick to the terms."
    )
    for actor in ("egypt", "qatar"):
        assert not find(reader, text, actor, "hostage_release")
        assert find(reader, text, actor, "ceasefire_deal")


def test_will_not_bow_to_the_other_sides_demands_rejects_the_deal(reader: Reader) -> None:
    for text in (
        "Netanyahu said Israel will not cave in to Hamas's demands.",
        'Netanyahu said Israel would not "bow to Hamas\'s outlandish demands".',
    ):
        assert [s.stance for s in find(reader, text, "israel", "ceasefire_deal")] == ["reject"]


def test_giving_up_demands_is_not_giving_in_to_them(reader: Reader) -> None:
    assert not find(reader, "Hamas gave up its demands.", "hamas", "ceasefire_deal")


def test_giving_in_needs_a_package_issue() -> None:
    assert asks_as_package("bow to", "demands", 20, None) == []
    assert asks_as_package("welcomed", "demands", 20, "deal") == []
    [package] = asks_as_package("cave in to", "demands", 20, "deal")
    assert (package.start, package.end, package.issue) == (13, 20, "deal")


def test_a_condition_in_a_later_complement_clause_is_not_this_ones() -> None:
    text = "It would not bow to the demands, and that the offensive would go on if they refused."
    assert condition_after(text, text.index(" the demands")) is None
    assert condition_after("It would accept the deal if they agreed.", 10) is not None


def test_troops_must_remain_along_the_corridor_is_against_withdrawal(reader: Reader) -> None:
    text = (
        "Netanyahu has insisted this week that Israeli troops must remain along the "
        "Philadelphi corridor."
    )
    assert [s.stance for s in find(reader, text, "israel", "troop_withdrawal")] == ["reject"]


def test_the_subjects_own_proposal_is_proposed(reader: Reader) -> None:
    text = "Hamas has said it is waiting for Israel's response to its latest proposal."
    assert [s.stance for s in find(reader, text, "hamas", "ceasefire_deal")] == ["propose"]
    assert not find(reader, text, "israel", "ceasefire_deal")


def test_a_proposal_that_is_not_the_subjects_is_not_proposed(reader: Reader) -> None:
    text = "Hamas is waiting for a reply to the Egyptian proposal."
    assert not find(reader, text, "hamas", "ceasefire_deal")


def test_the_means_of_a_wanted_settlement_is_demanded() -> None:
    text = "China wanted the dispute over duties settled through a price agreement."
    start = text.index(" the dispute")
    where = text.index("a price agreement")
    price = _mention(where, where + 17, "minimum_price", "a price agreement")
    assert means_object(text, start, [price]) == [price]
    assert means_object("China wanted the dispute over duties to end.", 13, [price]) == []
