"""Feed configuration and polling state: what to poll and how the last polls went."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import duckdb

from stancewatch.models import FeedConfig, FeedState
from stancewatch.store.staging import (
    BOOL,
    TEXT,
    TEXT_LIST,
    first_by_key,
    row_count,
    staged,
    utc,
)

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
    """Conditional-GET validators, failure streak and health of every known feed, by id."""
    rows = con.execute(
        """
        SELECT id, etag, last_modified, consecutive_failures, next_poll_at, disabled_reason
        FROM feeds ORDER BY id
        """
    ).fetchall()
    return {
        feed_id: FeedState(
            feed_id, etag, last_modified, int(failures), utc(next_poll_at), disabled_reason
        )
        for feed_id, etag, last_modified, failures, next_poll_at, disabled_reason in rows
    }


@dataclass(frozen=True)
class HealthPolicy:
    """How failing feeds are treated: backoff between polls, and when to stop polling."""

    backoff_base: float = 900.0  # seconds before the poll after a second failure in a row
    backoff_max: float = 86_400.0  # the longest wait between polls of a failing feed
    disable_after: int = 3  # consecutive hard failures that disable a feed


def enable_feed(con: duckdb.DuckDBPyConnection, feed_id: str) -> bool:
    """Poll a feed again at the next run, forgetting its failures; False if it is unknown."""
    return (
        row_count(
            con,
            """
            UPDATE feeds SET disabled_at = NULL, disabled_reason = NULL, hard_failures = 0,
                             consecutive_failures = 0, next_poll_at = NULL
            WHERE id = $feed_id
            """,
            {"feed_id": feed_id},
        )
        > 0
    )


def note_text_yield(con: duckdb.DuckDBPyConnection, sources: Sequence[tuple[str, bool]]) -> None:
    """Track, per feed, how many stored articles in a row got no text from their page.

    `sources` holds (feed_id, page gave the text) in the order articles were stored. A long
    streak means the feed's links stopped leading to readable articles (a paywall, a site
    redesign): `stancewatch feeds` flags it.
    """
    streaks: dict[str, tuple[bool, int]] = {}
    for feed_id, from_page in sources:
        reset, count = streaks.get(feed_id, (False, 0))
        streaks[feed_id] = (True, 0) if from_page else (reset, count + 1)
    for feed_id, (reset, count) in streaks.items():
        con.execute(
            """
            UPDATE feeds SET pages_without_text =
                CASE WHEN $reset THEN 0 ELSE coalesce(pages_without_text, 0) END + $count
            WHERE id = $feed_id
            """,
            {"feed_id": feed_id, "reset": reset, "count": count},
        )


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
    hard: bool = False,
    retry_after: float | None = None,
    policy: HealthPolicy = HealthPolicy(),
) -> None:
    """Remember the outcome of one poll of a feed.

    `bozo` is feedparser's complaint about a feed that was still usable; it is kept as the
    feed's last warning. A successful poll (including 304) resets the failure streak and
    clears the last error, and replaces the validators only with new values: a 304 carries
    none, and forgetting them would turn the next poll into a full download. A failed poll
    keeps the validators.

    Health: after a failure the next poll waits (none after the first failure, then
    backoff_base doubling per failure up to backoff_max, or longer if the server asked with
    Retry-After). A `hard` failure (one waiting will not fix) adds to the hard streak;
    a 410 Gone, or `disable_after` hard failures in a row, disable the feed with the reason.
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
            hard_failures = CASE WHEN NOT $ok AND $hard
                                 THEN coalesce(hard_failures, 0) + 1 ELSE 0 END,
            next_poll_at = CASE
                WHEN $ok THEN NULL
                ELSE now() + to_seconds(greatest(
                    coalesce($retry_after, 0),
                    CASE WHEN consecutive_failures = 0 THEN 0
                         ELSE least($backoff_max,
                                    $backoff_base * pow(2, least(consecutive_failures - 1, 40)))
                    END))
            END,
            disabled_at = CASE
                WHEN NOT $ok AND $hard AND ($status = 410
                     OR coalesce(hard_failures, 0) + 1 >= $disable_after)
                THEN now() ELSE disabled_at END,
            disabled_reason = CASE
                WHEN NOT $ok AND $hard AND ($status = 410
                     OR coalesce(hard_failures, 0) + 1 >= $disable_after)
                THEN 'disabled after ' || (coalesce(hard_failures, 0) + 1)
                     || ' hard failure(s): ' || $error
                ELSE disabled_reason END,
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
            "hard": hard,
            "retry_after": retry_after,
            "backoff_base": policy.backoff_base,
            "backoff_max": policy.backoff_max,
            "disable_after": policy.disable_after,
        },
    )
    if updated == 0:
        raise ValueError(f"feed {feed_id!r} is not in the database; call sync_feeds first")
