"""The Prefect `monitor` flow: poll feeds, fetch pages, extract, compare and store, as tasks."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy

from stancewatch import pipeline
from stancewatch.ingest import HttpClient
from stancewatch.models import Article, FeedConfig, FeedState, ItemFailure, RunSummary
from stancewatch.positions import Engine
from stancewatch.report import change_to_dict, summary_lines, summary_markdown
from stancewatch.settings import Settings

# Tasks receive settings and plain records, never an open client or database connection:
# each I/O task opens what it needs and closes it before returning.


@task(name="begin-run", retries=2, retry_delay_seconds=3, cache_policy=NO_CACHE)
def begin_run(
    settings: Settings, feeds: list[FeedConfig], engine: Engine, summary: RunSummary
) -> dict[str, FeedState]:
    return pipeline.begin_run(settings, feeds, engine, summary)


@task(name="poll-feeds", retries=1, retry_delay_seconds=5, cache_policy=NO_CACHE)
def poll_feeds(
    settings: Settings, feeds: list[FeedConfig], states: dict[str, FeedState]
) -> list[pipeline.FeedPoll]:
    with HttpClient(settings) as client:
        polls = pipeline.poll_feeds(client, feeds, states, workers=settings.fetch_workers)
    logger = get_run_logger()
    for poll in polls:
        if poll.failure:
            logger.warning("feed %s failed: %s", poll.feed.id, poll.failure.message)
        elif poll.not_modified:
            logger.info("feed %s not modified", poll.feed.id)
        elif poll.parsed:
            logger.info("feed %s: %d entries", poll.feed.id, len(poll.parsed.entries))
    return polls


@task(name="record-polls", retries=2, retry_delay_seconds=3, cache_policy=NO_CACHE)
def record_polls(
    settings: Settings, summary: RunSummary, polls: list[pipeline.FeedPoll]
) -> tuple[pipeline.WorkQueue, RunSummary]:
    # The summary travels back explicitly: a task's inputs may be copies.
    return pipeline.record_polls(settings, summary, polls), summary


@task(name="fetch-pages", retries=1, retry_delay_seconds=5, cache_policy=NO_CACHE)
def fetch_pages(settings: Settings, queue: pipeline.WorkQueue) -> list[pipeline.PageOutcome]:
    with HttpClient(settings) as client:
        outcomes = pipeline.fetch_pages(client, queue, settings)
    logger = get_run_logger()
    for outcome in outcomes:
        for failure in outcome.failures:
            logger.warning("%s %s: %s", failure.stage, failure.url, failure.message)
    return outcomes


@task(name="compare-articles", cache_policy=NO_CACHE)
def compare_articles(
    engine: Engine, articles: list[Article]
) -> tuple[list[pipeline.Analysis], list[ItemFailure]]:
    return pipeline.analyse_articles(engine, articles)


@task(name="store-results", retries=2, retry_delay_seconds=3, cache_policy=NO_CACHE)
def store_results(
    settings: Settings,
    summary: RunSummary,
    outcomes: list[pipeline.PageOutcome],
    analyses: list[pipeline.Analysis],
    baseline_version: str,
    failures: list[ItemFailure],
) -> RunSummary:
    return pipeline.record_results(
        settings, summary, outcomes, analyses, baseline_version, failures
    )


def _batches(items: list[Any], size: int) -> list[list[Any]]:
    size = max(1, size)
    return [items[i : i + size] for i in range(0, len(items), size)]


@flow(name="monitor", log_prints=False)
def monitor(
    seeds_dir: str | None = None,
    feeds_file: str | None = None,
    db_path: str | None = None,
) -> dict[str, object]:
    """Poll every feed once, store new articles, and compare them with the baseline."""
    logger = get_run_logger()
    settings = Settings.from_env().with_overrides(
        seeds_dir=Path(seeds_dir) if seeds_dir else None,
        feeds_file=Path(feeds_file) if feeds_file else None,
        db_path=Path(db_path) if db_path else None,
    )
    feeds, engine = pipeline.load_inputs(settings)
    summary = pipeline.new_run()
    logger.info(
        "run %s: %d feeds, baseline %s (%d positions), database %s",
        summary.run_id,
        len(feeds),
        engine.baseline_version,
        len(engine.baseline),
        settings.db_path,
    )
    states = begin_run(settings, feeds, engine, summary)
    try:
        polls = poll_feeds(settings, feeds, states)
        queue, summary = record_polls(settings, summary, polls)
        outcomes: list[pipeline.PageOutcome] = []
        for batch in _batches(list(queue.entries), settings.batch_size):
            sub_queue = pipeline.WorkQueue(entries=tuple(batch), attempts=queue.attempts)
            outcomes.extend(fetch_pages(settings, sub_queue))
            logger.info("fetched %d of %d queued pages", len(outcomes), len(queue.entries))
        articles = [o.article for o in outcomes if o.article]
        analyses: list[pipeline.Analysis] = []
        failures: list[ItemFailure] = []
        for batch in _batches(articles, settings.batch_size):
            found, failed = compare_articles(engine, batch)
            analyses.extend(found)
            failures.extend(failed)
        summary = store_results(
            settings, summary, outcomes, analyses, engine.baseline_version, failures
        )
    except BaseException as exc:
        pipeline.fail_run(settings, summary, f"{exc.__class__.__name__}: {exc}")
        raise
    for line in summary_lines(summary):
        logger.info(line)
    shifts = [
        change_to_dict(change)
        for analysis in analyses
        for change in analysis.comparison.changes
        if change.kind != "reaffirmed"
    ]
    create_markdown_artifact(
        summary_markdown(summary, shifts), key="stancewatch-run", description="Run summary"
    )
    if shifts:
        create_table_artifact(
            [
                {
                    "actor": c["actor"],
                    "issue": c["issue"],
                    "kind": c["kind"],
                    "confidence": c["confidence"],
                    "evidence": c["evidence"],
                }
                for c in shifts
            ],
            key="stancewatch-changes",
            description="Position changes found in this run",
        )
    return summary.as_dict()


def serve_monitor(settings: Settings, *, name: str = "stancewatch-monitor") -> None:
    """Run `monitor` every settings.interval_minutes in this process (no work pool needed).

    A run still going when the next one is due is not doubled: the new one is cancelled.
    """
    monitor.serve(
        name=name,
        interval=timedelta(minutes=settings.interval_minutes),
        global_limit=ConcurrencyLimitConfig(
            limit=1, collision_strategy=ConcurrencyLimitStrategy.CANCEL_NEW
        ),
        parameters={
            "seeds_dir": str(settings.seeds_dir),
            "feeds_file": str(settings.feed_list_path),
            "db_path": str(settings.db_path),
        },
        tags=["stancewatch"],
    )


if __name__ == "__main__":
    monitor()
