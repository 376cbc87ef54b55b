"""Time a run with nothing new: `stancewatch run` on N feeds that all answer 304, vs bare GETs.

Usage: .venv/bin/python benchmarks/bench_idle.py [--feeds 200] [--rounds 5] [--profile]

Serves N quiet RSS feeds from a threaded HTTP/1.1 server on 127.0.0.1 (keep-alive, ETags; the
site of bench_run.py), lets one run learn every ETag, then times in fresh subprocesses, in
alternating rounds:
  bare    one thread: import httpx, one conditional GET (If-None-Match) per feed
  run     `stancewatch run` on the same feeds (all 304): the whole command, start-up included
and prints the medians, the difference, and the run's import time (`python -X importtime`).
--profile also runs one idle poll under cProfile and prints where its time went.
"""

from __future__ import annotations

import argparse
import io
import os
import pstats
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench_run import STANCEWATCH, load_site, run_env, serve, stancewatch_run, timed, write_feeds

BARE = r"""
import sys
import httpx

base, feeds = sys.argv[1], int(sys.argv[2])
with httpx.Client(timeout=30) as client:
    for n in range(feeds):
        reply = client.get(f"{base}/idle/{n}.xml", headers={"If-None-Match": '"v1"'})
        assert reply.status_code == 304, reply.status_code
"""


def import_seconds(command: list[str], env: dict[str, str], repeat: int = 1) -> float:
    """Seconds the command spends importing modules (the sum of top-level imports), the
    median of `repeat` runs."""
    totals = []
    for _ in range(repeat):
        result = subprocess.run(
            [sys.executable, "-X", "importtime", *command], env=env, capture_output=True, text=True
        )
        total = 0
        for line in result.stderr.splitlines():
            match = re.match(r"import time:\s+\d+ \|\s+(\d+) \| (\S.*)$", line)
            if match and not match.group(2).startswith(" "):
                total += int(match.group(1))
        totals.append(total / 1e6)
    return statistics.median(totals)


PROFILED = r"""
import cProfile, sys, time
out = sys.argv[1]
sys.argv = ["stancewatch", *sys.argv[2:]]
profile = cProfile.Profile(time.process_time)  # CPU seconds: steadier on a shared machine
profile.enable()
try:
    from stancewatch.cli import app
    app()
except SystemExit:
    pass
profile.disable()
profile.dump_stats(out)
"""


def profile_summary(arguments: list[str], env: dict[str, str], top: int) -> str:
    """A CPU-time cProfile of one `stancewatch` command: its top entries by cumulative time
    (threads' CPU shows up as the main thread's waits on their locks)."""
    with tempfile.NamedTemporaryFile(suffix=".prof") as out:
        subprocess.run(
            [sys.executable, "-c", PROFILED, out.name, *arguments],
            env=env,
            check=True,
            capture_output=True,
        )
        text = io.StringIO()
        stats = pstats.Stats(out.name, stream=text)
        stats.sort_stats("cumulative").print_stats(top)
    return text.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=200, help="quiet feeds, all answering 304")
    parser.add_argument("--rounds", type=int, default=5, help="alternating rounds (median)")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of one poll")
    args = parser.parse_args()
    site = load_site(1, args.feeds)
    server, base = serve(site)
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="stancewatch-idle-") as tmp:
        work = Path(tmp)
        env = run_env(work, args.feeds)  # the first run takes every item
        # As installed for a user: modules are compiled once and read from __pycache__ after.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        feeds = write_feeds(
            work / "idle.toml", [(f"idle-{n}", f"{base}/idle/{n}.xml") for n in range(args.feeds)]
        )
        db = work / "idle.duckdb"
        first = stancewatch_run(feeds, db, env)  # learns every ETag, stores the one item each
        if first.returncode != 0:
            print(f"first run failed: {first.stderr[-2000:]}", file=sys.stderr)
            return 1
        bare_walls, bare_cpus, run_walls, run_cpus = [], [], [], []
        for _ in range(args.rounds):
            bare = timed([sys.executable, "-c", BARE, base, str(args.feeds)], env)
            if bare.returncode != 0:
                print(f"bare loop failed: {bare.stderr[-2000:]}", file=sys.stderr)
                return 1
            bare_walls.append(bare.wall)
            bare_cpus.append(bare.cpu)
            poll = stancewatch_run(feeds, db, env)
            if poll.returncode != 0:
                print(f"idle run failed: {poll.stderr[-2000:]}", file=sys.stderr)
                return 1
            run_walls.append(poll.wall)
            run_cpus.append(poll.cpu)
        command = ["-m", "stancewatch", "run", "--feeds", str(feeds), "--db", str(db)]
        imports = import_seconds(command, env, args.rounds)
        version_imports = import_seconds([str(STANCEWATCH), "--version"], env, args.rounds)
        profile = profile_summary(command[2:], env, 40) if args.profile else ""
    server.shutdown()
    bare_s, run_s = statistics.median(bare_walls), statistics.median(run_walls)
    print(f"idle poll of {args.feeds} feeds (all 304), medians of {args.rounds} rounds")
    print(
        f"bare conditional GETs   {bare_s:6.2f} s wall, CPU {statistics.median(bare_cpus):5.2f} s "
        "(python + httpx start-up included)"
    )
    print(
        f"stancewatch run         {run_s:6.2f} s wall, CPU {statistics.median(run_cpus):5.2f} s "
        f"(+{run_s - bare_s:.2f} s over bare)"
    )
    print(f"imports                 run {imports:5.2f} s, --version {version_imports:5.2f} s")
    print(f"load average            before {load_before}, after {os.getloadavg()}")
    if profile:
        print(profile)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
