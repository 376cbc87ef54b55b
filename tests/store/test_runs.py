"""Tests for stancewatch.store.runs: runs started and finished, item errors once per run."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from stancewatch.models import ItemFailure, RunSummary
from stancewatch.store import (
    add_item_errors,
    finish_run,
    list_errors,
    list_runs,
    open_db,
    start_run,
)


@pytest.fixture
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    with open_db(tmp_path / "watch.duckdb") as connection:
        yield connection


def test_run_is_started_then_finished_with_its_counts(con: duckdb.DuckDBPyConnection) -> None:
    summary = RunSummary("run-7", started_at=datetime(2024, 2, 7, 12, 0, tzinfo=UTC))
    start_run(con, summary)
    start_run(con, summary)
    assert [(r["run_id"], r["status"], r["finished_at"]) for r in list_runs(con)] == [
        ("run-7", "running", None)
    ]

    summary.status = "partial"
    summary.feeds_polled = 4
    summary.feeds_failed = 1
    summary.articles_stored = 9
    summary.changes_stored = 2
    summary.errors.append(ItemFailure("fetch", "https://x.example", "wire", "FetchError", "503"))
    summary.finished_at = datetime(2024, 2, 7, 12, 3, tzinfo=UTC)
    finish_run(con, summary)

    (run,) = list_runs(con)
    assert run["status"] == "partial"
    assert run["started_at"] == summary.started_at
    assert run["finished_at"] == summary.finished_at
    assert (run["feeds_polled"], run["feeds_failed"], run["articles_stored"]) == (4, 1, 9)
    assert (run["changes_stored"], run["errors"]) == (2, 1)


def test_finish_without_start_still_records_the_run(con: duckdb.DuckDBPyConnection) -> None:
    summary = RunSummary("run-8", started_at=datetime(2024, 2, 7, 12, 0, tzinfo=UTC))
    summary.status = "failed"

    finish_run(con, summary)

    (run,) = list_runs(con)
    assert (run["run_id"], run["status"]) == ("run-8", "failed")
    assert run["finished_at"] is not None


def test_item_errors_are_recorded_once_per_run(con: duckdb.DuckDBPyConnection) -> None:
    failures = [
        ItemFailure("fetch", "https://x.example/1", "wire", "FetchTimeoutError", "timed out"),
        ItemFailure("poll", None, "daily", "HTTPStatusError", "HTTP 500"),
        ItemFailure("poll", None, "daily", "HTTPStatusError", "HTTP 500"),
    ]

    assert add_item_errors(con, "run-1", failures) == 2
    assert add_item_errors(con, "run-1", failures) == 0
    assert add_item_errors(con, "run-2", failures[:1]) == 1

    errors = list_errors(con, run_id="run-1")
    assert {(e["stage"], e["feed_id"], e["url"], e["message"]) for e in errors} == {
        ("fetch", "wire", "https://x.example/1", "timed out"),
        ("poll", "daily", None, "HTTP 500"),
    }
    assert len(list_errors(con)) == 3
