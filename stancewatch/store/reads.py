"""Queries for the CLI, reports and rescoring: rows as dicts of plain Python values."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import duckdb

from stancewatch.store.latest_schema import recent_changes_select
from stancewatch.store.staging import utc

if TYPE_CHECKING:  # loaded by the one reader that builds records, not by every query
    from stancewatch.models import Article

# The baseline version the views compare against: the one saved last (every version while
# none is saved), as in migrations.py.
CURRENT_VERSION = """
    coalesce((SELECT baseline_version FROM baseline_versions
              ORDER BY last_saved_at DESC, baseline_version DESC LIMIT 1), c.baseline_version)
"""

DEFAULT_EXCLUDED_KINDS = ("reaffirmed",)


def list_feeds(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Every feed with its configuration, polling health and how much it yielded."""
    return _rows(
        con,
        """
        SELECT f.id, f.url, f.title, f.tags, f.enabled,
               f.last_polled_at, f.last_ok_at, f.last_status,
               f.consecutive_failures, f.last_error, f.last_warning, f.entries_seen,
               f.next_poll_at, f.hard_failures, f.disabled_at, f.disabled_reason,
               f.pages_without_text,
               (SELECT count(*) FROM entries AS e
                WHERE e.feed_id = f.id AND e.status = 'pending') AS entries_pending,
               (SELECT count(*) FROM articles AS a WHERE a.feed_id = f.id) AS articles
        FROM feeds AS f
        ORDER BY f.id
        """,
    )


def list_articles(
    con: duckdb.DuckDBPyConnection,
    *,
    since: datetime | None,
    feed_id: str | None = None,
    limit: int = 100,
) -> list[dict[str, Any]]:
    """Stored articles, newest first (by publication, else by when they were stored)."""
    where, params = _filters(
        ("coalesce(a.published, a.fetched_at) >= $since", "since", _aware(since)),
        ("a.feed_id = $feed_id", "feed_id", feed_id),
    )
    return _rows(
        con,
        f"""
        SELECT a.id, a.published, a.fetched_at, a.feed_id, a.title, a.url, a.canonical_url,
               a.author, a.language, a.text_source, length(a.text) AS chars, a.extract_note,
               (SELECT count(*) FROM actor_timeline AS t
                WHERE t.canonical_url = a.canonical_url) AS statements,
               (SELECT count(*) FROM recent_changes AS c
                WHERE c.canonical_url = a.canonical_url AND c.kind <> 'reaffirmed') AS changes,
               a.run_id
        FROM articles AS a
        {where}
        ORDER BY coalesce(a.published, a.fetched_at) DESC, a.id DESC
        LIMIT $limit
        """,
        params | {"limit": max(limit, 0)},
    )


def list_changes(
    con: duckdb.DuckDBPyConnection,
    *,
    since: datetime | None,
    actor: str | None = None,
    issue: str | None = None,
    kinds: Sequence[str] | None = None,
    limit: int = 500,
    by_detection: bool = False,
) -> list[dict[str, Any]]:
    """Changes against the current baseline, newest statement first.

    `since` applies to when the statement was made (the article's publication time, else
    when it was stored), or with `by_detection` to when stancewatch found the change, newest
    detection first: a digest must list today's findings about last month's articles.
    Without `kinds`, reaffirmations are left out.
    """
    when = "detected_at" if by_detection else "stated_at"
    where, params = _filters(
        (f"c.{when} >= $since", "since", _aware(since)),
        ("c.actor = $actor", "actor", actor),
        ("c.issue = $issue", "issue", issue),
    )
    if kinds is not None:
        kind_clause = "c.kind IN (SELECT unnest($kinds::VARCHAR[]))"
        params["kinds"] = list(kinds)
    else:
        kind_clause = "c.kind NOT IN (SELECT unnest($kinds::VARCHAR[]))"
        params["kinds"] = list(DEFAULT_EXCLUDED_KINDS)
    clauses = [f"c.baseline_version = {CURRENT_VERSION}", kind_clause]
    if where:
        clauses.append(where.removeprefix("WHERE "))
    conditions = " AND ".join(clauses)
    order = f"c.{when} DESC, c.{'stated_at' if by_detection else 'detected_at'} DESC, c.id DESC"
    # recent_changes' rows, but the few shown are picked from `changes` before the joins: the
    # view would join every change of the current version to its article first.
    return _rows(
        con,
        f"""
        WITH picked AS MATERIALIZED (
            SELECT * FROM changes AS c
            WHERE {conditions}
            ORDER BY {order}
            LIMIT $limit
        )
        {recent_changes_select("picked")}
        ORDER BY {order}
        """,
        params | {"limit": max(limit, 0)},
    )


