"""Names derived from a run's topic and database: artifact keys, run names, the writer lock."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from pathlib import Path


def slug(text: str) -> str:
    """Lower-case letters, digits and dashes only (what Prefect accepts in an artifact key)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def database_tag(db_path: Path) -> str:
    """A short, stable name for one database file: its stem and a hash of its absolute path.

    Two files called `stancewatch.duckdb` in different directories get different tags.
    """
    resolved = str(Path(db_path).expanduser().resolve())
    digest = hashlib.sha256(resolved.encode()).hexdigest()[:8]
    return f"{slug(Path(db_path).stem)}-{digest}"


def artifact_key(topic_id: str, db_path: Path, kind: str) -> str:
    """`stancewatch-<topic>-<database tag>-<kind>`: one artifact history per topic and database."""
    return f"stancewatch-{slug(topic_id)}-{database_tag(db_path)}-{slug(kind)}"


def writer_limit_name(db_path: Path) -> str:
    """The concurrency limit every writer of this database file takes (one writer at a time)."""
    return f"stancewatch-db-{database_tag(db_path)}"


def monitor_run_name(topic_id: str, when: datetime) -> str:
    """`monitor-<topic>-<UTC time>`: what ran and when, readable in the runs list."""
    return f"monitor-{slug(topic_id)}-{when:%Y%m%d-%H%M%S}"
