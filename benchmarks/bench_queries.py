"""Time the query commands on a large database: `positions` and `changes --since 7d`.

Usage: .venv/bin/python benchmarks/bench_queries.py [--statements 1000000] [--repeat 5]

Builds (once per size and schema version, under storage/bench/) a database holding
--statements statements over two years of articles (10 per article), a fifth of them with a
change, and one baseline, written through the store's own batch writes (so latest_statements
is kept as a run keeps it). Then prints the median query time of store.latest_positions and
store.list_changes(since 7 days) in this process, the median wall time of the two CLI commands
(interpreter start and imports included), and what one run batch (50 articles, 500 statements)
costs to write into that database, rolled back afterwards.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from stancewatch import store
from stancewatch.models import Article, Attribution, BaselinePosition, Change, Statement

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
ACTORS = ("israel", "hamas", "united_states", "qatar", "egypt", "palestinian_authority")
ISSUES = ("ceasefire", "hostages", "withdrawal", "end_of_war", "aid", "prisoners", "rafah")
STANCES = ("reject", "reject_if", "open", "accept_if", "accept")
VERSION = "bench-v1"
TWO_YEARS = timedelta(days=730)
CHUNK = 10_000  # articles per write batch while building


def baseline() -> list[BaselinePosition]:
    return [
        BaselinePosition(f"{a}:{i}", a, i, "reject", -1.0, "Seed sentence.", "seed.txt")
        for a in ACTORS
        for i in ISSUES
    ]


def generated(
    first: int, count: int, total: int, now: datetime, rng: random.Random
) -> tuple[list[Article], list[tuple[str, Statement]], list[tuple[str, Change]]]:
    """Articles first .. first+count-1 of `total`, spread evenly over two years up to `now`,
    with 10 statements each; every fifth sentence of one's own also gives a change."""
    by_id = {p.id: p for p in baseline()}
    articles, statements, changes = [], [], []
    for n in range(first, first + count):
        url = f"https://news.example/a/{n}"
        published = now - TWO_YEARS * (total - n) / total
        articles.append(
            Article(url, url, f"feed-{n % 50}", f"guid-{n}", f"Article {n}", None, published,
                    "en", f"Body of article {n}", "page", f"hash-{n}")
        )  # fmt: skip
        for index in range(10):
            s = n * 10 + index
            attribution: Attribution = (
                "third_party" if s % 7 == 0 else "reported" if s % 3 == 0 else "direct"
            )
            actor, issue = rng.choice(ACTORS), rng.choice(ISSUES)
            level = rng.randrange(len(STANCES))
            stance, score = STANCES[level], (level - 2) / 2.0
            sentence = f"Sentence {s}."
            statements.append(
                (url, Statement(actor, issue, stance, score, attribution, sentence, index,
                                background=s % 11 == 0))
            )  # fmt: skip
            if index % 5 == 0 and attribution != "third_party":
                kind = "reversal" if score > 0 else "softening" if score == 0 else "reaffirmed"
                changes.append(
                    (url, Change(actor, issue, kind, stance, score, sentence, attribution, 0.7,
                                 by_id[f"{actor}:{issue}"]))
                )  # fmt: skip
    return articles, statements, changes


