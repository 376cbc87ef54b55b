"""A run with nothing new costs close to its conditional GETs: no seed reading, no extraction
library, no worker processes. Real HTTP server on loopback, real DuckDB file, real CLI process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from stancewatch import pipeline, store
from stancewatch.models import FeedConfig, FeedEntry, ParsedFeed
from stancewatch.pipeline.steps import STEPS
from stancewatch.pipeline.work import FeedPoll
from stancewatch.settings import Settings
from tests.conftest import LOOPBACK_ALLOW, SEEDS_DIR, NewsSite

NEVER_NEEDED_WHEN_IDLE = (
    "trafilatura",
    "lxml",
    "feedparser",
    "pyarrow",
    "pydantic",  # typer's option coercion (cli/coercion.py converts without it)
    "rich",  # nothing to draw when stderr is not a terminal, and plain lines need no rich
    "click",  # with pygments, loaded by httpx for its command-line client
    "pygments",
    "stancewatch.positions.reader",
    "stancewatch.pipeline.pages",
    "stancewatch.pipeline.page_worker",
    "stancewatch.events.stories",
)


def test_a_run_with_nothing_new_reads_no_seed_document_and_loads_no_extraction(
    tmp_path: Path, site: NewsSite
) -> None:
    site.flaky_failures = 0  # no page left to retry: the second run has nothing to do
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(f'[[feeds]]\nid = "wire"\nurl = "{site.server.url_for("/feed.xml")}"\n')
    db = tmp_path / "idle.duckdb"
    settings = Settings(
        seeds_dir=SEEDS_DIR, feeds_file=feeds, db_path=db, retries=0, fetch_allow=LOOPBACK_ALLOW
    )
    first = pipeline.run_monitor(settings)
    assert first.articles_stored > 0 and first.feeds_not_modified == 0

    probe = (
        "import sys\nfrom stancewatch.cli import app\n"
        f"try:\n    app(['run', '--seeds', {str(SEEDS_DIR)!r}, '--feeds', {str(feeds)!r}, "
        f"'--db', {str(db)!r}])\nexcept SystemExit:\n    pass\n"
        "print('MODULES', ' '.join(sorted(sys.modules)))"
    )
    env = {**os.environ, "STANCEWATCH_FETCH_ALLOW": ",".join(LOOPBACK_ALLOW)}
    result = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
    )

    summary, _, modules = result.stdout.partition("MODULES ")
    assert "1 not modified" in summary and "articles: 0 stored" in summary
    loaded = set(modules.split())
    packages = {name.split(".")[0] for name in loaded}
    assert sorted((loaded | packages) & set(NEVER_NEEDED_WHEN_IDLE)) == []
    with store.open_db(db, read_only=True) as con:
        runs = store.list_runs(con)
        versions = con.execute("SELECT count(*) FROM baseline_versions").fetchall()
    # The idle run is recorded (newest first) and the baseline was not saved a second time.
    assert len(runs) == 2 and runs[0]["status"] == "ok" and versions == [(1,)]


def test_the_database_is_free_for_other_processes_while_feeds_are_polled(
    tmp_path: Path, httpserver: HTTPServer
) -> None:
    db = tmp_path / "poll.duckdb"
    opened_during_poll: list[int] = []

    def feed(request: Request) -> Response:
        # Another process (a review, `feeds enable`) writing while the run waits on the network.
        other = subprocess.run(
            [sys.executable, "-c", "import sys, duckdb; duckdb.connect(sys.argv[1]).close()", db],
            capture_output=True,
            text=True,
        )
        opened_during_poll.append(other.returncode)
        return Response(
            "<rss version='2.0'><channel><title>quiet</title></channel></rss>",
            content_type="application/rss+xml",
        )

    httpserver.expect_request("/feed.xml").respond_with_handler(feed)
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(f'[[feeds]]\nid = "quiet"\nurl = "{httpserver.url_for("/feed.xml")}"\n')
    settings = Settings(
        seeds_dir=SEEDS_DIR, feeds_file=feeds, db_path=db, retries=0, fetch_allow=LOOPBACK_ALLOW
    )
    for _ in range(2):
        assert pipeline.run_monitor(settings).status == "ok"
    assert opened_during_poll == [0, 0]


def test_only_polls_downloads_and_rechecks_of_changed_entries_wait_on_the_network() -> None:
    quiet = SimpleNamespace(polls=[FeedPoll(feed=FeedConfig("a", "http://a/feed"), status=304)])
    entry = FeedEntry("a", "g", "http://a/1", "http://a/1", "t", None, None, None, "h")
    parsed = ParsedFeed("a", "t", "rss20", (entry,))
    changed = SimpleNamespace(
        polls=[*quiet.polls, FeedPoll(FeedConfig("b", "http://b"), 200, parsed=parsed)]
    )
    for run, expected in (
        (quiet, {"poll-feeds", "process-pages"}),
        (changed, {"poll-feeds", "process-pages", "recheck-edits"}),
    ):
        assert {step.name for step in STEPS if step.waits_on_network(run)} == expected


def test_a_run_on_a_terminal_draws_its_bar_with_rich(tmp_path: Path, site: NewsSite) -> None:
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(f'[[feeds]]\nid = "wire"\nurl = "{site.server.url_for("/feed.xml")}"\n')
    probe = (
        "import sys\nfrom stancewatch.cli import app\n"
        f"try:\n    app(['run', '--seeds', {str(SEEDS_DIR)!r}, '--feeds', {str(feeds)!r}, "
        f"'--db', {str(tmp_path / 'tty.duckdb')!r}])\nexcept SystemExit as exit:\n"
        "    print('EXIT', exit.code)\n"
        "print('RICH', 'rich.progress' in sys.modules)"
    )
    env = {
        **os.environ,
        "STANCEWATCH_FETCH_ALLOW": ",".join(LOOPBACK_ALLOW),
        "STANCEWATCH_RETRIES": "0",
        "FORCE_COLOR": "1",  # what rich takes for a terminal
    }
    result = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
    )
    assert "articles:" in result.stdout and "RICH True" in result.stdout, result.stderr[-2000:]
