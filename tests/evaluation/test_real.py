"""Real-article sets: set.toml, corpus labels, texts from a cache, coverage, pooled scores."""

from __future__ import annotations

from pathlib import Path

import pytest

from stancewatch.errors import ConfigError
from stancewatch.evaluation.evaluate import EvalSet, evaluate_sets, render_report
from stancewatch.evaluation.real import load_real_set
from stancewatch.evaluation.scoring import GoldArticle, GoldChange, pool_scores, score_set
from stancewatch.models import Change, ChangeKind, Comparison

WATCHLIST = """
[topic]
id = "t"
label = "Test topic"

[scope]
include = ["harbour"]
exclude = []

[[actors]]
id = "union"
name = "Union"
kind = "group"
aliases = ["the union"]

[[actors]]
id = "firm"
name = "Firm"
kind = "group"
aliases = ["the firm"]

[[issues]]
id = "wages"
label = "Wages"
terms = ["wages"]
"""

LABELS = """
topic: {id: t, label: test}
baseline:
  B1: {actor: union, issue: wages demanded, stance: demand}
  B2: {actor: firm, issue: wages offered, stance: propose}
articles:
  '001':
    related: true
    class: change
    changes:
    - {actor: union, baseline: B1, kind: softening}
    - {actor: firm, baseline: null, kind: new}
  '002':
    related: true
    class: reaffirm
    changes:
    - {actor: firm, baseline: B2, kind: reaffirmed}
  '003':
    related: false
    class: unrelated
    changes: []
"""


def make_real_set(
    root: Path, texts: tuple[str, ...] = ("001", "002", "003"), seed: str = "none"
) -> tuple[Path, Path]:
    """A corpus topic, a cache holding some of its texts, and eval/real/<topic>/set.toml."""
    corpus = root / "corpus" / "topic"
    corpus.mkdir(parents=True)
    (corpus / "labels.yaml").write_text(LABELS)
    cache = root / "cache"
    (cache / "topic" / "articles").mkdir(parents=True)
    for name in texts:
        (cache / "topic" / "articles" / f"{name}.txt").write_text(f"Title {name}\n\nBody {name}.")
    directory = root / "eval" / "real" / "topic"
    directory.mkdir(parents=True)
    (directory / "watchlist.toml").write_text(WATCHLIST)
    (directory / "set.toml").write_text(
        f'corpus = "topic"\nlabels = "../../../corpus/topic/labels.yaml"\nseed = "{seed}"\n'
        '[baseline]\nB1 = "wages"\nB2 = "wages"\n'
    )
    return directory, cache


def move(actor: str, kind: ChangeKind, confidence: float = 0.9) -> Change:
    return Change(actor, "wages", kind, "accept", 1.0, "s", "direct", confidence)


class TitlePredictor:
    """Answers per article title, so a test fixes what the 'engine' says."""

    def __init__(self, answers: dict[str, Comparison]) -> None:
        self.answers = answers

    def compare_text(self, text: str, title: str | None = None) -> Comparison:
        return self.answers.get(title or "", Comparison(related=True, relatedness=0.9))


def test_load_real_set_reads_labels_and_maps_baseline_ids(tmp_path: Path) -> None:
    directory, cache = make_real_set(tmp_path)
    eval_set = load_real_set(directory, cache)
    assert eval_set.name == "real-topic"
    assert eval_set.level == "actor"
    assert eval_set.missing == () and eval_set.problems == ()
    first = next(a for a in eval_set.articles if a.name == "001.txt")
    assert {(c.actor, c.issue, c.kind) for c in first.changes} == {
        ("union", "wages", "softening"),
        ("firm", "-", "new"),
    }
    decoy = next(a for a in eval_set.articles if a.name == "003.txt")
    assert decoy.decoy and not decoy.related
    assert eval_set.article_path("001.txt") == cache / "topic" / "articles" / "001.txt"


def test_missing_texts_are_listed_and_low_coverage_fails(tmp_path: Path) -> None:
    directory, cache = make_real_set(tmp_path, texts=("001", "002"))
    eval_set = load_real_set(directory, cache)
    assert eval_set.missing == ("003.txt",)
    assert [a.name for a in eval_set.articles] == ["001.txt", "002.txt"]
    (problem,) = eval_set.problems
    assert "2/3 texts present" in problem and "check.py" in problem and str(cache) in problem


def test_a_needed_seed_text_that_is_absent_fails_the_topic(tmp_path: Path) -> None:
    directory, cache = make_real_set(tmp_path, seed="cache")
    eval_set = load_real_set(directory, cache)
    assert eval_set.articles == ()
    assert any("seed text" in p and "missing" in p for p in eval_set.problems)
    (cache / "topic" / "seed.txt").write_text("Seed\n\nThe union demanded higher wages.")
    with_seed = load_real_set(directory, cache)
    assert with_seed.problems == () and with_seed.seed_documents is not None


def test_mapping_to_an_unknown_issue_names_set_toml(tmp_path: Path) -> None:
    directory, cache = make_real_set(tmp_path)
    text = (directory / "set.toml").read_text().replace('B2 = "wages"', 'B2 = "pensions"')
    (directory / "set.toml").write_text(text)
    with pytest.raises(ConfigError, match="unknown issue 'pensions'") as info:
        load_real_set(directory, cache)
    assert "set.toml" in str(info.value)


