"""The one settings object: defaults, overridden by STANCEWATCH_* environment variables."""

from __future__ import annotations

import getpass
import os
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

    # Pipeline
    max_articles_per_run: int = 500  # taken from the feeds in turn (round-robin)
    max_entries_per_feed_poll: int = 500  # new entries one feed may queue per poll
    max_fetch_attempts: int = 3  # runs that retry a page after a transient failure
    min_text_chars: int = 200
    batch_size: int = 50
    event_window_days: float = 30.0  # a move restated within this many days is the same event
    recheck_days: float = 3.0  # articles stored this recently are fetched again when edited
    reviewer: str = ""  # who confirms or dismisses events; default: the login name

    # Database
    db_busy_timeout: float = 5.0
    run_lock_wait: float = 0.0  # how long a run waits for another run on the same database

    # Scheduling
    interval_minutes: int = 15

    # Evaluation: where the real-article texts of eval/real/ sets are rebuilt (never committed)
    news_real_dir: Path = _user_cache_dir() / "stancewatch" / "news-real"

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


def _coerce(name: str, raw: str, default: object) -> object:
    try:
        if isinstance(default, bool):
            return raw.strip().lower() in {"1", "true", "yes", "on"}
        if isinstance(default, int):
            value: object = int(raw)
        elif isinstance(default, float):
            value = float(raw)
        elif isinstance(default, Path) or default is None:
            value = Path(raw).expanduser()
        else:
            value = raw
    except ValueError:
        raise ConfigError(f"environment variable {name}={raw!r} is not a valid value") from None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value < 0:
        raise ConfigError(f"environment variable {name}={raw!r} must not be negative")
    return value
