"""End to end: a real `prefect server start` on loopback, the CLI running the flow against it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from stancewatch.settings import Settings
from tests.conftest import NewsSite

BIN = Path(sys.executable).parent


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
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
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
            "--seeds",
            str(settings.seeds_dir),
            "--feeds",
            str(settings.feed_list_path),
            "--db",
            str(settings.db_path),
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
    names = {t["name"].rsplit("-", 1)[0] for t in tasks}
    assert {"poll-feeds", "fetch-pages", "compare-articles", "store-results"} <= names
    artifacts = httpx.post(f"{prefect_server}/artifacts/filter", json={}, timeout=10).json()
    assert any(a.get("key") == "stancewatch-run" for a in artifacts)
