"""Decide per sentence and per article whether a text belongs to the watched story."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

from stancewatch.models import Watchlist
from stancewatch.positions.matching import term_matcher

SentenceScope = Literal["in", "out", "none"]

# How far a sentence without scope terms inherits the scope of the sentences before it.
_CARRY = 2
# Titles say what the article is about: they weigh like this many sentences.
_TITLE_WEIGHT = 2.0


class ScopeFinder:
    """Compiled once per watchlist: counts this-story and other-story terms in a sentence."""

    def __init__(self, watchlist: Watchlist, names: Mapping[str, Sequence[str]]) -> None:
        self.include = term_matcher(watchlist.scope.include, names)
        self.exclude = term_matcher(watchlist.scope.exclude, names)

    def classify(self, text: str) -> SentenceScope:
        """'in' when this story's terms outnumber other stories', 'out' when fewer, else 'none'."""
        inside = self.include.count(text) if self.include else 0
        outside = self.exclude.count(text) if self.exclude else 0
        return scope_of(inside, outside)


def scope_of(inside: int, outside: int) -> SentenceScope:
    """A sentence's scope from its counts of this-story and other-story terms."""
    if inside > outside:
        return "in"
    if outside > inside:
        return "out"
    return "none"


def effective_scopes(
    scopes: Sequence[SentenceScope], article: SentenceScope
) -> list[SentenceScope]:
    """Give sentences without scope terms the scope of a recent sentence, else the article's."""
    out: list[SentenceScope] = []
    last: SentenceScope = "none"
    since = _CARRY + 1
    for scope in scopes:
        if scope != "none":
            last, since = scope, 0
            out.append(scope)
            continue
        since += 1
        out.append(last if since <= _CARRY and last != "none" else article)
    return out


def article_relatedness(scopes: Sequence[SentenceScope], title: SentenceScope | None) -> float:
    """Share of scope-bearing sentences (title weighted) that belong to this story, 0..1."""
    inside = float(sum(1 for s in scopes if s == "in"))
    outside = float(sum(1 for s in scopes if s == "out"))
    if title == "in":
        inside += _TITLE_WEIGHT
    elif title == "out":
        outside += _TITLE_WEIGHT
    if inside + outside == 0:
        return 0.0
    return round(inside / (inside + outside), 3)
