"""Engine commands: compare's JSON contract and the baseline review."""

from __future__ import annotations

import json
from pathlib import Path

from stancewatch.settings import Settings
from tests.conftest import PARAGRAPHS_A, invoke


def db_args(settings: Settings) -> list[str]:
    return ["--db", str(settings.db_path)]


def test_compare_json_contract(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Hamas digs in\n\n" + "\n\n".join(PARAGRAPHS_A))
    code, out, _ = invoke("compare", str(article), "--json")
    assert code == 0
    result = json.loads(out)
    assert set(result) == {"related", "relatedness", "changes"}
    assert result["related"] is True and 0 <= result["relatedness"] <= 1
    for change in result["changes"]:
        assert change["kind"] in {"reversal", "softening", "hardening", "reaffirmed", "new"}
        assert change["attribution"] in {"direct", "reported", "third_party"}
        assert 0 <= change["confidence"] <= 1
        assert (change["baseline"] is None) == (change["kind"] == "new")

    second = tmp_path / "b.txt"
    second.write_text("Markets\n\nOil prices rose on Monday as traders weighed supply data.")
    code, out, _ = invoke("compare", str(article), str(second), "--json")
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["source"] for line in lines] == [str(article), str(second)]
    assert lines[1]["changes"] == []


def test_baseline_lists_seed_positions() -> None:
    code, out, _ = invoke("baseline", "--format", "json")
    rows = json.loads(out)
    assert code == 0
    assert {"israel", "hamas"} <= {r["actor"] for r in rows}
    assert all(r["text"] for r in rows)
