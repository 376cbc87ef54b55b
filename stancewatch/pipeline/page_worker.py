"""The CPU-bound half of a page, run inside an extraction worker process: extract, then compare.

Imported by the worker processes (and preloaded by their fork server), never by the parent:
it pulls in trafilatura, lxml and the engine, which a run with nothing to extract never needs.
"""

from __future__ import annotations

import os
import threading
import time

from stancewatch.errors import ExtractError
from stancewatch.ingest import article_from_entry, extract_article
from stancewatch.models import Article, ItemFailure
from stancewatch.pipeline.work import Analysis, PageJob, PageOutcome, describe_failure
from stancewatch.positions import Engine

# Set once per worker process by start_worker (the pool's initializer).
_engine: Engine | None = None
_min_text_chars = 200
_max_text_chars = 100_000


def start_worker(engine: Engine, min_text_chars: int, max_text_chars: int, owner: int) -> None:
    """Keep what every page of this worker needs: the engine and the text limits.

    `owner` is the process of the run that started the pool; the worker leaves when it is gone.
    """
    global _engine, _min_text_chars, _max_text_chars
    _engine = engine
    _min_text_chars = min_text_chars
    _max_text_chars = max_text_chars
    _leave_with(owner)


def _leave_with(owner: int) -> None:
    # A run killed outright (SIGKILL, OOM) cannot stop its workers, and their fork server
    # stays up as long as they do (each worker holds the fork server's keep-alive pipe).
    def watch() -> None:
        while True:
            try:
                os.kill(owner, 0)
            except ProcessLookupError:
                os._exit(1)
            except PermissionError:  # the pid now belongs to someone else's process
                os._exit(1)
            time.sleep(1.0)

    threading.Thread(target=watch, name="leave-with-parent", daemon=True).start()


def finish_in_worker(job: PageJob) -> PageOutcome:
    if _engine is None:
        raise RuntimeError("extraction worker used before start_worker")
    return finish_page(job, _engine, min_text_chars=_min_text_chars, max_text_chars=_max_text_chars)


def finish_page(
    job: PageJob, engine: Engine, *, min_text_chars: int, max_text_chars: int = 100_000
) -> PageOutcome:
    """Article from the downloaded page (or the feed's own text), compared with the baseline.

    A page that is not HTML or has no usable text falls back to the feed entry's text; an
    entry with no text at all fails. An engine failure on one article is recorded with it.
    """
    entry = job.entry
    failures = list(job.failures)
    article: Article | None = None
    reason = job.fallback_reason or "page not downloaded"
    status = job.http_status
    if job.page is not None:
        status = job.page.status
        try:
            article = extract_article(
                job.page, entry, min_text_chars=min_text_chars, max_text_chars=max_text_chars
            )
        except Exception as exc:  # a page's trouble never stops the run: use the feed text
            failure = describe_failure(exc, stage="fetch", url=entry.url, feed_id=entry.feed_id)
            failures.append(failure)
            reason = f"{exc.__class__.__name__}: {failure.message}"
    if article is None:
        try:
            article = article_from_entry(
                entry, reason=reason, http_status=status, max_text_chars=max_text_chars
            )
        except ExtractError as exc:
            failures.append(
                describe_failure(exc, stage="extract", url=entry.url, feed_id=entry.feed_id)
            )
            return PageOutcome(entry=entry, status="failed", failures=tuple(failures))
    analysis = _analyse(engine, article, failures)
    return PageOutcome(
        entry=entry, status="done", article=article, failures=tuple(failures), analysis=analysis
    )


def _analyse(engine: Engine, article: Article, failures: list[ItemFailure]) -> Analysis | None:
    try:
        comparison = engine.compare_text(article.text, article.title)
    except Exception as exc:  # a bug on one odd text must not lose the others
        failures.append(
            describe_failure(exc, stage="compare", url=article.url, feed_id=article.feed_id)
        )
        return None
    return Analysis(article.canonical_url, comparison)
