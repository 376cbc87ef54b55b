"""Score the engine on labeled article sets and check the pinned quality floors."""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from stancewatch.errors import ConfigError, StancewatchError
from stancewatch.models import Comparison

KINDS: tuple[str, ...] = ("reversal", "softening", "hardening", "reaffirmed", "new")
SHIFT_KINDS: tuple[str, ...] = ("reversal", "softening", "hardening")
LABELS_FILE = "labels.json"
ARTICLES_DIR = "articles"
DEFAULT_SEEDS = "seeds"

#: Floors that are minimums (the metric must be at least the floor).
MIN_METRICS: frozenset[str] = frozenset(
    [f"{k}_{m}" for k in (*KINDS, "shift") for m in ("precision", "recall", "f1")]
    + ["macro_f1", "relatedness_accuracy", "reaffirmed_rate"]
)
#: Floors that are maximums (counts of false alarms that must not be exceeded).
MAX_METRICS: frozenset[str] = frozenset(["decoy_false_alarms", "decoy_changes"])

#: One scored unit: (article file name, actor id, change kind).
Item = tuple[str, str, str]


# --- gold labels ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoldChange:
    """One labeled change: whose position, on what, which kind, and the labeler's reason."""

    actor: str
    issue: str
    kind: str
    note: str = ""


@dataclass(frozen=True)
class GoldArticle:
    """The labels of one article file."""

    name: str
    related: bool
    decoy: bool
    changes: tuple[GoldChange, ...] = ()


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
    from stancewatch.watchlist import WATCHLIST_FILE, load_watchlist

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


# --- scoring -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PRF:
    """Counts for one kind (or a group of kinds) and the precision, recall and F1 they give."""

    tp: int
    fp: int
    fn: int

    @property
    def gold(self) -> int:
        return self.tp + self.fn

    @property
    def predicted(self) -> int:
        return self.tp + self.fp

    @property
    def active(self) -> bool:
        """True when there is something to score: a gold or a predicted item."""
        return self.tp + self.fp + self.fn > 0

    @property
    def precision(self) -> float | None:
        return self.tp / self.predicted if self.predicted else None

    @property
    def recall(self) -> float | None:
        return self.tp / self.gold if self.gold else None

    @property
    def f1(self) -> float | None:
        return 2 * self.tp / (2 * self.tp + self.fp + self.fn) if self.active else None


def prf(gold: set[Item], predicted: set[Item]) -> PRF:
    """Precision/recall counts of predicted items against gold items."""
    return PRF(len(gold & predicted), len(predicted - gold), len(gold - predicted))


@dataclass(frozen=True)
class ArticleErrors:
    """What the engine got wrong on one article."""

    article: str
    false_positives: tuple[tuple[str, str, str], ...]  # (actor, kind, evidence)
    false_negatives: tuple[tuple[str, str, str], ...]  # (actor, kind, labeler's note)
    gold_related: bool
    predicted_related: bool


@dataclass(frozen=True)
class SetScore:
    """Every metric of one set."""

    name: str
    n_articles: int
    n_decoys: int
    per_kind: dict[str, PRF]
    shift: PRF
    related_correct: int
    decoy_false_alarms: int  # decoy articles with any change
    decoy_changes: int  # changes emitted on decoy articles
    reaffirmed_kept: int
    reaffirmed_total: int
    errors: tuple[ArticleErrors, ...]

    @property
    def macro_f1(self) -> float | None:
        scores = [p.f1 for p in self.per_kind.values() if p.f1 is not None]
        return sum(scores) / len(scores) if scores else None

    @property
    def relatedness_accuracy(self) -> float | None:
        return self.related_correct / self.n_articles if self.n_articles else None

    @property
    def reaffirmed_rate(self) -> float | None:
        return self.reaffirmed_kept / self.reaffirmed_total if self.reaffirmed_total else None

    def metrics(self) -> dict[str, float | None]:
        """Flat metric names, as used in floors.toml (None: not measurable on this set)."""
        out: dict[str, float | None] = {}
        for name, counts in (*self.per_kind.items(), ("shift", self.shift)):
            out[f"{name}_precision"] = counts.precision
            out[f"{name}_recall"] = counts.recall
            out[f"{name}_f1"] = counts.f1
        out["macro_f1"] = self.macro_f1
        out["relatedness_accuracy"] = self.relatedness_accuracy
        out["reaffirmed_rate"] = self.reaffirmed_rate
        out["decoy_false_alarms"] = float(self.decoy_false_alarms)
        out["decoy_changes"] = float(self.decoy_changes)
        return out


