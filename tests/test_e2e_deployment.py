"""End to end as the README's walkthrough: a real server, the monitor-demo deployment on a process
work pool, a worker, `stancewatch demo --serve`; runs triggered and awaited through the API."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from stancewatch import pipeline, store
from tests.conftest import BIN, REPO_ROOT, free_port, stop

RUN_LIMIT = 900  # seconds for one flow run to finish, worker start-up included
TERMINAL = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}


class Processes:
    """Background processes with their logs, shown when an assertion fails."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.running: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, name: str, args: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
        log = (self.directory / f"{name}.log").open("wb")
        proc = subprocess.Popen(args, env=env, cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT)
        self.running[name] = proc
        return proc

    def stop(self, name: str) -> None:
        stop(self.running.pop(name))

    def logs(self) -> str:
        parts = []
        for log in sorted(self.directory.glob("*.log")):
            parts.append(f"--- {log.name} (last 4000 characters) ---\n{log.read_text()[-4000:]}")
        return "\n".join(parts)


@pytest.fixture
def processes(tmp_path: Path) -> Iterator[Processes]:
    procs = Processes(tmp_path)
    try:
        yield procs
    finally:
        for name in list(procs.running):
            procs.stop(name)


def api_call(method: str, url: str, **kwargs: Any) -> httpx.Response:
    """One API request; a server busy with its own database answers 503 for a moment (seen
    under load), so ask again until a deadline instead of failing the walkthrough."""
    deadline = time.monotonic() + 60
    while True:
        response = httpx.request(method, url, timeout=30, **kwargs)
        if response.status_code != 503 or time.monotonic() > deadline:
            return response
        time.sleep(1)


def wait_until(probe: Callable[[], Any], what: str, limit: float, logs: Callable[[], str]) -> Any:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(1)
    raise AssertionError(f"timed out after {limit:.0f} s waiting for {what}\n{logs()}")


def test_demo_deployment_on_a_worker(
    prefect_server: str, processes: Processes, tmp_path: Path
) -> None:
    api = prefect_server
    env = {
        **os.environ,
        "PREFECT_API_URL": api,
        "PREFECT_HOME": str(tmp_path / "client-home"),
        "PREFECT_WORKER_QUERY_SECONDS": "2",
        "STANCEWATCH_HOME": str(REPO_ROOT),
        "STANCEWATCH_RETRIES": "0",
    }

    def cli(*args: str) -> str:
        done = subprocess.run(
            list(args), env=env, cwd=REPO_ROOT, capture_output=True, text=True, timeout=600
        )
        assert done.returncode == 0, f"{args}: {done.stdout[-2000:]}{done.stderr[-3000:]}"
        return done.stdout

    # The walkthrough: pool, deploy, demo site, worker.
    cli(str(BIN / "prefect"), "work-pool", "create", "stancewatch-local", "--type", "process")
    cli(
        str(BIN / "prefect"),
        "--no-prompt",
        "deploy",
        "--prefect-file",
        "deployments/prefect.yaml",
        "--name",
        "monitor-demo",
    )
    port = free_port()
    db_path = tmp_path / "storage" / "demo.duckdb"
    feeds_file = db_path.parent / "demo-feeds.toml"
    site_args = [str(BIN / "stancewatch"), "demo", "--serve", "--port", str(port)]
    processes.start("demo-site", [*site_args, "--db", str(db_path)], env)
    processes.start(
        "worker", [str(BIN / "prefect"), "worker", "start", "--pool", "stancewatch-local"], env
    )

    def site_up() -> bool:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return feeds_file.exists()
        except OSError:
            return False

    wait_until(site_up, "the demo site", 120, processes.logs)
    deployment = api_call("GET", f"{api}/deployments/name/monitor/monitor-demo").json()
    parameters = {"feeds_file": str(feeds_file), "db_path": str(db_path)}

    def trigger() -> dict[str, Any]:
        created = api_call(
            "POST",
            f"{api}/deployments/{deployment['id']}/create_flow_run",
            json={"parameters": parameters},
        )
        assert created.status_code in (200, 201), created.text
        run_id = created.json()["id"]

        def finished() -> dict[str, Any] | None:
            run: dict[str, Any] = api_call("GET", f"{api}/flow_runs/{run_id}").json()
            return run if run["state_type"] in TERMINAL else None

        result: dict[str, Any] = wait_until(
            finished, f"flow run {run_id}", RUN_LIMIT, processes.logs
        )
        return result

    try:
        first = trigger()
        assert (first["state_type"], first["state_name"]) == ("COMPLETED", "Partial"), first
        assert first["name"].startswith("monitor-israel-hamas-ceasefire-2024-")

        with store.open_db(db_path, read_only=True) as con:
            (run_row,) = store.list_runs(con)
            stored_articles = store.list_articles(con, since=None, limit=1000)
            made_events = {e["event_id"] for e in store.list_events(con, limit=10_000)}
        assert run_row["flow_run_id"] == first["id"] and run_row["status"] == "partial"
        assert len(stored_articles) == run_row["articles_stored"] > 0

        keys = {
            kind: pipeline.artifact_key("israel-hamas-ceasefire-2024", db_path, kind)
            for kind in ("run", "changes", "progress")
        }
        artifacts = api_call(
            "POST",
            f"{api}/artifacts/filter",
            json={"artifacts": {"flow_run_id": {"any_": [first["id"]]}}},
        ).json()
        by_key = {a["key"]: a for a in artifacts}
        assert set(keys.values()) <= set(by_key), sorted(by_key)
        table = json.loads(by_key[keys["changes"]]["data"])
        article_urls = {a["url"] for a in stored_articles}
        assert table["link"] and set(table["link"]) <= article_urls
        assert run_row["run_id"] in by_key[keys["run"]]["data"]

        def changed_events() -> list[dict[str, Any]]:
            body = {
                "filter": {
                    "event": {"name": [pipeline.POSITION_CHANGED]},
                    "any_resource": {"id": [f"stancewatch.run.{run_row['run_id']}"]},
                },
                "limit": 50,
            }
            page = api_call("POST", f"{api}/events/filter", json=body).json()
            events = list(page["events"])
            while page.get("next_page"):
                page = api_call("GET", page["next_page"]).json()
                events += page["events"]
            return events if len(events) >= len(made_events) else []

        events = wait_until(changed_events, "the change events", 120, processes.logs)
        # One per position event (each move once), not one per changed article.
        assert {e["payload"]["event_id"] for e in events} == made_events
        assert len(events) == len(made_events) > 0
        payload = events[0]["payload"]
        assert payload["url"] in article_urls and payload["evidence"]
        assert {"actor", "issue", "kind", "baseline", "confidence"} <= set(payload)

        second = trigger()  # every feed answers 304
        assert (second["state_type"], second["state_name"]) == ("COMPLETED", "Completed"), second

        processes.stop("demo-site")  # the demo feeds' port is closed now
        third = trigger()
        assert third["state_type"] == "FAILED", third
        state = api_call("GET", f"{api}/flow_runs/{third['id']}").json()["state"]
        assert "all 3 enabled feeds failed" in state["message"]
        with store.open_db(db_path, read_only=True) as con:
            statuses = [r["status"] for r in store.list_runs(con)]
        assert statuses == ["failed", "ok", "partial"]  # newest first
    except AssertionError as exc:
        raise AssertionError(f"{exc}\n{processes.logs()}") from exc
