"""Serve every file of the feedparser test corpus over HTTP and poll it through the feed stage."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from stancewatch.ingest import HttpClient
from stancewatch.models import FeedConfig
from stancewatch.pipeline import poll_feed

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpora" / "feedparser-tests"
_HEADER_LINE = re.compile(rb"^Header:\s*([A-Za-z-]+):\s*(.*?)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class SweepResult:
    """One corpus file polled: how long it took and what the feed stage made of it."""

    path: str
    seconds: float
    entries: int
    failure: str | None  # error class and message when the feed stage recorded one
    warning: str | None  # feedparser's complaint about a feed that was still usable


def corpus_files() -> list[Path]:
    return sorted(CORPUS.rglob("*.xml"))


def _serve(request: Request) -> Response:
    path = CORPUS / request.path.lstrip("/")
    body = path.read_bytes()
    # The files' header comments say which HTTP headers upstream served them with.
    headers = {name.decode(): value.decode() for name, value in _HEADER_LINE.findall(body[:600])}
    content_type = headers.pop("Content-type", headers.pop("Content-Type", "application/xml"))
    return Response(body, headers=headers, content_type=content_type)


def sweep(server: HTTPServer, client: HttpClient) -> list[SweepResult]:
    """Poll every corpus file once; poll_feed records failures instead of raising."""
    server.expect_request(re.compile(r"^/.+\.xml$")).respond_with_handler(_serve)
    results = []
    for file in corpus_files():
        relative = file.relative_to(CORPUS).as_posix()
        feed = FeedConfig(id="corpus", url=server.url_for(f"/{relative}"))
        started = time.perf_counter()
        poll = poll_feed(client, feed, None)
        seconds = time.perf_counter() - started
        failure = f"{poll.failure.error_class}: {poll.failure.message}" if poll.failure else None
        entries = len(poll.parsed.entries) if poll.parsed else 0
        warning = poll.parsed.bozo_reason if poll.parsed else None
        results.append(SweepResult(relative, seconds, entries, failure, warning))
    return results
