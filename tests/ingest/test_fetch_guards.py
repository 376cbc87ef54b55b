"""The fetcher against hostile servers: internal hosts, credentials, trickling, stacked gzip."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytest_httpserver import HTTPServer

from stancewatch.errors import (
    BlockedURLError,
    ContentEncodingError,
    FetchTimeoutError,
    TooLargeError,
)
from stancewatch.ingest import HttpClient
from stancewatch.settings import Settings
from tests.conftest import LOOPBACK_ALLOW
from tests.hostile import (
    INTERNAL_HOST,
    TrickleServer,
    gzip_bomb,
    internal_server,
    slow_headers,
    stacked_gzip_bomb,
)


@pytest.fixture
def internal() -> Iterator[HTTPServer]:
    with internal_server() as server:
        yield server


@pytest.fixture
def client() -> Iterator[HttpClient]:
    settings = Settings(
        fetch_allow=LOOPBACK_ALLOW, retries=0, read_timeout=5, connect_timeout=2, total_deadline=1.5
    )
    with HttpClient(settings) as http:
        yield http


def internal_urls(internal: HTTPServer) -> list[str]:
    port = internal.port
    return [
        f"http://{INTERNAL_HOST}:{port}/secret",
        f"http://2130706434:{port}/secret",  # 127.0.0.2 as one decimal number
        f"http://0x7f000002:{port}/secret",
        f"http://127.2:{port}/secret",
        f"http://[::ffff:{INTERNAL_HOST}]:{port}/secret",
    ]


def test_internal_hosts_are_refused_in_every_spelling(
    internal: HTTPServer, client: HttpClient
) -> None:
    for url in internal_urls(internal):
        with pytest.raises(BlockedURLError, match="not a public address"):
            client.get(url)
    assert internal.log == []


@pytest.mark.parametrize("relative", [False, True])
def test_a_redirect_to_an_internal_host_is_refused(
    httpserver: HTTPServer, internal: HTTPServer, client: HttpClient, relative: bool
) -> None:
    target = f"//{INTERNAL_HOST}:{internal.port}/secret"
    httpserver.expect_request("/hop").respond_with_data(
        "", status=302, headers={"Location": target if relative else f"http:{target}"}
    )
    with pytest.raises(BlockedURLError, match="redirected to"):
        client.get(httpserver.url_for("/hop"))
    assert internal.log == []


@pytest.mark.parametrize("scheme", ["file:///etc/passwd", "javascript:alert(1)", "gopher://x/"])
def test_a_redirect_to_another_scheme_is_refused(
    httpserver: HTTPServer, client: HttpClient, scheme: str
) -> None:
    redirect = {"Location": scheme}
    httpserver.expect_request("/hop").respond_with_data("", status=302, headers=redirect)
    # httpx itself refuses some (it prepares the next request), the URL check the others.
    with pytest.raises(BlockedURLError, match="redirect"):
        client.get(httpserver.url_for("/hop"))


def test_credentials_in_a_link_are_never_sent(httpserver: HTTPServer, client: HttpClient) -> None:
    httpserver.expect_request("/page").respond_with_data("<p>ok</p>", content_type="text/html")
    url = httpserver.url_for("/page").replace("://", "://admin:hunter2@")
    result = client.get(url)
    (request, _) = httpserver.log[0]
    assert "Authorization" not in request.headers
    assert "hunter2" not in result.url and "hunter2" not in result.final_url


@pytest.mark.parametrize("where", ["headers", "body"])
def test_the_total_deadline_holds_while_bytes_trickle_in(client: HttpClient, where: str) -> None:
    # One byte every 50 ms never trips the 5 s read timeout; the 1.5 s deadline must.
    response = (
        slow_headers(200)
        if where == "headers"
        else b"HTTP/1.1 200 OK\r\nContent-Length: 200\r\n\r\n" + b"x" * 200
    )
    with TrickleServer(response, delay=0.05) as server, pytest.raises(FetchTimeoutError) as caught:
        client.get(server.url("/slow"))
    assert "deadline" in caught.value.message


def test_stacked_content_encoding_is_refused_before_inflating(
    httpserver: HTTPServer, client: HttpClient
) -> None:
    httpserver.expect_request("/bomb").respond_with_data(
        stacked_gzip_bomb(), headers={"Content-Encoding": "gzip, gzip"}, content_type="text/html"
    )
    with pytest.raises(ContentEncodingError, match="stacked"):
        client.get(httpserver.url_for("/bomb"))


def test_a_gzip_bomb_stops_at_the_body_cap(httpserver: HTTPServer, client: HttpClient) -> None:
    httpserver.expect_request("/bomb").respond_with_data(
        gzip_bomb(), headers={"Content-Encoding": "gzip"}, content_type="text/html"
    )
    with pytest.raises(TooLargeError, match="cap"):
        client.get(httpserver.url_for("/bomb"))
