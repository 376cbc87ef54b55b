"""Hostile servers for the fault tests: an "internal" host on 127.0.0.2 and a byte trickler."""

from __future__ import annotations

import gzip
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
