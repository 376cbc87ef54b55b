"""Where a monitor run's CPU steps execute: the default task runner, or a Dask cluster."""

from __future__ import annotations

from typing import Any

from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner

from stancewatch.errors import ConfigError
from stancewatch.settings import Settings

RUNNERS = ("default", "dask")


def task_runner(settings: Settings) -> TaskRunner[Any]:
    """The task runner settings ask for.

    `dask` sends CPU-only steps to a Dask cluster through prefect-dask: the scheduler at
    `settings.dask_address`, or a local cluster when it is empty. The network and database
    steps stay in the flow's own process either way; extraction and compare are part of the
    `process-pages` step and run in the run's own pool of worker processes.
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
