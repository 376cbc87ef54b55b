"""How a pass is judged, named and announced, and how an interrupted run is closed."""

from __future__ import annotations

import re
import socket
from datetime import UTC, datetime
from pathlib import Path

import pytest

from stancewatch import pipeline, store
from stancewatch.errors import DatabaseBusyError, HTTPStatusError, NetworkError
from stancewatch.models import ItemFailure, RunSummary
from stancewatch.settings import Settings
from tests.conftest import LOOPBACK_ALLOW, SEEDS_DIR, NewsSite


def summary(**counts: int) -> RunSummary:
    return RunSummary(run_id="r1", started_at=datetime(2024, 2, 7, tzinfo=UTC), **counts)


def test_a_run_whose_every_feed_failed_is_failed_with_the_reasons() -> None:
    run = summary(feeds_polled=2, feeds_failed=2)
    run.errors += [
        ItemFailure("fetch", "http://a.test/feed.xml", "a", "NetworkError", "refused"),
        ItemFailure("fetch", "http://b.test/rss", "b", "HTTPStatusError", "HTTP 503"),
    ]
    outcome = pipeline.judge_run(run)
    assert outcome.verdict == "failed"
    assert outcome.message.startswith("all 2 enabled feeds failed: ")
    assert "http://a.test/feed.xml" in outcome.message and "HTTP 503" in outcome.message


def test_problems_make_a_partial_run_and_a_clean_one_is_completed() -> None:
    run = summary(feeds_polled=2, feeds_failed=1)
    run.errors.append(ItemFailure("fetch", "http://a.test/x.html", "a", "HTTPStatusError", "404"))
    assert pipeline.judge_run(run).verdict == "partial"
    assert pipeline.judge_run(summary(feeds_polled=2)).verdict == "completed"
    assert pipeline.judge_run(summary()).verdict == "completed"  # nothing enabled, nothing wrong


def test_problem_lines_end_with_the_url_so_log_links_stay_intact() -> None:
    line = pipeline.problem_line(
        ItemFailure("fetch", "http://a.test/x.html", "wire", "HTTPStatusError", "HTTP 404\nNot")
    )
    assert line.endswith(" http://a.test/x.html")
    assert "http://a.test/x.html:" not in line and "\n" not in line


def test_names_follow_topic_and_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    one = tmp_path / "a" / "stancewatch.duckdb"
    other = tmp_path / "b" / "stancewatch.duckdb"
    key = pipeline.artifact_key("Israel–Hamas talks", one, "changes")
    assert re.fullmatch(r"[a-z0-9-]+", key) and key.endswith("-changes")
    assert key != pipeline.artifact_key("Israel–Hamas talks", other, "changes")
    assert key != pipeline.artifact_key("eu-china-tariffs", one, "changes")
    monkeypatch.chdir(tmp_path)
    assert pipeline.writer_limit_name(Path("a/stancewatch.duckdb")) == pipeline.writer_limit_name(
        one
    )
    when = datetime(2024, 2, 7, 9, 5, 3, tzinfo=UTC)
    assert pipeline.monitor_run_name("gaza", when) == "monitor-gaza-20240207-090503"


def test_only_transient_errors_are_retried() -> None:
    assert pipeline.is_retryable(NetworkError("reset"))
    assert pipeline.is_retryable(HTTPStatusError("HTTP 503", status=503))
    assert pipeline.is_retryable(DatabaseBusyError("busy"))
    assert not pipeline.is_retryable(HTTPStatusError("HTTP 404", status=404))
    assert not pipeline.is_retryable(KeyError("a bug"))


def run_steps(settings: Settings) -> pipeline.MonitorRun:
    run = pipeline.start_monitor(settings)
    for call in pipeline.step_calls(run):
        call.step.keep(run, call.step.work(run, call.batch))
    run.close()
    return run


