"""The `stancewatch` command line: parse arguments, call the library, print the result."""

from __future__ import annotations

import threading
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from stancewatch import __version__, pipeline, report, store
from stancewatch.cli.consoles import err, out, styled
from stancewatch.cli.engine_commands import engine_app
from stancewatch.cli.events_commands import events_app
from stancewatch.cli.output import (
    DbOpt,
    FeedsOpt,
    Format,
    GuardedGroup,
    SeedsOpt,
    load_settings,
    print_rows,
    read_db,
)
from stancewatch.cli.queries import queries_app
from stancewatch.errors import ConfigError, RunFailedError
from stancewatch.safe_text import terminal_line
from stancewatch.settings import PROJECT_ROOT, Settings

if TYPE_CHECKING:
    from stancewatch.models import RunSummary

DEMO_PORT = 8765
DEMO_HOST = "127.0.0.1"  # where serve_demo_site listens
#: The demo's feed list, beside its database (deployments/prefect.yaml's monitor-demo reads it).
DEMO_FEEDS_NAME = "demo-feeds.toml"

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
app.add_typer(events_app)


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
        err.print(styled("warning:", "bold yellow"), terminal_line(warning))


RunnerOpt = Annotated[
    str | None,
    typer.Option(
        "--runner",
        help="Where the flow's CPU steps run: default, or dask (implies --flow).",
    ),
]
DaskAddressOpt = Annotated[
    str | None,
    typer.Option(
        "--dask-address", help="Dask scheduler (tcp://host:8786); default: local cluster."
    ),
]


@app.command()
def run(
    seeds: SeedsOpt = None,
    feeds: FeedsOpt = None,
    db: DbOpt = None,
    flow: Annotated[
        bool, typer.Option("--flow", help="Run as the Prefect flow (shows in the dashboard).")
    ] = False,
    runner: RunnerOpt = None,
    dask_address: DaskAddressOpt = None,
) -> None:
    """Poll every feed once now, store new articles and their position changes."""
    settings = load_settings(seeds, feeds, db).with_overrides(
        task_runner=runner, dask_address=dask_address
    )
    warn_if_nothing_to_poll(settings.feed_list_path)
    if flow or settings.task_runner != "default":
        pipeline.load_inputs(settings)  # a bad feed list or seed fails here, in one line
        from flows.server import NO_SERVER, prefect_api_url

        if not prefect_api_url():
            # Without a server Prefect starts a throwaway one: seconds per run, and the run never
            # shows in a dashboard.
            raise ConfigError(NO_SERVER)
        state_name, failed, result = run_flow(settings)
        out.print_json(data=result)
        err.print(f"flow run state: {state_name}")
        if failed:
            raise typer.Exit(1)
        return
    if not err.is_terminal:  # piped stderr gets the one-line messages only
        summary = pipeline.run_monitor(settings)
    else:
        summary = run_with_progress_bar(settings)
    for line in report.summary_lines(summary):
        out.print(line)
    if summary.status == "failed":
        raise typer.Exit(1)


def run_with_progress_bar(settings: Settings) -> RunSummary:
    """One monitor pass drawing a bar per stage on the terminal."""
    # rich.progress costs ~0.1 s to import; only a run on a terminal draws a bar.
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        MofNCompleteColumn(),
        console=err.console,
        transient=True,
    ) as bar:
        tasks: dict[str, Any] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if total < 10:  # a bar for a handful of items is noise
                return
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done)

        return pipeline.run_monitor(settings, progress=progress)


