"""A run with nothing new costs close to its conditional GETs: no seed reading, no extraction
library, no worker processes. Real HTTP server on loopback, real DuckDB file, real CLI process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from stancewatch import pipeline, store
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
