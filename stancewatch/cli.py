"""The `stancewatch` command line: parse arguments, call the library, print the result."""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table
from typer.core import TyperGroup

from stancewatch import __version__, documents, pipeline, report, store
from stancewatch.errors import ConfigError, StancewatchError
from stancewatch.settings import PROJECT_ROOT, Settings

# The CLI may start Prefect; it must not try to reach the internet with usage reports.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")

# Piped output is not cut to 80 columns: wide tables stay one row per line.
out = Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 200)
err = Console(stderr=True, highlight=False, soft_wrap=True)

DEMO_PORT = 8765
LONG_TEXT_COLUMNS = frozenset(
    {"title", "evidence", "text", "baseline_text", "url", "message", "last_error", "last_warning"}
)


class GuardedGroup(TyperGroup):
    """Turns our errors into one-line messages on stderr instead of tracebacks."""

    def invoke(self, ctx: Any) -> Any:  # typer's Context type lives in a private module
        try:
            return super().invoke(ctx)
        except StancewatchError as exc:
            err.print(f"[bold red]error:[/] {escape(str(exc))}")
            raise typer.Exit(exc.exit_code) from None


app = typer.Typer(
    cls=GuardedGroup,
    help="Monitor news feeds for changes in actors' stated positions.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(cls=GuardedGroup, help="Database maintenance.", no_args_is_help=True)
app.add_typer(db_app, name="db")


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


SeedsOpt = Annotated[
    Path | None, typer.Option("--seeds", help="Seeds directory (watchlist, baseline/).")
]
FeedsOpt = Annotated[Path | None, typer.Option("--feeds", help="Feed list (TOML).")]
DbOpt = Annotated[Path | None, typer.Option("--db", help="DuckDB file.")]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]


def load_settings(
    seeds: Path | None = None, feeds: Path | None = None, db: Path | None = None
) -> Settings:
    return Settings.from_env().with_overrides(seeds_dir=seeds, feeds_file=feeds, db_path=db)


_DURATION = re.compile(r"^\s*(\d+)\s*([mhdw])\s*$", re.IGNORECASE)
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_since(value: str | None) -> datetime | None:
    """'30m', '12h', '2d', '1w' ago, or an ISO date/time; None means no limit."""
    if value is None or value.strip().lower() in {"", "all"}:
        return None
    match = _DURATION.match(value)
    if match:
        delta = timedelta(**{_UNITS[match.group(2).lower()]: int(match.group(1))})
        return datetime.now(UTC) - delta
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
        sys.stdout.write(report.rows_to_json(rows) + "\n")
        return
    if fmt is Format.csv:
        sys.stdout.write(report.rows_to_csv(rows, columns))
        return
    if not rows:
        out.print(empty)
        return
    table = Table(title=title, show_lines=False, expand=False)
    for column in columns:
        if column in LONG_TEXT_COLUMNS:
            table.add_column(column, overflow="fold", ratio=3)
        else:
            table.add_column(column, no_wrap=True, overflow="ellipsis")
    for cells in report.table_cells(rows, columns):
        table.add_row(*cells)
    out.print(table)


def version_callback(value: bool) -> None:
    if value:
        out.print(f"stancewatch {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=version_callback, is_eager=True)
    ] = False,
) -> None:
    """Monitor news feeds for changes in actors' stated positions."""


# --- running ---------------------------------------------------------------------------------


@app.command()
def run(
    seeds: SeedsOpt = None,
    feeds: FeedsOpt = None,
    db: DbOpt = None,
    flow: Annotated[
        bool, typer.Option("--flow", help="Run as the Prefect flow (shows in the dashboard).")
    ] = False,
) -> None:
    """Poll every feed once now, store new articles and their position changes."""
    settings = load_settings(seeds, feeds, db)
    if flow:
        pipeline.load_inputs(settings)  # a bad feed list or seed fails here, in one line
        from flows.monitor import monitor

        result = monitor(
            seeds_dir=str(settings.seeds_dir),
            feeds_file=str(settings.feed_list_path),
            db_path=str(settings.db_path),
        )
        out.print_json(data=result)
        return
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err,
        transient=True,
    ) as bar:
        tasks: dict[str, Any] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if total < 10:  # a bar for a handful of items is noise
                return
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done)

        summary = pipeline.run_monitor(settings, progress=progress)
    for line in report.summary_lines(summary):
        out.print(line)
    if summary.status == "failed":
        raise typer.Exit(1)


