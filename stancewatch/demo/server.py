"""Serve the bundled offline demo site (demo/site) on a loopback port, for the demo and tests."""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from stancewatch.demo.pages import ARTICLES_DIR, TEMPLATES_DIR, page_slug, render_article
from stancewatch.errors import ConfigError
from stancewatch.settings import PROJECT_ROOT

DEFAULT_SITE_DIR = PROJECT_ROOT / "demo" / "site"

#: Written in feeds and pages wherever an absolute URL of the site belongs; replaced when served.
BASE_PLACEHOLDER = "{{BASE}}"

#: Last-Modified of every file. Fixed on purpose: a clean clone gives files fresh mtimes, and the
#: demo must answer the same validators for the same content on every run. The ETag (a hash of
#: the bytes actually served, so it includes the base URL) is what changes when content changes;
#: as HTTP requires, If-None-Match wins over If-Modified-Since when a client sends both.
SITE_LAST_MODIFIED = datetime(2025, 1, 20, 12, 0, 0, tzinfo=UTC)

CONTENT_TYPES: dict[str, str] = {
    ".xml": "application/rss+xml; charset=utf-8",
    ".atom": "application/atom+xml; charset=utf-8",
    ".rdf": "application/rdf+xml; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".pdf": "application/pdf",
    ".txt": "text/plain; charset=utf-8",
}
_TEMPLATED_SUFFIXES = frozenset({".xml", ".atom", ".rdf", ".html", ".txt"})
_FALLBACK_CONTENT_TYPE = "application/octet-stream"
#: Directories of page sources (content files and templates), rendered but never served.
#: Later editions of the site: editions/<n>/ holds the feeds and article content files that
#: differ from the first edition (new articles, edited ones); the rest is the site's own.
EDITIONS_DIR = "editions"
_SOURCE_DIRS = frozenset({ARTICLES_DIR, TEMPLATES_DIR, EDITIONS_DIR})
_NOT_FOUND = b"<!DOCTYPE html><title>404 Not Found</title><h1>Not Found</h1>\n"

#: Request headers kept in the request log (names in lower case).
LOGGED_HEADERS = ("user-agent", "accept", "accept-encoding", "if-none-match", "if-modified-since")

#: (feed id, path under the site, title) of the three demo feeds.
DEMO_FEEDS: tuple[tuple[str, str, str], ...] = (
    ("wire", "/feeds/wire.xml", "Demo Wire (RSS 2.0)"),
    ("world", "/feeds/world.atom", "Demo World (Atom 1.0)"),
    ("digest", "/feeds/digest.rdf", "Demo Digest (RSS 1.0/RDF)"),
)


@dataclass(frozen=True)
class DemoRequest:
    """One request the demo server answered."""

    method: str
    path: str  # the request target as sent, query string included
    headers: dict[str, str]  # the LOGGED_HEADERS the client sent, lower-case names
    status: int

    @property
    def bare_path(self) -> str:
        """The path without its query string."""
        return _target_path(self.path)


class DemoSite:
    """A running demo server: its base URL and the log of the requests it has answered."""

    def __init__(self, base_url: str, server: _DemoServer) -> None:
        self.base_url = base_url
        self._server = server

    def __str__(self) -> str:
        return self.base_url

    def __repr__(self) -> str:
        return f"DemoSite({self.base_url!r}, site_dir={str(self.site_dir)!r})"

    @property
    def site_dir(self) -> Path:
        return self._server.site_dir

    @property
    def requests(self) -> tuple[DemoRequest, ...]:
        """Every request answered so far, oldest first (a snapshot)."""
        with self._server.log_lock:
            return tuple(self._server.request_log)

    def requests_for(self, path: str) -> tuple[DemoRequest, ...]:
        """The requests whose path (query string ignored) equals `path`."""
        return tuple(r for r in self.requests if r.bare_path == path)

    def clear_requests(self) -> None:
        with self._server.log_lock:
            self._server.request_log.clear()

    def url(self, path: str) -> str:
        """The absolute URL of a path on the site ("/feeds/wire.xml" -> "http://.../feeds/wire.xml")."""
        return self.base_url + "/" + path.lstrip("/")