def latest_positions(
    con: duckdb.DuckDBPyConnection, *, actor: str | None = None
) -> list[dict[str, Any]]:
    """Per actor and issue: the most recent stated stance (with its sentence and article)
    beside the baseline stance. Pairs with no statement yet have stance None."""
    where, params = _filters(("actor = $actor", "actor", actor))
    return _rows(con, f"SELECT * FROM latest_positions {where} ORDER BY actor, issue", params)


def list_runs(con: duckdb.DuckDBPyConnection, *, limit: int = 20) -> list[dict[str, Any]]:
    """The most recent runs first, with their counts."""
    return _rows(
        con,
        "SELECT * FROM runs ORDER BY started_at DESC, run_id DESC LIMIT $limit",
        {"limit": max(limit, 0)},
    )


def list_errors(
    con: duckdb.DuckDBPyConnection, *, run_id: str | None = None, limit: int = 100
) -> list[dict[str, Any]]:
    """Recorded per-item failures, most recent first."""
    where, params = _filters(("run_id = $run_id", "run_id", run_id))
    return _rows(
        con,
        f"""
        SELECT occurred_at, run_id, stage, feed_id, url, error_class, message
        FROM item_errors
        {where}
        ORDER BY occurred_at DESC, id DESC
        LIMIT $limit
        """,
        params | {"limit": max(limit, 0)},
    )


def stored_articles(con: duckdb.DuckDBPyConnection, *, limit: int | None = None) -> list[Article]:
    """Stored articles as records, oldest first, for scoring them again."""
    from stancewatch.models import Article

    limit_clause = "LIMIT $limit" if limit is not None else ""
    params = {"limit": max(limit, 0)} if limit is not None else {}
    rows = con.execute(
        f"""
        SELECT url, canonical_url, feed_id, guid, title, author, published, language, text,
               text_source, content_hash, http_status, extract_note
        FROM articles
        ORDER BY coalesce(published, fetched_at), id
        {limit_clause}
        """,
        params,
    ).fetchall()
    return [
        Article(
            url=url,
            canonical_url=canonical_url,
            feed_id=feed_id,
            guid=guid,
            title=title,
            author=author,
            published=utc(published),
            language=language,
            text=text,
            text_source=text_source,
            content_hash=content_hash,
            http_status=http_status,
            extract_note=extract_note,
        )
        for (
            url,
            canonical_url,
            feed_id,
            guid,
            title,
            author,
            published,
            language,
            text,
            text_source,
            content_hash,
            http_status,
            extract_note,
        ) in rows
    ]


def _filters(*conditions: tuple[str, str, object]) -> tuple[str, dict[str, Any]]:
    # Only the filters that were given become SQL: a NULL parameter has no type for DuckDB
    # to bind, and "$x IS NULL OR ..." would also hide the column from the optimiser.
    clauses = [clause for clause, _, value in conditions if value is not None]
    params = {name: value for _, name, value in conditions if value is not None}
    return (f"WHERE {' AND '.join(clauses)}" if clauses else "", params)


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def _rows(
    con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    cursor = con.execute(sql, params or {})
    names = [column[0] for column in cursor.description or ()]
    return [
        {name: _plain(value) for name, value in zip(names, row, strict=True)}
        for row in cursor.fetchall()
    ]


def _plain(value: object) -> object:
    return utc(value) if isinstance(value, datetime) else value
