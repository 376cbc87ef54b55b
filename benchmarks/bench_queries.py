"""Time the query commands on a large database: `positions` and `changes --since 7d`.

Usage: .venv/bin/python benchmarks/bench_queries.py [--statements 1000000] [--repeat 5]

Builds (once per size, under storage/bench/) a database with the current schema holding
--statements statements over two years of articles (10 per article), a fifth of them with a
change, and one baseline; then prints the median query time of store.latest_positions and
store.list_changes(since 7 days) in this process, and the median wall time of the two CLI
commands (interpreter start and imports included).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from stancewatch import store

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
ACTORS = ("israel", "hamas", "united_states", "qatar", "egypt", "palestinian_authority")
ISSUES = ("ceasefire", "hostages", "withdrawal", "end_of_war", "aid", "prisoners", "rafah")
STANCES = ("reject", "reject_if", "open", "accept_if", "accept")
VERSION = "bench-v1"


def build(path: Path, statements: int) -> None:
    """Fill a new database with generated rows, set-based (a minute for a million)."""
    articles = max(1, statements // 10)
    now = datetime.now(UTC)
    with store.open_db(path) as con, store.transaction(con):
        con.execute(
            """
            INSERT INTO baseline_versions VALUES ($v, $n, $now, $now)
            """,
            {"v": VERSION, "n": len(ACTORS) * len(ISSUES), "now": now},
        )
        con.execute(
            """
            INSERT INTO baseline_positions
            SELECT $v, a.actor || ':' || i.issue, a.actor, i.issue, 'reject', -1.0,
                   'Seed sentence.', 'seed.txt', 'direct', false, $now
            FROM (SELECT unnest($actors) AS actor) AS a, (SELECT unnest($issues) AS issue) AS i
            """,
            {"v": VERSION, "now": now, "actors": list(ACTORS), "issues": list(ISSUES)},
        )
        con.execute(
            """
            INSERT INTO articles (id, canonical_url, url, feed_id, guid, title, published,
                                  text, text_source, content_hash, fetched_at, run_id)
            SELECT i, 'https://news.example/a/' || i, 'https://news.example/a/' || i,
                   'feed-' || (i % 50), 'guid-' || i, 'Article ' || i,
                   $now - to_seconds(CAST(($n - i) * 63072000 / $n AS BIGINT)),
                   'Body of article ' || i, 'page', md5(i::VARCHAR),
                   $now - to_seconds(CAST(($n - i) * 63072000 / $n AS BIGINT)), 'bench'
            FROM range($n) AS t(i)
            """,
            {"n": articles, "now": now},
        )
        con.execute(
            """
            INSERT INTO statements
            SELECT 'https://news.example/a/' || (s // 10),
                   $actors[1 + (hash(s) % 6)::INTEGER], $issues[1 + (hash(s + 1) % 7)::INTEGER],
                   $stances[1 + (s % 5)::INTEGER], ((s % 5) - 2) / 2.0,
                   CASE WHEN s % 7 = 0 THEN 'third_party' WHEN s % 3 = 0 THEN 'reported'
                        ELSE 'direct' END,
                   'Sentence ' || s, s % 10, NULL, NULL, NULL, s % 11 = 0, $v, 'bench', $now
            FROM range($n) AS t(s)
            """,
            {
                "n": statements,
                "v": VERSION,
                "now": now,
                "actors": list(ACTORS),
                "issues": list(ISSUES),
                "stances": list(STANCES),
            },
        )
        con.execute(
            """
            INSERT INTO changes (canonical_url, actor, issue, kind, stance, score, baseline_id,
                                 baseline_stance, baseline_score, baseline_text, evidence,
                                 attribution, confidence, detected_at, baseline_version, run_id)
            SELECT DISTINCT ON (canonical_url, actor, issue)
                   canonical_url, actor, issue,
                   CASE WHEN score > 0 THEN 'reversal' WHEN score = 0 THEN 'softening'
                        ELSE 'reaffirmed' END,
                   stance, score, actor || ':' || issue, 'reject', -1.0, 'Seed sentence.',
                   sentence, attribution, 0.7, $now, $v, 'bench'
            FROM statements
            WHERE sentence_index % 5 = 0 AND attribution <> 'third_party'
            """,
            {"now": now, "v": VERSION},
        )


def median_ms(action: object, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()  # type: ignore[operator]
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--rebuild", action="store_true", help="build the database again")
    args = parser.parse_args()
    path = REPO / "storage" / "bench" / f"queries-{args.statements}-v{store.LATEST_VERSION}.duckdb"
    if args.rebuild or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        started = time.perf_counter()
        build(path, args.statements)
        print(f"built {path} in {time.perf_counter() - started:.0f} s")
    since = datetime.now(UTC) - timedelta(days=7)
    with store.open_db(path, read_only=True) as con:
        counts = {
            table: con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
            for table in ("articles", "statements", "changes")
        }
        positions_ms = median_ms(lambda: store.latest_positions(con), args.repeat)
        changes_ms = median_ms(lambda: store.list_changes(con, since=since), args.repeat)
        found = len(store.list_changes(con, since=since))
    print(
        f"database: {counts['articles']} articles, {counts['statements']} statements, "
        f"{counts['changes']} changes"
    )
    print(f"positions            query {positions_ms:6.1f} ms (median of {args.repeat})")
    print(f"changes --since 7d   query {changes_ms:6.1f} ms ({found} rows)")
    for command in (["positions"], ["changes", "--since", "7d"]):
        walls = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            subprocess.run(
                [str(BIN / "stancewatch"), *command, "--db", str(path), "--format", "json"],
                check=True,
                stdout=subprocess.DEVNULL,
            )
            walls.append(time.perf_counter() - started)
        label = " ".join(command)
        print(f"{label:<20} command {statistics.median(walls):5.2f} s wall (start-up included)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
