"""CLI commands that read the database: feeds, articles, changes, positions, runs, errors."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any

import typer

from stancewatch import report, store
from stancewatch.cli.consoles import out
from stancewatch.cli.output import (
    DbOpt,
    FeedsOpt,
    Format,
    FormatOpt,
    GuardedGroup,
    LiveOpt,
    SeedsOpt,
    load_settings,
    parse_since,
    print_rows,
    read_db,
)
from stancewatch.errors import ConfigError

if TYPE_CHECKING:
    from stancewatch.models import FeedConfig

queries_app = typer.Typer(cls=GuardedGroup)
feeds_app = typer.Typer(
    cls=GuardedGroup,
    invoke_without_command=True,
    help="Configured feeds with fetch state and health; `feeds enable ID` re-enables one.",
)
queries_app.add_typer(feeds_app, name="feeds")

#: Articles in a row without page text after which a feed is flagged.
NO_TEXT_FLAG_AFTER = 5


def feed_health(feed: FeedConfig, state: Mapping[str, Any]) -> str:
    """One phrase for a feed's health: why it is not polled, or what looks wrong."""
    if not feed.enabled:
        return "disabled in the feed list"
    if state.get("disabled_reason"):
        return f"{state['disabled_reason']} (re-enable: stancewatch feeds enable {feed.id})"
    problems = []
    if state.get("next_poll_at") and state.get("consecutive_failures"):
        problems.append(f"backing off until {state['next_poll_at']:%Y-%m-%d %H:%M} UTC")
    without_text = state.get("pages_without_text") or 0
    if without_text >= NO_TEXT_FLAG_AFTER:
        problems.append(f"last {without_text} items gave no article text (feed text used)")
    return "; ".join(problems) or ("ok" if state else "never polled")


def feed_row(feed: FeedConfig, state: Mapping[str, Any]) -> dict[str, Any]:
    """A configured feed beside its stored health (empty state: never polled)."""
    return {
        "id": feed.id,
        "enabled": feed.enabled,
        "health": feed_health(feed, state),
        "last_polled_at": state.get("last_polled_at"),
        "last_status": state.get("last_status"),
        "consecutive_failures": state.get("consecutive_failures", 0),
        "articles": state.get("articles", 0),
        "pending": state.get("entries_pending", 0),
        "last_error": state.get("last_error"),
        "last_warning": state.get("last_warning"),
        "url": feed.url,
    }


@feeds_app.callback()
def feeds_command(
    ctx: typer.Context,
    seeds: SeedsOpt = None,
    feeds: FeedsOpt = None,
    db: DbOpt = None,
    live: LiveOpt = False,
    fmt: FormatOpt = Format.table,
) -> None:
    """List configured feeds with their fetch state and health."""
    from stancewatch.ingest import load_feed_list

    if ctx.invoked_subcommand is not None:
        return
    settings = load_settings(seeds, feeds, db)
    configured = load_feed_list(settings.feed_list_path)
    state: dict[str, dict[str, Any]] = {}
    if settings.db_path.exists():
        with read_db(settings, live=live) as con:
            state = {row["id"]: row for row in store.list_feeds(con)}
    rows = [feed_row(f, state.get(f.id, {})) for f in configured]
    print_rows(rows, list(rows[0].keys()) if rows else ["id"], fmt, empty="no feeds configured")


@feeds_app.command("enable")
def enable_command(
    feed_id: Annotated[str, typer.Argument(metavar="ID", help="The feed's id.")],
    db: DbOpt = None,
) -> None:
    """Poll a feed again from the next run: clears an automatic disable and its backoff."""
    settings = load_settings(db=db)
    with store.open_db(settings.db_path, busy_timeout=settings.db_busy_timeout) as con:
        found = store.enable_feed(con, feed_id)
    if not found:
        raise ConfigError(f"no feed {feed_id!r} in the database", file=str(settings.db_path))
    out.print(f"feed {feed_id} enabled: it will be polled at the next run", markup=False)


@queries_app.command()
def articles(
    since: Annotated[str, typer.Option(help="e.g. 2d, 12h, 1w, 2024-03-01, all")] = "2d",
    feed: Annotated[str | None, typer.Option(help="Only this feed id.")] = None,
    limit: Annotated[int, typer.Option(min=1)] = 100,
    db: DbOpt = None,
    live: LiveOpt = False,
    fmt: FormatOpt = Format.table,
) -> None:
    """List stored articles, newest first."""
    settings, since_at = load_settings(db=db), parse_since(since)
    with read_db(settings, live=live) as con:
        rows = store.list_articles(con, since=since_at, feed_id=feed, limit=limit)
    columns = ["fetched_at", "published", "feed_id", "text_source", "title", "url"]
    print_rows(rows, columns, fmt, empty="no articles in that period")


@queries_app.command()
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
    live: LiveOpt = False,
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
    with read_db(settings, live=live) as con:
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
            out.print(line)
        return
    print_rows(rows, columns, fmt)


@queries_app.command()
def positions(
    actor: Annotated[str | None, typer.Option(help="Actor id.")] = None,
    db: DbOpt = None,
    live: LiveOpt = False,
    fmt: FormatOpt = Format.table,
) -> None:
    """The latest stated position per actor and issue, beside the baseline."""
    settings = load_settings(db=db)
    with read_db(settings, live=live) as con:
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


@queries_app.command()
def runs(
    limit: Annotated[int, typer.Option(min=1)] = 20,
    db: DbOpt = None,
    live: LiveOpt = False,
    fmt: FormatOpt = Format.table,
) -> None:
    """Recent monitor runs with their counts and status."""
    settings = load_settings(db=db)
    with read_db(settings, live=live) as con:
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


@queries_app.command()
def errors(
    run_id: Annotated[str | None, typer.Option("--run", help="Only this run.")] = None,
    limit: Annotated[int, typer.Option(min=1)] = 100,
    db: DbOpt = None,
    live: LiveOpt = False,
    fmt: FormatOpt = Format.table,
) -> None:
    """Per-item problems recorded by runs (failed feeds and pages, with the reason)."""
    settings = load_settings(db=db)
    with read_db(settings, live=live) as con:
        rows = store.list_errors(con, run_id=run_id, limit=limit)
    columns = ["occurred_at", "run_id", "stage", "feed_id", "url", "error_class", "message"]
    print_rows(rows, columns, fmt, empty="no problems recorded")
