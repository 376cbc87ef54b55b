"""The fault matrix: every hostile or unlucky case at once, through three real monitor runs.

One publisher on 127.0.0.1 (feeds and pages failing in every way covered), an "internal"
host on 127.0.0.2 that must never be reached, and a server trickling headers byte by byte.
For each case: the run completes, the failure is stored with its reason, nothing else is
lost, and the next run retries only what deserves it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from stancewatch import pipeline, store
from stancewatch.models import RunSummary
from stancewatch.settings import Settings
from tests.conftest import LOOPBACK_ALLOW, SEEDS_DIR
from tests.hostile import (
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

#: Cases whose page fails for good: the feed's own text is stored in its place.
PERMANENT = {
    "404": "HTTPStatusError",
    "410": "HTTPStatusError",
    "empty-body": None,  # not an error: the page is empty, the feed text stands in
    "redirect-loop": "FetchError",
    "redirect-non-http": "BlockedURLError",
    "pdf": "ExtractError",
    "image": "ExtractError",
    "ssrf-link": "BlockedURLError",
    "ssrf-decimal-ip": "BlockedURLError",
    "ssrf-protocol-relative": "BlockedURLError",
    "ssrf-redirect": "BlockedURLError",
    "stacked-gzip": "ContentEncodingError",
    "gzip-bomb": "TooLargeError",
    "huge-feed-text": "HTTPStatusError",
}
#: Cases that fail for now: the entry stays queued and the next run tries again.
TRANSIENT = {
    "429-retry-after": "HTTPStatusError",
    "500-then-200": "HTTPStatusError",
    "connection-refused": "NetworkError",
    "slow-headers": "FetchTimeoutError",
}


@pytest.fixture
def hostile(httpserver: HTTPServer) -> Iterator[HostileSite]:
    with internal_server() as internal, TrickleServer(slow_headers(400), delay=0.05) as trickle:
        yield HostileSite(httpserver, internal, trickle)


@pytest.fixture
def matrix_settings(tmp_path: Path, hostile: HostileSite) -> Settings:
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(hostile.feeds_toml())
    return Settings(
        seeds_dir=SEEDS_DIR,
        feeds_file=feeds,
        db_path=tmp_path / "matrix.duckdb",
        fetch_allow=LOOPBACK_ALLOW,
        retries=0,
        connect_timeout=2,
        read_timeout=5,
        total_deadline=1.5,
        min_text_chars=100,
        max_text_chars=5000,
        max_fetch_attempts=3,
        feed_backoff_base=0.0,  # let three runs in a row reach the disable threshold
    )


def rows(settings: Settings, sql: str) -> list[dict[str, Any]]:
    with store.open_db(settings.db_path, read_only=True) as con:
        cursor = con.execute(sql)
        names = [d[0] for d in cursor.description or ()]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def by_guid(settings: Settings, table: str) -> dict[str, dict[str, Any]]:
    return {row["guid"]: row for row in rows(settings, f"SELECT * FROM {table}")}


def errors_by_url(summary: RunSummary) -> dict[str, str]:
    return {f.url: f.error_class for f in summary.errors if f.url}


def test_every_fault_is_recorded_and_only_what_deserves_it_is_retried(
    hostile: HostileSite, matrix_settings: Settings
) -> None:
    settings = matrix_settings
    first = pipeline.run_monitor(settings)

    assert first.status == "partial" and first.finished_at is not None
    entries, articles = by_guid(settings, "entries"), by_guid(settings, "articles")

    # the control and every permanent failure: stored, the feed text standing in
    assert articles["main-ok"]["text_source"] == "page"
    for case, error_class in PERMANENT.items():
        guid = "main-huge" if case == "huge-feed-text" else f"main-{case}"
        assert articles[guid]["text_source"] == "feed", case
        assert entries[guid]["status"] == "done", case
        if error_class:
            assert error_class in entries[guid]["last_error"] or any(
                f.error_class == error_class for f in first.errors if f.url == entries[guid]["url"]
            ), case
    # every transient failure: queued again, with its reason and one attempt counted
    for case, error_class in TRANSIENT.items():
        guid = f"main-{case}"
        assert entries[guid]["status"] == "pending", case
        assert entries[guid]["attempts"] == 1, case
        assert entries[guid]["last_error"], case
        assert guid not in articles, case
        assert error_class in {f.error_class for f in first.errors if f.url == entries[guid]["url"]}

    # credentials are never sent nor stored; the internal host is never reached
    assert articles["main-credentials-in-link"]["text_source"] == "page"
    assert all("hunter2" not in str(row) for row in rows(settings, "SELECT * FROM entries"))
    assert all("authorization" not in headers for _, headers in hostile.requests)
    assert hostile.internal.log == []
    for table in ("articles", "entries", "item_errors", "feeds"):
        assert SECRET not in str(rows(settings, f"SELECT * FROM {table}")), table

    # items without title/date are kept; without a link they are skipped with the reason
    assert articles["main-untitled"]["text_source"] == "page"
    assert any(f.error_class == "SkippedEntry" and "no link" in f.message for f in first.errors)
    # feed text is capped before the engine
    assert len(articles["main-huge"]["text"]) <= settings.max_text_chars
    # the same guid in two feeds: two entries, two articles
    shared = [r for r in rows(settings, "SELECT * FROM entries") if r["guid"] == "shared-guid"]
    assert {r["feed_id"] for r in shared} == {"main", "twin"}
    # entity declarations are not expanded, wherever feedparser would find them
    for name in DTD_VARIANTS:
        assert entries[name]["summary"] is None or len(entries[name]["summary"]) < 20_000

    feeds = {row["id"]: row for row in rows(settings, "SELECT * FROM feeds")}
    assert feeds["feed-410"]["disabled_reason"] and "410" in feeds["feed-410"]["disabled_reason"]
    for feed_id, error in {
        "feed-dns": "cannot resolve",
        "feed-not-a-feed": "no entries",
        "feed-internal": "not a public address",
        "feed-empty": "no entries",
    }.items():
        assert error in feeds[feed_id]["last_error"], feed_id
        assert feeds[feed_id]["hard_failures"] == 1 and feeds[feed_id]["disabled_reason"] is None
    requests_before = len(hostile.requests)

    second = pipeline.run_monitor(settings)

    # permanent failures are not fetched again, transient ones are
    second_paths = [path for path, _ in hostile.requests[requests_before:]]
    for path in ("/missing.html", "/gone.html", "/doc.pdf", "/stacked.html", "/bomb.html"):
        assert hostile.hits(path) == 1, path
    assert hostile.hits("/gone-feed.xml") == 1  # disabled after its 410
    assert "/flaky.html" in second_paths and "/busy.html" in second_paths
    articles = by_guid(settings, "articles")
    assert articles["main-500-then-200"]["text_source"] == "page"
    assert articles["main-429-retry-after"]["text_source"] == "page"
    assert second.entries_new == 0

    pipeline.run_monitor(settings)

    entries, articles = by_guid(settings, "entries"), by_guid(settings, "articles")
    for case in ("connection-refused", "slow-headers"):  # attempts used up: feed text
        assert entries[f"main-{case}"]["attempts"] == 3, case
        assert articles[f"main-{case}"]["text_source"] == "feed", case
    feeds = {row["id"]: row for row in rows(settings, "SELECT * FROM feeds")}
    for feed_id in ("feed-dns", "feed-not-a-feed", "feed-internal", "feed-empty"):
        assert feeds[feed_id]["disabled_reason"], feed_id
        assert "3 hard failure" in feeds[feed_id]["disabled_reason"], feed_id
    assert all(row["status"] == "partial" for row in rows(settings, "SELECT * FROM runs"))
    assert hostile.internal.log == []


def test_a_run_killed_during_a_hanging_fetch_still_counts_the_attempt(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    # A server trickling headers for minutes; the run is killed (-9) while waiting for it.
    with TrickleServer(slow_headers(5000), delay=0.5) as trickle:
        hanging = item("Hang", trickle.url("/hang.html"), "hang", feed_text("hang"))
        httpserver.expect_request("/feed.xml").respond_with_data(
            rss([hanging]), content_type="application/rss+xml"
        )
        feeds = tmp_path / "feeds.toml"
        feeds.write_text(f'[[feeds]]\nid = "wire"\nurl = "{httpserver.url_for("/feed.xml")}"\n')
        db = tmp_path / "killed.duckdb"
        env = {**os.environ, "STANCEWATCH_TOTAL_DEADLINE": "600", "STANCEWATCH_READ_TIMEOUT": "600"}
        command = [sys.executable, "-m", "stancewatch", "run", "--seeds", str(SEEDS_DIR)]
        run = subprocess.Popen(
            [*command, "--feeds", str(feeds), "--db", str(db)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            waited = 0.0
            while trickle.connections == 0 and run.poll() is None and waited < 300:
                time.sleep(0.1)
                waited += 0.1
            assert trickle.connections == 1, "the run never reached the hanging page"
        finally:
            run.kill()
            run.wait()

    with store.open_db(db, read_only=True) as con:
        row = con.execute("SELECT status, attempts FROM entries WHERE guid = 'hang'").fetchone()
    assert row == ("pending", 1)
