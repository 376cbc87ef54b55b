"""Batched progress: a run killed with SIGKILL keeps every batch it stored; the rerun fetches
only the rest. Real subprocess, real HTTP server on loopback, real DuckDB file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from stancewatch import pipeline, store
from stancewatch.settings import Settings
from tests.conftest import LOOPBACK_ALLOW, PARAGRAPHS_A, SEEDS_DIR, article_page, rss_feed

PAGES = 30
BATCH = 5
STORED_BEFORE_KILL = 2 * BATCH  # pages of the batches that must survive the kill
BIN = Path(sys.executable).parent


class StallingSite:
    """One feed of PAGES pages; page requests from STORED_BEFORE_KILL on wait for `release`."""

    def __init__(self) -> None:
        self.hits: Counter[int] = Counter()
        self.third_batch_started = threading.Event()
        self.release = threading.Event()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                return

            def do_GET(self) -> None:
                if self.path == "/feed.xml":
                    body = site.feed().encode()
                    kind = "application/rss+xml"
                else:
                    number = int(self.path.rsplit("/", 1)[1].split(".")[0])
                    site.hits[number] += 1
                    if number >= STORED_BEFORE_KILL:
                        site.third_batch_started.set()
                        site.release.wait(60)
                    body = article_page(f"Story {number}", PARAGRAPHS_A).encode()
                    kind = "text/html; charset=utf-8"
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def feed(self) -> str:
        return rss_feed(
            [
                {
                    "title": f"Story {n}",
                    "link": f"{self.base}/news/{n}.html",
                    "guid": f"story-{n}",
                    "description": f"Summary of story {n}.",
                    # Older stories first: the queue takes them in this order.
                    "pubDate": f"Sat, 02 Mar 2024 {n // 60:02d}:{n % 60:02d}:00 GMT",
                }
                for n in range(PAGES)
            ]
        )


@pytest.fixture
def stalling_site() -> Iterator[StallingSite]:
    site = StallingSite()
    yield site
    site.release.set()
    site.server.shutdown()


def descendants(pid: int) -> set[int]:
    found, todo = set(), [pid]
    while todo:
        current = todo.pop()
        for task in (
            os.listdir(f"/proc/{current}/task") if os.path.isdir(f"/proc/{current}") else []
        ):
            try:
                kids = Path(f"/proc/{current}/task/{task}/children").read_text().split()
            except OSError:
                continue
            found.update(int(k) for k in kids)
            todo.extend(int(k) for k in kids)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_a_killed_run_keeps_its_stored_batches_and_the_rerun_fetches_only_the_rest(
    stalling_site: StallingSite, tmp_path: Path
) -> None:
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(f'[[feeds]]\nid = "wire"\nurl = "{stalling_site.base}/feed.xml"\n')
    db = tmp_path / "kill.duckdb"
    env = {**os.environ, "STANCEWATCH_BATCH_SIZE": str(BATCH), "STANCEWATCH_RETRIES": "0"}
    command = [str(BIN / "stancewatch"), "run", "--seeds", str(SEEDS_DIR)]
    proc = subprocess.Popen(
        [*command, "--feeds", str(feeds), "--db", str(db)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        # Batch 3 starts downloading only after batch 2 is stored: kill the run right there.
        assert stalling_site.third_batch_started.wait(240), "the run never reached batch 3"
        helpers = descendants(proc.pid)
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    stalling_site.release.set()
    # Its extraction workers notice and leave; none is left behind holding memory.
    for _ in range(100):
        if not any(alive(pid) for pid in helpers):
            break
        threading.Event().wait(0.1)
    assert not [pid for pid in helpers if alive(pid)]

    with store.open_db(db, read_only=True) as con:
        kept = {row[0] for row in con.execute("SELECT url FROM articles").fetchall()}
        statements = con.execute("SELECT count(*) FROM statements").fetchone()
        run_status = con.execute("SELECT status FROM runs").fetchall()
        attempts = dict(con.execute("SELECT guid, attempts FROM entries").fetchall())
    assert kept == {f"{stalling_site.base}/news/{n}.html" for n in range(STORED_BEFORE_KILL)}
    # The batch in hand had its attempt counted before its downloads began (by the store of
    # the batch before it); the batches after it were never started.
    in_hand = range(STORED_BEFORE_KILL, STORED_BEFORE_KILL + BATCH)
    assert all(attempts[f"story-{n}"] == 1 for n in range(STORED_BEFORE_KILL + BATCH)), attempts
    assert all(attempts[f"story-{n}"] == 0 for n in range(in_hand.stop, PAGES)), attempts
    assert statements is not None and statements[0] > 0
    assert run_status == [("running",)]  # never finished

    settings = Settings(
        seeds_dir=SEEDS_DIR,
        feeds_file=feeds,
        db_path=db,
        batch_size=BATCH,
        retries=0,
        fetch_allow=LOOPBACK_ALLOW,
    )
    summary = pipeline.run_monitor(settings)

    assert summary.articles_stored == PAGES - STORED_BEFORE_KILL
    assert all(stalling_site.hits[n] == 1 for n in range(STORED_BEFORE_KILL))
    assert all(stalling_site.hits[n] >= 1 for n in range(STORED_BEFORE_KILL, PAGES))
    with store.open_db(db, read_only=True) as con:
        row = con.execute("SELECT count(*) FROM articles").fetchone()
    assert row is not None and row[0] == PAGES


def test_each_batch_is_stored_before_the_next_is_fetched(
    stalling_site: StallingSite, tmp_path: Path
) -> None:
    stalling_site.release.set()
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(f'[[feeds]]\nid = "wire"\nurl = "{stalling_site.base}/feed.xml"\n')
    settings = Settings(
        seeds_dir=SEEDS_DIR,
        feeds_file=feeds,
        db_path=tmp_path / "b.duckdb",
        batch_size=BATCH,
        fetch_allow=LOOPBACK_ALLOW,
    )
    run = pipeline.start_monitor(settings)
    labels = []
    try:
        for call in pipeline.step_calls(run):
            labels.append(call.label)
            call.step.keep(run, call.step.work(run, call.batch))
            assert len(run.outcomes) <= BATCH  # memory holds one batch at most
    finally:
        run.close()
    batches = PAGES // BATCH
    assert labels[:3] == ["begin-run", "poll-feeds", "record-polls"]
    assert labels[3:-4] == [
        f"{name}[{n}/{batches}]"
        for n in range(1, batches + 1)
        for name in ("process-pages", "store-pages")
    ]
    assert labels[-4:] == ["finish-run", "recheck-edits", "group-events", "write-timeline"]
    assert run.summary.articles_stored == PAGES and run.summary.status == "ok"
