"""Hostile servers for the fault tests: an "internal" host on 127.0.0.2 and a byte trickler."""

from __future__ import annotations

import gzip
import re
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from pytest_httpserver import HTTPServer

#: Not in the tests' allowlist (127.0.0.1 only): stands for a host inside the network.
INTERNAL_HOST = "127.0.0.2"
SECRET = "INTERNAL-SECRET-7f3a"


@contextmanager
def internal_server() -> Iterator[HTTPServer]:
    """A server on 127.0.0.2 whose every page holds SECRET; its log shows any request."""
    server = HTTPServer(host=INTERNAL_HOST, port=0)
    server.expect_request("/secret").respond_with_data(
        f"<html><body><article><p>{SECRET} " + "internal admin data. " * 30 + "</p></article>"
        "</body></html>",
        content_type="text/html",
    )
    server.start()
    try:
        yield server
    finally:
        server.clear()
        if server.is_running():
            server.stop()


class TrickleServer:
    """Answers every connection with `response`, one byte every `delay` seconds.

    Each byte restarts a client's read timeout, so only a total deadline stops the client.
    `connections` counts accepted connections; the server stops when the client hangs up.
    """

    def __init__(self, response: bytes, delay: float) -> None:
        self.response = response
        self.delay = delay
        self.connections = 0
        self._stop = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self.port = self._listener.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def __enter__(self) -> TrickleServer:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._listener.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            self.connections += 1
            threading.Thread(target=self._trickle, args=(conn,), daemon=True).start()

    def _trickle(self, conn: socket.socket) -> None:
        with conn:
            try:
                conn.recv(65536)
                for byte in self.response:
                    if self._stop.wait(self.delay):
                        return
                    conn.sendall(bytes([byte]))
            except OSError:
                return  # the client gave up: that is the point


def slow_headers(total: int = 200) -> bytes:
    """A response whose header block alone takes `total` bytes to arrive."""
    filler = b"X-Pad: " + b"a" * max(0, total - 60) + b"\r\n"
    return b"HTTP/1.1 200 OK\r\n" + filler + b"Content-Length: 2\r\n\r\nok"


#: Five times the default 10 MB body cap once inflated.
BOMB_EXPANDED = 50_000_000


@cache
def stacked_gzip_bomb(expanded: int = BOMB_EXPANDED) -> bytes:
    """Under 1 KB that inflates to `expanded` bytes through two gzip layers."""
    return gzip.compress(gzip.compress(b"\0" * expanded, 1), 9)


@cache
def gzip_bomb(expanded: int = BOMB_EXPANDED) -> bytes:
    """One gzip layer of zeros: about 200 KB on the wire."""
    return gzip.compress(b"\0" * expanded, 1)


# --- the hostile publisher of the fault matrix ---------------------------------------------------

_BIG_ENTITY = '<!ENTITY big "' + "lol " * 2500 + '">\n'
#: Where feedparser would still find the DOCTYPE/ENTITY lines the XML prolog rule misses.
DTD_VARIANTS = {
    "dtd-in-comment": f"<!--\n<!DOCTYPE rss [\n{_BIG_ENTITY}]>\n-->\n",
    "dtd-after-odd-element": f"<:x/>\n<!DOCTYPE rss [\n{_BIG_ENTITY}]>\n",
    "dtd-after-non-ascii-element": f"<\u00e9/>\n<!DOCTYPE rss [\n{_BIG_ENTITY}]>\n",
}


def item(title: str | None, link: str | None, guid: str, text: str, date: bool = True) -> str:
    """One RSS item; None leaves the element out."""
    parts = [f'<guid isPermaLink="false">{guid}</guid>', f"<description>{text}</description>"]
    if title is not None:
        parts.append(f"<title>{title}</title>")
    if link is not None:
        parts.append(f"<link>{link.replace('&', '&amp;')}</link>")
    if date:
        parts.append("<pubDate>Sat, 02 Mar 2024 09:00:00 GMT</pubDate>")
    return "<item>" + "".join(parts) + "</item>"


def rss(items: list[str], prolog: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n' + prolog + '<rss version="2.0"><channel>'
        "<title>Hostile Wire</title><link>http://example.invalid/</link>"
        + "".join(items)
        + "</channel></rss>"
    ).encode()


def feed_text(case: str) -> str:
    """The feed's own text for a case: long enough to stand in for the page."""
    return f"Feed summary for {case}: " + "Mediators met again in Cairo on Sunday. " * 6


def _closed_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        return int(probe.getsockname()[1])


