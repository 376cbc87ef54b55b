"""Tests for stancewatch.store.results: idempotent batches of articles, baselines, results."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pytest

from stancewatch.models import (
    Article,
    BaselinePosition,
    Change,
    Statement,
)
from stancewatch.store import (
    add_articles,
    add_changes,
    add_statements,
    delete_results_for_version,
    open_db,
    save_baseline,
    stored_articles,
)

URL = "https://news.example/story/1"


@pytest.fixture
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    with open_db(tmp_path / "watch.duckdb") as connection:
        yield connection


def article(n: int, **changes: object) -> Article:
    base = Article(
        url=f"https://news.example/story/{n}?ref=rss",
        canonical_url=f"https://news.example/story/{n}",
        feed_id="wire",
        guid=f"guid-{n}",
        title=f"Story {n}",
        author="A. Reporter",
        published=datetime(2024, 2, 7, 10, n, tzinfo=UTC),
        language="en",
        text=f"Paragraph one of story {n}.\n\nParagraph two.",
        text_source="page",
        content_hash=f"hash-{n}",
        http_status=200,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


BASE = BaselinePosition(
    id="seed-israel-withdrawal",
    actor="israel",
    issue="withdrawal",
    stance="reject",
    score=-1.0,
    text="Israel will not withdraw its forces.",
    seed_file="seeds/baseline/000.txt",
)


def statement(index: int = 0, **changes: object) -> Statement:
    base = Statement(
        actor="israel",
        issue="withdrawal",
        stance="accept_if",
        score=0.2,
        attribution="reported",
        sentence="Israel would consider a partial withdrawal, officials said.",
        sentence_index=index,
        source="officials",
        modality="conditional",
        condition="if hostages are released",
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def change(**changes: object) -> Change:
    base = Change(
        actor="israel",
        issue="withdrawal",
        kind="softening",
        stance="accept_if",
        score=0.2,
        evidence="Israel would consider a partial withdrawal, officials said.",
        attribution="reported",
        confidence=0.6,
        baseline=BASE,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    return int(con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0])


def test_articles_are_stored_once_per_canonical_url(con: duckdb.DuckDBPyConnection) -> None:
    batch = [article(1), article(2), article(1, title="Same URL, later copy")]

    assert add_articles(con, batch, "run-1") == 2
    assert add_articles(con, batch, "run-2") == 0

    assert stored_articles(con) == [article(1), article(2)]
    ids = con.execute("SELECT id FROM articles ORDER BY id").fetchall()
    assert [i for (i,) in ids] == [1, 2]


def test_article_fields_survive_the_round_trip(con: duckdb.DuckDBPyConnection) -> None:
    feed_article = article(
        3, text_source="feed", extract_note="page is empty", http_status=None, published=None
    )

    add_articles(con, [feed_article], "run-1")

    assert stored_articles(con) == [feed_article]
    fetched_at, run_id = con.execute("SELECT fetched_at, run_id FROM articles").fetchall()[0]
    assert run_id == "run-1" and fetched_at.tzinfo is not None


def test_baseline_is_saved_once_per_version_and_id(con: duckdb.DuckDBPyConnection) -> None:
    other = replace(BASE, id="seed-hamas-truce", actor="hamas", issue="truce", stance="propose")

    assert save_baseline(con, [BASE, other, BASE], "v1") == 2
    assert save_baseline(con, [BASE, other], "v1") == 0
    assert save_baseline(con, [BASE], "v2") == 1

    rows = con.execute(
        "SELECT baseline_version, positions FROM baseline_versions ORDER BY baseline_version"
    ).fetchall()
    assert rows == [("v1", 2), ("v2", 1)]
    assert _count(con, "baseline_positions") == 3


def test_statements_are_idempotent_per_article_sentence_and_version(
    con: duckdb.DuckDBPyConnection,
) -> None:
    rows = [(URL, statement(0)), (URL, statement(4)), (URL, statement(0))]

    assert add_statements(con, rows, "run-1", "v1") == 2
    assert add_statements(con, rows, "run-2", "v1") == 0
    assert add_statements(con, rows, "run-2", "v2") == 2

    stored = con.execute(
        "SELECT source, modality, condition, background, run_id FROM statements "
        "WHERE baseline_version = 'v1' AND sentence_index = 4"
    ).fetchall()
    assert stored == [("officials", "conditional", "if hostages are released", False, "run-1")]


def test_changes_are_idempotent_and_the_most_confident_is_kept(
    con: duckdb.DuckDBPyConnection,
) -> None:
    weak = change(confidence=0.4, evidence="weak sentence")
    strong = change(confidence=0.9, evidence="strong sentence")
    new = change(kind="new", issue="ceasefire", baseline=None)

    assert add_changes(con, [(URL, weak), (URL, strong), (URL, new)], "run-1", "v1") == 2
    assert add_changes(con, [(URL, strong), (URL, new)], "run-2", "v1") == 0

    rows = con.execute(
        "SELECT kind, evidence, baseline_id, baseline_stance, baseline_text, detected_at "
        "FROM changes ORDER BY kind"
    ).fetchall()
    assert [r[:5] for r in rows] == [
        ("new", new.evidence, None, None, None),
        ("softening", "strong sentence", BASE.id, "reject", BASE.text),
    ]
    assert all(r[5].tzinfo is not None for r in rows)


def test_delete_results_for_version_keeps_other_versions(con: duckdb.DuckDBPyConnection) -> None:
    for version in ("v1", "v2"):
        add_statements(con, [(URL, statement())], "run-1", version)
        add_changes(con, [(URL, change())], "run-1", version)

    delete_results_for_version(con, "v1")

    for table in ("statements", "changes"):
        versions = con.execute(f"SELECT DISTINCT baseline_version FROM {table}").fetchall()
        assert versions == [("v2",)]
    assert add_statements(con, [(URL, statement())], "run-2", "v1") == 1
    assert add_changes(con, [(URL, change())], "run-2", "v1") == 1


def test_baseline_keeps_the_seed_documents_date_and_source(
    con: duckdb.DuckDBPyConnection,
) -> None:
    dated = replace(BASE, seed_date=date(2024, 2, 7), seed_source="Wire Service")
    assert save_baseline(con, [dated], "v1") == 1
    rows = con.execute("SELECT seed_date, seed_source FROM baseline_positions").fetchall()
    assert rows == [(date(2024, 2, 7), "Wire Service")]
