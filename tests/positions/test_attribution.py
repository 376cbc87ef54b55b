"""Tests for reporting frames, quotes and local reference resolution."""

from __future__ import annotations

from pathlib import Path

import pytest

from stancewatch.positions.attribution import Discourse, find_frames, frame_at, quote_depths
from stancewatch.positions.mentions import MentionFinder
from stancewatch.positions.watchlist import load_watchlist

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture(scope="module")
def finder() -> MentionFinder:
    return MentionFinder(load_watchlist(SEEDS / "watchlist.toml"))


def frame_for(finder: MentionFinder, text: str, word: str) -> tuple[str, str | None]:
    mentions = finder.find(text)
    frame = frame_at(find_frames(text, mentions), text.index(word))
    assert frame is not None
    return frame.kind, frame.source.actor if frame.source else None


def test_named_inverted_unnamed_and_outsider_frames(finder: MentionFinder) -> None:
    assert frame_for(finder, "Blinken said Israel had agreed to the deal.", "agreed") == (
        "named",
        "united_states",
    )
    assert frame_for(finder, '"We will not withdraw," said Netanyahu.', "withdraw") == (
        "named",
        "israel",
    )
    assert frame_for(finder, "Sources close to Hamas said the group would accept.", "accept") == (
        "unnamed",
        "hamas",
    )
    assert frame_for(finder, "Analysts said Hamas would accept.", "accept")[0] == "outsider"
    assert frame_for(finder, "According to sources, Hamas would accept.", "accept")[0] == "unnamed"


def test_quote_depths_follow_open_and_close_marks() -> None:
    assert quote_depths(["He said, “We reject.", "All of it.”", "Then he left."]) == [
        (False, True),
        (True, False),
        (False, False),
    ]


def test_pronouns_resolve_to_speaker_or_recent_compatible_actor(finder: MentionFinder) -> None:
    discourse = Discourse(kinds={"hamas": "group", "israel": "state"})
    first = finder.find("Netanyahu met Hamas envoys.")
    discourse.remember(0, first)
    (he,) = [m for m in finder.find("He said no.") if m.pronoun]
    assert discourse.resolve(he, 1, [], None).actor == "israel"
    (group,) = [m for m in finder.find("The group said no.") if m.pronoun]
    assert discourse.resolve(group, 1, [], None).actor == "hamas"
    (title,) = [m for m in finder.find("The prime minister said no.") if m.kind == "title"]
    assert discourse.resolve(title, 1, [], None).actor == "israel"
    (far,) = [m for m in finder.find("He said no.") if m.pronoun]
    assert discourse.resolve(far, 9, [], None).actor is None  # too far back


def test_a_new_clause_with_its_own_speaker_ends_the_first_frame(finder: MentionFinder) -> None:
    text = "Hamas said it had accepted the proposal, but Israel said the text fell short."
    assert frame_for(finder, text, "fell short") == ("named", "israel")
    assert frame_for(finder, text, "accepted") == ("named", "hamas")
