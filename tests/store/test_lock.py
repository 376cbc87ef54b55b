"""The run lock: one run per database, released however its holder ends, holder named."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from stancewatch.errors import RunLockedError
from stancewatch.store import lock_holder, lock_path, run_lock

HOLD_LOCK = """
import sys
from pathlib import Path
from stancewatch.store import run_lock
with run_lock(Path(sys.argv[1]), run_id="holder-run"):
    print("locked", flush=True)
    sys.stdin.read()
"""


def test_a_second_holder_is_refused_and_told_who_holds_it(tmp_path: Path) -> None:
    db = tmp_path / "watch.duckdb"
    with run_lock(db, run_id="first"):
        with pytest.raises(RunLockedError) as refused, run_lock(db, run_id="second"):
            pass
        message = str(refused.value)
        assert f"pid {os.getpid()}" in message and "run first" in message
        assert refused.value.exit_code == 3
    with run_lock(db, run_id="third"):  # released at the end of the block
        assert "run third" in lock_holder(db)


def test_a_killed_holder_releases_the_lock(tmp_path: Path) -> None:
    db = tmp_path / "watch.duckdb"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(RunLockedError, match=f"pid {holder.pid}"), run_lock(db):
            pass
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait(timeout=30)
        with run_lock(db, run_id="after-kill"):
            assert "after-kill" in lock_path(db).read_text()
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()


def test_waiting_gives_up_after_the_wait(tmp_path: Path) -> None:
    db = tmp_path / "watch.duckdb"
    with run_lock(db), pytest.raises(RunLockedError), run_lock(db, wait=0.3):
        pass