def test_mapping_an_id_the_labels_lack_is_an_error(tmp_path: Path) -> None:
    directory, cache = make_real_set(tmp_path)
    (directory / "set.toml").write_text((directory / "set.toml").read_text() + 'B9 = "wages"\n')
    with pytest.raises(ConfigError, match="B9: not a baseline id"):
        load_real_set(directory, cache)


def test_actor_level_shift_counts_any_shift_kind_of_the_actor() -> None:
    articles = [
        GoldArticle("a", True, False, (GoldChange("union", "wages", "softening"),)),
        GoldArticle("b", True, False, (GoldChange("firm", "-", "new"),)),
    ]
    predictions = {
        "a": Comparison(True, 0.9, (move("union", "reversal"),)),
        "b": Comparison(True, 0.9, (move("firm", "new"), move("union", "hardening", 0.6))),
    }
    by_actor = score_set("s", articles, predictions, level="actor")
    assert (by_actor.shift.tp, by_actor.shift.fp, by_actor.shift.fn) == (1, 1, 0)
    assert (by_actor.movement.tp, by_actor.movement.fp, by_actor.movement.fn) == (2, 1, 0)
    by_kind = score_set("s", articles, predictions, level="kind")
    assert (by_kind.shift.tp, by_kind.shift.fp, by_kind.shift.fn) == (0, 2, 1)


def test_reliability_table_bins_changes_by_confidence() -> None:
    articles = [GoldArticle("a", True, False, (GoldChange("union", "wages", "softening"),))]
    predictions = {
        "a": Comparison(
            True,
            0.9,
            (
                move("union", "softening", 0.92),
                move("firm", "hardening", 0.85),
                move("firm", "new", 0.55),
                move("union", "reaffirmed", 0.95),  # reaffirmations are not alerts
            ),
        )
    }
    score = score_set("s", articles, predictions, level="actor")
    by_bin = {(round(b.low, 1), b.total, b.correct) for b in score.reliability if b.total}
    assert by_bin == {(0.9, 1, 1), (0.8, 1, 0), (0.5, 1, 0)}
    confident = score.reliability_above(0.8)
    assert (confident.total, confident.correct) == (2, 1)
    assert score.metrics()["confident_precision"] == pytest.approx(0.5)


def test_pooled_score_sums_the_sets_items() -> None:
    articles = [GoldArticle("a", True, False, (GoldChange("union", "wages", "softening"),))]
    hit = score_set("x", articles, {"a": Comparison(True, 0.9, (move("union", "softening"),))})
    miss = score_set("y", articles, {"a": Comparison(True, 0.9, ())}, level="actor")
    pooled = pool_scores("real-pooled", [hit, miss])
    assert (pooled.shift.tp, pooled.shift.fn) == (1, 1)
    assert pooled.n_articles == 2 and pooled.relatedness_accuracy == 1.0


def test_evaluate_real_sets_scores_present_texts_against_floors(tmp_path: Path) -> None:
    directory, cache = make_real_set(tmp_path)
    floors = tmp_path / "floors.toml"
    floors.write_text("[real-topic]\nshift_f1 = 0.9\nmovement_f1 = 0.9\ndecoy_changes = 0\n")
    right = TitlePredictor(
        {
            "Title 001": Comparison(True, 0.9, (move("union", "softening"), move("firm", "new"))),
            "Title 003": Comparison(False, 0.1),
        }
    )
    scores, violations = evaluate_sets([directory], floors, lambda s: right, texts_cache=cache)
    assert violations == []
    (score,) = scores
    assert score.shift.f1 == 1.0 and score.movement.f1 == 1.0
    report = render_report(scores, violations, verbose=True)
    assert "reliability" in report and "summary" in report and report.endswith("PASS")

    wrong = TitlePredictor({"Title 003": Comparison(False, 0.1, (move("firm", "new"),))})
    scores, violations = evaluate_sets([directory], floors, lambda s: wrong, texts_cache=cache)
    failed = {v.floor.metric for v in violations if v.floor}
    assert failed == {"shift_f1", "movement_f1", "decoy_changes"}


def test_uncovered_topic_is_reported_not_scored_as_fine(tmp_path: Path) -> None:
    directory, cache = make_real_set(tmp_path, texts=("001",))
    floors = tmp_path / "floors.toml"
    floors.write_text("[real-topic]\ndecoy_changes = 0\n")
    scores, violations = evaluate_sets(
        [directory], floors, lambda s: TitlePredictor({}), texts_cache=cache
    )
    report = render_report(scores, violations)
    assert "1/3 texts present" in report
    assert "texts missing (2, not scored): 002.txt, 003.txt" in report
    assert report.splitlines()[-1].startswith("FAIL")


def test_shipped_real_sets_load_with_their_watchlists(tmp_path: Path) -> None:
    """Every eval/real/* set.toml, watchlist and mapping is valid (an empty cache is fine)."""
    repo = Path(__file__).resolve().parents[2]
    sets = sorted((repo / "eval" / "real").glob("*/set.toml"))
    assert len(sets) >= 5
    for path in sets:
        eval_set: EvalSet = load_real_set(path.parent, tmp_path)
        assert eval_set.missing and eval_set.problems  # nothing in this empty cache
