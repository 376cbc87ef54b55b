"""A recap marker counts for the cue's own clause, not for a modifier inside its object."""

from __future__ import annotations

import pytest

from stancewatch.positions.stance import background


@pytest.mark.parametrize(
    ("sentence", "cue", "recap"),
    [
        ("Velmar said it would restore the previously agreed truce.", "restore", False),
        ("Velmar would move to reinstate previously lifted harbour tolls.", "reinstate", False),
        ("Velmar accepted the originally drafted truce on Monday.", "accepted", False),
        ("Velmar previously accepted the truce.", "accepted", True),
        ("Velmar originally rejected the truce, officials said.", "rejected", True),
        ("Velmar had long rejected the truce.", "rejected", True),
    ],
)
def test_a_modifier_in_the_object_is_no_recap(sentence: str, cue: str, recap: bool) -> None:
    assert background(sentence, sentence.index(cue), reported_speech=False) == recap