@app.command()
def serve(
    seeds: SeedsOpt = None,
    feeds: FeedsOpt = None,
    db: DbOpt = None,
    interval: Annotated[
        int | None, typer.Option("--interval", min=1, help="Minutes between runs.")
    ] = None,
) -> None:
    """Run the monitor flow on a schedule in this process (Ctrl-C stops it)."""
    settings = load_settings(seeds, feeds, db).with_overrides(interval_minutes=interval)
    pipeline.load_inputs(settings)  # fail now on a bad feed list or seeds, not in 15 minutes
    from flows.monitor import serve_monitor

    serve_monitor(settings)


# --- reading the database -------------------------------------------------------------------------


@app.command("feeds")
def feeds_command(
    seeds: SeedsOpt = None, feeds: FeedsOpt = None, db: DbOpt = None, fmt: FormatOpt = Format.table
) -> None:
    """List configured feeds with their fetch state and health."""
    from stancewatch.feeds import load_feed_list

    settings = load_settings(seeds, feeds, db)
    configured = load_feed_list(settings.feed_list_path)
    state: dict[str, dict[str, Any]] = {}
    if settings.db_path.exists():
        with store.open_db(
            settings.db_path, read_only=True, busy_timeout=settings.db_busy_timeout
        ) as con:
            state = {row["id"]: row for row in store.list_feeds(con)}
    rows = [
        {
            "id": f.id,
            "enabled": f.enabled,
            "last_polled_at": state.get(f.id, {}).get("last_polled_at"),
            "last_status": state.get(f.id, {}).get("last_status"),
            "consecutive_failures": state.get(f.id, {}).get("consecutive_failures", 0),
            "articles": state.get(f.id, {}).get("articles", 0),
            "pending": state.get(f.id, {}).get("entries_pending", 0),
            "last_error": state.get(f.id, {}).get("last_error"),
            "last_warning": state.get(f.id, {}).get("last_warning"),
            "url": f.url,
        }
        for f in configured
    ]
    print_rows(rows, list(rows[0].keys()) if rows else ["id"], fmt, empty="no feeds configured")