def test_a_feed_failure_is_announced_once_when_it_reaches_the_threshold(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(f'[[feeds]]\nid = "down"\nurl = "http://127.0.0.1:{port}/feed.xml"\n')
    settings = Settings(
        seeds_dir=SEEDS_DIR,
        feeds_file=feeds,
        db_path=tmp_path / "x.duckdb",
        retries=0,
        feed_failure_threshold=2,
        fetch_allow=LOOPBACK_ALLOW,
    )
    announced = [pipeline.feed_failure_notices(run_steps(settings)) for _ in range(3)]
    assert [len(n) for n in announced] == [0, 1, 0]
    notice = announced[1][0]
    assert notice.event == pipeline.FEED_FAILED
    assert notice.resource["prefect.resource.id"] == "stancewatch.feed.down"
    assert notice.payload["consecutive_failures"] == 2
    assert notice.payload["url"].endswith("/feed.xml")


def test_change_notices_carry_evidence_baseline_and_article(
    site: NewsSite, settings: Settings
) -> None:
    run = run_steps(settings)
    notices = pipeline.position_change_notices(run)
    stored_shifts = len(run.shifts)
    assert len(notices) == stored_shifts > 0
    for notice in notices:
        assert notice.event == pipeline.POSITION_CHANGED
        labels = notice.resource
        assert labels["stancewatch.actor"] == notice.payload["actor"]
        assert labels["stancewatch.kind"] == notice.payload["kind"] != "reaffirmed"
        roles = {r["prefect.resource.role"]: r["prefect.resource.id"] for r in notice.related}
        assert roles["actor"] == f"stancewatch.actor.{notice.payload['actor']}"
        assert {"issue", "kind", "topic"} <= set(roles)
        assert notice.payload["evidence"] and notice.payload["url"].startswith("http://")


def test_an_interrupted_flow_run_closes_its_running_database_run(tmp_path: Path) -> None:
    settings = Settings(seeds_dir=SEEDS_DIR, db_path=tmp_path / "x.duckdb")
    running = summary()
    running.flow_run_id = "f-1"
    done = RunSummary(run_id="r2", started_at=running.started_at, flow_run_id="f-2", status="ok")
    with store.open_db(settings.db_path) as con:
        store.start_run(con, running)
        store.finish_run(con, done)

    assert pipeline.close_flow_run(settings, "f-1", "crashed", "Crashed: worker killed") == ["r1"]
    assert pipeline.close_flow_run(settings, "f-2", "crashed", "late hook") == []
    with store.open_db(settings.db_path, read_only=True) as con:
        runs = {r["run_id"]: r for r in store.list_runs(con)}
        errors = store.list_errors(con, run_id="r1")
    assert (runs["r1"]["status"], runs["r1"]["note"]) == ("crashed", "Crashed: worker killed")
    assert runs["r1"]["finished_at"] is not None
    assert runs["r2"]["status"] == "ok"
    assert errors[0]["stage"] == "run" and errors[0]["error_class"] == "Crashed"


def test_a_move_is_announced_once_however_many_articles_restate_it(tmp_path: Path) -> None:
    from urllib.parse import urlsplit

    from stancewatch.demo import demo_feeds_file, serve_demo_site

    def settings_for(base_url: str) -> Settings:
        return Settings(
            seeds_dir=SEEDS_DIR,
            feeds_file=demo_feeds_file(base_url, tmp_path / "demo-feeds.toml"),
            db_path=tmp_path / "demo.duckdb",
            fetch_allow=LOOPBACK_ALLOW,
        )

    with serve_demo_site(edition=1) as site:
        port = urlsplit(site.base_url).port or 0
        first = run_steps(settings_for(site.base_url))
    # Edition 2 reprints three stories under other outlets and headlines, at the same URLs' host.
    with serve_demo_site(port=port, edition=2) as site:
        second = run_steps(settings_for(site.base_url))

    announced = {n.payload["event_id"] for n in pipeline.position_event_notices(first)}
    made = {e["event_id"] for e in first.events.new_events if e["kind"] != "reaffirmed"}
    assert announced == made and announced

    restated = [shift.change for shift in second.shifts]  # its changes, reaffirmations left out
    again = pipeline.position_event_notices(second)
    assert restated, "the reprints restate moves of the first edition"
    assert len(again) < len(restated)
    assert not {n.payload["event_id"] for n in again} & announced
    for notice in pipeline.position_event_notices(first):
        assert notice.event == pipeline.POSITION_CHANGED
        assert notice.payload["evidence"] and notice.payload["url"].startswith("http://")
        assert notice.resource["stancewatch.event"] == str(notice.payload["event_id"])
