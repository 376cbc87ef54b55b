"""Score the engine on labeled article sets and check the pinned quality floors."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from stancewatch.errors import ConfigError, StancewatchError
from stancewatch.evaluation.floors import FloorViolation, check_floors, load_floors
from stancewatch.evaluation.scoring import (
    KINDS,
    GoldArticle,
    GoldChange,
    SetScore,
    format_rate,
    score_set,
)
from stancewatch.models import Comparison

LABELS_FILE = "labels.json"
ARTICLES_DIR = "articles"
DEFAULT_SEEDS = "seeds"


# --- labeled sets --------------------------------------------------------------------------------


@dataclass(frozen=True)
class EvalSet:
    """A labeled set: its directory, the seeds it is judged against, and its articles."""

    name: str
    directory: Path
    seeds_dir: Path
    articles: tuple[GoldArticle, ...]

    def article_path(self, name: str) -> Path:
        return self.directory / ARTICLES_DIR / name

    @property
    def n_decoys(self) -> int:
        return sum(1 for a in self.articles if a.decoy)


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise ValueError(f"duplicate key {key!r}")
        seen[key] = value
    return seen


def _fail(path: Path, message: str) -> ConfigError:
    return ConfigError(message, file=str(path))


def _check_keys(path: Path, where: str, table: Mapping[str, Any], allowed: set[str]) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise _fail(path, f"{where}: unknown key(s) {', '.join(unknown)}")


def _parse_change(path: Path, where: str, raw: object) -> GoldChange:
    if not isinstance(raw, dict):
        raise _fail(path, f"{where}: a change must be an object")
    _check_keys(path, where, raw, {"actor", "issue", "kind", "note"})
    values: dict[str, str] = {}
    for key in ("actor", "issue", "kind"):
        value = raw.get(key)
        if not isinstance(value, str) or not value.strip():
            raise _fail(path, f"{where}: '{key}' must be a non-empty string")
        values[key] = value.strip()
    if values["kind"] not in KINDS:
        raise _fail(
            path, f"{where}: unknown kind {values['kind']!r} (expected one of {', '.join(KINDS)})"
        )
    note = raw.get("note", "")
    if not isinstance(note, str):
        raise _fail(path, f"{where}: 'note' must be a string")
    return GoldChange(values["actor"], values["issue"], values["kind"], note)


def _parse_article(path: Path, name: str, raw: object) -> GoldArticle:
    where = f"articles[{name!r}]"
    if not name.endswith(".txt") or "/" in name or "\\" in name:
        raise _fail(path, f"{where}: article names are .txt file names inside {ARTICLES_DIR}/")
    if not isinstance(raw, dict):
        raise _fail(path, f"{where}: must be an object")
    _check_keys(path, where, raw, {"related", "decoy", "changes"})
    related = raw.get("related")
    decoy = raw.get("decoy", False)
    changes_raw = raw.get("changes")
    if not isinstance(related, bool):
        raise _fail(path, f"{where}: 'related' must be true or false")
    if not isinstance(decoy, bool):
        raise _fail(path, f"{where}: 'decoy' must be true or false")
    if not isinstance(changes_raw, list):
        raise _fail(path, f"{where}: 'changes' must be a list (use [] for none)")
    changes = tuple(
        _parse_change(path, f"{where}.changes[{i}]", c) for i, c in enumerate(changes_raw)
    )
    if decoy and related:
        raise _fail(path, f"{where}: a decoy is about another story, so 'related' must be false")
    if not related and changes:
        raise _fail(path, f"{where}: an unrelated article cannot have changes")
    pairs = [(c.actor, c.issue) for c in changes]
    duplicated = sorted({p for p in pairs if pairs.count(p) > 1})
    if duplicated:
        listed = ", ".join(f"{a}/{i}" for a, i in duplicated)
        raise _fail(path, f"{where}: more than one label for {listed} (one per actor and issue)")
    return GoldArticle(name, related, decoy, changes)


def _check_ids(path: Path, seeds_dir: Path, articles: Iterable[GoldArticle]) -> None:
    """Check actor and issue ids against the seeds' watchlist, when there is one."""
    from stancewatch.positions import WATCHLIST_FILE, load_watchlist

    watchlist_path = seeds_dir / WATCHLIST_FILE
    if not watchlist_path.is_file():
        return
    watchlist = load_watchlist(watchlist_path)
    actors = {a.id for a in watchlist.actors}
    issues = {i.id for i in watchlist.issues}
    for article in articles:
        for change in article.changes:
            if change.actor not in actors:
                raise _fail(path, f"{article.name}: unknown actor id {change.actor!r}")
            if change.issue not in issues:
                raise _fail(path, f"{article.name}: unknown issue id {change.issue!r}")


