"""Score predicted changes against gold labels: per-kind P/R/F1, shift, relatedness, decoys."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from stancewatch.models import Comparison

KINDS: tuple[str, ...] = ("reversal", "softening", "hardening", "reaffirmed", "new")
SHIFT_KINDS: tuple[str, ...] = ("reversal", "softening", "hardening")

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


# --- metrics -------------------------------------------------------------------------------------


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


def format_rate(value: float | None) -> str:
    """A rate with two decimals, or '—' when it is not measurable."""
    return "—" if value is None else f"{value:.2f}"


# --- scoring a set -------------------------------------------------------------------------------


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
