"""The `stancewatch` command line: parse arguments, call the library, print the result."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.text import Text

from stancewatch import __version__, pipeline, report, store
from stancewatch.cli.engine_commands import engine_app
from stancewatch.cli.output import (
    DbOpt,
    FeedsOpt,
    Format,
    GuardedGroup,
    SeedsOpt,
    err,
    load_settings,
    out,
    print_rows,
    read_db,
)
from stancewatch.cli.queries import queries_app
from stancewatch.errors import ConfigError
from stancewatch.safe_text import terminal_line
from stancewatch.settings import PROJECT_ROOT

DEMO_PORT = 8765

app = typer.Typer(
    cls=GuardedGroup,
    help="Monitor news feeds for changes in actors' stated positions.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(cls=GuardedGroup, help="Database maintenance.", no_args_is_help=True)
app.add_typer(db_app, name="db")

app.add_typer(queries_app)
app.add_typer(engine_app)


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


def warn_if_nothing_to_poll(feed_list: Path) -> None:
    """One warning line when every feed of the list is disabled (a bad list stops the run)."""
    from stancewatch.ingest import load_feed_list

    warning = pipeline.disabled_feeds_warning(load_feed_list(feed_list), feed_list)
    if warning:
        err.print(Text("warning:", style="bold yellow"), terminal_line(warning))


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
    warn_if_nothing_to_poll(settings.feed_list_path)
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
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        MofNCompleteColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,  # piped stderr gets the one-line messages only
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
    warn_if_nothing_to_poll(settings.feed_list_path)
    from flows.monitor import serve_monitor

    serve_monitor(settings)


@db_app.command("migrate")
def db_migrate(db: DbOpt = None) -> None:
    """Create the database or bring its schema to the latest version."""
    settings = load_settings(db=db)
    with store.open_db(settings.db_path) as con:
        version = store.schema_version(con)
    out.print(f"{settings.db_path}: schema version {version}")


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
    out.print(Text("\nRun summary", style="bold"))
    for key, value in result.items():
        out.print(f"  {key}: {terminal_line(str(value))}")
    with read_db(settings) as con:
        stored = store.list_articles(con, since=None, limit=100)
        found = store.list_changes(con, since=None, limit=50)
    print_rows(stored, ["feed_id", "text_source", "title"], Format.table, title="Stored articles")
    out.print(Text("\nPosition changes", style="bold"), f"({len(found)}, reaffirmations not shown)")
    for line in report.change_blocks(found) or ["no position changes detected"]:
        out.print(line)
    out.print(f"\nDuckDB file: {settings.db_path}")
    out.print(
        f"Try: .venv/bin/stancewatch changes --since all --db {settings.db_path}\n"
        f"     .venv/bin/stancewatch positions --db {settings.db_path}\n"
        '     .venv/bin/python -c "import duckdb; duckdb.connect('
        f"'{store.snapshot_path(settings.db_path)}', read_only=True).sql("
        "'SELECT actor, issue, kind, confidence, evidence FROM recent_changes').show()\""
    )


def main() -> None:
    app()


if __name__ == "__main__":
    main()
