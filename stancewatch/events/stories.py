"""Story clusters: near-duplicate articles (wire copy, light edits, new headlines) grouped by text.

Each article's body becomes a set of word 5-gram shingles, summarised by a MinHash signature
(one-permutation hashing with densification: one hash per shingle, SIGNATURE_BINS minimums).
Signatures are banded for locality-sensitive hashing, so only articles that share a band are
compared; a pair whose estimated Jaccard similarity reaches the threshold is the same story.
Hashes come from CRC-32 of words and tuple hashing of ints (never salted), so a signature
stored today matches one computed tomorrow.
"""

from __future__ import annotations

import re
import string
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from operator import and_, eq, rshift

SHINGLE_WORDS = 5
SIGNATURE_BINS = 128
BAND_ROWS = 4
#: Estimated Jaccard similarity of shingle sets from which two articles are one story. Wire
#: copy with a new headline and light edits keeps well above it; two reports of the same event
#: written separately share only a few phrases and stay far below.
SAME_STORY_SIMILARITY = 0.5

_MASK = (1 << 64) - 1
_BIN_BITS = SIGNATURE_BINS.bit_length() - 1
_VALUE_BITS = 64 - _BIN_BITS
_VALUE_MASK = (1 << _VALUE_BITS) - 1
# Punctuation separates words like spaces do ("deal." is "deal"). A regex, not str.translate:
# translate leaves its fast path on the first non-ASCII character and then costs ~2 ms per
# article (7x the regex), which a run of 5,000 pages paid in its events step.
_PUNCTUATION = re.compile(
    "[" + re.escape(string.punctuation + "\u2018\u2019\u201c\u201d\u2013\u2014\u2026") + "]"
)
_EMPTY = -1
_SLOTS = range(SIGNATURE_BINS)


@dataclass(frozen=True)
class StoryMatch:
    """Where one article landed: its story (the key of the story's first article) and how
    similar it is to the article that brought it there (1.0 for a story's first article)."""

    key: str
    story: str
    similarity: float


def shingle_hashes(text: str) -> set[int]:
    """64-bit hashes of the text's word 5-grams (lower case, punctuation ignored)."""
    words = list(map(zlib.crc32, map(str.encode, _PUNCTUATION.sub(" ", text.lower()).split())))
    if len(words) < SHINGLE_WORDS:
        words += [0] * (SHINGLE_WORDS - len(words)) if words else []
    # A tuple of ints hashes the same in every process (only str hashes are salted), and
    # hashing tuples made by zip keeps the whole loop in C.
    grams = zip(*(words[i:] for i in range(SHINGLE_WORDS)), strict=False)
    return set(map(and_, map(hash, grams), repeat(_MASK)))


def signature(text: str) -> tuple[int, ...]:
    """The text's MinHash signature: SIGNATURE_BINS values (all -1 for a text with no words).

    The top bits of a shingle's hash pick its bin, the rest is its value; a bin keeps its
    smallest value. Empty bins borrow from the next filled bin (rotation densification), tagged
    with the distance so that borrowed values only match values borrowed the same way.
    """
    hashes = sorted(shingle_hashes(text), reverse=True)
    if not hashes:
        return (_EMPTY,) * SIGNATURE_BINS
    # Walking the hashes from largest to smallest, the last one written per bin (the top bits)
    # is that bin's minimum; dict() does the walk in C.
    smallest = dict(zip(map(rshift, hashes, repeat(_VALUE_BITS)), hashes, strict=True))
    bins = [smallest[slot] & _VALUE_MASK if slot in smallest else _EMPTY for slot in _SLOTS]
    if len(smallest) == SIGNATURE_BINS:
        return tuple(bins)
    dense = list(bins)
    for slot in range(SIGNATURE_BINS):
        if bins[slot] != _EMPTY:
            continue
        distance = 1
        while bins[(slot + distance) % SIGNATURE_BINS] == _EMPTY:
            distance += 1
        borrowed = bins[(slot + distance) % SIGNATURE_BINS]
        dense[slot] = (borrowed + distance * 0x9E3779B97F4A7C15) & _VALUE_MASK
    return tuple(dense)


def similarity(a: Sequence[int], b: Sequence[int]) -> float:
    """Estimated Jaccard similarity of two signatures' shingle sets (0.0 .. 1.0)."""
    if not a or len(a) != len(b) or a[0] == _EMPTY or b[0] == _EMPTY:
        return 0.0
    matching: int = sum(map(eq, a, b))
    return matching / len(a)


def _bands(sig: Sequence[int]) -> Iterable[tuple[int, tuple[int, ...]]]:
    for band, start in enumerate(range(0, len(sig), BAND_ROWS)):
        yield band, tuple(sig[start : start + BAND_ROWS])


@dataclass
class StoryIndex:
    """Known articles' signatures, banded for lookup, and the story each belongs to.

    Articles are added one at a time, oldest first: a new article joins the story of the most
    similar known article at or above the threshold, or starts a story of its own.
    """

    threshold: float = SAME_STORY_SIMILARITY
    signatures: dict[str, tuple[int, ...]] = field(default_factory=dict)
    stories: dict[str, str] = field(default_factory=dict)
    _buckets: dict[tuple[int, tuple[int, ...]], list[str]] = field(default_factory=dict)

    def add_known(self, key: str, sig: Sequence[int], story: str) -> None:
        """Index an article whose story is already decided (e.g. read from the database)."""
        sig = tuple(sig)
        self.signatures[key] = sig
        self.stories[key] = story
        if sig and sig[0] != _EMPTY:
            for band in _bands(sig):
                self._buckets.setdefault(band, []).append(key)

    def best_match(self, sig: Sequence[int]) -> tuple[str, float] | None:
        """The most similar indexed article at or above the threshold, with its similarity."""
        if not sig or sig[0] == _EMPTY:
            return None
        candidates: set[str] = set()
        for band in _bands(sig):
            candidates.update(self._buckets.get(band, ()))
        best: tuple[str, float] | None = None
        for candidate in sorted(candidates):
            score = similarity(sig, self.signatures[candidate])
            if score >= self.threshold and (best is None or score > best[1]):
                best = (candidate, score)
        return best

    def add(self, key: str, sig: Sequence[int]) -> StoryMatch:
        """Place a new article in a story (an indexed key keeps its story) and index it."""
        if key in self.stories:
            return StoryMatch(key, self.stories[key], 1.0)
        match = self.best_match(sig)
        story, score = (self.stories[match[0]], match[1]) if match else (key, 1.0)
        self.add_known(key, sig, story)
        return StoryMatch(key, story, score)


def cluster(
    texts: Iterable[tuple[str, str]], *, threshold: float = SAME_STORY_SIMILARITY
) -> list[StoryMatch]:
    """Group (key, text) pairs, given oldest first, into stories; one StoryMatch per key."""
    index = StoryIndex(threshold=threshold)
    return [index.add(key, signature(text)) for key, text in texts]
