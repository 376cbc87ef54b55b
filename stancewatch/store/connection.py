"""Open the DuckDB file for one short store step: lock retries, UTC session, schema checks."""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from stancewatch.errors import (
    DatabaseBusyError,
    DatabaseError,
    DiskFullError,
    SchemaVersionError,
)
from stancewatch.store.migrations import LATEST_VERSION, migrate, schema_version
from stancewatch.store.snapshot import NO_ROOM_PHRASES, publish_snapshot, snapshot_path

# DuckDB reports a file held by another process with these phrases in an IOException,
# naming the holder: 'Conflicting lock is held in /usr/bin/python3 (PID 4242)'.
_LOCK_MESSAGES = ("Could not set lock", "Conflicting lock")
_HOLDER_PID = re.compile(r"\(PID (\d+)\)")
_RETRY_SLEEP = 0.05
#: Never fetch or load extension code: DuckDB would otherwise download one (over plain HTTP)
#: just because a file it is asked to open looks like SQLite or another foreign format.
_SAFE_CONFIG = {
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
}
_SQLITE_MAGIC = b"SQLite format 3\x00"


@dataclass
class _Hold:
    """A database file `held_open` keeps open: the connection holding it, and whether a step
    inside asked for the read snapshot to be published (done when the hold ends)."""

    con: duckdb.DuckDBPyConnection
    publish: bool = False


#: Database files held open in this process, by resolved path.
_HELD: dict[Path, _Hold] = {}


