"""The Prefect monitor flow under a real (temporary) Prefect server."""

from __future__ import annotations

import pytest

from flows.monitor import monitor
from stancewatch import store
from stancewatch.settings import Settings
from tests.conftest import NewsSite


@pytest.mark.usefixtures("prefect_harness")
def test_monitor_flow_stores_articles_and_is_idempotent(
    site: NewsSite, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STANCEWATCH_RETRIES", "0")  # leave the flaky page for the next run
    params = {
        "seeds_dir": str(settings.seeds_dir),
        "feeds_file": str(settings.feed_list_path),
        "db_path": str(settings.db_path),
    }
    first = monitor(**params)
    second = monitor(**params)

    assert first["status"] == "partial"  # the broken feed and the failing pages are recorded
    assert first["articles_stored"] == 3
    assert second["articles_stored"] == 1  # the page that answered 500 the first time
    assert site.hits("/news/a.html") == [200]
    with store.open_db(settings.db_path, read_only=True) as con:
        runs = store.list_runs(con)
        errors = store.list_errors(con)
    assert {r["status"] for r in runs} == {"partial"}
    assert any("404" in e["message"] for e in errors)


@pytest.mark.usefixtures("prefect_harness")
def test_monitor_flow_fails_clearly_on_bad_seeds(site: NewsSite, settings: Settings) -> None:
    from stancewatch.errors import ConfigError

    with pytest.raises(ConfigError):
        monitor(
            seeds_dir=str(settings.db_path.parent / "no-such-seeds"),
            feeds_file=str(settings.feed_list_path),
            db_path=str(settings.db_path),
        )
    assert site.requests == []


def test_deployment_file_points_at_the_monitor_flow(monkeypatch: pytest.MonkeyPatch) -> None:
    import yaml
    from prefect.flows import load_flow_from_entrypoint

    from tests.conftest import REPO_ROOT

    spec = yaml.safe_load((REPO_ROOT / "deployments" / "prefect.yaml").read_text())
    deployments = {d["name"]: d for d in spec["deployments"]}
    monkeypatch.chdir(REPO_ROOT)  # entrypoints are relative to the repository root
    monitor_spec = deployments["monitor-every-15-minutes"]
    assert load_flow_from_entrypoint(monitor_spec["entrypoint"]).name == "monitor"
    assert monitor_spec["schedules"][0]["cron"] == "*/15 * * * *"
    assert monitor_spec["concurrency_limit"] == {"limit": 1, "collision_strategy": "CANCEL_NEW"}
    demo = deployments["monitor-demo"]
    assert demo["entrypoint"] == monitor_spec["entrypoint"]
    assert demo["parameters"]["feeds_file"] == "storage/demo-feeds.toml"
    assert demo["parameters"]["db_path"] == "storage/demo.duckdb"
    header = (REPO_ROOT / "deployments" / "prefect.yaml").read_text().split("\nname:")[0]
    assert "STANCEWATCH_HOME=$PWD .venv/bin/prefect worker start" in header
    digest_spec = deployments["digest-daily"]
    assert load_flow_from_entrypoint(digest_spec["entrypoint"]).name == "digest"
    assert digest_spec["schedules"][0]["cron"] == "0 7 * * *"


@pytest.mark.usefixtures("prefect_harness")
def test_digest_flow_lists_changes_detected_today_in_old_articles(
    site: NewsSite, settings: Settings
) -> None:
    from flows.digest import digest
    from stancewatch import pipeline

    pipeline.run_monitor(settings)  # the site's articles were published in March 2024
    with store.open_db(settings.db_path, read_only=True) as con:
        stored = store.list_changes(con, since=None)
    assert stored and all(row["published"].year == 2024 for row in stored)
    result = digest(db_path=str(settings.db_path), days=1)
    # page A's reversal and hardening (tests/pipeline/test_promises.py): never 0 against 0
    assert len(stored) == 2
    assert result["changes"] == len(stored)
    assert result["actors"] == sorted({row["actor"] for row in stored}) == ["hamas"]


def test_serve_schedules_are_clock_crons() -> None:
    from flows.monitor import _cron_every
    from stancewatch.errors import ConfigError

    assert _cron_every(15) == "*/15 * * * *"
    assert _cron_every(120) == "0 */2 * * *"
    assert _cron_every(1440) == "0 0 * * *"
    with pytest.raises(ConfigError, match="not a clock schedule"):
        _cron_every(7 * 60)
