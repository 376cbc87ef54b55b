"""The extraction pool: real worker processes, a page that kills its worker costs only itself."""

from __future__ import annotations

import os
import signal
import sys
from datetime import UTC, datetime

import pytest

from stancewatch.models import FeedEntry, FetchResult
from stancewatch.pipeline import PageJob, PageOutcome, PagePool
from stancewatch.pipeline.page_worker import finish_in_worker
from stancewatch.positions import Engine
from tests.conftest import PARAGRAPHS_A, SEEDS_DIR, article_page

CRASH_MARK = b"<!-- kill this worker -->"


def finish_or_die(job: PageJob) -> PageOutcome:
    """The real worker task, except that a page carrying CRASH_MARK kills its process the way
    a segfault in lxml would."""
    if job.page is not None and CRASH_MARK in job.page.body:
        os.kill(os.getpid(), signal.SIGSEGV)
    return finish_in_worker(job)


def finish_if_warm(job: PageJob) -> PageOutcome:
    """The real worker task, refused by a worker that did not start warm: the fork server
    must have built htmldate's month names and imported the CLI before forking it."""
    from htmldate import extractors

    if extractors.month_words.cache_info().currsize == 0 or "stancewatch.cli" not in sys.modules:
        raise RuntimeError("this worker started cold")
    return finish_in_worker(job)


def entry(number: int) -> FeedEntry:
    return FeedEntry(
        feed_id="wire",
        guid=f"item-{number}",
        url=f"http://127.0.0.1:9/news/{number}.html",
        canonical_url=f"http://127.0.0.1:9/news/{number}.html",
        title=f"Story {number}",
        published=datetime(2024, 3, 2, 9, number % 60, tzinfo=UTC),
        summary=f"Feed summary of story {number}.",
        content=None,
        content_hash=f"hash-{number}",
    )


def page(number: int, *, crash: bool = False) -> PageJob:
    html = article_page(f"Story {number}", PARAGRAPHS_A)
    body = html.encode() + (CRASH_MARK if crash else b"")
    result = FetchResult(
        url=entry(number).url,
        final_url=entry(number).url,
        status=200,
        headers={"content-type": "text/html; charset=utf-8"},
        body=body,
        encoding="utf-8",
    )
    return PageJob(entry=entry(number), page=result)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.from_seeds(SEEDS_DIR)


def process(pool: PagePool, jobs: list[PageJob]) -> list[PageOutcome]:
    by_url = {job.entry.url: job for job in jobs}
    return pool.process([job.entry for job in jobs], lambda e: by_url[e.url], threads=4)


def test_pages_are_extracted_and_compared_in_worker_processes(engine: Engine) -> None:
    pool = PagePool(engine, workers=2, tasks_per_worker=3)  # renewed during the batch
    try:
        outcomes = process(pool, [page(n) for n in range(10)])
    finally:
        pool.close()
    assert [o.entry.guid for o in outcomes] == [f"item-{n}" for n in range(10)]
    assert all(o.status == "done" and o.article is not None for o in outcomes)
    assert all(o.article.text_source == "page" for o in outcomes if o.article)
    assert all("Osama Hamdan" in o.article.text for o in outcomes if o.article)
    analyses = [o.analysis for o in outcomes]
    assert all(a is not None and a.comparison.statements for a in analyses)
    assert pool.crashes == 0


def test_a_worker_crash_costs_only_its_page_and_the_pool_goes_on(engine: Engine) -> None:
    jobs = [page(n, crash=n == 4) for n in range(9)]
    pool = PagePool(engine, workers=2, finish=finish_or_die)
    try:
        outcomes = process(pool, jobs)
        after = process(pool, [page(20), page(21)])  # the replaced pool still works
    finally:
        pool.close()
    assert pool.crashes == 1
    crashed = outcomes[4]
    assert crashed.status == "failed" and crashed.article is None
    assert [f.error_class for f in crashed.failures] == ["WorkerCrash"]
    assert crashed.failures[0].url == jobs[4].entry.url
    others = [o for n, o in enumerate(outcomes) if n != 4]
    assert all(o.status == "done" and o.analysis is not None for o in others)
    assert [o.status for o in after] == ["done", "done"]


def test_a_failed_download_uses_the_feed_text(engine: Engine) -> None:
    job = PageJob(entry=entry(1), page=None, fallback_reason="HTTPStatusError: 404")
    pool = PagePool(engine, workers=1)
    try:
        (outcome,) = process(pool, [job])
    finally:
        pool.close()
    assert outcome.status == "done" and outcome.article is not None
    assert outcome.article.text_source == "feed"
    assert outcome.article.extract_note == "HTTPStatusError: 404"


def test_new_workers_start_warm_from_the_fork_server(engine: Engine) -> None:
    pool = PagePool(engine, workers=2, tasks_per_worker=2, finish=finish_if_warm)
    try:
        outcomes = process(pool, [page(n) for n in range(6)])  # the pool is renewed twice
    finally:
        pool.close()
    assert [o.failures for o in outcomes] == [()] * 6
    assert all(o.status == "done" for o in outcomes)
