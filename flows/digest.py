"""The Prefect `digest` flow: a daily markdown summary of position changes, per actor."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE

from stancewatch import pipeline, report, store
from stancewatch.settings import Settings


@task(name="read-changes", retries=2, retry_delay_seconds=3, cache_policy=NO_CACHE)
def read_changes(settings: Settings, since: datetime) -> list[dict[str, Any]]:
    # The read snapshot: the digest never makes a monitor run wait.
    with store.open_db(
        store.read_path(settings.db_path), read_only=True, busy_timeout=settings.db_busy_timeout
    ) as con:
        return store.list_changes(con, since=since, limit=1000, by_detection=True)


@flow(name="digest")
def digest(db_path: str | None = None, days: int = 1) -> dict[str, object]:
    """Summarise the changes detected in the last `days` days as a dashboard artifact.

    Detection time, not publication time: a change found today in last month's article is news
    today (its publication date is shown beside it).
    """
    settings = Settings.from_env().with_overrides(db_path=Path(db_path) if db_path else None)
    since = datetime.now(UTC) - timedelta(days=days)
    rows = read_changes(settings, since)
    markdown = report.digest_markdown(rows, since=since)
    key = pipeline.artifact_key("digest", settings.db_path, "digest")
    create_markdown_artifact(markdown, key=key, description="Changes digest")
    get_run_logger().info("%d changes detected since %s", len(rows), since.isoformat())
    return {"changes": len(rows), "actors": sorted({str(r["actor"]) for r in rows})}


if __name__ == "__main__":
    digest()