class HostileSite:
    """A publisher on 127.0.0.1 whose feeds and pages fail in every way the matrix covers.

    `page_cases` maps a case to the link its item carries; `feed_cases` maps a feed id to
    its URL. `hits(path)` lists the statuses served for a path, in order.
    """

    def __init__(self, server: HTTPServer, internal: HTTPServer, trickle: TrickleServer) -> None:
        from werkzeug import Request, Response

        self.server = server
        self.internal = internal
        self.trickle = trickle
        self.requests: list[tuple[str, dict[str, str]]] = []
        self._flaky = {"/busy.html": 1, "/flaky.html": 1}
        secret = f"{INTERNAL_HOST}:{internal.port}/secret"
        self.page_cases: dict[str, str] = {
            "ok": "/article/ok.html",
            "404": "/missing.html",
            "410": "/gone.html",
            "429-retry-after": "/busy.html",
            "500-then-200": "/flaky.html",
            "connection-refused": f"http://127.0.0.1:{_closed_port()}/refused.html",
            "empty-body": "/empty.html",
            "redirect-loop": "/loop-a",
            "redirect-non-http": "/to-file",
            "pdf": "/doc.pdf",
            "image": "/pic.png",
            "ssrf-link": f"http://{secret}",
            "ssrf-decimal-ip": f"http://2130706434:{internal.port}/secret",
            "ssrf-protocol-relative": f"//{secret}?via=protocol-relative",
            "ssrf-redirect": "/to-internal",
            "credentials-in-link": server.url_for("/article/credentials.html").replace(
                "://", "://reader:hunter2@"
            ),
            "slow-headers": trickle.url("/slow.html"),
            "stacked-gzip": "/stacked.html",
            "gzip-bomb": "/bomb.html",
            "no-title-no-date": "/article/untitled.html",
            "huge-feed-text": "/missing-huge.html",
        }
        self.feed_cases: dict[str, str] = {
            "main": server.url_for("/feed.xml"),
            **{name: server.url_for(f"/{name}.xml") for name in DTD_VARIANTS},
            "twin": server.url_for("/twin.xml"),
            "feed-410": server.url_for("/gone-feed.xml"),
            "feed-dns": "http://no-such-host.invalid/feed.xml",
            "feed-not-a-feed": server.url_for("/article/not-a-feed.html"),
            "feed-internal": f"http://{INTERNAL_HOST}:{internal.port}/secret",
            "feed-empty": server.url_for("/empty.html"),
        }

        def log(request: Request, response: Response) -> Response:
            headers = {key.lower(): value for key, value in request.headers.items()}
            self.requests.append((request.path, headers))
            return response

        def article(request: Request) -> Response:
            name = request.path.rsplit("/", 1)[-1]
            paragraphs = "".join(
                f"<p>{name}: the negotiators met again on Sunday, paragraph {n}, and said "
                "talks on a ceasefire and the release of hostages would go on this week.</p>"
                for n in range(6)
            )
            html = (
                f"<html><head><title>{name}</title></head><body><article><h1>{name}</h1>"
                f"{paragraphs}</article></body></html>"
            )
            return log(request, Response(html, content_type="text/html; charset=utf-8"))

        def flaky(request: Request) -> Response:
            if self._flaky.get(request.path, 0) > 0:
                self._flaky[request.path] -= 1
                if request.path == "/busy.html":
                    return log(request, Response("slow down", 429, {"Retry-After": "3600"}))
                return log(request, Response("overloaded", 500))
            return article(request)

        def fixed(body: bytes | str, status: int = 200, **headers: str) -> object:
            content_type = headers.pop("content_type", "text/html")
            return lambda request: log(
                request, Response(body, status, headers, content_type=content_type)
            )

        main_items = [
            item(case, link, f"main-{case}", feed_text(case), date=case != "no-title-no-date")
            if case != "no-title-no-date"
            else item(None, link, "main-untitled", feed_text(case), date=False)
            for case, link in self.page_cases.items()
            if case != "huge-feed-text"
        ]
        main_items.append(
            item("Huge", self.page_cases["huge-feed-text"], "main-huge", "word " * 20_000)
        )
        main_items.append(item("No link", None, "main-no-link", feed_text("no-link")))
        main_items.append(
            item("Shared guid", "/article/shared-main.html", "shared-guid", feed_text("shared"))
        )
        routes: dict[str, object] = {
            "/feed.xml": fixed(rss(main_items), content_type="application/rss+xml"),
            "/twin.xml": fixed(
                rss([item("Twin", "/article/shared-twin.html", "shared-guid", feed_text("twin"))]),
                content_type="application/rss+xml",
            ),
            "/gone-feed.xml": fixed("gone", 410),
            "/missing.html": fixed("not here", 404),
            "/missing-huge.html": fixed("not here", 404),
            "/gone.html": fixed("gone", 410),
            "/busy.html": flaky,
            "/flaky.html": flaky,
            "/empty.html": fixed(b""),
            "/loop-a": fixed("", 302, Location="/loop-b"),
            "/loop-b": fixed("", 302, Location="/loop-a"),
            "/to-file": fixed("", 302, Location="file:///etc/passwd"),
            "/to-internal": fixed("", 302, Location=f"http://{secret}"),
            "/doc.pdf": fixed(b"%PDF-1.4\n%binary", content_type="application/pdf"),
            "/pic.png": fixed(b"\x89PNG\r\n\x1a\n" + b"\0" * 64, content_type="image/png"),
            "/stacked.html": fixed(stacked_gzip_bomb(), **{"Content-Encoding": "gzip, gzip"}),
            "/bomb.html": fixed(gzip_bomb(), **{"Content-Encoding": "gzip"}),
        }
        for name, prolog in DTD_VARIANTS.items():
            bomb_item = item(name, f"/article/{name}.html", name, "&big;" * 2000)
            routes[f"/{name}.xml"] = fixed(
                rss([bomb_item], prolog=prolog), content_type="application/rss+xml"
            )
        for path, handler in routes.items():
            server.expect_request(path).respond_with_handler(handler)  # type: ignore[arg-type]
        server.expect_request(re.compile(r"^/article/")).respond_with_handler(article)

    def hits(self, path: str) -> int:
        return sum(1 for seen, _ in self.requests if seen == path)

    def feeds_toml(self) -> str:
        return "".join(
            f'[[feeds]]\nid = "{feed_id}"\nurl = "{url}"\n\n'
            for feed_id, url in self.feed_cases.items()
        )
