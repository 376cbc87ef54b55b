"""The read snapshot: published by every write step, opened by readers, never blocking writes."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from stancewatch.errors import DatabaseBusyError
from stancewatch.store import open_db, read_path, snapshot_path

HOLD_OPEN = """
import sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
print(con.execute("SELECT count(*) FROM notes").fetchone()[0], flush=True)
sys.stdin.read()
print(con.execute("SELECT count(*) FROM notes").fetchone()[0], flush=True)
"""


@contextmanager
def reader_holding(path: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process (a notebook, say) with a read-only connection open on `path`."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD_OPEN, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def add_note(db: Path, text: str) -> None:
    with open_db(db) as con:
        con.execute("CREATE TABLE IF NOT EXISTS notes (text VARCHAR)")
        con.execute("INSERT INTO notes VALUES (?)", [text])


def test_snapshot_name_sits_beside_the_database(tmp_path: Path) -> None:
    assert snapshot_path(tmp_path / "stancewatch.duckdb") == tmp_path / "stancewatch.read.duckdb"
    assert read_path(tmp_path / "x.duckdb") == tmp_path / "x.duckdb"  # no snapshot yet


def test_every_write_step_publishes_a_snapshot(tmp_path: Path) -> None:
    db = tmp_path / "watch.duckdb"
    add_note(db, "one")
    assert read_path(db) == snapshot_path(db)
    with open_db(snapshot_path(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM notes").fetchone() == (1,)
    add_note(db, "two")
    with open_db(read_path(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM notes").fetchone() == (2,)


def test_a_reader_holding_the_snapshot_never_blocks_writes(tmp_path: Path) -> None:
    db = tmp_path / "watch.duckdb"
    add_note(db, "one")
    with reader_holding(snapshot_path(db)) as reader:
        assert reader.stdout is not None and reader.stdout.readline().strip() == "1"
        add_note(db, "two")  # with busy_timeout 5 s this would fail if the reader blocked it
        add_note(db, "three")
        assert reader.stdin is not None
        reader.stdin.close()
        # the reader keeps the consistent copy it opened
        assert reader.stdout.readline().strip() == "1"
    with open_db(read_path(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM notes").fetchone() == (3,)


def test_a_reader_on_the_live_file_is_named_when_it_blocks_a_write(tmp_path: Path) -> None:
    db = tmp_path / "watch.duckdb"
    add_note(db, "one")
    with reader_holding(db) as reader:
        assert reader.stdout is not None and reader.stdout.readline().strip() == "1"
        with pytest.raises(DatabaseBusyError) as busy, open_db(db, busy_timeout=0.2):
            pass
    message = str(busy.value)
    assert f"process {reader.pid}" in message and "read snapshot watch.read.duckdb" in message
    assert "open for writing" not in message