@app.command()
def articles(
    since: Annotated[str, typer.Option(help="e.g. 2d, 12h, 1w, 2024-03-01, all")] = "2d",
    feed: Annotated[str | None, typer.Option(help="Only this feed id.")] = None,
    limit: Annotated[int, typer.Option(min=1)] = 100,
    db: DbOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """List stored articles, newest first."""
    settings, since_at = load_settings(db=db), parse_since(since)
    with store.open_db(
        settings.db_path, read_only=True, busy_timeout=settings.db_busy_timeout
    ) as con:
        rows = store.list_articles(con, since=since_at, feed_id=feed, limit=limit)
    columns = ["fetched_at", "published", "feed_id", "text_source", "title", "url"]
    print_rows(rows, columns, fmt, empty="no articles in that period")


@app.command()
def changes(
    since: Annotated[str, typer.Option(help="e.g. 7d, 12h, 2024-03-01, all")] = "7d",
    actor: Annotated[str | None, typer.Option(help="Actor id, e.g. hamas.")] = None,
    issue: Annotated[str | None, typer.Option(help="Issue id, e.g. end_of_war.")] = None,
    kind: Annotated[list[str] | None, typer.Option(help="Only these kinds (repeatable).")] = None,
    include_reaffirmed: Annotated[
        bool, typer.Option("--reaffirmed", help="Include reaffirmations.")
    ] = False,
    limit: Annotated[int, typer.Option(min=1)] = 500,
    db: DbOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Position changes found recently, with the evidence sentence."""
    known = {"reversal", "softening", "hardening", "reaffirmed", "new"}
    kinds = list(kind or [])
    if unknown := [k for k in kinds if k not in known]:
        raise ConfigError(f"--kind {unknown[0]!r}: choose from {', '.join(sorted(known))}")
    if include_reaffirmed and kinds:
        kinds.append("reaffirmed")
    elif include_reaffirmed:
        kinds = sorted(known)
    settings, since_at = load_settings(db=db), parse_since(since)
    with store.open_db(
        settings.db_path, read_only=True, busy_timeout=settings.db_busy_timeout
    ) as con:
        rows = store.list_changes(
            con,
            since=since_at,
            actor=actor,
            issue=issue,
            kinds=kinds or None,
            limit=limit,
        )
    columns = [
        "detected_at",
        "actor",
        "issue",
        "kind",
        "baseline_stance",
        "stance",
        "confidence",
        "evidence",
        "url",
    ]
    if fmt is Format.table:
        for line in report.change_blocks(rows) or ["no changes in that period"]:
            out.print(line, markup=False)
        return
    print_rows(rows, columns, fmt)


@app.command()
def positions(
    actor: Annotated[str | None, typer.Option(help="Actor id.")] = None,
    db: DbOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """The latest stated position per actor and issue, beside the baseline."""
    settings = load_settings(db=db)
    with store.open_db(
        settings.db_path, read_only=True, busy_timeout=settings.db_busy_timeout
    ) as con:
        rows = store.latest_positions(con, actor=actor)
    columns = [
        "actor",
        "issue",
        "baseline_stance",
        "stance",
        "stated_at",
        "attribution",
        "evidence",
    ]
    print_rows(rows, columns, fmt, empty="no statements stored yet")


@app.command()
def runs(
    limit: Annotated[int, typer.Option(min=1)] = 20, db: DbOpt = None, fmt: FormatOpt = Format.table
) -> None:
    """Recent monitor runs with their counts and status."""
    settings = load_settings(db=db)
    with store.open_db(
        settings.db_path, read_only=True, busy_timeout=settings.db_busy_timeout
    ) as con:
        rows = store.list_runs(con, limit=limit)
    columns = [
        "run_id",
        "started_at",
        "status",
        "feeds_polled",
        "feeds_failed",
        "entries_new",
        "articles_stored",
        "changes_stored",
        "errors",
    ]
    print_rows(rows, columns, fmt, empty="no runs yet")


@app.command()
def errors(
    run_id: Annotated[str | None, typer.Option("--run", help="Only this run.")] = None,
    limit: Annotated[int, typer.Option(min=1)] = 100,
    db: DbOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Per-item problems recorded by runs (failed feeds and pages, with the reason)."""
    settings = load_settings(db=db)
    with store.open_db(
        settings.db_path, read_only=True, busy_timeout=settings.db_busy_timeout
    ) as con:
        rows = store.list_errors(con, run_id=run_id, limit=limit)
    columns = ["occurred_at", "run_id", "stage", "feed_id", "url", "error_class", "message"]
    print_rows(rows, columns, fmt, empty="no problems recorded")


@db_app.command("migrate")
def db_migrate(db: DbOpt = None) -> None:
    """Create the database or bring its schema to the latest version."""
    settings = load_settings(db=db)
    with store.open_db(settings.db_path) as con:
        version = store.schema_version(con)
    out.print(f"{settings.db_path}: schema version {version}")


# --- the position engine -----------------------------------------------------------------------


@app.command()
def baseline(seeds: SeedsOpt = None, fmt: FormatOpt = Format.table) -> None:
    """Show the baseline positions read from the seed documents, for review."""
    from stancewatch.engine import Engine

    settings = load_settings(seeds)
    engine = Engine.from_seeds(settings.seeds_dir)
    rows = [
        {
            "id": p.id,
            "actor": p.actor,
            "issue": p.issue,
            "stance": p.stance,
            "attribution": p.attribution,
            "pinned": p.pinned,
            "seed_file": p.seed_file,
            "text": p.text,
        }
        for p in engine.baseline_report()
    ]
    print_rows(
        rows,
        ["actor", "issue", "stance", "attribution", "pinned", "text"],
        fmt,
        title=f"baseline {engine.baseline_version}",
        empty="the seed documents state no position of a watchlisted actor",
    )


@app.command()
def compare(
    sources: Annotated[list[str], typer.Argument(help="Files (.txt, .html) or http(s) URLs.")],
    as_json: Annotated[bool, typer.Option("--json", help="JSON (JSON Lines for several).")] = False,
    seeds: SeedsOpt = None,
    show_all: Annotated[
        bool, typer.Option("--all", help="Also list reaffirmations in the table.")
    ] = False,
) -> None:
    """Compare articles with the baseline and show what changed."""
    from stancewatch.engine import Engine

    settings = load_settings(seeds)
    engine = Engine.from_seeds(settings.seeds_dir)
    inputs = documents.expand_sources(sources)
    for source in inputs:
        text, title = documents.load_document(source, settings)
        comparison = engine.compare_text(text, title)
        if as_json:
            payload = report.comparison_to_dict(
                comparison, source=source if len(inputs) > 1 else None
            )
            sys.stdout.write(json.dumps(payload, ensure_ascii=False) + "\n")
            continue
        verdict = "related" if comparison.related else "not related"
        out.print(f"[bold]{source}[/]: {verdict} (relatedness {comparison.relatedness:.2f})")
        rows = [
            report.change_to_dict(c)
            for c in comparison.changes
            if show_all or c.kind != "reaffirmed"
        ]
        for row in rows:
            row["baseline"] = row["baseline"]["stance"] if row["baseline"] else ""
        print_rows(
            rows,
            [
                "actor",
                "issue",
                "kind",
                "baseline",
                "stance",
                "confidence",
                "attribution",
                "evidence",
            ],
            Format.table,
            empty="  no position changes",
        )


@app.command()
def rescore(
    seeds: SeedsOpt = None,
    db: DbOpt = None,
    replace_old: Annotated[
        bool, typer.Option("--replace", help="Delete results of older baseline versions.")
    ] = False,
) -> None:
    """Recompute statements and changes of stored articles after seeds or watchlist change."""
    settings = load_settings(seeds, db=db)
    version, n_statements, n_changes = pipeline.rescore(settings, replace_old=replace_old)
    out.print(
        f"baseline {version}: {n_statements} statements and {n_changes} changes stored"
        + (" (older versions removed)" if replace_old else " (older versions kept)")
    )


@app.command("eval")
def eval_command(
    dirs: Annotated[list[Path], typer.Argument(help="Labeled sets, e.g. eval/ceasefire.")],
    floors: Annotated[Path, typer.Option(help="Pinned quality floors.")] = PROJECT_ROOT
    / "eval"
    / "floors.toml",
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="List every error.")] = False,
) -> None:
    """Score the engine on labeled sets; exit non-zero below the pinned floors."""
    from stancewatch.evaluate import run_eval

    text, passed = run_eval(list(dirs), floors, verbose)
    out.print(text, markup=False)
    if not passed:
        raise typer.Exit(1)


