"""A flooding feed cannot starve the others: real runs, a real server and a real DuckDB file."""

from __future__ import annotations

import re
from pathlib import Path

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from stancewatch import pipeline, store
from stancewatch.settings import Settings
from tests.conftest import LOOPBACK_ALLOW, SEEDS_DIR, rss_feed

FLOOD = 10_000


def _items(base: str, prefix: str, count: int) -> list[dict[str, str]]:
    return [
        {
            "title": f"{prefix} story {n}",
            "link": f"{base}{prefix}/{n}.html",
            "guid": f"{prefix}-{n}",
            "description": f"{prefix} story {n}: mediators met again in Cairo on the truce.",
        }
        for n in range(count)
    ]


def test_a_10000_entry_feed_does_not_starve_another_feeds_new_entries(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    base = httpserver.url_for("/")
    small_items: list[dict[str, str]] = []  # the small feed has nothing yet on the first run
    fetched: list[str] = []
    big_feed = rss_feed(_items(base, "big", FLOOD))

    def big(request: Request) -> Response:
        # unchanged after the first poll: parsing 10,000 items once is slow enough
        if request.headers.get("If-None-Match") == '"flood"':
            return Response(status=304)
        return Response(big_feed, content_type="application/rss+xml", headers={"ETag": '"flood"'})

    httpserver.expect_request("/big.xml").respond_with_handler(big)
    httpserver.expect_request("/small.xml").respond_with_handler(
        lambda _: Response(rss_feed(small_items), content_type="application/rss+xml")
    )

    def page(request: Request) -> Response:
        fetched.append(request.path)
        return Response("gone", status=404)  # the feed's text is stored instead

    httpserver.expect_request(re.compile(r"^/(big|small)/\d+\.html$")).respond_with_handler(page)
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(
        f'[[feeds]]\nid = "big"\nurl = "{httpserver.url_for("/big.xml")}"\n\n'
        f'[[feeds]]\nid = "small"\nurl = "{httpserver.url_for("/small.xml")}"\n'
    )
    settings = Settings(
        seeds_dir=SEEDS_DIR,
        feeds_file=feeds,
        db_path=tmp_path / "fair.duckdb",
        retries=0,
        fetch_allow=LOOPBACK_ALLOW,
        max_articles_per_run=20,
        max_entries_per_feed_poll=1_000,
    )

    first = pipeline.run_monitor(settings)
    assert first.entries_new == 1_000  # the flood is capped per poll, and that is recorded
    capped = [f for f in first.errors if f.error_class == "QueueLimit"]
    assert [(f.feed_id, f.message.split()[0]) for f in capped] == [("big", "9000")]
    assert len(fetched) == 20

    small_items.extend(_items(base, "small", 3))
    second = pipeline.run_monitor(settings)

    assert second.entries_new == 3
    small_fetched = [path for path in fetched if path.startswith("/small/")]
    assert sorted(small_fetched) == ["/small/0.html", "/small/1.html", "/small/2.html"]
    with store.open_db(settings.db_path, read_only=True) as con:
        stored = con.execute("SELECT count(*) FROM articles WHERE feed_id = 'small'").fetchone()
        queued = con.execute("SELECT count(*) FROM entries WHERE feed_id = 'big'").fetchone()
    assert stored == (3,)
    assert queued == (1_000,)
