"""Measure what publishing the read snapshot costs a write step, by database size.

Usage: .venv/bin/python benchmarks/snapshot_publish.py [--articles 2000 20000 …] [--repeat 3]

Fills a fresh DuckDB file with N articles of ~1 KB text (benchmarks/store_insert.py's
records), then times a write step that adds one article with and without publishing the
snapshot; prints the file size and the median extra milliseconds the snapshot adds.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from store_insert import make_articles

from stancewatch.store import add_articles, open_db


def timed_step(db: Path, n: int, *, publish: bool) -> float:
    article = replace(
        make_articles(1)[0],
        canonical_url=f"https://news.example/extra/{n}",
        url=f"https://news.example/extra/{n}",
        content_hash=f"extra-{n}",
    )
    started = time.perf_counter()
    with open_db(db, publish=publish) as con:
        add_articles(con, [article], "bench")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, nargs="+", default=[2_000, 20_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    for count in args.articles:
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "bench.duckdb"
            with open_db(db, publish=False) as con:
                articles = make_articles(count)
                for start in range(0, count, 5_000):
                    add_articles(con, articles[start : start + 5_000], "fill")
            plain, published = [], []
            for n in range(args.repeat):
                plain.append(timed_step(db, 2 * n, publish=False))
                published.append(timed_step(db, 2 * n + 1, publish=True))
            size_mb = db.stat().st_size / 1e6
            extra_ms = (statistics.median(published) - statistics.median(plain)) * 1000
            print(
                f"{count:>7} articles, {size_mb:7.1f} MB: write step "
                f"{statistics.median(plain) * 1000:6.0f} ms, with snapshot "
                f"{statistics.median(published) * 1000:6.0f} ms (+{extra_ms:.0f} ms)"
            )


if __name__ == "__main__":
    main()
