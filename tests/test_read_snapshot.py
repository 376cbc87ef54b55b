"""Readers never block the monitor: a notebook on the read snapshot, runs, and the CLI."""

from __future__ import annotations

import json
import subprocess
import sys

from stancewatch import pipeline, store
from stancewatch.settings import Settings
from tests.conftest import NewsSite, invoke

NOTEBOOK = """
import sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
print(con.execute("SELECT count(*) FROM articles").fetchone()[0], flush=True)
sys.stdin.read()
"""

WRITER = """
import sys, duckdb
con = duckdb.connect(sys.argv[1])
print("open", flush=True)
sys.stdin.read()
"""


def hold(script: str, path: str) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", script, path],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    return proc, proc.stdout.readline().strip()


def test_a_notebook_on_the_snapshot_never_makes_a_run_fail(
    site: NewsSite, settings: Settings
) -> None:
    settings = settings.with_overrides(db_busy_timeout=1.0)
    first = pipeline.run_monitor(settings)
    notebook, seen = hold(NOTEBOOK, str(store.snapshot_path(settings.db_path)))
    try:
        assert seen == str(first.articles_stored)
        second = pipeline.run_monitor(settings)  # the page that failed once is stored now
        third = pipeline.run_monitor(settings)
    finally:
        notebook.kill()
        notebook.wait()
    assert second.status != "failed" and third.status != "failed"
    assert second.articles_stored == 1

    code, out, _ = invoke("runs", "--format", "json", "--db", str(settings.db_path))
    assert code == 0 and len(json.loads(out)) == 3  # the snapshot has every run


def test_cli_reads_the_snapshot_while_a_writer_holds_the_file(
    site: NewsSite, settings: Settings
) -> None:
    pipeline.run_monitor(settings)
    writer, ready = hold(WRITER, str(settings.db_path))
    try:
        assert ready == "open"
        code, out, err = invoke("articles", "--since", "all", "--db", str(settings.db_path))
        assert code == 0, err
        assert "Hamas says no deal" in out
        live = invoke(
            "articles", "--live", "--since", "all", "--db", str(settings.db_path)
        )  # the file itself: busy, and says who holds it
    finally:
        writer.kill()
        writer.wait()
    code, _, err = live
    assert code == 3 and f"process {writer.pid}" in err