def run_flow(settings: Settings) -> tuple[str, bool, dict[str, object]]:
    """Run the monitor flow once in this process: (state name, failed?, run summary).

    An error that stopped the flow is raised again, so the CLI reports it in one line.
    """
    from flows.monitor import monitor
    from flows.runners import task_runner

    chosen = monitor.with_options(task_runner=task_runner(settings))
    state = chosen(
        seeds_dir=str(settings.seeds_dir),
        feeds_file=str(settings.feed_list_path),
        db_path=str(settings.db_path),
        fetch_allow=list(settings.fetch_allow),
        return_state=True,
    )
    result: Any = state.result(raise_on_failure=False)
    if isinstance(result, RunFailedError):
        result = result.summary
    elif isinstance(result, BaseException):
        raise result
    summary: dict[str, object] = (
        dict(result) if isinstance(result, dict) else {"message": state.message}
    )
    return str(state.name), bool(state.is_failed()), summary


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
    edition: Annotated[
        int | None,
        typer.Option(
            "--edition",
            min=1,
            max=2,
            help="Site edition to serve (default: 1 on the first run, then 2: three stories "
            "reprinted by other outlets and one page corrected).",
        ),
    ] = None,
    serve_site: Annotated[
        bool,
        typer.Option(
            "--serve",
            help="Only serve the demo site (until Ctrl-C) and write its feed list, for the "
            "monitor-demo deployment.",
        ),
    ] = False,
    port: Annotated[int, typer.Option("--port", help="Port of the demo site.")] = DEMO_PORT,
) -> None:
    """Serve the bundled offline news site on 127.0.0.1 and run the monitor flow on it."""
    from stancewatch.demo import demo_feeds_file, serve_demo_site

    settings = load_settings(db=db)
    if edition is None:
        edition = 1 if serve_site or not _has_runs(settings) else 2
    feeds_path = settings.db_path.parent / DEMO_FEEDS_NAME
    if serve_site:
        with serve_demo_site(port=port, edition=edition) as site:
            demo_feeds_file(site.base_url, feeds_path)
            out.print(
                f"demo site serving at {site.base_url} (3 feeds, offline), edition {edition};"
                " Ctrl-C stops it"
            )
            out.print(f"feed list for it: {feeds_path}")
            try:
                threading.Event().wait()
            except KeyboardInterrupt:
                out.print("demo site stopped")
        return
    with ExitStack() as stack:
        try:
            # A stable port keeps the demo's URLs and ETags stable between runs.
            site = stack.enter_context(serve_demo_site(port=port, edition=edition))
        except ConfigError:
            site = stack.enter_context(serve_demo_site(port=0, edition=edition))
        feeds_file = demo_feeds_file(site.base_url, feeds_path)
        out.print(f"demo site serving at {site.base_url} (3 feeds, offline), edition {edition}")
        state_name, _, result = run_flow(
            settings.with_overrides(
                feeds_file=feeds_file,
                # The demo site is on loopback, which the fetcher refuses unless allowed.
                fetch_allow=(*settings.fetch_allow, DEMO_HOST),
            )
        )
    out.print(styled(f"\nRun summary (flow run state: {state_name})", "bold"))
    for key, value in result.items():
        out.print(f"  {key}: {terminal_line(str(value))}")
    with read_db(settings) as con:
        stored = store.list_articles(con, since=None, limit=100)
        found = store.list_changes(con, since=None, limit=50)
        shared = store.list_stories(con, min_articles=2)
        events = store.list_events(con, limit=500)
    print_rows(stored, ["feed_id", "text_source", "title"], Format.table, title="Stored articles")
    print_rows(
        shared,
        ["articles", "outlet_ids", "first_title"],
        Format.table,
        title="Stories carried by several outlets (counted once)",
        empty="no story was carried by more than one outlet yet",
    )
    moves = sum(e["articles"] + e["withdrawn_changes"] for e in events)
    out.print(
        styled("\nPosition events", "bold"),
        f"{moves} changes (reaffirmations not counted) became {len(events)} events; "
        f"{len(found)} changes shown by `changes`",
    )
    for line in report.event_blocks(events, sources=4) or ["no position events"]:
        out.print(line)
    if edition == 2:
        _demo_review_step(settings, events)
    out.print(f"DuckDB file: {settings.db_path}")
    out.print(f"HTML timeline: {settings.timeline_path}")
    if edition == 1:
        out.print("Run `make demo` again: edition 2 reprints three stories and corrects one page.")
    out.print(
        f"Review: .venv/bin/stancewatch review --db {settings.db_path}   (walk them), or\n"
        f"        .venv/bin/stancewatch review confirm ID --note '...' --db {settings.db_path}\n"
        f"Try: .venv/bin/stancewatch events --status unreviewed --db {settings.db_path}\n"
        f"     .venv/bin/stancewatch current --db {settings.db_path}\n"
        f"     .venv/bin/stancewatch changes --since all --db {settings.db_path}\n"
        '     .venv/bin/python -c "import duckdb; duckdb.connect('
        f"'{store.snapshot_path(settings.db_path)}', read_only=True).sql("
        "'SELECT actor, issue, kind, confidence, evidence FROM recent_changes').show()\""
    )


def _demo_review_step(settings: Settings, events: list[dict[str, Any]]) -> None:
    """Show the review step once: confirm the best-sourced event, as an analyst would, and show
    the current position moving (later runs leave the reviews to the user)."""
    if any(e["status"] != "unreviewed" for e in events):
        return
    candidates = [e for e in events if not e["withdrawn"] and e["baseline_stance"]]
    if not candidates:
        return
    chosen = max(candidates, key=lambda e: (e["outlets"], e["confidence"], -e["event_id"]))
    actor, issue = chosen["actor"], chosen["issue"]
    before = _current_position(settings, actor, issue)
    note = "demo: confirmed to show the review step"
    pipeline.review_event(settings, chosen["event_id"], "confirmed", by="demo", note=note)
    after = _current_position(settings, actor, issue)
    pipeline.write_timeline(settings)  # the timeline shows the confirmation too
    out.print(
        styled("Review step", "bold"),
        f"(what `stancewatch review confirm {chosen['event_id']}` does): "
        f"event #{chosen['event_id']} confirmed; current position of {actor} on {issue}: "
        f"{before['stance']} ({before['source']}) → {after['stance']} ({after['source']})",
    )


def _current_position(settings: Settings, actor: str, issue: str) -> dict[str, Any]:
    with read_db(settings) as con:
        rows = store.current_positions(con, actor=actor)
    return next((p for p in rows if p["issue"] == issue), {"stance": None, "source": "none"})


def _has_runs(settings: Settings) -> bool:
    if not settings.db_path.exists():
        return False
    with read_db(settings) as con:
        return bool(store.list_runs(con, limit=1))


def main() -> None:
    app()


if __name__ == "__main__":
    main()
