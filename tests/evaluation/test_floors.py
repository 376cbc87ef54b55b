"""Tests for the pinned quality floors: loading floors.toml and checking scores against it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from stancewatch.errors import ConfigError
from stancewatch.evaluation.evaluate import run_eval
from stancewatch.evaluation.floors import (
    Floor,
    SetPin,
    check_floors,
    check_pins,
    labels_hash,
    load_floors,
    load_pins,
)
from stancewatch.evaluation.scoring import score_set
from stancewatch.evaluation.sets import load_set
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


# --- pins: a set cannot shrink or change silently ----------------------------------------------

SHIPPED_SETS = ["ceasefire", "ev_tariffs"]


@pytest.mark.parametrize("name", SHIPPED_SETS)
def test_shipped_sets_match_their_pins(name: str) -> None:
    eval_set = load_set(REPO / "eval" / name)
    pins = load_pins(REPO / "eval" / "floors.toml")
    assert pins[name].articles == len(eval_set.articles)
    assert check_pins(name, eval_set.articles, pins) == []


def _copy_of_ev_tariffs(tmp_path: Path) -> tuple[Path, dict[str, object]]:
    copy = tmp_path / "ev_tariffs"  # the name its floors and pins are filed under
    shutil.copytree(REPO / "eval" / "ev_tariffs", copy)
    labels = json.loads((copy / "labels.json").read_text(encoding="utf-8"))
    return copy, labels


def test_a_shrunk_set_fails_the_eval(tmp_path: Path) -> None:
    copy, labels = _copy_of_ev_tariffs(tmp_path)
    articles = labels["articles"]
    assert isinstance(articles, dict)
    # drop a decoy: the easiest way to keep the scores up while quietly losing a hard case
    dropped = next(name for name, a in articles.items() if a["decoy"])
    del articles[dropped]
    (copy / "articles" / dropped).unlink()
    (copy / "labels.json").write_text(json.dumps(labels), encoding="utf-8")

    text, passed = run_eval([copy], REPO / "eval" / "floors.toml")

    assert not passed
    assert "20 articles but floors.toml pins 21" in text
    assert "labels hash" in text  # the labels lost an article too


def test_relabeling_a_change_fails_the_eval_but_rewording_a_note_does_not(tmp_path: Path) -> None:
    copy, labels = _copy_of_ev_tariffs(tmp_path)
    articles = labels["articles"]
    assert isinstance(articles, dict)
    first = next(a for a in articles.values() if a["changes"])
    first["changes"][0]["note"] = "reworded: " + first["changes"][0]["note"]
    (copy / "labels.json").write_text(json.dumps(labels, indent=4), encoding="utf-8")
    pins = load_pins(REPO / "eval" / "floors.toml")
    assert check_pins("ev_tariffs", load_set(copy).articles, pins) == []

    first["changes"][0]["kind"] = "new" if first["changes"][0]["kind"] != "new" else "reaffirmed"
    (copy / "labels.json").write_text(json.dumps(labels), encoding="utf-8")
    (violation,) = check_pins("ev_tariffs", load_set(copy).articles, pins)
    assert "labels hash" in violation.message and "floors.toml pins" in violation.message


def test_a_set_without_pins_fails_and_is_told_what_to_pin() -> None:
    articles = [gold("1.txt", ("israel", "reversal"))]
    (violation,) = check_pins("fresh", articles, {"other": SetPin(1, "x")})
    assert "not pinned" in violation.message
    assert f'labels_hash = "{labels_hash(articles)}"' in violation.message
    assert "articles = 1" in violation.message


def test_pins_load_beside_floors(tmp_path: Path) -> None:
    path = tmp_path / "floors.toml"
    path.write_text('[a]\narticles = 3\nlabels_hash = "abc"\nshift_f1 = 0.5\n[b]\nnew_f1 = 1\n')
    assert load_pins(path) == {"a": SetPin(3, "abc")}
    assert load_floors(path)["a"] == (Floor("shift_f1", 0.5),)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[a]\nlabels_hash = "abc"\n', "article count"),
        ("[a]\narticles = 0\nlabels_hash = 'abc'\n", "article count"),
        ("[a]\narticles = 3\n", "labels_hash"),
    ],
)
def test_bad_pins_are_a_config_error(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "floors.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_pins(path)
