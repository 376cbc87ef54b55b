"""A seed document's date and source: from front matter at its top or a sidecar TOML file."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from stancewatch.errors import ConfigError

_KEYS = ("date", "source")
_FENCE = re.compile(r"\A\ufeff?---[ \t]*\r?\n(?P<body>.*?)^---[ \t]*(?:\r?\n|\Z)", re.S | re.M)
_LINE = re.compile(r"^(?P<key>[A-Za-z_]+)\s*:\s*(?P<value>.*?)\s*$")


@dataclass(frozen=True)
class SeedMeta:
    """When and where a seed document was published, as its author declared it."""

    date: date | None = None
    source: str | None = None


def split_front_matter(text: str, file: Path) -> tuple[SeedMeta | None, str]:
    """(metadata, the text without it) for a text that opens with a `---` block, else (None,
    text). Lines in the block are `key: value`; known keys are date (YYYY-MM-DD) and source."""
    match = _FENCE.match(text)
    if match is None:
        return None, text
    values: dict[str, Any] = {}
    for number, line in enumerate(match.group("body").splitlines(), start=2):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parsed = _LINE.match(line)
        if parsed is None:
            raise ConfigError(f"front matter line {number}: expected 'key: value'", file=str(file))
        values[parsed.group("key").lower()] = parsed.group("value").strip("\"'")
    return _meta(values, file, "front matter"), text[match.end() :]


def read_sidecar(path: Path) -> SeedMeta | None:
    """The metadata in `<seed>.toml` beside a seed document, if that file exists."""
    if not path.is_file():
        return None
    try:
        values = tomllib.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"invalid TOML: {exc}", file=str(path)) from None
    return _meta(values, path, "sidecar")


def _meta(values: dict[str, Any], file: Path, where: str) -> SeedMeta:
    unknown = sorted(set(values) - set(_KEYS))
    if unknown:
        raise ConfigError(
            f"{where}: unknown key(s) {', '.join(unknown)}; expected {' and '.join(_KEYS)}",
            file=str(file),
        )
    raw_date = values.get("date")
    when: date | None
    if isinstance(raw_date, datetime):
        when = raw_date.date()
    elif raw_date is None or isinstance(raw_date, date):
        when = raw_date
    else:
        try:
            when = date.fromisoformat(str(raw_date))
        except ValueError:
            raise ConfigError(
                f"{where}: 'date' must be a date like 2024-02-07, not {raw_date!r}", file=str(file)
            ) from None
    source = values.get("source")
    if source is not None and (not isinstance(source, str) or not source.strip()):
        raise ConfigError(f"{where}: 'source' must be a non-empty string", file=str(file))
    return SeedMeta(when, source.strip() if source else None)
