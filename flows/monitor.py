"""The Prefect `monitor` flow: poll feeds, fetch pages, extract, compare and store, as tasks."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from prefect import Task, flow, get_run_logger, task
from prefect.artifacts import (
    create_link_artifact,
    create_markdown_artifact,
    create_table_artifact,
)
from prefect.cache_policies import NO_CACHE
from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy
from prefect.utilities.annotations import quote

from stancewatch import pipeline, store
from stancewatch.report import change_to_dict, events_markdown, summary_lines, summary_markdown
from stancewatch.safe_text import terminal_line
from stancewatch.settings import Settings

# Tasks receive the run (quoted: Prefect need not walk it) and a batch, never an open client or
# database connection: each I/O step opens what it needs and closes it before returning.


def _step_task(step: pipeline.Step) -> Task[..., Any]:
    wrap = task(
        name=step.name,
        retries=2 if step.io else 0,
        retry_delay_seconds=3,
        cache_policy=NO_CACHE,
    )
    return wrap(step.work)


_TASKS = {step.name: _step_task(step) for step in pipeline.STEPS}


def _log_step(logger: Any, step: pipeline.Step, run: pipeline.MonitorRun, result: Any) -> None:
    if step.name == "poll-feeds":
        for poll in result:
            if poll.failure:
                logger.warning(
                    "feed %s failed: %s", poll.feed.id, terminal_line(poll.failure.message)
                )
            elif poll.not_modified:
                logger.info("feed %s not modified", poll.feed.id)
            elif poll.parsed:
                logger.info("feed %s: %d entries", poll.feed.id, len(poll.parsed.entries))
    elif step.name == "fetch-pages":
        for outcome in result:
            for failure in outcome.failures:
                logger.warning(
                    "%s %s: %s",
                    failure.stage,
                    terminal_line(failure.url or ""),
                    terminal_line(failure.message),
                )
        logger.info("fetched %d of %d queued pages", len(run.outcomes), len(run.queue.entries))


@flow(name="monitor", log_prints=False)
def monitor(
    seeds_dir: str | None = None,
    feeds_file: str | None = None,
    db_path: str | None = None,
    fetch_allow: list[str] | None = None,
) -> dict[str, object]:
    """Poll every feed once, store new articles, and compare them with the baseline.

    `fetch_allow` replaces STANCEWATCH_FETCH_ALLOW: non-public hosts or networks that may
    be fetched (the demo passes its loopback address).
    """
    logger = get_run_logger()
    settings = Settings.from_env().with_overrides(
        seeds_dir=Path(seeds_dir) if seeds_dir else None,
        feeds_file=Path(feeds_file) if feeds_file else None,
        db_path=Path(db_path) if db_path else None,
        fetch_allow=tuple(fetch_allow) if fetch_allow is not None else None,
    )
    run = pipeline.start_monitor(settings)
    nothing_to_poll = pipeline.disabled_feeds_warning(run.feeds, settings.feed_list_path)
    if nothing_to_poll:
        logger.warning(nothing_to_poll)
    logger.info(
        "run %s: %d feeds, baseline %s (%d positions), database %s",
        run.summary.run_id,
        len(run.feeds),
        run.engine.baseline_version,
        len(run.engine.baseline),
        settings.db_path,
    )
    with pipeline.run_lock(settings, run.summary):
        try:
            for step in pipeline.STEPS:
                step_task = _TASKS[step.name]
                for label, batch in pipeline.step_batches(step, run):
                    result = step_task.with_options(task_run_name=label)(quote(run), batch)
                    step.keep(run, result)
                    _log_step(logger, step, run, result)
        except BaseException as exc:
            pipeline.fail_run(settings, run.summary, f"{exc.__class__.__name__}: {exc}")
            raise
    summary = run.summary
    for line in summary_lines(summary):
        logger.info(line)
    shifts = [
        change_to_dict(change)
        for analysis in run.analyses
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
                    "evidence": terminal_line(str(c["evidence"])),
                }
                for c in shifts
            ],
            key="stancewatch-changes",
            description="Position changes found in this run",
        )
    _publish_events(settings, run)
    return summary.as_dict()


def _publish_events(settings: Settings, run: pipeline.MonitorRun) -> None:
    """The run's position events and the HTML timeline (kept under storage/) as artifacts."""
    logger = get_run_logger()
    outcome = run.events
    logger.info(
        "events: %d new, %d changes linked; edits: %d pages re-checked, %d revised, "
        "%d changes withdrawn",
        len(outcome.events_created),
        outcome.changes_linked,
        run.rechecked.checked,
        run.rechecked.revised,
        run.rechecked.withdrawn,
    )
    with store.open_db(
        settings.db_path, read_only=True, busy_timeout=settings.db_busy_timeout
    ) as con:
        latest = store.list_events(con, limit=50)
    timeline = str(run.timeline.resolve()) if run.timeline else None
    create_markdown_artifact(
        events_markdown(latest, timeline=timeline),
        key="stancewatch-events",
        description="Latest position events (each move once, with its sources)",
    )
    if run.timeline:
        create_link_artifact(
            run.timeline.resolve().as_uri(),
            link_text="Position timeline (HTML, self-contained)",
            key="stancewatch-timeline",
            description=f"Step charts of stances over time; kept at {timeline}",
        )


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
