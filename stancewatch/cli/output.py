"""Shared pieces of the command line: consoles, options, error guard and table output."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from stancewatch import report, store
from stancewatch.cli.coercion import use_plain_coercion
from stancewatch.cli.consoles import err, out, styled
from stancewatch.errors import ConfigError, StancewatchError
from stancewatch.safe_text import json_document, terminal_line
from stancewatch.settings import Settings

if TYPE_CHECKING:
    import duckdb

# The CLI may start Prefect; it must not try to reach the internet with usage reports.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")


LONG_TEXT_COLUMNS = frozenset(
    {"title", "evidence", "text", "baseline_text", "url", "message", "last_error", "last_warning"}
)


class GuardedGroup(TyperGroup):
    """Turns our errors into one-line messages on stderr instead of tracebacks, and converts
    option values without pydantic (see cli/coercion.py)."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        use_plain_coercion(self.get_params(ctx))
        return super().parse_args(ctx, args)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            use_plain_coercion(command.get_params(ctx))
        return command

    def invoke(self, ctx: Any) -> Any:  # typer's Context type lives in a private module
        try:
            return super().invoke(ctx)
        except StancewatchError as exc:
            err.print(styled("error:", "bold red"), terminal_line(str(exc)))
            raise typer.Exit(exc.exit_code) from None


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


SeedsOpt = Annotated[
    Path | None, typer.Option("--seeds", help="Seeds directory (watchlist, baseline/).")
]
FeedsOpt = Annotated[Path | None, typer.Option("--feeds", help="Feed list (TOML).")]
DbOpt = Annotated[Path | None, typer.Option("--db", help="DuckDB file.")]
LiveOpt = Annotated[
    bool,
    typer.Option(
        "--live",
        help="Read the database file itself instead of its read snapshot "
        "(waits while a run writes).",
    ),
]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]


def read_db(
    settings: Settings, *, live: bool = False
) -> AbstractContextManager[duckdb.DuckDBPyConnection]:
    """The read snapshot opened read-only (a run never waits for it); with `live`, or when no
    snapshot exists yet, the database file itself, waiting briefly if a run is writing."""
    path = store.read_path(settings.db_path, live=live)
    return store.open_db(path, read_only=True, busy_timeout=settings.db_busy_timeout)


def load_settings(
    seeds: Path | None = None, feeds: Path | None = None, db: Path | None = None
) -> Settings:
    return Settings.from_env().with_overrides(seeds_dir=seeds, feeds_file=feeds, db_path=db)


_DURATION = re.compile(r"^\s*(\d+)\s*([mhdw])\s*$", re.IGNORECASE)
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_since(value: str | None, *, now: datetime | None = None) -> datetime | None:
    """'30m', '12h', '2d', '1w' before `now` (default: the current time), or an ISO date/time
    (UTC unless it names its offset); None means no limit."""
    if value is None or value.strip().lower() in {"", "all"}:
        return None
    match = _DURATION.match(value)
    if match:
        delta = timedelta(**{_UNITS[match.group(2).lower()]: int(match.group(1))})
        return (now or datetime.now(UTC)) - delta
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise ConfigError(
            f"--since {value!r}: use a duration like 30m, 12h, 2d, 1w or a date like 2024-03-01"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def print_rows(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[str],
    fmt: Format,
    *,
    title: str | None = None,
    empty: str = "nothing to show",
) -> None:
    if fmt is Format.json:
        sys.stdout.write(json_document(report.rows_to_json(rows)) + "\n")
        return
    if fmt is Format.csv:
        sys.stdout.write(report.rows_to_csv(rows, columns))
        return
    if not rows:
        out.print(empty)
        return
    from rich.table import Table
    from rich.text import Text

    table = Table(title=Text(title) if title else None, show_lines=False, expand=False)
    for column in columns:
        if column in LONG_TEXT_COLUMNS:
            table.add_column(column, overflow="fold", ratio=3)
        else:
            table.add_column(column, no_wrap=True, overflow="ellipsis")
    for cells in report.table_cells(rows, columns):
        table.add_row(*(Text(cell) for cell in cells))
    out.print(table)
