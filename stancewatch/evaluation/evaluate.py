"""Score the engine on labeled article sets and check the pinned quality floors."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Protocol

from stancewatch.errors import ConfigError, StancewatchError
from stancewatch.evaluation.floors import (
    FloorViolation,
    check_floors,
    check_pins,
    load_floors,
    load_pins,
)
from stancewatch.evaluation.real import POOLED, REAL_SET_FILE, is_real_set, load_real_set
from stancewatch.evaluation.scoring import (
    CONFIDENT,
    SetScore,
    format_rate,
    pool_scores,
    score_set,
)
from stancewatch.evaluation.sets import EvalSet, load_set, read_article
from stancewatch.models import Comparison

__all__ = [
    "EvalSet",
    "evaluate_sets",
    "load_set",
    "main",
    "read_article",
    "render_report",
    "run_eval",
]


# --- running and rendering -----------------------------------------------------------------------


class Predictor(Protocol):
    """Anything that compares one text with the baseline (the Engine, in production)."""

    def compare_text(self, text: str, title: str | None = None) -> Comparison: ...


EngineFactory = Callable[[EvalSet], Predictor]


def default_engine(eval_set: EvalSet) -> Predictor:
    """The real engine, built from the set's seeds (and seed documents kept elsewhere)."""
    from stancewatch.positions import OVERRIDES_FILE, WATCHLIST_FILE, Engine

    if eval_set.seed_documents is None:
        return Engine.from_seeds(eval_set.seeds_dir)
    return Engine.from_parts(
        eval_set.seeds_dir / WATCHLIST_FILE,
        eval_set.seeds_dir / OVERRIDES_FILE,
        eval_set.seed_documents,
    )


def predict_set(eval_set: EvalSet, predictor: Predictor) -> dict[str, Comparison]:
    """Run the predictor over every article of a set."""
    predictions: dict[str, Comparison] = {}
    for article in eval_set.articles:
        text, title = read_article(eval_set.article_path(article.name))
        predictions[article.name] = predictor.compare_text(text, title)
    return predictions


def expand_sets(dirs: Sequence[Path]) -> list[Path]:
    """The sets named: a folder of real-article sets (eval/real) stands for each of them."""
    out: list[Path] = []
    for d in map(Path, dirs):
        inner = sorted(p.parent for p in d.glob(f"*/{REAL_SET_FILE}"))
        plain = is_real_set(d) or (d / "labels.json").is_file()
        out += inner if inner and not plain else [d]
    return out


def evaluate_sets(
    dirs: Sequence[Path],
    floors_path: Path,
    engine_factory: EngineFactory = default_engine,
    texts_cache: Path | None = None,
) -> tuple[list[SetScore], list[FloorViolation]]:
    """Load, predict and score every set, then check each against its floors.

    Real-article sets (a set.toml) read their texts from texts_cache (default: the setting).
    """
    floors = load_floors(floors_path)
    pins = load_pins(floors_path)
    if texts_cache is None:
        from stancewatch.settings import Settings

        texts_cache = Settings.from_env().news_real_dir
    sets = [
        load_real_set(d, texts_cache) if is_real_set(d) else load_set(d) for d in expand_sets(dirs)
    ]
    names = [s.name for s in sets]
    clashes = sorted({n for n in names if names.count(n) > 1})
    if clashes:
        raise ConfigError(f"several sets share the name {', '.join(clashes)}; floors are per name")
    engines: dict[tuple[Path, str], Predictor] = {}
    scores: list[SetScore] = []
    violations: list[FloorViolation] = []
    for eval_set in sets:
        violations += [FloorViolation(eval_set.name, p) for p in eval_set.problems]
        if eval_set.level == "kind":  # the labeled development sets (labels.json)
            violations += check_pins(eval_set.name, eval_set.articles, pins, Path(floors_path).name)
        if not eval_set.articles:
            continue
        key = (eval_set.seeds_dir, eval_set.name if eval_set.seed_documents is not None else "")
        if key not in engines:
            engines[key] = engine_factory(eval_set)
        predictions = predict_set(eval_set, engines[key])
        score = score_set(
            eval_set.name, eval_set.articles, predictions, eval_set.level, eval_set.missing
        )
        scores.append(replace(score, held_out=eval_set.held_out, rebuild=eval_set.rebuild))
        violations += check_floors(score, floors, Path(floors_path).name)
    tuned_real = [s for s in scores if s.level == "actor" and not s.held_out]
    if len(tuned_real) > 1:
        pooled = pool_scores(POOLED, tuned_real)
        scores.append(pooled)
        violations += check_floors(pooled, floors, Path(floors_path).name)
    return scores, violations


