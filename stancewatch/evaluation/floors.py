"""Load the pinned quality floors (eval/floors.toml) and check set scores against them."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from stancewatch.errors import ConfigError
from stancewatch.evaluation.scoring import KINDS, SetScore, format_rate

#: Floors that are minimums (the metric must be at least the floor).
MIN_METRICS: frozenset[str] = frozenset(
    [f"{k}_{m}" for k in (*KINDS, "shift", "movement") for m in ("precision", "recall", "f1")]
    + ["macro_f1", "relatedness_accuracy", "reaffirmed_rate", "confident_precision"]
)
#: Floors that are maximums (counts of false alarms that must not be exceeded).
MAX_METRICS: frozenset[str] = frozenset(["decoy_false_alarms", "decoy_changes"])


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
