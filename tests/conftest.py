"""Shared test setup: an isolated Prefect home, Prefect test servers, and page builders."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

# Prefect reads its settings at import: isolate it before any test module imports it, so tests
# never share (and lock) the user's ~/.prefect database or reach the network.
_PREFECT_HOME = tempfile.mkdtemp(prefix="stancewatch-prefect-")
os.environ["PREFECT_HOME"] = _PREFECT_HOME
os.environ.pop("PREFECT_API_URL", None)
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ["DO_NOT_TRACK"] = "1"
for _name in [n for n in os.environ if n.startswith("STANCEWATCH_")]:
    del os.environ[_name]
#: Test servers listen on 127.0.0.1, which the fetcher refuses unless allowed (no default
#: allowlist). 127.0.0.2 stays refused: the tests use it as the "internal" host.
LOOPBACK_ALLOW = ("127.0.0.1", "::1")
# The CLI, the flows and subprocesses build their settings from the environment.
os.environ["STANCEWATCH_FETCH_ALLOW"] = ",".join(LOOPBACK_ALLOW)

from stancewatch.models import Statement  # noqa: E402  (after the Prefect isolation above)
from stancewatch.positions import Reader, load_watchlist  # noqa: E402
from stancewatch.settings import Settings  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[1]
SEEDS_DIR = REPO_ROOT / "seeds"


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """One temporary Prefect server for the whole session (starting one costs seconds)."""
    from prefect.testing.utilities import prefect_test_harness

    # Readiness, not speed: with several test runs sharing 2 cores, start-up was seen to take
    # over 120 s (every Prefect test then errored); a server that cannot start still fails.
    with prefect_test_harness(server_startup_timeout=300):
        yield


BIN = Path(sys.executable).parent
SERVER_STARTUP_LIMIT = 420


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def prefect_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    home = tmp_path_factory.mktemp("prefect-server-home")
    port = free_port()
    env = {
        **os.environ,
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_UI_ENABLED": "false",
    }
    env.pop("PREFECT_API_URL", None)
    log = (home / "server.log").open("w")
    proc = subprocess.Popen(
        [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    api = f"http://127.0.0.1:{port}/api"
    # Startup is seconds on an idle machine but took 132 s on a 2-core box at load 14: the
    # deadline only bounds a server that never comes up.
    deadline = time.monotonic() + SERVER_STARTUP_LIMIT
    try:
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"prefect server exited: {(home / 'server.log').read_text()}")
            try:
                if httpx.get(f"{api}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"prefect server did not become healthy in {SERVER_STARTUP_LIMIT} s: "
                    f"{(home / 'server.log').read_text()[-3000:]}"
                )
            time.sleep(0.5)
        yield api
    finally:
        stop(proc)
        log.close()


def article_page(title: str, paragraphs: list[str], *, published: str = "2024-03-02") -> str:
    """A news page with the usual clutter around the article body."""
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title} | Test Gazette</title>
<meta property="og:title" content="{title}">
<meta property="article:published_time" content="{published}T09:00:00Z">
<meta name="author" content="Test Reporter"></head>
<body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/markets">Markets</a></nav>
<div class="cookie-banner">We use cookies to improve your experience. Accept all cookies?</div>
<main><article><h1>{title}</h1><p class="byline">By Test Reporter</p>
{body}
</article></main>
<aside class="related"><h3>Related</h3><ul><li><a href="/a">Markets slide on rate fears</a></li>
<li><a href="/b">Weather: storms expected</a></li></ul></aside>
<section class="comments"><h3>Comments</h3><p>Reader42: first comment here!</p></section>
<footer>Copyright Test Gazette. All rights reserved. Privacy policy.</footer>
</body></html>"""


def rss_feed(items: list[dict[str, str]], *, title: str = "Test Wire") -> str:
    """An RSS 2.0 document; each item dict has title, link, guid, description, pubDate."""
    parts = []
    for item in items:
        parts.append(
            "<item>"
            f"<title>{item['title']}</title><link>{item['link']}</link>"
            f'<guid isPermaLink="false">{item["guid"]}</guid>'
            f"<description>{item.get('description', '')}</description>"
            f"<pubDate>{item.get('pubDate', 'Sat, 02 Mar 2024 09:00:00 GMT')}</pubDate>"
            "</item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>http://example.invalid/</link>"
        f"<description>test</description>{''.join(parts)}</channel></rss>"
    )


PARAGRAPHS_A = [
    "DOHA, March 2 - Hamas said on Saturday it would not accept any ceasefire deal that "
    "leaves Israeli troops inside Gaza, a senior official of the group told reporters.",
    "\u201cWe will not release the hostages without a full withdrawal,\u201d said Osama "
    "Hamdan, a Hamas official, at a news conference in Beirut.",
    "Israeli Prime Minister Benjamin Netanyahu again rejected the demand on Sunday, saying "
    "Israel would keep fighting until Hamas was destroyed and total victory was achieved.",
    "Mediators from Qatar and Egypt said talks would resume in Cairo next week.",
]
PARAGRAPHS_C = [
    "CAIRO, March 3 - Egyptian mediators said on Sunday that negotiations on a truce in Gaza "
    "would continue this week despite deep disagreements between the two sides.",
    "A Qatari foreign ministry spokesman said Doha remained committed to mediating and "
    "urged both Israel and Hamas to show flexibility on the release of hostages.",
    "The United States is pushing hard for a deal before Ramadan, Secretary of State "
    "Antony Blinken said, adding that a pause in the fighting was within reach.",
]


