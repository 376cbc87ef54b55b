"""Time one monitor run of the demo four ways: `run`, `run --flow`, `serve`, a work-pool worker.

Usage: .venv/bin/python benchmarks/bench_modes.py [--keep DIR]

Starts, in a temporary directory: a `prefect server start` on a free loopback port (its own
PREFECT_HOME), the demo site (`stancewatch demo --serve`, edition 1, on a free port). Then each
mode runs the monitor once on the same feeds into a fresh database:

- `stancewatch run` (plain Python, no Prefect);
- `stancewatch run --flow` (the flow in the CLI's process, reporting to the server);
- `stancewatch serve` (a served deployment), triggered by `prefect deployment run`;
- a process work-pool worker running the `monitor-demo` deployment of deployments/prefect.yaml,
  triggered by `prefect deployment run`.

For each: wall time from the trigger (the command's start) to the run seen Completed, and the
flow run's own duration from the API (its start to end). Prefect's polling intervals are the
defaults (a served deployment and a worker look for runs every ~10 s) unless --poll-seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
TERMINAL = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@dataclass
class Timing:
    mode: str
    wall: float
    flow_run: float | None
    state: str
    articles: int | None
    load: str


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(probe: Callable[[], Any], what: str, limit: float, poll: float = 0.25) -> Any:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(poll)
    raise SystemExit(f"bench_modes: timed out after {limit:.0f} s waiting for {what}")


def load() -> str:
    return "{:.1f}/{:.1f}".format(*os.getloadavg()[:2])


class Bench:
    def __init__(self, work: Path, poll_seconds: float | None) -> None:
        self.work = work
        self.procs: list[subprocess.Popen[bytes]] = []
        self.api = ""
        self.env = {
            **os.environ,
            "PREFECT_HOME": str(work / "prefect-home"),
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "PREFECT_UI_ENABLED": "false",
            "STANCEWATCH_HOME": str(REPO),
            "STANCEWATCH_FETCH_ALLOW": "127.0.0.1",
        }
        self.env.pop("PREFECT_API_URL", None)
        if poll_seconds is not None:
            self.env["PREFECT_RUNNER_POLL_FREQUENCY"] = str(poll_seconds)
            self.env["PREFECT_WORKER_QUERY_SECONDS"] = str(poll_seconds)
        self.feeds_file = work / "site" / "demo-feeds.toml"

    # --- processes -----------------------------------------------------------------------

    def start(self, name: str, args: list[str]) -> subprocess.Popen[bytes]:
        log = (self.work / f"{name}.log").open("wb")
        proc = subprocess.Popen(args, env=self.env, cwd=REPO, stdout=log, stderr=subprocess.STDOUT)
        self.procs.append(proc)
        return proc

    def stop(self, proc: subprocess.Popen[bytes]) -> None:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        self.procs.remove(proc)

    def close(self) -> None:
        for proc in list(self.procs):
            self.stop(proc)

    def cli(self, *args: str) -> str:
        done = subprocess.run(
            list(args), env=self.env, cwd=REPO, capture_output=True, text=True, timeout=900
        )
        if done.returncode != 0:
            raise SystemExit(
                f"bench_modes: {args} failed:\n{done.stdout[-2000:]}{done.stderr[-3000:]}"
            )
        return done.stdout

    def get(self, path: str) -> httpx.Response:
        while True:  # a server busy with its database answers 503 for a moment
            response = httpx.get(f"{self.api}{path}", timeout=30)
            if response.status_code != 503:
                return response
            time.sleep(0.5)

    # --- set-up --------------------------------------------------------------------------

    def start_server(self) -> None:
        port = free_port()
        self.start(
            "server",
            [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        )
        self.api = f"http://127.0.0.1:{port}/api"

        def healthy() -> bool:
            try:
                return httpx.get(f"{self.api}/health", timeout=5).status_code == 200
            except httpx.HTTPError:
                return False

        wait_for(healthy, "the Prefect server", 600, poll=0.5)
        self.env["PREFECT_API_URL"] = self.api

    def start_site(self) -> None:
        port = free_port()
        site_db = self.feeds_file.parent / "demo.duckdb"
        self.start(
            "demo-site",
            [
                str(BIN / "stancewatch"), "demo", "--serve", "--port", str(port),
                "--db", str(site_db),
            ],
        )  # fmt: skip

        def up() -> bool:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    return self.feeds_file.exists()
            except OSError:
                return False

        wait_for(up, "the demo site", 300)

    # --- modes ---------------------------------------------------------------------------

    def db(self, mode: str) -> Path:
        return self.work / "db" / f"{mode}.duckdb"

    def run_args(self, mode: str) -> list[str]:
        return [
            "--seeds", str(REPO / "seeds"), "--feeds", str(self.feeds_file),
            "--db", str(self.db(mode)),
        ]  # fmt: skip

    def plain_run(self) -> Timing:
        started = time.monotonic()
        self.cli(str(BIN / "stancewatch"), "run", *self.run_args("run"))
        wall = time.monotonic() - started
        return Timing(
            "stancewatch run", wall, None, self.run_status("run"), self.articles("run"), load()
        )

    def flow_run(self) -> Timing:
        started = time.monotonic()
        out = self.cli(str(BIN / "stancewatch"), "run", "--flow", *self.run_args("run-flow"))
        wall = time.monotonic() - started
        flow_run_id = json.loads(out)["flow_run_id"]
        run = self.flow_run_record(flow_run_id)
        return self.timing("stancewatch run --flow", wall, run, "run-flow")

    def served(self) -> Timing:
        serve = self.start(
            "serve",
            [str(BIN / "stancewatch"), "serve", "--interval", "1440", *self.run_args("serve")],
        )
        wait_for(
            lambda: self.get("/deployments/name/monitor/stancewatch-monitor").status_code == 200,
            "the served deployment",
            600,
        )
        time.sleep(2)  # the runner starts polling right after registering the deployment
        try:
            return self.triggered("serve", "monitor/stancewatch-monitor", [], "serve")
        finally:
            self.stop(serve)

    def worker(self) -> Timing:
        prefect = str(BIN / "prefect")
        self.cli(prefect, "work-pool", "create", "stancewatch-local", "--type", "process")
        self.cli(
            prefect, "--no-prompt", "deploy", "--prefect-file", "deployments/prefect.yaml",
            "--name", "monitor-demo",
        )  # fmt: skip
        worker = self.start("worker", [prefect, "worker", "start", "--pool", "stancewatch-local"])

        def worker_seen() -> bool:
            response = httpx.post(
                f"{self.api}/work_pools/stancewatch-local/workers/filter", json={}, timeout=30
            )
            return response.status_code == 200 and bool(response.json())

        wait_for(worker_seen, "the worker's first heartbeat", 600)
        params = {"feeds_file": str(self.feeds_file), "db_path": str(self.db("worker"))}
        try:
            return self.triggered(
                "process worker (monitor-demo)",
                "monitor/monitor-demo",
                ["--params", json.dumps(params)],
                "worker",
            )
        finally:
            self.stop(worker)

    def triggered(self, mode: str, deployment: str, extra: list[str], db: str) -> Timing:
        started = time.monotonic()
        out = self.cli(str(BIN / "prefect"), "deployment", "run", deployment, *extra)
        match = UUID.search(out)
        if match is None:
            raise SystemExit(f"bench_modes: no flow run id in the output of deployment run:\n{out}")
        run = wait_for(lambda: self.finished(match.group(0)), f"the {mode} run", 900)
        return self.timing(mode, time.monotonic() - started, run, db)

    # --- reading the outcome -------------------------------------------------------------

    def finished(self, flow_run_id: str) -> dict[str, Any] | None:
        run: dict[str, Any] = self.get(f"/flow_runs/{flow_run_id}").json()
        return run if run["state_type"] in TERMINAL else None

    def flow_run_record(self, flow_run_id: str) -> dict[str, Any]:
        found: dict[str, Any] = wait_for(lambda: self.finished(flow_run_id), "the flow run", 120)
        return found

    def timing(self, mode: str, wall: float, run: dict[str, Any], db: str) -> Timing:
        begun, ended = run.get("start_time"), run.get("end_time")
        duration = None
        if begun and ended:
            duration = (
                datetime.fromisoformat(ended) - datetime.fromisoformat(begun)
            ).total_seconds()
        return Timing(mode, wall, duration, str(run["state_name"]), self.articles(db), load())

    def run_status(self, mode: str) -> str:
        """The database's own verdict on a run without Prefect (ok, partial or failed)."""
        from stancewatch import store

        with store.open_db(self.db(mode), read_only=True) as con:
            row = con.execute("SELECT status FROM runs ORDER BY started_at DESC LIMIT 1").fetchone()
        return f"{row[0]} (DuckDB)" if row else "unknown"

    def articles(self, mode: str) -> int | None:
        from stancewatch import store

        path = self.db(mode)
        if not path.exists():
            return None
        with store.open_db(path, read_only=True) as con:
            row = con.execute("SELECT count(*) FROM articles").fetchone()
        return int(row[0]) if row else None


def table(timings: list[Timing]) -> str:
    lines = [
        "| mode | wall: trigger → Completed (s) | flow run duration, API (s) | state | articles"
        " | load 1/5 min |",
        "|---|---|---|---|---|---|",
    ]
    for t in timings:
        flow = f"{t.flow_run:.1f}" if t.flow_run is not None else "— (no flow run)"
        lines.append(f"| {t.mode} | {t.wall:.1f} | {flow} | {t.state} | {t.articles} | {t.load} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="work in this directory and keep it (logs)")
    parser.add_argument(
        "--poll-seconds", type=float, help="how often serve and the worker look for runs"
    )
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-modes-"))
    work.mkdir(parents=True, exist_ok=True)
    (work / "db").mkdir(exist_ok=True)
    (work / "site").mkdir(exist_ok=True)
    bench = Bench(work, args.poll_seconds)
    try:
        print(f"load before: {load()} on {os.cpu_count()} cores; work dir {work}", flush=True)
        bench.start_server()
        bench.start_site()
        timings = []
        for mode in (bench.plain_run, bench.flow_run, bench.served, bench.worker):
            timings.append(mode())
            print(f"  {timings[-1]}", flush=True)
        print(table(timings))
    finally:
        bench.close()
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
