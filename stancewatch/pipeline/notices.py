"""What a monitor pass announces: position changes, feeds that crossed their failure threshold,
partial runs. Plain records here; `flows/` sends them as Prefect events.

Each notice names a primary resource (with labels automations can match on) and related
resources with roles, in the shape Prefect's event API takes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from stancewatch.models import Article, Change
from stancewatch.pipeline.names import database_tag
from stancewatch.pipeline.outcome import RunOutcome
from stancewatch.pipeline.steps import MonitorRun

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
    return {
        "prefect.resource.id": f"stancewatch.run.{run.summary.run_id}",
        "prefect.resource.role": "stancewatch-run",
    }


def change_notice(
    run: MonitorRun, change: Change, article: Article | None, canonical_url: str
) -> Notice:
    """One `stancewatch.position.changed` event for one graded change of one article."""
    topic = run.engine.watchlist.topic_id
    actor = run.engine.watchlist.actor(change.actor)
    issue = run.engine.watchlist.issue(change.issue)
    baseline = change.baseline
    resource = {
        "prefect.resource.id": f"stancewatch.position.{topic}.{change.actor}.{change.issue}",
        "prefect.resource.name": f"{actor.name if actor else change.actor} on "
        f"{issue.label if issue else change.issue}",
        "stancewatch.topic": topic,
        "stancewatch.actor": change.actor,
        "stancewatch.issue": change.issue,
        "stancewatch.kind": change.kind,
        "stancewatch.database": database_tag(run.settings.db_path),
    }
    related = [
        _role("actor", change.actor, actor.name if actor else None),
        _role("issue", change.issue, issue.label if issue else None),
        _role("kind", change.kind),
        _role("topic", topic, run.engine.watchlist.topic_label),
        _run_resource(run),
    ]
    payload: dict[str, Any] = {
        "actor": change.actor,
        "issue": change.issue,
        "kind": change.kind,
        "stance": change.stance,
        "baseline": (
            {"id": baseline.id, "stance": baseline.stance, "text": baseline.text}
            if baseline
            else None
        ),
        "evidence": change.evidence,
        "attribution": change.attribution,
        "confidence": round(change.confidence, 3),
        "url": article.url if article else canonical_url,
        "title": article.title if article else None,
        "published": (article.published.isoformat() if article and article.published else None),
        "run_id": run.summary.run_id,
        "database": str(run.settings.db_path),
    }
    return Notice(POSITION_CHANGED, resource, related, payload)


def position_change_notices(run: MonitorRun) -> list[Notice]:
    """One notice per change found in this pass (reaffirmations left out)."""
    articles = {article.canonical_url: article for article in run.articles}
    return [
        change_notice(run, change, articles.get(analysis.canonical_url), analysis.canonical_url)
        for analysis in run.analyses
        for change in analysis.comparison.changes
        if change.kind in ANNOUNCED_KINDS
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
