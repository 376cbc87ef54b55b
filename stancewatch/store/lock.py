"""One monitor run per database at a time: an advisory lock file beside the DuckDB file.

The operating system drops the lock when its process ends, however it ends (kill -9
included), so a crashed run never blocks the next. The holder writes who it is into the
file, so a run that finds the lock taken can say which process holds it.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from stancewatch.errors import DatabaseError, RunLockedError

_POLL_SECONDS = 0.2


def lock_path(db_path: Path) -> Path:
    """The run lock of a database: `<file>.lock` in the same directory."""
    return db_path.with_name(db_path.name + ".lock")


@contextmanager
def run_lock(db_path: Path, *, wait: float = 0.0, run_id: str = "") -> Iterator[None]:
    """Hold the database's run lock for the block.

    Waits up to `wait` seconds for another run to finish, then raises RunLockedError naming
    the holder. Nothing has been fetched or written when that happens.
    """
    path = lock_path(Path(db_path))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise DatabaseError(
            f"cannot create the run lock {path.name}: {exc}", file=str(db_path)
        ) from exc
    try:
        _acquire(fd, path, db_path, wait)
        try:
            _write_holder(fd, run_id)
            yield
        finally:
            os.ftruncate(fd, 0)  # an empty file: nobody holds it
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def lock_holder(db_path: Path) -> str:
    """Who holds (or last held) the run lock, as a short phrase for a message."""
    try:
        record = json.loads(lock_path(Path(db_path)).read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        record = {}
    if not isinstance(record, dict) or "pid" not in record:
        return "another stancewatch run"
    run = f"stancewatch run {record.get('run_id')}" if record.get("run_id") else "stancewatch run"
    return (
        f"{run} (pid {record['pid']} on {record.get('host', '?')}, "
        f"started {record.get('started_at', '?')})"
    )


def _acquire(fd: int, path: Path, db_path: Path, wait: float) -> None:
    deadline = time.monotonic() + max(wait, 0.0)
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise RunLockedError(
                    f"another run is using this database: {lock_holder(db_path)}; "
                    f"this run stopped before fetching anything (lock file {path.name})",
                    file=str(db_path),
                ) from None
            time.sleep(_POLL_SECONDS)


def _write_holder(fd: int, run_id: str) -> None:
    record = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "run_id": run_id,
        "started_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
    }
    os.ftruncate(fd, 0)
    os.pwrite(fd, json.dumps(record).encode("utf-8"), 0)
