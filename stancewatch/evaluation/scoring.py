"""Score predicted changes against gold labels: per-kind P/R/F1, shift, relatedness, decoys."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from stancewatch.models import Comparison

KINDS: tuple[str, ...] = ("reversal", "softening", "hardening", "reaffirmed", "new")
SHIFT_KINDS: tuple[str, ...] = ("reversal", "softening", "hardening")

#: One scored unit: (article file name, actor id, change kind).
Item = tuple[str, str, str]
#: One (article, actor) unit: how the real-article sets score shifts and movements.
Pair = tuple[str, str]

#: How shifts are matched: "kind" needs the exact shift kind (the written sets), "actor" counts
#: any shift of that actor in that article (the real-article sets, as their labels are made).
Level = Literal["kind", "actor"]

#: Confidence from which a change is meant to be right at least nine times in ten.
CONFIDENT = 0.8
#: Upper edges of the confidence bins of the reliability table.
CONFIDENCE_BINS: tuple[float, ...] = (0.5, 0.6, 0.7, 0.8, 0.9, 1.0001)


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
class ReliabilityBin:
    """Emitted changes (not reaffirmations) whose confidence falls in [low, high)."""

    low: float
    high: float
    total: int
    correct: int

    @property
    def share(self) -> float | None:
        return self.correct / self.total if self.total else None


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
    movement: PRF = PRF(0, 0, 0)  # (article, actor) with any shift or new
    reliability: tuple[ReliabilityBin, ...] = ()
    level: Level = "kind"
    missing: tuple[str, ...] = ()  # labeled articles whose text is absent (not scored)
    held_out: bool = False  # never tuned on: reported beside the others, never pooled
    rebuild: str = ""  # how to get the missing texts

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
        groups = (*self.per_kind.items(), ("shift", self.shift), ("movement", self.movement))
        for name, counts in groups:
            out[f"{name}_precision"] = counts.precision
            out[f"{name}_recall"] = counts.recall
            out[f"{name}_f1"] = counts.f1
        out["macro_f1"] = self.macro_f1
        out["relatedness_accuracy"] = self.relatedness_accuracy
        out["reaffirmed_rate"] = self.reaffirmed_rate
        out["confident_precision"] = self.reliability_above(CONFIDENT).share
        out["decoy_false_alarms"] = float(self.decoy_false_alarms)
        out["decoy_changes"] = float(self.decoy_changes)
        return out

    def reliability_above(self, threshold: float) -> ReliabilityBin:
        """Emitted changes with confidence >= threshold, and how many are right."""
        chosen = [b for b in self.reliability if b.low >= threshold - 1e-9]
        return ReliabilityBin(
            threshold, 1.0, sum(b.total for b in chosen), sum(b.correct for b in chosen)
        )


def _add(a: PRF, b: PRF) -> PRF:
    return PRF(a.tp + b.tp, a.fp + b.fp, a.fn + b.fn)


def pool_scores(name: str, scores: Sequence[SetScore]) -> SetScore:
    """One score over several sets' items (micro-averaged), as if they were one set."""
    if not scores:
        raise ValueError("nothing to pool")
    first = scores[0]
    per_kind = dict(first.per_kind)
    shift, movement = first.shift, first.movement
    bins = list(first.reliability)
    for score in scores[1:]:
        per_kind = {k: _add(per_kind[k], score.per_kind[k]) for k in per_kind}
        shift, movement = _add(shift, score.shift), _add(movement, score.movement)
        bins = [
            ReliabilityBin(a.low, a.high, a.total + b.total, a.correct + b.correct)
            for a, b in zip(bins, score.reliability, strict=True)
        ]
    return SetScore(
        name=name,
        n_articles=sum(s.n_articles for s in scores),
        n_decoys=sum(s.n_decoys for s in scores),
        per_kind=per_kind,
        shift=shift,
        related_correct=sum(s.related_correct for s in scores),
        decoy_false_alarms=sum(s.decoy_false_alarms for s in scores),
        decoy_changes=sum(s.decoy_changes for s in scores),
        reaffirmed_kept=sum(s.reaffirmed_kept for s in scores),
        reaffirmed_total=sum(s.reaffirmed_total for s in scores),
        errors=(),
        movement=movement,
        reliability=tuple(bins),
        level=first.level,
    )


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


