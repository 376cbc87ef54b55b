"""The httpx transport under the client: connect only to checked addresses, within a deadline.

Two guards live at the socket level, where no later step can bypass them:

- every connection resolves its host once, refuses addresses the AddressPolicy rejects, and
  connects to the checked IP itself (no second lookup a DNS rebinding could answer
  differently); TLS still uses the host name for SNI and certificate checks;
- every socket operation of a request is bounded by the request's total deadline, and a
  watchdog shuts the socket down when the deadline passes, so a server trickling headers or
  body one byte at a time cannot hold a worker longer than the deadline.
"""

from __future__ import annotations

import contextlib
import functools
import heapq
import itertools
import os
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import certifi
import httpcore

from stancewatch.ingest.guard import AddressPolicy
from stancewatch.ingest.httpx_library import httpx

Clock = Callable[[], float]


class Deadline:
    """The end of one request's time budget, and the stream currently working for it."""

    def __init__(self, at: float, clock: Clock, total: float) -> None:
        self.at = at
        self.clock = clock
        self.total = total
        self.expired = False
        self._stream: DeadlineStream | None = None
        self._lock = threading.Lock()

    def bound(self, timeout: float | None) -> float:
        """`timeout` shortened to what is left of the deadline; raises once it has passed."""
        remaining = self.at - self.clock()
        if self.expired or remaining <= 0:
            self.expired = True
            raise httpcore.ReadTimeout(f"total deadline of {self.total:g}s exceeded")
        return remaining if timeout is None else min(timeout, remaining)

    def attach(self, stream: DeadlineStream) -> None:
        with self._lock:
            self._stream = stream
        if self.expired:
            stream.abort()

    def expire(self) -> None:
        """The watchdog's call: cut the connection that is working for this request."""
        with self._lock:
            self.expired = True
            stream = self._stream
        if stream is not None:
            stream.abort()


class Watchdog:
    """One thread per process that expires each request's deadline when it passes.

    A thread per request (threading.Timer) cost a thread start and a handshake on every
    download; here a request only adds its deadline to a heap and takes it off when done.
    """

    def __init__(self) -> None:
        self._reset()
        # A child forked while the lock was held must not inherit it held (the thread is gone).
        os.register_at_fork(after_in_child=self._reset)

    def _reset(self) -> None:
        self._condition = threading.Condition()
        self._due: list[tuple[float, int, Deadline]] = []
        self._done: set[int] = set()
        self._numbers = itertools.count()
        self._thread: threading.Thread | None = None

    def watch(self, deadline: Deadline) -> int:
        """Expire `deadline` when it passes unless `release` is called first; a ticket."""
        due = time.monotonic() + max(0.0, deadline.at - deadline.clock())
        with self._condition:
            ticket = next(self._numbers)
            heapq.heappush(self._due, (due, ticket, deadline))
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._expire_when_due, name="fetch-deadlines", daemon=True
                )
                self._thread.start()
            elif self._due[0][1] == ticket:
                self._condition.notify()  # the earliest deadline changed
        return ticket

    def release(self, ticket: int) -> None:
        with self._condition:
            self._done.add(ticket)

    def _expire_when_due(self) -> None:
        with self._condition:
            while True:
                while self._due and self._due[0][1] in self._done:
                    self._done.discard(heapq.heappop(self._due)[1])
                if not self._due:
                    self._condition.wait()
                    continue
                due, _, deadline = self._due[0]
                left = due - time.monotonic()
                if left > 0:
                    self._condition.wait(left)
                    continue
                heapq.heappop(self._due)
                deadline.expire()


_watchdog = Watchdog()
_current = threading.local()


@contextmanager
def deadline_scope(deadline: Deadline) -> Iterator[Deadline]:
    """Bound every socket operation of this thread by `deadline`; a watchdog enforces it."""
    previous = getattr(_current, "deadline", None)
    _current.deadline = deadline
    ticket = _watchdog.watch(deadline)
    try:
        yield deadline
    finally:
        _watchdog.release(ticket)
        _current.deadline = previous


def _active_deadline() -> Deadline | None:
    deadline: Deadline | None = getattr(_current, "deadline", None)
    return deadline


class DeadlineStream(httpcore.NetworkStream):
    """A network stream whose reads and writes never outlast the current request's deadline."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def _bounded(self, timeout: float | None) -> float | None:
        deadline = _active_deadline()
        if deadline is None:
            return timeout
        deadline.attach(self)
        return deadline.bound(timeout)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        try:
            data = self._inner.read(max_bytes, self._bounded(timeout))
        except (httpcore.ReadTimeout, httpcore.ReadError):
            # The watchdog's shutdown can also surface as a reset connection.
            self._raise_if_expired()
            raise
        self._raise_if_expired()
        return data

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        try:
            self._inner.write(buffer, self._bounded(timeout))
        except (httpcore.WriteTimeout, httpcore.WriteError):
            self._raise_if_expired()
            raise
        self._raise_if_expired()

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        secured = self._inner.start_tls(ssl_context, server_hostname, self._bounded(timeout))
        return DeadlineStream(secured)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)

    def abort(self) -> None:
        """Shut the socket down from any thread: a blocked read returns at once."""
        sock = self._inner.get_extra_info("socket")
        if isinstance(sock, socket.socket):
            with contextlib.suppress(OSError):  # already closed or never connected
                sock.shutdown(socket.SHUT_RDWR)

    def _raise_if_expired(self) -> None:
        # A read cut short by the watchdog looks like the server closing the connection;
        # report it as what it is.
        deadline = _active_deadline()
        if deadline is not None and (deadline.expired or deadline.at <= deadline.clock()):
            deadline.expired = True
            raise httpcore.ReadTimeout(f"total deadline of {deadline.total:g}s exceeded")


class GuardedBackend(httpcore.NetworkBackend):
    """Resolves each host once, checks its addresses, and connects to a checked one."""

    def __init__(self, policy: AddressPolicy) -> None:
        self._policy = policy
        self._plain = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = self._policy.resolve(host, port)
        last_error: Exception | None = None
        for _family, address in addresses:
            deadline = _active_deadline()
            bounded = deadline.bound(timeout) if deadline else timeout
            try:
                # An IP literal: the system resolver is not asked again.
                stream = self._plain.connect_tcp(
                    address, port, bounded, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last_error = exc
                continue
            return DeadlineStream(stream)
        assert last_error is not None  # resolve() returns at least one address
        raise last_error

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("unix sockets are never used by the fetcher")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


@functools.cache
def _tls_context() -> ssl.SSLContext:
    # Loading the CA bundle costs ~50 ms of CPU per context, and a run opens a client per
    # batch: one context per process serves them all (an SSLContext is safe to share).
    return ssl.create_default_context(cafile=certifi.where())


def guarded_transport(policy: AddressPolicy, limits: httpx.Limits) -> httpx.HTTPTransport:
    """An httpx transport whose connections go through GuardedBackend.

    Proxies from the environment are ignored (trust_env=False): a proxy would do its own
    lookup of the host, out of reach of the address check.
    """
    context = _tls_context()
    transport = httpx.HTTPTransport(verify=context, limits=limits, trust_env=False)
    # httpx has no public hook for the network backend; its pool is rebuilt with ours
    # (httpx and httpcore are pinned in uv.lock, and tests exercise this path).
    transport._pool = httpcore.ConnectionPool(
        ssl_context=context,
        max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=limits.keepalive_expiry,
        network_backend=GuardedBackend(policy),
    )
    return transport
