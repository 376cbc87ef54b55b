"""Tests for stancewatch.store.migrations: recorded versions, no-op re-runs, newer databases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from stancewatch.errors import SchemaVersionError
from stancewatch.store import LATEST_VERSION, MIGRATIONS, migrate, open_db, schema_version

EXPECTED_TABLES = {
    "feeds",
    "entries",
    "articles",
    "runs",
    "item_errors",
    "baseline_versions",
    "baseline_positions",
    "statements",
    "changes",
    "schema_migrations",
}
EXPECTED_VIEWS = {"recent_changes", "latest_positions", "actor_timeline"}


def _objects(con: duckdb.DuckDBPyConnection, kind: str) -> set[str]:
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = 'main' AND table_type = ?",
        [kind],
    ).fetchall()
    return {name for (name,) in rows}


def test_versions_are_numbered_from_one_without_gaps() -> None:
    assert [m.version for m in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1))
    assert MIGRATIONS[-1].version == LATEST_VERSION
    assert all(m.name and m.statements for m in MIGRATIONS)


def test_empty_database_is_version_zero_and_migrate_records_every_step() -> None:
    con = duckdb.connect(":memory:")
    assert schema_version(con) == 0
    before = datetime.now(UTC)

    assert migrate(con) == LATEST_VERSION

    rows = con.execute(
        "SELECT version, name, applied_at FROM schema_migrations ORDER BY version"
    ).fetchall()
    assert [(v, n) for v, n, _ in rows] == [(m.version, m.name) for m in MIGRATIONS]
    assert all(applied >= before - timedelta(seconds=5) for _, _, applied in rows)
    assert _objects(con, "BASE TABLE") >= EXPECTED_TABLES
    assert _objects(con, "VIEW") >= EXPECTED_VIEWS


def test_migrating_again_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "watch.duckdb"
    with open_db(path) as con:
        first = con.execute("SELECT version, applied_at FROM schema_migrations").fetchall()

    with open_db(path) as con:
        assert migrate(con) == LATEST_VERSION
        again = con.execute("SELECT version, applied_at FROM schema_migrations").fetchall()

    assert again == first


def test_newer_database_is_refused_in_both_modes(tmp_path: Path) -> None:
    path = tmp_path / "watch.duckdb"
    with open_db(path) as con:
        con.execute(
            "INSERT INTO schema_migrations (version, name) VALUES (?, 'from the future')",
            [LATEST_VERSION + 1],
        ).fetchall()

    for read_only in (False, True):
        with pytest.raises(SchemaVersionError) as caught, open_db(path, read_only=read_only):
            pass
        assert str(LATEST_VERSION + 1) in str(caught.value)
        assert "upgrade stancewatch" in str(caught.value)
        assert caught.value.file == str(path)

    with duckdb.connect(str(path), read_only=True) as con:
        assert schema_version(con) == LATEST_VERSION + 1


def test_check_constraints_guard_enumerations(tmp_path: Path) -> None:
    with open_db(tmp_path / "watch.duckdb") as con, pytest.raises(duckdb.ConstraintException):
        con.execute(
            "INSERT INTO changes (canonical_url, actor, issue, kind, stance, score, evidence, "
            "attribution, confidence, detected_at, baseline_version) "
            "VALUES ('u', 'a', 'i', 'sideways', 's', 0, 'e', 'direct', 0.5, now(), 'v')"
        ).fetchall()


def test_a_first_version_database_gains_the_seed_columns(tmp_path: Path) -> None:
    path = tmp_path / "v1.duckdb"
    con = duckdb.connect(str(path))
    con.execute(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, "
        "applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
    ).fetchall()
    for statement in MIGRATIONS[0].statements:
        con.execute(statement).fetchall()
    con.execute("INSERT INTO schema_migrations (version, name) VALUES (1, 'initial schema')")
    con.execute(
        "INSERT INTO baseline_positions VALUES "
        "('v', 'a:b', 'a', 'b', 'reject', -1, 'text', 'baseline/x.txt', 'direct', false, now())"
    ).fetchall()
    assert migrate(con) == LATEST_VERSION
    columns = {row[0] for row in con.execute("DESCRIBE baseline_positions").fetchall()}
    assert {"seed_date", "seed_source"} <= columns
    # Rows stored before the migration keep their values, with no date or source.
    assert con.execute("SELECT id, seed_date FROM baseline_positions").fetchall() == [("a:b", None)]
    con.close()
