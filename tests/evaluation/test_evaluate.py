"""Tests for the evaluation harness: loading labeled sets, running, the report and the CLI."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from stancewatch.errors import ConfigError
from stancewatch.evaluation.evaluate import (
    evaluate_sets,
    load_set,
    main,
    read_article,
    render_report,
    run_eval,
)
from stancewatch.evaluation.floors import labels_hash
from stancewatch.evaluation.scoring import GoldChange, score_set
from stancewatch.models import Comparison
from tests.evaluation.test_scoring import change, comp, gold

REPO = Path(__file__).resolve().parents[2]


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


# --- the report ----------------------------------------------------------------------------------


def test_verbose_report_lists_the_errors() -> None:
    articles = [gold("1.txt", ("hamas", "softening")), gold("2.txt", ("israel", "reaffirmed"))]
    predictions = {
        "1.txt": comp(change("hamas", "reversal", issue="talks", evidence="Hamas quit the talks")),
        "2.txt": comp(change("israel", "reaffirmed")),
    }
    score = score_set("t", articles, predictions)
    quiet = render_report([score], [], verbose=False)
    loud = render_report([score], [], verbose=True)
    assert "FP hamas reversal" not in quiet
    assert "FP hamas reversal: talks: Hamas quit the talks" in loud
    assert "FN hamas softening: issue0: why hamas" in loud


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
    pin = f'articles = 2\nlabels_hash = "{labels_hash(load_set(directory).articles)}"\n'
    floors.write_text("[demo]\nshift_f1 = 1.0\ndecoy_false_alarms = 0\n" + pin)
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
    assert len(violations) == 2
    assert "not pinned" in str(violations[0])
    assert "no floors for this set" in str(violations[1])


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
