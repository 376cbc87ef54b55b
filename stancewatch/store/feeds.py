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


@dataclass(frozen=True)
class FeedPollRecord:
    """The outcome of one poll of a feed, as record_feed_polls stores it.

    `bozo` is feedparser's complaint about a feed that was still usable. `hard` marks a
    failure waiting will not fix; `retry_after` is the wait the server asked for, in seconds.
    """

    feed_id: str
    ok: bool
    status: int | None
    etag: str | None
    last_modified: str | None
    error: str | None
    entries: int
    bozo: str | None = None
    hard: bool = False
    retry_after: float | None = None


def record_feed_polls(
    con: duckdb.DuckDBPyConnection,
    polls: Sequence[FeedPollRecord],
    policy: HealthPolicy = HealthPolicy(),
) -> None:
    """Remember the outcome of every poll of a run in one set-based statement.

    A successful poll (including 304) resets the failure streak and clears the last error,
    and replaces the validators only with new values: a 304 carries none, and forgetting them
    would turn the next poll into a full download. A failed poll keeps the validators. A
    usable feed's bozo complaint is kept as its last warning.

    Health: after a failure the next poll waits (none after the first failure, then
    backoff_base doubling per failure up to backoff_max, or longer if the server asked with
    Retry-After). A `hard` failure (one waiting will not fix) adds to the hard streak;
    a 410 Gone, or `disable_after` hard failures in a row, disable the feed with the reason.
    """
    if not polls:
        return
    latest = {poll.feed_id: poll for poll in polls}  # a feed polled twice: its last poll wins
    rows = list(latest.values())
    # Lists bound as parameters and unnested side by side: no per-row statements, and no
    # Arrow import for a run that only polls.
    updated = row_count(
        con,
        """
        UPDATE feeds SET
            last_polled_at = now(),
            last_status = p.status,
            etag = CASE WHEN p.ok AND p.etag IS NOT NULL THEN p.etag ELSE feeds.etag END,
            last_modified = CASE WHEN p.ok AND p.last_modified IS NOT NULL
                                 THEN p.last_modified ELSE feeds.last_modified END,
            last_ok_at = CASE WHEN p.ok THEN now() ELSE feeds.last_ok_at END,
            consecutive_failures = CASE WHEN p.ok THEN 0 ELSE feeds.consecutive_failures + 1 END,
            hard_failures = CASE WHEN NOT p.ok AND p.hard
                                 THEN coalesce(feeds.hard_failures, 0) + 1 ELSE 0 END,
            next_poll_at = CASE
                WHEN p.ok THEN NULL
                ELSE now() + to_seconds(greatest(
                    coalesce(p.retry_after, 0),
                    CASE WHEN feeds.consecutive_failures = 0 THEN 0
                         ELSE least($backoff_max, $backoff_base
                                    * pow(2, least(feeds.consecutive_failures - 1, 40)))
                    END))
            END,
            disabled_at = CASE
                WHEN NOT p.ok AND p.hard AND (p.status = 410
                     OR coalesce(feeds.hard_failures, 0) + 1 >= $disable_after)
                THEN now() ELSE feeds.disabled_at END,
            disabled_reason = CASE
                WHEN NOT p.ok AND p.hard AND (p.status = 410
                     OR coalesce(feeds.hard_failures, 0) + 1 >= $disable_after)
                THEN 'disabled after ' || (coalesce(feeds.hard_failures, 0) + 1)
                     || ' hard failure(s): ' || p.error
                ELSE feeds.disabled_reason END,
            last_error = CASE WHEN p.ok THEN NULL ELSE p.error END,
            last_warning = CASE WHEN p.ok AND p.status IS DISTINCT FROM 304
                                THEN p.bozo ELSE feeds.last_warning END,
            entries_seen = feeds.entries_seen + p.entries
        FROM (
            SELECT unnest($feed_id::VARCHAR[]) AS feed_id,
                   unnest($ok::BOOLEAN[]) AS ok,
                   unnest($status::INTEGER[]) AS status,
                   unnest($etag::VARCHAR[]) AS etag,
                   unnest($last_modified::VARCHAR[]) AS last_modified,
                   unnest($error::VARCHAR[]) AS error,
                   unnest($entries::BIGINT[]) AS entries,
                   unnest($bozo::VARCHAR[]) AS bozo,
                   unnest($hard::BOOLEAN[]) AS hard,
                   unnest($retry_after::DOUBLE[]) AS retry_after
        ) AS p
        WHERE feeds.id = p.feed_id
        """,
        {
            "feed_id": [p.feed_id for p in rows],
            "ok": [p.ok for p in rows],
            "status": [p.status for p in rows],
            "etag": [p.etag for p in rows],
            "last_modified": [p.last_modified for p in rows],
            "error": [p.error for p in rows],
            "entries": [max(p.entries, 0) for p in rows],
            "bozo": [p.bozo for p in rows],
            "hard": [p.hard for p in rows],
            "retry_after": [p.retry_after for p in rows],
            "backoff_base": policy.backoff_base,
            "backoff_max": policy.backoff_max,
            "disable_after": policy.disable_after,
        },
    )
    if updated < len(rows):
        known = {row[0] for row in con.execute("SELECT id FROM feeds").fetchall()}
        missing = sorted(p.feed_id for p in rows if p.feed_id not in known)
        raise ValueError(f"feeds {missing} are not in the database; call sync_feeds first")


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
    """Remember the outcome of one poll of a feed (see record_feed_polls)."""
    record_feed_polls(
        con,
        [
            FeedPollRecord(
                feed_id, ok, status, etag, last_modified, error, entries, bozo, hard, retry_after
            )
        ],
        policy,
    )
