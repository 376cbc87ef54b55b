"""The feed list: load and validate the user's feeds file into FeedConfig records."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urljoin

from stancewatch.errors import ConfigError
from stancewatch.ingest.urls import is_http_url
from stancewatch.models import FeedConfig

FEED_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*\Z")
_FEED_KEYS = frozenset({"id", "url", "title", "tags", "enabled"})
_TOP_LEVEL_KEYS = frozenset({"feeds", "base_url"})


def disabled_feeds_warning(feeds: Sequence[FeedConfig], path: Path) -> str | None:
    """One line when a feed list would poll nothing: every feed has `enabled = false`."""
    if feeds and not any(feed.enabled for feed in feeds):
        return f"{path}: every feed is disabled (enabled = false); nothing will be polled"
    return None


def load_feed_list(path: Path) -> list[FeedConfig]:
    """Read and validate a feeds TOML file of `[[feeds]]` tables (plus optional `base_url`).

    Any problem raises ConfigError naming the file, the feed (#index and id) and the fault.
    """
    file = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError("feed list not found", file=file) from None
    except OSError as exc:
        raise ConfigError(f"cannot read feed list: {exc.strerror or exc}", file=file) from None
    try:
        document = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError("feed list is not valid UTF-8", file=file) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML: {exc}", file=file) from None

    unknown = sorted(set(document) - _TOP_LEVEL_KEYS)
    if unknown:
        raise ConfigError(
            f"unknown top-level key(s) {', '.join(unknown)}; expected [[feeds]] and base_url",
            file=file,
        )
    base_url = document.get("base_url")
    if base_url is not None and not (isinstance(base_url, str) and is_http_url(base_url)):
        raise ConfigError(f"base_url must be an absolute http(s) URL, got {base_url!r}", file=file)
    tables = document.get("feeds")
    if tables is None:
        raise ConfigError("no [[feeds]] tables", file=file)
    if not isinstance(tables, list):
        raise ConfigError("'feeds' must be an array of tables ([[feeds]])", file=file)

    feeds: list[FeedConfig] = []
    first_index: dict[str, int] = {}
    for number, table in enumerate(tables, start=1):
        feed = _feed_from_table(table, number, base_url, file)
        if feed.id in first_index:
            raise ConfigError(
                f"feed #{number} ({feed.id!r}): duplicate id, first used by feed "
                f"#{first_index[feed.id]}",
                file=file,
                feed=feed.id,
            )
        first_index[feed.id] = number
        feeds.append(feed)
    return feeds


def _feed_from_table(table: object, number: int, base_url: str | None, file: str) -> FeedConfig:
    if not isinstance(table, dict):
        raise ConfigError(f"feed #{number}: must be a table, got {table!r}", file=file)
    feed_id = table.get("id")
    where = f"feed #{number}" + (f" ({feed_id!r})" if isinstance(feed_id, str) else "")

    def fail(problem: str) -> ConfigError:
        return ConfigError(f"{where}: {problem}", file=file, feed=_str_or_none(feed_id))

    unknown = sorted(set(table) - _FEED_KEYS)
    if unknown:
        raise fail(f"unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(_FEED_KEYS))}")
    if feed_id is None:
        raise fail("missing 'id'")
    if not isinstance(feed_id, str) or not FEED_ID_PATTERN.match(feed_id):
        raise fail(f"'id' must be a string of letters, digits, '_', '.', '-' (got {feed_id!r})")
    url = table.get("url")
    if url is None:
        raise fail("missing 'url'")
    if not isinstance(url, str) or not url.strip():
        raise fail(f"'url' must be a non-empty string (got {url!r})")
    resolved = urljoin(base_url, url.strip()) if base_url else url.strip()
    if not is_http_url(resolved):
        hint = "" if base_url else " (relative URLs need a top-level base_url)"
        raise fail(f"'url' must be an http(s) URL, got {url!r}{hint}")
    title = table.get("title")
    if title is not None and not isinstance(title, str):
        raise fail(f"'title' must be a string (got {title!r})")
    tags = table.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        raise fail(f"'tags' must be a list of strings (got {tags!r})")
    enabled = table.get("enabled", True)
    if not isinstance(enabled, bool):
        raise fail(f"'enabled' must be true or false (got {enabled!r})")
    return FeedConfig(id=feed_id, url=resolved, title=title, tags=tuple(tags), enabled=enabled)


def _str_or_none(value: object) -> str | None:
    return value if isinstance(value, str) else None
