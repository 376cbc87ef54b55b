"""Tests for stancewatch.store.staging: Arrow batches, in-batch dedup, row counts, UTC values."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import duckdb
import pytest

from stancewatch.store.staging import (
    BOOL,
    FLOAT,
    INT,
    TEXT,
    TEXT_LIST,
    TIMESTAMP,
    first_by_key,
    row_count,
    staged,
    utc,
)

COLUMNS = {"name": TEXT, "n": INT, "x": FLOAT, "ok": BOOL, "at": TIMESTAMP, "tags": TEXT_LIST}


def test_staged_rows_read_back_with_their_types() -> None:
    con = duckdb.connect(":memory:")
    con.execute("SET TimeZone = 'UTC'").fetchall()
    plus_two = timezone(timedelta(hours=2))
    rows = [
        ("a", 1, 0.5, True, datetime(2024, 2, 7, 14, 30, tzinfo=plus_two), ["x", "y"]),
        ("b", None, None, None, None, []),
    ]

    with staged(con, COLUMNS, rows) as relation:
        back = con.execute(f"SELECT * FROM {relation} ORDER BY name").fetchall()

    assert back[0][:4] == ("a", 1, 0.5, True)
    assert back[0][4] == datetime(2024, 2, 7, 12, 30, tzinfo=UTC)
    assert back[0][5] == ["x", "y"]
    assert back[1] == ("b", None, None, None, None, [])


def test_staged_relation_is_gone_after_the_block() -> None:
    con = duckdb.connect(":memory:")

    with staged(con, {"name": TEXT}, []) as relation:
        assert con.execute(f"SELECT count(*) FROM {relation}").fetchall() == [(0,)]

    with pytest.raises(duckdb.CatalogException):
        con.execute(f"SELECT count(*) FROM {relation}").fetchall()


def test_first_by_key_keeps_order_and_first_occurrence() -> None:
    items = [("a", 1), ("b", 2), ("a", 3), ("c", 4), ("b", 5)]

    assert first_by_key(items, lambda item: item[0]) == [("a", 1), ("b", 2), ("c", 4)]


def test_row_count_reports_rows_touched_and_frees_the_connection() -> None:
    con = duckdb.connect(":memory:")
    con.execute("CREATE TABLE t (n INTEGER)").fetchall()

    assert row_count(con, "INSERT INTO t SELECT range FROM range(5)") == 5
    assert row_count(con, "UPDATE t SET n = n + 1 WHERE n > ?", [2]) == 2
    assert row_count(con, "DELETE FROM t WHERE n > $limit", {"limit": 0}) == 4


def test_utc_converts_any_aware_time_and_keeps_none() -> None:
    moment = datetime(2024, 2, 7, 14, 30, tzinfo=timezone(timedelta(hours=2)))

    converted = utc(moment)

    assert converted == moment and converted is not None and converted.tzinfo is UTC
    assert converted.hour == 12
    assert utc(None) is None
