"""Feed configuration and polling state: what to poll and how the last polls went."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

from stancewatch.models import FeedConfig, FeedState
from stancewatch.store.staging import BOOL, TEXT, TEXT_LIST, first_by_key, row_count, staged

_FEED_COLUMNS = {"id": TEXT, "url": TEXT, "title": TEXT, "tags": TEXT_LIST, "enabled": BOOL}


def sync_feeds(con: duckdb.DuckDBPyConnection, feeds: Sequence[FeedConfig]) -> None:
    """Insert new feeds and update the configuration of known ones.

    Polling state is kept, except that a feed whose URL changed forgets its ETag and
    Last-Modified (they belong to the old URL). Feeds absent from `feeds` are left alone.
    """
    unique = first_by_key(feeds, lambda feed: feed.id)
    rows = [(f.id, f.url, f.title, list(f.tags), f.enabled) for f in unique]
    with staged(con, _FEED_COLUMNS, rows) as stage:
        row_count(
            con,
            f"""
            UPDATE feeds SET
                url = s.url,
                title = s.title,
                tags = s.tags,
                enabled = s.enabled,
                etag = CASE WHEN feeds.url = s.url THEN feeds.etag END,
                last_modified = CASE WHEN feeds.url = s.url THEN feeds.last_modified END,
                updated_at = now()
            FROM {stage} AS s
            WHERE feeds.id = s.id
              AND (feeds.url, feeds.title, feeds.tags, feeds.enabled)
                  IS DISTINCT FROM (s.url, s.title, s.tags, s.enabled)
            """,
        )
        row_count(
            con,
            f"""
            INSERT INTO feeds (id, url, title, tags, enabled)
            SELECT s.id, s.url, s.title, s.tags, s.enabled
            FROM {stage} AS s
            WHERE NOT EXISTS (SELECT 1 FROM feeds WHERE feeds.id = s.id)
            """,
        )


def feed_states(con: duckdb.DuckDBPyConnection) -> dict[str, FeedState]:
    """Conditional-GET validators and failure streak of every known feed, by feed id."""
    rows = con.execute(
        "SELECT id, etag, last_modified, consecutive_failures FROM feeds ORDER BY id"
    ).fetchall()
    return {
        feed_id: FeedState(feed_id, etag, last_modified, int(failures))
        for feed_id, etag, last_modified, failures in rows
    }


def record_feed_poll(
    con: duckdb.DuckDBPyConnection,
    feed_id: str,
    *,
    ok: bool,
    status: int | None,
    etag: str | None,
    last_modified: str | None,
    error: str | None,
    entries: int,
    bozo: str | None = None,
) -> None:
    """Remember the outcome of one poll of a feed.

    `bozo` is feedparser's complaint about a feed that was still usable; it is kept as the
    feed's last warning. A successful poll (including 304) resets the failure streak and
    clears the last error, and replaces the validators only with new values: a 304 carries
    none, and forgetting them would turn the next poll into a full download. A failed poll
    keeps the validators.
    """
    updated = row_count(
        con,
        """
        UPDATE feeds SET
            last_polled_at = now(),
            last_status = $status,
            etag = CASE WHEN $ok AND $etag IS NOT NULL THEN $etag ELSE etag END,
            last_modified = CASE WHEN $ok AND $last_modified IS NOT NULL
                                 THEN $last_modified ELSE last_modified END,
            last_ok_at = CASE WHEN $ok THEN now() ELSE last_ok_at END,
            consecutive_failures = CASE WHEN $ok THEN 0 ELSE consecutive_failures + 1 END,
            last_error = CASE WHEN $ok THEN NULL ELSE $error END,
            last_warning = CASE WHEN $ok AND $status IS DISTINCT FROM 304
                                THEN $bozo ELSE last_warning END,
            entries_seen = entries_seen + $entries
        WHERE id = $feed_id
        """,
        {
            "feed_id": feed_id,
            "ok": ok,
            "status": status,
            "etag": etag,
            "last_modified": last_modified,
            "error": error,
            "entries": max(entries, 0),
            "bozo": bozo,
        },
    )
    if updated == 0:
        raise ValueError(f"feed {feed_id!r} is not in the database; call sync_feeds first")