def gold_items(articles: Iterable[GoldArticle]) -> set[Item]:
    return {(a.name, c.actor, c.kind) for a in articles for c in a.changes}


def predicted_items(predictions: Mapping[str, Comparison]) -> set[Item]:
    return {(name, c.actor, c.kind) for name, comp in predictions.items() for c in comp.changes}


def _of_kinds(items: set[Item], kinds: Iterable[str]) -> set[Item]:
    wanted = set(kinds)
    return {item for item in items if item[2] in wanted}


def score_set(
    name: str, articles: Sequence[GoldArticle], predictions: Mapping[str, Comparison]
) -> SetScore:
    """Score predictions (one Comparison per article file name) against the gold labels."""
    names = {a.name for a in articles}
    if set(predictions) != names:
        missing = sorted(names - set(predictions))
        extra = sorted(set(predictions) - names)
        raise ValueError(
            f"predictions do not match the articles (missing {missing}, extra {extra})"
        )
    gold = gold_items(articles)
    pred = predicted_items(predictions)
    per_kind = {k: prf(_of_kinds(gold, [k]), _of_kinds(pred, [k])) for k in KINDS}
    shift = prf(_of_kinds(gold, SHIFT_KINDS), _of_kinds(pred, SHIFT_KINDS))

    moves = (*SHIFT_KINDS, "new")
    kept = 0
    reaffirmed_gold = _of_kinds(gold, ["reaffirmed"])
    for name_, actor, _ in reaffirmed_gold:
        spurious = any((name_, actor, k) in pred and (name_, actor, k) not in gold for k in moves)
        if (name_, actor, "reaffirmed") in pred and not spurious:
            kept += 1

    decoys = [a for a in articles if a.decoy]
    decoy_false_alarms = sum(1 for a in decoys if predictions[a.name].changes)
    decoy_changes = sum(len(predictions[a.name].changes) for a in decoys)
    related_correct = sum(1 for a in articles if predictions[a.name].related == a.related)

    errors: list[ArticleErrors] = []
    for article in articles:
        comp = predictions[article.name]
        g = {(actor, kind) for n, actor, kind in gold if n == article.name}
        p = {(actor, kind) for n, actor, kind in pred if n == article.name}
        fps = tuple((actor, kind, _evidence(comp, actor, kind)) for actor, kind in sorted(p - g))
        fns = tuple((actor, kind, _note(article, actor, kind)) for actor, kind in sorted(g - p))
        if fps or fns or comp.related != article.related:
            errors.append(ArticleErrors(article.name, fps, fns, article.related, comp.related))

    return SetScore(
        name=name,
        n_articles=len(articles),
        n_decoys=len(decoys),
        per_kind=per_kind,
        shift=shift,
        related_correct=related_correct,
        decoy_false_alarms=decoy_false_alarms,
        decoy_changes=decoy_changes,
        reaffirmed_kept=kept,
        reaffirmed_total=len(reaffirmed_gold),
        errors=tuple(errors),
    )


def _evidence(comp: Comparison, actor: str, kind: str) -> str:
    for change in comp.changes:
        if change.actor == actor and change.kind == kind:
            return f"{change.issue}: {change.evidence}"
    return ""


def _note(article: GoldArticle, actor: str, kind: str) -> str:
    return "; ".join(
        f"{c.issue}: {c.note}" if c.note else c.issue
        for c in article.changes
        if c.actor == actor and c.kind == kind
    )


# --- floors --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Floor:
    """A pinned bound on one metric of one set."""

    metric: str
    bound: float

    @property
    def is_max(self) -> bool:
        return self.metric in MAX_METRICS

    def describe(self) -> str:
        return f"{self.metric} {'<=' if self.is_max else '>='} {self.show(self.bound)}"

    def show(self, value: float) -> str:
        return str(int(value)) if self.is_max else _num(value)


