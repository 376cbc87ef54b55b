"""Positions: read who states what on which issue, build the baseline, grade changes against it.

Pure: text and seed files in, records out; no network or database. Other stages use only the
names below (the engine is the usual entry point); the reader's helper modules are private.
"""

from stancewatch.positions.baseline import baseline_version, build_baseline
from stancewatch.positions.compare import classify, compare
from stancewatch.positions.engine import ENGINE_VERSION, Engine, SeedStatement
from stancewatch.positions.reader import Reader
from stancewatch.positions.watchlist import (
    OVERRIDES_FILE,
    WATCHLIST_FILE,
    SeedDocument,
    load_overrides,
    load_seed_documents,
    load_watchlist,
)

__all__ = [
    "ENGINE_VERSION",
    "OVERRIDES_FILE",
    "WATCHLIST_FILE",
    "Engine",
    "Reader",
    "SeedDocument",
    "SeedStatement",
    "baseline_version",
    "build_baseline",
    "classify",
    "compare",
    "load_overrides",
    "load_seed_documents",
    "load_watchlist",
]
