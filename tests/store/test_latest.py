"""Tests for stancewatch.store.latest: the table stays what ranking every statement gives."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb

from stancewatch.models import Article, Attribution, Statement
from stancewatch.store import (
    add_articles,
    add_statements,
    delete_results_except,
    delete_results_for_version,
    forget_statements,
    latest_positions,
    open_db,
)

START = datetime(2024, 2, 7, 12, 0, tzinfo=UTC)
ACTORS = ("hamas", "israel", "qatar")
ISSUES = ("truce", "hostages")
STANCES = ("reject", "open", "accept_if", "demand")
ATTRIBUTIONS: tuple[Attribution, ...] = ("direct", "reported", "third_party")

# The rule latest_positions applied before the table existed: rank every own statement of a
# version by when it was stated (publication, else storage), then URL and sentence.
RANKED = """
    SELECT s.baseline_version, s.actor, s.issue, s.canonical_url, s.sentence_index, s.stance,
           s.sentence, coalesce(a.published, s.stored_at) AS stated_at
    FROM statements AS s LEFT JOIN articles AS a USING (canonical_url)
    WHERE NOT s.background AND s.attribution <> 'third_party'
    QUALIFY row_number() OVER (
        PARTITION BY s.baseline_version, s.actor, s.issue
        ORDER BY stated_at DESC, s.canonical_url DESC, s.sentence_index DESC, s.stance DESC) = 1
"""
KEPT = """
    SELECT baseline_version, actor, issue, canonical_url, sentence_index, stance, sentence,
           stated_at
    FROM latest_statements
"""


def article(name: str, published: datetime | None) -> Article:
    return Article(
        url=f"https://news.example/{name}",
        canonical_url=f"https://news.example/{name}",
        feed_id="wire",
        guid=name,
        title=f"Story {name}",
        author=None,
        published=published,
        language="en",
        text=f"Text of {name}.",
        text_source="page",
        content_hash=f"hash-{name}",
    )


def random_statements(rng: random.Random, count: int) -> list[Statement]:
    return [
        Statement(
            rng.choice(ACTORS),
            rng.choice(ISSUES),
            rng.choice(STANCES),
            0.0,
            rng.choice(ATTRIBUTIONS),
            f"Sentence {rng.randrange(1000)}.",
            rng.randrange(6),
            background=rng.random() < 0.2,
        )
        for _ in range(count)
    ]


def kept_and_ranked(con: duckdb.DuckDBPyConnection) -> tuple[set[tuple[object, ...]], ...]:
    return (set(con.execute(KEPT).fetchall()), set(con.execute(RANKED).fetchall()))


def test_latest_statements_match_ranking_every_statement_through_writes_edits_and_rescores(
    tmp_path: Path,
) -> None:
    rng = random.Random(11)
    names = [f"a{i}" for i in range(40)]
    with open_db(tmp_path / "latest.duckdb") as con:
        # Some articles have no publication date (stated when stored); two share a moment.
        articles = [
            article(name, None if i % 7 == 0 else START + timedelta(hours=rng.randrange(30)))
            for i, name in enumerate(names)
        ]
        add_articles(con, articles, "run-1")
        stored: dict[str, list[Statement]] = {}
        # Articles arrive in shuffled order, in batches, against two baseline versions.
        order = list(articles)
        rng.shuffle(order)
        for start in range(0, len(order), 7):
            batch = order[start : start + 7]
            for version in ("v1", "v2"):
                rows = []
                for a in batch:
                    said = stored.setdefault(a.canonical_url, random_statements(rng, 5))
                    rows += [(a.canonical_url, s) for s in said]
                add_statements(con, rows, f"run-{start}", version)
            kept, ranked = kept_and_ranked(con)
            assert kept == ranked and kept
        # Edited articles: their statements are dropped and their new text's stored.
        for a in rng.sample(articles, 12):
            forget_statements(con, a.canonical_url, "v1")
            kept, ranked = kept_and_ranked(con)
            assert kept == ranked
            if rng.random() < 0.5:
                add_statements(
                    con, [(a.canonical_url, s) for s in random_statements(rng, 3)], "edit", "v1"
                )
                kept, ranked = kept_and_ranked(con)
                assert kept == ranked
        # The same statements written again change nothing.
        before = kept_and_ranked(con)[0]
        add_statements(con, [(url, s) for url, said in stored.items() for s in said], "re", "v2")
        assert kept_and_ranked(con)[0] == before
        # rescore --replace keeps one version; forgetting a version forgets its latest.
        delete_results_except(con, "v2")
        kept, ranked = kept_and_ranked(con)
        assert kept == ranked and {row[0] for row in kept} == {"v2"}
        delete_results_for_version(con, "v2")
        assert kept_and_ranked(con) == (set(), set())


def test_an_edit_that_removes_the_latest_statement_gives_back_the_one_before(
    tmp_path: Path,
) -> None:
    with open_db(tmp_path / "edit.duckdb") as con:
        add_articles(con, [article("old", START), article("new", START + timedelta(days=1))], "r")
        old, new = "https://news.example/old", "https://news.example/new"
        add_statements(
            con,
            [
                (old, Statement("hamas", "truce", "reject", -1.0, "direct", "No.", 0)),
                (new, Statement("hamas", "truce", "open", 0.0, "direct", "Maybe.", 2)),
                (new, Statement("qatar", "truce", "open", 0.0, "direct", "Talks.", 3)),
            ],
            "r",
            "v1",
        )
        assert [(p["actor"], p["stance"]) for p in latest_positions(con)] == [
            ("hamas", "open"),
            ("qatar", "open"),
        ]

        forget_statements(con, new, "v1")

        (hamas,) = latest_positions(con)
    assert (hamas["actor"], hamas["stance"], hamas["evidence"]) == ("hamas", "reject", "No.")
    assert hamas["url"] == "https://news.example/old" and hamas["stated_at"] == START
