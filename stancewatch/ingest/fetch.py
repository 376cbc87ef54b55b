"""The only network module: one shared httpx client with limits, retries and an address policy."""

from __future__ import annotations

import email.utils
import random
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from http.cookiejar import CookieJar, DefaultCookiePolicy
from types import TracebackType
from urllib.parse import urljoin

from stancewatch.errors import (
    BlockedURLError,
    FetchError,
    FetchTimeoutError,
    HTTPStatusError,
    NameResolutionError,
    NetworkError,
    TooLargeError,
)
from stancewatch.ingest.charset import sniff_encoding
from stancewatch.ingest.decoding import ACCEPTED_CODINGS, BodyDecoder
from stancewatch.ingest.guard import AddressPolicy, check_url, strip_userinfo
from stancewatch.ingest.httpx_library import httpx
from stancewatch.ingest.transport import Deadline, deadline_scope, guarded_transport
from stancewatch.models import FetchResult
from stancewatch.settings import Settings

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5"
)
HTML_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
RETRY_STATUSES = frozenset({429, *range(500, 600)})
RETRY_AFTER_STATUSES = frozenset({429, 503})

Sleep = Callable[[float], None]
Clock = Callable[[], float]


class _RetryableFailure(Exception):
    """One attempt failed in a way that may succeed later; carries the error to raise if not."""

    def __init__(self, error: FetchError, retry_after: float | None = None) -> None:
        super().__init__(str(error))
        self.error = error
        self.retry_after = retry_after


