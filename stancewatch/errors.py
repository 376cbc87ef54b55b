"""One exception hierarchy for stancewatch; every error carries the context it happened in."""

from __future__ import annotations


class StancewatchError(Exception):
    """Base of every error stancewatch raises on purpose.

    The CLI turns any of these into a one-line message and a non-zero exit code, so the
    message must make sense to a user without a traceback.
    """

    exit_code = 1

    def __init__(
        self,
        message: str,
        *,
        url: str | None = None,
        feed: str | None = None,
        file: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.url = url
        self.feed = feed
        self.file = file

    def __str__(self) -> str:
        where = [f"{k}={v}" for k, v in (("feed", self.feed), ("url", self.url)) if v]
        prefix = f"{self.file}: " if self.file else ""
        suffix = f" ({', '.join(where)})" if where else ""
        return f"{prefix}{self.message}{suffix}"


# --- fatal: configuration and seeds ------------------------------------------------------


class ConfigError(StancewatchError):
    """A settings value, feed list, watchlist, seed or overrides file is unusable."""

    exit_code = 2


class RunFailedError(StancewatchError):
    """A monitor run learnt nothing: every enabled feed failed. Carries the run's summary."""

    def __init__(self, message: str, summary: dict[str, object] | None = None) -> None:
        super().__init__(message)
        self.summary = dict(summary or {})

    def __reduce__(self) -> tuple[type[RunFailedError], tuple[str, dict[str, object]]]:
        # Prefect stores a failed run's exception as its result: keep the summary through pickle.
        return (type(self), (self.message, self.summary))


# --- fatal: the database ------------------------------------------------------------------


class DatabaseError(StancewatchError):
    """The DuckDB file cannot be used."""

    exit_code = 3


class DatabaseBusyError(DatabaseError):
    """Another process holds the DuckDB file open for writing."""


class RunLockedError(DatabaseBusyError):
    """Another monitor run holds the database's run lock."""


class DiskFullError(DatabaseError):
    """The database (or its read snapshot) could not be written for lack of space."""


class SchemaVersionError(DatabaseError):
    """The database was written by a newer stancewatch than this one."""


# --- per item: recorded, and the run goes on --------------------------------------------


class ItemError(StancewatchError):
    """A failure confined to one feed or one article; recorded with its stage."""

    stage = "unknown"


class FetchError(ItemError):
    """Downloading a URL failed."""

    stage = "fetch"


class NetworkError(FetchError):
    """Connection refused, reset, DNS failure or a similar transport problem."""


class NameResolutionError(NetworkError):
    """The host name could not be resolved (DNS)."""


class FetchTimeoutError(FetchError):
    """A connect/read timeout or the total deadline expired."""


class HTTPStatusError(FetchError):
    """The server answered with an error status."""

    def __init__(
        self,
        message: str,
        *,
        status: int,
        retry_after: float | None = None,
        **context: str | None,
    ) -> None:
        super().__init__(message, **context)
        self.status = status
        self.retry_after = retry_after  # seconds the server asked us to wait, if it did


class TooLargeError(FetchError):
    """The body exceeded the configured size cap."""


class BlockedURLError(FetchError):
    """The URL's scheme or target is not allowed (only http(s) to public addresses)."""


class ContentEncodingError(FetchError):
    """The body's Content-Encoding is unsupported, stacked, or its data is corrupt."""


class FeedParseError(ItemError):
    """A feed body could not be parsed into any entries."""

    stage = "parse"


class ExtractError(ItemError):
    """No article text could be obtained from a page or its feed entry."""

    stage = "extract"
