"""The one ordered list of a monitor pass's steps, run here in plain Python and by the Prefect flow.

Each step reads the run so far, does its work, and hands back a result that its `keep` folds into
the run. Batched steps run once per batch of their items; a `per_batch` step runs after each
batch of the batched step before it, so a batch is fetched, extracted, compared and stored
before the next begins (a crash loses at most the batch in hand, and memory holds one batch).
`run_monitor` runs the list directly; `flows/monitor.py` wraps each step as a Prefect task.
Adding a step is one edit of `STEPS`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from stancewatch import ingest, store
from stancewatch.models import Article, Change, FeedConfig, FeedEntry, FeedState, RunSummary
from stancewatch.pipeline.edits import RecheckOutcome, recheck_edits
from stancewatch.pipeline.events import EventsOutcome, update_events, write_timeline
from stancewatch.pipeline.runs import (
    begin_run,
    close_run,
    fail_run,
    record_batch,
    record_polls,
    run_lock,
    start_fetch_attempts,
)
from stancewatch.pipeline.work import (
    FeedPoll,
    PageJob,
    PageOutcome,
    Progress,
    WorkQueue,
    download,
    new_run,
    poll_feeds,
)
from stancewatch.settings import Settings

if TYPE_CHECKING:
    from stancewatch.pipeline.pages import Downloader
    from stancewatch.positions import Engine


class PageStage(Protocol):
    """Turns a batch of queued entries into outcomes: downloads here, extraction and compare
    in the run's process pool (pipeline/pages.py) or on a cluster (pipeline/chunks.py)."""

    def process(
        self, entries: Sequence[FeedEntry], download: Downloader, threads: int
    ) -> list[PageOutcome]: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class Shift:
    """A position change found in this run, with the article it was read in (for reports)."""

    canonical_url: str
    change: Change
    article: Article | None


@dataclass
class MonitorRun:
    """Everything one monitor pass carries from step to step.

    `outcomes` holds the batch in hand only; `shifts` keeps the run's position changes (not
    reaffirmations) for the run's report.
    """

    settings: Settings
    feeds: list[FeedConfig]
    engine: Engine
    summary: RunSummary
    states: dict[str, FeedState] = field(default_factory=dict)
    polls: list[FeedPoll] = field(default_factory=list)
    queue: WorkQueue = field(default_factory=lambda: WorkQueue(entries=(), attempts={}))
    outcomes: list[PageOutcome] = field(default_factory=list)
    shifts: list[Shift] = field(default_factory=list)
    pages_done: int = 0
    attempts_counted: int = 0  # queue entries whose fetch attempt is already counted
    events: EventsOutcome = field(default_factory=EventsOutcome)
    timeline: Path | None = None
    rechecked: RecheckOutcome = field(default_factory=RecheckOutcome)
    events_pending: bool = True  # finish-run's answer: is anything left to group?
    _pool: PageStage | None = field(default=None, repr=False, compare=False)

    @property
    def batch_size(self) -> int:
        """Entries per batch of process-pages (settings.batch_size, at least one)."""
        return max(1, self.settings.batch_size)

    def use_pages(self, stage: PageStage) -> None:
        """Finish this run's pages with `stage` instead of a pool of local worker processes."""
        self.close()
        self._pool = stage

    def page_pool(self) -> PageStage:
        """The run's extraction workers, started on first use (a run with nothing to fetch
        never starts them) and kept for every batch; `close` stops them."""
        if self._pool is None:
            from stancewatch.pipeline.pages import PagePool

            self._pool = PagePool(
                self.engine,
                workers=self.settings.extract_workers,
                tasks_per_worker=self.settings.extract_tasks_per_worker,
                min_text_chars=self.settings.min_text_chars,
                max_text_chars=self.settings.max_text_chars,
            )
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool = None

    def __getstate__(self) -> dict[str, Any]:
        # Worker processes belong to the process that started them; a copy starts its own.
        return {**self.__dict__, "_pool": None}


def _never(run: MonitorRun) -> bool:
    return False


def _always(run: MonitorRun) -> bool:
    return True


def _entries_changed(run: MonitorRun) -> bool:
    """Whether a poll brought entries, which recheck-edits may fetch again."""
    return any(poll.parsed and poll.parsed.entries for poll in run.polls)