class _DemoServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], site_dir: Path, overlay: Path | None) -> None:
        self.site_dir = site_dir
        self.overlay = overlay
        self.base_url = ""  # set once the port is known
        self.request_log: list[DemoRequest] = []
        self.log_lock = threading.Lock()
        super().__init__(address, _DemoHandler)

    def handle_error(self, request: object, client_address: object) -> None:
        """Stay silent: a client hanging up mid-response is not worth a traceback on stderr."""


class _DemoHandler(BaseHTTPRequestHandler):
    server: _DemoServer
    server_version = "stancewatch-demo/1"
    sys_version = ""

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def log_message(self, format: str, *args: object) -> None:
        """Silence the default access log on stderr; the request log is kept on the server."""

    def _answer(self, *, send_body: bool) -> None:
        status, headers, body = self._response()
        # Log before answering, so a client that has its response also finds it in the log.
        self._record(int(status))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if send_body and body:
            self.wfile.write(body)

    def _response(self) -> tuple[HTTPStatus, dict[str, str], bytes]:
        try:
            found = self._content(self.path)
        except ConfigError as exc:  # an article page whose sources are broken
            message = f"500 Internal Server Error: {exc}\n".encode()
            headers = {
                "Content-Type": "text/plain; charset=utf-8",
                "Content-Length": str(len(message)),
            }
            return HTTPStatus.INTERNAL_SERVER_ERROR, headers, message
        if found is None:
            headers = {
                "Content-Type": "text/html; charset=utf-8",
                "Content-Length": str(len(_NOT_FOUND)),
            }
            return HTTPStatus.NOT_FOUND, headers, _NOT_FOUND
        body, suffix = found
        if suffix in _TEMPLATED_SUFFIXES:
            body = body.replace(BASE_PLACEHOLDER.encode(), self.server.base_url.encode())
        validators = {
            "ETag": '"' + hashlib.sha256(body).hexdigest()[:32] + '"',
            "Last-Modified": format_datetime(SITE_LAST_MODIFIED, usegmt=True),
        }
        if self._not_modified(validators["ETag"]):
            return HTTPStatus.NOT_MODIFIED, validators, b""
        headers = {
            "Content-Type": CONTENT_TYPES.get(suffix, _FALLBACK_CONTENT_TYPE),
            "Content-Length": str(len(body)),
            **validators,
            "Cache-Control": "no-cache",
        }
        return HTTPStatus.OK, headers, body

    def _content(self, target: str) -> tuple[bytes, str] | None:
        """The bytes (before {{BASE}} is replaced) and suffix of what `target` names, or None.

        An article page (/news/<yyyy>/<mm>/<slug>.html) is rendered from its content file and
        its publisher's template; any other path is a file of the site, served as it is.
        """
        parts = _site_parts(target)
        if parts is None:
            return None
        root, overlay = self.server.site_dir, self.server.overlay
        slug = page_slug("/".join(parts))
        if slug is not None and (page := render_article(root, slug, overlay)) is not None:
            return page.encode(), ".html"
        if parts[0] in _SOURCE_DIRS:  # page sources are rendered, never served
            return None
        if overlay is not None and (newer := _file_in(overlay, parts)) is not None:
            return newer
        return _file_in(root, parts)

    def _not_modified(self, etag: str) -> bool:
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
            return "*" in tags or etag in tags
        if_modified_since = self.headers.get("If-Modified-Since")
        if if_modified_since is None:
            return False
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return False  # an unparsable date is ignored, as HTTP says
        if since.tzinfo is None:
            since = since.replace(tzinfo=UTC)
        return since >= SITE_LAST_MODIFIED

    def _record(self, status: int) -> None:
        headers = {name: value for name in LOGGED_HEADERS if (value := self.headers.get(name))}
        entry = DemoRequest(method=self.command, path=self.path, headers=headers, status=status)
        with self.server.log_lock:
            self.server.request_log.append(entry)


