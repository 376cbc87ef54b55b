"""The Prefect `monitor` flow: poll feeds, fetch pages, extract, compare and store, as tasks."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from prefect import Flow, State, Task, flow, get_run_logger, task
from prefect.artifacts import create_link_artifact, create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.client.orchestration import get_client
from prefect.client.schemas.objects import (
    ConcurrencyLimitConfig,
    ConcurrencyLimitStrategy,
    FlowRun,
    TaskRun,
)
from prefect.concurrency.sync import concurrency
from prefect.flows import FlowStateHook
from prefect.runtime import flow_run as current_flow_run
from prefect.states import Completed, Failed
from prefect.utilities.annotations import quote

from flows.announce import ProgressArtifact, artifact_keys, publish_artifacts, send_notices
from flows.runners import cluster_pages, on_dask, task_runner
from stancewatch import pipeline, store
from stancewatch.errors import ConfigError, DatabaseBusyError, RunFailedError, StancewatchError
from stancewatch.positions import load_watchlist
from stancewatch.report import events_markdown, summary_lines
from stancewatch.safe_text import terminal_line
from stancewatch.settings import Settings

# Tasks receive the run (quoted: Prefect need not walk it) and a batch, never an open client or
# database connection: each I/O step opens what it needs and closes it before returning.


def _settings(parameters: Mapping[str, Any]) -> Settings:
    """Settings for one run: STANCEWATCH_* variables, then the flow's path parameters."""

    def path(name: str) -> Path | None:
        value = parameters.get(name)
        return Path(value) if value else None

    allowed = parameters.get("fetch_allow")
    return Settings.from_env().with_overrides(
        seeds_dir=path("seeds_dir"),
        feeds_file=path("feeds_file"),
        db_path=path("db_path"),
        fetch_allow=tuple(allowed) if allowed is not None else None,
    )


def _settings_at_import() -> Settings:
    # The flow's timeout and task runner are fixed when the flow is defined; a malformed
    # variable is reported by the run itself, which reads the settings again.
    try:
        return Settings.from_env()
    except ConfigError:
        return Settings()


def _run_name() -> str:
    """`monitor-<topic>-<UTC time>`, from the run's seeds directory."""
    settings = _settings(current_flow_run.parameters)
    try:
        topic = load_watchlist(settings.seeds_dir / "watchlist.toml").topic_id
    except StancewatchError:
        topic = "unknown-topic"
    return pipeline.monitor_run_name(topic, datetime.now(UTC))


# --- state hooks: the DuckDB run follows the flow run ---------------------------------------


def _close_run_as(status: str) -> FlowStateHook[..., Any]:
    """A hook that marks the DuckDB run of a flow run that ended badly.

    Prefect calls on_crashed and on_cancellation hooks from the worker or `serve` process when
    the flow's own process was killed, so the run never stays `running` for ever.
    """

    def hook(flow: Flow[..., Any], flow_run: FlowRun, state: State[Any]) -> None:
        del flow  # Prefect passes it by name; the run's parameters are what matter here
        settings = _settings(flow_run.parameters)
        note = f"{state.name}: {state.message}" if state.message else str(state.name)
        pipeline.close_flow_run(settings, str(flow_run.id), status, note[:1000])

    hook.__name__ = f"mark_run_{status}"
    return hook


# --- tasks ------------------------------------------------------------------------------------


def _retry_transient(_task: Task[..., Any], _task_run: TaskRun, state: State[Any]) -> bool:
    """Retry a step only for what may pass (network, busy database), never for a bug."""
    try:
        state.result()
    except Exception as exc:
        return pipeline.is_retryable(exc)
    return False


def _step_task(step: pipeline.Step) -> Task[..., Any]:
    # A batched step retries inside itself, item by item (HTTP retries with backoff; pages that
    # stay failing are retried by the next runs), so a failure never re-runs a whole batch.
    retried = step.io and step.items is None
    wrap = task(
        name=step.name,
        retries=2 if retried else 0,
        retry_delay_seconds=3,
        retry_condition_fn=_retry_transient if retried else None,
        cache_policy=NO_CACHE,
    )
    return wrap(step.work)


_TASKS = {step.name: _step_task(step) for step in pipeline.STEPS}


