"""Runs and their per-item failures: begin, finish, abandon, close a flow run's; idempotent."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import duckdb

from stancewatch.models import ItemFailure, RunSummary
from stancewatch.store.staging import TEXT, column_list, first_by_key, row_count, staged

_ERROR_COLUMNS = {
    "stage": TEXT,
    "url": TEXT,
    "feed_id": TEXT,
    "error_class": TEXT,
    "message": TEXT,
}
_RUN_COUNTS = (
    "feeds_polled",
    "feeds_not_modified",
    "feeds_failed",
    "entries_seen",
    "entries_new",
    "articles_stored",
    "articles_from_feed",
    "statements_stored",
    "changes_stored",
)


def start_run(con: duckdb.DuckDBPyConnection, summary: RunSummary) -> None:
    """Record that a run began (a second call for the same run id changes nothing)."""
    row_count(
        con,
        """
        INSERT INTO runs (run_id, started_at, status, flow_run_id) VALUES (?, ?, ?, ?)
        ON CONFLICT (run_id) DO NOTHING
        """,
        [summary.run_id, summary.started_at, summary.status, summary.flow_run_id],
    )


def abandon_stale_runs(con: duckdb.DuckDBPyConnection, current_run_id: str) -> list[str]:
    """Mark runs still 'running' (other than the current one) 'abandoned'; returns their ids.

    Call it only while holding the run lock: then no other run is alive, and a 'running'
    row is a run that was killed or crashed before it could record its end. Each gets an
    item error saying so.
    """
    stale = [
        str(run_id)
        for (run_id,) in con.execute(
            "SELECT run_id FROM runs WHERE status = 'running' AND run_id <> $current",
            {"current": current_run_id},
        ).fetchall()
    ]
    if not stale:
        return []
    con.execute(
        """
        UPDATE runs SET status = 'abandoned', finished_at = coalesce(finished_at, now())
        WHERE list_contains($stale, run_id)
        """,
        {"stale": stale},
    )
    for run_id in stale:
        add_item_errors(
            con,
            run_id,
            [
                ItemFailure(
                    "run",
                    None,
                    None,
                    "Abandoned",
                    f"the run ended without recording its end (killed or crashed); "
                    f"marked abandoned by run {current_run_id}",
                )
            ],
        )
    return stale


def finish_run(con: duckdb.DuckDBPyConnection, summary: RunSummary) -> None:
    """Record a run's outcome: status, counts, error count and finish time (now if unset)."""
    finished = summary.finished_at or datetime.now(UTC)
    counts = [getattr(summary, name) for name in _RUN_COUNTS]
    errors = len(summary.errors)
    names = ", ".join(_RUN_COUNTS)
    placeholders = ", ".join("?" for _ in _RUN_COUNTS)
    updates = ", ".join(f"{name} = excluded.{name}" for name in _RUN_COUNTS)
    row_count(
        con,
        f"""
        INSERT INTO runs (run_id, started_at, finished_at, status, errors, flow_run_id, {names})
        VALUES (?, ?, ?, ?, ?, ?, {placeholders})
        ON CONFLICT (run_id) DO UPDATE SET
            finished_at = excluded.finished_at, status = excluded.status,
            errors = excluded.errors,
            flow_run_id = coalesce(excluded.flow_run_id, runs.flow_run_id), {updates}
        """,
        [
            summary.run_id,
            summary.started_at,
            finished,
            summary.status,
            errors,
            summary.flow_run_id,
            *counts,
        ],
    )


def end_flow_run(
    con: duckdb.DuckDBPyConnection, flow_run_id: str, status: str, note: str
) -> list[str]:
    """Close the still-running runs of a Prefect flow run (crashed, cancelled, failed).

    Returns the run ids it closed; a run that already finished keeps its outcome.
    """
    rows = con.execute(
        """
        UPDATE runs SET status = ?, note = ?, finished_at = now()
        WHERE flow_run_id = ? AND status = 'running'
        RETURNING run_id
        """,
        [status, note, flow_run_id],
    ).fetchall()
    return [str(row[0]) for row in rows]


def add_item_errors(
    con: duckdb.DuckDBPyConnection, run_id: str, failures: Sequence[ItemFailure]
) -> int:
    """Record a run's per-item failures; the same failure twice in one run is kept once."""
    unique = first_by_key(failures, lambda f: f)
    rows = [(f.stage, f.url, f.feed_id, f.error_class, f.message) for f in unique]
    with staged(con, _ERROR_COLUMNS, rows) as stage:
        return row_count(
            con,
            f"""
            INSERT INTO item_errors (run_id, occurred_at, {column_list(_ERROR_COLUMNS)})
            SELECT $run_id, now(), {column_list(_ERROR_COLUMNS, "s.")}
            FROM {stage} AS s
            WHERE NOT EXISTS (
                SELECT 1 FROM item_errors AS e
                WHERE e.run_id = $run_id AND e.stage = s.stage
                  AND e.url IS NOT DISTINCT FROM s.url
                  AND e.feed_id IS NOT DISTINCT FROM s.feed_id
                  AND e.error_class = s.error_class AND e.message = s.message)
            """,
            {"run_id": run_id},
        )
