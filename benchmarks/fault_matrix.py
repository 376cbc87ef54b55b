"""Print the fault matrix: each hostile case alone through one monitor run, what was stored,
how long the run took and the process's peak memory.

Usage: .venv/bin/python benchmarks/fault_matrix.py [--case NAME]

Each case runs in its own process against the same
hostile servers the fault-matrix test uses (tests/hostile.py): a publisher on 127.0.0.1,
an "internal" host on 127.0.0.2 (never allowed) and a server trickling headers. The
transient cases (429, 500, refused, slow headers) are run twice to show the retry. Time is
the first run's wall time (seeds, engine and database included); for the bomb cases, memory
is the peak of Python allocations during that run (tracemalloc: every body, inflated byte
and parsed string), and tracing makes those runs slower.
"""

from __future__ import annotations

import argparse
import json
import logging
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pytest_httpserver import HTTPServer  # noqa: E402

from stancewatch import pipeline, store  # noqa: E402
from stancewatch.settings import Settings  # noqa: E402
from tests.conftest import LOOPBACK_ALLOW, SEEDS_DIR  # noqa: E402
from tests.hostile import (  # noqa: E402
    DTD_VARIANTS,
    SECRET,
    HostileSite,
    TrickleServer,
    feed_text,
    internal_server,
    item,
    rss,
    slow_headers,
)

BOMBS = {"stacked-gzip", "gzip-bomb", "huge-feed-text", *DTD_VARIANTS}
TRANSIENT = {"429-retry-after", "500-then-200", "connection-refused", "slow-headers"}
FEED_CASES = [*DTD_VARIANTS, "feed-410", "feed-dns", "feed-not-a-feed", "feed-internal"]
PAGE_CASES = [
    "ok", "404", "410", "429-retry-after", "500-then-200", "connection-refused", "empty-body",
    "redirect-loop", "redirect-non-http", "pdf", "image", "ssrf-link", "ssrf-decimal-ip",
    "ssrf-protocol-relative", "ssrf-redirect", "credentials-in-link", "slow-headers",
    "stacked-gzip", "gzip-bomb", "no-title-no-date", "huge-feed-text", "no-link", "same-guid",
]  # fmt: skip


def _query(settings: Settings, sql: str) -> list[dict[str, Any]]:
    with store.open_db(settings.db_path, read_only=True) as con:
        cursor = con.execute(sql)
        names = [d[0] for d in cursor.description or ()]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _feeds_for(case: str, site: HostileSite, server: HTTPServer) -> str:
    if case in site.feed_cases:
        return f'[[feeds]]\nid = "{case}"\nurl = "{site.feed_cases[case]}"\n'
    if case == "no-link":
        items = [item("No link", None, "no-link", feed_text(case))]
    elif case == "same-guid":
        items = [item("One", "/article/shared-main.html", "shared-guid", feed_text("one"))]
        twin = [item("Two", "/article/shared-twin.html", "shared-guid", feed_text("two"))]
        server.expect_request("/two.xml").respond_with_data(
            rss(twin), content_type="application/rss+xml"
        )
    elif case == "huge-feed-text":
        items = [item("Huge", site.page_cases[case], case, "word " * 2_000_000)]
    elif case == "no-title-no-date":
        items = [item(None, site.page_cases[case], case, feed_text(case), date=False)]
    else:
        items = [item(case, site.page_cases[case], case, feed_text(case))]
    server.expect_request("/one.xml").respond_with_data(
        rss(items), content_type="application/rss+xml"
    )
    feeds = f'[[feeds]]\nid = "one"\nurl = "{server.url_for("/one.xml")}"\n'
    if case == "same-guid":
        feeds += f'\n[[feeds]]\nid = "two"\nurl = "{server.url_for("/two.xml")}"\n'
    return feeds


