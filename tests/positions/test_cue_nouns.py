"""A cue word used as part of a noun ("stumbling blocks") states no stance."""

from __future__ import annotations

import pytest

from stancewatch.positions.cues import find_cues


@pytest.mark.parametrize(
    ("sentence", "cue_words"),
    [
        ("The harbour remains one of several stumbling blocks for a truce.", []),
        ("The tolls remain a stumbling-block for the truce.", []),
        ("Velmar blocked the truce on Monday.", ["blocked"]),
        ("Velmar blocks any truce that leaves the harbour open.", ["blocks"]),
    ],
)
def test_a_block_in_a_compound_noun_is_no_cue(sentence: str, cue_words: list[str]) -> None:
    found = [c.text for c in find_cues(sentence) if c.text.lower().startswith("block")]
    assert found == cue_words
