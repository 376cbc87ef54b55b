"""A batch of pages: downloads in threads, extraction and compare in a pool of worker processes.

trafilatura and lxml are not safe in several threads of one process (double frees and
segfaults under load), and the GIL serialises them anyway. So threads only download; each
downloaded page streams to a worker process that extracts its text and compares it with the
baseline (page_worker.py). A worker that dies costs only the page it was working on.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import (
    FIRST_COMPLETED,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    wait,
)
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any

from stancewatch.models import FeedEntry, ItemFailure
from stancewatch.pipeline.work import PageJob, PageOutcome, describe_failure

if TYPE_CHECKING:
    from stancewatch.positions import Engine

#: Loaded once by the fork server, so that every worker (and every renewed pool) starts warm:
#: the worker module, warmed up (warm_worker.py), and the CLI. Each new worker runs the
#: parent's main script again (multiprocessing's rule for a script started by path), and the
#: `stancewatch` script imports the CLI: preloaded, that costs the worker nothing. (Python
#: 3.11's fork server never receives the main script's path, so a "__main__" entry here
#: would do nothing.)
_FORKSERVER_PRELOAD = ["stancewatch.pipeline.warm_worker", "stancewatch.cli"]

Downloader = Callable[[FeedEntry], "PageJob | PageOutcome"]


def _finish_in_worker(job: PageJob) -> PageOutcome:
    # Runs in a worker; the import is free there (preloaded) and never happens in the parent.
    from stancewatch.pipeline.page_worker import finish_in_worker

    return finish_in_worker(job)


def _start_worker(engine: Engine, min_text_chars: int, max_text_chars: int, owner: int) -> None:
    from stancewatch.pipeline.page_worker import start_worker

    start_worker(engine, min_text_chars, max_text_chars, owner)


class PagePool:
    """Worker processes that turn downloaded pages into compared articles.

    One worker per core by default. After `tasks_per_worker` pages per worker the executor is
    replaced by a fresh one (ProcessPoolExecutor's own max_tasks_per_child deadlocks on
    Python 3.11, cpython gh-115634). A worker crash breaks the executor: it is replaced, and
    the pages that were in flight are run again one at a time, so that only the page that
    crashes on its own is lost (recorded as an item error).
    """

    def __init__(
        self,
        engine: Engine,
        *,
        workers: int = 0,
        tasks_per_worker: int = 1000,
        min_text_chars: int = 200,
        max_text_chars: int = 100_000,
        finish: Callable[[PageJob], PageOutcome] = _finish_in_worker,
    ) -> None:
        """`finish` is what a worker does with a page (a module-level function: it is sent
        to the workers by name)."""
        self._finish = finish
        self.workers = workers if workers > 0 else (os.cpu_count() or 1)
        self._engine = engine
        self._min_text_chars = min_text_chars
        self._max_text_chars = max_text_chars
        self._budget = max(1, tasks_per_worker) * self.workers
        self._executor: ProcessPoolExecutor | None = None
        self._submitted = 0
        self._retired: list[ProcessPoolExecutor] = []
        self.crashes = 0

    def _current(self) -> ProcessPoolExecutor:
        if self._executor is not None and self._submitted >= self._budget:
            # Retire without waiting: its last pages finish while the new workers start.
            self._executor.shutdown(wait=False)
            self._retired.append(self._executor)
            self._executor = None
        if self._executor is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(_FORKSERVER_PRELOAD)
            self._executor = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=context,
                initializer=_start_worker,
                initargs=(self._engine, self._min_text_chars, self._max_text_chars, os.getpid()),
            )
            self._submitted = 0
        return self._executor

    def _replace_broken(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
        self._executor = None

    def process(
        self, entries: Sequence[FeedEntry], download: Downloader, threads: int
    ) -> list[PageOutcome]:
        """Download `entries` with `threads` threads and finish each page in the workers.

        Outcomes come back in the order of `entries`.
        """
        outcomes: dict[int, PageOutcome] = {}
        waiting: deque[tuple[int, PageJob]] = deque()  # downloaded, not yet sent to a worker
        suspects: deque[tuple[int, PageJob]] = deque()  # in flight when a worker died
        running: dict[Future[PageOutcome], tuple[int, PageJob]] = {}
        alone: tuple[int, PageJob] | None = None  # the suspect now running by itself
        # Two pages queued behind each worker's page: a worker finds its next page waiting
        # even when this (busy, shared) machine is slow to wake the thread that feeds it; a
        # crash still catches only a handful of pages (each then runs again alone).
        limit = 3 * self.workers
        with ThreadPoolExecutor(max_workers=max(1, threads)) as downloads:
            fetching: dict[Future[PageJob | PageOutcome], int] = {
                downloads.submit(download, entry): index for index, entry in enumerate(entries)
            }
            while fetching or waiting or suspects or running:
                # Suspects run alone: a crash with nothing else in flight names its page.
                if suspects and not running:
                    alone = suspects.popleft()
                    running[self._submit(alone[1])] = alone
                while alone is None and not suspects and waiting and len(running) < limit:
                    index, job = waiting.popleft()
                    running[self._submit(job)] = (index, job)
                pending: list[Future[Any]] = [*fetching, *running]
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                crashed: list[tuple[int, PageJob]] = []
                for future in done:
                    if future in fetching:
                        index = fetching.pop(future)
                        fetched = future.result()
                        if isinstance(fetched, PageOutcome):
                            outcomes[index] = fetched
                        else:
                            waiting.append((index, fetched))
                        continue
                    item = running.pop(future)
                    try:
                        outcomes[item[0]] = future.result()
                    except BrokenProcessPool:
                        crashed.append(item)
                        continue
                    except Exception as exc:  # a bug on one page must not lose the batch
                        outcomes[item[0]] = failed_outcome(item[1], exc)
                    else:
                        alone = None if item is alone else alone
                if crashed:
                    # The whole executor died: what else was in flight must run again too.
                    crashed.extend(running.values())
                    running.clear()
                    self._replace_broken()
                    if len(crashed) == 1 and crashed[0] is alone:
                        self.crashes += 1
                        outcomes[crashed[0][0]] = crash_outcome(crashed[0][1])
                    else:
                        suspects.extend(sorted(crashed, key=lambda item: item[0]))
                    alone = None
        return [outcomes[index] for index in range(len(entries))]

    def _submit(self, job: PageJob) -> Future[PageOutcome]:
        try:
            future = self._current().submit(self._finish, job)
        except BrokenProcessPool:  # a worker died between two pages
            self._replace_broken()
            future = self._current().submit(self._finish, job)
        self._submitted += 1
        return future

    def close(self) -> None:
        for executor in [*self._retired, *([self._executor] if self._executor else [])]:
            executor.shutdown(wait=True, cancel_futures=True)
        self._retired.clear()
        self._executor = None


def failed_outcome(job: PageJob, exc: BaseException) -> PageOutcome:
    """A page the worker could not finish: recorded, and not tried again."""
    failure = describe_failure(exc, stage="extract", url=job.entry.url, feed_id=job.entry.feed_id)
    return PageOutcome(entry=job.entry, status="failed", failures=(*job.failures, failure))


def crash_outcome(job: PageJob) -> PageOutcome:
    """A page whose worker died on it: failed for good (it would crash every run)."""
    failure = ItemFailure(
        stage="extract",
        url=job.entry.url,
        feed_id=job.entry.feed_id,
        error_class="WorkerCrash",
        message="the extraction worker process died on this page",
    )
    return PageOutcome(entry=job.entry, status="failed", failures=(*job.failures, failure))
