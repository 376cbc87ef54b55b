"""Tests for scoring: per-kind P/R/F1, shift, macro-F1, relatedness, decoys, reaffirmation."""

from __future__ import annotations

import pytest

from stancewatch.evaluation.scoring import PRF, GoldArticle, GoldChange, prf, score_set
from stancewatch.models import Change, ChangeKind, Comparison


def change(actor: str, kind: ChangeKind, issue: str = "deal", evidence: str = "") -> Change:
    return Change(
        actor=actor,
        issue=issue,
        kind=kind,
        stance="accept",
        score=1.0,
        evidence=evidence or f"{actor} {kind} sentence",
        attribution="direct",
        confidence=0.9,
    )


def comp(*changes: Change, related: bool = True) -> Comparison:
    return Comparison(related=related, relatedness=0.9 if related else 0.1, changes=changes)


def gold(
    name: str, *changes: tuple[str, str], related: bool = True, decoy: bool = False
) -> GoldArticle:
    return GoldArticle(
        name,
        related,
        decoy,
        tuple(
            GoldChange(actor, f"issue{i}", kind, note=f"why {actor}")
            for i, (actor, kind) in enumerate(changes)
        ),
    )


# --- PRF -----------------------------------------------------------------------------------------


def test_prf_counts_and_rates() -> None:
    g = {("a", "x", "new"), ("b", "x", "new"), ("c", "y", "new")}
    p = {("a", "x", "new"), ("d", "z", "new")}
    counts = prf(g, p)
    assert (counts.tp, counts.fp, counts.fn) == (1, 1, 2)
    assert counts.precision == pytest.approx(0.5)
    assert counts.recall == pytest.approx(1 / 3)
    assert counts.f1 == pytest.approx(2 * 0.5 * (1 / 3) / (0.5 + 1 / 3))


def test_prf_with_nothing_to_score_is_not_measurable() -> None:
    empty = PRF(0, 0, 0)
    assert not empty.active
    assert empty.precision is None and empty.recall is None and empty.f1 is None
    only_gold = PRF(0, 0, 3)
    assert only_gold.precision is None
    assert only_gold.recall == 0.0 and only_gold.f1 == 0.0
    only_pred = PRF(0, 2, 0)
    assert only_pred.precision == 0.0 and only_pred.recall is None and only_pred.f1 == 0.0


# --- score_set -----------------------------------------------------------------------------------


def test_per_kind_shift_and_macro_scores() -> None:
    articles = [
        gold("1.txt", ("hamas", "softening"), ("israel", "reaffirmed")),
        gold("2.txt", ("israel", "reversal")),
        gold("3.txt", ("qatar", "new")),
        gold("4.txt"),
    ]
    predictions = {
        "1.txt": comp(change("hamas", "hardening"), change("israel", "reaffirmed")),  # wrong kind
        "2.txt": comp(change("israel", "reversal")),
        "3.txt": comp(),
        "4.txt": comp(change("egypt", "new")),
    }
    score = score_set("t", articles, predictions)
    k = score.per_kind
    assert (k["reversal"].tp, k["reversal"].fp, k["reversal"].fn) == (1, 0, 0)
    assert (k["softening"].tp, k["softening"].fp, k["softening"].fn) == (0, 0, 1)
    assert (k["hardening"].tp, k["hardening"].fp, k["hardening"].fn) == (0, 1, 0)
    assert (k["new"].tp, k["new"].fp, k["new"].fn) == (0, 1, 1)
    assert (k["reaffirmed"].tp, k["reaffirmed"].fp, k["reaffirmed"].fn) == (1, 0, 0)
    # shift is micro over the three shift kinds with an exact kind match
    assert (score.shift.tp, score.shift.fp, score.shift.fn) == (1, 1, 1)
    assert score.shift.f1 == pytest.approx(0.5)
    # macro over the five kinds, all of which have gold or predicted items here
    assert score.macro_f1 == pytest.approx((1.0 + 0.0 + 0.0 + 1.0 + 0.0) / 5)
    metrics = score.metrics()
    assert metrics["shift_f1"] == pytest.approx(0.5)
    assert metrics["reversal_precision"] == 1.0
    assert metrics["softening_precision"] is None