@dataclass(frozen=True)
class FloorViolation:
    """A set that misses a floor, or that has no floors at all."""

    set_name: str
    message: str
    floor: Floor | None = None
    actual: float | None = None

    def __str__(self) -> str:
        return f"{self.set_name}: {self.message}"


def load_floors(path: Path) -> dict[str, tuple[Floor, ...]]:
    """Read floors.toml: one table per set name, metric = bound."""
    path = Path(path)
    if not path.is_file():
        raise _fail(path, "floors file not found")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise _fail(path, f"invalid TOML: {exc}") from exc
    floors: dict[str, tuple[Floor, ...]] = {}
    for set_name, table in data.items():
        if not isinstance(table, dict):
            raise _fail(path, f"{set_name}: expected a table [{set_name}] of metric = bound")
        entries: list[Floor] = []
        for metric, bound in table.items():
            where = f"[{set_name}] {metric}"
            if metric not in MIN_METRICS | MAX_METRICS:
                known = ", ".join(sorted(MIN_METRICS | MAX_METRICS))
                raise _fail(path, f"{where}: unknown metric (known: {known})")
            if isinstance(bound, bool) or not isinstance(bound, int | float):
                raise _fail(path, f"{where}: the bound must be a number")
            if metric in MIN_METRICS and not 0.0 <= bound <= 1.0:
                raise _fail(path, f"{where}: a rate floor must be between 0 and 1")
            if metric in MAX_METRICS and (bound < 0 or bound != int(bound)):
                raise _fail(path, f"{where}: a maximum count must be a whole number >= 0")
            entries.append(Floor(metric, float(bound)))
        floors[set_name] = tuple(entries)
    return floors


def check_floors(
    score: SetScore, floors: Mapping[str, Sequence[Floor]], floors_file: str = "floors.toml"
) -> list[FloorViolation]:
    """Every floor of the set that the score misses; a set without floors is a violation."""
    if score.name not in floors:
        return [
            FloorViolation(
                score.name, f"no floors for this set in {floors_file}: add a [{score.name}] table"
            )
        ]
    if not floors[score.name]:
        return [FloorViolation(score.name, f"the [{score.name}] table in {floors_file} is empty")]
    metrics = score.metrics()
    violations: list[FloorViolation] = []
    for floor in floors[score.name]:
        actual = metrics[floor.metric]
        if actual is None:
            violations.append(
                FloorViolation(
                    score.name,
                    f"{floor.describe()}: not measurable on this set (no gold or predicted items)",
                    floor,
                    None,
                )
            )
            continue
        missed = actual > floor.bound if floor.is_max else actual < floor.bound - 1e-9
        if missed:
            violations.append(
                FloorViolation(
                    score.name, f"{floor.describe()} but got {floor.show(actual)}", floor, actual
                )
            )
    return violations


# --- running and rendering -----------------------------------------------------------------------


class Predictor(Protocol):
    """Anything that compares one text with the baseline (the Engine, in production)."""

    def compare_text(self, text: str, title: str | None = None) -> Comparison: ...


EngineFactory = Callable[[Path], Predictor]


def default_engine(seeds_dir: Path) -> Predictor:
    """The real engine, built from the seeds directory."""
    from stancewatch.engine import Engine

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


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


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
            f"{_num(c.precision):>7}{_num(c.recall):>7}{_num(c.f1):>7}"
        )
    lines.append("(shift = reversal + softening + hardening, exact kind; '—' = nothing to score)")
    lines.append(f"macro-F1 over kinds with items: {_num(score.macro_f1)}")
    lines.append(
        f"relatedness accuracy: {_num(score.relatedness_accuracy)} "
        f"({score.related_correct}/{score.n_articles})"
    )
    lines.append(
        f"decoy false alarms: {score.decoy_false_alarms} of {score.n_decoys} decoy articles, "
        f"{score.decoy_changes} changes"
    )
    lines.append(
        f"reaffirmation rate: {_num(score.reaffirmed_rate)} "
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
    """`python -m stancewatch.evaluate DIR [DIR...] [--verbose] [--floors FILE]`."""
    from stancewatch.settings import PROJECT_ROOT

    parser = argparse.ArgumentParser(
        prog="python -m stancewatch.evaluate", description=__doc__.strip() if __doc__ else None
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
