"""Load the pinned quality floors (eval/floors.toml) and check set scores against them."""

from __future__ import annotations

import hashlib
import json
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stancewatch.errors import ConfigError
from stancewatch.evaluation.scoring import KINDS, GoldArticle, SetScore, format_rate

#: Floors that are minimums (the metric must be at least the floor).
MIN_METRICS: frozenset[str] = frozenset(
    [f"{k}_{m}" for k in (*KINDS, "shift", "movement") for m in ("precision", "recall", "f1")]
    + ["macro_f1", "relatedness_accuracy", "reaffirmed_rate", "confident_precision"]
)
#: Floors that are maximums (counts of false alarms that must not be exceeded).
MAX_METRICS: frozenset[str] = frozenset(["decoy_false_alarms", "decoy_changes"])
#: Keys that pin the set itself (its size and labels), so it cannot shrink or change silently.
PIN_KEYS: frozenset[str] = frozenset(["articles", "labels_hash"])


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
        return str(int(value)) if self.is_max else format_rate(value)


@dataclass(frozen=True)
class FloorViolation:
    """A set that misses a floor, or that has no floors at all."""

    set_name: str
    message: str
    floor: Floor | None = None
    actual: float | None = None

    def __str__(self) -> str:
        return f"{self.set_name}: {self.message}"


def _fail(path: Path, message: str) -> ConfigError:
    return ConfigError(message, file=str(path))


@dataclass(frozen=True)
class SetPin:
    """What a set is pinned to be: its number of articles and a hash of its labels."""

    articles: int
    labels_hash: str


def _tables(path: Path) -> dict[str, dict[str, Any]]:
    path = Path(path)
    if not path.is_file():
        raise _fail(path, "floors file not found")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise _fail(path, f"invalid TOML: {exc}") from exc
    for set_name, table in data.items():
        if not isinstance(table, dict):
            raise _fail(path, f"{set_name}: expected a table [{set_name}] of metric = bound")
    return data


def load_floors(path: Path) -> dict[str, tuple[Floor, ...]]:
    """Read floors.toml: one table per set name, metric = bound (pins are read by load_pins)."""
    floors: dict[str, tuple[Floor, ...]] = {}
    for set_name, table in _tables(path).items():
        entries: list[Floor] = []
        for metric, bound in table.items():
            if metric in PIN_KEYS:
                continue
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


def load_pins(path: Path) -> dict[str, SetPin]:
    """Each set's pinned article count and labels hash from floors.toml (sets without both
    are left out, and fail check_pins)."""
    pins: dict[str, SetPin] = {}
    for set_name, table in _tables(path).items():
        articles, digest = table.get("articles"), table.get("labels_hash")
        if articles is None and digest is None:
            continue
        if isinstance(articles, bool) or not isinstance(articles, int) or articles < 1:
            raise _fail(path, f"[{set_name}] articles: pin the set's article count (a number > 0)")
        if not isinstance(digest, str) or not digest.strip():
            raise _fail(path, f"[{set_name}] labels_hash: pin the hash `stancewatch eval` prints")
        pins[set_name] = SetPin(articles, digest.strip())
    return pins


def labels_hash(articles: Sequence[GoldArticle]) -> str:
    """A hash of what the labels say (article names, relatedness, decoys, changes), not of
    how the file is laid out or of the labelers' notes."""
    canonical = sorted(
        (
            a.name,
            a.related,
            a.decoy,
            sorted((c.actor, c.issue, c.kind) for c in a.changes),
        )
        for a in articles
    )
    return hashlib.sha256(json.dumps(canonical).encode("utf-8")).hexdigest()[:16]


def check_pins(
    set_name: str,
    articles: Sequence[GoldArticle],
    pins: Mapping[str, SetPin],
    floors_file: str = "floors.toml",
) -> list[FloorViolation]:
    """A set whose size or labels differ from its pin fails: sets cannot shrink silently."""
    count, digest = len(articles), labels_hash(articles)
    pin = pins.get(set_name)
    if pin is None:
        return [
            FloorViolation(
                set_name,
                f"the set is not pinned in {floors_file}: add articles = {count} and "
                f'labels_hash = "{digest}" to [{set_name}]',
            )
        ]
    violations = []
    if count != pin.articles:
        violations.append(
            FloorViolation(
                set_name,
                f"{count} articles but {floors_file} pins {pin.articles}: a set changes size only "
                f"deliberately (then pin articles = {count} in its own commit, saying why)",
            )
        )
    if digest != pin.labels_hash:
        violations.append(
            FloorViolation(
                set_name,
                f'labels hash "{digest}" but {floors_file} pins "{pin.labels_hash}": the labels '
                f"changed (if on purpose, pin the new hash in its own commit, saying why)",
            )
        )
    return violations


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
