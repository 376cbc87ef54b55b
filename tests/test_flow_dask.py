"""Scale-out: the monitor flow with its extraction and compare on a Dask cluster stores exactly
what it stores with the default task runner, and the work really ran on the Dask workers."""

from __future__ import annotations

import math
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from flows.monitor import monitor
from flows.runners import task_runner
from stancewatch import store
from stancewatch.demo import demo_feeds_file, serve_demo_site
from stancewatch.errors import ConfigError
from stancewatch.settings import Settings
from tests.conftest import SEEDS_DIR


@pytest.fixture
def demo_feeds(tmp_path: Path) -> Iterator[Path]:
    with serve_demo_site() as site:
        yield demo_feeds_file(site.base_url, tmp_path / "demo-feeds.toml")


def stored_rows(db_path: Path) -> dict[str, set[tuple[Any, ...]]]:
    with store.open_db(db_path, read_only=True) as con:
        return {
            "articles": set(
                con.execute(
                    "SELECT canonical_url, title, text_source, content_hash, text FROM articles"
                ).fetchall()
            ),
            "statements": set(
                con.execute(
                    "SELECT canonical_url, actor, issue, stance, attribution, sentence_index, "
                    "sentence FROM statements"
                ).fetchall()
            ),
            "changes": set(
                con.execute(
                    "SELECT canonical_url, actor, issue, kind, stance, baseline_id, evidence, "
                    "round(confidence, 6) FROM changes"
                ).fetchall()
            ),
        }


@pytest.mark.usefixtures("prefect_harness")
def test_dask_cluster_of_two_workers_stores_the_default_runners_rows(
    demo_feeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from distributed import Client, LocalCluster, get_task_stream

    monkeypatch.setenv("STANCEWATCH_DASK_CHUNK_PAGES", "4")
    params = {"seeds_dir": str(SEEDS_DIR), "feeds_file": str(demo_feeds)}
    default_db = tmp_path / "default.duckdb"
    dask_db = tmp_path / "dask.duckdb"
    monitor(**params, db_path=str(default_db))
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True) as cluster,
        Client(cluster) as client,
    ):
        assert len(cluster.workers) == 2
        worker_pids = client.run(os.getpid)  # {worker address: pid}
        settings = Settings(task_runner="dask", dask_address=cluster.scheduler_address)
        on_dask = monitor.with_options(task_runner=task_runner(settings))
        with get_task_stream(client=client) as stream:
            summary = on_dask(**params, db_path=str(dask_db))
        ran = [record for record in stream.data if record["key"].startswith("extract_compare")]

    default_rows, dask_rows = stored_rows(default_db), stored_rows(dask_db)
    assert default_rows["articles"] and default_rows["changes"]
    assert dask_rows == default_rows
    # The CPU work ran as chunked tasks on the cluster's worker processes, not in this one.
    assert len(ran) == math.ceil(summary["entries_new"] / 4)
    pids = {worker_pids[record["worker"]] for record in ran}
    assert pids and os.getpid() not in pids
    assert pids <= set(worker_pids.values())


def test_an_unknown_runner_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="unknown task runner 'spark'"):
        task_runner(Settings(task_runner="spark"))
