"""CLI commands for position events: list them, review them, export reviews, the HTML timeline."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from stancewatch import pipeline, report, store
from stancewatch.cli.consoles import out
from stancewatch.cli.output import (
    DbOpt,
    Format,
    FormatOpt,
    GuardedGroup,
    load_settings,
    parse_since,
    print_rows,
    read_db,
)
from stancewatch.errors import ConfigError
from stancewatch.events import EVENT_STATUSES
from stancewatch.settings import Settings

events_app = typer.Typer(cls=GuardedGroup)
review_app = typer.Typer(
    cls=GuardedGroup,
    help="Review position events: walk the unreviewed ones, or confirm/dismiss one by id.",
    invoke_without_command=True,
)
events_app.add_typer(review_app, name="review")

ByOpt = Annotated[
    str | None, typer.Option("--by", help="Reviewer name (default: STANCEWATCH_REVIEWER or login).")
]
NoteOpt = Annotated[str | None, typer.Option("--note", help="Why (kept with the review).")]
EVENT_COLUMNS = [
    "event_id",
    "status",
    "first_seen",
    "last_seen",
    "actor",
    "issue",
    "kind",
    "baseline_stance",
    "stance",
    "stories",
    "outlets",
    "articles",
    "confidence",
    "withdrawn",
    "evidence",
    "first_url",
]


@events_app.command()
def events(
    since: Annotated[str, typer.Option(help="Last seen since: 7d, 12h, 2024-03-01, all.")] = "all",
    actor: Annotated[str | None, typer.Option(help="Actor id, e.g. hamas.")] = None,
    status: Annotated[str | None, typer.Option(help="unreviewed, confirmed or dismissed.")] = None,
    limit: Annotated[int, typer.Option(min=1)] = 200,
    db: DbOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Position events: each move once, with its stories, outlets and evidence."""
    if status is not None and status not in EVENT_STATUSES:
        raise ConfigError(f"--status {status!r}: choose from {', '.join(EVENT_STATUSES)}")
    settings, since_at = load_settings(db=db), parse_since(since)
    with read_db(settings) as con:
        rows = store.list_events(con, since=since_at, actor=actor, status=status, limit=limit)
    if fmt is Format.table:
        for line in report.event_blocks(rows) or ["no position events in that period"]:
            out.print(line)
        return
    print_rows(rows, EVENT_COLUMNS, fmt)


