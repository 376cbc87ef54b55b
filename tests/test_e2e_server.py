"""End to end: a real `prefect server start` on loopback, the CLI running the flow against it."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

from stancewatch.settings import Settings
from tests.conftest import NewsSite

BIN = Path(sys.executable).parent
T = TypeVar("T")
TERMINAL = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}


def input_args(settings: Settings) -> list[str]:
    return [
        "--seeds",
        str(settings.seeds_dir),
        "--feeds",
        str(settings.feed_list_path),
        "--db",
        str(settings.db_path),
    ]


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()


def unused_port() -> int:
    """A port nobody listens on right now; `start_server` retries if it is taken meanwhile."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(home: Path, env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    """`prefect server start` on a free port; a port taken between the probe and the bind
    (another test, another process) makes the server exit, and the next port is tried."""
    log_path = home / "server.log"
    for _ in range(3):
        port = unused_port()
        with log_path.open("w") as log:
            proc = subprocess.Popen(
                [
                    str(BIN / "prefect"),
                    "server",
                    "start",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                ],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        api = f"http://127.0.0.1:{port}/api"
        # Readiness, not speed: start-up (migrations, imports) takes minutes on a loaded
        # 2-core machine; a server that dies is noticed at once by poll().
        deadline = time.monotonic() + 300
        while proc.poll() is None and time.monotonic() < deadline:
            try:
                if httpx.get(f"{api}/health", timeout=15).status_code == 200:
                    return proc, api
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        stop(proc)
        if "address already in use" not in log_path.read_text().lower():
            break
    raise RuntimeError(f"prefect server did not become healthy:\n{log_path.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def prefect_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home = tmp_path_factory.mktemp("prefect-server-home")
    env = {
        **os.environ,
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_UI_ENABLED": "false",
    }
    env.pop("PREFECT_API_URL", None)
    proc, api = start_server(home, env)
    try:
        yield api
    finally:
        stop(proc)


def api_call(method: str, api: str, path: str, body: dict[str, Any] | None = None) -> Any:
    """One API request; a server busy with its own database answers 503 for a moment, so
    those (and dropped connections) are asked again until a deadline."""
    deadline = time.monotonic() + 120
    while True:
        try:
            response = httpx.request(method, f"{api}{path}", json=body, timeout=30)
            if response.status_code != 503:
                response.raise_for_status()
                return response.json()
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"{method} {path}: the Prefect API stayed unavailable")
        time.sleep(0.5)


def api_post(api: str, path: str, body: dict[str, Any]) -> Any:
    return api_call("POST", api, path, body)


def runs_of_database(api: str, settings: Settings) -> list[dict[str, Any]]:
    """The flow runs of this test only: the server is shared by the module's tests."""
    runs = api_post(api, "/flow_runs/filter", {})
    return [r for r in runs if r["parameters"].get("db_path") == str(settings.db_path)]


def test_cli_run_flow_is_recorded_by_the_server(
    prefect_server: str, site: NewsSite, settings: Settings, tmp_path: Path
) -> None:
    env = {
        **os.environ,
        "PREFECT_API_URL": prefect_server,
        "PREFECT_HOME": str(tmp_path / "client-home"),
        "STANCEWATCH_RETRIES": "0",
    }
    result = subprocess.run(
        [
            str(BIN / "stancewatch"),
            "run",
            "--flow",
            *input_args(settings),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert json.loads(result.stdout)["articles_stored"] == 3

    (flow_run,) = runs_of_database(prefect_server, settings)
    assert (flow_run["state_type"], flow_run["state_name"]) == ("COMPLETED", "Partial")
    in_this_run = {"flow_runs": {"id": {"any_": [flow_run["id"]]}}}
    tasks = api_post(prefect_server, "/task_runs/filter", in_this_run)
    names = {t["name"].split("[")[0] for t in tasks}
    assert {"poll-feeds", "process-pages", "store-pages", "finish-run"} <= names
    by_name = {t["name"]: t for t in tasks}
    # The graph's edges: each call waits for the previous one's task run.
    store_inputs = by_name["store-pages[1/1]"]["task_inputs"]
    upstream = {i["id"] for inputs in store_inputs.values() for i in inputs if "id" in i}
    assert by_name["process-pages[1/1]"]["id"] in upstream
    artifacts = api_post(
        prefect_server,
        "/artifacts/filter",
        {"artifacts": {"flow_run_id": {"any_": [flow_run["id"]]}}},
    )
    assert any(str(a.get("key")).endswith("-run") for a in artifacts)


def test_serve_runs_the_scheduled_deployment(
    prefect_server: str, site: NewsSite, settings: Settings, tmp_path: Path
) -> None:
    env = {
        **os.environ,
        "PREFECT_API_URL": prefect_server,
        "PREFECT_HOME": str(tmp_path / "serve-home"),
        "PREFECT_RUNNER_POLL_FREQUENCY": "2",
        "STANCEWATCH_RETRIES": "0",
    }
    log_path = tmp_path / "serve.log"
    log = log_path.open("w")
    proc = subprocess.Popen(
        [
            str(BIN / "stancewatch"),
            "serve",
            "--interval",
            "1440",
            *input_args(settings),
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deployment = wait_for(
            lambda: next(
                (
                    d
                    for d in api_post(prefect_server, "/deployments/filter", {})
                    if d["name"] == "stancewatch-monitor"
                ),
                None,
            ),
            proc,
            log_path,
        )
        assert deployment["global_concurrency_limit"]["limit"] == 1
        assert deployment["concurrency_options"]["collision_strategy"] == "CANCEL_NEW"
        created = api_post(prefect_server, f"/deployments/{deployment['id']}/create_flow_run", {})

        def finished() -> dict[str, Any] | None:
            run = api_call("GET", prefect_server, f"/flow_runs/{created['id']}")
            return run if run["state_type"] in TERMINAL else None

        flow_run = wait_for(finished, proc, log_path)
    finally:
        stop(proc)
        log.close()
    assert flow_run["state_type"] == "COMPLETED", log_path.read_text()[-3000:]
    assert settings.db_path.exists()
    assert site.hits("/news/a.html") == [200]


def wait_for(
    probe: Callable[[], T | None],
    proc: subprocess.Popen[bytes],
    log_path: Path,
    limit: float = 180,
) -> T:
    """Ask the API until it answers or the deadline passes; the serve log explains a failure
    (it stays in the test's tmp_path as well)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(
                f"serve exited early with {proc.returncode}:\n{log_path.read_text()[-3000:]}"
            )
        value = probe()
        if value is not None:
            return value
        time.sleep(0.5)
    raise AssertionError(f"no answer in {limit:.0f} s; serve log:\n{log_path.read_text()[-3000:]}")
