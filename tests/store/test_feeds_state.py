"""Tests for stancewatch.store.feeds: feed configuration sync and polling state."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from stancewatch.models import FeedConfig, FeedState
from stancewatch.store import (
    HealthPolicy,
    enable_feed,
    feed_states,
    list_feeds,
    note_text_yield,
    open_db,
    record_feed_poll,
    sync_feeds,
)

WIRE = FeedConfig("wire", "https://wire.example/rss", "The Wire", ("world", "mideast"))
DAILY = FeedConfig("daily", "https://daily.example/atom.xml", None, (), enabled=False)


@pytest.fixture
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    with open_db(tmp_path / "watch.duckdb") as connection:
        sync_feeds(connection, [WIRE, DAILY])
        yield connection


def _feed(con: duckdb.DuckDBPyConnection, feed_id: str) -> dict[str, object]:
    return next(row for row in list_feeds(con) if row["id"] == feed_id)


def _poll_ok(con: duckdb.DuckDBPyConnection, **changes: object) -> None:
    values: dict[str, object] = {
        "ok": True,
        "status": 200,
        "etag": None,
        "last_modified": None,
        "error": None,
        "entries": 0,
    }
    values.update(changes)
    record_feed_poll(con, "wire", **values)  # type: ignore[arg-type]


def test_sync_inserts_config_rows_once(con: duckdb.DuckDBPyConnection) -> None:
    sync_feeds(con, [WIRE, DAILY, WIRE])

    feeds = list_feeds(con)
    assert [f["id"] for f in feeds] == ["daily", "wire"]
    wire = _feed(con, "wire")
    assert (wire["url"], wire["title"], wire["tags"], wire["enabled"]) == (
        WIRE.url,
        "The Wire",
        ["world", "mideast"],
        True,
    )
    assert _feed(con, "daily")["enabled"] is False


def test_sync_updates_config_and_keeps_poll_state(con: duckdb.DuckDBPyConnection) -> None:
    _poll_ok(con, etag='"v1"', last_modified="Wed, 07 Feb 2024 10:00:00 GMT", entries=4)

    sync_feeds(con, [FeedConfig("wire", WIRE.url, "Wire (renamed)", ("world",), enabled=False)])

    wire = _feed(con, "wire")
    assert (wire["title"], wire["tags"], wire["enabled"]) == ("Wire (renamed)", ["world"], False)
    assert wire["entries_seen"] == 4
    assert feed_states(con)["wire"].etag == '"v1"'


def test_new_url_forgets_validators_of_the_old_one(con: duckdb.DuckDBPyConnection) -> None:
    _poll_ok(con, etag='"v1"', last_modified="Wed, 07 Feb 2024 10:00:00 GMT")

    sync_feeds(con, [FeedConfig("wire", "https://wire.example/v2/rss", "The Wire")])

    assert feed_states(con)["wire"] == FeedState("wire", None, None, 0)


def test_feeds_missing_from_a_sync_are_left_alone(con: duckdb.DuckDBPyConnection) -> None:
    sync_feeds(con, [WIRE])

    assert {f["id"] for f in list_feeds(con)} == {"wire", "daily"}


def test_validators_are_kept_when_a_poll_brings_none(con: duckdb.DuckDBPyConnection) -> None:
    _poll_ok(con, etag='"v1"', last_modified="Wed, 07 Feb 2024 10:00:00 GMT", entries=5)
    _poll_ok(con, status=304)

    state = feed_states(con)["wire"]
    assert state.etag == '"v1"'
    assert state.last_modified == "Wed, 07 Feb 2024 10:00:00 GMT"

    _poll_ok(con, etag='"v2"', entries=2)
    assert feed_states(con)["wire"].etag == '"v2"'
    assert _feed(con, "wire")["entries_seen"] == 7


def test_failures_are_counted_and_reset_by_success(con: duckdb.DuckDBPyConnection) -> None:
    _poll_ok(con, etag='"v1"')
    first_ok = _feed(con, "wire")["last_ok_at"]
    for status, error in ((503, "HTTP 503"), (None, "connection refused")):
        record_feed_poll(
            con,
            "wire",
            ok=False,
            status=status,
            etag='"ignored"',
            last_modified=None,
            error=error,
            entries=0,
        )

    failing = _feed(con, "wire")
    assert failing["consecutive_failures"] == 2
    assert failing["last_error"] == "connection refused"
    assert failing["last_status"] is None
    assert failing["last_ok_at"] == first_ok
    state = feed_states(con)["wire"]
    assert (state.etag, state.last_modified, state.consecutive_failures) == ('"v1"', None, 2)
    assert state.next_poll_at is not None  # backing off after the second failure

    # an hour passes (set, not waited for: two now() calls may read the same instant)
    con.execute("UPDATE feeds SET last_ok_at = last_ok_at - INTERVAL 1 HOUR").fetchall()
    _poll_ok(con, status=304)

    healed = _feed(con, "wire")
    assert (healed["consecutive_failures"], healed["last_error"], healed["last_status"]) == (
        0,
        None,
        304,
    )
    assert healed["last_ok_at"] > first_ok - timedelta(hours=1)  # type: ignore[operator]


def test_poll_of_unknown_feed_is_rejected(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(ValueError, match="sync_feeds"):
        record_feed_poll(
            con, "nope", ok=True, status=200, etag=None, last_modified=None, error=None, entries=1
        )


def test_feed_states_cover_every_feed(con: duckdb.DuckDBPyConnection) -> None:
    assert feed_states(con) == {"wire": FeedState("wire"), "daily": FeedState("daily")}


# --- health: backoff, auto-disable, text yield ----------------------------------------------


def _poll_failed(con: duckdb.DuckDBPyConnection, **changes: object) -> None:
    values: dict[str, object] = {
        "ok": False,
        "status": None,
        "etag": None,
        "last_modified": None,
        "error": "NameResolutionError: cannot resolve host",
        "entries": 0,
    }
    values.update(changes)
    record_feed_poll(con, "wire", **values)  # type: ignore[arg-type]


def _wait_seconds(con: duckdb.DuckDBPyConnection) -> float:
    row = con.execute(
        "SELECT epoch(next_poll_at) - epoch(last_polled_at) FROM feeds WHERE id = 'wire'"
    ).fetchone()
    assert row is not None
    return float(row[0]) if row[0] is not None else 0.0


def test_backoff_doubles_per_failure_up_to_the_maximum(con: duckdb.DuckDBPyConnection) -> None:
    policy = HealthPolicy(backoff_base=60, backoff_max=300, disable_after=99)
    waits = []
    for _ in range(6):
        _poll_failed(con, policy=policy)
        waits.append(round(_wait_seconds(con)))
    assert waits == [0, 60, 120, 240, 300, 300]
    assert not feed_states(con)["wire"].due(datetime.now(UTC))
    _poll_ok(con)
    state = feed_states(con)["wire"]
    assert state.next_poll_at is None and state.consecutive_failures == 0


def test_retry_after_lengthens_the_wait(con: duckdb.DuckDBPyConnection) -> None:
    _poll_failed(con, status=429, retry_after=3600.0)
    assert round(_wait_seconds(con)) == 3600


def test_repeated_hard_failures_disable_the_feed_with_the_reason(
    con: duckdb.DuckDBPyConnection,
) -> None:
    policy = HealthPolicy(disable_after=3)
    _poll_failed(con, hard=True, policy=policy)
    _poll_failed(con, hard=False, policy=policy)  # a soft failure breaks the hard streak
    _poll_failed(con, hard=True, policy=policy)
    _poll_failed(con, hard=True, policy=policy)
    assert feed_states(con)["wire"].disabled_reason is None
    _poll_failed(con, hard=True, policy=policy)
    reason = feed_states(con)["wire"].disabled_reason
    assert reason is not None and "3 hard failure" in reason and "cannot resolve" in reason
    assert not feed_states(con)["wire"].due(datetime.now(UTC))

    assert enable_feed(con, "wire") and not enable_feed(con, "nope")
    state = feed_states(con)["wire"]
    assert state.disabled_reason is None and state.due(datetime.now(UTC))


def test_410_gone_disables_at_once(con: duckdb.DuckDBPyConnection) -> None:
    _poll_failed(con, status=410, error="HTTP 410 Gone", hard=True)
    reason = feed_states(con)["wire"].disabled_reason
    assert reason is not None and "410" in reason


def test_articles_without_page_text_are_counted_until_one_has_it(
    con: duckdb.DuckDBPyConnection,
) -> None:
    note_text_yield(con, [("wire", False), ("wire", False)])
    note_text_yield(con, [("wire", False)])
    assert _feed(con, "wire")["pages_without_text"] == 3
    note_text_yield(con, [("wire", False), ("wire", True), ("wire", False)])
    assert _feed(con, "wire")["pages_without_text"] == 1


def test_one_statement_records_every_poll_of_a_run(con: duckdb.DuckDBPyConnection) -> None:
    from stancewatch.store import FeedPollRecord, record_feed_polls

    record_feed_polls(
        con,
        [
            FeedPollRecord("wire", True, 200, '"e1"', "Sat, 02 Mar 2024", None, 3, "bad date"),
            FeedPollRecord("daily", False, 503, None, None, "HTTP 503", 0),
        ],
    )
    record_feed_polls(
        con,
        [
            FeedPollRecord("wire", True, 304, None, None, None, 0),
            FeedPollRecord("daily", False, None, None, None, "timed out", 0),
        ],
    )
    wire, daily = _feed(con, "wire"), _feed(con, "daily")
    assert feed_states(con)["wire"] == FeedState("wire", '"e1"', "Sat, 02 Mar 2024", 0)
    assert (wire["last_status"], wire["entries_seen"], wire["last_warning"]) == (304, 3, "bad date")
    assert (daily["consecutive_failures"], daily["last_error"]) == (2, "timed out")


def test_polls_of_an_unknown_feed_are_refused(con: duckdb.DuckDBPyConnection) -> None:
    from stancewatch.store import FeedPollRecord, record_feed_polls

    with pytest.raises(ValueError, match="ghost"):
        record_feed_polls(con, [FeedPollRecord("ghost", True, 200, None, None, None, 0)])
