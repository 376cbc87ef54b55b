"""Query commands on a database filled by a real run: articles, changes, feeds, runs, errors."""

from __future__ import annotations

import csv
import io
import json

import pytest

from stancewatch.settings import Settings
from tests.conftest import SEEDS_DIR, NewsSite, invoke


def db_args(settings: Settings) -> list[str]:
    return ["--db", str(settings.db_path)]


def test_run_then_query_articles_changes_feeds_runs(
    site: NewsSite, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STANCEWATCH_RETRIES", "0")  # leave the flaky page for the next run
    code, out, _ = invoke(
        "run",
        "--seeds",
        str(SEEDS_DIR),
        "--feeds",
        str(settings.feed_list_path),
        *db_args(settings),
    )
    assert code == 0, out
    assert "articles: 3 stored" in out

    code, out, _ = invoke("articles", "--since", "all", "--format", "json", *db_args(settings))
    rows = json.loads(out)
    assert code == 0 and len(rows) == 3
    assert {r["text_source"] for r in rows} == {"page", "feed"}

    code, out, _ = invoke(
        "changes", "--since", "7d", "--reaffirmed", "--format", "csv", *db_args(settings)
    )
    assert code == 0
    header = next(csv.reader(io.StringIO(out)))
    assert {"actor", "issue", "kind", "evidence"} <= set(header)

    code, out, _ = invoke(
        "feeds", "--feeds", str(settings.feed_list_path), "--format", "json", *db_args(settings)
    )
    feeds = {f["id"]: f for f in json.loads(out)}
    assert feeds["broken"]["consecutive_failures"] == 1
    assert feeds["wire"]["consecutive_failures"] == 0

    code, out, _ = invoke("runs", "--format", "json", *db_args(settings))
    assert json.loads(out)[0]["status"] == "partial"
    code, out, _ = invoke("errors", "--format", "json", *db_args(settings))
    assert any(e["stage"] == "fetch" for e in json.loads(out))
