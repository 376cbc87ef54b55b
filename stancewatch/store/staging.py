"""Move values across the DuckDB boundary: batches in as Arrow tables, timestamps out in UTC."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    import duckdb

T = TypeVar("T")

# Column types by name: pyarrow (~0.1 s to import) loads only when rows are staged, so a query
# command or a run that only polls never pays for it.
TEXT = "text"
INT = "int"
FLOAT = "float"
BOOL = "bool"
TIMESTAMP = "timestamp"
DATE = "date"
TEXT_LIST = "text_list"
INT_LIST = "int_list"


def _arrow_type(name: str) -> Any:
    import pyarrow as pa

    types = {
        TEXT: pa.string(),
        INT: pa.int64(),
        FLOAT: pa.float64(),
        BOOL: pa.bool_(),
        TIMESTAMP: pa.timestamp("us", tz="UTC"),
        DATE: pa.date32(),
        TEXT_LIST: pa.list_(pa.string()),
        INT_LIST: pa.list_(pa.int64()),
    }
    return types[name]


#: Up to this many rows are staged as DuckDB lists (no pyarrow import: an idle run's feed
#: states, a few hundred rows, cost less than importing pyarrow); more go through Arrow.
SMALL_BATCH = 2_000

_SQL_TYPES = {
    TEXT: "VARCHAR",
    INT: "BIGINT",
    FLOAT: "DOUBLE",
    BOOL: "BOOLEAN",
    TIMESTAMP: "TIMESTAMPTZ",
    DATE: "DATE",
    TEXT_LIST: "VARCHAR[]",
    INT_LIST: "BIGINT[]",
}


@contextmanager
def staged(
    con: duckdb.DuckDBPyConnection,
    columns: Mapping[str, str],
    rows: Sequence[Sequence[Any]],
) -> Iterator[str]:
    """Make `rows` (tuples in `columns` order) a relation; yields its name.

    Row-at-a-time inserts run at about a thousand rows a second; one Arrow batch (or, for a
    small batch, one list per column) read by a single INSERT ... SELECT runs at hundreds of
    thousands.
    """
    names = list(columns)
    by_column = list(zip(*rows, strict=True)) if rows else [() for _ in names]
    relation = f"staged_{uuid.uuid4().hex}"
    if len(rows) <= SMALL_BATCH:
        # unnest() of several lists in one SELECT walks them side by side: one row per index.
        selected = ", ".join(
            f"unnest(${index}::{_SQL_TYPES[columns[name]]}[]) AS {name}"
            for index, name in enumerate(names, start=1)
        )
        con.execute(
            f"CREATE TEMPORARY TABLE {relation} AS SELECT {selected}",
            [list(values) for values in by_column],
        ).fetchall()
        try:
            yield relation
        finally:
            con.execute(f"DROP TABLE IF EXISTS {relation}").fetchall()
        return
    import pyarrow as pa

    table = pa.table(
        {
            name: pa.array(values, type=_arrow_type(columns[name]))
            for name, values in zip(names, by_column, strict=True)
        }
    )
    con.register(relation, table)
    try:
        yield relation
    finally:
        con.unregister(relation)


def column_list(columns: Mapping[str, object], prefix: str = "") -> str:
    """`a, b, c` (or `s.a, s.b, s.c` with a prefix) for an INSERT's or SELECT's column list."""
    return ", ".join(prefix + name for name in columns)


def first_by_key(items: Iterable[T], key: Callable[[T], Hashable]) -> list[T]:
    """Items in order, keeping only the first of each key (a batch must not collide with
    itself: set-based inserts check only against rows already stored)."""
    seen: set[Hashable] = set()
    kept: list[T] = []
    for item in items:
        marker = key(item)
        if marker not in seen:
            seen.add(marker)
            kept.append(item)
    return kept


def row_count(
    con: duckdb.DuckDBPyConnection,
    sql: str,
    params: Sequence[Any] | Mapping[str, Any] | None = None,
) -> int:
    """Run an INSERT/UPDATE/DELETE and return how many rows it touched (fetching the
    count to the end also frees the connection for the next statement)."""
    rows = con.execute(sql, params).fetchall()
    return int(rows[0][0]) if rows and rows[0] else 0


def utc(moment: datetime | None) -> datetime | None:
    """The same instant with datetime.UTC as its tzinfo (DuckDB returns a ZoneInfo)."""
    return moment.astimezone(UTC) if moment is not None else None
