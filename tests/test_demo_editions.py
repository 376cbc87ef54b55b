"""The demo's two editions through the real pipeline: reprints cluster, an edit withdraws."""

from __future__ import annotations

from pathlib import Path

from stancewatch import pipeline, store
from stancewatch.demo import demo_feeds_file, serve_demo_site
from stancewatch.settings import Settings
from tests.conftest import LOOPBACK_ALLOW, SEEDS_DIR

EDITED = "/news/2024/09/israel-insists-philadelphi.html"


def run_edition(settings: Settings, edition: int, port: int) -> pipeline.MonitorRun:
    with serve_demo_site(port=port, edition=edition) as site:
        feeds = demo_feeds_file(site.base_url, settings.db_path.parent / "feeds.toml")
        run = pipeline.start_monitor(settings.with_overrides(feeds_file=feeds))
        try:
            for call in pipeline.step_calls(run):
                call.step.keep(run, call.step.work(run, call.batch))
        finally:
            run.close()
    return run


def test_second_edition_clusters_reprints_and_withdraws_the_edited_evidence(
    tmp_path: Path,
) -> None:
    settings = Settings(
        seeds_dir=SEEDS_DIR, db_path=tmp_path / "demo.duckdb", retries=0, fetch_allow=LOOPBACK_ALLOW
    )
    with serve_demo_site() as probe:  # a free port, kept for both editions: same URLs
        port = int(probe.base_url.rsplit(":", 1)[1])

    first = run_edition(settings, 1, port)
    with store.open_db(settings.db_path, read_only=True) as con:
        before = {e["event_id"]: e for e in store.list_events(con, limit=1000)}
    second = run_edition(settings, 2, port)

    assert first.summary.articles_stored == 23 and second.summary.articles_stored == 3
    assert second.rechecked.checked == 1 and second.rechecked.revised == 1
    assert second.rechecked.withdrawn == 1
    assert second.timeline is not None and second.timeline.is_file()
    with store.open_db(settings.db_path, read_only=True) as con:
        shared = store.list_stories(con, min_articles=2)
        after = {e["event_id"]: e for e in store.list_events(con, limit=1000)}
        withdrawn = con.execute(
            "SELECT actor, issue, url FROM recent_changes WHERE withdrawn_at IS NOT NULL"
        ).fetchall()
        revisions = con.execute("SELECT revisions FROM articles WHERE url LIKE ?", [f"%{EDITED}"])
        [(revised,)] = revisions.fetchall()
    # Each reprint joined its original's story, under another outlet.
    assert len(shared) == 3
    assert all(s["articles"] == 2 and s["outlets"] == 2 for s in shared)
    # The reprints restate known moves: events gain an outlet, no story counts twice, and
    # no event is created for them.
    assert second.events.events_created == ()
    grown = [i for i in before if after[i]["outlets"] > before[i]["outlets"]]
    assert len(grown) >= 3
    assert all(after[i]["stories"] == before[i]["stories"] for i in grown)
    # The corrected page's sentence is gone: its change is withdrawn, kept, its event marked.
    assert revised == 1
    [(actor, issue, url)] = withdrawn
    assert url.endswith(EDITED)
    marked = [e for e in after.values() if e["withdrawn_changes"]]
    assert [(e["actor"], e["issue"], e["withdrawn"]) for e in marked] == [(actor, issue, True)]


def test_the_demo_review_step_moves_the_current_position(tmp_path: Path) -> None:
    from stancewatch.cli.app import _demo_review_step

    settings = Settings(
        seeds_dir=SEEDS_DIR, db_path=tmp_path / "demo.duckdb", retries=0, fetch_allow=LOOPBACK_ALLOW
    )
    run_edition(settings, 1, 0)
    with store.open_db(settings.db_path, read_only=True) as con:
        events = store.list_events(con, limit=1000)

    _demo_review_step(settings, events)
    with store.open_db(settings.db_path, read_only=True) as con:
        again = store.list_events(con, limit=1000)
    _demo_review_step(settings, again)  # once only: later runs leave reviews to the user

    with store.open_db(settings.db_path, read_only=True) as con:
        confirmed = store.list_events(con, status="confirmed")
        [event] = confirmed
        moved = [p for p in store.current_positions(con) if p["source"] == "confirmed event"]
    assert event["reviewed_by"] == "demo"
    assert [(p["actor"], p["issue"], p["stance"]) for p in moved] == [
        (event["actor"], event["issue"], event["stance"])
    ]
    assert settings.timeline_path.is_file()
