"""Tests for the stance-cue lexicon: classes, phrases before single words, nouns skipped."""

from __future__ import annotations

from stancewatch import cues


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
