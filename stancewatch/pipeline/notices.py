"""What a monitor pass announces: position changes, feeds that crossed their failure threshold,
partial runs. Plain records here; `flows/` sends them as Prefect events.

Each notice names a primary resource (with labels automations can match on) and related
resources with roles, in the shape Prefect's event API takes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stancewatch.models import Article, Change, Watchlist
from stancewatch.pipeline.names import database_tag
from stancewatch.pipeline.outcome import RunOutcome
from stancewatch.pipeline.steps import MonitorRun
from stancewatch.report import change_to_dict

POSITION_CHANGED = "stancewatch.position.changed"
FEED_FAILED = "stancewatch.feed.failed"
RUN_PARTIAL = "stancewatch.run.partial"

#: Changes worth announcing: a restatement of the baseline (`reaffirmed`) is not news.
ANNOUNCED_KINDS = frozenset({"reversal", "softening", "hardening", "new"})


@dataclass(frozen=True)
class Notice:
    """One event to send: its name, primary resource, related resources and payload."""

    event: str
    resource: dict[str, str]
    related: list[dict[str, str]] = field(default_factory=list)
    payload: dict[str, Any] = field(default_factory=dict)


def _role(role: str, value: str, name: str | None = None) -> dict[str, str]:
    resource = {"prefect.resource.id": f"stancewatch.{role}.{value}", "prefect.resource.role": role}
    if name:
        resource["prefect.resource.name"] = name
    return resource


def _run_resource(run: MonitorRun) -> dict[str, str]:
    return _run_reference(run.summary.run_id)


def _run_reference(run_id: str) -> dict[str, str]:
    return {
        "prefect.resource.id": f"stancewatch.run.{run_id}",
        "prefect.resource.role": "stancewatch-run",
    }


def _position_labels(
    watchlist: Watchlist, database: Path, actor_id: str, issue_id: str, kind: str
) -> tuple[dict[str, str], list[dict[str, str]]]:
    """The resource and related resources of a `stancewatch.position.changed` event: the same
    labels for a change and for a position event, so one automation matches both."""
    topic = watchlist.topic_id
    actor = watchlist.actor(actor_id)
    issue = watchlist.issue(issue_id)
    resource = {
        "prefect.resource.id": f"stancewatch.position.{topic}.{actor_id}.{issue_id}",
        "prefect.resource.name": f"{actor.name if actor else actor_id} on "
        f"{issue.label if issue else issue_id}",
        "stancewatch.topic": topic,
        "stancewatch.actor": actor_id,
        "stancewatch.issue": issue_id,
        "stancewatch.kind": kind,
        "stancewatch.database": database_tag(database),
    }
    related = [
        _role("actor", actor_id, actor.name if actor else None),
        _role("issue", issue_id, issue.label if issue else None),
        _role("kind", kind),
        _role("topic", topic, watchlist.topic_label),
    ]
    return resource, related


def change_notice(
    run: MonitorRun, change: Change, article: Article | None, canonical_url: str
) -> Notice:
    """One `stancewatch.position.changed` event for one graded change of one article."""
    resource, related = _position_labels(
        run.engine.watchlist, run.settings.db_path, change.actor, change.issue, change.kind
    )
    related.append(_run_reference(run.summary.run_id))
    payload: dict[str, Any] = {
        **change_to_dict(change),
        "url": article.url if article else canonical_url,
        "title": article.title if article else None,
        "published": (article.published.isoformat() if article and article.published else None),
        "run_id": run.summary.run_id,
        "database": str(run.settings.db_path),
    }
    return Notice(POSITION_CHANGED, resource, related, payload)


def position_change_notices(run: MonitorRun) -> list[Notice]:
    """One notice per change found in this pass (reaffirmations left out)."""
    return [
        change_notice(run, shift.change, shift.article, shift.canonical_url)
        for shift in run.shifts
        if shift.change.kind in ANNOUNCED_KINDS
    ]


def event_notice(
    watchlist: Watchlist,
    database: Path,
    event: dict[str, Any],
    *,
    run_id: str | None = None,
    review: str | None = None,
) -> Notice:
    """One `stancewatch.position.changed` event for one position event (a row of the
    `position_events` view): the move once, with its strongest evidence and its sources.

    `review` is set when an analyst's confirmation is what is announced; the resource labels are
    those of a change notice, so an automation matching on actor, issue or kind sees both.
    """
    actor_id, issue_id, kind = str(event["actor"]), str(event["issue"]), str(event["kind"])
    resource, related = _position_labels(watchlist, database, actor_id, issue_id, kind)
    resource["stancewatch.event"] = str(event["event_id"])
    if run_id:
        related.append(_run_reference(run_id))
    sources = list(event.get("sources") or [])
    baseline_stance = event.get("baseline_stance")
    payload: dict[str, Any] = {
        "event_id": event["event_id"],
        "status": review or str(event.get("status") or "unreviewed"),
        "actor": actor_id,
        "issue": issue_id,
        "kind": kind,
        "stance": event.get("stance"),
        "baseline": (
            {"stance": baseline_stance, "text": event.get("baseline_text")}
            if baseline_stance
            else None
        ),
        "evidence": event.get("evidence"),
        "confidence": round(float(event.get("confidence") or 0.0), 3),
        "url": event.get("evidence_url") or event.get("first_url"),
        "title": event.get("first_title"),
        "first_url": event.get("first_url"),
        "first_seen": _iso(event.get("first_seen")),
        "stories": event.get("stories"),
        "outlets": event.get("outlets"),
        "sources": [str(source.get("url")) for source in sources if source.get("url")],
        "reviewed_by": event.get("reviewed_by"),
        "note": event.get("note"),
        "run_id": run_id,
        "database": str(database),
    }
    return Notice(POSITION_CHANGED, resource, related, payload)


def _iso(value: Any) -> str | None:
    return value.isoformat() if hasattr(value, "isoformat") else (str(value) if value else None)


def position_event_notices(run: MonitorRun) -> list[Notice]:
    """One notice per position event this pass created; a later article restating a known move
    extends its event and announces nothing (reaffirmations are never announced)."""
    return [
        event_notice(run.engine.watchlist, run.settings.db_path, event, run_id=run.summary.run_id)
        for event in run.events.new_events
        if event.get("kind") in ANNOUNCED_KINDS
    ]


def feed_failure_notices(run: MonitorRun) -> list[Notice]:
    """A notice for each feed whose consecutive failures reached the threshold in this pass.

    Only the crossing is announced, not every later failure, so an automation fires once per
    outage; a recovered feed starts counting again.
    """
    threshold = max(1, run.settings.feed_failure_threshold)
    notices = []
    for poll in run.polls:
        if poll.failure is None:
            continue
        before = run.states.get(poll.feed.id)
        failures = (before.consecutive_failures if before else 0) + 1
        if failures != threshold:
            continue
        resource = {
            "prefect.resource.id": f"stancewatch.feed.{poll.feed.id}",
            "prefect.resource.name": poll.feed.title or poll.feed.id,
            "stancewatch.feed": poll.feed.id,
            "stancewatch.database": database_tag(run.settings.db_path),
        }
        payload = {
            "feed": poll.feed.id,
            "url": poll.feed.url,
            "consecutive_failures": failures,
            "status": poll.status,
            "error_class": poll.failure.error_class,
            "reason": poll.failure.message,
            "run_id": run.summary.run_id,
            "database": str(run.settings.db_path),
        }
        notices.append(Notice(FEED_FAILED, resource, [_run_resource(run)], payload))
    return notices


def partial_run_notice(run: MonitorRun, outcome: RunOutcome, *, limit: int = 50) -> Notice:
    """The `stancewatch.run.partial` notice: counts and the first problems, one line each."""
    topic = run.engine.watchlist.topic_id
    resource = {
        "prefect.resource.id": f"stancewatch.run.{run.summary.run_id}",
        "prefect.resource.name": f"monitor run {run.summary.run_id}",
        "stancewatch.topic": topic,
        "stancewatch.database": database_tag(run.settings.db_path),
    }
    payload = {
        **run.summary.as_dict(),
        "message": outcome.message,
        "problems": list(outcome.problems[:limit]),
        "database": str(run.settings.db_path),
    }
    return Notice(RUN_PARTIAL, resource, [_role("topic", topic)], payload)
