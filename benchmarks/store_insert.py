"""Measure batch insert speed of the store: add_articles and add_statements, 20k rows each.

Usage: .venv/bin/python benchmarks/store_insert.py [--rows N] [--batch N]

Writes to a fresh DuckDB file in a temporary directory; prints rows per second for a first
insert (all rows new) and for a repeat of the same batches (all rows skipped as known).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

import duckdb

from stancewatch.models import Article, Statement
from stancewatch.store import add_articles, add_statements, open_db

T = TypeVar("T")
PARAGRAPH = "Negotiators met again on Tuesday; both sides said the talks were constructive. " * 12


def make_articles(count: int) -> list[Article]:
    start = datetime(2024, 2, 7, tzinfo=UTC)
    return [
        Article(
            url=f"https://news.example/story/{n}?ref=rss",
            canonical_url=f"https://news.example/story/{n}",
            feed_id=f"feed-{n % 25}",
            guid=f"guid-{n}",
            title=f"Story number {n}",
            author="A. Reporter",
            published=start + timedelta(minutes=n),
            language="en",
            text=PARAGRAPH,
            text_source="page",
            content_hash=f"{n:064x}",
            http_status=200,
        )
        for n in range(count)
    ]


def make_statements(count: int) -> list[tuple[str, Statement]]:
    return [
        (
            f"https://news.example/story/{n // 4}",
            Statement(
                actor=("israel", "hamas", "qatar", "egypt")[n % 4],
                issue="end_of_war",
                stance="accept_if",
                score=0.25,
                attribution="reported",
                sentence=f"Sentence {n}: the delegation said it could accept a phased truce.",
                sentence_index=n % 40,
                source="officials",
            ),
        )
        for n in range(count)
    ]


def timed(
    label: str,
    con: duckdb.DuckDBPyConnection,
    write: Callable[[duckdb.DuckDBPyConnection, Sequence[T]], int],
    rows: Sequence[T],
    batch: int,
) -> None:
    started = time.perf_counter()
    stored = sum(write(con, rows[i : i + batch]) for i in range(0, len(rows), batch))
    elapsed = time.perf_counter() - started
    print(
        f"{label:34s} {len(rows):>7} rows  {stored:>7} stored  "
        f"{elapsed:6.2f} s  {len(rows) / elapsed:>9,.0f} rows/s"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=1_000, help="rows per call")
    args = parser.parse_args()
    articles = make_articles(args.rows)
    statements = make_statements(args.rows)

    def write_articles(con: duckdb.DuckDBPyConnection, chunk: Sequence[Article]) -> int:
        return add_articles(con, chunk, "bench")

    def write_statements(
        con: duckdb.DuckDBPyConnection, chunk: Sequence[tuple[str, Statement]]
    ) -> int:
        return add_statements(con, chunk, "bench", "v1")

    with tempfile.TemporaryDirectory() as tmp, open_db(Path(tmp) / "bench.duckdb") as con:
        print(f"batches of {args.batch} rows")
        timed("add_articles (new)", con, write_articles, articles, args.batch)
        timed("add_articles (all known)", con, write_articles, articles, args.batch)
        timed("add_statements (new)", con, write_statements, statements, args.batch)
        timed("add_statements (all known)", con, write_statements, statements, args.batch)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
