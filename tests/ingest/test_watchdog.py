"""The fetch watchdog: one thread expires every request's deadline, and only unreleased ones."""

from __future__ import annotations

import time
from collections.abc import Callable

from stancewatch.ingest.transport import Deadline, Watchdog


def deadline_in(seconds: float) -> Deadline:
    return Deadline(time.monotonic() + seconds, time.monotonic, seconds)


def eventually(condition: Callable[[], bool], patience: float = 30.0) -> bool:
    give_up = time.monotonic() + patience
    while not condition() and time.monotonic() < give_up:
        time.sleep(0.01)
    return condition()


def wait_until_expired(deadline: Deadline) -> bool:
    return eventually(lambda: deadline.expired)


def test_a_deadline_expires_when_it_passes_and_a_released_one_never_does() -> None:
    watchdog = Watchdog()
    released = deadline_in(0.05)
    late = deadline_in(0.3)
    early = deadline_in(0.1)
    watchdog.release(watchdog.watch(released))
    watchdog.watch(late)
    watchdog.watch(early)  # earlier than the one the watchdog is already waiting for
    assert wait_until_expired(early)
    assert wait_until_expired(late)
    assert not released.expired


def test_an_expired_deadline_cuts_the_stream_working_for_it() -> None:
    class Stream:
        aborted = False

        def abort(self) -> None:
            self.aborted = True

    watchdog = Watchdog()
    deadline = deadline_in(0.05)
    stream = Stream()
    deadline.attach(stream)  # type: ignore[arg-type]
    watchdog.watch(deadline)
    assert eventually(lambda: stream.aborted)
    assert deadline.expired
