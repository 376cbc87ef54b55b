"""The read snapshot: a copy of the database that readers open, so they never block a run.

DuckDB lets no process write a file that another process has open, even read-only. After
each write step the writer copies the checkpointed file to `<name>.read.duckdb` through a
temporary file and an atomic rename: a reader holding the old snapshot keeps its copy, the
next reader opens the new one, and the writer never waits for either.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
from pathlib import Path

import duckdb

from stancewatch.errors import DatabaseError, DiskFullError

#: errno values meaning "no room to write": a full disk, a quota, a file size limit.
NO_ROOM_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})
NO_ROOM_PHRASES = ("No space left on device", "Disk quota exceeded", "File too large")


def snapshot_path(db_path: Path) -> Path:
    """`storage/stancewatch.duckdb` → `storage/stancewatch.read.duckdb`."""
    db_path = Path(db_path)
    return db_path.with_name(f"{db_path.stem}.read{db_path.suffix or '.duckdb'}")


def read_path(db_path: Path, *, live: bool = False) -> Path:
    """The file a reader should open: the snapshot when there is one, else the live file."""
    snapshot = snapshot_path(db_path)
    return Path(db_path) if live or not snapshot.exists() else snapshot


def publish_snapshot(con: duckdb.DuckDBPyConnection, db_path: Path) -> Path:
    """Checkpoint the open database and replace its read snapshot with a copy of it.

    Called with the write connection still open, so no other process can change the file
    while it is copied.
    """
    db_path = Path(db_path)
    target = snapshot_path(db_path)
    partial = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        con.execute("CHECKPOINT")
        shutil.copyfile(db_path, partial)
        os.replace(partial, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            partial.unlink()
        if exc.errno in NO_ROOM_ERRNOS:
            raise DiskFullError(
                f"no room to write the read snapshot {target.name} ({exc.strerror}); "
                "free some disk space, the database itself is saved",
                file=str(db_path),
            ) from exc
        raise DatabaseError(
            f"cannot write the read snapshot {target.name}: {exc}", file=str(db_path)
        ) from exc
    return target
