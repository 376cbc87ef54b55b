"""The one settings object: defaults, overridden by STANCEWATCH_* environment variables."""

from __future__ import annotations

import getpass
import ipaddress
import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from stancewatch import __version__
from stancewatch.errors import ConfigError

#: The checkout this package lives in; seeds/ and storage/ are found relative to it by default.
PROJECT_ROOT = Path(__file__).resolve().parent.parent

ENV_PREFIX = "STANCEWATCH_"


def _user_cache_dir() -> Path:
    """The user's cache folder: $XDG_CACHE_HOME, else ~/.cache."""
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    return Path(xdg) if xdg else Path.home() / ".cache"


@dataclass(frozen=True)
class Settings:
    """Everything configurable, in one place. Read at the edges (CLI, flows) and passed in."""

    seeds_dir: Path = PROJECT_ROOT / "seeds"
    feeds_file: Path | None = None  # default: <seeds_dir>/feeds.toml
    db_path: Path = PROJECT_ROOT / "storage" / "stancewatch.duckdb"

    # HTTP
    user_agent: str = f"stancewatch/{__version__} (+news position monitor)"
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_deadline: float = 60.0
    max_body_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    retries: int = 3
    backoff_base: float = 0.5
    backoff_max: float = 30.0
    fetch_workers: int = 8
    # Hosts or networks (CIDR) that may be fetched although they are not public addresses
    # (loopback, private, link-local, ...). Empty: only public addresses are fetched.
    fetch_allow: tuple[str, ...] = ()

    # Pipeline
    extract_workers: int = 0  # extraction processes; 0 = one per core
    extract_tasks_per_worker: int = 1000  # pages per worker before the pool is renewed
    max_articles_per_run: int = 5000  # taken from the feeds in turn (round-robin)
    max_entries_per_feed_poll: int = 500  # new entries one feed may queue per poll
    max_fetch_attempts: int = 3  # runs that retry a page after a transient failure
    min_text_chars: int = 200
    max_text_chars: int = 100_000  # feed summaries/contents and article text are cut here
    batch_size: int = 50
    event_window_days: float = 30.0  # a move restated within this many days is the same event
    recheck_days: float = 3.0  # articles stored this recently are fetched again when edited
    reviewer: str = ""  # who confirms or dismisses events; default: the login name

    # Feed health
    feed_backoff_base: float = 900.0  # seconds to wait after a feed's second failure in a row
    feed_backoff_max: float = 86_400.0  # the longest wait between polls of a failing feed
    feed_disable_after: int = 3  # hard failures in a row (DNS, not a feed, ...) that disable it

    # Database
    db_busy_timeout: float = 5.0
    run_lock_wait: float = 0.0  # how long a run waits for another run on the same database

    # Scheduling and orchestration (Prefect)
    interval_minutes: int = 15
    flow_timeout_seconds: float = 3600.0  # a monitor run still going after this is failed
    db_lock_wait_seconds: float = 600.0  # wait for another run writing the same database
    feed_failure_threshold: int = 3  # consecutive failures that make a feed "failed" (an event)
    task_runner: str = "default"  # "default" or "dask": where the CPU steps of a run execute
    dask_address: str = ""  # a Dask scheduler (tcp://host:8786); empty: a local cluster
    dask_chunk_pages: int = 10  # downloaded pages per extraction task on Dask

    # Evaluation: where the real-article texts of eval/real/ sets are rebuilt (never committed)
    news_real_dir: Path = _user_cache_dir() / "stancewatch" / "news-real"

    def __post_init__(self) -> None:
        for field in fields(self):
            problem = _limit_problem(field.name, getattr(self, field.name))
            if problem:
                raise ConfigError(f"setting {field.name}: {problem}")

    @property
    def timeline_path(self) -> Path:
        """Where runs keep the HTML timeline: beside the database (storage/<db>.timeline.html)."""
        return self.db_path.with_suffix(".timeline.html")

    @property
    def reviewer_name(self) -> str:
        """Who reviews events: the configured reviewer, else the login name."""
        return self.reviewer or getpass.getuser()

    @property
    def feed_list_path(self) -> Path:
        return self.feeds_file if self.feeds_file is not None else self.seeds_dir / "feeds.toml"

    def with_overrides(self, **changes: Any) -> Settings:
        """Return a copy with the given fields replaced (None values are ignored)."""
        given: dict[str, Any] = {k: v for k, v in changes.items() if v is not None}
        return replace(self, **given)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Build settings from defaults plus STANCEWATCH_<FIELD> variables.

        A malformed value raises ConfigError naming the variable, never a bare ValueError.
        """
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for field in fields(cls):
            name = ENV_PREFIX + field.name.upper()
            raw = env.get(name)
            if raw is None or raw == "":
                continue
            values[field.name] = _coerce(name, raw, field.default)
        return cls(**values)  # type: ignore[arg-type]


#: Limits that must be strictly positive; the other numbers may be zero (e.g. retries).
_POSITIVE = frozenset(
    {
        "connect_timeout", "read_timeout", "total_deadline", "max_body_bytes", "fetch_workers",
        "max_fetch_attempts", "batch_size", "interval_minutes", "max_text_chars",
        "feed_disable_after", "dask_chunk_pages",
    }
)  # fmt: skip
_HOST_NAME = re.compile(r"[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*\.?\Z")


def _limit_problem(name: str, value: object) -> str | None:
    """Why `value` is not acceptable for setting `name`, or None."""
    if name == "fetch_allow":
        if not isinstance(value, tuple):
            return f"must be a list of hosts or networks, got {value!r}"
        bad = ", ".join(repr(entry) for entry in value if not is_allow_entry(entry))
        return f"not a host name, address or CIDR network: {bad}" if bad else None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if not math.isfinite(value):
        return f"must be a finite number, got {value!r}"
    if name in _POSITIVE and value <= 0:
        return f"must be greater than 0, got {value!r}"
    if value < 0:
        return f"must not be negative, got {value!r}"
    return None


def is_allow_entry(entry: object) -> bool:
    """Whether `entry` is a host name, an IP address or a CIDR network."""
    if not isinstance(entry, str) or not entry:
        return False
    try:
        ipaddress.ip_network(entry, strict=False)
    except ValueError:
        return bool(_HOST_NAME.match(entry))
    return True


def _coerce(name: str, raw: str, default: object) -> object:
    try:
        if isinstance(default, tuple):
            value: object = tuple(part.strip() for part in raw.split(",") if part.strip())
        elif isinstance(default, bool):
            return raw.strip().lower() in {"1", "true", "yes", "on"}
        elif isinstance(default, int):
            value = int(raw)
        elif isinstance(default, float):
            value = float(raw)
        elif isinstance(default, Path) or default is None:
            value = Path(raw).expanduser()
        else:
            value = raw
    except ValueError:
        raise ConfigError(f"environment variable {name}={raw!r} is not a valid value") from None
    problem = _limit_problem(name.removeprefix(ENV_PREFIX).lower(), value)
    if problem:
        raise ConfigError(f"environment variable {name}={raw!r}: {problem}")
    return value
