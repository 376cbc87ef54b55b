"""Records: the few derived properties they offer."""

from __future__ import annotations

from datetime import UTC, datetime

from stancewatch.models import Change, FetchResult, RunSummary


def test_fetch_result_properties() -> None:
    result = FetchResult(
        url="http://x",
        final_url="http://x",
        status=304,
        headers={"content-type": "Text/HTML; charset=utf-8"},
        body=b"",
    )
    assert result.not_modified
    assert result.content_type == "text/html"


def test_change_is_shift_only_for_moves() -> None:
    def make(kind: str) -> Change:
        return Change("a", "i", kind, "s", 0.0, "e", "direct", 0.5)  # type: ignore[arg-type]

    assert [make(k).is_shift for k in ("reversal", "softening", "hardening")] == [True] * 3
    assert not make("reaffirmed").is_shift and not make("new").is_shift


def test_run_summary_as_dict_counts_errors() -> None:
    summary = RunSummary(run_id="r", started_at=datetime(2024, 1, 1, tzinfo=UTC))
    data = summary.as_dict()
    assert data["run_id"] == "r" and data["errors"] == 0 and data["finished_at"] is None
