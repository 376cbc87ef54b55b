"""The one ordered list of a monitor pass's steps, run here in plain Python and by the Prefect flow.

Each step reads the run so far, does its work, and hands back a result that its `keep` folds into
the run. Batched steps run once per batch of their items. `run_monitor` runs the list directly;
`flows/monitor.py` wraps each step as a Prefect task. Adding a step is one edit of `STEPS`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stancewatch.ingest import HttpClient, load_feed_list
from stancewatch.models import Article, FeedConfig, FeedEntry, FeedState, ItemFailure, RunSummary
from stancewatch.pipeline.edits import RecheckOutcome, recheck_edits
from stancewatch.pipeline.events import EventsOutcome, update_events, write_timeline
from stancewatch.pipeline.runs import (
    begin_run,
    fail_run,
    record_polls,
    record_results,
    run_lock,
    start_fetch_attempts,
)
from stancewatch.pipeline.work import (
    Analysis,
    FeedPoll,
    PageOutcome,
    Progress,
    WorkQueue,
    analyse_articles,
    fetch_pages,
    new_run,
    poll_feeds,
)
from stancewatch.positions import Engine
from stancewatch.settings import Settings


@dataclass
class MonitorRun:
    """Everything one monitor pass carries from step to step."""

    settings: Settings
    feeds: list[FeedConfig]
    engine: Engine
    summary: RunSummary
    states: dict[str, FeedState] = field(default_factory=dict)
    polls: list[FeedPoll] = field(default_factory=list)
    queue: WorkQueue = field(default_factory=lambda: WorkQueue(entries=(), attempts={}))
    outcomes: list[PageOutcome] = field(default_factory=list)
    analyses: list[Analysis] = field(default_factory=list)
    failures: list[ItemFailure] = field(default_factory=list)
    events: EventsOutcome = field(default_factory=EventsOutcome)
    timeline: Path | None = None
    rechecked: RecheckOutcome = field(default_factory=RecheckOutcome)

    @property
    def articles(self) -> list[Article]:
        return [outcome.article for outcome in self.outcomes if outcome.article]


@dataclass(frozen=True)
class Step:
    """One named step: `work(run, batch)` computes, `keep(run, result)` folds the result in.

    `work` never changes the run itself, so an orchestrator may retry it. A step with `items`
    runs once per batch of them (settings.batch_size); others get an empty batch. `io` marks
    steps that touch the network or the database (worth retrying on a transient failure).
    """

    name: str
    work: Callable[[MonitorRun, Sequence[Any]], Any]
    keep: Callable[[MonitorRun, Any], None]
    items: Callable[[MonitorRun], Sequence[Any]] | None = None
    io: bool = False
    progress_label: str | None = None

    def batches(self, run: MonitorRun) -> list[Sequence[Any]]:
        if self.items is None:
            return [()]
        items = list(self.items(run))
        size = max(1, run.settings.batch_size)
        return [items[i : i + size] for i in range(0, len(items), size)]


# --- the steps ---------------------------------------------------------------------------------


def _begin(run: MonitorRun, _: Sequence[Any]) -> dict[str, FeedState]:
    return begin_run(run.settings, run.feeds, run.engine, run.summary)


def _keep_states(run: MonitorRun, states: dict[str, FeedState]) -> None:
    run.states = states


def _poll(run: MonitorRun, _: Sequence[Any]) -> list[FeedPoll]:
    with HttpClient(run.settings) as client:
        return poll_feeds(
            client,
            run.feeds,
            run.states,
            workers=run.settings.fetch_workers,
            max_text_chars=run.settings.max_text_chars,
        )


def _keep_polls(run: MonitorRun, polls: list[FeedPoll]) -> None:
    run.polls = polls


def _record_polls(run: MonitorRun, _: Sequence[Any]) -> tuple[WorkQueue, RunSummary]:
    summary = run.summary.copy()
    return record_polls(run.settings, summary, run.polls), summary


def _keep_queue(run: MonitorRun, result: tuple[WorkQueue, RunSummary]) -> None:
    run.queue, run.summary = result


def _fetch(run: MonitorRun, batch: Sequence[FeedEntry]) -> list[PageOutcome]:
    start_fetch_attempts(run.settings, batch)
    queue = WorkQueue(entries=tuple(batch), attempts=run.queue.attempts)
    with HttpClient(run.settings) as client:
        return fetch_pages(client, queue, run.settings)


def _keep_outcomes(run: MonitorRun, outcomes: list[PageOutcome]) -> None:
    run.outcomes.extend(outcomes)


def _compare(run: MonitorRun, batch: Sequence[Article]) -> tuple[list[Analysis], list[ItemFailure]]:
    return analyse_articles(run.engine, batch)


def _keep_analyses(run: MonitorRun, result: tuple[list[Analysis], list[ItemFailure]]) -> None:
    run.analyses.extend(result[0])
    run.failures.extend(result[1])


def _store(run: MonitorRun, _: Sequence[Any]) -> RunSummary:
    return record_results(
        run.settings,
        run.summary.copy(),
        run.outcomes,
        run.analyses,
        run.engine.baseline_version,
        run.failures,
    )


def _keep_summary(run: MonitorRun, summary: RunSummary) -> None:
    run.summary = summary


def _recheck(run: MonitorRun, _: Sequence[Any]) -> RecheckOutcome:
    return recheck_edits(run.settings, run.engine, run.polls, run.summary.run_id)


def _keep_recheck(run: MonitorRun, outcome: RecheckOutcome) -> None:
    run.rechecked = outcome


def _group_events(run: MonitorRun, _: Sequence[Any]) -> EventsOutcome:
    return update_events(run.settings, run.summary.run_id)


def _keep_events(run: MonitorRun, outcome: EventsOutcome) -> None:
    run.events = outcome


def _write_timeline(run: MonitorRun, _: Sequence[Any]) -> Path:
    return write_timeline(run.settings)


def _keep_timeline(run: MonitorRun, path: Path) -> None:
    run.timeline = path


STEPS: tuple[Step, ...] = (
    Step("begin-run", _begin, _keep_states, io=True),
    Step("poll-feeds", _poll, _keep_polls, io=True),
    Step("record-polls", _record_polls, _keep_queue, io=True),
    Step(
        "fetch-pages",
        _fetch,
        _keep_outcomes,
        items=lambda run: run.queue.entries,
        io=True,
        progress_label="fetch",
    ),
    Step(
        "compare-articles",
        _compare,
        _keep_analyses,
        items=lambda run: run.articles,
        progress_label="compare",
    ),
    Step("store-results", _store, _keep_summary, io=True),
    Step("recheck-edits", _recheck, _keep_recheck, io=True),
    Step("group-events", _group_events, _keep_events, io=True),
    Step("write-timeline", _write_timeline, _keep_timeline, io=True),
)


# --- running the list --------------------------------------------------------------------------


def load_inputs(settings: Settings) -> tuple[list[FeedConfig], Engine]:
    """Read the feed list and seeds; a problem with either stops the run before any I/O."""
    return load_feed_list(settings.feed_list_path), Engine.from_seeds(settings.seeds_dir)


def start_monitor(
    settings: Settings, *, run_id: str | None = None, flow_run_id: str | None = None
) -> MonitorRun:
    """Load the inputs of a pass (bad seeds or feed list stop here) and open its record."""
    feeds, engine = load_inputs(settings)
    summary = new_run(run_id)
    summary.flow_run_id = flow_run_id
    return MonitorRun(settings=settings, feeds=feeds, engine=engine, summary=summary)


def step_batches(step: Step, run: MonitorRun) -> Iterator[tuple[str, Sequence[Any]]]:
    """(task-run label, batch) for each batch of a step: `fetch-pages[2/7]`, or just its name."""
    batches = step.batches(run)
    if step.items is None:
        yield step.name, batches[0]
        return
    for number, batch in enumerate(batches, start=1):
        yield f"{step.name}[{number}/{len(batches)}]", batch


def run_monitor(
    settings: Settings, *, progress: Progress | None = None, run_id: str | None = None
) -> RunSummary:
    """One monitor pass without Prefect: every step of STEPS in order, under the run lock."""
    run = start_monitor(settings, run_id=run_id)
    with run_lock(settings, run.summary):
        try:
            for step in STEPS:
                total = len(step.items(run)) if step.items else 0
                done = 0
                for _, batch in step_batches(step, run):
                    step.keep(run, step.work(run, batch))
                    done += len(batch)
                    if progress and step.progress_label:
                        progress(step.progress_label, done, total)
        except BaseException as exc:
            fail_run(settings, run.summary, f"{exc.__class__.__name__}: {exc}")
            raise
    return run.summary