def _describe(settings: Settings, case: str) -> tuple[str, str]:
    errors = _query(settings, "SELECT stage, error_class, message FROM item_errors ORDER BY id")
    entries = _query(settings, "SELECT status, attempts FROM entries")
    articles = _query(settings, "SELECT text_source, length(text) AS chars FROM articles")
    feeds = _query(settings, "SELECT id, disabled_reason, hard_failures FROM feeds")
    behaviour = "; ".join(
        f"{e['error_class']}: {e['message'][:70]}" for e in errors if e["stage"] != "run"
    )
    stored = []
    for article in articles:
        stored.append(f"article from {article['text_source']} ({article['chars']} chars)")
    for entry in entries:
        if entry["status"] != "done":
            stored.append(f"entry {entry['status']} after {entry['attempts']} attempt(s)")
    for feed in feeds:
        if feed["disabled_reason"]:
            stored.append("feed disabled")
        elif feed["hard_failures"]:
            stored.append(f"feed hard failure {feed['hard_failures']}/3")
    leaked = any(SECRET in str(_query(settings, f"SELECT * FROM {t}")) for t in ("articles",))
    if leaked:
        stored.append("INTERNAL CONTENT STORED")
    return behaviour or "ok", ", ".join(stored) or "nothing (error recorded)"


def run_case(case: str) -> dict[str, Any]:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = HTTPServer(host="localhost", port=0)
    server.start()
    try:
        with (
            internal_server() as internal,
            TrickleServer(slow_headers(400), delay=0.05) as trickle,
            tempfile.TemporaryDirectory() as tmp,
        ):
            site = HostileSite(server, internal, trickle)
            feeds = Path(tmp) / "feeds.toml"
            feeds.write_text(_feeds_for(case, site, server))
            settings = Settings(
                seeds_dir=SEEDS_DIR,
                feeds_file=feeds,
                db_path=Path(tmp) / "matrix.duckdb",
                fetch_allow=LOOPBACK_ALLOW,
                retries=0,
                read_timeout=5,
                total_deadline=1.5,
                min_text_chars=100,
            )
            # Python-level allocations of the run alone (bodies, inflated data, parsed text);
            # the servers' own bomb payloads are built before tracing starts.
            if case in BOMBS:
                tracemalloc.start()
            started = time.perf_counter()
            summary = pipeline.run_monitor(settings)
            seconds = time.perf_counter() - started
            peak = tracemalloc.get_traced_memory()[1] if case in BOMBS else None
            tracemalloc.stop()
            behaviour, stored = _describe(settings, case)
            if case in TRANSIENT:
                pipeline.run_monitor(settings)
                stored = f"run 1: {stored}; run 2: {_describe(settings, case)[1]}"
            internal_hits = len(internal.log)
    finally:
        server.stop()
    return {
        "case": case,
        "behaviour": behaviour,
        "stored": stored,
        "run_status": summary.status,
        "seconds": round(seconds, 2),
        "peak_mb": round(peak / 1e6, 1) if peak is not None else None,
        "internal_hits": internal_hits,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", help="run one case and print it as JSON")
    args = parser.parse_args()
    if args.case:
        print(json.dumps(run_case(args.case)))
        return
    print(
        "| case | behaviour (recorded failure) | what was stored | run "
        "| time s | peak MB (bomb cases, traced) |"
    )
    print("|---|---|---|---|---|---|")
    for case in PAGE_CASES + FEED_CASES:
        done = subprocess.run(
            [sys.executable, __file__, "--case", case], capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            print(f"| {case} | CRASHED: {done.stderr.strip().splitlines()[-1:]} | | | | |")
            continue
        row = json.loads(done.stdout.strip().splitlines()[-1])
        memory = row["peak_mb"] if row["peak_mb"] is not None else ""
        behaviour = row["behaviour"].replace("|", "/")
        print(
            f"| {case} | {behaviour} | {row['stored']} | {row['run_status']} "
            f"| {row['seconds']} | {memory} |"
        )


if __name__ == "__main__":
    main()
