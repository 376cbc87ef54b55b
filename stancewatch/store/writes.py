"""Batch writes of articles, engine results, runs and item errors; each is idempotent."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

import duckdb

from stancewatch.models import Article, BaselinePosition, Change, ItemFailure, RunSummary, Statement
from stancewatch.store.staging import (
    BOOL,
    DATE,
    FLOAT,
    INT,
    TEXT,
    TIMESTAMP,
    first_by_key,
    row_count,
    staged,
)

_ARTICLE_COLUMNS = {
    "canonical_url": TEXT,
    "url": TEXT,
    "feed_id": TEXT,
    "guid": TEXT,
    "title": TEXT,
    "author": TEXT,
    "published": TIMESTAMP,
    "language": TEXT,
    "text": TEXT,
    "text_source": TEXT,
    "content_hash": TEXT,
    "http_status": INT,
    "extract_note": TEXT,
}
_BASELINE_COLUMNS = {
    "id": TEXT,
    "actor": TEXT,
    "issue": TEXT,
    "stance": TEXT,
    "score": FLOAT,
    "text": TEXT,
    "seed_file": TEXT,
    "attribution": TEXT,
    "pinned": BOOL,
    "seed_date": DATE,
    "seed_source": TEXT,
}
_STATEMENT_COLUMNS = {
    "canonical_url": TEXT,
    "actor": TEXT,
    "issue": TEXT,
    "stance": TEXT,
    "score": FLOAT,
    "attribution": TEXT,
    "sentence": TEXT,
    "sentence_index": INT,
    "source": TEXT,
    "modality": TEXT,
    "condition": TEXT,
    "background": BOOL,
}
_CHANGE_COLUMNS = {
    "canonical_url": TEXT,
    "actor": TEXT,
    "issue": TEXT,
    "kind": TEXT,
    "stance": TEXT,
    "score": FLOAT,
    "baseline_id": TEXT,
    "baseline_stance": TEXT,
    "baseline_score": FLOAT,
    "baseline_text": TEXT,
    "evidence": TEXT,
    "attribution": TEXT,
    "confidence": FLOAT,
}
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


def _columns(columns: Mapping[str, object], prefix: str = "") -> str:
    return ", ".join(prefix + name for name in columns)


# --- articles --------------------------------------------------------------------------------


def add_articles(con: duckdb.DuckDBPyConnection, articles: Sequence[Article], run_id: str) -> int:
    """Store articles whose canonical URL is not stored yet; returns how many were added."""
    unique = first_by_key(articles, lambda a: a.canonical_url)
    rows = [
        (
            a.canonical_url,
            a.url,
            a.feed_id,
            a.guid,
            a.title,
            a.author,
            a.published,
            a.language,
            a.text,
            a.text_source,
            a.content_hash,
            a.http_status,
            a.extract_note,
        )
        for a in unique
    ]
    with staged(con, _ARTICLE_COLUMNS, rows) as stage:
        return row_count(
            con,
            f"""
            INSERT INTO articles ({_columns(_ARTICLE_COLUMNS)}, fetched_at, run_id)
            SELECT {_columns(_ARTICLE_COLUMNS, "s.")}, now(), $run_id
            FROM {stage} AS s
            WHERE NOT EXISTS (SELECT 1 FROM articles AS a WHERE a.canonical_url = s.canonical_url)
            """,
            {"run_id": run_id},
        )


# --- engine results --------------------------------------------------------------------------


def save_baseline(
    con: duckdb.DuckDBPyConnection, positions: Sequence[BaselinePosition], version: str
) -> int:
    """Store a baseline version's positions (once per version and id) and make that version
    the current one that the views compare against; returns how many positions were added."""
    unique = first_by_key(positions, lambda p: p.id)
    rows = [
        (
            p.id,
            p.actor,
            p.issue,
            p.stance,
            p.score,
            p.text,
            p.seed_file,
            p.attribution,
            p.pinned,
            p.seed_date,
            p.seed_source,
        )
        for p in unique
    ]
    with staged(con, _BASELINE_COLUMNS, rows) as stage:
        added = row_count(
            con,
            f"""
            INSERT INTO baseline_positions
                (baseline_version, {_columns(_BASELINE_COLUMNS)}, saved_at)
            SELECT $version, {_columns(_BASELINE_COLUMNS, "s.")}, now()
            FROM {stage} AS s
            WHERE NOT EXISTS (SELECT 1 FROM baseline_positions AS b
                              WHERE b.baseline_version = $version AND b.id = s.id)
            """,
            {"version": version},
        )
    row_count(
        con,
        """
        INSERT INTO baseline_versions (baseline_version, positions, first_saved_at, last_saved_at)
        SELECT $version, count(*), now(), now()
        FROM baseline_positions WHERE baseline_version = $version
        ON CONFLICT (baseline_version) DO UPDATE SET
            positions = excluded.positions, last_saved_at = excluded.last_saved_at
        """,
        {"version": version},
    )
    return added


def add_statements(
    con: duckdb.DuckDBPyConnection,
    rows: Sequence[tuple[str, Statement]],
    run_id: str,
    baseline_version: str,
) -> int:
    """Store (article canonical URL, statement) pairs; a statement already stored for that
    article, sentence, actor, issue, stance and baseline version is skipped."""
    unique = first_by_key(
        rows, lambda r: (r[0], r[1].sentence_index, r[1].actor, r[1].issue, r[1].stance)
    )
    values = [
        (
            url,
            s.actor,
            s.issue,
            s.stance,
            s.score,
            s.attribution,
            s.sentence,
            s.sentence_index,
            s.source,
            s.modality,
            s.condition,
            s.background,
        )
        for url, s in unique
    ]
    with staged(con, _STATEMENT_COLUMNS, values) as stage:
        return row_count(
            con,
            f"""
            INSERT INTO statements
                ({_columns(_STATEMENT_COLUMNS)}, baseline_version, run_id, stored_at)
            SELECT {_columns(_STATEMENT_COLUMNS, "s.")}, $version, $run_id, now()
            FROM {stage} AS s
            WHERE NOT EXISTS (
                SELECT 1 FROM statements AS t
                WHERE t.baseline_version = $version AND t.canonical_url = s.canonical_url
                  AND t.sentence_index = s.sentence_index AND t.actor = s.actor
                  AND t.issue = s.issue AND t.stance = s.stance)
            """,
            {"version": baseline_version, "run_id": run_id},
        )


def add_changes(
    con: duckdb.DuckDBPyConnection,
    rows: Sequence[tuple[str, Change]],
    run_id: str,
    baseline_version: str,
) -> int:
    """Store (article canonical URL, change) pairs, one per article, actor, issue, kind and
    baseline version: within a batch the most confident wins, and stored ones are kept."""
    by_confidence = sorted(rows, key=lambda r: r[1].confidence, reverse=True)
    unique = first_by_key(by_confidence, lambda r: (r[0], r[1].actor, r[1].issue, r[1].kind))
    values = [
        (
            url,
            c.actor,
            c.issue,
            c.kind,
            c.stance,
            c.score,
            c.baseline.id if c.baseline else None,
            c.baseline.stance if c.baseline else None,
            c.baseline.score if c.baseline else None,
            c.baseline.text if c.baseline else None,
            c.evidence,
            c.attribution,
            c.confidence,
        )
        for url, c in unique
    ]
    with staged(con, _CHANGE_COLUMNS, values) as stage:
        return row_count(
            con,
            f"""
            INSERT INTO changes ({_columns(_CHANGE_COLUMNS)}, detected_at, baseline_version, run_id)
            SELECT {_columns(_CHANGE_COLUMNS, "s.")}, now(), $version, $run_id
            FROM {stage} AS s
            WHERE NOT EXISTS (
                SELECT 1 FROM changes AS c
                WHERE c.baseline_version = $version AND c.canonical_url = s.canonical_url
                  AND c.actor = s.actor AND c.issue = s.issue AND c.kind = s.kind)
            ORDER BY s.confidence DESC
            """,
            {"version": baseline_version, "run_id": run_id},
        )


def delete_results_for_version(con: duckdb.DuckDBPyConnection, baseline_version: str) -> None:
    """Forget the statements and changes computed against one baseline version."""
    for table in ("statements", "changes"):
        row_count(con, f"DELETE FROM {table} WHERE baseline_version = ?", [baseline_version])


def delete_results_except(con: duckdb.DuckDBPyConnection, baseline_version: str) -> None:
    """Forget the statements and changes of every baseline version but this one."""
    for table in ("statements", "changes"):
        row_count(con, f"DELETE FROM {table} WHERE baseline_version <> ?", [baseline_version])


# --- runs and errors -------------------------------------------------------------------------


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
            INSERT INTO item_errors (run_id, occurred_at, {_columns(_ERROR_COLUMNS)})
            SELECT $run_id, now(), {_columns(_ERROR_COLUMNS, "s.")}
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
