"""Tests for the stance-cue lexicon: classes, phrases before single words, nouns skipped."""

from __future__ import annotations

from stancewatch.positions import cues


def classes(text: str) -> list[str]:
    return [c.cls for c in cues.find_cues(text)]


def test_cue_classes_prefer_phrases() -> None:
    assert classes("Hamas backed away from its demand") == [cues.RETREAT, cues.DEMAND]
    assert classes("Israel ruled out a withdrawal") == [cues.REJECT]
    assert classes("Qatar suspended its mediation") == [cues.SUSPEND]
    assert classes("Israel is open to a pause") == [cues.OPEN]


def test_participles_after_determiners_are_not_cues() -> None:
    assert classes("the proposed deal") == []
    assert classes("its demand for a pullout") == [cues.DEMAND]


def test_post_nominal_judgments_keep_their_determiner() -> None:
    found = cues.find_cues('the offer was "a non-starter"')
    assert [c.cls for c in found] == [cues.REJECT]
    assert cues.POSTNOMINAL.search(found[0].text)


def test_open_ended_wording_is_an_intensifier() -> None:
    assert classes("troops will stay even after the war") == [cues.INTENSIFY]


def test_judgments_campaigns_and_continuing_efforts() -> None:
    assert classes('the duties were "indispensable"') == [cues.ACCEPT]
    assert classes("it regarded those investigations as unfounded") == [cues.REJECT]
    assert classes("France, among the strongest backers of the duties") == [cues.ACCEPT]
    assert classes("the association had lobbied against the measure") == [cues.REJECT]
    assert classes("Berlin has lobbied for a negotiated settlement") == [cues.DEMAND]
    assert classes("the search for a deal would go on.") == [cues.ACCEPT]
    assert classes("the search for a deal would go on to fail") == []
    assert classes("the United States remained fully invested in a deal") == [cues.ACCEPT]


def test_working_with_partners_is_support() -> None:
    assert classes("Qatar was working closely with Egypt to reach a deal") == [cues.ACCEPT]
    assert classes("Chinese firms work with local suppliers") == []


def test_agent_nouns_describe_their_subject_only() -> None:
    assert classes("France, the main champion of the duties") == [cues.ACCEPT]
    assert classes("arguments used by opponents of the duties") == []


def test_prepositional_support_is_not_a_cue() -> None:
    from stancewatch.positions.cues import find_cues

    assert [c.text for c in find_cues("Qatar and Egypt, with U.S. support, have led talks")] == []
    assert [c.text for c in find_cues("Egypt will support the plan")] == ["support"]


def test_taking_an_offer_and_effort_cues() -> None:
    from stancewatch.positions.cues import ACCEPT, find_cues

    assert [(c.text, c.cls) for c in find_cues("urged Hamas to take it")][-1] == ("take", ACCEPT)
    assert [c.cls for c in find_cues('remained "fully invested" in reaching a deal')] == [ACCEPT]
    assert [c.text for c in find_cues("its efforts were continuing.")] == ["were continuing"]
    assert [c.text for c in find_cues("to take the lead")] == []


def test_co_sponsoring_a_text_proposes_it() -> None:
    assert classes("Ostrava co-sponsored the truce proposal") == [cues.PROPOSE]
    assert classes("Ostrava cosponsored the truce proposal") == [cues.PROPOSE]
