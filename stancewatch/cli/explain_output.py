"""Explanations as plain text: every statement the reader found, how, and what decided each pair."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from stancewatch.models import Change, Comparison, Statement
    from stancewatch.positions import SeedStatement

_INDENT = "    "


def comparison_explanation(comparison: Comparison) -> list[str]:
    """Per actor and issue: the change (if any), why it won, its confidence, then every
    statement on the pair with how the reader found it and what the comparison made of it."""
    if not comparison.related:
        return ["  not related: the article's sentences are mostly out of the story's scope"]
    if not comparison.statements:
        return ["  no statement of a watchlisted actor on a watchlisted issue"]
    # A pair can have two outcomes: one on the baseline's offer, one on an offer the seeds
    # never name ("the 20-point plan").
    changes: dict[tuple[str, str], list[Change]] = {}
    for c in comparison.changes:
        changes.setdefault((c.actor, c.issue), []).append(c)
    pairs: dict[tuple[str, str], list[int]] = {}
    for number, s in enumerate(comparison.statements):
        pairs.setdefault((s.actor, s.issue), []).append(number)
    lines: list[str] = []
    for (actor, issue), numbers in pairs.items():
        lines.append("")
        outcomes: list[Change | None] = [*changes.get((actor, issue), [])] or [None]
        for change in outcomes:
            lines.append(f"  {actor} / {issue}: {_outcome(change)}")
            if change is not None and change.explanation is not None:
                lines.append(f"{_INDENT}why: {change.explanation.why}")
                lines.append(f"{_INDENT}confidence: {_factors(change)}")
        for number in numbers:
            verdict = comparison.verdicts[number] if comparison.verdicts else ""
            lines += statement_lines(number + 1, comparison.statements[number], verdict)
    return lines


def _outcome(change: Change | None) -> str:
    if change is None:
        return "no change"
    base = f"baseline {change.baseline.stance}" if change.baseline else "no baseline"
    return f"{change.kind} ({base} → {change.stance}), confidence {change.confidence:.2f}"


def _factors(change: Change) -> str:
    assert change.explanation is not None
    parts = [f"{name} {value:g}" for name, value in change.explanation.factors]
    return " × ".join(parts) + f" = {change.confidence:.2f}"


def statement_lines(number: int, s: Statement, verdict: str) -> list[str]:
    """One statement: its sentence, holder, attribution, cue, object, modifiers, recap."""
    where = "headline" if s.headline else f"sentence {s.sentence_index + 1}"
    pad = _INDENT + "   "
    lines = [f"{_INDENT}[{number}] {where}: {s.stance} ({s.score:+g})" + _verdict(verdict)]
    lines.append(f"{pad}sentence: {s.sentence}")
    trace = s.trace
    if trace is None:
        lines.append(f"{pad}attribution: {s.attribution}")
        return lines
    lines.append(f"{pad}holder: {trace.holder} → {s.actor} ({trace.holder_how})")
    lines.append(f"{pad}attribution: {s.attribution} ({trace.attribution_why})")
    lines.append(f"{pad}cue: {trace.cue} ({trace.cue_how})")
    named = f"; the offer is named by {', '.join(s.offer)}" if s.offer else ""
    lines.append(f"{pad}object: {trace.object} → {s.issue} ({trace.object_how}{named})")
    lines.append(f"{pad}{_modifiers(s, trace.negation, trace.partial)}")
    lines.append(f"{pad}{trace.recap}")
    return lines


def _verdict(verdict: str) -> str:
    return f" — {verdict}" if verdict else ""


def _modifiers(s: Statement, negation: str | None, partial: bool) -> str:
    parts: Sequence[str] = (
        f"negation: {negation or 'none'}",
        f"modality: {s.modality or 'plain'}",
        f"condition: {s.condition or 'none'}",
        f"scope: {'partial' if partial else 'whole'}",
        f"text calls it a move: {s.shift or 'no'}",
    )
    return "; ".join(parts)


def baseline_explanation(items: Sequence[SeedStatement]) -> list[str]:
    """Every statement of the seed documents, per file, with what the baseline made of it."""
    lines: list[str] = []
    current = None
    for number, item in enumerate(items, start=1):
        if item.seed_file != current:
            current = item.seed_file
            published = ", ".join(str(x) for x in (item.seed_date, item.seed_source) if x)
            lines += ["", f"{current}" + (f" ({published})" if published else "") + ":"]
        s = item.statement
        lines.append(f"  {s.actor} / {s.issue}")
        lines += statement_lines(number, s, item.verdict)
    if not items:
        lines.append("the seed documents state no position of a watchlisted actor")
    return lines