def _pairs(items: Iterable[Item], kinds: Iterable[str]) -> set[Pair]:
    wanted = set(kinds)
    return {(name, actor) for name, actor, kind in items if kind in wanted}


def _shift_prf(gold: set[Item], pred: set[Item], level: Level) -> PRF:
    if level == "kind":
        return prf(_of_kinds(gold, SHIFT_KINDS), _of_kinds(pred, SHIFT_KINDS))
    gold_pairs, pred_pairs = _pairs(gold, SHIFT_KINDS), _pairs(pred, SHIFT_KINDS)
    return PRF(
        len(gold_pairs & pred_pairs), len(pred_pairs - gold_pairs), len(gold_pairs - pred_pairs)
    )


def _movement_prf(gold: set[Item], pred: set[Item]) -> PRF:
    moves = (*SHIFT_KINDS, "new")
    gold_pairs, pred_pairs = _pairs(gold, moves), _pairs(pred, moves)
    return PRF(
        len(gold_pairs & pred_pairs), len(pred_pairs - gold_pairs), len(gold_pairs - pred_pairs)
    )


def _is_right(gold: set[Item], name: str, actor: str, kind: str, level: Level) -> bool:
    """Whether one emitted change counts as right at the set's scoring level."""
    if kind == "new" or level == "kind":
        return (name, actor, kind) in gold
    return any((name, actor, k) in gold for k in SHIFT_KINDS)


def reliability_table(
    gold: set[Item], predictions: Mapping[str, Comparison], level: Level
) -> tuple[ReliabilityBin, ...]:
    """Per confidence bin, the emitted changes (not reaffirmations) and how many are right."""
    counts = [[0, 0] for _ in CONFIDENCE_BINS]
    for name, comp in predictions.items():
        for change in comp.changes:
            if change.kind == "reaffirmed":
                continue
            index = next(i for i, top in enumerate(CONFIDENCE_BINS) if change.confidence < top)
            counts[index][0] += 1
            counts[index][1] += _is_right(gold, name, change.actor, change.kind, level)
    lows = (0.0, *CONFIDENCE_BINS[:-1])
    return tuple(
        ReliabilityBin(low, min(high, 1.0), total, right)
        for low, high, (total, right) in zip(lows, CONFIDENCE_BINS, counts, strict=True)
    )


def score_set(
    name: str,
    articles: Sequence[GoldArticle],
    predictions: Mapping[str, Comparison],
    level: Level = "kind",
    missing: Sequence[str] = (),
) -> SetScore:
    """Score predictions (one Comparison per article file name) against the gold labels."""
    names = {a.name for a in articles}
    if set(predictions) != names:
        absent = sorted(names - set(predictions))
        extra = sorted(set(predictions) - names)
        raise ValueError(f"predictions do not match the articles (missing {absent}, extra {extra})")
    gold = gold_items(articles)
    pred = predicted_items(predictions)
    per_kind = {k: prf(_of_kinds(gold, [k]), _of_kinds(pred, [k])) for k in KINDS}
    shift = _shift_prf(gold, pred, level)

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
        g = {(actor, _error_kind(kind, level)) for n, actor, kind in gold if n == article.name}
        p = {(actor, _error_kind(kind, level)) for n, actor, kind in pred if n == article.name}
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
        movement=_movement_prf(gold, pred),
        reliability=reliability_table(gold, predictions, level),
        level=level,
        missing=tuple(missing),
    )


def _error_kind(kind: str, level: Level) -> str:
    """Kinds as errors are listed: at the actor level any shift kind is one 'shift'."""
    return "shift" if level == "actor" and kind in SHIFT_KINDS else kind


def _kinds(kind: str) -> tuple[str, ...]:
    return SHIFT_KINDS if kind == "shift" else (kind,)


def _evidence(comp: Comparison, actor: str, kind: str) -> str:
    for change in comp.changes:
        if change.actor == actor and change.kind in _kinds(kind):
            named = f"{change.kind} " if kind == "shift" else ""
            return f"{named}{change.issue}: {change.evidence}"
    return ""


def _note(article: GoldArticle, actor: str, kind: str) -> str:
    named = kind == "shift"
    return "; ".join(
        (f"{c.kind} " if named else "") + (f"{c.issue}: {c.note}" if c.note else c.issue)
        for c in article.changes
        if c.actor == actor and c.kind in _kinds(kind)
    )
