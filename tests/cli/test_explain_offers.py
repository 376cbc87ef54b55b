"""--explain on a pair with two outcomes: the baseline's offer and an offer the seeds never name."""

from __future__ import annotations

from pathlib import Path

from stancewatch.cli.explain_output import comparison_explanation
from stancewatch.positions import Engine, SeedDocument
from tests.positions.watchlists import HARBOUR
from tests.positions.watchlists import HARBOUR_SEED as SEED


def test_both_outcomes_of_a_pair_are_explained(tmp_path: Path) -> None:
    path = tmp_path / "watchlist.toml"
    path.write_text(HARBOUR)
    engine = Engine.from_parts(path, None, (SeedDocument("seed", SEED),))
    text = (
        "The Harbour Front on Tuesday rejected Velmar's new truce offer for the harbour. "
        "The Front also rejected the 12-point plan for the harbour."
    )
    out = "\n".join(comparison_explanation(engine.compare_text(text, explain=True)))
    assert "front / truce_deal: reaffirmed (baseline reject → reject)" in out
    assert "front / truce_deal: new (no baseline → reject)" in out
    assert "the offer is named by numbered:12-point" in out
    assert "an offer the seed documents never name (numbered 12-point)" in out
