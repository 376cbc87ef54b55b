"""A batch of pages whose CPU half runs elsewhere (a Dask cluster), in chunks of pages.

Threads here download; every `chunk_pages` downloaded pages go out as one job (one task, not
one per page: a task has a fixed cost and thousands at once swamp the orchestrator), and the
outcomes come back to this process, which alone stores them. The submitter (flows/) decides
where a job runs; this module only knows how to cut a batch, wait and isolate a crash.
"""

from __future__ import annotations

import hashlib
import pickle
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from stancewatch.models import FeedEntry
from stancewatch.pipeline.pages import Downloader, crash_outcome, failed_outcome
from stancewatch.pipeline.work import PageJob, PageOutcome

if TYPE_CHECKING:
    from stancewatch.positions import Engine


@dataclass(frozen=True)
class EngineParcel:
    """The engine as bytes, unpickled once per worker process and kept by `key`.

    A chunk carries ~150 kB of bytes instead of an engine that takes ~0.1 s to rebuild.
    """

    key: str
    payload: bytes

    @classmethod
    def of(cls, engine: Engine) -> EngineParcel:
        payload = pickle.dumps(engine, protocol=pickle.HIGHEST_PROTOCOL)
        digest = hashlib.sha256(payload).hexdigest()[:16]
        return cls(f"{engine.baseline_version}:{digest}", payload)


@dataclass(frozen=True)
class ChunkResult:
    """What one chunk job hands back: its pages' outcomes, and where it ran (for the logs and
    to show that the work left this process)."""

    outcomes: tuple[PageOutcome, ...]
    host: str
    pid: int
    worker: str


_engines: dict[str, Engine] = {}
_engines_lock = threading.Lock()


def _engine_from(parcel: EngineParcel) -> Engine:
    with _engines_lock:
        engine = _engines.get(parcel.key)
        if engine is None:
            _engines.clear()  # one engine per worker: a new baseline replaces the old one
            engine = _engines[parcel.key] = pickle.loads(parcel.payload)
        return engine


def finish_chunk(
    parcel: EngineParcel,
    jobs: Sequence[PageJob],
    *,
    min_text_chars: int,
    max_text_chars: int,
    worker: str = "",
) -> ChunkResult:
    """Extract and compare each page of a chunk (run on the cluster's worker).

    A bug on one page is recorded with that page; the others go on.
    """
    import os
    import socket

    from stancewatch.pipeline.page_worker import finish_page

    engine = _engine_from(parcel)
    outcomes: list[PageOutcome] = []
    for job in jobs:
        try:
            outcome = finish_page(
                job, engine, min_text_chars=min_text_chars, max_text_chars=max_text_chars
            )
        except Exception as exc:
            outcome = failed_outcome(job, exc)
        outcomes.append(outcome)
    return ChunkResult(tuple(outcomes), socket.gethostname(), os.getpid(), worker)


class ChunkHandle(Protocol):
    """A submitted chunk job: `result()` waits and returns it, or raises why it failed."""

    def result(self) -> ChunkResult: ...


#: submit(jobs, label) starts a chunk job somewhere and returns its handle at once.
ChunkSubmitter = Callable[[Sequence[PageJob], str], ChunkHandle]


class ChunkedPages:
    """Downloads here, extraction and compare in chunk jobs started by `submit`.

    A job that fails with one of `worker_lost` (its worker process died: a segfault, the OOM
    killer) has its pages sent again one per job, and those lost again once more alone, so
    only a page that kills its worker on its own is lost (a `WorkerCrash` item error). Any
    other failure of a job (the cluster is gone, a bug in the job itself) stops the batch:
    its pages stay queued for the next run instead of being failed for good.
    """

    def __init__(
        self,
        submit: ChunkSubmitter,
        *,
        chunk_pages: int,
        worker_lost: tuple[type[BaseException], ...],
        batch_label: Callable[[], str] = lambda: "",
    ) -> None:
        self._submit = submit
        self.chunk_pages = max(1, chunk_pages)
        self._worker_lost = worker_lost
        self._batch_label = batch_label
        self.crashes = 0
        self.chunks = 0
        self.ran_on: set[tuple[str, int, str]] = set()  # (host, pid, worker) of finished jobs

    def process(
        self, entries: Sequence[FeedEntry], download: Downloader, threads: int
    ) -> list[PageOutcome]:
        """Download `entries` with `threads` threads; pages go out in chunks as they arrive
        (the cluster works while the rest downloads). Outcomes keep the order of `entries`."""
        outcomes: dict[int, PageOutcome] = {}
        sent: list[tuple[list[tuple[int, PageJob]], ChunkHandle]] = []
        chunk: list[tuple[int, PageJob]] = []
        batch = self._batch_label()

        def send(items: list[tuple[int, PageJob]]) -> None:
            self.chunks += 1
            label = f"{batch} #{len(sent) + 1}" if batch else f"#{len(sent) + 1}"
            sent.append((items, self._submit([job for _, job in items], label)))

        # Submitting happens in this thread (the orchestrator's context lives here); the
        # download threads only download.
        with ThreadPoolExecutor(max_workers=max(1, threads)) as downloads:
            fetching = {
                downloads.submit(download, entry): index for index, entry in enumerate(entries)
            }
            for future in as_completed(fetching):
                fetched = future.result()
                if isinstance(fetched, PageOutcome):
                    outcomes[fetching[future]] = fetched
                    continue
                chunk.append((fetching[future], fetched))
                if len(chunk) >= self.chunk_pages:
                    send(chunk)
                    chunk = []
        if chunk:
            send(chunk)
        suspects: list[tuple[int, PageJob]] = []
        for items, handle in sent:
            suspects.extend(self._collect(items, handle, outcomes))
        # A dead worker takes every job it was running with it, innocent or not. Send the
        # suspects again one page per job (most finish); whatever is lost again runs alone,
        # one at a time, so that a crash with nothing else in flight names its page.
        again = [(item, self._submit([item[1]], f"page {item[1].entry.url}")) for item in suspects]
        lonely = [
            item for item, handle in again for item in self._collect([item], handle, outcomes)
        ]
        for item in lonely:
            if self._collect(
                [item], self._submit([item[1]], f"page {item[1].entry.url} alone"), outcomes
            ):
                self.crashes += 1
                outcomes[item[0]] = crash_outcome(item[1])
        return [outcomes[index] for index in range(len(entries))]

    def _collect(
        self,
        items: list[tuple[int, PageJob]],
        handle: ChunkHandle,
        outcomes: dict[int, PageOutcome],
    ) -> list[tuple[int, PageJob]]:
        """Wait for a job and keep its outcomes; return its pages if its worker died."""
        try:
            result = handle.result()
        except self._worker_lost:
            return items
        self.ran_on.add((result.host, result.pid, result.worker))
        outcomes.update(
            (index, outcome) for (index, _), outcome in zip(items, result.outcomes, strict=True)
        )
        return []

    def close(self) -> None:
        """Nothing to stop here: the cluster belongs to whoever submits."""
