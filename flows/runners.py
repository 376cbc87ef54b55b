"""Where a monitor run's CPU work executes: a pool of local processes, or a Dask cluster."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.context import FlowRunContext
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner

from stancewatch import pipeline
from stancewatch.errors import ConfigError
from stancewatch.settings import Settings

RUNNERS = ("default", "dask")


def task_runner(settings: Settings) -> TaskRunner[Any]:
    """The task runner settings ask for.

    `dask` sends the extraction and compare of downloaded pages to a Dask cluster through
    prefect-dask (the scheduler at `settings.dask_address`, or a local cluster when it is
    empty); downloads and the database stay in the flow's own process. `default` keeps every
    step in the flow's process, extracting in the run's own pool of worker processes.
    """
    if settings.task_runner == "default":
        return ThreadPoolTaskRunner()
    if settings.task_runner == "dask":
        from prefect_dask.task_runners import DaskTaskRunner

        if settings.dask_address:
            return DaskTaskRunner(address=settings.dask_address)
        return DaskTaskRunner()
    raise ConfigError(
        f"unknown task runner {settings.task_runner!r}: choose one of {', '.join(RUNNERS)}"
    )


def _dask_worker_name() -> str:
    from distributed import get_worker

    try:
        return str(get_worker().name)
    except ValueError:  # not on a Dask worker (the task ran in the flow's process)
        return ""


@task(name="extract-compare", cache_policy=NO_CACHE, retries=0)
def extract_compare(
    parcel: pipeline.EngineParcel,
    jobs: list[pipeline.PageJob],
    min_text_chars: int,
    max_text_chars: int,
) -> pipeline.ChunkResult:
    """Extract and compare a chunk of downloaded pages on a Dask worker."""
    return pipeline.finish_chunk(
        parcel,
        jobs,
        min_text_chars=min_text_chars,
        max_text_chars=max_text_chars,
        worker=_dask_worker_name(),
    )


def on_dask() -> bool:
    """Whether the current flow run's task runner is prefect-dask's."""
    context = FlowRunContext.get()
    if context is None or "prefect_dask" not in sys.modules:
        return False  # a flow run on Dask imported prefect_dask to build its runner
    from prefect_dask.task_runners import DaskTaskRunner

    return isinstance(context.task_runner, DaskTaskRunner)


def cluster_pages(
    run: pipeline.MonitorRun, batch_label: Callable[[], str]
) -> pipeline.ChunkedPages:
    """The run's page stage on the flow's Dask cluster: `extract-compare` tasks of
    `settings.dask_chunk_pages` pages each, submitted from the `process-pages` step.
    `batch_label` names the batch being processed (`2/7`, from the step call)."""
    from distributed import KilledWorker

    settings = run.settings
    parcel = pipeline.EngineParcel.of(run.engine)

    def submit(jobs: Sequence[pipeline.PageJob], label: str) -> Any:
        named = extract_compare.with_options(task_run_name=f"extract-compare[{label}]")
        return named.submit(parcel, list(jobs), settings.min_text_chars, settings.max_text_chars)

    return pipeline.ChunkedPages(
        submit,
        chunk_pages=settings.dask_chunk_pages,
        worker_lost=(KilledWorker,),
        batch_label=batch_label,
    )
