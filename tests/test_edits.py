"""Edits re-checked against a real local publisher: a corrected page withdraws what it no
longer says, keeps what it says in other words, and a 304 costs no re-reading."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from stancewatch import pipeline, store
from stancewatch.settings import Settings
from tests.conftest import LOOPBACK_ALLOW, SEEDS_DIR, article_page, rss_feed

MOVE = (
    "Hamas has accepted a U.S. proposal to begin talks on freeing Israeli soldiers and male "
    "hostages 16 days into the first phase of an agreement, and no longer insists that Israel "
    "commit to a permanent ceasefire before any deal is signed, a senior Hamas official told "
    "reporters on Saturday."
)
MOVE_REWORDED = MOVE.replace(", and no longer", " and no longer").replace("told reporters", "said")
FILLER = "Relatives of hostages said they hoped the shift would end the deadlock in the talks."
DROPPED = (
    "Egypt has said it will not accept a permanent Israeli military presence along its border."
)


class EditingSite:
    """One feed entry and its page; `edition` picks the page's text and the entry's summary."""

    def __init__(self, server: HTTPServer) -> None:
        self.server = server
        self.edition = 1
        self.page_requests: list[tuple[str | None, int]] = []
        server.expect_request("/feed.xml").respond_with_handler(self.feed)
        server.expect_request("/news/answer.html").respond_with_handler(self.page)

    def feed(self, request: Request) -> Response:
        summary = "Hamas answers the mediators." + (" (updated)" if self.edition > 1 else "")
        if self.edition > 2:
            summary += " Corrected again."
        item = {
            "title": "Hamas answers the mediators",
            "link": self.server.url_for("/news/answer.html"),
            "guid": "answer",
            "description": summary,
        }
        return Response(rss_feed([item]), content_type="application/rss+xml; charset=utf-8")

    def page(self, request: Request) -> Response:
        etag = '"v2"' if self.edition > 1 else '"v1"'
        sent = request.headers.get("If-None-Match")
        if sent == etag:
            self.page_requests.append((sent, 304))
            return Response(status=304, headers={"ETag": etag})
        self.page_requests.append((sent, 200))
        paragraphs = [MOVE, FILLER, DROPPED] if self.edition == 1 else [MOVE_REWORDED, FILLER]
        html = article_page("Hamas answers the mediators", paragraphs)
        return Response(html, content_type="text/html; charset=utf-8", headers={"ETag": etag})


@pytest.fixture
def publisher(httpserver: HTTPServer) -> EditingSite:
    return EditingSite(httpserver)


@pytest.fixture
def settings(tmp_path: Path, publisher: EditingSite) -> Settings:
    feeds = tmp_path / "feeds.toml"
    url = publisher.server.url_for("/feed.xml")
    feeds.write_text(f'[[feeds]]\nid = "wire"\nurl = "{url}"\n')
    return Settings(
        seeds_dir=SEEDS_DIR,
        feeds_file=feeds,
        db_path=tmp_path / "edits.duckdb",
        retries=0,
        fetch_allow=LOOPBACK_ALLOW,
    )


def changes(settings: Settings) -> dict[tuple[str, str], tuple[int, str, bool, int | None]]:
    with store.open_db(settings.db_path, read_only=True) as con:
        rows = con.execute(
            "SELECT actor, issue, change_id, evidence, withdrawn_at IS NOT NULL, event_id "
            "FROM recent_changes WHERE kind <> 'reaffirmed'"
        ).fetchall()
    return {(a, i): (cid, ev, gone, event) for a, i, cid, ev, gone, event in rows}


def run(settings: Settings) -> pipeline.MonitorRun:
    monitor = pipeline.start_monitor(settings)
    try:
        for call in pipeline.step_calls(monitor):
            call.step.keep(monitor, call.step.work(monitor, call.batch))
    finally:
        monitor.close()
    return monitor


def test_a_corrected_page_withdraws_what_it_no_longer_says(
    publisher: EditingSite, settings: Settings
) -> None:
    run(settings)
    before = changes(settings)
    assert set(before) == {("hamas", "end_of_war"), ("egypt", "troop_withdrawal")}

    publisher.edition = 2
    second = run(settings)

    assert (second.rechecked.checked, second.rechecked.revised) == (1, 1)
    assert second.rechecked.withdrawn == 1 and second.rechecked.added == 0
    after = changes(settings)
    # The sentence that left the page: its change is kept, marked withdrawn, still in its event.
    gone_id, gone_evidence, gone, gone_event = after[("egypt", "troop_withdrawal")]
    assert gone and gone_evidence == DROPPED
    assert (gone_id, gone_event) == before[("egypt", "troop_withdrawal")][::3]
    # The move still stated in other words keeps its change and event, with the new sentence.
    kept_id, kept_evidence, kept_gone, kept_event = after[("hamas", "end_of_war")]
    assert not kept_gone and kept_evidence == MOVE_REWORDED
    assert (kept_id, kept_event) == before[("hamas", "end_of_war")][::3]
    with store.open_db(settings.db_path, read_only=True) as con:
        events = {(e["actor"], e["issue"]): e for e in store.list_events(con)}
        [(revisions, text)] = con.execute("SELECT revisions, text FROM articles").fetchall()
        statements = con.execute("SELECT sentence FROM statements").fetchall()
    assert events[("egypt", "troop_withdrawal")]["withdrawn"] is True
    assert events[("hamas", "end_of_war")]["withdrawn"] is False
    assert revisions == 1 and DROPPED not in text
    assert all(DROPPED not in sentence for (sentence,) in statements)
    # The page was fetched again without validators (none kept from the first fetch).
    assert publisher.page_requests == [(None, 200), (None, 200)]


def test_an_unchanged_page_answers_304_and_is_not_read_again(
    publisher: EditingSite, settings: Settings
) -> None:
    run(settings)
    publisher.edition = 2
    run(settings)

    publisher.edition = 3  # the entry changes again; the page does not
    third = run(settings)

    assert publisher.page_requests[-1] == ('"v2"', 304)
    assert (third.rechecked.checked, third.rechecked.revised) == (1, 0)
    assert third.rechecked.withdrawn == 0


def test_articles_older_than_the_recheck_window_are_left_alone(
    publisher: EditingSite, settings: Settings
) -> None:
    run(settings)
    publisher.edition = 2

    late = run(settings.with_overrides(recheck_days=0.0))

    assert late.rechecked.checked == 0
    assert len(publisher.page_requests) == 1
    assert not any(gone for _, _, gone, _ in changes(settings).values())