def build(path: Path, statements: int) -> None:
    """Fill a new database through the store's batch writes (a few minutes for a million)."""
    articles = max(1, statements // 10)
    now = datetime.now(UTC)
    rng = random.Random(7)
    with store.open_db(path, publish=False) as con:
        store.save_baseline(con, baseline(), VERSION)
        for first in range(0, articles, CHUNK):
            batch = generated(first, min(CHUNK, articles - first), articles, now, rng)
            with store.transaction(con):
                store.add_articles(con, batch[0], "bench")
                store.add_statements(con, batch[1], "bench", VERSION)
                store.add_changes(con, batch[2], "bench", VERSION)


def write_cost_ms(path: Path, repeat: int) -> float:
    """Median ms to write one run batch (50 new articles, 500 statements, their changes) into
    the database, latest_statements upkeep included; each batch is rolled back."""
    rng = random.Random(3)
    with store.open_db(path, publish=False) as con:
        total = con.execute("SELECT count(*) FROM articles").fetchall()[0][0]
        now = datetime.now(UTC) + timedelta(hours=1)

        def one_batch() -> None:
            articles, statements, changes = generated(total, 50, total, now, rng)
            con.begin()
            try:
                store.add_articles(con, articles, "bench-batch")
                store.add_statements(con, statements, "bench-batch", VERSION)
                store.add_changes(con, changes, "bench-batch", VERSION)
            finally:
                con.rollback()

        return median_ms(one_batch, repeat)


def import_seconds(command: list[str], env: dict[str, str], repeat: int = 1) -> float:
    """Seconds a CLI command spends importing modules (the sum of top-level imports), the
    median of `repeat` runs."""
    totals = []
    for _ in range(repeat):
        result = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "stancewatch", *command],
            env=env,
            capture_output=True,
            text=True,
        )
        found = re.findall(r"import time:\s+\d+ \|\s+(\d+) \| \S", result.stderr)
        totals.append(sum(int(micros) for micros in found) / 1e6)
    return statistics.median(totals)


def median_ms(action: Callable[[], object], repeat: int) -> float:
    return timings_ms(action, repeat)[0]


def timings_ms(action: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median wall and median CPU milliseconds of `action` in this process (CPU counts
    DuckDB's threads too: on a shared machine it is the steadier figure)."""
    walls, cpus = [], []
    for _ in range(repeat):
        started, cpu = time.perf_counter(), time.process_time()
        action()
        walls.append((time.perf_counter() - started) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return statistics.median(walls), statistics.median(cpus)


def command_timings(
    command: list[str], env: dict[str, str], repeat: int, *, program: str = "stancewatch"
) -> tuple[float, float]:
    """Median wall and CPU seconds of a command in a fresh process, start-up included."""
    walls, cpus = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        proc = subprocess.Popen([str(BIN / program), *command], env=env, stdout=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        walls.append(time.perf_counter() - started)
        cpus.append(usage.ru_utime + usage.ru_stime)
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"{command} failed")
    return statistics.median(walls), statistics.median(cpus)


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
    load_before = os.getloadavg()
    with store.open_db(path, read_only=True) as con:
        counts = {
            table: con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
            for table in ("articles", "statements", "changes")
        }
        positions = timings_ms(lambda: store.latest_positions(con), args.repeat)
        changes = timings_ms(lambda: store.list_changes(con, since=since), args.repeat)
        found = len(store.list_changes(con, since=since))
    print(
        f"database: {counts['articles']} articles, {counts['statements']} statements, "
        f"{counts['changes']} changes; medians of {args.repeat}"
    )
    print(f"positions            query {positions[0]:6.1f} ms wall, {positions[1]:6.1f} ms CPU")
    print(
        f"changes --since 7d   query {changes[0]:6.1f} ms wall, {changes[1]:6.1f} ms CPU "
        f"({found} rows)"
    )
    # As installed for a user: modules are compiled once and read from __pycache__ after.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    wall, cpu = command_timings(["-c", "pass"], env, args.repeat, program="python")
    print(f"{'python -c pass':<28} command {wall:5.2f} s wall, {cpu:5.2f} s CPU (the interpreter)")
    commands = (
        ["--version"],
        ["positions", "--format", "json"],
        ["changes", "--since", "7d", "--format", "json"],
        ["positions"],  # a table: rich renders it
    )
    for command in commands:
        arguments = command if command == ["--version"] else [*command, "--db", str(path)]
        wall, cpu = command_timings(arguments, env, args.repeat)
        imports = import_seconds(arguments, env, args.repeat)
        label = " ".join(command).replace("--format ", "-f ")
        print(
            f"{label:<28} command {wall:5.2f} s wall, {cpu:5.2f} s CPU (start-up included); "
            f"imports {imports:4.2f} s"
        )
    batch_ms = write_cost_ms(path, args.repeat)
    print(f"write one run batch  {batch_ms:6.1f} ms (50 articles, 500 statements; rolled back)")
    print(f"load average         before {load_before}, after {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
