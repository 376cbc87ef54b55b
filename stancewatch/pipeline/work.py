"""Per-item work of a monitor pass: poll a feed, fetch and extract a page, compare an article."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal

from stancewatch import ingest
from stancewatch.errors import (
    BlockedURLError,
    DatabaseBusyError,
    FeedParseError,
    FetchTimeoutError,
    HTTPStatusError,
    ItemError,
    NameResolutionError,
    NetworkError,
    TooLargeError,
)
from stancewatch.models import (
    Article,
    Comparison,
    FeedConfig,
    FeedEntry,
    FeedState,
    FetchResult,
    ItemFailure,
    ParsedFeed,
    RunSummary,
)
from stancewatch.settings import Settings

if TYPE_CHECKING:
    from stancewatch.positions import Engine

#: Called as progress(stage, done, total) while a stage works through its items.
Progress = Callable[[str, int, int], None]
EntryStatus = Literal["done", "pending", "failed"]


@dataclass(frozen=True)
class FeedPoll:
    """What polling one feed produced: new entries, 'not modified', or a failure."""

    feed: FeedConfig
    status: int | None
    etag: str | None = None
    last_modified: str | None = None
    parsed: ParsedFeed | None = None
    failure: ItemFailure | None = None
    hard: bool = False  # a failure that waiting will not fix (see is_hard_failure)
    retry_after: float | None = None  # seconds the server asked us to wait

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass(frozen=True)
class Analysis:
    """The engine's reading of one stored article."""

    canonical_url: str
    comparison: Comparison


@dataclass(frozen=True)
class PageOutcome:
    """The fate of one queued entry in this run."""

    entry: FeedEntry
    status: EntryStatus
    article: Article | None = None
    failures: tuple[ItemFailure, ...] = ()
    analysis: Analysis | None = None  # the engine's reading of the article, if it was read


@dataclass(frozen=True)
class WorkQueue:
    """Entries to fetch this run, with how many runs already tried each."""

    entries: tuple[FeedEntry, ...]
    attempts: dict[str, int]


def new_run(run_id: str | None = None) -> RunSummary:
    return RunSummary(run_id=run_id or uuid.uuid4().hex[:12], started_at=datetime.now(UTC))


def describe_failure(
    exc: BaseException, *, stage: str, url: str | None, feed_id: str | None
) -> ItemFailure:
    """Turn an exception into a recorded failure; our own errors carry their stage."""
    if isinstance(exc, ItemError):
        stage = exc.stage if exc.stage != "unknown" else stage
        message = exc.message
    else:
        message = str(exc) or exc.__class__.__name__
    return ItemFailure(
        stage=stage,
        url=url,
        feed_id=feed_id,
        error_class=exc.__class__.__name__,
        message=message[:1000],
    )


def is_hard_failure(exc: BaseException) -> bool:
    """Feed failures that waiting will not fix: gone, unresolvable, refused, not a feed."""
    if isinstance(exc, HTTPStatusError):
        return exc.status in (404, 410)
    return isinstance(exc, (NameResolutionError, BlockedURLError, FeedParseError, TooLargeError))


def is_transient(exc: BaseException) -> bool:
    """Failures worth another try in a later run (the server or network may recover)."""
    if isinstance(exc, (NetworkError, FetchTimeoutError)):
        return True
    return isinstance(exc, HTTPStatusError) and (exc.status >= 500 or exc.status == 429)


def is_retryable(exc: BaseException) -> bool:
    """Errors a retry of the same step may get past: transient network trouble, a busy database.

    Anything else (a bug, bad input) fails the same way again and is not retried.
    """
    return is_transient(exc) or isinstance(exc, (DatabaseBusyError, ConnectionError, TimeoutError))


# --- poll ------------------------------------------------------------------------------------


