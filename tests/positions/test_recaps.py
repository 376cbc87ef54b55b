"""Recaps: a marker counts in the cue's own clause; a stance said to be given up turns round."""

from __future__ import annotations

import pytest

from stancewatch.positions import Reader, load_watchlist
from stancewatch.positions.stance import background
from tests.positions.watchlists import HARBOUR


@pytest.mark.parametrize(
    ("sentence", "cue", "recap"),
    [
        ("Velmar said it would restore the previously agreed truce.", "restore", False),
        ("Velmar would move to reinstate previously lifted harbour tolls.", "reinstate", False),
        ("Velmar accepted the originally drafted truce on Monday.", "accepted", False),
        ("Velmar previously accepted the truce.", "accepted", True),
        ("Velmar originally rejected the truce, officials said.", "rejected", True),
        ("Velmar had long rejected the truce.", "rejected", True),
        # A past act in a time clause, irregular verbs too; an earlier government's act.
        ("Talks resumed after Korin withdrew from the truce.", "withdrew", True),
        ("Korin left the truce talks during her first term.", "left", True),
        ("Korin withdrew from the truce on Monday.", "withdrew", False),
    ],
)
def test_a_modifier_in_the_object_is_no_recap(sentence: str, cue: str, recap: bool) -> None:
    assert background(sentence, sentence.index(cue), reported_speech=False) == recap


@pytest.mark.parametrize(
    ("sentence", "cue", "recap"),
    [
        # A contrast opens a clause of its own: the recap word before it does not reach it.
        ("Velmar had previously rejected the truce but accepted it on Monday.", "accepted", False),
        ("Velmar had previously rejected the truce but accepted it on Monday.", "rejected", True),
    ],
)
def test_a_contrast_starts_a_new_clause(sentence: str, cue: str, recap: bool) -> None:
    assert background(sentence, sentence.index(cue), reported_speech=False) == recap


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> Reader:
    path = tmp_path_factory.mktemp("harbour") / "watchlist.toml"
    path.write_text(HARBOUR)
    return Reader(load_watchlist(path))


@pytest.mark.parametrize(
    "text",
    [
        "Velmar had previously backed the truce but reversed course after the vote.",
        "Velmar had backed the truce for the harbour, then backtracked on Monday.",
        "Velmar had backed the truce but did a U-turn on Monday.",
        "Velmar had backed the truce but later backpedalled.",
    ],
)
def test_a_stance_given_up_is_news_of_its_opposite(reader: Reader, text: str) -> None:
    statements = [s for s in reader.read(text, judge_scope=False).statements]
    news = [(s.stance, s.background) for s in statements if not s.background]
    assert news == [("reject", False)]
    assert any(s.background and s.stance in ("accept", "support") for s in statements)


def test_a_stance_without_a_turnaround_is_kept(reader: Reader) -> None:
    text = "Velmar backed the truce and changed its envoy."
    assert [s.stance for s in reader.read(text, judge_scope=False).statements] == ["accept"]


def test_a_turnaround_turns_only_its_own_clause_holder(reader: Reader) -> None:
    text = "The Front accepted the truce, and Ostrava rejected it but later reversed course."
    news = {
        (s.actor, s.stance)
        for s in reader.read(text, judge_scope=False).statements
        if not s.background
    }
    assert ("front", "reject") not in news
    assert ("front", "accept") in news
    assert ("ostrava", "accept") in news
