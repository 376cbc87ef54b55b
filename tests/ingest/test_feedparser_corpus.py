"""Every file of feedparser's own test corpus through the feed stage over a local server."""

from __future__ import annotations

from pytest_httpserver import HTTPServer

from stancewatch.ingest import HttpClient
from stancewatch.settings import Settings
from tests.conftest import LOOPBACK_ALLOW
from tests.ingest.corpus_sweep import CORPUS, corpus_files, sweep


def test_every_corpus_feed_gives_entries_or_a_recorded_failure(httpserver: HTTPServer) -> None:
    assert CORPUS.is_dir(), f"feedparser corpus missing at {CORPUS}"
    assert len(corpus_files()) > 900
    settings = Settings(fetch_allow=LOOPBACK_ALLOW, retries=0, total_deadline=10)
    with HttpClient(settings) as client:
        results = sweep(httpserver, client)

    assert len(results) == len(corpus_files())
    for result in results:
        # poll_feed never raises: a feed either parsed or carries its recorded reason
        assert result.failure is None or result.failure.split(":")[0] in {
            "FeedParseError",
            "HTTPStatusError",
        }, result
    # Most corpus files test channel-level elements and have no usable item; those with
    # linked items give entries.
    assert sum(1 for r in results if r.entries) >= 50
    assert sum(1 for r in results if r.failure) < len(results) // 2
    # recorded reasons stay one readable line, never an expanded entity or a dump
    assert all(r.failure is None or len(r.failure) <= 1200 for r in results)
