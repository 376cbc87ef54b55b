"""The user documentation names every value the output can show."""

from __future__ import annotations

import re
from pathlib import Path

from stancewatch.models import STANCE_SCORES

REPO = Path(__file__).resolve().parents[1]


def _label_table() -> dict[str, str]:
    doc = (REPO / "docs" / "watchlist.md").read_text(encoding="utf-8")
    section = doc[doc.index("## Stance labels") :]
    rows = re.findall(r"^\| `(\w+)` \| ([^|]+) \|", section, re.MULTILINE)
    return {label: score.strip() for label, score in rows}


def test_every_stance_label_is_documented_with_its_score() -> None:
    table = _label_table()
    assert set(STANCE_SCORES) <= set(table), f"undocumented: {set(STANCE_SCORES) - set(table)}"
    for label, score in STANCE_SCORES.items():
        written = table[label].replace("−", "-").lstrip("+")
        assert float(written) == score, f"{label}: docs say {table[label]}, code says {score}"


def test_readme_points_to_the_stance_labels() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "docs/watchlist.md#stance-labels" in readme
    for label in ("shift", "reject_partial"):
        assert f"`{label}`" in readme