def test_macro_f1_skips_kinds_without_items() -> None:
    articles = [gold("1.txt", ("israel", "reversal"))]
    score = score_set("t", articles, {"1.txt": comp(change("israel", "reversal"))})
    assert score.per_kind["new"].f1 is None
    assert score.macro_f1 == pytest.approx(1.0)


def test_several_kinds_for_one_actor_each_count() -> None:
    articles = [gold("1.txt", ("israel", "softening"))]
    predictions = {
        "1.txt": comp(
            change("israel", "softening", issue="a"),
            change("israel", "new", issue="b"),
            change("israel", "softening", issue="c"),  # same (article, actor, kind): one item
        )
    }
    score = score_set("t", articles, predictions)
    assert score.per_kind["softening"].tp == 1 and score.per_kind["softening"].fp == 0
    assert score.per_kind["new"].fp == 1


def test_relatedness_accuracy_and_decoy_false_alarms() -> None:
    articles = [
        gold("1.txt"),
        gold("2.txt", related=False, decoy=True),
        gold("3.txt", related=False, decoy=True),
        gold("4.txt", related=False, decoy=True),
    ]
    predictions = {
        "1.txt": comp(related=False),  # wrong
        "2.txt": comp(related=False),  # right, no change
        "3.txt": comp(change("israel", "reversal"), change("us", "new"), related=True),  # wrong
        "4.txt": comp(change("qatar", "reaffirmed"), related=False),  # right, but a change
    }
    score = score_set("t", articles, predictions)
    assert score.relatedness_accuracy == pytest.approx(0.5)
    assert score.decoy_false_alarms == 2
    assert score.decoy_changes == 3
    assert score.n_decoys == 3


def test_reaffirmation_rate() -> None:
    articles = [
        gold("1.txt", ("israel", "reaffirmed")),  # kept
        gold("2.txt", ("israel", "reaffirmed")),  # predicted as reaffirmed AND a spurious shift
        gold("3.txt", ("israel", "reaffirmed")),  # missed
        gold("4.txt", ("israel", "reaffirmed"), ("israel", "softening")),  # both right: kept
        gold("5.txt", ("hamas", "reaffirmed")),  # spurious new for hamas
    ]
    predictions = {
        "1.txt": comp(change("israel", "reaffirmed")),
        "2.txt": comp(change("israel", "reaffirmed"), change("israel", "hardening", issue="x")),
        "3.txt": comp(change("israel", "hardening")),
        "4.txt": comp(change("israel", "reaffirmed"), change("israel", "softening", issue="x")),
        "5.txt": comp(change("hamas", "reaffirmed"), change("hamas", "new", issue="x")),
    }
    score = score_set("t", articles, predictions)
    assert (score.reaffirmed_kept, score.reaffirmed_total) == (2, 5)
    assert score.reaffirmed_rate == pytest.approx(0.4)


def test_reaffirmation_rate_is_not_measurable_without_gold() -> None:
    score = score_set("t", [gold("1.txt")], {"1.txt": comp(change("israel", "reaffirmed"))})
    assert score.reaffirmed_rate is None


def test_errors_list_false_positives_and_negatives() -> None:
    articles = [gold("1.txt", ("hamas", "softening")), gold("2.txt", ("israel", "reaffirmed"))]
    predictions = {
        "1.txt": comp(change("hamas", "reversal", issue="talks", evidence="Hamas quit the talks")),
        "2.txt": comp(change("israel", "reaffirmed")),
    }
    score = score_set("t", articles, predictions)
    assert len(score.errors) == 1
    err = score.errors[0]
    assert err.article == "1.txt"
    assert err.false_positives == (("hamas", "reversal", "talks: Hamas quit the talks"),)
    assert err.false_negatives == (("hamas", "softening", "issue0: why hamas"),)


def test_score_set_requires_one_prediction_per_article() -> None:
    with pytest.raises(ValueError, match=r"missing \['2.txt'\]"):
        score_set("t", [gold("1.txt"), gold("2.txt")], {"1.txt": comp()})