class NewsSite:
    """A small publisher: one feed with conditional GET, pages that fail in chosen ways."""

    def __init__(self, server: HTTPServer) -> None:
        self.server = server
        self.flaky_failures = 1  # page C answers 500 this many times, then works
        self.requests: list[tuple[str, dict[str, str], int]] = []
        base = server.url_for("")
        items = [
            {
                "title": "Hamas says no deal without withdrawal",
                "link": f"{base}news/a.html",
                "guid": "item-a",
                "description": "Hamas rejects deal without withdrawal.",
            },
            {
                "title": "Gone page",
                "link": f"{base}news/gone.html",
                "guid": "item-b",
                "description": "Hamas negotiators arrived in Cairo on Sunday for a new round "
                "of talks on a ceasefire, an official said, as mediators pressed both sides.",
            },
            {
                "title": "Mediators press on",
                "link": f"{base}news/c.html",
                "guid": "item-c",
                "description": "Mediators press on with talks.",
            },
            {
                "title": "Report (PDF)",
                "link": f"{base}files/report.pdf",
                "guid": "item-d",
                "description": "The full text of the mediators' report on the talks in Cairo "
                "and Doha, published as a PDF document for readers who want the details.",
            },
            {  # the same story again under a tracking URL and another guid
                "title": "Hamas says no deal without withdrawal",
                "link": f"{base}news/a.html?utm_source=rss&utm_medium=feed",
                "guid": "item-a-again",
                "description": "Hamas rejects deal without withdrawal.",
            },
        ]
        self.feed_body = rss_feed(items)
        server.expect_request("/feed.xml").respond_with_handler(self.feed)
        server.expect_request("/broken.xml").respond_with_handler(self.broken)
        server.expect_request("/news/a.html").respond_with_handler(self.page_a)
        server.expect_request("/news/c.html").respond_with_handler(self.page_c)
        server.expect_request("/files/report.pdf").respond_with_handler(self.pdf)
        server.expect_request("/news/gone.html").respond_with_handler(self.gone)

    def _log(self, request: Request, status: int) -> None:
        headers = {k.lower(): v for k, v in request.headers.items()}
        self.requests.append((request.path, headers, status))

    def feed(self, request: Request) -> Response:
        if request.headers.get("If-None-Match") == '"v1"':
            self._log(request, 304)
            return Response(status=304, headers={"ETag": '"v1"'})
        self._log(request, 200)
        return Response(
            self.feed_body,
            content_type="application/rss+xml; charset=utf-8",
            headers={"ETag": '"v1"', "Last-Modified": "Sat, 02 Mar 2024 10:00:00 GMT"},
        )

    def broken(self, request: Request) -> Response:
        self._log(request, 200)
        return Response(b"\x00\x01 this is <<< not a feed", content_type="application/rss+xml")

    def page_a(self, request: Request) -> Response:
        self._log(request, 200)
        html = article_page("Hamas says no deal without withdrawal", PARAGRAPHS_A)
        return Response(html, content_type="text/html; charset=utf-8")

    def page_c(self, request: Request) -> Response:
        if self.flaky_failures > 0:
            self.flaky_failures -= 1
            self._log(request, 500)
            return Response("overloaded", status=500)
        self._log(request, 200)
        html = article_page("Mediators press on", PARAGRAPHS_C)
        return Response(html, content_type="text/html; charset=utf-8")

    def pdf(self, request: Request) -> Response:
        self._log(request, 200)
        return Response(b"%PDF-1.4 binary", content_type="application/pdf")

    def gone(self, request: Request) -> Response:
        self._log(request, 404)
        return Response("not found", status=404)

    def hits(self, path: str) -> list[int]:
        return [status for p, _, status in self.requests if p == path]


@pytest.fixture
def site(httpserver: HTTPServer) -> NewsSite:
    return NewsSite(httpserver)


@pytest.fixture
def settings(tmp_path: Path, site: NewsSite) -> Settings:
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(
        f'[[feeds]]\nid = "wire"\nurl = "{site.server.url_for("/feed.xml")}"\n\n'
        f'[[feeds]]\nid = "broken"\nurl = "{site.server.url_for("/broken.xml")}"\n'
    )
    return Settings(
        seeds_dir=SEEDS_DIR,
        feeds_file=feeds,
        db_path=tmp_path / "storage" / "test.duckdb",
        retries=0,
        backoff_base=0.01,
        connect_timeout=2,
        read_timeout=2,
        total_deadline=10,
        min_text_chars=150,
        fetch_allow=LOOPBACK_ALLOW,
    )


def invoke(*args: str) -> tuple[int, str, str]:
    """Run the CLI in-process; returns (exit code, stdout, stderr). Unexpected errors raise."""
    from typer.testing import CliRunner

    from stancewatch.cli.app import app

    result = CliRunner().invoke(app, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def reader() -> Reader:
    """The first seed's reader, shared by the reader-rule tests."""
    return Reader(load_watchlist(SEEDS_DIR / "watchlist.toml"))


def find(reader: Reader, text: str, actor: str, issue: str) -> list[Statement]:
    """Statements of one actor on one issue in a text read under a neutral title."""
    reading = reader.read(text, title="Gaza talks")
    return [s for s in reading.statements if s.actor == actor and s.issue == issue]
