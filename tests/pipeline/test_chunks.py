"""Pages finished in chunks elsewhere: on a real Dask cluster (order kept, the work runs on its
workers), and in throw-away worker processes (a worker crash costs only its page)."""

from __future__ import annotations

import faulthandler
import multiprocessing
import os
import signal
import uuid
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

import distributed
import pytest

from stancewatch.pipeline import (
    ChunkedPages,
    ChunkResult,
    EngineParcel,
    PageJob,
    PageOutcome,
    finish_chunk,
)
from stancewatch.positions import Engine
from tests.conftest import SEEDS_DIR
from tests.pipeline.test_page_pool import CRASH_MARK, page


def finish_chunk_or_die(parcel: EngineParcel, jobs: Sequence[PageJob]) -> ChunkResult:
    """The real chunk job, except that a page carrying CRASH_MARK kills its worker process
    the way a segfault in lxml would."""
    if any(job.page is not None and CRASH_MARK in job.page.body for job in jobs):
        faulthandler.disable()  # an expected death: no traceback dump in the test output
        os.kill(os.getpid(), signal.SIGSEGV)
    return finish_chunk(parcel, jobs, min_text_chars=200, max_text_chars=100_000)


@pytest.fixture(scope="module")
def client() -> Iterator[distributed.Client]:
    with (
        distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True) as cluster,
        distributed.Client(cluster) as dask_client,
    ):
        yield dask_client


@pytest.fixture(scope="module")
def parcel() -> EngineParcel:
    return EngineParcel.of(Engine.from_seeds(SEEDS_DIR))


def chunked(client: distributed.Client, parcel: EngineParcel, size: int) -> ChunkedPages:
    def submit(jobs: Sequence[PageJob], label: str) -> distributed.Future:
        return client.submit(
            finish_chunk_or_die, parcel, list(jobs), key=f"chunk-{label}-{uuid.uuid4().hex}"
        )

    return ChunkedPages(
        submit, chunk_pages=size, worker_lost=(distributed.KilledWorker,), batch_label=lambda: "b"
    )


def process(stage: ChunkedPages, jobs: list[PageJob]) -> list[PageOutcome]:
    by_url = {job.entry.url: job for job in jobs}
    return stage.process([job.entry for job in jobs], lambda e: by_url[e.url], threads=4)


def test_chunks_run_on_the_workers_and_keep_the_entries_order(
    client: distributed.Client, parcel: EngineParcel
) -> None:
    stage = chunked(client, parcel, size=3)
    jobs = [page(n) for n in range(7)]
    outcomes = process(stage, jobs)
    assert [o.entry.guid for o in outcomes] == [f"item-{n}" for n in range(7)]
    assert all(o.status == "done" and o.analysis is not None for o in outcomes)
    assert stage.chunks == 3 and stage.crashes == 0
    worker_pids = set(client.run(os.getpid).values())
    assert {pid for _, pid, _ in stage.ran_on} <= worker_pids
    assert os.getpid() not in worker_pids


def in_own_process(parcel: EngineParcel) -> ChunkedPages:
    """Each job in a fresh forked process: a page that kills it breaks only its own job.

    (On a Dask cluster a dead worker also fails the jobs it was running beside the culprit,
    and its nanny restarts it; the isolation below is the same.)"""
    context = multiprocessing.get_context("fork")

    def submit(jobs: Sequence[PageJob], label: str) -> Future[ChunkResult]:
        del label
        with ProcessPoolExecutor(max_workers=1, mp_context=context) as executor:
            future = executor.submit(finish_chunk_or_die, parcel, list(jobs))
            future.exception()  # wait here: forking beside the download threads stays simple
        return future

    return ChunkedPages(submit, chunk_pages=4, worker_lost=(BrokenProcessPool,))


def test_a_worker_crash_costs_only_its_page(parcel: EngineParcel) -> None:
    stage = in_own_process(parcel)
    jobs = [page(n, crash=n == 5) for n in range(8)]
    outcomes = process(stage, jobs)
    assert stage.crashes == 1
    crashed = outcomes[5]
    assert crashed.status == "failed" and crashed.article is None
    assert [f.error_class for f in crashed.failures] == ["WorkerCrash"]
    assert crashed.failures[0].url == jobs[5].entry.url
    others = [o for n, o in enumerate(outcomes) if n != 5]
    assert all(o.status == "done" and o.analysis is not None for o in others)
    # Finished jobs: the good chunk, then the lost chunk's three innocent pages one by one.
    assert len(stage.ran_on) == 4
