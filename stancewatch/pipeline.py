"""Plain-Python wiring of the monitor stages: poll, fetch, extract, compare and store."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

import duckdb

from stancewatch import store
from stancewatch.errors import (
    ExtractError,
    FetchTimeoutError,
    HTTPStatusError,
    ItemError,
    NetworkError,
)
from stancewatch.ingest import (
    FEED_ACCEPT,
    HttpClient,
    article_from_entry,
    extract_article,
    load_feed_list,
    parse_feed,
    unique_entries,
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
from stancewatch.positions import Engine
from stancewatch.settings import Settings

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

    @property
    def not_modified(self) -> bool:
        return self.status == 304


@dataclass(frozen=True)
class PageOutcome:
    """The fate of one queued entry in this run."""

    entry: FeedEntry
    status: EntryStatus
    article: Article | None = None
    failures: tuple[ItemFailure, ...] = ()


@dataclass(frozen=True)
class Analysis:
    """The engine's reading of one stored article."""

    canonical_url: str
    comparison: Comparison


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


def is_transient(exc: BaseException) -> bool:
    """Failures worth another try in a later run (the server or network may recover)."""
    if isinstance(exc, (NetworkError, FetchTimeoutError)):
        return True
    return isinstance(exc, HTTPStatusError) and (exc.status >= 500 or exc.status == 429)


# --- poll ------------------------------------------------------------------------------------


def poll_feed(client: HttpClient, feed: FeedConfig, state: FeedState | None) -> FeedPoll:
    """Conditional GET of one feed, then parse; never raises for a per-feed problem."""
    result: FetchResult | None = None
    try:
        result = client.get(
            feed.url,
            etag=state.etag if state else None,
            last_modified=state.last_modified if state else None,
            accept=FEED_ACCEPT,
        )
        if result.not_modified:
            return FeedPoll(feed=feed, status=304)
        parsed = parse_feed(feed.id, result.body, headers=result.headers, base_url=result.final_url)
    except Exception as exc:  # one feed's failure must not stop the others
        # A parse failure keeps the HTTP status: the fetch itself went fine.
        status = result.status if result is not None else None
        if isinstance(exc, HTTPStatusError):
            status = exc.status
        failure = describe_failure(exc, stage="poll", url=feed.url, feed_id=feed.id)
        return FeedPoll(feed=feed, status=status, failure=failure)
    return FeedPoll(
        feed=feed,
        status=result.status,
        etag=result.headers.get("etag"),
        last_modified=result.headers.get("last-modified"),
        parsed=parsed,
    )


def poll_feeds(
    client: HttpClient,
    feeds: Sequence[FeedConfig],
    states: dict[str, FeedState],
    *,
    workers: int,
) -> list[FeedPoll]:
    enabled = [feed for feed in feeds if feed.enabled]
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(enabled) or 1))) as pool:
        return list(pool.map(lambda feed: poll_feed(client, feed, states.get(feed.id)), enabled))


# --- fetch and extract -------------------------------------------------------------------------


def fetch_page(
    client: HttpClient, entry: FeedEntry, *, tries_left: int, min_text_chars: int
) -> PageOutcome:
    """Download and extract one entry's page, falling back to the feed's own text.

    A transient failure leaves the entry queued for the next run while tries remain; only
    then, or for a permanent failure (404, not HTML, too large), is the feed text used.
    """
    failures: list[ItemFailure] = []
    status: int | None = None
    try:
        result = client.get(entry.url)
        status = result.status
        article = extract_article(result, entry, min_text_chars=min_text_chars)
        return PageOutcome(entry=entry, status="done", article=article)
    except Exception as exc:  # recorded below; a page's trouble never stops the run
        if isinstance(exc, HTTPStatusError):
            status = exc.status
        failures.append(describe_failure(exc, stage="fetch", url=entry.url, feed_id=entry.feed_id))
        if is_transient(exc) and tries_left > 1:
            return PageOutcome(entry=entry, status="pending", failures=tuple(failures))
        reason = f"{exc.__class__.__name__}: {failures[-1].message}"
    try:
        article = article_from_entry(entry, reason=reason, http_status=status)
    except ExtractError as exc:
        failures.append(
            describe_failure(exc, stage="extract", url=entry.url, feed_id=entry.feed_id)
        )
        return PageOutcome(entry=entry, status="failed", failures=tuple(failures))
    return PageOutcome(entry=entry, status="done", article=article, failures=tuple(failures))


