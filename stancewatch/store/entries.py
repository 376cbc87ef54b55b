"""The per-entry work queue: feed entries wait here until their article is stored or gives up.

A run that fails to fetch an article leaves its entry pending, so a later run retries it even
when the feed itself now answers 304 Not Modified.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

from stancewatch.models import FeedEntry
from stancewatch.store.staging import INT, TEXT, TIMESTAMP, row_count, staged, utc

ENTRY_STATUSES = ("pending", "done", "failed")

_ENTRY_COLUMNS = {
    "canonical_url": TEXT,
    "feed_id": TEXT,
    "guid": TEXT,
    "url": TEXT,
    "title": TEXT,
    "published": TIMESTAMP,
    "summary": TEXT,
    "content": TEXT,
    "content_hash": TEXT,
    "position": INT,
    "updated": TIMESTAMP,
}
_OUTCOME_COLUMNS = {"canonical_url": TEXT, "status": TEXT, "error": TEXT}


def add_entries(
    con: duckdb.DuckDBPyConnection,
    entries: Sequence[FeedEntry],
    run_id: str,
    *,
    per_feed_limit: int | None = None,
    over_limit: dict[str, int] | None = None,
) -> int:
    """Queue entries never seen before as 'pending'; returns how many were added.

    An entry is known when any of its keys is: its guid within its feed, its canonical URL,
    or its content hash (the same story under another URL or in another feed).
    `per_feed_limit` caps the new entries one feed may add in this call, newest first (by
    published date, then feed order): a feed dumping its whole archive cannot flood the queue.
    The rest stay unknown, so a later poll that still lists them can queue them; how many
    that was per feed is put in `over_limit` when given.
    """
    fresh = _unique_within_batch(entries)
    rows = [
        (
            e.canonical_url,
            e.feed_id,
            e.guid,
            e.url,
            e.title,
            e.published,
            e.summary,
            e.content,
            e.content_hash,
            position,
            e.updated,
        )
        for position, e in enumerate(fresh)
    ]
    with staged(con, _ENTRY_COLUMNS, rows) as stage:
        unknown = f"""
            SELECT s.*, row_number() OVER (
                PARTITION BY s.feed_id ORDER BY s.published DESC NULLS LAST, s.position
            ) AS newest_rank
            FROM {stage} AS s
            WHERE NOT EXISTS (SELECT 1 FROM entries AS e WHERE e.canonical_url = s.canonical_url)
              AND NOT EXISTS (SELECT 1 FROM entries AS e
                              WHERE e.feed_id = s.feed_id AND e.guid = s.guid)
              AND NOT EXISTS (SELECT 1 FROM entries AS e WHERE e.content_hash = s.content_hash)
        """
        if over_limit is not None and per_feed_limit is not None:
            over_limit.update(
                (str(feed_id), int(extra))
                for feed_id, extra in con.execute(
                    f"""
                    SELECT feed_id, count(*) - $limit FROM ({unknown})
                    GROUP BY feed_id HAVING count(*) > $limit
                    """,
                    {"limit": per_feed_limit},
                ).fetchall()
            )
        return row_count(
            con,
            f"""
            INSERT INTO entries (canonical_url, feed_id, guid, url, title, published, summary,
                                 content, content_hash, updated, status, attempts,
                                 first_seen_at, run_id)
            SELECT canonical_url, feed_id, guid, url, title, published, summary,
                   content, content_hash, updated, 'pending', 0, now(), $run_id
            FROM ({unknown})
            WHERE $limit IS NULL OR newest_rank <= $limit
            """,
            {"run_id": run_id, "limit": per_feed_limit},
        )


def pending_entries(con: duckdb.DuckDBPyConnection, *, limit: int) -> list[FeedEntry]:
    """Entries still to process, taken from the feeds in turn (round-robin), each feed's
    oldest first: a feed with a long backlog cannot starve another feed's few new entries.

    Entries are returned whatever their attempt count: the caller decides when tries are used
    up and falls back to the feed's text, so no entry can stay queued for ever (even after
    the allowed attempts are lowered).
    """
    rows = con.execute(
        """
        SELECT feed_id, guid, url, canonical_url, title, published, summary, content,
               content_hash
        FROM (
            SELECT *, row_number() OVER (
                PARTITION BY feed_id ORDER BY first_seen_at, published NULLS LAST, canonical_url
            ) AS turn
            FROM entries
            WHERE status = 'pending'
        )
        ORDER BY turn, first_seen_at, published NULLS LAST, canonical_url
        LIMIT $limit
        """,
        {"limit": max(limit, 0)},
    ).fetchall()
    entries = []
    for feed_id, guid, url, canonical_url, title, published, summary, content, hash_ in rows:
        entries.append(
            FeedEntry(
                feed_id=feed_id,
                guid=guid,
                url=url,
                canonical_url=canonical_url,
                title=title,
                published=utc(published),
                summary=summary,
                content=content,
                content_hash=hash_,
            )
        )
    return entries


def entry_attempts(con: duckdb.DuckDBPyConnection, canonical_urls: Sequence[str]) -> dict[str, int]:
    """How many runs already tried each of these entries (unknown URLs are left out)."""
    if not canonical_urls:
        return {}
    rows = con.execute(
        "SELECT canonical_url, attempts FROM entries WHERE list_contains($urls, canonical_url)",
        {"urls": list(canonical_urls)},
    ).fetchall()
    return {url: int(attempts) for url, attempts in rows}


def start_attempts(con: duckdb.DuckDBPyConnection, canonical_urls: Sequence[str]) -> None:
    """Count one attempt for each of these entries now, before they are fetched.

    Counting at the start means a fetch that hangs until the run is killed still uses up an
    attempt, so the same entry cannot hang every later run.
    """
    if not canonical_urls:
        return
    con.execute(
        """
        UPDATE entries SET attempts = attempts + 1, last_attempt_at = now()
        WHERE list_contains($urls, canonical_url)
        """,
        {"urls": sorted(set(canonical_urls))},
    )


def mark_entries(
    con: duckdb.DuckDBPyConnection, outcomes: Sequence[tuple[str, str, str | None]]
) -> None:
    """Record outcomes: (canonical_url, 'done' | 'pending' | 'failed', error or None).

    The attempt itself was counted by start_attempts; 'pending' means "try again in a later
    run". When a URL appears more than once, its last outcome wins.
    """
    latest: dict[str, tuple[str, str, str | None]] = {}
    for canonical_url, status, error in outcomes:
        if status not in ENTRY_STATUSES:
            raise ValueError(f"entry status must be one of {ENTRY_STATUSES}, not {status!r}")
        latest[canonical_url] = (canonical_url, status, error)
    with staged(con, _OUTCOME_COLUMNS, list(latest.values())) as stage:
        row_count(
            con,
            f"""
            UPDATE entries SET
                status = s.status,
                last_error = s.error
            FROM {stage} AS s
            WHERE entries.canonical_url = s.canonical_url
            """,
        )


def _unique_within_batch(entries: Sequence[FeedEntry]) -> list[FeedEntry]:
    # Compared with the entries kept so far, exactly as the INSERT compares with stored
    # rows, so a batch ends up the same whether it is added at once or entry by entry.
    urls: set[str] = set()
    guids: set[tuple[str, str]] = set()
    hashes: set[str] = set()
    kept: list[FeedEntry] = []
    for entry in entries:
        guid = (entry.feed_id, entry.guid)
        if entry.canonical_url in urls or guid in guids or entry.content_hash in hashes:
            continue
        urls.add(entry.canonical_url)
        guids.add(guid)
        hashes.add(entry.content_hash)
        kept.append(entry)
    return kept
