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
