"""Stories, position events and review: wire the pure grouping to the store, in one transaction."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb

from stancewatch import store
from stancewatch.errors import ConfigError
from stancewatch.events import ChangeItem, EventDraft, group_changes, render_timeline
from stancewatch.models import BaselinePosition, Statement
from stancewatch.positions import classify
from stancewatch.settings import Settings


@dataclass(frozen=True)
class EventsOutcome:
    """What grouping did in one pass: articles placed in stories, events made, changes linked."""

    articles_grouped: int = 0
    events_created: tuple[int, ...] = ()
    changes_linked: int = 0
    changes_graded: int = 0
    new_events: list[dict[str, Any]] = field(default_factory=list)


def group_stories(con: duckdb.DuckDBPyConnection) -> int:
    """Place every article not yet in a story; returns how many were placed."""
    from stancewatch.events import StoryIndex, signature  # only a run with new articles

    index = StoryIndex()
    for url, story, known in store.story_signatures(con):
        index.add_known(url, known, story)
    placed = []
    for url, text in store.ungrouped_articles(con):
        sig = signature(text)
        match = index.add(url, sig)
        placed.append((url, match.story, match.similarity, sig))
    return store.save_stories(con, placed)


def grade_against_current(
    con: duckdb.DuckDBPyConnection, pairs: Sequence[tuple[str, str]] | None = None
) -> int:
    """Compare changes with the current position (baseline moved by confirmed events).

    Without `pairs`, only changes never compared; with them, every change of those actor and
    issue pairs (after a review moved their current position).
    """
    current = {(row["actor"], row["issue"]): row for row in store.current_positions(con)}
    grades: list[tuple[int, str | None, str, int | None]] = []
    for row in store.changes_to_grade(con, pairs=pairs):
        position = current.get((row["actor"], row["issue"]))
        if position is None or position["event_id"] is None:
            grades.append((row["change_id"], row["baseline_stance"], row["kind"], None))
            continue
        reference = BaselinePosition(
            id=f"event:{position['event_id']}",
            actor=row["actor"],
            issue=row["issue"],
            stance=position["stance"],
            score=float(position["score"]),
            text=position["evidence"] or "",
            seed_file="",
        )
        stated = Statement(
            actor=row["actor"],
            issue=row["issue"],
            stance=row["stance"],
            score=float(row["score"]),
            attribution=row["attribution"],
            sentence=row["evidence"],
            sentence_index=0,
        )
        kind = classify(reference, stated)
        grades.append((row["change_id"], position["stance"], kind, position["event_id"]))
    return store.save_grades(con, grades)


def group_events(
    con: duckdb.DuckDBPyConnection, *, window_days: float, run_id: str | None = None
) -> EventsOutcome:
    """Stories for new articles, current-position grades for new changes, then events."""
    grouped = group_stories(con)
    graded = grade_against_current(con)
    items = [
        ChangeItem(
            change_id=row["change_id"],
            canonical_url=row["canonical_url"],
            actor=row["actor"],
            issue=row["issue"],
            kind=row["kind"],
            stance=row["stance"],
            score=float(row["score"]),
            reference=row["baseline_stance"],
            evidence=row["evidence"],
            confidence=float(row["confidence"]),
            stated_at=row["stated_at"],
        )
        for row in store.ungrouped_changes(con)
    ]
    known = [
        EventDraft(
            actor=row["actor"],
            issue=row["issue"],
            kind=row["kind"],
            stance=row["stance"],
            score=float(row["score"]),
            reference=row["reference_stance"],
            first_seen=row["first_seen"],
            last_seen=row["last_seen"],
            status=row["status"],
            id=row["id"],
        )
        for row in store.stored_events(con)
    ]
    grouping = group_changes(
        items, known, store.remembered_evidence(con), window=timedelta(days=window_days)
    )
    ids = store.create_events(
        con,
        [(e.actor, e.issue, e.kind, e.stance, e.score, e.reference) for e in grouping.created],
        run_id,
    )
    links = dict(grouping.links)
    for event_id, draft in zip(ids, grouping.created, strict=True):
        links.update(dict.fromkeys(draft.changes, event_id))
    linked = store.link_changes(con, links)
    new_events = [row for i in ids for row in store.list_events(con, event_id=i)]
    return EventsOutcome(grouped, tuple(ids), linked, graded, new_events)


def update_events(settings: Settings, run_id: str | None = None) -> EventsOutcome:
    """The monitor's events step: open the database, group, close. With nothing to group (a
    run that stored nothing new) it writes nothing and publishes no new read snapshot."""
    with store.open_db(
        settings.db_path, busy_timeout=settings.db_busy_timeout, publish=False
    ) as con:
        if not store.events_pending(con):
            return EventsOutcome()
        with store.transaction(con):
            outcome = group_events(con, window_days=settings.event_window_days, run_id=run_id)
        store.publish_snapshot(con, settings.db_path)
        return outcome


def write_timeline(settings: Settings, path: Path | None = None) -> Path:
    """Write the HTML timeline of the stored events (default: settings.timeline_path)."""
    target = path or settings.timeline_path
    with store.open_db(
        settings.db_path, read_only=True, busy_timeout=settings.db_busy_timeout
    ) as con:
        events = store.list_events(con, limit=100_000)
        positions = store.current_positions(con)
    page = render_timeline(
        events, positions, title="stancewatch — position timeline", generated_at=datetime.now(UTC)
    )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page, encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot write the timeline: {exc}", file=str(target)) from None
    return target


# --- review ----------------------------------------------------------------------------------


def review_event(
    settings: Settings, event_id: int, status: str, *, by: str, note: str | None = None
) -> dict[str, Any]:
    """Confirm or dismiss an event (or set it back to unreviewed) and re-grade the changes of
    its actor and issue against the moved current position; returns the event."""
    with (
        store.open_db(settings.db_path, busy_timeout=settings.db_busy_timeout) as con,
        store.transaction(con),
    ):
        found = store.list_events(con, event_id=event_id)
        if not found:
            raise ConfigError(f"no position event with id {event_id} (see `stancewatch events`)")
        store.review_event(con, event_id, status, by=by, note=note, at=datetime.now(UTC))
        grade_against_current(con, pairs=[(found[0]["actor"], found[0]["issue"])])
        return store.list_events(con, event_id=event_id)[0]


def export_reviews(settings: Settings, directory: Path) -> tuple[int, int]:
    """Write reviewed events as a labeled set (labels.json + articles/*.txt, the format of
    `stancewatch eval`): an article keeps the confirmed moves found in it; a dismissed one is
    labeled as no change. Returns (articles written, events used)."""
    with store.open_db(
        settings.db_path, read_only=True, busy_timeout=settings.db_busy_timeout
    ) as con:
        events = [e for e in store.list_events(con, limit=100_000) if e["status"] != "unreviewed"]
        texts = store.article_texts(
            con, sorted({s["canonical_url"] for e in events for s in e["sources"]})
        )
    labels: dict[str, dict[str, Any]] = {}
    names: dict[str, str] = {}
    for event in sorted(events, key=lambda e: e["event_id"]):
        for source in event["sources"]:
            url = source["canonical_url"]
            if source["withdrawn"] or url not in texts:
                continue
            name = names.setdefault(url, _article_name(len(names) + 1, source["title"]))
            label = labels.setdefault(name, {"related": True, "decoy": False, "changes": []})
            if event["status"] != "confirmed":
                continue
            pairs = {(c["actor"], c["issue"]) for c in label["changes"]}
            if (event["actor"], event["issue"]) in pairs:
                continue  # one label per actor and issue in an article
            note = f"event {event['event_id']} confirmed by {event['reviewed_by']}"
            if event["note"]:
                note += f": {event['note']}"
            label["changes"].append(
                {
                    "actor": event["actor"],
                    "issue": event["issue"],
                    "kind": event["kind"],
                    "note": note,
                }
            )
    articles_dir = directory / "articles"
    try:
        articles_dir.mkdir(parents=True, exist_ok=True)
        for url, name in names.items():
            title, text = texts[url]
            body = f"{title}\n\n{text}" if title else text
            (articles_dir / name).write_text(body.strip() + "\n", encoding="utf-8")
        seeds = Path(os.path.relpath(settings.seeds_dir.resolve(), directory.resolve()))
        document = {"seeds": seeds.as_posix(), "articles": dict(sorted(labels.items()))}
        (directory / "labels.json").write_text(
            json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    except OSError as exc:
        raise ConfigError(f"cannot write the labeled set: {exc}", file=str(directory)) from None
    return len(names), len(events)


def _article_name(number: int, title: str | None) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", (title or "article").lower()).strip("_")[:50]
    return f"{number:03d}_{slug or 'article'}.txt"
