"""The whole pass against a real local HTTP server and a real DuckDB file, run several times."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from stancewatch import pipeline, store
from stancewatch.errors import ConfigError
from stancewatch.settings import Settings
from tests.conftest import NewsSite


def table_count(settings: Settings, table: str) -> int:
    with store.open_db(settings.db_path, read_only=True) as con:
        row = con.execute(f"SELECT count(*) FROM {table}").fetchone()
    assert row is not None
    return int(row[0])


def test_three_runs_fetch_each_page_once_and_retry_what_failed(
    site: NewsSite, settings: Settings
) -> None:
    first = pipeline.run_monitor(settings)

    assert first.status == "partial"
    assert first.feeds_polled == 2 and first.feeds_failed == 1
    # a.html (once, despite the tracking-URL duplicate), the 404 and the PDF via feed text
    assert first.articles_stored == 3
    assert first.articles_from_feed == 2
    assert site.hits("/news/a.html") == [200]
    assert site.hits("/news/c.html") == [500]
    reasons = Counter(f.error_class for f in first.errors)
    assert reasons["HTTPStatusError"] >= 2  # the 404 and the 500
    assert any(f.feed_id == "broken" for f in first.errors)

    second = pipeline.run_monitor(settings)

    feed_requests = [h for p, h, _ in site.requests if p == "/feed.xml"]
    assert feed_requests[-1].get("if-none-match") == '"v1"'
    assert feed_requests[-1].get("if-modified-since") == "Sat, 02 Mar 2024 10:00:00 GMT"
    assert site.hits("/feed.xml") == [200, 304]
    assert second.feeds_not_modified == 1
    assert second.entries_new == 0
    assert site.hits("/news/c.html") == [500, 200]  # retried although the feed said 304
    assert second.articles_stored == 1
    assert site.hits("/news/a.html") == [200]  # never fetched again

    third = pipeline.run_monitor(settings)

    assert third.articles_stored == 0 and third.entries_new == 0
    assert site.hits("/news/c.html") == [500, 200]
    assert table_count(settings, "articles") == 4
    assert table_count(settings, "runs") == 3
    with store.open_db(settings.db_path, read_only=True) as con:
        sources = dict(con.execute("SELECT url, text_source FROM articles").fetchall())
        statements = con.execute("SELECT count(*) FROM statements").fetchone()
    assert sources[site.server.url_for("/news/gone.html")] == "feed"
    assert sources[site.server.url_for("/files/report.pdf")] == "feed"
    assert sources[site.server.url_for("/news/a.html")] == "page"
    assert statements is not None and statements[0] > 0


def test_statements_and_changes_are_not_duplicated_by_reruns(
    site: NewsSite, settings: Settings
) -> None:
    pipeline.run_monitor(settings)
    pipeline.run_monitor(settings)
    before = table_count(settings, "statements"), table_count(settings, "changes")
    pipeline.rescore(settings)
    after = table_count(settings, "statements"), table_count(settings, "changes")
    assert before == after


def test_transient_failure_falls_back_to_feed_text_after_last_attempt(
    site: NewsSite, settings: Settings
) -> None:
    site.flaky_failures = 99
    limited = settings.with_overrides(max_fetch_attempts=2)
    pipeline.run_monitor(limited)
    pipeline.run_monitor(limited)
    pipeline.run_monitor(limited)
    assert site.hits("/news/c.html") == [500, 500]  # no third try: attempts are used up
    with store.open_db(limited.db_path, read_only=True) as con:
        row = con.execute(
            "SELECT text_source, text FROM articles WHERE url = ?",
            [site.server.url_for("/news/c.html")],
        ).fetchone()
    assert row is not None and row[0] == "feed" and "Mediators press on" in row[1]


def test_bad_feed_list_stops_before_any_request(
    tmp_path: Path, site: NewsSite, settings: Settings
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[[feeds]]\nid = "x"\nurl = "ftp://nowhere"\n')
    with pytest.raises(ConfigError) as info:
        pipeline.run_monitor(settings.with_overrides(feeds_file=bad))
    assert "bad.toml" in str(info.value)
    assert site.requests == []
    assert not settings.db_path.exists()
