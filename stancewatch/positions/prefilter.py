"""Cheap word tests that skip a slow case-insensitive regex where it cannot match."""

from __future__ import annotations

import re

# Letters outside ASCII that re.IGNORECASE matches to ASCII ones although lower() does not
# turn them into those letters ("ſ" matches "s"): a text holding one is never ruled out.
_ODD_FOLDS = re.compile("[İıſ]")


class Needs:
    """The lower-case words every match of a case-insensitive regex contains one of.

    A text that lacks them all cannot match; testing for the words (one plain alternation over
    the lower-cased text) is far cheaper than the regex's attempt at every position.
    """

    def __init__(self, words: str) -> None:
        """words: the lower-case words, separated by "|" (no regex: each is taken literally)."""
        self._any = re.compile("|".join(re.escape(w) for w in words.split("|")))

    def absent(self, text: str) -> bool:
        """Whether text holds none of the words, in any case."""
        lowered = text.lower()
        if self._any.search(lowered) is not None:
            return False
        return lowered.isascii() or _ODD_FOLDS.search(text) is None
