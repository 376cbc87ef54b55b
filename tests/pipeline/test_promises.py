"""What a run promises, checked on the rows it leaves: changes stored, rescore, failures, the cap.

Each test drives the real pipeline (a local HTTP server, a DuckDB file in tmp_path, the CLI) and
reads back what a user would query. Each one names, in its docstring, the breakage it catches.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from stancewatch import pipeline, store
from stancewatch.settings import Settings
from tests.conftest import PARAGRAPHS_A, SEEDS_DIR, NewsSite, article_page, invoke

BIN = Path(sys.executable).parent

#: What the first seed's engine finds on page A (tests/conftest.py PARAGRAPHS_A), read by hand:
#: Hamas "would not accept any ceasefire deal" crosses its proposal (reversal); "will not
#: release the hostages without a full withdrawal" moves its offer to a conditional no
#: (hardening) and restates its withdrawal demand; Netanyahu's "keep fighting until Hamas was
#: destroyed" restates Israel's aims; the mediators' resumed talks restate their support.
PAGE_A_CHANGES = {
    ("hamas", "ceasefire_deal", "reversal"),
    ("hamas", "hostage_release", "hardening"),
    ("hamas", "troop_withdrawal", "reaffirmed"),
    ("israel", "eliminate_hamas", "reaffirmed"),
    ("israel", "end_of_war", "reaffirmed"),
    ("qatar", "negotiations", "reaffirmed"),
    ("egypt", "negotiations", "reaffirmed"),
}

#: An analyst correction: Hamas's baseline on the deal becomes a rejection, so page A's
#: rejection is no longer a reversal but a restatement.
HAMAS_REJECTS_DEAL = """
[[set]]
actor = "hamas"
issue = "ceasefire_deal"
stance = "reject"
text = "Hamas rejected the framework."
note = "test: the analyst reads the seed as a rejection"
"""


def rows(db: Path, sql: str, params: list[object] | None = None) -> list[tuple[object, ...]]:
    with store.open_db(db, read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def change_rows(db: Path, url: str, table: str = "changes") -> set[tuple[object, ...]]:
    return set(rows(db, f"SELECT actor, issue, kind FROM {table} WHERE canonical_url = ?", [url]))


def one_feed(tmp_path: Path, site: NewsSite, settings: Settings, **overrides: object) -> Settings:
    """The test wire feed alone (no broken feed), with its own seeds copy the test may edit."""
    feeds = tmp_path / "one-feed.toml"
    feeds.write_text(f'[[feeds]]\nid = "wire"\nurl = "{site.server.url_for("/feed.xml")}"\n')
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS_DIR, seeds)
    return settings.with_overrides(feeds_file=feeds, seeds_dir=seeds, **overrides)


@pytest.fixture
def wire(tmp_path: Path, site: NewsSite, settings: Settings) -> Settings:
    return one_feed(tmp_path, site, settings)


# --- a run stores what the page states ---------------------------------------------------------


def test_a_run_stores_exactly_the_changes_the_page_states(site: NewsSite, wire: Settings) -> None:
    """Breakage: the pipeline never calls the step that stores changes (zero changes stored)."""
    summary = pipeline.run_monitor(wire)
    page_a = site.server.url_for("/news/a.html")

    stored = set(
        rows(
            wire.db_path,
            "SELECT actor, issue, kind FROM changes WHERE canonical_url = ?",
            [page_a],
        )
    )
    assert stored == PAGE_A_CHANGES
    assert change_rows(wire.db_path, page_a, "recent_changes") == PAGE_A_CHANGES
    assert summary.changes_stored == len(PAGE_A_CHANGES)  # the other pages state nothing
    reversal = rows(
        wire.db_path,
        "SELECT baseline_stance, stance, evidence FROM recent_changes WHERE kind = 'reversal'",
    )
    assert reversal == [
        ("propose", "reject", PARAGRAPHS_A[0].split(" - ", 1)[1]),
    ]
    statements = rows(
        wire.db_path,
        "SELECT DISTINCT actor, issue FROM statements WHERE canonical_url = ?",
        [page_a],
    )
    assert {(a, i) for a, i, _ in PAGE_A_CHANGES} <= set(statements)

    # what `stancewatch changes` shows: the moves, not the restatements
    code, out, _ = invoke(
        "changes", "--since", "all", "--format", "json", "--db", str(wire.db_path)
    )
    assert code == 0
    shown = {(r["actor"], r["issue"], r["kind"]) for r in json.loads(out)}
    assert shown == {c for c in PAGE_A_CHANGES if c[2] != "reaffirmed"}

    # and `stancewatch positions`: Hamas's latest word on the deal beside its baseline
    code, out, _ = invoke(
        "positions", "--actor", "hamas", "--format", "json", "--db", str(wire.db_path)
    )
    assert code == 0
    deal = next(r for r in json.loads(out) if r["issue"] == "ceasefire_deal")
    assert (deal["stance"], deal["baseline_stance"]) == ("reject", "propose")


# --- rescore -----------------------------------------------------------------------------------


def test_rescore_after_an_edited_override_keeps_or_replaces_the_old_results(
    site: NewsSite, wire: Settings
) -> None:
    """Breakages: rescore stores nothing; rescore --replace deletes nothing."""
    pipeline.run_monitor(wire)
    page_a = site.server.url_for("/news/a.html")
    db = str(wire.db_path)
    (old_version,) = {v for (v,) in rows(wire.db_path, "SELECT baseline_version FROM changes")}

    with (wire.seeds_dir / "overrides.toml").open("a", encoding="utf-8") as overrides:
        overrides.write(HAMAS_REJECTS_DEAL)
    code, out, err = invoke("rescore", "--seeds", str(wire.seeds_dir), "--db", db)
    assert code == 0, err

    versions = {v for (v,) in rows(wire.db_path, "SELECT DISTINCT baseline_version FROM changes")}
    (new_version,) = versions - {old_version}
    assert versions == {old_version, new_version}  # old rows kept
    assert f"baseline {new_version}" in out
    # the views show the new baseline only: the rejection is now a restatement
    expected = (PAGE_A_CHANGES - {("hamas", "ceasefire_deal", "reversal")}) | {
        ("hamas", "ceasefire_deal", "reaffirmed")
    }
    assert change_rows(wire.db_path, page_a, "recent_changes") == expected
    assert (
        set(
            rows(
                wire.db_path,
                "SELECT actor, issue, kind FROM changes WHERE baseline_version = ?",
                [old_version],
            )
        )
        == PAGE_A_CHANGES
    )
    deal = rows(
        wire.db_path,
        "SELECT stance, baseline_stance, baseline_version FROM latest_positions "
        "WHERE actor = 'hamas' AND issue = 'ceasefire_deal'",
    )
    assert deal == [("reject", "reject", new_version)]
    code, out, _ = invoke("changes", "--since", "all", "--format", "json", "--db", db)
    assert {(r["actor"], r["issue"], r["kind"]) for r in json.loads(out)} == {
        ("hamas", "hostage_release", "hardening")
    }

    code, out, err = invoke("rescore", "--replace", "--seeds", str(wire.seeds_dir), "--db", db)
    assert code == 0, err
    for table in ("changes", "statements"):
        left = {v for (v,) in rows(wire.db_path, f"SELECT DISTINCT baseline_version FROM {table}")}
        assert left == {new_version}, table
    assert change_rows(wire.db_path, page_a, "recent_changes") == expected


# --- a run that dies is marked failed ----------------------------------------------------------


def test_a_run_interrupted_mid_fetch_is_recorded_failed_and_exits_non_zero(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    """Breakage: marking a failed run does nothing (a crashed run stays 'running')."""
    child: list[subprocess.Popen[str]] = []

    def page_that_interrupts(_: Request) -> Response:
        # Ctrl-C while the run waits for this page: a real fault in the middle of a pass.
        child[0].send_signal(signal.SIGINT)
        return Response(article_page("Hamas says no deal", PARAGRAPHS_A), content_type="text/html")

    httpserver.expect_request("/feed.xml").respond_with_data(
        _one_item_feed(httpserver.url_for("/news/a.html")), content_type="application/rss+xml"
    )
    httpserver.expect_request("/news/a.html").respond_with_handler(page_that_interrupts)
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(f'[[feeds]]\nid = "wire"\nurl = "{httpserver.url_for("/feed.xml")}"\n')
    db = tmp_path / "run.duckdb"
    env = {**os.environ, "STANCEWATCH_RETRIES": "0"}
    command = [str(BIN / "stancewatch"), "run", "--seeds", str(SEEDS_DIR)]
    child.append(
        subprocess.Popen(
            [*command, "--feeds", str(feeds), "--db", str(db)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
    )
    _, err = child[0].communicate(timeout=300)

    assert child[0].returncode != 0, err
    assert rows(db, "SELECT status, finished_at IS NOT NULL FROM runs") == [("failed", True)]
    fatal = rows(db, "SELECT stage, error_class FROM item_errors")
    assert ("run", "FatalError") in fatal
    # nothing was lost: the entry is still queued, and the next run stores it
    assert rows(db, "SELECT status FROM entries") == [("pending",)]
    rerun = subprocess.run(
        [*command, "--feeds", str(feeds), "--db", str(db)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    # the page interrupts nobody now (the first child is gone), so the run completes
    assert rerun.returncode == 0, rerun.stderr
    assert rows(db, "SELECT status FROM runs ORDER BY started_at") == [("failed",), ("ok",)]
    assert rows(db, "SELECT count(*) FROM changes WHERE kind = 'reversal'") == [(1,)]


def _one_item_feed(link: str) -> str:
    from tests.conftest import rss_feed

    return rss_feed(
        [{"title": "Hamas says no deal", "link": link, "guid": "a", "description": "Hamas."}]
    )


# --- the per-run cap and batches ---------------------------------------------------------------


def test_the_per_run_cap_leaves_the_rest_queued_for_later_runs(
    tmp_path: Path, site: NewsSite, settings: Settings
) -> None:
    """Breakage: the per-run article cap is ignored."""
    site.flaky_failures = 0
    capped = one_feed(tmp_path, site, settings, max_articles_per_run=1, batch_size=1)
    queue = "SELECT status, count(*) FROM entries GROUP BY status ORDER BY status"

    first = pipeline.run_monitor(capped)

    assert first.entries_new == 4  # a, gone, c and the PDF; the tracking-URL copy is one of them
    assert first.articles_stored == 1
    assert rows(capped.db_path, queue) == [("done", 1), ("pending", 3)]
    page_hits = [p for p, _, _ in site.requests if p != "/feed.xml"]
    assert len(page_hits) == 1

    stored = [pipeline.run_monitor(capped).articles_stored for _ in range(3)]

    assert stored == [1, 1, 1]
    assert rows(capped.db_path, queue) == [("done", 4)]
    assert pipeline.run_monitor(capped).articles_stored == 0


def test_small_batches_split_the_work_and_store_the_same_results(
    tmp_path: Path, site: NewsSite, settings: Settings
) -> None:
    """Batching must not change what is stored: batch_size=1 against one batch for all."""
    site.flaky_failures = 0
    batched = one_feed(tmp_path, site, settings, batch_size=1)
    seen: list[tuple[str, int, int]] = []

    summary = pipeline.run_monitor(batched, progress=lambda *p: seen.append(p))

    assert summary.articles_stored == 4
    assert [p for p in seen if p[0] == "pages"][-1][1:] == (4, 4)
    assert len([p for p in seen if p[0] == "pages"]) >= 2  # reported as batches finished
    assert change_rows(batched.db_path, site.server.url_for("/news/a.html")) == PAGE_A_CHANGES


@pytest.mark.usefixtures("prefect_harness")
def test_the_flow_runs_several_batches_and_leaves_the_capped_rest_queued(
    tmp_path: Path, site: NewsSite, settings: Settings
) -> None:
    """The Prefect flow honours batch_size (one task run per batch) and the per-run cap."""
    from prefect import get_client

    from flows.monitor import monitor

    site.flaky_failures = 0
    capped = one_feed(tmp_path, site, settings)
    env = {"STANCEWATCH_BATCH_SIZE": "1", "STANCEWATCH_MAX_ARTICLES_PER_RUN": "3"}
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        state = monitor(
            seeds_dir=str(capped.seeds_dir),
            feeds_file=str(capped.feed_list_path),
            db_path=str(capped.db_path),
            return_state=True,
        )
    result = state.result()
    assert result["articles_stored"] == 3
    assert rows(capped.db_path, "SELECT count(*) FROM entries WHERE status = 'pending'") == [(1,)]

    async def task_names() -> list[str]:
        from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

        async with get_client() as client:
            runs = await client.read_task_runs(
                flow_run_filter=FlowRunFilter(
                    id=FlowRunFilterId(any_=[state.state_details.flow_run_id])
                )
            )
        return [run.name for run in runs]

    import asyncio

    page_runs = [name for name in asyncio.run(task_names()) if name.startswith("process-pages")]
    assert len(page_runs) == 3, page_runs


# --- the demo ----------------------------------------------------------------------------------


@pytest.mark.usefixtures("prefect_harness")
def test_demo_twice_stores_articles_and_changes_then_everything_is_not_modified(
    tmp_path: Path,
) -> None:
    """Breakage: `stancewatch demo` raising on its first line."""
    db = tmp_path / "demo.duckdb"

    code, out, err = invoke("demo", "--db", str(db))

    assert code == 0, err
    articles = rows(db, "SELECT count(*) FROM articles")[0][0]
    assert isinstance(articles, int) and articles >= 10
    moves = rows(db, "SELECT count(*) FROM recent_changes WHERE kind <> 'reaffirmed'")[0][0]
    assert isinstance(moves, int) and moves >= 1
    assert "no position changes detected" not in out

    # the same edition again (a bare second run serves edition 2, which changes the site)
    code, out, err = invoke("demo", "--db", str(db), "--edition", "1")

    assert code == 0, err
    assert rows(db, "SELECT DISTINCT last_status FROM feeds") == [(304,)]
    assert rows(db, "SELECT count(*) FROM feeds") == [(3,)]
    assert rows(db, "SELECT count(*) FROM articles") == [(articles,)]
    last = rows(
        db, "SELECT articles_stored, entries_new FROM runs ORDER BY started_at DESC LIMIT 1"
    )
    assert last == [(0, 0)]