def poll_feed(
    client: ingest.HttpClient,
    feed: FeedConfig,
    state: FeedState | None,
    *,
    max_text_chars: int = Settings.max_text_chars,
) -> FeedPoll:
    """Conditional GET of one feed, then parse; never raises for a per-feed problem."""
    result: FetchResult | None = None
    try:
        result = client.get(
            feed.url,
            etag=state.etag if state else None,
            last_modified=state.last_modified if state else None,
            accept=ingest.FEED_ACCEPT,
        )
        if result.not_modified:
            return FeedPoll(feed=feed, status=304)
        parsed = ingest.parse_feed(
            feed.id,
            result.body,
            headers=result.headers,
            base_url=result.final_url,
            max_text_chars=max_text_chars,
        )
    except Exception as exc:  # one feed's failure must not stop the others
        # A parse failure keeps the HTTP status: the fetch itself went fine.
        status = result.status if result is not None else None
        if isinstance(exc, HTTPStatusError):
            status = exc.status
        failure = describe_failure(exc, stage="poll", url=feed.url, feed_id=feed.id)
        return FeedPoll(
            feed=feed,
            status=status,
            failure=failure,
            hard=is_hard_failure(exc),
            retry_after=exc.retry_after if isinstance(exc, HTTPStatusError) else None,
        )
    return FeedPoll(
        feed=feed,
        status=result.status,
        etag=result.headers.get("etag"),
        last_modified=result.headers.get("last-modified"),
        parsed=parsed,
    )


def poll_feeds(
    client: ingest.HttpClient,
    feeds: Sequence[FeedConfig],
    states: dict[str, FeedState],
    *,
    workers: int,
    max_text_chars: int = Settings.max_text_chars,
) -> list[FeedPoll]:
    """Poll every feed that is enabled and due (not disabled by health, not backing off)."""
    now = datetime.now(UTC)
    enabled = [
        feed
        for feed in feeds
        if feed.enabled and (feed.id not in states or states[feed.id].due(now))
    ]

    def one(feed: FeedConfig) -> FeedPoll:
        return poll_feed(client, feed, states.get(feed.id), max_text_chars=max_text_chars)

    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(enabled) or 1))) as pool:
        return list(pool.map(one, enabled))


# --- download ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PageJob:
    """A downloaded page for an extraction worker; without a page, the reason the feed's own
    text must stand in (the download failed for good)."""

    entry: FeedEntry
    page: FetchResult | None
    fallback_reason: str | None = None
    http_status: int | None = None
    failures: tuple[ItemFailure, ...] = ()


def download(
    client: ingest.HttpClient, entry: FeedEntry, *, tries_left: int
) -> PageJob | PageOutcome:
    """Download one entry's page (run in a download thread; no parsing here).

    A transient failure leaves the entry queued for the next run while tries remain (a
    'pending' outcome); after that, or for a permanent failure (404, too large), the job asks
    for the feed's text instead.
    """
    try:
        return PageJob(entry=entry, page=client.get(entry.url))
    except Exception as exc:  # recorded below; a page's trouble never stops the run
        failure = describe_failure(exc, stage="fetch", url=entry.url, feed_id=entry.feed_id)
        if is_transient(exc) and tries_left > 1:
            return PageOutcome(entry=entry, status="pending", failures=(failure,))
        return PageJob(
            entry=entry,
            page=None,
            fallback_reason=f"{exc.__class__.__name__}: {failure.message}",
            http_status=exc.status if isinstance(exc, HTTPStatusError) else None,
            failures=(failure,),
        )


# --- compare -----------------------------------------------------------------------------------


def analyse_articles(
    engine: Engine, articles: Iterable[Article], progress: Progress | None = None
) -> tuple[list[Analysis], list[ItemFailure]]:
    """Compare every article with the baseline; an engine failure on one is recorded."""
    items = list(articles)
    analyses: list[Analysis] = []
    failures: list[ItemFailure] = []
    for done, article in enumerate(items, start=1):
        try:
            comparison = engine.compare_text(article.text, article.title)
        except Exception as exc:  # a bug on one odd text must not lose the others
            failures.append(
                describe_failure(exc, stage="compare", url=article.url, feed_id=article.feed_id)
            )
        else:
            analyses.append(Analysis(article.canonical_url, comparison))
        if progress:
            progress("compare", done, len(items))
    return analyses, failures