@contextmanager
def open_db(
    path: Path, *, read_only: bool = False, busy_timeout: float = 5.0, publish: bool = True
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Connect to the database file for the duration of the block, then close it.

    Only one process can have the file open while it is written, so callers open it for
    one store step and never hold it. Write mode creates the file and its directory and
    migrates the schema to the latest version; when the block succeeds it publishes the
    read snapshot (unless `publish` is False). Read-only mode requires an existing, fully
    migrated database. A file locked by another process is retried until busy_timeout,
    then DatabaseBusyError naming the holder; a full disk raises DiskFullError.
    """
    path = Path(path)
    if read_only and not path.exists():
        raise DatabaseError(
            "no database here; run `stancewatch run` or `stancewatch db migrate` first",
            file=str(path),
        )
    if not read_only:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError(
                f"cannot create the database directory: {exc}", file=str(path)
            ) from exc
    # A held file's instance is open for writing; a read-only connection cannot share it.
    hold = _HELD.get(path.resolve()) if _HELD else None
    con = _connect(path, read_only=read_only and hold is None, busy_timeout=busy_timeout)
    try:
        _prepare(con, path, read_only=read_only)
        yield con
        if not read_only and publish:
            if hold is not None:
                hold.publish = True
            else:
                publish_snapshot(con, path)
    except duckdb.Error as exc:
        _raise_if_no_room(exc, path)
        raise
    finally:
        try:
            con.close()
        except duckdb.Error as exc:  # closing checkpoints, which writes
            _raise_if_no_room(exc, path)
            raise


@contextmanager
def held_open(path: Path, *, busy_timeout: float = 5.0) -> Iterator[None]:
    """Keep the database open in this process for the block, so that the short opens of the
    store steps inside it share one DuckDB instance.

    DuckDB builds a whole instance (its catalog of built-in functions: ~35 ms of CPU) for the
    first connection to a file, and later connections share it while one stays open. No other
    process can write the file meanwhile: hold it only across steps that do not wait on the
    network. Nested holds of the same file are one hold.

    The read snapshot a step asks for is published when the hold ends: copying the file means
    opening and closing it, and closing any descriptor of a file drops every POSIX lock this
    process has on it, DuckDB's included, which must last as long as the hold.
    """
    key = Path(path).resolve()
    if key in _HELD:
        yield
        return
    with open_db(path, busy_timeout=busy_timeout, publish=False) as con:
        hold = _HELD[key] = _Hold(con)
        try:
            yield
        except BaseException:
            if hold.publish:
                with contextlib.suppress(DatabaseError, duckdb.Error):  # the error in hand wins
                    publish_snapshot(con, path)
            raise
        finally:
            del _HELD[key]
        if hold.publish:
            publish_snapshot(con, path)


def _raise_if_no_room(exc: duckdb.Error, path: Path) -> None:
    if any(phrase in str(exc) for phrase in NO_ROOM_PHRASES):
        reason = next(phrase for phrase in NO_ROOM_PHRASES if phrase in str(exc))
        raise DiskFullError(
            f"no room to write the database ({reason}); free some disk space and run again "
            "(what was not written is fetched again)",
            file=str(path),
        ) from exc


def _connect(path: Path, *, read_only: bool, busy_timeout: float) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + max(busy_timeout, 0.0)
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only, config=dict(_SAFE_CONFIG))
        except duckdb.IOException as exc:
            if _is_sqlite(path):
                raise DatabaseError(
                    "not a DuckDB database (this is a SQLite file)", file=str(path)
                ) from exc
            if not any(phrase in str(exc) for phrase in _LOCK_MESSAGES):
                _raise_if_no_room(exc, path)
                raise DatabaseError(f"cannot open the database: {exc}", file=str(path)) from exc
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise DatabaseBusyError(
                    _busy_message(str(exc), path, read_only), file=str(path)
                ) from exc
            time.sleep(min(_RETRY_SLEEP, remaining))
        except duckdb.Error as exc:
            _raise_if_no_room(exc, path)
            raise DatabaseError(f"cannot open the database: {exc}", file=str(path)) from exc


def _is_sqlite(path: Path) -> bool:
    try:
        with path.open("rb") as file:
            return file.read(len(_SQLITE_MAGIC)) == _SQLITE_MAGIC
    except OSError:
        return False


def _prepare(con: duckdb.DuckDBPyConnection, path: Path, *, read_only: bool) -> None:
    # The session time zone decides how TIMESTAMPTZ values come back; the machine's
    # local zone must not leak into stored or printed times.
    con.execute("SET TimeZone = 'UTC'").fetchall()
    try:
        if not read_only:
            migrate(con)
            return
        version = schema_version(con)
    except DatabaseError as exc:  # from migrate(), which does not know the path
        exc.file = exc.file or str(path)
        raise
    except duckdb.Error as exc:
        raise DatabaseError(f"cannot read the database schema: {exc}", file=str(path)) from exc
    if version > LATEST_VERSION:
        raise SchemaVersionError(
            f"database schema version {version} is newer than this stancewatch knows "
            f"({LATEST_VERSION}); upgrade stancewatch",
            file=str(path),
        )
    if version < LATEST_VERSION:
        raise DatabaseError(
            f"database schema is at version {version}, this stancewatch needs "
            f"{LATEST_VERSION}; run `stancewatch db migrate`",
            file=str(path),
        )


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """All of a store step or none of it: a feed's new validators must never be saved
    without the entries they announced, or the next 304 would hide those entries for good."""
    con.begin()
    try:
        yield con
    except BaseException:
        con.rollback()
        raise
    con.commit()


def _busy_message(duckdb_message: str, path: Path, read_only: bool) -> str:
    """Who holds the file, as far as DuckDB's message and /proc tell."""
    match = _HOLDER_PID.search(duckdb_message)
    holder = "another process"
    if match:
        pid = int(match.group(1))
        command = _command_line(pid)
        holder = f"process {pid} ({command})" if command else f"process {pid}"
    advice = "try again when it is done"
    if not read_only:
        advice += f" (readers should open the read snapshot {snapshot_path(path).name} instead)"
    return f"database is busy: {holder} has the file open; {advice}"


def _command_line(pid: int) -> str:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return ""
    command = " ".join(raw.replace(b"\0", b" ").decode("utf-8", "replace").split())
    return command if len(command) <= 80 else command[:79] + "…"
