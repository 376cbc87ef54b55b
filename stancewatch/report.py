"""Render run summaries, comparisons and query rows as text, markdown, JSON or CSV."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from stancewatch.safe_markdown import md_link, md_text
from stancewatch.safe_text import csv_cell, json_document, terminal_line

if TYPE_CHECKING:  # the models are only named here; query commands never load them
    from stancewatch.models import Change, Comparison, RunSummary, Statement

OutputFormat = str  # "table" | "json" | "csv" | "jsonl"
FORMATS = ("table", "json", "csv", "jsonl")


def change_to_dict(change: Change) -> dict[str, Any]:
    """The compare contract's shape for one change (DESIGN.md)."""
    baseline = change.baseline
    return {
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
    }


def comparison_to_dict(comparison: Comparison, *, source: str | None = None) -> dict[str, Any]:
    """The compare contract; an explained comparison adds `explain` objects and `statements`."""
    out: dict[str, Any] = {}
    if source is not None:
        out["source"] = source
    out["related"] = comparison.related
    out["relatedness"] = round(comparison.relatedness, 3)
    out["changes"] = []
    for change in comparison.changes:
        row = change_to_dict(change)
        if change.explanation is not None:
            row["explain"] = change_explanation_to_dict(change)
        out["changes"].append(row)
    if comparison.verdicts:
        out["statements"] = [
            statement_to_dict(s, verdict)
            for s, verdict in zip(comparison.statements, comparison.verdicts, strict=True)
        ]
    return out


def change_explanation_to_dict(change: Change) -> dict[str, Any]:
    """Why a change won its pair, and what its confidence is made of."""
    explanation = change.explanation
    if explanation is None:
        return {}
    return {
        "why": explanation.why,
        "confidence_factors": [
            {"factor": name, "value": value} for name, value in explanation.factors
        ],
    }


def statement_to_dict(s: Statement, verdict: str | None = None) -> dict[str, Any]:
    """One statement with what was decided about it and, if traced, how it was read."""
    row: dict[str, Any] = {
        "actor": s.actor,
        "issue": s.issue,
        "stance": s.stance,
        "score": s.score,
        "attribution": s.attribution,
        "source": s.source,
        "sentence": s.sentence,
        "sentence_index": s.sentence_index,
        "headline": s.headline,
    }
    if verdict is not None:
        row["verdict"] = verdict
    trace = s.trace
    if trace is not None:
        row["explain"] = {
            "holder": {"text": trace.holder, "how": trace.holder_how},
            "attribution": {"kind": s.attribution, "why": trace.attribution_why},
            "cue": {"text": trace.cue, "how": trace.cue_how},
            "object": {"text": trace.object, "issue": s.issue, "how": trace.object_how},
            "negation": trace.negation,
            "modality": s.modality,
            "condition": s.condition,
            "partial": trace.partial,
            "shift": s.shift,
            "background": s.background,
            "recap": trace.recap,
            "resolved_by_reference": s.resolved,
        }
    return row


def _plain(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def rows_to_json(rows: Sequence[Mapping[str, Any]]) -> str:
    return json.dumps([{k: _plain(v) for k, v in row.items()} for row in rows], indent=2)


def rows_to_jsonl(rows: Iterable[Mapping[str, Any]]) -> str:
    return "\n".join(
        json_document(json.dumps({k: _plain(v) for k, v in row.items()}, ensure_ascii=False))
        for row in rows
    )


def rows_to_csv(rows: Sequence[Mapping[str, Any]], columns: Sequence[str] | None = None) -> str:
    columns = list(columns or (rows[0].keys() if rows else []))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _csv_value(row.get(k)) for k in columns})
    return buffer.getvalue()


