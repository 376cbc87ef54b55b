"""What a monitor flow run shows and sends: keyed artifacts (summary, changes, progress), events."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, cast
from uuid import UUID

from prefect.artifacts import (
    create_markdown_artifact,
    create_progress_artifact,
    create_table_artifact,
    update_progress_artifact,
)
from prefect.events import emit_event

from stancewatch import pipeline
from stancewatch.positions import WATCHLIST_FILE, load_watchlist
from stancewatch.report import summary_markdown
from stancewatch.settings import Settings

#: Columns of the changes table, in order; the table is written even when it has no rows, so
#: the latest version under its key is always this run's.
CHANGE_COLUMNS = (
    "article",
    "link",
    "published",
    "detected",
    "actor",
    "issue",
    "kind",
    "move",
    "confidence",
    "attribution",
    "evidence",
)


def artifact_keys(run: pipeline.MonitorRun) -> dict[str, str]:
    """The keys of this run's artifacts, derived from its topic and database."""
    topic = run.engine.watchlist.topic_id
    return {
        kind: pipeline.artifact_key(topic, run.settings.db_path, kind)
        for kind in ("run", "changes", "progress")
    }


def change_rows(run: pipeline.MonitorRun) -> dict[str, list[Any]]:
    """The changes of this run as table columns: article and link, dates, move, full evidence."""
    detected = (run.summary.finished_at or datetime.now(UTC)).isoformat(timespec="seconds")
    columns: dict[str, list[Any]] = {name: [] for name in CHANGE_COLUMNS}
    for notice in pipeline.position_change_notices(run):
        payload = notice.payload
        baseline = payload["baseline"]
        row = {
            "article": payload["title"] or payload["url"],
            "link": payload["url"],
            "published": payload["published"] or "",
            "detected": detected,
            "actor": payload["actor"],
            "issue": payload["issue"],
            "kind": payload["kind"],
            "move": f"{baseline['stance'] if baseline else 'no baseline'} → {payload['stance']}",
            "confidence": payload["confidence"],
            "attribution": payload["attribution"],
            "evidence": payload["evidence"],
        }
        for name in CHANGE_COLUMNS:
            columns[name].append(row[name])
    return columns


def publish_artifacts(
    run: pipeline.MonitorRun, outcome: pipeline.RunOutcome, flow_run_id: str | None
) -> None:
    """The run summary (markdown) and the changes table, under this topic's and database's keys."""
    keys = artifact_keys(run)
    columns = change_rows(run)
    header = (
        f"**{outcome.verdict.capitalize()}** — {outcome.message}\n\n"
        f"DuckDB run `{run.summary.run_id}` in `{run.settings.db_path}`"
        + (f", Prefect flow run `{flow_run_id}`" if flow_run_id else "")
        + "\n\n"
    )
    shifts = [
        {
            "actor": actor,
            "issue": issue,
            "kind": kind,
            "evidence": evidence,
        }
        for actor, issue, kind, evidence in zip(
            columns["actor"], columns["issue"], columns["kind"], columns["evidence"], strict=True
        )
    ]
    create_markdown_artifact(
        header + summary_markdown(run.summary, shifts),
        key=keys["run"],
        description=f"Run summary: {run.engine.watchlist.topic_label}",
    )
    create_table_artifact(
        columns,
        key=keys["changes"],
        description=f"Position changes found in run {run.summary.run_id} "
        f"({len(columns['actor'])}; reaffirmations not listed)",
    )


class ProgressArtifact:
    """A progress artifact moved forward after each batch, for runs that take a while."""

    def __init__(self, key: str, total_steps: int) -> None:
        self._total = max(1, total_steps)
        self._done = 0
        # Called in a synchronous flow, Prefect's sync-compatible helper returns the id itself.
        self._id = cast(
            UUID, create_progress_artifact(0.0, key=key, description="Monitor run progress")
        )

    def advance(self, description: str) -> None:
        self._done += 1
        percent = min(100.0, 100.0 * self._done / self._total)
        update_progress_artifact(self._id, percent, description=description)


def send_notices(notices: Iterable[pipeline.Notice]) -> int:
    """Send each notice as a Prefect event; returns how many were sent."""
    sent = 0
    for notice in notices:
        event = emit_event(
            notice.event,
            resource=notice.resource,
            related=notice.related,
            payload=notice.payload,
        )
        sent += event is not None
    return sent


def prefect_server_configured() -> bool:
    """Whether a Prefect API is set: without one, an event would start a throwaway server."""
    from prefect.settings import get_current_settings

    return bool(get_current_settings().api.url)


def announce_review(settings: Settings, event: dict[str, Any]) -> bool:
    """Send an analyst's confirmation of a position event as `stancewatch.position.changed`
    (status `confirmed`): an automation hears of a move when it is first seen and again when
    it is confirmed. Returns False when no Prefect server is configured (nothing sent)."""
    if not prefect_server_configured():
        return False
    watchlist = load_watchlist(settings.seeds_dir / WATCHLIST_FILE)
    notice = pipeline.event_notice(watchlist, settings.db_path, event, review="confirmed")
    return send_notices([notice]) == 1
