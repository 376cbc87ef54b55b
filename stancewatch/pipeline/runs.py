"""The store steps of a monitor pass: each opens the database briefly, writes, and closes it."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from stancewatch import ingest, store
from stancewatch.errors import StancewatchError
from stancewatch.models import FeedConfig, FeedEntry, FeedState, ItemFailure, RunSummary
from stancewatch.pipeline.outcome import RUN_STATUS, judge_run
from stancewatch.pipeline.work import Analysis, FeedPoll, PageOutcome, WorkQueue
from stancewatch.settings import Settings

if TYPE_CHECKING:
    import duckdb

    from stancewatch.positions import Engine


def run_lock(settings: Settings, summary: RunSummary) -> AbstractContextManager[None]:
    """The database's run lock, held for a whole pass: a second run waits up to
    settings.run_lock_wait, then stops with RunLockedError before fetching anything."""
    return store.run_lock(settings.db_path, wait=settings.run_lock_wait, run_id=summary.run_id)


def begin_run(
    settings: Settings, feeds: Sequence[FeedConfig], engine: Engine, summary: RunSummary
) -> dict[str, FeedState]:
    """Open the run's record; runs left 'running' by a killed process become 'abandoned'
    (the caller holds the run lock, so none of them is alive)."""
    # The read snapshot is a copy of the whole file: published once, when the run finishes,
    # not after every step and batch.
    with store.open_db(
        settings.db_path, busy_timeout=settings.db_busy_timeout, publish=False
    ) as con:
        store.abandon_stale_runs(con, summary.run_id)
        store.sync_feeds(con, feeds)
        # The version hashes the seeds: when it is already the current one, the baseline
        # need not be read from the seed documents again (an idle run never reads them).
        if store.current_baseline_version(con) != engine.baseline_version:
            store.save_baseline(con, engine.baseline, engine.baseline_version)
        store.start_run(con, summary)
        return store.feed_states(con)


def record_polls(
    settings: Settings, summary: RunSummary, polls: Sequence[FeedPoll], *, start_first: int = 0
) -> WorkQueue:
    """Save feed state and new entries, and return this run's queue (new and retried).

    The attempts of the queue's first `start_first` entries (the first batch) are counted in
    the same transaction, instead of in a database opening of their own just before they are
    fetched.
    """
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
        store.open_db(
            settings.db_path, busy_timeout=settings.db_busy_timeout, publish=False
        ) as con,
        store.transaction(con),
    ):
        store.record_feed_polls(
            con,
            [
                store.FeedPollRecord(
                    feed_id=poll.feed.id,
                    ok=poll.failure is None,
                    status=poll.status,
                    etag=poll.etag,
                    last_modified=poll.last_modified,
                    error=poll.failure.message if poll.failure else None,
                    entries=len(poll.parsed.entries) if poll.parsed else 0,
                    bozo=poll.parsed.bozo_reason if poll.parsed else None,
                    hard=poll.hard,
                    retry_after=poll.retry_after,
                )
                for poll in polls
            ],
            store.HealthPolicy(
                backoff_base=settings.feed_backoff_base,
                backoff_max=settings.feed_backoff_max,
                disable_after=settings.feed_disable_after,
            ),
        )
        over_limit: dict[str, int] = {}
        if fresh:
            summary.entries_new = store.add_entries(
                con,
                ingest.unique_entries(fresh),
                summary.run_id,
                per_feed_limit=settings.max_entries_per_feed_poll,
                over_limit=over_limit,
            )
        summary.errors.extend(
            ItemFailure(
                "queue",
                None,
                feed_id,
                "QueueLimit",
                f"{extra} new entries over the limit of {settings.max_entries_per_feed_poll} "
                "per poll were not queued (the newest were); a later poll still listing them "
                "queues them",
            )
            for feed_id, extra in sorted(over_limit.items())
        )
        store.add_item_errors(con, summary.run_id, summary.errors)
        entries = store.pending_entries(con, limit=settings.max_articles_per_run)
        attempts = store.entry_attempts(con, [entry.canonical_url for entry in entries])
        store.start_attempts(con, [entry.canonical_url for entry in entries[:start_first]])
    return WorkQueue(entries=tuple(entries), attempts=attempts)


def start_fetch_attempts(settings: Settings, entries: Sequence[FeedEntry]) -> None:
    """Count an attempt for each entry before fetching it: a hang or a kill still counts."""
    # Readers need no new snapshot for an attempt count; finish-run publishes one.
    with store.open_db(
        settings.db_path, busy_timeout=settings.db_busy_timeout, publish=False
    ) as con:
        store.start_attempts(con, [entry.canonical_url for entry in entries])


def record_batch(
    settings: Settings,
    summary: RunSummary,
    outcomes: Sequence[PageOutcome],
    baseline_version: str,
    *,
    next_batch: Sequence[FeedEntry] = (),
) -> RunSummary:
    """Store one batch in one short transaction: its articles, statements, changes, errors,
    the entries' new state and the run's counts so far. Returns the updated summary.

    `next_batch`, the entries fetched next, get their attempt counted in the same transaction
    (see start_fetch_attempts): one database opening per batch instead of two.
    """
    articles = [outcome.article for outcome in outcomes if outcome.article]
    analyses = [outcome.analysis for outcome in outcomes if outcome.analysis]
    failures = [failure for outcome in outcomes for failure in outcome.failures]
    summary.errors.extend(failures)
    summary.articles_from_feed += sum(1 for a in articles if a.text_source == "feed")
    with (
        store.open_db(
            settings.db_path, busy_timeout=settings.db_busy_timeout, publish=False
        ) as con,
        store.transaction(con),
    ):
        summary.articles_stored += store.add_articles(con, articles, summary.run_id)
        store.note_text_yield(
            con, [(a.feed_id, a.text_source == "page") for a in articles if a.feed_id]
        )
        statements, changes = save_analyses(con, analyses, summary.run_id, baseline_version)
        summary.statements_stored += statements
        summary.changes_stored += changes
        store.mark_entries(
            con,
            [
                (o.entry.canonical_url, o.status, o.failures[-1].message if o.failures else None)
                for o in outcomes
            ],
        )
        store.add_item_errors(con, summary.run_id, failures)
        store.finish_run(con, summary)  # counts so far; the status stays 'running'
        store.start_attempts(con, [entry.canonical_url for entry in next_batch])
    return summary


def finish_run(settings: Settings, summary: RunSummary) -> RunSummary:
    """Close the run with its status; writes any failure not stored yet."""
    return close_run(settings, summary)[0]


def close_run(settings: Settings, summary: RunSummary) -> tuple[RunSummary, bool]:
    """finish_run, and whether the events step will find anything to group (asked while the
    database is open anyway, so a run with nothing new need not open it again for that)."""
    summary.finished_at = datetime.now(UTC)
    summary.status = RUN_STATUS[judge_run(summary).verdict]
    with store.open_db(settings.db_path, busy_timeout=settings.db_busy_timeout) as con:
        with store.transaction(con):
            store.add_item_errors(con, summary.run_id, summary.errors)
            store.finish_run(con, summary)
        pending = store.events_pending(con)
    return summary, pending


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


def close_flow_run(settings: Settings, flow_run_id: str, status: str, note: str) -> list[str]:
    """Mark the runs a Prefect flow run left `running` as `status` (crashed, cancelled, failed).

    Called from the flow's state hooks, possibly in another process after the run was killed.
    Returns the run ids closed; an unusable database closes none (the hook must not raise).
    """
    import duckdb  # loaded with the database anyway; a type-only import elsewhere here

    try:
        with store.open_db(settings.db_path, busy_timeout=settings.db_busy_timeout) as con:
            closed = store.end_flow_run(con, flow_run_id, status, note)
            for run_id in closed:
                failure = ItemFailure("run", None, None, status.capitalize(), note)
                store.add_item_errors(con, run_id, [failure])
            return closed
    except (StancewatchError, duckdb.Error):
        return []
