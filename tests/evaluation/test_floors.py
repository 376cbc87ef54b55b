"""Tests for the pinned quality floors: loading floors.toml and checking scores against it."""

from __future__ import annotations

from pathlib import Path

import pytest

from stancewatch.errors import ConfigError
from stancewatch.evaluation.floors import Floor, check_floors, load_floors
from stancewatch.evaluation.scoring import score_set
from tests.evaluation.test_scoring import change, comp, gold

REPO = Path(__file__).resolve().parents[2]


def test_floors_detect_violations_of_minimums_and_maximums() -> None:
    articles = [
        gold("1.txt", ("israel", "reversal")),
        gold("2.txt", ("hamas", "softening")),
        gold("3.txt", related=False, decoy=True),
    ]
    predictions = {
        "1.txt": comp(change("israel", "reversal")),
        "2.txt": comp(),
        "3.txt": comp(change("qatar", "new"), related=False),
    }
    score = score_set("s", articles, predictions)
    floors = {
        "s": (
            Floor("reversal_f1", 1.0),  # met exactly
            Floor("shift_f1", 0.9),  # 2/3: violated
            Floor("decoy_false_alarms", 0),  # 1: violated
            Floor("decoy_changes", 1),  # met
            Floor("reaffirmed_rate", 0.5),  # nothing to measure: violated
        )
    }
    violations = check_floors(score, floors)
    assert [v.floor.metric for v in violations if v.floor] == [
        "shift_f1",
        "decoy_false_alarms",
        "reaffirmed_rate",
    ]
    assert violations[0].actual == pytest.approx(2 / 3)
    assert "shift_f1 >= 0.90 but got 0.67" in violations[0].message
    assert "decoy_false_alarms <= 0 but got 1" in violations[1].message
    assert "not measurable" in violations[2].message


def test_a_set_without_floors_fails() -> None:
    score = score_set("orphan", [gold("1.txt")], {"1.txt": comp()})
    violations = check_floors(score, {"other": (Floor("shift_f1", 0.5),)})
    assert len(violations) == 1
    assert "no floors for this set" in violations[0].message
    assert "[orphan]" in violations[0].message


def test_load_floors(tmp_path: Path) -> None:
    path = tmp_path / "floors.toml"
    path.write_text("[a]\nshift_f1 = 0.8\ndecoy_false_alarms = 0\n[b]\nnew_recall = 1\n")
    floors = load_floors(path)
    assert floors["a"] == (Floor("shift_f1", 0.8), Floor("decoy_false_alarms", 0.0))
    assert floors["a"][1].is_max and not floors["a"][0].is_max
    assert floors["b"] == (Floor("new_recall", 1.0),)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[a]\nshift_fl = 0.8\n", "unknown metric"),
        ("[a]\nshift_f1 = 1.5\n", "between 0 and 1"),
        ("[a]\nshift_f1 = 'high'\n", "must be a number"),
        ("[a]\ndecoy_changes = 1.5\n", "whole number"),
        ("shift_f1 = 0.8\n", "expected a table"),
        ("[a\n", "invalid TOML"),
    ],
)
def test_bad_floors_file_is_a_config_error(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "floors.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message) as info:
        load_floors(path)
    assert info.value.file == str(path)


def test_missing_floors_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="floors file not found"):
        load_floors(tmp_path / "nope.toml")


def test_shipped_floors_file_has_the_ceasefire_set_and_the_lowering_warning() -> None:
    path = REPO / "eval" / "floors.toml"
    floors = load_floors(path)
    assert {f.metric for f in floors["ceasefire"]} >= {
        "shift_f1",
        "new_f1",
        "reaffirmed_rate",
        "relatedness_accuracy",
        "decoy_false_alarms",
    }
    head = path.read_text().splitlines()[:6]
    assert any("LOWERING ANY FLOOR" in line for line in head)