# --- demo ---------------------------------------------------------------------------------


@app.command()
def demo(
    db: Annotated[Path, typer.Option("--db", help="DuckDB file for the demo.")] = PROJECT_ROOT
    / "storage"
    / "demo.duckdb",
) -> None:
    """Serve the bundled offline news site on 127.0.0.1 and run the monitor flow on it."""
    from stancewatch.demo import demo_feeds_file, serve_demo_site

    settings = load_settings(db=db)
    with ExitStack() as stack:
        try:
            # A stable port keeps the demo's URLs and ETags stable between runs.
            site = stack.enter_context(serve_demo_site(port=DEMO_PORT))
        except ConfigError:
            site = stack.enter_context(serve_demo_site(port=0))
        feeds_file = demo_feeds_file(site.base_url, settings.db_path.parent / "demo-feeds.toml")
        out.print(f"demo site serving at {site.base_url} (3 feeds, offline)")
        from flows.monitor import monitor

        result = monitor(
            seeds_dir=str(settings.seeds_dir),
            feeds_file=str(feeds_file),
            db_path=str(settings.db_path),
        )
    out.print("\n[bold]Run summary[/]")
    for key, value in result.items():
        out.print(f"  {key}: {value}")
    with store.open_db(
        settings.db_path, read_only=True, busy_timeout=settings.db_busy_timeout
    ) as con:
        stored = store.list_articles(con, since=None, limit=100)
        found = store.list_changes(con, since=None, limit=50)
    print_rows(stored, ["feed_id", "text_source", "title"], Format.table, title="Stored articles")
    out.print(f"\n[bold]Position changes[/] ({len(found)}, reaffirmations not shown)")
    for line in report.change_blocks(found) or ["no position changes detected"]:
        out.print(line, markup=False)
    out.print(f"\nDuckDB file: {settings.db_path}")
    out.print(
        "Try: stancewatch changes --since all --db "
        f"{settings.db_path}\n  or: duckdb {settings.db_path} "
        '"SELECT actor, issue, kind, evidence FROM recent_changes"'
    )


def main() -> None:
    app()


if __name__ == "__main__":
    main()
