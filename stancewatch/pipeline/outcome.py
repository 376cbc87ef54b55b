"""How a finished monitor pass is judged: completed, partial or failed, and the lines why."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from stancewatch.models import ItemFailure, RunSummary

Verdict = Literal["completed", "partial", "failed"]

#: The DuckDB `runs.status` of each verdict.
RUN_STATUS: dict[Verdict, str] = {"completed": "ok", "partial": "partial", "failed": "failed"}


@dataclass(frozen=True)
class RunOutcome:
    """A pass's verdict, a one-line message for the run's state, and one line per problem."""

    verdict: Verdict
    message: str
    problems: tuple[str, ...]


def problem_line(failure: ItemFailure) -> str:
    """One problem as a log line with the URL last, so log viewers link the URL and only it.

    (`<url>: message` made the dashboard's link swallow the colon.)
    """
    where = failure.url or (f"feed {failure.feed_id}" if failure.feed_id else "")
    text = f"{failure.stage} {failure.error_class}: {' '.join(failure.message.split())}"
    if failure.feed_id and failure.url:
        text = f"{text} (feed {failure.feed_id})"
    return f"{text} — {where}" if where else text


def judge_run(summary: RunSummary) -> RunOutcome:
    """Failed when every polled (enabled) feed failed; partial with any recorded problem.

    A pass that reached no feed at all learnt nothing, whatever else went right: an outage must
    not look like a quiet day.
    """
    problems = tuple(problem_line(failure) for failure in summary.errors)
    if summary.feeds_polled and summary.feeds_failed == summary.feeds_polled:
        reasons = "; ".join(problems[:10])
        return RunOutcome(
            "failed", f"all {summary.feeds_polled} enabled feeds failed: {reasons}", problems
        )
    counts = (
        f"{summary.feeds_polled} feeds polled, {summary.articles_stored} articles stored, "
        f"{summary.changes_stored} changes/reaffirmations"
    )
    if problems:
        return RunOutcome("partial", f"{counts}; {len(problems)} problems recorded", problems)
    return RunOutcome("completed", counts, problems)