@dataclass(frozen=True)
class Step:
    """One named step: `work(run, batch)` computes, `keep(run, result)` folds the result in.

    `work` never changes the run's data, so an orchestrator may retry it. A step with `items`
    runs once per batch of them (settings.batch_size); a `per_batch` step runs after each of
    those batches, with the same batch; others run once with an empty batch. `io` marks steps
    that touch the network or the database (worth retrying on a transient failure);
    `waits_on_network(run)` tells whether this call may wait on the network, during which the
    run must not hold the database open (see run_monitor).
    """

    name: str
    work: Callable[[MonitorRun, Sequence[Any]], Any]
    keep: Callable[[MonitorRun, Any], None]
    items: Callable[[MonitorRun], Sequence[Any]] | None = None
    per_batch: bool = False
    io: bool = False
    progress_label: str | None = None
    waits_on_network: Callable[[MonitorRun], bool] = _never

    def batches(self, run: MonitorRun) -> list[Sequence[Any]]:
        if self.items is None:
            return [()]
        items = list(self.items(run))
        size = run.batch_size
        return [items[i : i + size] for i in range(0, len(items), size)]


# --- the steps ---------------------------------------------------------------------------------


def _begin(run: MonitorRun, _: Sequence[Any]) -> dict[str, FeedState]:
    return begin_run(run.settings, run.feeds, run.engine, run.summary)


def _keep_states(run: MonitorRun, states: dict[str, FeedState]) -> None:
    run.states = states


def _poll(run: MonitorRun, _: Sequence[Any]) -> list[FeedPoll]:
    with ingest.HttpClient(run.settings) as client:
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
    return record_polls(run.settings, summary, run.polls, start_first=run.batch_size), summary


def _keep_queue(run: MonitorRun, result: tuple[WorkQueue, RunSummary]) -> None:
    run.queue, run.summary = result
    run.attempts_counted = min(run.batch_size, len(run.queue.entries))


def _process(run: MonitorRun, batch: Sequence[FeedEntry]) -> list[PageOutcome]:
    settings, attempts = run.settings, run.queue.attempts
    # Counted before the download starts: a page that hangs or kills the run still counts.
    # The step that stored the previous batch (or queued the first) has usually counted
    # this one already, in its own transaction.
    if run.pages_done + len(batch) > run.attempts_counted:
        start_fetch_attempts(settings, batch)
    with ingest.HttpClient(settings) as client:

        def fetch(entry: FeedEntry) -> PageJob | PageOutcome:
            tries_left = settings.max_fetch_attempts - attempts.get(entry.canonical_url, 0)
            return download(client, entry, tries_left=tries_left)

        return run.page_pool().process(batch, fetch, threads=settings.fetch_workers)


def _keep_outcomes(run: MonitorRun, outcomes: list[PageOutcome]) -> None:
    run.outcomes = outcomes


def _next_batch(run: MonitorRun) -> Sequence[FeedEntry]:
    start = run.pages_done + len(run.outcomes)
    return run.queue.entries[start : start + run.batch_size]


def _store_batch(run: MonitorRun, _: Sequence[Any]) -> RunSummary:
    return record_batch(
        run.settings,
        run.summary.copy(),
        run.outcomes,
        run.engine.baseline_version,
        next_batch=_next_batch(run),
    )


def _keep_stored(run: MonitorRun, summary: RunSummary) -> None:
    run.attempts_counted = run.pages_done + len(run.outcomes) + len(_next_batch(run))
    run.summary = summary
    run.pages_done += len(run.outcomes)
    run.shifts.extend(
        Shift(outcome.analysis.canonical_url, change, outcome.article)
        for outcome in run.outcomes
        if outcome.analysis is not None
        for change in outcome.analysis.comparison.changes
        if change.kind != "reaffirmed"
    )
    run.outcomes = []


def _finish(run: MonitorRun, _: Sequence[Any]) -> tuple[RunSummary, bool]:
    return close_run(run.settings, run.summary.copy())


def _keep_finish(run: MonitorRun, result: tuple[RunSummary, bool]) -> None:
    run.summary, run.events_pending = result
    # Every page is stored: the extraction workers and their fork server go now, not at the
    # end of the run, so their memory is back before the events step, the parent's peak.
    run.close()


def _recheck(run: MonitorRun, _: Sequence[Any]) -> RecheckOutcome:
    return recheck_edits(run.settings, run.engine, run.polls, run.summary.run_id)


def _keep_recheck(run: MonitorRun, outcome: RecheckOutcome) -> None:
    run.rechecked = outcome