def fetch_pages(
    client: HttpClient,
    queue: WorkQueue,
    settings: Settings,
    progress: Progress | None = None,
) -> list[PageOutcome]:
    total = len(queue.entries)
    outcomes: list[PageOutcome] = []

    def one(entry: FeedEntry) -> PageOutcome:
        tries_left = settings.max_fetch_attempts - queue.attempts.get(entry.canonical_url, 0)
        return fetch_page(
            client, entry, tries_left=tries_left, min_text_chars=settings.min_text_chars
        )

    with ThreadPoolExecutor(max_workers=max(1, settings.fetch_workers)) as pool:
        for outcome in pool.map(one, queue.entries):
            outcomes.append(outcome)
            if progress:
                progress("fetch", len(outcomes), total)
    return outcomes


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


# --- store steps (each opens the database briefly) ------------------------------------------------


def begin_run(
    settings: Settings, feeds: Sequence[FeedConfig], engine: Engine, summary: RunSummary
) -> dict[str, FeedState]:
    with store.open_db(settings.db_path, busy_timeout=settings.db_busy_timeout) as con:
        store.sync_feeds(con, feeds)
        store.save_baseline(con, engine.baseline, engine.baseline_version)
        store.start_run(con, summary)
        return store.feed_states(con)


def record_polls(settings: Settings, summary: RunSummary, polls: Sequence[FeedPoll]) -> WorkQueue:
    """Save feed state and new entries, and return this run's queue (new and retried)."""
    fresh: list[FeedEntry] = []
    for poll in polls:
        summary.feeds_polled += 1
        if poll.failure:
            summary.feeds_failed += 1
            summary.errors.append(poll.failure)
        elif poll.not_modified:
            summary.feeds_not_modified += 1
        elif poll.parsed:
            fresh.extend(poll.parsed.entries)
            for reason in poll.parsed.skipped_entries:
                summary.errors.append(
                    ItemFailure("parse", None, poll.feed.id, "SkippedEntry", reason)
                )
    summary.entries_seen = len(fresh)
    with (
        store.open_db(settings.db_path, busy_timeout=settings.db_busy_timeout) as con,
        store.transaction(con),
    ):
        for poll in polls:
            store.record_feed_poll(
                con,
                poll.feed.id,
                ok=poll.failure is None,
                status=poll.status,
                etag=poll.etag,
                last_modified=poll.last_modified,
                error=poll.failure.message if poll.failure else None,
                entries=len(poll.parsed.entries) if poll.parsed else 0,
                bozo=poll.parsed.bozo_reason if poll.parsed else None,
            )
        summary.entries_new = store.add_entries(con, unique_entries(fresh), summary.run_id)
        entries = store.pending_entries(con, limit=settings.max_articles_per_run)
        attempts = store.entry_attempts(con, [entry.canonical_url for entry in entries])
    return WorkQueue(entries=tuple(entries), attempts=attempts)


def record_results(
    settings: Settings,
    summary: RunSummary,
    outcomes: Sequence[PageOutcome],
    analyses: Sequence[Analysis],
    baseline_version: str,
    extra_failures: Sequence[ItemFailure] = (),
) -> RunSummary:
    """One write step for everything the run found; closes the run with its status."""
    articles = [outcome.article for outcome in outcomes if outcome.article]
    for outcome in outcomes:
        summary.errors.extend(outcome.failures)
    summary.errors.extend(extra_failures)
    summary.articles_from_feed = sum(1 for a in articles if a.text_source == "feed")
    with (
        store.open_db(settings.db_path, busy_timeout=settings.db_busy_timeout) as con,
        store.transaction(con),
    ):
        summary.articles_stored = store.add_articles(con, articles, summary.run_id)
        summary.statements_stored, summary.changes_stored = save_analyses(
            con, analyses, summary.run_id, baseline_version
        )
        store.mark_entries(
            con,
            [
                (o.entry.canonical_url, o.status, o.failures[-1].message if o.failures else None)
                for o in outcomes
            ],
        )
        store.add_item_errors(con, summary.run_id, summary.errors)
        summary.finished_at = datetime.now(UTC)
        summary.status = "partial" if summary.errors else "ok"
        store.finish_run(con, summary)
    return summary


