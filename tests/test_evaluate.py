"""Tests for the evaluation harness: labels loading, scoring, floors and the report."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from stancewatch.errors import ConfigError
from stancewatch.evaluate import (
    PRF,
    Floor,
    GoldArticle,
    GoldChange,
    check_floors,
    evaluate_sets,
    load_floors,
    load_set,
    main,
    prf,
    read_article,
    render_report,
    run_eval,
    score_set,
)
from stancewatch.models import Change, ChangeKind, Comparison

REPO = Path(__file__).resolve().parent.parent


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
    quiet = render_report([score], [], verbose=False)
    loud = render_report([score], [], verbose=True)
    assert "FP hamas reversal" not in quiet
    assert "FP hamas reversal: talks: Hamas quit the talks" in loud
    assert "FN hamas softening: issue0: why hamas" in loud


def test_score_set_requires_one_prediction_per_article() -> None:
    with pytest.raises(ValueError, match=r"missing \['2.txt'\]"):
        score_set("t", [gold("1.txt"), gold("2.txt")], {"1.txt": comp()})


# --- floors --------------------------------------------------------------------------------------


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


# --- loading sets --------------------------------------------------------------------------------


def make_set(root: Path, labels: object, articles: dict[str, str] | None = None) -> Path:
    directory = root / "demo"
    (directory / "articles").mkdir(parents=True)
    (root / "seeds").mkdir(exist_ok=True)
    for name, text in (articles or {}).items():
        (directory / "articles" / name).write_text(text)
    text = labels if isinstance(labels, str) else json.dumps(labels)
    (directory / "labels.json").write_text(text)
    return directory


GOOD_LABELS = {
    "seeds": "../seeds",
    "articles": {
        "001_a.txt": {
            "related": True,
            "decoy": False,
            "changes": [
                {"actor": "hamas", "issue": "end_of_war", "kind": "softening", "note": "n"}
            ],
        },
        "002_b.txt": {"related": False, "decoy": True, "changes": []},
    },
}
GOOD_ARTICLES = {"001_a.txt": "Headline one\n\nBody one.", "002_b.txt": "Headline two\nBody two."}


def test_load_set_reads_labels_and_resolves_seeds(tmp_path: Path) -> None:
    directory = make_set(tmp_path, GOOD_LABELS, GOOD_ARTICLES)
    eval_set = load_set(directory)
    assert eval_set.name == "demo"
    assert eval_set.seeds_dir == (tmp_path / "seeds").resolve()
    assert [a.name for a in eval_set.articles] == ["001_a.txt", "002_b.txt"]
    assert eval_set.articles[0].changes == (GoldChange("hamas", "end_of_war", "softening", "n"),)
    assert eval_set.n_decoys == 1
    assert read_article(eval_set.article_path("001_a.txt")) == ("Body one.", "Headline one")


def test_seeds_default_to_the_set_directory(tmp_path: Path) -> None:
    labels = {"articles": {"001_a.txt": {"related": True, "changes": []}}}
    directory = make_set(tmp_path, labels, {"001_a.txt": "T\nB"})
    with pytest.raises(ConfigError, match="seeds directory 'seeds' not found"):
        load_set(directory)
    (directory / "seeds").mkdir()
    assert load_set(directory).seeds_dir == (directory / "seeds").resolve()


def test_missing_labels_file_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "demo" / "articles").mkdir(parents=True)
    with pytest.raises(ConfigError, match="labels file not found") as info:
        load_set(tmp_path / "demo")
    assert info.value.file == str(tmp_path / "demo" / "labels.json")
    assert "labels.json" in str(info.value)


def with_article(entry: object) -> dict[str, object]:
    return {"seeds": "../seeds", "articles": {"001_a.txt": entry}}


@pytest.mark.parametrize(
    ("labels", "message"),
    [
        ('{"articles": {', "invalid JSON"),
        ('{"articles": {"001_a.txt": {}, "001_a.txt": {}}}', "duplicate key"),
        ("[]", "top level must be an object"),
        ({"seeds": "../seeds", "articles": {}}, "non-empty object"),
        ({"seeds": "../seeds", "articles": {}, "extra": 1}, "unknown key"),
        (with_article({"related": "yes", "changes": []}), "'related' must be true or false"),
        (with_article({"related": True}), "'changes' must be a list"),
        (with_article({"related": True, "changes": [], "decoy": True}), "decoy"),
        (
            with_article(
                {"related": False, "changes": [{"actor": "a", "issue": "i", "kind": "new"}]}
            ),
            "unrelated article cannot have changes",
        ),
        (
            with_article(
                {"related": True, "changes": [{"actor": "a", "issue": "i", "kind": "shift"}]}
            ),
            "unknown kind 'shift'",
        ),
        (
            with_article(
                {"related": True, "changes": [{"actor": "", "issue": "i", "kind": "new"}]}
            ),
            "'actor' must be a non-empty string",
        ),
        (
            with_article(
                {
                    "related": True,
                    "changes": [
                        {"actor": "a", "issue": "i", "kind": "new"},
                        {"actor": "a", "issue": "i", "kind": "hardening"},
                    ],
                }
            ),
            "more than one label for a/i",
        ),
        ({"seeds": "../nowhere", "articles": {"001_a.txt": {}}}, "seeds directory"),
    ],
)
def test_bad_labels_are_config_errors_naming_the_file(
    tmp_path: Path, labels: object, message: str
) -> None:
    directory = make_set(tmp_path, labels, {"001_a.txt": "T\nB"})
    with pytest.raises(ConfigError, match=message) as info:
        load_set(directory)
    assert info.value.file == str(directory / "labels.json")


def test_labels_and_article_files_must_match(tmp_path: Path) -> None:
    directory = make_set(tmp_path, GOOD_LABELS, {"001_a.txt": "T\nB"})
    with pytest.raises(ConfigError, match=r"not found in articles/: 002_b\.txt"):
        load_set(directory)
    (directory / "articles" / "002_b.txt").write_text("T\nB")
    (directory / "articles" / "003_c.txt").write_text("T\nB")
    with pytest.raises(ConfigError, match=r"articles without labels: 003_c\.txt"):
        load_set(directory)


def test_ids_are_checked_against_the_watchlist(tmp_path: Path) -> None:
    seeds = REPO / "seeds"
    if not (seeds / "watchlist.toml").is_file():
        pytest.fail("the repository's seeds/watchlist.toml is missing")
    labels = {
        "seeds": str(seeds),
        "articles": {
            "001_a.txt": {
                "related": True,
                "changes": [{"actor": "hamass", "issue": "end_of_war", "kind": "new"}],
            }
        },
    }
    directory = make_set(tmp_path, labels, {"001_a.txt": "T\nB"})
    with pytest.raises(ConfigError, match="unknown actor id 'hamass'"):
        load_set(directory)


# --- running -------------------------------------------------------------------------------------


class TablePredictor:
    """A hand-written stand-in for the engine: a fixed answer per headline."""

    def __init__(self, answers: dict[str, Comparison]) -> None:
        self.answers = answers
        self.seen: list[tuple[str, str | None]] = []

    def compare_text(self, text: str, title: str | None = None) -> Comparison:
        self.seen.append((text, title))
        return self.answers[title or ""]


def test_run_eval_passes_and_fails_on_floors(tmp_path: Path) -> None:
    directory = make_set(tmp_path, GOOD_LABELS, GOOD_ARTICLES)
    floors = tmp_path / "floors.toml"
    floors.write_text("[demo]\nshift_f1 = 1.0\ndecoy_false_alarms = 0\n")
    right = TablePredictor(
        {"Headline one": comp(change("hamas", "softening")), "Headline two": comp(related=False)}
    )
    text, passed = run_eval([directory], floors, False, lambda seeds: right)
    assert passed
    assert "== demo: 2 articles (1 decoys) ==" in text
    assert text.rstrip().endswith("PASS")
    assert right.seen[0] == ("Body one.", "Headline one")

    wrong = TablePredictor(
        {
            "Headline one": comp(change("hamas", "hardening")),
            "Headline two": comp(change("egypt", "new"), related=False),
        }
    )
    text, passed = run_eval([directory], floors, True, lambda seeds: wrong)
    assert not passed
    assert "FAIL shift_f1 >= 1.00 but got 0.00" in text
    assert "FAIL decoy_false_alarms <= 0 but got 1" in text
    assert "FP egypt new" in text


def test_evaluate_sets_fails_a_set_missing_from_the_floors(tmp_path: Path) -> None:
    directory = make_set(tmp_path, GOOD_LABELS, GOOD_ARTICLES)
    floors = tmp_path / "floors.toml"
    floors.write_text("[ceasefire]\nshift_f1 = 0.5\n")
    predictor = TablePredictor({"Headline one": comp(), "Headline two": comp(related=False)})
    scores, violations = evaluate_sets([directory], floors, lambda seeds: predictor)
    assert [s.name for s in scores] == ["demo"]
    assert len(violations) == 1 and "no floors for this set" in str(violations[0])


def test_main_reports_config_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    floors = tmp_path / "floors.toml"
    floors.write_text("[demo]\nshift_f1 = 0.5\n")
    code = main([str(tmp_path / "missing"), "--floors", str(floors)])
    assert code == ConfigError.exit_code
    assert "evaluation set directory not found" in capsys.readouterr().err


# --- the shipped set -----------------------------------------------------------------------------


def test_shipped_ceasefire_set_is_valid_and_covers_the_brief() -> None:
    eval_set = load_set(REPO / "eval" / "ceasefire")  # also checks ids against the watchlist
    assert len(eval_set.articles) >= 44
    assert eval_set.n_decoys >= 10
    actors_by_kind: dict[str, set[str]] = {}
    for article in eval_set.articles:
        for c in article.changes:
            actors_by_kind.setdefault(c.kind, set()).add(c.actor)
    for kind in ("reversal", "softening", "hardening"):
        assert len(actors_by_kind[kind]) >= 3, kind
    assert "new" in actors_by_kind
    quiet = [a for a in eval_set.articles if a.related and not a.changes]
    assert len(quiet) >= 2
    lengths = Counter(
        len(eval_set.article_path(a.name).read_text().split()) >= 1500 for a in eval_set.articles
    )
    assert lengths[True] >= 1
