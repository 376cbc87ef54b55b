"""Tests for stancewatch.store.staging: staged batches, in-batch dedup, row counts, UTC values."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import duckdb
import pytest

from stancewatch.store.staging import (
    BOOL,
    DATE,
    FLOAT,
    INT,
    INT_LIST,
    SMALL_BATCH,
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


@pytest.mark.parametrize("size", [0, 1, SMALL_BATCH, SMALL_BATCH + 1])
def test_staged_relation_is_gone_after_the_block(size: int) -> None:
    con = duckdb.connect(":memory:")

    with staged(con, {"name": TEXT}, [(str(n),) for n in range(size)]) as relation:
        assert con.execute(f"SELECT count(*) FROM {relation}").fetchall() == [(size,)]

    with pytest.raises(duckdb.CatalogException):
        con.execute(f"SELECT count(*) FROM {relation}").fetchall()


def test_small_and_large_batches_stage_the_same_values_and_types() -> None:
    # Small batches go in as DuckDB lists, large ones through Arrow: the same rows either way.
    con = duckdb.connect(":memory:")
    con.execute("SET TimeZone = 'UTC'").fetchall()
    columns = {**COLUMNS, "day": DATE, "numbers": INT_LIST}
    at = datetime(2024, 2, 7, 14, 30, tzinfo=timezone(timedelta(hours=2)))
    rows = [
        (f"r{n}", n, n / 4, n % 2 == 0, at + timedelta(minutes=n), [f"t{n}"] * (n % 3),
         (at + timedelta(days=n)).date(), list(range(n % 4)))
        if n % 5
        else (f"r{n}", None, None, None, None, [], None, [])
        for n in range(SMALL_BATCH + 1)
    ]  # fmt: skip

    def read(batch: list[tuple[object, ...]]) -> tuple[list[tuple[object, ...]], list[str]]:
        with staged(con, columns, batch) as relation:
            values = con.execute(f"SELECT * FROM {relation} ORDER BY name").fetchall()
            types = [row[1] for row in con.execute(f"DESCRIBE {relation}").fetchall()]
        return values, types

    small, small_types = read(rows[:SMALL_BATCH])
    large, large_types = read(rows)

    assert small_types == large_types
    assert {row[0] for row in large} - {row[0] for row in small} == {f"r{SMALL_BATCH}"}
    by_name = {row[0]: row for row in large}
    assert all(by_name[row[0]] == row for row in small)


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