class HttpClient:
    """One httpx client for the whole program; `get` is safe to call from many threads."""

    def __init__(
        self,
        settings: Settings,
        *,
        sleep: Sleep = time.sleep,
        clock: Clock = time.monotonic,
    ) -> None:
        self._settings = settings
        self._sleep = sleep
        self._clock = clock
        # random.Random is not documented as thread-safe; a lock keeps jitter draws sane.
        self._rng = random.Random()
        self._rng_lock = threading.Lock()
        workers = max(1, settings.fetch_workers)
        limits = httpx.Limits(max_connections=workers * 2, max_keepalive_connections=workers)
        self._client = httpx.Client(
            headers={
                "User-Agent": settings.user_agent,
                "Accept-Encoding": ", ".join(ACCEPTED_CODINGS),
            },
            # Cookies from one site must never leak into requests to another, and a shared
            # jar mutated by many threads is a hazard: accept none.
            cookies=CookieJar(policy=DefaultCookiePolicy(allowed_domains=[])),
            follow_redirects=False,  # followed by hand so every hop is checked and counted
            transport=guarded_transport(AddressPolicy.from_allowlist(settings.fetch_allow), limits),
            timeout=_timeout(settings, settings.total_deadline),
            trust_env=False,
        )

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str = HTML_ACCEPT,
    ) -> FetchResult:
        """Download `url` (following redirects, retrying transient failures).

        Returns a 2xx result with the whole body, or a 304 result with an empty body when the
        conditional headers matched. Everything else raises a FetchError subclass. Only
        public addresses (and those in settings.fetch_allow) are connected to, on every hop;
        credentials in the URL are dropped, never sent. The total deadline covers every
        hop and retry, headers and body alike.
        """
        url = strip_userinfo(url)
        check_url(url)
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        started = self._clock()
        deadline = started + self._settings.total_deadline
        retries_done = 0
        while True:
            try:
                result = self._attempt(url, headers, deadline)
            except _RetryableFailure as failure:
                if retries_done >= self._settings.retries:
                    raise _given_up(failure, retries_done + 1) from failure.__cause__
                delay = self._retry_delay(retries_done + 1, failure.retry_after)
                if delay >= deadline - self._clock():
                    # Waiting would use up the deadline, so report the real cause now.
                    raise _given_up(failure, retries_done + 1) from failure.__cause__
                retries_done += 1
                self._sleep(delay)
                continue
            return replace(result, elapsed=self._clock() - started)

    def _retry_delay(self, retry_number: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return retry_after
        ceiling = min(
            self._settings.backoff_max, self._settings.backoff_base * 2 ** (retry_number - 1)
        )
        with self._rng_lock:
            return self._rng.uniform(0.0, ceiling)  # full jitter spreads retries of many clients

    def _attempt(self, url: str, headers: dict[str, str], deadline: float) -> FetchResult:
        current = url
        for _hop in range(self._settings.max_redirects + 1):
            self._remaining(deadline, url)
            hop = Deadline(deadline, self._clock, self._settings.total_deadline)
            with deadline_scope(hop):
                response = self._send(url, current, headers, hop)
                try:
                    location = response.headers.get("location")
                    if response.status_code in REDIRECT_STATUSES and location:
                        current = strip_userinfo(urljoin(current, location.strip()))
                        try:
                            check_url(current)
                        except BlockedURLError as exc:
                            raise BlockedURLError(
                                f"redirect refused: {exc.message}", url=url
                            ) from None
                        continue
                    return self._finish(url, current, response, deadline)
                finally:
                    response.close()
        raise FetchError(
            f"too many redirects (more than {self._settings.max_redirects}); last hop to {current}",
            url=url,
        )

    def _send(
        self, url: str, current: str, headers: dict[str, str], hop: Deadline
    ) -> httpx.Response:
        where = "" if current == url else f" (redirected to {current})"
        try:
            request = self._client.build_request(
                "GET",
                current,
                headers=headers,
                timeout=_timeout(self._settings, hop.at - self._clock()),
            )
            return self._client.send(request, stream=True)
        except httpx.HTTPError as exc:
            raise _translate_transport_error(exc, url) from exc
        except (BlockedURLError, NameResolutionError) as exc:  # from the address policy
            raise type(exc)(f"{exc.message}{where}", url=url) from None
        except (httpx.InvalidURL, ValueError) as exc:
            # Control characters, over-long or invalid IDNA host labels: urlsplit accepts
            # them, httpx cannot encode them. No retry can help.
            raise BlockedURLError(
                f"malformed URL or redirect target{where}: {exc}", url=url
            ) from exc

    def _finish(
        self, url: str, final_url: str, response: httpx.Response, deadline: float
    ) -> FetchResult:
        status = response.status_code
        headers = {key.lower(): value for key, value in response.headers.items()}
        if status == 304:
            # No body, but the connection returns to the pool only once its (empty) body is
            # read: closed unread, every poll of an idle run paid for a new connection.
            response.read()
            return FetchResult(url=url, final_url=final_url, status=304, headers=headers, body=b"")
        if not 200 <= status < 300:
            where = "" if final_url == url else f" (redirected to {final_url})"
            error = HTTPStatusError(
                f"HTTP {status} {httpx.codes.get_reason_phrase(status)}".strip() + where,
                status=status,
                url=url,
            )
            if status not in RETRY_STATUSES:
                raise error
            retry_after = None
            if status in RETRY_AFTER_STATUSES:
                retry_after = parse_retry_after(response.headers.get("retry-after"))
                error.retry_after = retry_after
            raise _RetryableFailure(error, retry_after)
        body = self._read_body(url, response, deadline)
        return FetchResult(
            url=url,
            final_url=final_url,
            status=status,
            headers=headers,
            body=body,
            encoding=sniff_encoding(headers.get("content-type"), body),
        )

    def _read_body(self, url: str, response: httpx.Response, deadline: float) -> bytes:
        cap = self._settings.max_body_bytes
        declared = response.headers.get("content-length", "").strip()
        if declared.isdigit() and int(declared) > cap:
            raise TooLargeError(
                f"Content-Length {declared} exceeds the cap of {cap} bytes", url=url
            )
        decoder = BodyDecoder(response.headers.get("content-encoding"), cap, url=url)
        body = bytearray()
        try:
            # Raw bytes, decoded here under the cap: httpx would inflate without a limit.
            for chunk in response.iter_raw():
                body += decoder.feed(chunk)
                self._remaining(deadline, url)
        except httpx.HTTPError as exc:
            raise _translate_transport_error(exc, url) from exc
        return bytes(body)

    def _remaining(self, deadline: float, url: str) -> float:
        remaining = deadline - self._clock()
        if remaining <= 0:
            raise FetchTimeoutError(
                f"total deadline of {self._settings.total_deadline:g}s exceeded", url=url
            )
        return remaining


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date); None if absent."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    reference = now if now is not None else datetime.now(UTC)
    return max(0.0, (when - reference).total_seconds())


def _timeout(settings: Settings, remaining: float) -> httpx.Timeout:
    connect = min(settings.connect_timeout, remaining)
    read = min(settings.read_timeout, remaining)
    return httpx.Timeout(connect=connect, read=read, write=read, pool=connect)


def _given_up(failure: _RetryableFailure, attempts: int) -> FetchError:
    error = failure.error
    if attempts > 1:
        error.message = f"{error.message} (gave up after {attempts} attempts)"
        error.args = (error.message,)
    return error


def _translate_transport_error(exc: httpx.HTTPError, url: str) -> Exception:
    detail = str(exc) or type(exc).__name__
    if isinstance(exc, httpx.TimeoutException):
        return _RetryableFailure(
            FetchTimeoutError(f"timed out ({type(exc).__name__}): {detail}", url=url)
        )
    if isinstance(exc, httpx.UnsupportedProtocol):
        return BlockedURLError(f"unsupported protocol: {detail}", url=url)
    if isinstance(exc, httpx.TransportError) and not isinstance(exc, httpx.LocalProtocolError):
        return _RetryableFailure(NetworkError(f"{type(exc).__name__}: {detail}", url=url))
    # Bad gzip data, an invalid URL, and the like: retrying would give the same answer.
    return FetchError(f"{type(exc).__name__}: {detail}", url=url)