def load_set(directory: Path) -> EvalSet:
    """Read <directory>/labels.json and check it against <directory>/articles/*.txt."""
    directory = Path(directory)
    if not directory.is_dir():
        raise ConfigError("evaluation set directory not found", file=str(directory))
    path = directory / LABELS_FILE
    if not path.is_file():
        raise _fail(path, "labels file not found")
    try:
        data = json.loads(path.read_text(encoding="utf-8"), object_pairs_hook=_no_duplicate_keys)
    except UnicodeDecodeError as exc:
        raise _fail(path, f"not UTF-8 text ({exc.reason})") from exc
    except json.JSONDecodeError as exc:
        raise _fail(
            path, f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from exc
    except ValueError as exc:
        raise _fail(path, f"invalid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise _fail(path, "the top level must be an object with 'articles'")
    _check_keys(path, "top level", data, {"seeds", "articles"})
    seeds_raw = data.get("seeds", DEFAULT_SEEDS)
    if not isinstance(seeds_raw, str) or not seeds_raw.strip():
        raise _fail(path, "'seeds' must be a path relative to the set directory")
    seeds_dir = (directory / seeds_raw).resolve()
    if not seeds_dir.is_dir():
        raise _fail(path, f"seeds directory {seeds_raw!r} not found (resolved to {seeds_dir})")
    raw_articles = data.get("articles")
    if not isinstance(raw_articles, dict) or not raw_articles:
        raise _fail(path, "'articles' must be a non-empty object of file name -> labels")
    articles = tuple(_parse_article(path, name, raw) for name, raw in sorted(raw_articles.items()))
    articles_dir = directory / ARTICLES_DIR
    on_disk = {p.name for p in articles_dir.glob("*.txt")} if articles_dir.is_dir() else set()
    missing = sorted({a.name for a in articles} - on_disk)
    if missing:
        raise _fail(path, f"labeled but not found in {ARTICLES_DIR}/: {', '.join(missing)}")
    unlabeled = sorted(on_disk - {a.name for a in articles})
    if unlabeled:
        raise _fail(path, f"articles without labels: {', '.join(unlabeled)}")
    _check_ids(path, seeds_dir, articles)
    return EvalSet(directory.resolve().name, directory, seeds_dir, articles)


def read_article(path: Path) -> tuple[str, str | None]:
    """Body text and title of an article file whose first line is the headline."""
    text = path.read_text(encoding="utf-8").replace("\r\n", "\n").strip()
    first, _, rest = text.partition("\n")
    if not rest.strip():
        return text, None
    return rest.strip(), first.strip()


# --- running and rendering -----------------------------------------------------------------------


class Predictor(Protocol):
    """Anything that compares one text with the baseline (the Engine, in production)."""

    def compare_text(self, text: str, title: str | None = None) -> Comparison: ...


EngineFactory = Callable[[Path], Predictor]


def default_engine(seeds_dir: Path) -> Predictor:
    """The real engine, built from the seeds directory."""
    from stancewatch.positions import Engine

    return Engine.from_seeds(seeds_dir)


def predict_set(eval_set: EvalSet, predictor: Predictor) -> dict[str, Comparison]:
    """Run the predictor over every article of a set."""
    predictions: dict[str, Comparison] = {}
    for article in eval_set.articles:
        text, title = read_article(eval_set.article_path(article.name))
        predictions[article.name] = predictor.compare_text(text, title)
    return predictions


def evaluate_sets(
    dirs: Sequence[Path],
    floors_path: Path,
    engine_factory: EngineFactory = default_engine,
) -> tuple[list[SetScore], list[FloorViolation]]:
    """Load, predict and score every set, then check each against its floors."""
    floors = load_floors(floors_path)
    sets = [load_set(Path(d)) for d in dirs]
    names = [s.name for s in sets]
    clashes = sorted({n for n in names if names.count(n) > 1})
    if clashes:
        raise ConfigError(f"several sets share the name {', '.join(clashes)}; floors are per name")
    engines: dict[Path, Predictor] = {}
    scores: list[SetScore] = []
    violations: list[FloorViolation] = []
    for eval_set in sets:
        if eval_set.seeds_dir not in engines:
            engines[eval_set.seeds_dir] = engine_factory(eval_set.seeds_dir)
        predictions = predict_set(eval_set, engines[eval_set.seeds_dir])
        score = score_set(eval_set.name, eval_set.articles, predictions)
        scores.append(score)
        violations += check_floors(score, floors, Path(floors_path).name)
    return scores, violations


def _short(text: str, limit: int = 140) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def render_score(score: SetScore, violations: Sequence[FloorViolation], verbose: bool) -> str:
    """A plain-text table of one set's metrics, its floor checks and (verbose) its errors."""
    lines = [f"== {score.name}: {score.n_articles} articles ({score.n_decoys} decoys) =="]
    header = f"{'kind':<12}{'gold':>6}{'pred':>6}{'tp':>6}{'fp':>6}{'fn':>6}"
    lines.append(header + f"{'prec':>7}{'rec':>7}{'f1':>7}")
    rows = [*score.per_kind.items(), ("shift", score.shift)]
    for name, c in rows:
        lines.append(
            f"{name:<12}{c.gold:>6}{c.predicted:>6}{c.tp:>6}{c.fp:>6}{c.fn:>6}"
            f"{format_rate(c.precision):>7}{format_rate(c.recall):>7}{format_rate(c.f1):>7}"
        )
    lines.append("(shift = reversal + softening + hardening, exact kind; '—' = nothing to score)")
    lines.append(f"macro-F1 over kinds with items: {format_rate(score.macro_f1)}")
    lines.append(
        f"relatedness accuracy: {format_rate(score.relatedness_accuracy)} "
        f"({score.related_correct}/{score.n_articles})"
    )
    lines.append(
        f"decoy false alarms: {score.decoy_false_alarms} of {score.n_decoys} decoy articles, "
        f"{score.decoy_changes} changes"
    )
    lines.append(
        f"reaffirmation rate: {format_rate(score.reaffirmed_rate)} "
        f"({score.reaffirmed_kept}/{score.reaffirmed_total})"
    )
    mine = [v for v in violations if v.set_name == score.name]
    lines.append("floors: " + ("all met" if not mine else f"{len(mine)} violated"))
    lines += [f"  FAIL {v.message}" for v in mine]
    if verbose:
        lines.append(f"errors ({len(score.errors)} articles):")
        for err in score.errors:
            lines.append(f"  {err.article}")
            if err.gold_related != err.predicted_related:
                lines.append(
                    f"    related: gold {str(err.gold_related).lower()}, "
                    f"predicted {str(err.predicted_related).lower()}"
                )
            lines += [f"    FN {a} {k}: {_short(n)}" for a, k, n in err.false_negatives]
            lines += [f"    FP {a} {k}: {_short(e)}" for a, k, e in err.false_positives]
    return "\n".join(lines)


def render_report(
    scores: Sequence[SetScore], violations: Sequence[FloorViolation], verbose: bool = False
) -> str:
    """Every set's table, then the overall verdict."""
    parts = [render_score(s, violations, verbose) for s in scores]
    verdict = "PASS" if not violations else f"FAIL ({len(violations)} floor violation(s))"
    return "\n\n".join([*parts, verdict])


def run_eval(
    dirs: list[Path],
    floors_path: Path,
    verbose: bool = False,
    engine_factory: EngineFactory = default_engine,
) -> tuple[str, bool]:
    """Evaluate the sets, render the report; True when every floor is met."""
    scores, violations = evaluate_sets(dirs, floors_path, engine_factory)
    return render_report(scores, violations, verbose), not violations


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m stancewatch.evaluation.evaluate DIR [DIR...] [--verbose] [--floors FILE]`."""
    from stancewatch.settings import PROJECT_ROOT

    parser = argparse.ArgumentParser(
        prog="python -m stancewatch.evaluation.evaluate",
        description=__doc__.strip() if __doc__ else None,
    )
    parser.add_argument("dirs", nargs="+", type=Path, help="labeled sets, e.g. eval/ceasefire")
    parser.add_argument("--verbose", "-v", action="store_true", help="list every error")
    parser.add_argument(
        "--floors",
        type=Path,
        default=PROJECT_ROOT / "eval" / "floors.toml",
        help="pinned floors (default: eval/floors.toml of the checkout)",
    )
    args = parser.parse_args(argv)
    try:
        text, passed = run_eval(list(args.dirs), args.floors, args.verbose)
    except StancewatchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    print(text)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
