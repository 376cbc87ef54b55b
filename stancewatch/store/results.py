"""What a run stores: articles and engine results (baseline, statements, changes); idempotent."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import duckdb

from stancewatch.models import Article, BaselinePosition, Change, Statement
from stancewatch.store.latest import keep_latest
from stancewatch.store.staging import (
    BOOL,
    DATE,
    FLOAT,
    INT,
    TEXT,
    TIMESTAMP,
    column_list,
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
            INSERT INTO articles ({column_list(_ARTICLE_COLUMNS)}, fetched_at, run_id)
            SELECT {column_list(_ARTICLE_COLUMNS, "s.")}, now(), $run_id
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
                (baseline_version, {column_list(_BASELINE_COLUMNS)}, saved_at)
            SELECT $version, {column_list(_BASELINE_COLUMNS, "s.")}, now()
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


def current_baseline_version(con: duckdb.DuckDBPyConnection) -> str | None:
    """The baseline version the views compare against (the one saved last), if any."""
    rows = con.execute(
        """
        SELECT baseline_version FROM baseline_versions
        ORDER BY last_saved_at DESC, baseline_version DESC LIMIT 1
        """
    ).fetchall()
    return str(rows[0][0]) if rows else None


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
        # The statements not stored yet, found once (one pass over the stored ones) and kept
        # for both the insert and latest_statements. A statement is stated when its article
        # was published, else when it is stored.
        fresh = f"fresh_{uuid.uuid4().hex}"
        row_count(
            con,
            f"""
            CREATE TEMPORARY TABLE {fresh} AS
            SELECT s.*, now() AS stored_at, coalesce(a.published, now()) AS stated_at
            FROM {stage} AS s
            LEFT JOIN articles AS a ON a.canonical_url = s.canonical_url
            WHERE NOT EXISTS (
                SELECT 1 FROM statements AS t
                WHERE t.baseline_version = $version AND t.canonical_url = s.canonical_url
                  AND t.sentence_index = s.sentence_index AND t.actor = s.actor
                  AND t.issue = s.issue AND t.stance = s.stance)
            """,
            {"version": baseline_version},
        )
        try:
            added = row_count(
                con,
                f"""
                INSERT INTO statements
                    ({column_list(_STATEMENT_COLUMNS)}, baseline_version, run_id, stored_at,
                     stated_at)
                SELECT {column_list(_STATEMENT_COLUMNS)}, $version, $run_id, stored_at, stated_at
                FROM {fresh}
                """,
                {"version": baseline_version, "run_id": run_id},
            )
            # Only new rows can change it: a statement written again was folded in before.
            keep_latest(con, f"SELECT * FROM {fresh}", baseline_version)
        finally:
            row_count(con, f"DROP TABLE IF EXISTS {fresh}")
        return added


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
            INSERT INTO changes
                ({column_list(_CHANGE_COLUMNS)}, detected_at, baseline_version, run_id, stated_at)
            SELECT {column_list(_CHANGE_COLUMNS, "s.")}, now(), $version, $run_id,
                   coalesce(a.published, a.fetched_at, now())
            FROM {stage} AS s
            LEFT JOIN articles AS a ON a.canonical_url = s.canonical_url
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
    for table in ("statements", "changes", "latest_statements"):
        row_count(con, f"DELETE FROM {table} WHERE baseline_version = ?", [baseline_version])


def delete_results_except(con: duckdb.DuckDBPyConnection, baseline_version: str) -> None:
    """Forget the statements and changes of every baseline version but this one."""
    for table in ("statements", "changes", "latest_statements"):
        row_count(con, f"DELETE FROM {table} WHERE baseline_version <> ?", [baseline_version])
