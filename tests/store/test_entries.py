"""Tests for stancewatch.store.entries: deduplicated queueing and the pending/mark cycle."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from stancewatch.models import FeedConfig, FeedEntry
from stancewatch.store import (
    add_entries,
    list_feeds,
    mark_entries,
    open_db,
    pending_entries,
    start_attempts,
    sync_feeds,
)


@pytest.fixture
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    with open_db(tmp_path / "watch.duckdb") as connection:
        yield connection


def entry(n: int, feed_id: str = "wire", **changes: object) -> FeedEntry:
    base = FeedEntry(
        feed_id=feed_id,
        guid=f"guid-{n}",
        url=f"https://news.example/story/{n}?utm_source=rss",
        canonical_url=f"https://news.example/story/{n}",
        title=f"Story {n}",
        published=datetime(2024, 2, 1 + n, 9, 0, tzinfo=UTC),
        summary=f"<p>Summary {n}</p>",
        content=None,
        content_hash=f"hash-{n}",
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def _statuses(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, int, str | None]]:
    rows = con.execute("SELECT canonical_url, status, attempts, last_error FROM entries").fetchall()
    return {url: (status, attempts, error) for url, status, attempts, error in rows}


def test_new_entries_are_queued_once(con: duckdb.DuckDBPyConnection) -> None:
    batch = [entry(1), entry(2), entry(3)]

    assert add_entries(con, batch, "run-1") == 3
    assert add_entries(con, batch, "run-2") == 0

    queued = pending_entries(con, limit=10)
    assert queued == batch
    rows = con.execute("SELECT DISTINCT run_id, status, attempts FROM entries").fetchall()
    assert rows == [("run-1", "pending", 0)]


@pytest.mark.parametrize(
    ("key", "duplicate"),
    [
        ("guid within the feed", entry(9, guid="guid-1")),
        ("canonical url", entry(9, canonical_url="https://news.example/story/1")),
        ("content hash", entry(9, content_hash="hash-1")),
        ("content hash from another feed", entry(9, feed_id="other", content_hash="hash-1")),
    ],
)
def test_an_entry_sharing_any_key_with_a_stored_one_is_skipped(
    con: duckdb.DuckDBPyConnection, key: str, duplicate: FeedEntry
) -> None:
    add_entries(con, [entry(1)], "run-1")

    assert add_entries(con, [duplicate, entry(2)], "run-2") == 1, key
    assert set(_statuses(con)) == {entry(1).canonical_url, entry(2).canonical_url}


def test_same_guid_in_another_feed_is_a_different_entry(con: duckdb.DuckDBPyConnection) -> None:
    add_entries(con, [entry(1)], "run-1")

    assert add_entries(con, [entry(9, feed_id="other", guid="guid-1")], "run-2") == 1


def test_duplicates_within_one_batch_keep_the_first(con: duckdb.DuckDBPyConnection) -> None:
    batch = [
        entry(1),
        entry(2, guid="guid-1"),
        entry(3, canonical_url=entry(1).canonical_url),
        entry(4, content_hash="hash-1"),
        entry(5),
    ]

    assert add_entries(con, batch, "run-1") == 2
    assert [e.guid for e in pending_entries(con, limit=10)] == ["guid-1", "guid-5"]


def test_pending_entries_are_oldest_first_and_limited(con: duckdb.DuckDBPyConnection) -> None:
    add_entries(con, [entry(3), entry(1)], "run-1")
    add_entries(con, [entry(2)], "run-2")

    assert [e.guid for e in pending_entries(con, limit=10)] == [
        "guid-1",
        "guid-3",
        "guid-2",
    ]
    assert len(pending_entries(con, limit=2)) == 2


def test_pending_mark_cycle_counts_attempts(
    con: duckdb.DuckDBPyConnection,
) -> None:
    add_entries(con, [entry(1), entry(2), entry(3)], "run-1")
    url1, url2, url3 = (entry(n).canonical_url for n in (1, 2, 3))

    start_attempts(con, [url1, url2, url3])
    mark_entries(con, [(url1, "done", None), (url2, "pending", "timeout"), (url3, "failed", "404")])

    assert _statuses(con) == {
        url1: ("done", 1, None),
        url2: ("pending", 1, "timeout"),
        url3: ("failed", 1, "404"),
    }
    assert [e.canonical_url for e in pending_entries(con, limit=10)] == [url2]

    start_attempts(con, [url2])
    mark_entries(con, [(url2, "pending", "timeout again")])
    assert pending_entries(con, limit=10) != []
    start_attempts(con, [url2])
    mark_entries(con, [(url2, "pending", "third timeout")])

    assert _statuses(con)[url2] == ("pending", 3, "third timeout")
    # Still queued: the pipeline, which knows the allowed attempts, settles it next time.
    assert [e.canonical_url for e in pending_entries(con, limit=10)] == [url2]


def test_repeated_url_in_one_mark_counts_once_and_last_wins(
    con: duckdb.DuckDBPyConnection,
) -> None:
    add_entries(con, [entry(1)], "run-1")
    url = entry(1).canonical_url

    start_attempts(con, [url, url])
    mark_entries(con, [(url, "pending", "timeout"), (url, "done", None)])

    assert _statuses(con)[url] == ("done", 1, None)


def test_an_attempt_counts_when_it_starts(con: duckdb.DuckDBPyConnection) -> None:
    add_entries(con, [entry(1)], "run-1")
    url = entry(1).canonical_url
    start_attempts(con, [url])  # and the run is killed before any outcome is recorded
    assert _statuses(con)[url] == ("pending", 1, None)


def test_marking_unknown_urls_changes_nothing(con: duckdb.DuckDBPyConnection) -> None:
    add_entries(con, [entry(1)], "run-1")

    mark_entries(con, [("https://elsewhere.example/x", "done", None)])

    assert _statuses(con) == {entry(1).canonical_url: ("pending", 0, None)}


def test_invalid_status_is_rejected(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(ValueError, match="status"):
        mark_entries(con, [(entry(1).canonical_url, "skipped", None)])


def test_feed_listing_counts_pending_entries(con: duckdb.DuckDBPyConnection) -> None:
    sync_feeds(con, [FeedConfig("wire", "https://news.example/rss")])
    add_entries(con, [entry(1), entry(2)], "run-1")
    mark_entries(con, [(entry(1).canonical_url, "done", None)])

    assert list_feeds(con)[0]["entries_pending"] == 1


def test_pending_entries_take_the_feeds_in_turn(con: duckdb.DuckDBPyConnection) -> None:
    add_entries(con, [entry(n, "big") for n in range(1, 21)], "run-1")
    add_entries(con, [entry(n, "small", published=None) for n in range(21, 24)], "run-2")

    queued = pending_entries(con, limit=8)

    feeds = [e.feed_id for e in queued]
    assert feeds.count("small") == 3
    assert feeds[:6] == ["big", "small"] * 3  # in turn; the big feed's oldest came first
    assert [e.guid for e in queued if e.feed_id == "big"] == [f"guid-{n}" for n in range(1, 6)]


def test_one_feed_queues_at_most_its_newest_entries_per_poll(
    con: duckdb.DuckDBPyConnection,
) -> None:
    flood = [entry(n, "big") for n in range(1, 11)]
    over: dict[str, int] = {}
    added = add_entries(
        con,
        [*flood, entry(20, "small", published=None)],
        "run-1",
        per_feed_limit=3,
        over_limit=over,
    )

    assert added == 4
    assert over == {"big": 7}
    queued = {e.guid for e in pending_entries(con, limit=100)}
    assert queued == {"guid-10", "guid-9", "guid-8", "guid-20"}  # newest by published date
    # the rest stay unknown: a later poll still listing them queues the next newest
    assert add_entries(con, flood, "run-2", per_feed_limit=3) == 3
    assert {"guid-7", "guid-6", "guid-5"} < {e.guid for e in pending_entries(con, limit=100)}