def _group_events(run: MonitorRun, _: Sequence[Any]) -> EventsOutcome:
    if not run.events_pending and not run.rechecked.checked:
        return EventsOutcome()  # nothing stored or re-read since everything was grouped
    return update_events(run.settings, run.summary.run_id)


def _keep_events(run: MonitorRun, outcome: EventsOutcome) -> None:
    run.events = outcome


def _write_timeline(run: MonitorRun, _: Sequence[Any]) -> Path:
    return write_timeline(run.settings)


def _keep_timeline(run: MonitorRun, path: Path) -> None:
    run.timeline = path


STEPS: tuple[Step, ...] = (
    Step("begin-run", _begin, _keep_states, io=True),
    Step("poll-feeds", _poll, _keep_polls, io=True, waits_on_network=_always),
    Step("record-polls", _record_polls, _keep_queue, io=True),
    Step(
        "process-pages",
        _process,
        _keep_outcomes,
        items=lambda run: run.queue.entries,
        io=True,
        progress_label="pages",
        waits_on_network=_always,
    ),
    Step("store-pages", _store_batch, _keep_stored, per_batch=True, io=True),
    Step("finish-run", _finish, _keep_finish, io=True),
    Step("recheck-edits", _recheck, _keep_recheck, io=True, waits_on_network=_entries_changed),
    Step("group-events", _group_events, _keep_events, io=True),
    Step("write-timeline", _write_timeline, _keep_timeline, io=True),
)


# --- running the list --------------------------------------------------------------------------


def load_inputs(settings: Settings) -> tuple[list[FeedConfig], Engine]:
    """Read the feed list and seeds; a problem with either stops the run before any I/O."""
    from stancewatch.positions import Engine

    return ingest.load_feed_list(settings.feed_list_path), Engine.from_seeds(settings.seeds_dir)


def start_monitor(
    settings: Settings, *, run_id: str | None = None, flow_run_id: str | None = None
) -> MonitorRun:
    """Load the inputs of a pass (bad seeds or feed list stop here) and open its record."""
    feeds, engine = load_inputs(settings)
    summary = new_run(run_id)
    summary.flow_run_id = flow_run_id
    return MonitorRun(settings=settings, feeds=feeds, engine=engine, summary=summary)


@dataclass(frozen=True)
class StepCall:
    """One call of a step: its task-run label (`process-pages[2/7]`, or the step's name)
    and the batch it works on."""

    step: Step
    label: str
    batch: Sequence[Any]
    number: int = 1
    batches: int = 1


def step_calls(run: MonitorRun) -> Iterator[StepCall]:
    """Every call of a pass, in order; the caller folds each result into the run before
    asking for the next (later steps' batches depend on what earlier ones found)."""
    index = 0
    while index < len(STEPS):
        step = STEPS[index]
        followers: list[Step] = []
        index += 1
        while index < len(STEPS) and STEPS[index].per_batch:
            followers.append(STEPS[index])
            index += 1
        if step.items is None:
            yield StepCall(step, step.name, ())
            for follower in followers:
                yield StepCall(follower, follower.name, ())
            continue
        batches = step.batches(run)
        for number, batch in enumerate(batches, start=1):
            for each in (step, *followers):
                label = f"{each.name}[{number}/{len(batches)}]"
                yield StepCall(each, label, batch, number, len(batches))


def run_monitor(
    settings: Settings, *, progress: Progress | None = None, run_id: str | None = None
) -> RunSummary:
    """One monitor pass without Prefect: every step of STEPS in order, under the run lock.

    Consecutive store steps share one open database (each step's own open then costs next to
    nothing); it is closed before any step that waits on the network, so other processes
    (a review, `feeds enable`) can write between steps as before.
    """
    run = start_monitor(settings, run_id=run_id)
    with run_lock(settings, run.summary), ExitStack() as database:
        holding = False
        try:
            for call in step_calls(run):
                if call.step.waits_on_network(run):
                    database.close()
                    holding = False
                elif call.step.io and not holding:
                    database.enter_context(
                        store.held_open(settings.db_path, busy_timeout=settings.db_busy_timeout)
                    )
                    holding = True
                call.step.keep(run, call.step.work(run, call.batch))
                if progress and call.step.per_batch:
                    progress("pages", run.pages_done, len(run.queue.entries))
        except BaseException as exc:
            fail_run(settings, run.summary, f"{exc.__class__.__name__}: {exc}")
            raise
        finally:
            database.close()
            run.close()
    return run.summary