def save_analyses(
    con: duckdb.DuckDBPyConnection,
    analyses: Sequence[Analysis],
    run_id: str,
    baseline_version: str,
) -> tuple[int, int]:
    """Store every statement and change found; returns how many of each were new."""
    statements = [(a.canonical_url, s) for a in analyses for s in a.comparison.statements]
    changes = [(a.canonical_url, c) for a in analyses for c in a.comparison.changes]
    return (
        store.add_statements(con, statements, run_id, baseline_version),
        store.add_changes(con, changes, run_id, baseline_version),
    )


def fail_run(settings: Settings, summary: RunSummary, reason: str) -> None:
    """Mark a run failed after a fatal error, if the database can still be written."""
    summary.finished_at = datetime.now(UTC)
    summary.status = "failed"
    summary.errors.append(ItemFailure("run", None, None, "FatalError", reason))
    try:
        with store.open_db(settings.db_path, busy_timeout=settings.db_busy_timeout) as con:
            store.add_item_errors(con, summary.run_id, summary.errors[-1:])
            store.finish_run(con, summary)
    except Exception:  # the original error is what the user needs to see
        return


# --- a whole pass ---------------------------------------------------------------------------


def load_inputs(settings: Settings) -> tuple[list[FeedConfig], Engine]:
    """Read the feed list and seeds; a problem with either stops the run before any I/O."""
    return load_feed_list(settings.feed_list_path), Engine.from_seeds(settings.seeds_dir)


def run_monitor(
    settings: Settings, *, progress: Progress | None = None, run_id: str | None = None
) -> RunSummary:
    """One monitor pass without Prefect (the flow in flows/monitor.py runs the same steps)."""
    feeds, engine = load_inputs(settings)
    summary = new_run(run_id)
    states = begin_run(settings, feeds, engine, summary)
    try:
        with HttpClient(settings) as client:
            polls = poll_feeds(client, feeds, states, workers=settings.fetch_workers)
            queue = record_polls(settings, summary, polls)
            outcomes = fetch_pages(client, queue, settings, progress)
        articles = [o.article for o in outcomes if o.article]
        analyses, failures = analyse_articles(engine, articles, progress)
        return record_results(
            settings, summary, outcomes, analyses, engine.baseline_version, failures
        )
    except BaseException as exc:
        fail_run(settings, summary, f"{exc.__class__.__name__}: {exc}")
        raise


def rescore(settings: Settings, *, replace_old: bool = False) -> tuple[str, int, int]:
    """Recompute statements and changes of every stored article against the current seeds.

    Results are tagged with the baseline version; old versions' rows are kept unless
    replace_old is set. Returns (baseline version, statements stored, changes stored).
    """
    engine = Engine.from_seeds(settings.seeds_dir)
    with store.open_db(settings.db_path, busy_timeout=settings.db_busy_timeout) as con:
        articles = store.stored_articles(con)
    analyses, _ = analyse_articles(engine, articles)
    with (
        store.open_db(settings.db_path, busy_timeout=settings.db_busy_timeout) as con,
        store.transaction(con),
    ):
        if replace_old:
            store.delete_results_except(con, engine.baseline_version)
        store.save_baseline(con, engine.baseline, engine.baseline_version)
        counts = save_analyses(
            con, analyses, f"rescore-{new_run().run_id}", engine.baseline_version
        )
    return engine.baseline_version, *counts
