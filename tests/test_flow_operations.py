"""The monitor flow as a Prefect user sees it: state names, keyed artifacts, events, run records."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from prefect.settings import PREFECT_API_URL

from flows.monitor import monitor
from stancewatch import pipeline, store
from stancewatch.demo import demo_feeds_file, serve_demo_site
from stancewatch.settings import Settings
from tests.conftest import LOOPBACK_ALLOW, SEEDS_DIR

pytestmark = pytest.mark.usefixtures("prefect_harness")


def api(path: str, body: dict[str, Any] | None = None) -> Any:
    url = f"{PREFECT_API_URL.value()}{path}"
    response = httpx.post(url, json=body or {}, timeout=30) if body is not None else httpx.get(url)
    response.raise_for_status()
    return response.json()


def eventually(probe: Callable[[], Any], limit: float = 60) -> Any:
    """Poll until probe() is truthy (events reach the server asynchronously)."""
    deadline = time.monotonic() + limit
    while True:
        value = probe()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.5)


def events_of(name: str, run_id: str) -> list[dict[str, Any]]:
    """The events called `name` that concern the DuckDB run `run_id` (primary or related)."""
    body = {
        "filter": {
            "event": {"name": [name]},
            "any_resource": {"id": [f"stancewatch.run.{run_id}"]},
        },
        "limit": 50,
    }
    page = api("/events/filter", body)
    events = list(page["events"])
    while page.get("next_page"):
        page = httpx.get(page["next_page"], timeout=30).json()
        events += page["events"]
    return events


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Settings]:
    with serve_demo_site() as site:
        feeds = demo_feeds_file(site.base_url, tmp_path / "demo-feeds.toml")
        yield Settings(
            seeds_dir=SEEDS_DIR,
            feeds_file=feeds,
            db_path=tmp_path / "demo.duckdb",
            fetch_allow=LOOPBACK_ALLOW,
        )


def run_flow(settings: Settings) -> Any:
    return monitor(
        seeds_dir=str(settings.seeds_dir),
        feeds_file=str(settings.feed_list_path),
        db_path=str(settings.db_path),
        return_state=True,
    )


def test_partial_then_completed_with_keyed_artifacts_and_run_records(demo: Settings) -> None:
    first = run_flow(demo)
    second = run_flow(demo)  # every feed answers 304: nothing new, nothing wrong

    assert (first.type.value, first.name) == ("COMPLETED", "Partial")
    assert "3 problems recorded" in first.message
    assert (second.type.value, second.name) == ("COMPLETED", "Completed")
    first_run = api(f"/flow_runs/{first.state_details.flow_run_id}")
    assert first_run["name"].startswith("monitor-israel-hamas-ceasefire-2024-")

    with store.open_db(demo.db_path, read_only=True) as con:
        runs = {r["flow_run_id"]: r for r in store.list_runs(con)}
    assert runs[str(first.state_details.flow_run_id)]["status"] == "partial"
    assert runs[str(second.state_details.flow_run_id)]["status"] == "ok"

    topic = "israel-hamas-ceasefire-2024"
    keys = {kind: pipeline.artifact_key(topic, demo.db_path, kind) for kind in ("run", "changes")}
    assert keys["changes"].startswith("stancewatch-israel-hamas-ceasefire-2024-demo-")
    latest = {
        a["key"]: a
        for a in api(
            "/artifacts/latest/filter", {"artifacts": {"key": {"any_": list(keys.values())}}}
        )
    }
    # The latest changes table is the second run's, and it is empty: nothing changed in it.
    assert latest[keys["changes"]]["flow_run_id"] == str(second.state_details.flow_run_id)
    assert latest[keys["changes"]]["data"] is not None
    history = sorted(
        api("/artifacts/filter", {"artifacts": {"key": {"any_": [keys["changes"]]}}}),
        key=lambda artifact: str(artifact["created"]),
    )
    first_table = history[0]["data"]
    rows = json.loads(first_table) if isinstance(first_table, str) else first_table
    assert set(rows) >= {"article", "link", "published", "move", "confidence", "evidence"}
    assert rows["link"] and all(link.startswith("http://127.0.0.1:") for link in rows["link"])
    assert any(" → " in move for move in rows["move"])
    assert all(len(e) > 0 for e in rows["evidence"])
    assert json.loads(history[-1]["data"])["link"] == []

    first_id = runs[str(first.state_details.flow_run_id)]["run_id"]
    changed = eventually(lambda: events_of(pipeline.POSITION_CHANGED, first_id))
    with store.open_db(demo.db_path, read_only=True) as con:
        made = {e["event_id"] for e in store.list_events(con, limit=10_000)}
    # One event per position event (each move once), not one per changed article.
    assert {e["payload"]["event_id"] for e in changed} == made
    assert len(changed) == len(made) > 0
    sample = changed[0]
    assert sample["resource"]["stancewatch.topic"] == "israel-hamas-ceasefire-2024"
    assert {r["prefect.resource.role"] for r in sample["related"]} >= {
        "actor",
        "issue",
        "kind",
        "topic",
    }
    assert set(sample["payload"]) >= {"evidence", "baseline", "confidence", "url", "kind"}
    assert sample["payload"]["url"] in rows["link"]
    partial = eventually(lambda: events_of(pipeline.RUN_PARTIAL, first_id))
    assert len(partial) == 1 and len(partial[0]["payload"]["problems"]) == 3


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_every_feed_failing_fails_the_run_with_the_reasons(tmp_path: Path) -> None:
    port = _closed_port()
    feeds = demo_feeds_file(f"http://127.0.0.1:{port}", tmp_path / "feeds.toml")
    settings = Settings(
        seeds_dir=SEEDS_DIR,
        feeds_file=feeds,
        db_path=tmp_path / "x.duckdb",
        fetch_allow=LOOPBACK_ALLOW,
    )
    state = run_flow(settings)

    assert state.is_failed()
    assert "all 3 enabled feeds failed" in state.message
    assert f"http://127.0.0.1:{port}/feeds/wire.xml" in state.message
    with store.open_db(settings.db_path, read_only=True) as con:
        (run,) = store.list_runs(con)
    assert run["status"] == "failed"
    assert run["flow_run_id"] == str(state.state_details.flow_run_id)


def test_the_crash_hook_marks_the_database_run(tmp_path: Path) -> None:
    from uuid import uuid4

    from prefect.client.schemas.objects import FlowRun
    from prefect.states import Crashed

    from flows.monitor import monitor as monitor_flow
    from stancewatch.models import RunSummary

    db = tmp_path / "x.duckdb"
    flow_run = FlowRun(id=uuid4(), flow_id=uuid4(), parameters={"db_path": str(db)})
    running = RunSummary("r1", datetime.now(UTC), flow_run_id=str(flow_run.id))
    with store.open_db(db) as con:
        store.start_run(con, running)

    (hook,) = monitor_flow.on_crashed_hooks
    hook(monitor_flow, flow_run, Crashed(message="Flow run process exited with code -9"))

    with store.open_db(db, read_only=True) as con:
        (run,) = store.list_runs(con)
    assert run["status"] == "crashed"
    assert run["note"] == "Crashed: Flow run process exited with code -9"
    assert [h.__name__ for h in monitor_flow.on_cancellation_hooks] == ["mark_run_cancelled"]


def test_tasks_retry_transient_errors_only() -> None:
    from prefect.states import Failed

    from flows.monitor import _TASKS
    from stancewatch.errors import DatabaseBusyError

    record = _TASKS["record-polls"]
    assert record.retries == 2 and record.retry_condition_fn is not None
    assert record.retry_condition_fn(record, None, Failed(data=DatabaseBusyError("busy")))  # type: ignore[arg-type]
    assert not record.retry_condition_fn(record, None, Failed(data=KeyError("bug")))  # type: ignore[arg-type]
    assert _TASKS["process-pages"].retries == 0  # items retry inside the batch


def test_the_example_automation_matches_real_change_notices(demo: Settings) -> None:
    import yaml
    from prefect.events.schemas.automations import AutomationCore, EventTrigger
    from prefect.events.schemas.events import Resource

    from tests.conftest import REPO_ROOT

    spec = yaml.safe_load((REPO_ROOT / "deployments" / "automations.yaml").read_text())
    (automation,) = [AutomationCore.model_validate(a) for a in spec["automations"]]
    trigger = automation.trigger
    assert isinstance(trigger, EventTrigger)
    assert trigger.expect == {pipeline.POSITION_CHANGED}
    run = pipeline.start_monitor(demo)
    for call in pipeline.step_calls(run):
        call.step.keep(run, call.step.work(run, call.batch))
    run.close()
    notices = pipeline.position_change_notices(run)
    matching = [n for n in notices if trigger.match.matches(Resource(n.resource))]
    assert matching and len(matching) < len(notices)
    for notice in matching:
        assert notice.payload["actor"] in {"hamas", "israel"}
        assert notice.payload["kind"] in {"reversal", "softening"}


def test_calling_the_flow_when_every_feed_failed_raises_with_the_summary(tmp_path: Path) -> None:
    from stancewatch.errors import RunFailedError

    feeds = demo_feeds_file(f"http://127.0.0.1:{_closed_port()}", tmp_path / "feeds.toml")
    with pytest.raises(RunFailedError, match="all 3 enabled feeds failed") as failed:
        monitor(seeds_dir=str(SEEDS_DIR), feeds_file=str(feeds), db_path=str(tmp_path / "x.db"))
    assert failed.value.summary["feeds_failed"] == 3
    assert failed.value.summary["status"] == "failed"


def test_a_confirmation_is_announced_again_with_its_review(demo: Settings) -> None:
    from flows.announce import announce_review

    run_flow(demo)
    with store.open_db(demo.db_path, read_only=True) as con:
        event = store.list_events(con, limit=1)[0]
    reviewed = pipeline.review_event(demo, event["event_id"], "confirmed", by="tester")
    assert announce_review(demo, reviewed)

    def confirmations() -> list[dict[str, Any]]:
        body = {"filter": {"event": {"name": [pipeline.POSITION_CHANGED]}}, "limit": 50}
        return [
            e
            for e in api("/events/filter", body)["events"]
            if e["payload"].get("event_id") == event["event_id"]
            and e["payload"].get("status") == "confirmed"
        ]

    (sent,) = eventually(confirmations)
    assert sent["payload"]["reviewed_by"] == "tester"
    assert sent["resource"]["stancewatch.event"] == str(event["event_id"])