def _log_step(logger: Any, step: pipeline.Step, run: pipeline.MonitorRun, result: Any) -> None:
    if step.name == "poll-feeds":
        for poll in result:
            if poll.failure:
                logger.warning(
                    "feed failed: %s", terminal_line(pipeline.problem_line(poll.failure))
                )
            elif poll.not_modified:
                logger.info("feed %s not modified", poll.feed.id)
            elif poll.parsed:
                logger.info("feed %s: %d entries", poll.feed.id, len(poll.parsed.entries))
    elif step.name == "store-pages":
        logger.info("stored %d of %d queued pages", run.pages_done, len(run.queue.entries))


def _run_call(
    call: pipeline.StepCall, run: pipeline.MonitorRun, upstream: Sequence[Any]
) -> tuple[Any, Any]:
    """Run one call of a step (one batch) here, in the flow's process; returns its result and
    its state. `upstream` (the previous call's run) draws the edges in the dashboard's graph.

    Every step does network or database work, so every step runs here; on Dask the CPU half
    of `process-pages` leaves as `extract-compare` tasks (see flows/runners.py).
    """
    step_task = _TASKS[call.step.name].with_options(task_run_name=call.label)
    state = step_task(quote(run), call.batch, wait_for=upstream, return_state=True)
    return state.result(), state


def _log_cluster(logger: Any, cluster: pipeline.ChunkedPages) -> None:
    workers = sorted({f"{worker or pid}@{host}" for host, pid, worker in cluster.ran_on})
    logger.info(
        "extract-compare: %d tasks on %d Dask worker processes (%s); %d pages lost to crashes",
        cluster.chunks,
        len(workers),
        ", ".join(workers) or "none",
        cluster.crashes,
    )


@contextmanager
def one_writer(settings: Settings) -> Iterator[None]:
    """Hold this database's writer slot: a global concurrency limit of 1 named after the file.

    `serve`, every deployment and `stancewatch run --flow` take the same slot for the same file,
    so two runs never write one database at once; a second run waits for the first.
    """
    name = pipeline.writer_limit_name(settings.db_path)
    with get_client(sync_client=True) as client:
        client.upsert_global_concurrency_limit_by_name(name, limit=1)
    try:
        with concurrency(
            name, occupy=1, timeout_seconds=settings.db_lock_wait_seconds, strict=True
        ):
            yield
    except TimeoutError:
        raise DatabaseBusyError(
            f"another monitor run kept the database busy for {settings.db_lock_wait_seconds:.0f} s"
            f" (concurrency limit {name})",
            file=str(settings.db_path),
        ) from None


_IMPORT_SETTINGS = _settings_at_import()


@flow(
    name="monitor",
    flow_run_name=_run_name,
    log_prints=False,
    timeout_seconds=_IMPORT_SETTINGS.flow_timeout_seconds or None,
    task_runner=task_runner(_IMPORT_SETTINGS),
    on_crashed=[_close_run_as("crashed")],
    on_cancellation=[_close_run_as("cancelled")],
    on_failure=[_close_run_as("failed")],
)
def monitor(
    seeds_dir: str | None = None,
    feeds_file: str | None = None,
    db_path: str | None = None,
    fetch_allow: list[str] | None = None,
) -> State[Any]:
    """Poll every feed once, store new articles, and compare them with the baseline.

    Ends `Failed` when every enabled feed failed, `Completed` named `Partial` when items had
    problems (each logged at WARNING), and plain `Completed` otherwise. `fetch_allow` replaces
    STANCEWATCH_FETCH_ALLOW: non-public hosts or networks that may be fetched (the demo passes
    its loopback address).
    """
    logger = get_run_logger()
    settings = _settings(
        {
            "seeds_dir": seeds_dir,
            "feeds_file": feeds_file,
            "db_path": db_path,
            "fetch_allow": fetch_allow,
        }
    )
    flow_run_id = current_flow_run.id
    run = pipeline.start_monitor(settings, flow_run_id=flow_run_id)
    nothing_to_poll = pipeline.disabled_feeds_warning(run.feeds, settings.feed_list_path)
    if nothing_to_poll:
        logger.warning(nothing_to_poll)
    # The batch that process-pages is working on ("2/7"), named by the step call itself; the
    # cluster reads it when it names its extract-compare tasks.
    batch = ""
    cluster = cluster_pages(run, lambda: batch) if on_dask() else None
    if cluster is not None:
        run.use_pages(cluster)
    enabled = [feed for feed in run.feeds if feed.enabled]
    logger.info(
        "run %s: %d enabled feeds (%d listed), baseline %s (%d positions), database %s",
        run.summary.run_id,
        len(enabled),
        len(run.feeds),
        run.engine.baseline_version,
        len(run.engine.baseline),
        settings.db_path,
    )
    with one_writer(settings), pipeline.run_lock(settings, run.summary):
        progress = ProgressArtifact(artifact_keys(run)["progress"], len(pipeline.STEPS))
        try:
            upstream: list[Any] = []
            advanced: set[str] = set()
            for call in pipeline.step_calls(run):
                batch = f"{call.number}/{call.batches}"
                result, done = _run_call(call, run, upstream)
                call.step.keep(run, result)
                _log_step(logger, call.step, run, result)
                upstream = [done]
                if call.number == call.batches:
                    progress.advance(f"{call.step.name} done")
                    advanced.add(call.step.name)
            for step in pipeline.STEPS:  # a batched step with nothing to do had no call
                if step.name not in advanced:
                    progress.advance(f"{step.name}: nothing to do")
            if cluster is not None:
                _log_cluster(logger, cluster)
        except BaseException as exc:
            pipeline.fail_run(settings, run.summary, f"{exc.__class__.__name__}: {exc}")
            raise
        finally:
            run.close()  # the run's extraction worker processes
    return _finish(run, flow_run_id, logger)


