"""Tests for stancewatch.ingest.fetch against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import gzip
import socket
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from stancewatch.errors import (
    BlockedURLError,
    FetchError,
    FetchTimeoutError,
    HTTPStatusError,
    NetworkError,
    TooLargeError,
)
from stancewatch.ingest.charset import decode_text, sniff_encoding
from stancewatch.ingest.fetch import (
    FEED_ACCEPT,
    HTML_ACCEPT,
    HttpClient,
    parse_retry_after,
)
from stancewatch.models import FetchResult
from stancewatch.settings import Settings
from tests.conftest import LOOPBACK_ALLOW


class SleepRecorder:
    """Stands in for time.sleep: records each requested wait and moves a virtual clock on."""

    def __init__(self) -> None:
        self.calls: list[float] = []
        self.offset = 0.0

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)
        self.offset += seconds

    def clock(self) -> float:
        return time.monotonic() + self.offset


@pytest.fixture
def sleeps() -> SleepRecorder:
    return SleepRecorder()


@pytest.fixture
def make_client(sleeps: SleepRecorder) -> Iterator[Callable[..., HttpClient]]:
    clients: list[HttpClient] = []

    def build(**overrides: object) -> HttpClient:
        values = {"retries": 2, "backoff_base": 0.5, "fetch_allow": LOOPBACK_ALLOW, **overrides}
        settings = Settings(**values)  # type: ignore[arg-type]
        client = HttpClient(settings, sleep=sleeps, clock=sleeps.clock)
        clients.append(client)
        return client

    yield build
    for client in clients:
        client.close()


def requests_seen(server: HTTPServer, path: str) -> list[Request]:
    return [request for request, _ in server.log if request.path == path]


# --- success, headers, conditional GET ----------------------------------------------------


def test_get_sends_user_agent_accept_and_gzip_and_lowercases_headers(
    httpserver: HTTPServer, make_client: Callable[..., HttpClient]
) -> None:
    httpserver.expect_request("/page").respond_with_data(
        "<p>hi</p>", content_type="text/html; charset=utf-8", headers={"X-Custom": "Yes"}
    )
    settings_ua = Settings().user_agent
    result = make_client().get(httpserver.url_for("/page"))

    (request,) = requests_seen(httpserver, "/page")
    assert request.headers["User-Agent"] == settings_ua
    assert "stancewatch/" in request.headers["User-Agent"]
    assert request.headers["Accept"] == HTML_ACCEPT
    assert request.headers["Accept-Encoding"] == "gzip, deflate"
    assert result.status == 200
    assert result.body == b"<p>hi</p>"
    assert result.headers["x-custom"] == "Yes"
    assert all(key == key.lower() for key in result.headers)
    assert result.encoding == "utf-8"
    assert result.final_url == result.url == httpserver.url_for("/page")
    assert result.elapsed >= 0


def test_feed_accept_header_is_sent_when_asked(
    httpserver: HTTPServer, make_client: Callable[..., HttpClient]
) -> None:
    httpserver.expect_request("/feed").respond_with_data("<rss/>", content_type="text/xml")
    make_client().get(httpserver.url_for("/feed"), accept=FEED_ACCEPT)
    (request,) = requests_seen(httpserver, "/feed")
    assert request.headers["Accept"] == FEED_ACCEPT
    assert "application/rss+xml" in FEED_ACCEPT


def test_conditional_get_returns_304_with_empty_body(
    httpserver: HTTPServer, make_client: Callable[..., HttpClient]
) -> None:
    etag = '"v42"'
    modified = "Wed, 07 Feb 2024 10:00:00 GMT"
    httpserver.expect_request(
        "/feed", headers={"If-None-Match": etag, "If-Modified-Since": modified}
    ).respond_with_data("", status=304, headers={"ETag": etag})
    result = make_client().get(httpserver.url_for("/feed"), etag=etag, last_modified=modified)

    (request,) = requests_seen(httpserver, "/feed")
    assert request.headers["If-None-Match"] == etag
    assert request.headers["If-Modified-Since"] == modified
    assert result.status == 304
    assert result.not_modified
    assert result.body == b""
    assert result.headers["etag"] == etag


def test_plain_get_sends_no_conditional_headers(
    httpserver: HTTPServer, make_client: Callable[..., HttpClient]
) -> None:
    httpserver.expect_request("/feed").respond_with_data("x")
    make_client().get(httpserver.url_for("/feed"))
    (request,) = requests_seen(httpserver, "/feed")
    assert "If-None-Match" not in request.headers
    assert "If-Modified-Since" not in request.headers


def test_gzip_body_is_decompressed(
    httpserver: HTTPServer, make_client: Callable[..., HttpClient]
) -> None:
    text = b"<html><body>" + b"compressible " * 500 + b"</body></html>"
    httpserver.expect_request("/gz").respond_with_data(
        gzip.compress(text), headers={"Content-Encoding": "gzip"}, content_type="text/html"
    )
    assert make_client().get(httpserver.url_for("/gz")).body == text


def test_cookies_are_never_sent_back(
    httpserver: HTTPServer, make_client: Callable[..., HttpClient]
) -> None:
    httpserver.expect_request("/set").respond_with_data(
        "ok", headers={"Set-Cookie": "session=abc; Path=/"}
    )
    httpserver.expect_request("/check").respond_with_data("ok")
    client = make_client()
    client.get(httpserver.url_for("/set"))
    client.get(httpserver.url_for("/check"))
    (request,) = requests_seen(httpserver, "/check")
    assert "Cookie" not in request.headers


def test_concurrent_gets_share_one_client(
    httpserver: HTTPServer, make_client: Callable[..., HttpClient]
) -> None:
    for number in range(12):
        httpserver.expect_request(f"/item/{number}").respond_with_data(f"body {number}")
    client = make_client()
    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(lambda n: client.get(httpserver.url_for(f"/item/{n}")), range(12)))
    assert [result.body for result in results] == [f"body {n}".encode() for n in range(12)]


# --- charset --------------------------------------------------------------------------------


def test_charset_from_content_type_header(
    httpserver: HTTPServer, make_client: Callable[..., HttpClient]
) -> None:
    body = "Caf\u00e9 \u2019talks\u2019".encode("cp1252")
    httpserver.expect_request("/latin").respond_with_data(
        body, content_type="text/html; charset=ISO-8859-1"
    )
    result = make_client().get(httpserver.url_for("/latin"))
    assert result.encoding == "iso8859-1"
    # Like browsers, latin-1 labels are read as windows-1252, so curly quotes survive.
    assert decode_text(result.body, result.encoding) == "Caf\u00e9 \u2019talks\u2019"


def test_charset_from_meta_tag(
    httpserver: HTTPServer, make_client: Callable[..., HttpClient]
) -> None:
    text = '<html><head><meta charset="windows-1251"><title>Переговоры</title></head></html>'
    httpserver.expect_request("/ru").respond_with_data(
        text.encode("cp1251"), content_type="text/html"
    )
    result = make_client().get(httpserver.url_for("/ru"))
    assert result.encoding == "cp1251"
    assert "Переговоры" in decode_text(result.body, result.encoding)


def test_charset_from_http_equiv_meta_and_xml_declaration() -> None:
    http_equiv = (
        b'<html><head><meta http-equiv="Content-Type" '
        b'content="text/html; charset=Shift_JIS"></head></html>'
    )
    assert sniff_encoding("text/html", http_equiv) == "shift_jis"
    greek = '<?xml version="1.0" encoding="ISO-8859-7"?><rss><title>Ειρήνη</title></rss>'
    result = FetchResult(
        url="http://x/",
        final_url="http://x/",
        status=200,
        headers={"content-type": "application/xml"},
        body=greek.encode("iso8859-7"),
        encoding=sniff_encoding("application/xml", greek.encode("iso8859-7")),
    )
    assert result.encoding == "iso8859-7"
    assert "Ειρήνη" in decode_text(result.body, result.encoding)


def test_header_charset_wins_over_meta_and_unknown_labels_are_ignored() -> None:
    body = b'<meta charset="koi8-r"><p>x</p>'
    assert sniff_encoding("text/html; charset=utf-8", body) == "utf-8"
    assert sniff_encoding("text/html; charset=x-no-such-codec", body) == "koi8-r"
    assert sniff_encoding("text/html; charset=x-no-such-codec", b"<p>x</p>") is None
    # A declaration we could read as ASCII cannot be true UTF-16.
    assert sniff_encoding(None, b'<meta charset="utf-16"><p>x</p>') == "utf-8"
    assert sniff_encoding(None, "\ufeff<p>x</p>".encode("utf-16")) == "utf-16"


def test_meta_charset_beyond_the_sniff_window_is_not_used() -> None:
    body = b"<html><head>" + b" " * 5000 + b'<meta charset="koi8-r"></head></html>'
    assert sniff_encoding("text/html", body) is None


def test_undecodable_bytes_decode_without_exception(
    httpserver: HTTPServer, make_client: Callable[..., HttpClient]
) -> None:
    # Declared UTF-8 but really cp1252: the declaration is wrong, the text must still come out.
    httpserver.expect_request("/liar").respond_with_data(
        b"\x93Caf\xe9\x94 \x81\x8d", content_type="text/html; charset=utf-8"
    )
    result = make_client().get(httpserver.url_for("/liar"))
    text = decode_text(result.body, result.encoding)
    assert text.startswith("\u201cCaf\u00e9\u201d")


def test_mostly_utf8_with_one_bad_byte_stays_utf8() -> None:
    body = "Négociations à Doha — cessez-le-feu".encode() + b"\xff"
    result = FetchResult(url="u", final_url="u", status=200, headers={}, body=body)
    text = decode_text(result.body, result.encoding)
    assert text.startswith("Négociations à Doha — cessez-le-feu")
    assert text.endswith("\ufffd")


# --- retries ----------------------------------------------------------------------------------


def test_500_is_retried_then_succeeds(
    httpserver: HTTPServer, make_client: Callable[..., HttpClient], sleeps: SleepRecorder
) -> None:
    httpserver.expect_oneshot_request("/flaky").respond_with_data("down", status=500)
    httpserver.expect_oneshot_request("/flaky").respond_with_data("down", status=502)
    httpserver.expect_request("/flaky").respond_with_data("finally")
    result = make_client(retries=3, backoff_base=0.5, backoff_max=0.75).get(
        httpserver.url_for("/flaky")
    )
    assert result.body == b"finally"
    assert len(requests_seen(httpserver, "/flaky")) == 3
    assert len(sleeps.calls) == 2
    # Full jitter: each wait lies in [0, min(cap, base * 2**n)].
    assert 0 <= sleeps.calls[0] <= 0.5
    assert 0 <= sleeps.calls[1] <= 0.75


def test_500_exhausted_raises_status_error(
    httpserver: HTTPServer, make_client: Callable[..., HttpClient], sleeps: SleepRecorder
) -> None:
    httpserver.expect_request("/down").respond_with_data("down", status=503)
    url = httpserver.url_for("/down")
    with pytest.raises(HTTPStatusError) as caught:
        make_client(retries=2).get(url)
    assert caught.value.status == 503
    assert caught.value.url == url
    assert "HTTP 503 Service Unavailable" in str(caught.value)
    assert "gave up after 3 attempts" in str(caught.value)
    assert len(requests_seen(httpserver, "/down")) == 3
    assert len(sleeps.calls) == 2


def test_404_is_not_retried(
    httpserver: HTTPServer, make_client: Callable[..., HttpClient], sleeps: SleepRecorder
) -> None:
    httpserver.expect_request("/missing").respond_with_data("nope", status=404)
    with pytest.raises(HTTPStatusError) as caught:
        make_client(retries=3).get(httpserver.url_for("/missing"))
    assert caught.value.status == 404
    assert "HTTP 404 Not Found" in str(caught.value)
    assert "attempts" not in str(caught.value)
    assert len(requests_seen(httpserver, "/missing")) == 1
    assert sleeps.calls == []


def test_429_retry_after_seconds_is_honoured(
    httpserver: HTTPServer, make_client: Callable[..., HttpClient], sleeps: SleepRecorder
) -> None:
    httpserver.expect_oneshot_request("/busy").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "7"}
    )
    httpserver.expect_request("/busy").respond_with_data("ok")
    result = make_client(retries=1).get(httpserver.url_for("/busy"))
    assert result.body == b"ok"
    assert sleeps.calls == [7.0]


def test_retry_after_beyond_the_deadline_gives_up_at_once(
    httpserver: HTTPServer, make_client: Callable[..., HttpClient], sleeps: SleepRecorder
) -> None:
    httpserver.expect_request("/busy").respond_with_data(
        "later", status=429, headers={"Retry-After": "120"}
    )
    with pytest.raises(HTTPStatusError) as caught:
        make_client(retries=3, total_deadline=30.0).get(httpserver.url_for("/busy"))
    assert caught.value.status == 429
    assert sleeps.calls == []
    assert len(requests_seen(httpserver, "/busy")) == 1


def test_total_deadline_bounds_the_retries(
    httpserver: HTTPServer, make_client: Callable[..., HttpClient], sleeps: SleepRecorder
) -> None:
    httpserver.expect_request("/busy").respond_with_data(
        "later", status=503, headers={"Retry-After": "3"}
    )
    with pytest.raises(HTTPStatusError):
        make_client(retries=50, total_deadline=10.0).get(httpserver.url_for("/busy"))
    # Attempts at virtual t=0, 3, 6, 9; a fifth would start after the 10 s deadline.
    assert sleeps.calls == [3.0, 3.0, 3.0]
    assert len(requests_seen(httpserver, "/busy")) == 4


def test_parse_retry_after_accepts_seconds_and_http_dates() -> None:
    now = datetime(2024, 2, 7, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("30", now=now) == 30.0
    assert parse_retry_after("Wed, 07 Feb 2024 12:01:30 GMT", now=now) == 90.0
    assert parse_retry_after("Wed, 07 Feb 2024 11:00:00 GMT", now=now) == 0.0
    assert parse_retry_after("soon", now=now) is None
    assert parse_retry_after(None) is None


def test_connection_refused_is_a_network_error_after_retries(
    make_client: Callable[..., HttpClient], sleeps: SleepRecorder
) -> None:
    # Bound but not listening: connections are refused, and no one else can take the port.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}/feed"
        with pytest.raises(NetworkError) as caught:
            make_client(retries=1).get(url)
    assert caught.value.url == url
    assert len(sleeps.calls) == 1


def test_slow_server_raises_timeout(
    httpserver: HTTPServer, make_client: Callable[..., HttpClient], sleeps: SleepRecorder
) -> None:
    def slow(_request: Request) -> Response:
        time.sleep(0.5)
        return Response("too late")

    httpserver.expect_request("/slow").respond_with_handler(slow)
    with pytest.raises(FetchTimeoutError) as caught:
        make_client(retries=1, read_timeout=0.05).get(httpserver.url_for("/slow"))
    assert caught.value.url == httpserver.url_for("/slow")
    assert len(sleeps.calls) == 1  # a timeout is transient, so it was retried once


def test_deadline_passing_while_the_body_streams_raises_timeout(
    httpserver: HTTPServer, make_client: Callable[..., HttpClient], sleeps: SleepRecorder
) -> None:
    def dripping(_request: Request) -> Response:
        def chunks() -> Iterator[bytes]:
            for _ in range(5):
                sleeps.offset += 100.0  # the virtual clock jumps past the deadline
                yield b"x" * 1000

        return Response(chunks(), content_type="text/html")

    httpserver.expect_request("/drip").respond_with_handler(dripping)
    with pytest.raises(FetchTimeoutError, match="deadline"):
        make_client(total_deadline=60.0).get(httpserver.url_for("/drip"))


# --- size caps and redirects ----------------------------------------------------------------


def test_content_length_over_the_cap_is_rejected_early(
    httpserver: HTTPServer, make_client: Callable[..., HttpClient], sleeps: SleepRecorder
) -> None:
    httpserver.expect_request("/big").respond_with_data(b"x" * 5000)
    with pytest.raises(TooLargeError, match="Content-Length 5000"):
        make_client(max_body_bytes=1000).get(httpserver.url_for("/big"))
    assert sleeps.calls == []


def test_streamed_body_without_length_over_the_cap_is_aborted(
    httpserver: HTTPServer, make_client: Callable[..., HttpClient]
) -> None:
    def endless(_request: Request) -> Response:
        def chunks() -> Iterator[bytes]:
            for _ in range(200):
                yield b"y" * 1024

        return Response(chunks(), content_type="text/html")

    httpserver.expect_request("/stream").respond_with_handler(endless)
    with pytest.raises(TooLargeError, match="cap of 4096"):
        make_client(max_body_bytes=4096).get(httpserver.url_for("/stream"))
    (_, response) = httpserver.log[-1]
    assert "Content-Length" not in response.headers


def test_gzip_bomb_is_capped_on_decompressed_size(
    httpserver: HTTPServer, make_client: Callable[..., HttpClient]
) -> None:
    bomb = gzip.compress(b"\0" * 200_000)
    assert len(bomb) < 10_000
    httpserver.expect_request("/bomb").respond_with_data(bomb, headers={"Content-Encoding": "gzip"})
    with pytest.raises(TooLargeError):
        make_client(max_body_bytes=10_000).get(httpserver.url_for("/bomb"))


def _redirect_chain(server: HTTPServer, hops: int) -> None:
    for number in range(hops):
        server.expect_request(f"/r{number}").respond_with_data(
            "", status=302, headers={"Location": f"/r{number + 1}"}
        )
    server.expect_request(f"/r{hops}").respond_with_data("arrived")


def test_redirects_within_the_limit_are_followed(
    httpserver: HTTPServer, make_client: Callable[..., HttpClient]
) -> None:
    _redirect_chain(httpserver, 3)
    result = make_client(max_redirects=3).get(httpserver.url_for("/r0"))
    assert result.body == b"arrived"
    assert result.url == httpserver.url_for("/r0")
    assert result.final_url == httpserver.url_for("/r3")


def test_redirect_chain_over_the_limit_fails(
    httpserver: HTTPServer, make_client: Callable[..., HttpClient], sleeps: SleepRecorder
) -> None:
    _redirect_chain(httpserver, 3)
    with pytest.raises(FetchError, match="too many redirects") as caught:
        make_client(max_redirects=2).get(httpserver.url_for("/r0"))
    assert caught.value.url == httpserver.url_for("/r0")
    assert requests_seen(httpserver, "/r3") == []
    assert sleeps.calls == []


def test_redirect_to_a_file_url_is_blocked(
    httpserver: HTTPServer, make_client: Callable[..., HttpClient]
) -> None:
    httpserver.expect_request("/sneaky").respond_with_data(
        "", status=301, headers={"Location": "file:///etc/passwd"}
    )
    with pytest.raises(BlockedURLError, match="file"):
        make_client().get(httpserver.url_for("/sneaky"))


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "ftp://example.com/feed", "javascript:alert(1)", "http:///path", "feed"],
)
def test_non_http_urls_are_refused_before_any_io(
    url: str, make_client: Callable[..., HttpClient], sleeps: SleepRecorder
) -> None:
    with pytest.raises(BlockedURLError) as caught:
        make_client().get(url)
    assert caught.value.url == url
    assert sleeps.calls == []


@pytest.mark.parametrize(
    "url",
    [
        "http://exa\tmple.com/",
        "http://exa\x00mple.com/",
        "http://xn--/",
        "http://" + "a" * 70 + ".com/",
    ],
)
def test_urls_httpx_cannot_encode_are_blocked_not_raw_exceptions(
    url: str, make_client: Callable[..., HttpClient], sleeps: SleepRecorder
) -> None:
    with pytest.raises(BlockedURLError, match="malformed URL") as caught:
        make_client().get(url)
    assert caught.value.url == url
    assert sleeps.calls == []


def test_redirect_to_a_malformed_url_is_blocked(
    httpserver: HTTPServer, make_client: Callable[..., HttpClient]
) -> None:
    httpserver.expect_request("/odd").respond_with_data(
        "", status=302, headers={"Location": "http://xn--/next"}
    )
    with pytest.raises(BlockedURLError, match="malformed URL"):
        make_client().get(httpserver.url_for("/odd"))


def test_client_is_a_context_manager(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/once").respond_with_data("ok")
    with HttpClient(Settings(fetch_allow=LOOPBACK_ALLOW)) as client:
        assert client.get(httpserver.url_for("/once")).body == b"ok"
    with pytest.raises(RuntimeError):
        client.get(httpserver.url_for("/once"))


# --- connection reuse ------------------------------------------------------------------------


class CountingFeedServer(ThreadingHTTPServer):
    """HTTP/1.1 with keep-alive on 127.0.0.1: a feed that answers 304 to its ETag, counting the
    TCP connections it accepted."""

    daemon_threads = True

    def __init__(self) -> None:
        self.connections = 0
        super().__init__(("127.0.0.1", 0), _CountingHandler)

    def get_request(self) -> tuple[socket.socket, Any]:
        self.connections += 1
        return super().get_request()


class _CountingHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        if self.headers.get("If-None-Match") == '"v1"':
            self.send_response(304)
            self.send_header("ETag", '"v1"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = b"<rss version='2.0'><channel><title>t</title></channel></rss>"
        self.send_response(200)
        self.send_header("ETag", '"v1"')
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        return


def test_not_modified_answers_keep_the_connection_for_the_next_poll(
    make_client: Callable[..., HttpClient],
) -> None:
    server = CountingFeedServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        client = make_client()
        base = f"http://127.0.0.1:{server.server_address[1]}"
        assert client.get(f"{base}/feed/0.xml", accept=FEED_ACCEPT).status == 200
        statuses = {client.get(f"{base}/feed/{n}.xml", etag='"v1"').status for n in range(20)}
    finally:
        server.shutdown()
        server.server_close()
    assert statuses == {304}
    assert server.connections == 1  # one keep-alive connection, not one per poll
