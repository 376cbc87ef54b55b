"""Confidence on the labeled dev sets: it ranks changes by how often they are right."""

from __future__ import annotations

from pathlib import Path

from stancewatch.evaluation.evaluate import default_engine, predict_set
from stancewatch.evaluation.scoring import gold_items
from stancewatch.evaluation.sets import load_set
from tests.conftest import REPO_ROOT

SETS = [REPO_ROOT / "eval" / "ceasefire", REPO_ROOT / "eval" / "ev_tariffs"]
HIGH = 0.85  # the split between "confident" and "less sure" changes


def scored_changes(directory: Path) -> list[tuple[float, bool]]:
    """(confidence, right?) for every change the engine finds in a set's articles."""
    eval_set = load_set(directory)
    gold = gold_items(eval_set.articles)
    predictions = predict_set(eval_set, default_engine(eval_set))
    return [
        (change.confidence, (name, change.actor, change.kind) in gold)
        for name, comparison in predictions.items()
        for change in comparison.changes
    ]


def precision(points: list[tuple[float, bool]]) -> float:
    return sum(right for _, right in points) / len(points)


def test_confidence_ranks_changes_and_never_overstates_them_on_the_dev_sets() -> None:
    """The factors are calibrated on real articles (`make eval-real`, texts outside the repo);
    on the development sets, which the engine was tuned on, changes are right more often, so
    here confidence must rank changes and must not promise more than they deliver."""
    points = [point for directory in SETS for point in scored_changes(directory)]
    assert len(points) >= 100  # enough changes for the rates below to mean something
    mean_confidence = sum(conf for conf, _ in points) / len(points)

    assert mean_confidence <= precision(points) + 0.05, (mean_confidence, precision(points))
    confident = [p for p in points if p[0] >= HIGH]
    unsure = [p for p in points if p[0] < HIGH]
    assert len(confident) >= 20 and len(unsure) >= 20
    assert precision(confident) > precision(unsure) + 0.03
