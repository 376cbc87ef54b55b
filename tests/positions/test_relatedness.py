"""Tests for sentence scope and article relatedness."""

from __future__ import annotations

from stancewatch.models import Actor, Issue, Scope, Watchlist
from stancewatch.positions.relatedness import ScopeFinder, article_relatedness, effective_scopes

WATCHLIST = Watchlist(
    topic_id="t",
    topic_label="t",
    scope=Scope(include=("Gaza", "Hamas"), exclude=("Hezbollah", "Lebanon")),
    actors=(Actor(id="israel", name="Israel"),),
    issues=(Issue(id="deal", label="deal", terms=("ceasefire",)),),
)


def test_sentence_scope_counts_terms() -> None:
    scope = ScopeFinder(WATCHLIST, {})
    assert scope.classify("Israel and Hamas agreed on Gaza.") == "in"
    assert scope.classify("Israel and Hezbollah agreed a ceasefire in Lebanon.") == "out"
    assert scope.classify("Israel agreed a ceasefire.") == "none"
    assert scope.classify("Fighting in Gaza and Lebanon.") == "none"


def test_article_is_unrelated_when_mostly_out_of_scope() -> None:
    passing_mention = ["out", "out", "none", "in", "out"]
    assert article_relatedness(passing_mention, "out") < 0.5
    assert article_relatedness(["in", "none", "out"], "in") > 0.5
    assert article_relatedness(["none"], None) == 0.0


def test_unscoped_sentences_inherit_recent_scope() -> None:
    assert effective_scopes(["out", "none", "none", "none", "in"], "in") == [
        "out",
        "out",
        "out",
        "in",
        "in",
    ]
