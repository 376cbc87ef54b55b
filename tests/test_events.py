"""Stories, events, review and export over a real DuckDB file (pipeline.events with the store)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from stancewatch import pipeline, store
from stancewatch.errors import ConfigError
from stancewatch.evaluation.evaluate import load_set
from stancewatch.models import Article, BaselinePosition, Change
from stancewatch.settings import Settings
from tests.conftest import SEEDS_DIR, invoke
from tests.events.test_stories import REPRINT, SEPARATE, WIRE

DAY = datetime(2024, 7, 6, 12, tzinfo=UTC)
BASELINE = BaselinePosition(
    id="hamas:end_of_war",
    actor="hamas",
    issue="end_of_war",
    stance="propose",
    score=1.0,
    text="Hamas proposed a truce that ends the war.",
    seed_file="seed.txt",
)
EVIDENCE = "Hamas no longer insists that Israel commit to a permanent ceasefire first."


def article(slug: str, text: str, *, feed: str, days: float = 0, title: str = "") -> Article:
    url = f"https://news.example/{slug}"
    return Article(
        url=url,
        canonical_url=url,
        feed_id=feed,
        guid=slug,
        title=title or slug.replace("-", " "),
        author=None,
        published=DAY + timedelta(days=days),
        language="en",
        text=text,
        text_source="page",
        content_hash=slug,
    )


def softening(evidence: str = EVIDENCE, confidence: float = 0.8) -> Change:
    return Change(
        actor="hamas",
        issue="end_of_war",
        kind="softening",
        stance="retreat",
        score=0.0,
        evidence=evidence,
        attribution="direct",
        confidence=confidence,
        baseline=BASELINE,
    )


def store_run(
    settings: Settings, items: list[tuple[Article, list[Change]]], version: str = "v1"
) -> pipeline.EventsOutcome:
    with store.open_db(settings.db_path) as con, store.transaction(con):
        store.save_baseline(con, [BASELINE], version)
        store.add_articles(con, [a for a, _ in items], "run")
        store.add_changes(
            con, [(a.canonical_url, c) for a, cs in items for c in cs], "run", version
        )
    return pipeline.update_events(settings, run_id="run")


def events(settings: Settings, **filters: Any) -> list[dict[str, Any]]:
    with store.open_db(settings.db_path, read_only=True) as con:
        return store.list_events(con, **filters)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(seeds_dir=SEEDS_DIR, db_path=tmp_path / "events.duckdb", reviewer="tester")


def test_a_wire_story_in_three_outlets_is_one_story_and_one_event(settings: Settings) -> None:
    outcome = store_run(
        settings,
        [
            (article("wire", WIRE, feed="wire"), [softening(confidence=0.9)]),
            (article("reprint", REPRINT, feed="world", days=0.2), [softening(confidence=0.7)]),
            (article("separate", SEPARATE, feed="digest", days=1), [softening("Other words.")]),
        ],
    )

    assert outcome.articles_grouped == 3
    assert len(outcome.events_created) == 1 and outcome.changes_linked == 3
    [event] = events(settings)
    assert event["stories"] == 2  # the reprint counts once
    assert event["articles"] == 3 and event["outlets"] == 3
    assert event["outlet_ids"] == ["digest", "wire", "world"]
    assert event["confidence"] == pytest.approx(0.9)
    assert event["evidence"] == EVIDENCE
    assert event["first_url"] == "https://news.example/wire"
    assert event["first_seen"] == DAY and event["last_seen"] == DAY + timedelta(days=1)
    assert event["baseline_stance"] == "propose" and event["stance"] == "retreat"
    assert outcome.new_events[0]["event_id"] == event["event_id"]
    with store.open_db(settings.db_path, read_only=True) as con:
        [story] = store.list_stories(con, min_articles=2)
    assert story["outlet_ids"] == ["wire", "world"]


def test_a_later_article_restating_the_move_extends_the_event(settings: Settings) -> None:
    store_run(settings, [(article("wire", WIRE, feed="wire"), [softening()])])

    later = store_run(
        settings, [(article("later", SEPARATE, feed="digest", days=5), [softening()])]
    )

    assert later.events_created == () and later.changes_linked == 1
    [event] = events(settings)
    assert event["articles"] == 2 and event["stories"] == 2


def test_confirming_moves_the_current_position_and_regrades_changes(settings: Settings) -> None:
    store_run(settings, [(article("wire", WIRE, feed="wire"), [softening()])])
    [event] = events(settings)

    reviewed = pipeline.review_event(
        settings, event["event_id"], "confirmed", by="ana", note="checked"
    )

    assert (reviewed["status"], reviewed["reviewed_by"], reviewed["note"]) == (
        "confirmed",
        "ana",
        "checked",
    )
    with store.open_db(settings.db_path, read_only=True) as con:
        [current] = store.current_positions(con, actor="hamas")
        graded = con.execute(
            "SELECT kind, current_kind, current_stance, current_event_id FROM recent_changes"
        ).fetchall()
    assert (current["stance"], current["baseline_stance"]) == ("retreat", "propose")
    assert current["source"] == "confirmed event" and current["event_id"] == event["event_id"]
    # Against what we now know, the move is no longer news.
    assert graded == [("softening", "reaffirmed", "retreat", event["event_id"])]

    # A new article restating it is compared with both references when stored.
    store_run(settings, [(article("later", SEPARATE, feed="digest", days=3), [softening()])])
    with store.open_db(settings.db_path, read_only=True) as con:
        kinds = con.execute(
            "SELECT kind, current_kind FROM recent_changes WHERE canonical_url LIKE '%later'"
        ).fetchall()
    assert kinds == [("softening", "reaffirmed")]


def test_a_dismissed_event_does_not_come_back_on_rescore(settings: Settings) -> None:
    item = (article("wire", WIRE, feed="wire"), [softening()])
    store_run(settings, [item])
    [event] = events(settings)
    pipeline.review_event(settings, event["event_id"], "dismissed", by="ana", note="misread")

    # A rescore stores the same evidence again under a new baseline version.
    again = store_run(settings, [item], version="v2")

    assert again.events_created == ()
    [after] = events(settings)
    assert after["event_id"] == event["event_id"] and after["status"] == "dismissed"
    with store.open_db(settings.db_path, read_only=True) as con:
        [current] = store.current_positions(con, actor="hamas")
    assert current["stance"] == "propose" and current["source"] == "baseline"


def test_reviewing_an_unknown_event_is_one_clear_error(settings: Settings) -> None:
    store_run(settings, [])

    with pytest.raises(ConfigError, match="no position event with id 99"):
        pipeline.review_event(settings, 99, "confirmed", by="ana")


def test_export_writes_reviewed_events_as_a_labeled_set(settings: Settings, tmp_path: Path) -> None:
    store_run(
        settings,
        [
            (article("wire", WIRE, feed="wire", title="Hamas drops demand"), [softening()]),
            (
                article("other", SEPARATE, feed="digest", days=60),
                [softening("A misread sentence.")],
            ),
        ],
    )
    first, second = sorted(events(settings), key=lambda e: e["event_id"])
    pipeline.review_event(settings, first["event_id"], "confirmed", by="ana", note="real")
    pipeline.review_event(settings, second["event_id"], "dismissed", by="ana")

    written, used = pipeline.export_reviews(settings, tmp_path / "reviewed")

    assert (written, used) == (2, 2)
    labeled = load_set(tmp_path / "reviewed")  # the evaluation's own loader accepts it
    by_name = {a.name: a for a in labeled.articles}
    assert sorted(by_name) == ["001_hamas_drops_demand.txt", "002_other.txt"]
    [confirmed] = by_name["001_hamas_drops_demand.txt"].changes
    assert (confirmed.actor, confirmed.issue, confirmed.kind) == (
        "hamas",
        "end_of_war",
        "softening",
    )
    assert "confirmed by ana: real" in confirmed.note
    assert by_name["002_other.txt"].changes == ()  # dismissed: the engine was wrong here
    text = (tmp_path / "reviewed" / "articles" / "001_hamas_drops_demand.txt").read_text()
    assert text.startswith("Hamas drops demand\n\nHamas has accepted")
    seeds = json.loads((tmp_path / "reviewed" / "labels.json").read_text())["seeds"]
    assert (tmp_path / "reviewed" / seeds).resolve() == SEEDS_DIR.resolve()


def test_cli_lists_reviews_and_exports_events(settings: Settings, tmp_path: Path) -> None:
    store_run(settings, [(article("wire", WIRE, feed="wire"), [softening()])])
    db = str(settings.db_path)
    [event] = events(settings)

    code, listed, _ = invoke("events", "--db", db, "--status", "unreviewed")
    assert code == 0
    assert f"#{event['event_id']}  hamas · end_of_war · SOFTENING" in listed
    assert "1 stories, 1 articles, 1 outlets (wire); unreviewed" in listed
    assert "https://news.example/wire" in listed

    code, confirmed, _ = invoke(
        "review", "confirm", str(event["event_id"]), "--note", "seen", "--by", "bo", "--db", db
    )
    assert code == 0 and "confirmed by bo (seen)" in confirmed
    code, rows, _ = invoke("events", "--db", db, "--status", "confirmed", "--format", "json")
    assert code == 0 and json.loads(rows)[0]["reviewed_by"] == "bo"
    code, current, _ = invoke("current", "--actor", "hamas", "--db", db, "--format", "csv")
    assert code == 0 and "hamas,end_of_war,propose,retreat,confirmed event" in current

    code, _, error = invoke("events", "--db", db, "--status", "maybe")
    assert code == 2 and "--status 'maybe'" in error
    code, _, error = invoke("review", "dismiss", "404", "--db", db)
    assert code == 2 and "no position event with id 404" in error


def test_interactive_review_walks_unreviewed_events(settings: Settings) -> None:
    from typer.testing import CliRunner

    from stancewatch.cli.app import app

    store_run(
        settings,
        [
            (article("wire", WIRE, feed="wire"), [softening()]),
            (article("other", SEPARATE, feed="digest", days=60), [softening("Another move.")]),
        ],
    )
    first, second = sorted(events(settings), key=lambda e: e["event_id"])

    result = CliRunner().invoke(
        app,
        ["review", "--db", str(settings.db_path), "--by", "tester"],
        input="c\nlooks right\nd\n\n",
    )

    assert result.exit_code == 0, result.output
    assert "baseline: “Hamas proposed a truce that ends the war.”" in result.output
    assert "1 confirmed, 1 dismissed" in result.output
    statuses = {e["event_id"]: (e["status"], e["reviewed_by"], e["note"]) for e in events(settings)}
    assert statuses == {
        first["event_id"]: ("confirmed", "tester", "looks right"),
        second["event_id"]: ("dismissed", "tester", None),
    }


def test_cli_writes_the_timeline_and_lists_stories(settings: Settings, tmp_path: Path) -> None:
    store_run(
        settings,
        [
            (article("wire", WIRE, feed="wire"), [softening()]),
            (article("reprint", REPRINT, feed="world", days=0.2), [softening()]),
        ],
    )
    db = str(settings.db_path)
    target = tmp_path / "out" / "timeline.html"

    code, said, _ = invoke("report", "--html", str(target), "--db", db)

    assert code == 0 and str(target) in said
    page = target.read_text(encoding="utf-8")
    assert '<a href="#event-1" class="point"' in page and '<section id="event-1"' in page
    assert "https://news.example/reprint" in page
    code, listed, _ = invoke("stories", "--db", db, "--format", "json")
    [story] = json.loads(listed)
    assert story["articles"] == 2 and story["outlet_ids"] == ["wire", "world"]
