"""Runs that are killed, doubled, or meet a full disk: real processes, server and DuckDB file."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from stancewatch import pipeline, store
from stancewatch.settings import Settings
from tests.conftest import (
    LOOPBACK_ALLOW,
    PARAGRAPHS_A,
    SEEDS_DIR,
    article_page,
    invoke,
    rss_feed,
)

PAGES = 3


class StallingSite:
    """One feed of three pages; pages hang until released, so a run can be caught mid-fetch."""

    def __init__(self, server: HTTPServer) -> None:
        self.server = server
        self.release = threading.Event()
        self.page_requested = threading.Event()
        self.requests: list[str] = []
        base = server.url_for("/")
        items = [
            {
                "title": f"Hamas says no deal {n}",
                "link": f"{base}news/{n}.html",
                "guid": f"item-{n}",
                "description": "Hamas rejects a deal.",
            }
            for n in range(PAGES)
        ]
        feed = rss_feed(items)
        server.expect_request("/feed.xml").respond_with_handler(
            lambda request: self._log(request, Response(feed, content_type="application/rss+xml"))
        )
        for n in range(PAGES):
            server.expect_request(f"/news/{n}.html").respond_with_handler(self.page)

    def _log(self, request: Request, response: Response) -> Response:
        self.requests.append(request.path)
        return response

    def page(self, request: Request) -> Response:
        self.page_requested.set()
        self.release.wait(timeout=60)
        html = article_page("Hamas says no deal without withdrawal", PARAGRAPHS_A)
        return self._log(request, Response(html, content_type="text/html; charset=utf-8"))


@pytest.fixture
def stalling_site() -> Iterator[StallingSite]:
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    site = StallingSite(server)
    try:
        yield site
    finally:
        site.release.set()
        server.clear()
        server.stop()


def cli(settings: Settings, *args: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "stancewatch",
        *args,
        "--seeds",
        str(SEEDS_DIR),
        "--feeds",
        str(settings.feed_list_path),
        "--db",
        str(settings.db_path),
    ]


def settings_for(tmp_path: Path, feed_url: str) -> Settings:
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(f'[[feeds]]\nid = "wire"\nurl = "{feed_url}"\n')
    return Settings(
        seeds_dir=SEEDS_DIR,
        feeds_file=feeds,
        db_path=tmp_path / "storage" / "watch.duckdb",
        retries=0,
        min_text_chars=150,
        fetch_allow=LOOPBACK_ALLOW,
    )


def test_second_run_stops_in_one_line_and_a_killed_run_is_marked_abandoned(
    stalling_site: StallingSite, tmp_path: Path
) -> None:
    settings = settings_for(tmp_path, stalling_site.server.url_for("/feed.xml"))
    env = {**os.environ, "STANCEWATCH_RETRIES": "0", "STANCEWATCH_READ_TIMEOUT": "60"}
    first = subprocess.Popen(
        cli(settings, "run"), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        assert stalling_site.page_requested.wait(timeout=120), "the first run never fetched"
        requests_before = list(stalling_site.requests)

        code, out, err = invoke(*cli(settings, "run")[3:])

        assert code == 3
        assert err.count("\n") == 1 and "Traceback" not in out + err
        assert f"pid {first.pid}" in err and "before fetching anything" in err
        assert stalling_site.requests == requests_before  # the second run fetched nothing

        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    stalling_site.release.set()

    summary = pipeline.run_monitor(settings)

    assert summary.status == "ok" and summary.articles_stored == PAGES
    with store.open_db(settings.db_path, read_only=True) as con:
        statuses = dict(con.execute("SELECT run_id, status FROM runs").fetchall())
        reasons = con.execute(
            "SELECT run_id, message FROM item_errors WHERE error_class = 'Abandoned'"
        ).fetchall()
    killed = [run_id for run_id, status in statuses.items() if run_id != summary.run_id]
    assert len(killed) == 1 and statuses[killed[0]] == "abandoned"
    assert statuses[summary.run_id] == "ok"
    assert reasons == [(killed[0], reasons[0][1])] and summary.run_id in reasons[0][1]
    code, out, _ = invoke("runs", "--db", str(settings.db_path))
    assert code == 0 and "abandoned" in out


def _limit_file_size(limit: int) -> None:
    # What a full disk does to a writer: write() fails (EFBIG here, ENOSPC on a full disk).
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def test_a_full_disk_gives_one_line_and_exit_code_3(httpserver: HTTPServer, tmp_path: Path) -> None:
    bulky = "Mediators from Qatar and Egypt met in Cairo again on Sunday. " * 400
    items = [
        {"title": f"Talks {n}", "link": f"/nowhere/{n}", "guid": f"g{n}", "description": bulky}
        for n in range(200)
    ]
    httpserver.expect_request("/feed.xml").respond_with_data(
        rss_feed(items), content_type="application/rss+xml"
    )
    settings = settings_for(tmp_path, httpserver.url_for("/feed.xml"))
    code, _, err = invoke("db", "migrate", "--db", str(settings.db_path))
    assert code == 0, err
    limit = settings.db_path.stat().st_size + 256 * 1024

    done = subprocess.run(
        cli(settings, "run"),
        env={**os.environ, "STANCEWATCH_RETRIES": "0"},
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=lambda: _limit_file_size(limit),
    )

    assert done.returncode == 3, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert done.stderr.count("\n") == 1 and "no room to write the database" in done.stderr
    assert str(settings.db_path) in done.stderr