@contextmanager
def serve_demo_site(
    site_dir: Path | None = None, host: str = "127.0.0.1", port: int = 0, *, edition: int = 1
) -> Iterator[DemoSite]:
    """Serve `site_dir` (default: demo/site) in a daemon thread; yield the running DemoSite.

    `site.base_url` is e.g. "http://127.0.0.1:54321" (no trailing slash); `site.requests` is the
    request log. `host` is an IPv4 address; `port` 0 picks a free port, a fixed `port` gives the
    same article URLs on every run. Pages and feeds are served with {{BASE}} replaced by the base
    URL; article pages (/news/<yyyy>/<mm>/<slug>.html) are rendered on request from the site's
    articles/ and templates/ (see stancewatch.demo.pages), which are not served themselves. An
    `edition` above 1 serves the site as editions/<edition>/ changes it (new and edited articles
    and the feeds that list them). The server stops when the block exits.
    """
    root = (site_dir if site_dir is not None else DEFAULT_SITE_DIR).resolve()
    if not root.is_dir():
        raise ConfigError(f"demo site directory not found: {root}")
    overlay = None
    if edition > 1:
        overlay = (root / EDITIONS_DIR / str(edition)).resolve()
        if not overlay.is_dir():
            raise ConfigError(f"the demo site has no edition {edition}: {overlay} not found")
    try:
        server = _DemoServer((host, port), root, overlay)
    except OSError as exc:
        raise ConfigError(f"cannot serve the demo site on {host}:{port}: {exc}") from None
    bound_host, bound_port = server.server_address[:2]
    server.base_url = f"http://{bound_host!s}:{bound_port}"
    thread = threading.Thread(
        target=server.serve_forever,
        kwargs={"poll_interval": 0.05},
        name=f"stancewatch-demo-{bound_port}",
        daemon=True,
    )
    thread.start()
    try:
        yield DemoSite(server.base_url, server)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def demo_feed_urls(base_url: str | DemoSite) -> dict[str, str]:
    """The URL of each demo feed, by feed id."""
    base = _checked_base(base_url)
    return {feed_id: base + path for feed_id, path, _ in DEMO_FEEDS}


def demo_feeds_file(base_url: str | DemoSite, dest: Path) -> Path:
    """Write a feeds.toml listing the three demo feeds under `base_url`; return its path.

    `base_url` is the site's base URL or the running DemoSite. `dest` is the file to write, or
    an existing directory to write feeds.toml into.
    """
    base = _checked_base(base_url)
    path = dest / "feeds.toml" if dest.is_dir() else dest
    lines = [f"# Feeds of the stancewatch offline demo site served at {base}", ""]
    for feed_id, feed_path, title in DEMO_FEEDS:
        lines += [
            "[[feeds]]",
            f"id = {_toml_string(feed_id)}",
            f"url = {_toml_string(base + feed_path)}",
            f"title = {_toml_string(title)}",
            'tags = ["demo"]',
            "enabled = true",
            "",
        ]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines), encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot write the demo feed list: {exc}", file=str(path)) from None
    return path


def _site_parts(target: str) -> list[str] | None:
    """The path segments a request target names under the site ("/" -> index.html), or None.

    None for a target that could leave the site: "..", encoded dots, backslashes, NUL, dotfiles.
    """
    path = unquote(_target_path(target))
    if not path.startswith("/") or "\x00" in path or "\\" in path:
        return None
    parts = [p for p in path.split("/") if p]
    if any(p in {".", ".."} or p.startswith(".") for p in parts):
        return None
    return parts or ["index.html"]


def _target_path(target: str) -> str:
    """The path of a request target: everything before "?" or "#" (never parsed as a URL)."""
    return target.split("?", 1)[0].split("#", 1)[0]


def _checked_base(base_url: str | DemoSite) -> str:
    if isinstance(base_url, DemoSite):
        base_url = base_url.base_url
    base = base_url.rstrip("/")
    parts = urlsplit(base)
    if parts.scheme not in {"http", "https"} or not parts.netloc or parts.query or parts.fragment:
        raise ConfigError(f"not a usable base URL for the demo site: {base_url!r}")
    return base


def _toml_string(value: str) -> str:
    # A JSON string literal is a valid TOML basic string (same escapes, \uXXXX included).
    return json.dumps(value, ensure_ascii=False)


def _file_in(root: Path, parts: Sequence[str]) -> tuple[bytes, str] | None:
    """The bytes and suffix of the file `parts` name inside `root`, or None."""
    candidate = root.joinpath(*parts).resolve()
    if not candidate.is_relative_to(root) or not candidate.is_file():
        return None
    try:
        return candidate.read_bytes(), candidate.suffix
    except OSError:  # vanished or unreadable since it was found: as good as absent
        return None