def _csv_value(value: Any) -> str:
    # Only stored strings are defused: a number we format ("-0.50") is a number to a
    # spreadsheet too, and quoting it would turn it into text.
    plain = _plain(value)
    cell = _cell(plain)
    return csv_cell(cell) if isinstance(plain, (str, list)) else cell


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def shorten(text: str | None, width: int) -> str:
    """One safe line for a terminal (controls replaced), cut to width with an ellipsis."""
    if not text:
        return ""
    text = terminal_line(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def table_cells(
    rows: Sequence[Mapping[str, Any]], columns: Sequence[str], *, width: int = 80
) -> list[list[str]]:
    """Rows as display strings for a terminal table, long text shortened."""
    out = []
    for row in rows:
        cells = []
        for column in columns:
            value = _plain(row.get(column))
            if isinstance(value, str) and "T" in value and value[:4].isdigit():
                value = value[:16].replace("T", " ")
            cells.append(shorten(_cell(value), width))
        out.append(cells)
    return out


def summary_lines(summary: RunSummary) -> list[str]:
    """A run summary as short human lines (CLI and logs)."""
    duration = ""
    if summary.finished_at:
        duration = f" in {(summary.finished_at - summary.started_at).total_seconds():.1f}s"
    lines = [
        f"run {summary.run_id}: {summary.status}{duration}",
        f"feeds: {summary.feeds_polled} polled, {summary.feeds_not_modified} not modified, "
        f"{summary.feeds_failed} failed",
        f"entries: {summary.entries_seen} in feeds, {summary.entries_new} new",
        f"articles: {summary.articles_stored} stored ({summary.articles_from_feed} from feed text)",
        f"positions: {summary.statements_stored} statements, "
        f"{summary.changes_stored} changes/reaffirmations",
    ]
    if summary.errors:
        lines.append(f"problems recorded: {len(summary.errors)}")
        lines.extend(
            f"  - [{f.stage}] {shorten(f.url or f.feed_id, 200)}: {shorten(f.error_class, 60)}: "
            f"{shorten(f.message, 120)}"
            for f in summary.errors[:20]
        )
        if len(summary.errors) > 20:
            lines.append(f"  … and {len(summary.errors) - 20} more (stancewatch errors)")
    return lines


def summary_markdown(summary: RunSummary, changes: Sequence[Mapping[str, Any]] = ()) -> str:
    """A run summary for the Prefect dashboard's artifact page."""
    parts = ["# stancewatch run", ""]
    parts += [f"- {line}" for line in summary_lines(summary)[:5]]
    if summary.errors:
        parts += ["", "## Problems", "", "| stage | where | error |", "|---|---|---|"]
        parts += [
            f"| {md_text(f.stage)} | {md_text(f.url or f.feed_id or '')} | "
            f"{md_text(f.error_class)}: {md_text(shorten(f.message, 100))} |"
            for f in summary.errors[:50]
        ]
    if changes:
        parts += ["", "## Changes", "", "| actor | issue | kind | evidence |", "|---|---|---|---|"]
        parts += [
            f"| {md_text(str(c['actor']))} | {md_text(str(c['issue']))} | "
            f"{md_text(str(c['kind']))} | {md_text(shorten(str(c.get('evidence')), 140))} |"
            for c in changes
        ]
    return "\n".join(parts) + "\n"


def change_blocks(rows: Sequence[Mapping[str, Any]], *, evidence_width: int = 300) -> list[str]:
    """Changes as short readable blocks: the verdict on one line, the evidence under it."""
    lines: list[str] = []
    for row in rows:
        moved = row.get("baseline_stance") or "no baseline"
        when = _plain(row.get("published") or row.get("detected_at")) or ""
        lines.append(
            f"{shorten(row['actor'], 60)} · {shorten(row['issue'], 60)} · "
            f"{shorten(row['kind'], 20).upper()}  ({shorten(moved, 40)} → "
            f"{shorten(row.get('stance'), 40)}, confidence {float(row.get('confidence') or 0):.2f},"
            f" {shorten(row.get('attribution'), 20)})  {str(when)[:10]}"
        )
        lines.append(f"    evidence: “{shorten(row.get('evidence'), evidence_width)}”")
        if row.get("baseline_text"):
            lines.append(f"    baseline: “{shorten(row.get('baseline_text'), 160)}”")
        if row.get("url"):
            lines.append(f"    {shorten(row.get('title'), 200)} <{shorten(row['url'], 300)}>")
        lines.append("")
    return lines


def digest_markdown(rows: Sequence[Mapping[str, Any]], *, since: datetime) -> str:
    """Changes grouped by actor, newest detection first, for a daily digest."""
    parts = [f"# Position changes detected since {since:%Y-%m-%d %H:%M} UTC", ""]
    if not rows:
        return "\n".join([*parts, "No position changes in this period.", ""])
    by_actor: dict[str, list[Mapping[str, Any]]] = {}
    for row in rows:
        by_actor.setdefault(str(row["actor"]), []).append(row)
    for actor in sorted(by_actor):
        parts += [f"## {md_text(actor)}", ""]
        for row in by_actor[actor]:
            was = row.get("baseline_stance") or "no baseline"
            detected = str(_plain(row.get("detected_at")) or "")[:16].replace("T", " ")
            published = str(_plain(row.get("published")) or "")[:10] or "unknown"
            parts.append(
                f"- **{md_text(str(row['issue']))}: {md_text(str(row['kind']))}** "
                f"({md_text(str(was))} → {md_text(str(row.get('stance')))}, "
                f"confidence {float(row.get('confidence') or 0):.2f}; detected {detected}, "
                f"published {published}): "
                f"“{md_text(shorten(str(row.get('evidence')), 240))}” — "
                f"{md_link(str(row.get('title') or 'article'), row.get('url'))}"
            )
        parts.append("")
    return "\n".join(parts)


def event_blocks(rows: Sequence[Mapping[str, Any]], *, sources: int = 5) -> list[str]:
    """Position events as readable blocks: the move, its sighting and review, the strongest
    evidence, the baseline sentence and the articles that reported it."""
    lines: list[str] = []
    for row in rows:
        was = row.get("baseline_stance") or "no baseline"
        first, last = (str(_plain(row.get(k)) or "")[:10] for k in ("first_seen", "last_seen"))
        seen = first if first == last else f"{first} … {last}"
        status = str(row.get("status"))
        if row.get("reviewed_by"):
            status += f" by {row['reviewed_by']}"
            if row.get("note"):
                status += f" ({shorten(row['note'], 80)})"
        if row.get("withdrawn"):
            status += ", WITHDRAWN (its evidence left the articles)"
        lines.append(
            f"#{row['event_id']}  {row['actor']} · {row['issue']} · {str(row['kind']).upper()}"
            f"  ({was} → {row.get('stance')}, confidence "
            f"{float(row.get('confidence') or 0):.2f})  {seen}"
        )
        lines.append(
            f"    {row.get('stories')} stories, {row.get('articles')} articles, "
            f"{row.get('outlets')} outlets "
            f"({terminal_line(', '.join(row.get('outlet_ids') or []))}); {terminal_line(status)}"
        )
        lines.append(f"    evidence: “{shorten(row.get('evidence'), 300)}”")
        if row.get("baseline_text"):
            lines.append(f"    baseline: “{shorten(row.get('baseline_text'), 200)}”")
        listed = list(row.get("sources") or [])
        for source in listed[:sources]:
            mark = " [withdrawn]" if source.get("withdrawn") else ""
            when = str(_plain(source.get("stated_at")) or "")[:10]
            where = terminal_line(f"{source.get('feed_id') or ''}: {source.get('title') or ''}")
            lines.append(f"    - {when} {where} <{terminal_line(str(source.get('url')))}>{mark}")
        if len(listed) > sources:
            lines.append(f"    … and {len(listed) - sources} more articles")
        lines.append("")
    return lines


def events_markdown(rows: Sequence[Mapping[str, Any]], *, timeline: str | None = None) -> str:
    """Position events as a markdown table for the Prefect dashboard."""
    parts = ["# Position events", ""]
    if timeline:
        parts += [f"HTML timeline: `{timeline}`", ""]
    if not rows:
        return "\n".join([*parts, "No position events yet.", ""])
    parts += [
        "| # | status | actor · issue | move | stories / outlets | last seen | evidence |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        status = str(row["status"]) + (", withdrawn" if row.get("withdrawn") else "")
        was = row.get("baseline_stance") or "none"
        evidence = shorten(str(row.get("evidence")), 140).replace("|", "/")
        parts.append(
            f"| {row['event_id']} | {status} | {row['actor']} · {row['issue']} | "
            f"{row['kind']}: {was} → {row['stance']} | {row['stories']} / {row['outlets']} | "
            f"{str(_plain(row.get('last_seen')))[:10]} | [{evidence}]({row.get('evidence_url')}) |"
        )
    return "\n".join(parts) + "\n"