def _finish(run: pipeline.MonitorRun, flow_run_id: str | None, logger: Any) -> State[Any]:
    """Log, publish and announce the run's outcome; the returned state is the run's state."""
    outcome = pipeline.judge_run(run.summary)
    for line in summary_lines(run.summary)[:5]:
        logger.info(line)
    for problem in outcome.problems:
        logger.warning(terminal_line(problem))
    publish_artifacts(run, outcome, flow_run_id)
    _publish_events(run.settings, run)
    notices = pipeline.position_event_notices(run) + pipeline.feed_failure_notices(run)
    if outcome.verdict == "partial":
        notices.append(pipeline.partial_run_notice(run, outcome))
    sent = send_notices(notices)
    logger.info("%d events sent", sent)
    result = run.summary.as_dict()
    if outcome.verdict == "failed":
        # A failed state's result is an exception: calling the flow raises it, with the summary.
        return Failed(message=outcome.message, data=RunFailedError(outcome.message, result))
    if outcome.verdict == "partial":
        return Completed(name="Partial", message=outcome.message, data=result)
    return Completed(message=outcome.message, data=result)


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
        key=pipeline.artifact_key(run.engine.watchlist.topic_id, settings.db_path, "events"),
        description="Latest position events (each move once, with its sources)",
    )
    if run.timeline:
        create_link_artifact(
            run.timeline.resolve().as_uri(),
            link_text="Position timeline (HTML, self-contained)",
            key=pipeline.artifact_key(run.engine.watchlist.topic_id, settings.db_path, "timeline"),
            description=f"Step charts of stances over time; kept at {timeline}",
        )


def serve_monitor(settings: Settings, *, name: str = "stancewatch-monitor") -> None:
    """Run `monitor` every settings.interval_minutes in this process (no work pool needed).

    A run still going when the next one is due is not doubled: the new one is cancelled.
    """
    monitor.serve(
        name=name,
        cron=_cron_every(settings.interval_minutes),
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


def _cron_every(minutes: int) -> str:
    """A cron schedule for every `minutes` minutes, anchored on the clock (unlike an interval,
    which re-anchors whenever the deployment is registered again)."""
    minutes = max(1, minutes)
    if minutes < 60 and 60 % minutes == 0:
        return f"*/{minutes} * * * *"
    if minutes == 24 * 60:
        return "0 0 * * *"
    if minutes % 60 == 0 and minutes < 24 * 60 and 24 % (minutes // 60) == 0:
        return f"0 */{minutes // 60} * * *"
    raise ConfigError(
        f"an interval of {minutes} minutes is not a clock schedule: use a divisor of 60 "
        "minutes or of 24 hours"
    )


if __name__ == "__main__":
    monitor()
