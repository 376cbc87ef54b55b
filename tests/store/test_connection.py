"""Tests for stancewatch.store.connection: opening, read-only checks and another process's lock."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest

from stancewatch.errors import DatabaseBusyError, DatabaseError
from stancewatch.store import (
    LATEST_VERSION,
    held_open,
    open_db,
    schema_version,
    snapshot_path,
)

# Opens the file for writing (taking DuckDB's lock), says so, then holds it.
_HOLDER = """
import sys, time
import duckdb
con = duckdb.connect(sys.argv[1])
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
con.close()
"""


@contextmanager
def held_by_other_process(path: Path, seconds: float) -> Iterator[subprocess.Popen[str]]:
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(path), str(seconds)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        line = holder.stdout.readline()
        assert line.strip() == "locked", holder.stderr.read() if holder.stderr else line
        yield holder
    finally:
        holder.kill()
        holder.wait(timeout=10)


def test_write_mode_creates_directory_and_migrates(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "dir" / "watch.duckdb"

    with open_db(path) as con:
        assert schema_version(con) == LATEST_VERSION

    assert path.is_file()


def test_connection_is_closed_after_the_block(tmp_path: Path) -> None:
    with open_db(tmp_path / "watch.duckdb") as con:
        pass

    with pytest.raises(duckdb.ConnectionException):
        con.execute("SELECT 1").fetchall()


def test_session_reports_times_in_utc(tmp_path: Path) -> None:
    with open_db(tmp_path / "watch.duckdb") as con:
        rows = con.execute(
            "SELECT TIMESTAMPTZ '2024-02-07 14:30:00+02:00'::VARCHAR, current_setting('TimeZone')"
        ).fetchall()

    assert rows == [("2024-02-07 12:30:00+00", "UTC")]


def test_read_only_on_missing_file_tells_how_to_create_it(tmp_path: Path) -> None:
    path = tmp_path / "absent.duckdb"

    with pytest.raises(DatabaseError) as caught, open_db(path, read_only=True):
        pass

    assert "stancewatch run" in str(caught.value)
    assert "stancewatch db migrate" in str(caught.value)
    assert caught.value.file == str(path)
    assert not path.exists()


def test_read_only_on_unmigrated_file_asks_for_migrate(tmp_path: Path) -> None:
    path = tmp_path / "bare.duckdb"
    duckdb.connect(str(path)).close()

    with pytest.raises(DatabaseError) as caught, open_db(path, read_only=True):
        pass

    assert "version 0" in str(caught.value)
    assert "stancewatch db migrate" in str(caught.value)


def test_read_only_after_migration_can_read(tmp_path: Path) -> None:
    path = tmp_path / "watch.duckdb"
    with open_db(path):
        pass

    with open_db(path, read_only=True) as con:
        assert schema_version(con) == LATEST_VERSION
        with pytest.raises(duckdb.Error):
            con.execute("CREATE TABLE scratch (x INTEGER)").fetchall()


def test_file_that_is_not_a_database_is_a_database_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.duckdb"
    path.write_text("these are not the bytes of a DuckDB file\n" * 200)

    with pytest.raises(DatabaseError) as caught, open_db(path):
        pass

    assert not isinstance(caught.value, DatabaseBusyError)
    assert caught.value.file == str(path)


@pytest.mark.parametrize("read_only", [False, True])
def test_lock_held_by_another_process_is_busy_after_timeout(
    tmp_path: Path, read_only: bool
) -> None:
    path = tmp_path / "watch.duckdb"
    with open_db(path):
        pass

    with held_by_other_process(path, seconds=30):
        started = time.monotonic()
        with (
            pytest.raises(DatabaseBusyError) as caught,
            open_db(path, read_only=read_only, busy_timeout=0.3),
        ):
            pass
        waited = time.monotonic() - started

    assert waited >= 0.3  # it waited out the busy timeout before giving up
    assert "busy" in str(caught.value) and "try again" in str(caught.value)
    assert caught.value.file == str(path)


def test_lock_released_while_waiting_lets_the_open_succeed(tmp_path: Path) -> None:
    path = tmp_path / "watch.duckdb"

    with held_by_other_process(path, seconds=0.5) as holder:
        with open_db(path, busy_timeout=15) as con:
            assert schema_version(con) == LATEST_VERSION
        assert holder.wait(timeout=10) == 0


def test_extensions_are_never_installed_or_autoloaded(tmp_path: Path) -> None:
    path = tmp_path / "db.duckdb"
    for read_only in (False, True):
        with open_db(path, read_only=read_only) as con:
            settings = dict(
                con.execute(
                    "SELECT name, value FROM duckdb_settings() WHERE name IN "
                    "('autoinstall_known_extensions', 'autoload_known_extensions')"
                ).fetchall()
            )
        assert settings == {
            "autoinstall_known_extensions": "false",
            "autoload_known_extensions": "false",
        }


def test_a_sqlite_file_is_refused_without_fetching_an_extension(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "looks-like.duckdb"
    with sqlite3.connect(path) as lite:
        lite.execute("CREATE TABLE t (a)")
    lite.close()
    with pytest.raises(DatabaseError) as caught, open_db(path):
        pass
    message = str(caught.value)
    assert "SQLite" in message and str(path) in message
    assert "download" not in message.lower() and "install" not in message.lower()


# --- holding the database across store steps -------------------------------------------------


def _attached(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {
        name for (name,) in con.execute("SELECT database_name FROM duckdb_databases()").fetchall()
    }


def test_opens_inside_a_hold_share_one_database_instance(tmp_path: Path) -> None:
    path = tmp_path / "watch.duckdb"
    with held_open(path):
        with open_db(path) as first:
            # An in-memory database attached by one connection is seen by every connection
            # of the same instance, and by no other instance.
            first.execute("ATTACH ':memory:' AS probe")
        with open_db(path, read_only=True) as reader:  # a reader inside the hold works too
            assert "probe" in _attached(reader)
            assert schema_version(reader) == LATEST_VERSION
        with held_open(path), open_db(path) as nested:  # a nested hold is the same hold
            assert "probe" in _attached(nested)
    with open_db(path) as after:
        assert "probe" not in _attached(after)


def test_a_hold_keeps_other_processes_out_until_it_ends(tmp_path: Path) -> None:
    path = tmp_path / "watch.duckdb"
    other_process = [
        sys.executable,
        "-c",
        "import sys, duckdb; duckdb.connect(sys.argv[1]).close()",
        str(path),
    ]
    with held_open(path):
        with open_db(path) as con:  # a write step that asks for the read snapshot
            con.execute("CREATE TABLE note (text VARCHAR)")
            con.execute("INSERT INTO note VALUES ('written inside the hold')")
        # Copying the file for the snapshot now would drop DuckDB's lock (closing any
        # descriptor of a file drops the process's POSIX locks on it): it waits for the end.
        refused = subprocess.run(other_process, capture_output=True, text=True)
        assert not snapshot_path(path).exists()
    assert refused.returncode != 0 and "lock" in refused.stderr.lower()
    with open_db(snapshot_path(path), read_only=True) as snapshot:
        assert snapshot.execute("SELECT text FROM note").fetchall() == [
            ("written inside the hold",)
        ]
    assert subprocess.run(other_process, capture_output=True, text=True).returncode == 0