@events_app.command()
def stories(
    min_articles: Annotated[
        int, typer.Option("--min-articles", min=1, help="Only stories with this many articles.")
    ] = 2,
    limit: Annotated[int, typer.Option(min=1)] = 100,
    db: DbOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Stories: near-duplicate articles (the same copy in several outlets) grouped as one."""
    settings = load_settings(db=db)
    with read_db(settings) as con:
        rows = store.list_stories(con, min_articles=min_articles, limit=limit)
    print_rows(
        rows,
        ["story_id", "first_published", "articles", "outlets", "outlet_ids", "first_title"],
        fmt,
        empty="no story with that many articles",
    )


@events_app.command("current")
def current(
    actor: Annotated[str | None, typer.Option(help="Actor id.")] = None,
    db: DbOpt = None,
    fmt: FormatOpt = Format.table,
) -> None:
    """Current positions: the seed baseline moved by confirmed events."""
    settings = load_settings(db=db)
    with read_db(settings) as con:
        rows = store.current_positions(con, actor=actor)
    columns = ["actor", "issue", "baseline_stance", "stance", "source", "event_id", "since"]
    print_rows(rows, columns, fmt, empty="no baseline stored yet (run the monitor once)")


def _reviewer(by: str | None) -> str:
    return by or load_settings().reviewer_name


def _announce(settings: Settings, event: dict[str, object], status: str) -> None:
    """A confirmation is announced to Prefect (where a server is configured); a dismissal is not."""
    if status != "confirmed":
        return
    from flows.announce import announce_review

    if announce_review(settings, dict(event)):
        out.print("announced to Prefect as stancewatch.position.changed (confirmed)")


def _decide(db: Path | None, event_id: int, status: str, by: str | None, note: str | None) -> None:
    settings = load_settings(db=db)
    event = pipeline.review_event(settings, event_id, status, by=_reviewer(by), note=note)
    out.print(f"event #{event_id} {status}")
    _announce(settings, event, status)
    for line in report.event_blocks([event], sources=3):
        out.print(line)


@review_app.callback()
def review(
    ctx: typer.Context,
    db: DbOpt = None,
    by: ByOpt = None,
    actor: Annotated[str | None, typer.Option(help="Only this actor's events.")] = None,
) -> None:
    """Walk the unreviewed events: confirm, dismiss or skip each (q quits)."""
    if ctx.invoked_subcommand is not None:
        return
    settings = load_settings(db=db)
    with read_db(settings) as con:
        pending = store.list_events(con, actor=actor, status="unreviewed", limit=10_000)
    if not pending:
        out.print("no unreviewed events")
        return
    pending.sort(key=lambda e: (e["first_seen"], e["event_id"]))
    decided = {"confirmed": 0, "dismissed": 0}
    for number, event in enumerate(pending, start=1):
        out.print(f"\n[{number}/{len(pending)}]")
        for line in report.event_blocks([event], sources=10):
            out.print(line)
        answer = _ask()
        if answer == "q":
            break
        if answer == "s":
            continue
        status = "confirmed" if answer == "c" else "dismissed"
        note = typer.prompt("note (optional)", default="", show_default=False).strip() or None
        reviewed = pipeline.review_event(
            settings, event["event_id"], status, by=_reviewer(by), note=note
        )
        _announce(settings, reviewed, status)
        decided[status] += 1
        out.print(f"event #{event['event_id']} {status}")
    out.print(f"\n{decided['confirmed']} confirmed, {decided['dismissed']} dismissed")


def _ask() -> str:
    while True:
        answer = str(typer.prompt("[c]onfirm, [d]ismiss, [s]kip, [q]uit", default="s"))
        answer = answer.strip().lower()
        if answer[:1] in {"c", "d", "s", "q"}:
            return answer[:1]
        out.print("please answer c, d, s or q")


@review_app.command("confirm")
def review_confirm(
    event_id: Annotated[int, typer.Argument(help="Event id (see `stancewatch events`).")],
    note: NoteOpt = None,
    by: ByOpt = None,
    db: DbOpt = None,
) -> None:
    """Confirm an event: the move is real; the current position moves with it."""
    _decide(db, event_id, "confirmed", by, note)


@review_app.command("dismiss")
def review_dismiss(
    event_id: Annotated[int, typer.Argument(help="Event id (see `stancewatch events`).")],
    note: NoteOpt = None,
    by: ByOpt = None,
    db: DbOpt = None,
) -> None:
    """Dismiss an event: a misreading; the same evidence will not raise it again."""
    _decide(db, event_id, "dismissed", by, note)


@review_app.command("export")
def review_export(
    directory: Annotated[Path, typer.Argument(help="Directory to write the labeled set into.")],
    db: DbOpt = None,
) -> None:
    """Write the reviewed events as a labeled set (the format of `stancewatch eval`)."""
    settings = load_settings(db=db)
    articles, used = pipeline.export_reviews(settings, directory)
    out.print(
        f"{directory}: {articles} articles labeled from {used} reviewed events "
        f"(score with: stancewatch eval {directory})"
    )


@events_app.command("report")
def report_command(
    html: Annotated[Path, typer.Option("--html", help="Write the HTML timeline to this file.")],
    db: DbOpt = None,
) -> None:
    """The HTML timeline: stance over time per actor and issue, events with their sources."""
    settings = load_settings(db=db)
    written = pipeline.write_timeline(settings, html)
    out.print(f"timeline written to {written}")
