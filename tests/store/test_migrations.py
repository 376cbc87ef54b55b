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


def _database_at(path: Path, version: int) -> duckdb.DuckDBPyConnection:
    """A database file made by the schema as it stood at `version` (what an older stancewatch
    wrote)."""
    con = duckdb.connect(str(path))
    con.execute("SET TimeZone = 'UTC'").fetchall()
    con.execute(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, "
        "applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
    ).fetchall()
    for migration in MIGRATIONS[:version]:
        for statement in migration.statements:
            con.execute(statement).fetchall()
        con.execute(
            "INSERT INTO schema_migrations (version, name) VALUES (?, ?)",
            [migration.version, migration.name],
        ).fetchall()
    return con


def test_upgrading_a_version_5_database_keeps_every_query_answer(tmp_path: Path) -> None:
    published = datetime(2024, 3, 2, 9, 0, tzinfo=UTC)
    con = _database_at(tmp_path / "old.duckdb", 5)
    con.execute(
        "INSERT INTO baseline_versions VALUES ('v1', 2, now(), now() - INTERVAL 1 DAY), "
        "('v2', 1, now(), now())"
    ).fetchall()
    for version, actor, issue in (("v1", "hamas", "truce"), ("v1", "israel", "truce"),
                                  ("v2", "hamas", "truce")):  # fmt: skip
        con.execute(
            "INSERT INTO baseline_positions (baseline_version, id, actor, issue, stance, score, "
            "text, seed_file, attribution, saved_at) "
            "VALUES (?, ?, ?, ?, 'demand', 1.0, 'Seed.', 's.txt', 'direct', now())",
            [version, f"{actor}:{issue}", actor, issue],
        ).fetchall()
    # One article with a publication date, one without (stated when it was stored).
    con.execute(
        "INSERT INTO articles (canonical_url, url, title, text, text_source, content_hash, "
        "fetched_at, published) VALUES "
        "('u1', 'u1?ref=rss', 'One', 't', 'page', 'h1', now(), $p), "
        "('u2', 'u2', 'Two', 't', 'feed', 'h2', now() - INTERVAL 2 HOUR, NULL)",
        {"p": published},
    ).fetchall()
    rows = [
        ("u1", "hamas", "reject", "direct", False, 0, "v1", "now() - INTERVAL 3 DAY"),
        ("u1", "hamas", "accept_if", "direct", False, 1, "v1", "now() - INTERVAL 3 DAY"),
        ("u1", "hamas", "accept", "third_party", False, 2, "v1", "now() - INTERVAL 3 DAY"),
        ("u2", "israel", "open", "reported", False, 0, "v1", "now() - INTERVAL 1 HOUR"),
        ("u2", "israel", "reject", "direct", True, 1, "v1", "now() - INTERVAL 1 HOUR"),
        ("u2", "hamas", "reject", "direct", False, 4, "v2", "now() - INTERVAL 1 HOUR"),
    ]
    for url, actor, stance, attribution, background, index, version, stored in rows:
        con.execute(
            "INSERT INTO statements (canonical_url, actor, issue, stance, score, attribution, "
            "sentence, sentence_index, background, baseline_version, stored_at) "
            f"VALUES (?, ?, 'truce', ?, 0.0, ?, ?, ?, ?, ?, {stored})",
            [url, actor, stance, attribution, f"{actor} {stance}", index, background, version],
        ).fetchall()
    for url, version in (("u1", "v2"), ("u2", "v2"), ("u1", "v1")):
        con.execute(
            "INSERT INTO changes (canonical_url, actor, issue, kind, stance, score, evidence, "
            "attribution, confidence, detected_at, baseline_version) "
            "VALUES (?, 'hamas', 'truce', 'softening', 'accept_if', 0.0, 'S', 'direct', 0.7, "
            "now(), ?)",
            [url, version],
        ).fetchall()
    queries = {
        view: f"SELECT * FROM {view} ORDER BY ALL"
        for view in ("latest_positions", "recent_changes", "actor_timeline", "position_events")
    }
    answers = {}
    saved = iter(range(1, 10))

    def make_current(version: str) -> None:  # the views read the version saved last
        con.execute(
            "UPDATE baseline_versions SET last_saved_at = make_timestamptz(2030, 1, ?, 0, 0, 0) "
            "WHERE baseline_version = ?",
            [next(saved), version],
        ).fetchall()

    for current in ("v2", "v1"):
        make_current(current)
        answers[current] = {view: con.execute(sql).fetchall() for view, sql in queries.items()}
    assert [p[:3] for p in answers["v1"]["latest_positions"]] == [
        ("hamas", "truce", "accept_if"),
        ("israel", "truce", "open"),
    ]
    assert [p[:3] for p in answers["v2"]["latest_positions"]] == [("hamas", "truce", "reject")]

    assert migrate(con) == LATEST_VERSION

    for current in ("v1", "v2"):
        make_current(current)
        after = {view: con.execute(sql).fetchall() for view, sql in queries.items()}
        assert after == answers[current], current
    con.close()
