"""Tests for finding actor mentions: names, roles, people, titles, adjectives, pronouns."""

from __future__ import annotations

from pathlib import Path

import pytest

from stancewatch.positions.mentions import MentionFinder
from stancewatch.positions.watchlist import load_watchlist
from tests.positions.watchlists import HARBOUR

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture(scope="module")
def finder() -> MentionFinder:
    return MentionFinder(load_watchlist(SEEDS / "watchlist.toml"))


def test_names_people_and_roles(finder: MentionFinder) -> None:
    found = finder.find("Benjamin Netanyahu and the Israeli military met Hamas officials.")
    summary = [(m.text, m.kind, m.actor) for m in found]
    assert ("Benjamin Netanyahu", "person", "israel") in summary
    assert ("the Israeli military", "role", "israel") in summary
    assert ("Hamas", "role", "hamas") in summary  # a name followed by "officials" speaks


def test_adjective_speaks_only_before_an_agent_noun(finder: MentionFinder) -> None:
    (official,) = [m for m in finder.find("An Israeli official said so.") if m.actor]
    assert official.kind == "adjective" and official.subject
    (strikes,) = [m for m in finder.find("Israeli strikes hit the city.") if m.actor]
    assert not strikes.subject


def test_possessive_and_prepositional_mentions_are_not_subjects(finder: MentionFinder) -> None:
    found = {m.text: m for m in finder.find("Hamas’s offer was sent to Qatar by Egypt.")}
    assert found["Hamas"].possessive and not found["Hamas"].subject
    assert not found["Qatar"].subject


def test_shared_title_stays_unresolved_and_pronouns_are_marked(finder: MentionFinder) -> None:
    found = finder.find("The prime minister said he would not go.")
    title = next(m for m in found if m.kind == "title")
    assert title.actor is None and {a for a, _ in title.candidates} == {"israel", "qatar"}
    assert any(m.pronoun == "person" for m in found)


def test_hyphenated_compounds_are_not_mentions(finder: MentionFinder) -> None:
    assert [m for m in finder.find("the Hamas-run ministry") if m.actor] == []


def test_as_opens_a_clause_before_a_verb_past_an_agent_noun(tmp_path: Path) -> None:
    path = tmp_path / "watchlist.toml"
    path.write_text(HARBOUR)
    finder = MentionFinder(load_watchlist(path))
    (verb,) = [m for m in finder.find("Talks went on as Velmari officials accepted it.") if m.actor]
    assert verb.subject
    (noun,) = [m for m in finder.find("Talks went on as Velmari officials looked on.") if m.actor]
    assert noun.subject
    (none,) = [m for m in finder.find("She spoke as Velmari officials in exile.") if m.actor]
    assert not none.subject
