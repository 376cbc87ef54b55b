"""Rendering: the compare contract's JSON shape, CSV, change blocks and run summaries."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta

from stancewatch.models import (
    BaselinePosition,
    Change,
    Comparison,
    ItemFailure,
    RunSummary,
)
from stancewatch.report import (
    change_blocks,
    comparison_to_dict,
    digest_markdown,
    rows_to_csv,
    rows_to_json,
    summary_lines,
    summary_markdown,
)

BASE = BaselinePosition(
    id="hamas:end_of_war",
    actor="hamas",
    issue="end_of_war",
    stance="demand",
    score=1.0,
    text="Hamas demands an end to the war.",
    seed_file="000.txt",
)


def change(kind: str, baseline: BaselinePosition | None) -> Change:
    return Change(
        actor="hamas",
        issue="end_of_war",
        kind=kind,  # type: ignore[arg-type]
        stance="accept_if",
        score=0.5,
        evidence="Hamas said it could accept a phased end.",
        attribution="direct",
        confidence=0.7349,
        baseline=baseline,
    )


def test_comparison_follows_the_contract() -> None:
    comparison = Comparison(
        related=True,
        relatedness=0.8333,
        changes=(change("softening", BASE), change("new", None)),
    )
    data = comparison_to_dict(comparison)
    assert list(data) == ["related", "relatedness", "changes"]
    assert data["relatedness"] == 0.833
    first, second = data["changes"]
    assert first["baseline"] == {"id": BASE.id, "stance": "demand", "text": BASE.text}
    assert second["baseline"] is None
    assert first["confidence"] == 0.735
    assert comparison_to_dict(comparison, source="a.txt")["source"] == "a.txt"
    json.dumps(data)  # serialisable as is


def test_rows_to_csv_and_json_handle_dates_lists_and_none() -> None:
    when = datetime(2024, 3, 1, 12, tzinfo=UTC)
    rows = [{"a": when, "b": ["x", "y"], "c": None, "d": 0.123456}]
    parsed = list(csv.DictReader(io.StringIO(rows_to_csv(rows))))
    assert parsed == [{"a": when.isoformat(), "b": "x, y", "c": "", "d": "0.12"}]
    assert json.loads(rows_to_json(rows))[0]["a"] == when.isoformat()


def test_change_blocks_show_verdict_and_evidence() -> None:
    lines = change_blocks(
        [
            {
                "actor": "qatar",
                "issue": "negotiations",
                "kind": "reversal",
                "baseline_stance": "support",
                "stance": "withdraw",
                "confidence": 0.61,
                "attribution": "direct",
                "evidence": "Qatar suspended its mediation.",
                "baseline_text": "Qatar mediates.",
                "url": "http://x/q",
                "title": "Qatar steps back",
            }
        ]
    )
    assert lines[0].startswith("qatar · negotiations · REVERSAL")
    assert "support → withdraw" in lines[0] and "0.61" in lines[0]
    assert "Qatar suspended its mediation." in lines[1]
    assert any("http://x/q" in line for line in lines)


def test_summary_lists_problems() -> None:
    started = datetime(2024, 3, 1, tzinfo=UTC)
    summary = RunSummary(
        run_id="r1",
        started_at=started,
        status="partial",
        finished_at=started + timedelta(seconds=2.5),
        articles_stored=4,
    )
    summary.errors.append(ItemFailure("fetch", "http://x/a", "wire", "HTTPStatusError", "404"))
    lines = summary_lines(summary)
    assert lines[0] == "run r1: partial in 2.5s"
    assert any("articles: 4 stored" in line for line in lines)
    assert any("[fetch] http://x/a: HTTPStatusError: 404" in line for line in lines)
    markdown = summary_markdown(
        summary, [{"actor": "a", "issue": "i", "kind": "new", "evidence": "x|y"}]
    )
    assert "| fetch | http://x/a |" in markdown and "x\\|y" in markdown


def test_digest_groups_changes_by_actor() -> None:
    since = datetime(2024, 3, 1, tzinfo=UTC)
    assert "No position changes" in digest_markdown([], since=since)
    rows = [
        {
            "actor": "qatar",
            "issue": "negotiations",
            "kind": "reversal",
            "stance": "withdraw",
            "baseline_stance": "support",
            "confidence": 0.6,
            "evidence": "Qatar suspended it.",
            "title": "Qatar steps back",
            "url": "http://x/q",
        },
        {
            "actor": "hamas",
            "issue": "end_of_war",
            "kind": "new",
            "stance": "demand",
            "baseline_stance": None,
            "confidence": 0.7,
            "evidence": "Hamas demands it.",
            "title": None,
            "url": "http://x/h",
        },
    ]
    text = digest_markdown(rows, since=since)
    assert text.index("## hamas") < text.index("## qatar")
    assert "**negotiations: reversal** (support → withdraw" in text
    assert "(no baseline → demand" in text and "(http://x/q)" in text
