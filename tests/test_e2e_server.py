"""End to end: a real `prefect server start` on loopback, the CLI running the flow against it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import httpx
import pytest

from stancewatch.settings import Settings
from tests.conftest import NewsSite

BIN = Path(sys.executable).parent
T = TypeVar("T")


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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def prefect_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home = tmp_path_factory.mktemp("prefect-server-home")
    port = free_port()
    env = {
        **os.environ,
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_UI_ENABLED": "false",
    }
    env.pop("PREFECT_API_URL", None)
    log = (home / "server.log").open("w")
    proc = subprocess.Popen(
        [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    api = f"http://127.0.0.1:{port}/api"
    deadline = time.monotonic() + 120
    try:
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"prefect server exited: {(home / 'server.log').read_text()}")
            try:
                if httpx.get(f"{api}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("prefect server did not become healthy in 120 s")
            time.sleep(0.5)
        yield api
    finally:
        stop(proc)
        log.close()


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
    assert '"articles_stored": 3' in result.stdout

    runs = httpx.post(f"{prefect_server}/flow_runs/filter", json={}, timeout=10).json()
    monitor_runs = [r for r in runs if r["state_type"] == "COMPLETED"]
    assert len(monitor_runs) == 1
    tasks = httpx.post(f"{prefect_server}/task_runs/filter", json={}, timeout=10).json()
    names = {t["name"].split("[")[0] for t in tasks}
    assert {"poll-feeds", "fetch-pages", "compare-articles", "store-results"} <= names
    assert "fetch-pages[1/1]" in {t["name"] for t in tasks}
    artifacts = httpx.post(f"{prefect_server}/artifacts/filter", json={}, timeout=10).json()
    assert any(a.get("key") == "stancewatch-run" for a in artifacts)


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
    log = (tmp_path / "serve.log").open("w")
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
                    for d in httpx.post(
                        f"{prefect_server}/deployments/filter", json={}, timeout=10
                    ).json()
                    if d["name"] == "stancewatch-monitor"
                ),
                None,
            ),
            proc,
        )
        assert deployment["global_concurrency_limit"]["limit"] == 1
        assert deployment["concurrency_options"]["collision_strategy"] == "CANCEL_NEW"
        created = httpx.post(
            f"{prefect_server}/deployments/{deployment['id']}/create_flow_run", json={}, timeout=10
        )
        assert created.status_code in (200, 201), created.text

        def finished_run() -> dict[str, object] | None:
            runs = httpx.post(
                f"{prefect_server}/flow_runs/filter",
                json={"deployments": {"id": {"any_": [deployment["id"]]}}},
                timeout=10,
            ).json()
            done = [r for r in runs if r["state_type"] == "COMPLETED"]
            return done[0] if done else None

        wait_for(finished_run, proc)
    finally:
        stop(proc)
        log.close()
    assert settings.db_path.exists()
    assert site.hits("/news/a.html") == [200]


def wait_for(probe: Callable[[], T | None], proc: subprocess.Popen[bytes], limit: float = 180) -> T:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"process exited early with {proc.returncode}")
        value = probe()
        if value is not None:
            return value
        time.sleep(1)
    raise AssertionError("timed out waiting")