def _short(text: str, limit: int = 140) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def render_score(score: SetScore, violations: Sequence[FloorViolation], verbose: bool) -> str:
    """A plain-text table of one set's metrics, its floor checks and (verbose) its errors."""
    label = " (held out: never tuned on)" if score.held_out else ""
    if score.name == POOLED:
        label = " (the real sets not held out, pooled)"
    lines = [f"== {score.name}: {score.n_articles} articles ({score.n_decoys} decoys){label} =="]
    header = f"{'kind':<12}{'gold':>6}{'pred':>6}{'tp':>6}{'fp':>6}{'fn':>6}"
    lines.append(header + f"{'prec':>7}{'rec':>7}{'f1':>7}")
    rows = [*score.per_kind.items(), ("shift", score.shift), ("movement", score.movement)]
    for name, c in rows:
        lines.append(
            f"{name:<12}{c.gold:>6}{c.predicted:>6}{c.tp:>6}{c.fp:>6}{c.fn:>6}"
            f"{format_rate(c.precision):>7}{format_rate(c.recall):>7}{format_rate(c.f1):>7}"
        )
    if score.level == "actor":
        lines.append(
            "(per kind: exact kind per (article, actor); shift = any reversal, softening or "
            "hardening of the actor in the article; movement = a shift or a new; "
            "'—' = nothing to score)"
        )
    else:
        lines.append(
            "(shift = reversal + softening + hardening, exact kind; movement = a shift or a new "
            "per (article, actor); '—' = nothing to score)"
        )
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
    confident = score.reliability_above(CONFIDENT)
    lines.append(
        f"changes with confidence >= {CONFIDENT}: {format_rate(confident.share)} right "
        f"({confident.correct}/{confident.total})"
    )
    if score.missing:
        lines.append(
            f"texts missing ({len(score.missing)}, not scored): {', '.join(score.missing)}"
        )
        lines.append(f"  to score them: {score.rebuild}")
    mine = [v for v in violations if v.set_name == score.name]
    lines.append("floors: " + ("all met" if not mine else f"{len(mine)} violated"))
    lines += [f"  FAIL {v.message}" for v in mine]
    if verbose:
        lines.append("reliability (emitted changes, not reaffirmations):")
        lines.append(f"  {'confidence':<12}{'changes':>8}{'right':>7}{'share':>7}")
        for b in score.reliability:
            lines.append(
                f"  {b.low:.1f}–{b.high:.1f}{'':<5}{b.total:>8}{b.correct:>7}"
                f"{format_rate(b.share):>7}"
            )
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


def render_summary(scores: Sequence[SetScore]) -> str:
    """One line per set: the figures a real-article evaluation is judged by."""
    header = (
        f"{'set':<22}{'shift P':>8}{'R':>6}{'F1':>6}{'move F1':>9}{'related':>9}"
        f"{'decoy ch.':>10}{'conf>=0.8 right':>17}"
    )
    lines = ["summary (real sets score shifts and movements per (article, actor)):", header]
    for s in scores:
        confident = s.reliability_above(CONFIDENT)
        lines.append(
            f"{s.name + (' *' if s.held_out else ''):<22}{format_rate(s.shift.precision):>8}"
            f"{format_rate(s.shift.recall):>6}{format_rate(s.shift.f1):>6}"
            f"{format_rate(s.movement.f1):>9}{format_rate(s.relatedness_accuracy):>9}"
            f"{s.decoy_changes:>10}{format_rate(confident.share):>10} ({confident.correct}/"
            f"{confident.total})"
        )
    if any(s.held_out for s in scores):
        lines.append("* held out: never tuned on")
    return "\n".join(lines)


def render_report(
    scores: Sequence[SetScore], violations: Sequence[FloorViolation], verbose: bool = False
) -> str:
    """Every set's table, then the overall verdict."""
    parts = [render_score(s, violations, verbose) for s in scores]
    scored = {s.name for s in scores}
    for name in dict.fromkeys(v.set_name for v in violations if v.set_name not in scored):
        unscored = [f"== {name}: not scored =="]
        unscored += [f"  FAIL {v.message}" for v in violations if v.set_name == name]
        parts.append("\n".join(unscored))
    if any(s.level == "actor" for s in scores):
        parts.append(render_summary(scores))
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
