"""Poll every file of feedparser's test corpus through the feed stage and print the timings.

Usage: .venv/bin/python benchmarks/feedparser_corpus.py [--slowest N]

Each file is served by a local HTTP server (with the headers its comment names) and polled
with stancewatch's client and parser, as a monitor run polls a feed. Prints how many gave
entries, parsed without usable items, or failed (with the reasons), and the slowest files.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from pytest_httpserver import HTTPServer  # noqa: E402

from stancewatch.ingest import HttpClient  # noqa: E402
from stancewatch.settings import Settings  # noqa: E402
from tests.conftest import LOOPBACK_ALLOW  # noqa: E402
from tests.ingest.corpus_sweep import sweep  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slowest", type=int, default=5)
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = HTTPServer(host="localhost", port=0)
    server.start()
    try:
        with HttpClient(Settings(fetch_allow=LOOPBACK_ALLOW, retries=0)) as client:
            results = sweep(server, client)
    finally:
        server.stop()
    with_entries = sum(1 for r in results if r.entries)
    failed = [r for r in results if r.failure]
    print(f"files: {len(results)}, crashed: 0 (poll_feed records every failure)")
    print(
        f"with entries: {with_entries}, parsed without usable items: "
        f"{len(results) - with_entries - len(failed)}, failed: {len(failed)}"
    )
    reasons = Counter(r.failure.split(":")[0] for r in failed if r.failure)
    print("failure classes:", dict(reasons))
    times = sorted(r.seconds for r in results)
    print(f"per file: median {statistics.median(times) * 1000:.1f} ms, total {sum(times):.1f} s")
    print(f"slowest {args.slowest}:")
    for result in sorted(results, key=lambda r: r.seconds, reverse=True)[: args.slowest]:
        print(f"  {result.seconds * 1000:7.1f} ms  {result.path}")


if __name__ == "__main__":
    main()
