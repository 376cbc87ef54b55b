"""Positions: read who states what on which issue, build the baseline, grade changes against it.

Pure: text and seed files in, records out; no network or database. Other stages use only the
names below (the engine is the usual entry point); the reader's helper modules are private.
Each module is imported on first use (a run with nothing to read never loads the reader).
"""

from typing import TYPE_CHECKING

from stancewatch.lazy import lazy_names

# Bound here, not lazily: `compare` is also the name of its module, which the engine imports,
# and importing a submodule sets the package's attribute of that name to the module. (compare
# needs only models, baseline and confidence: no reader.)
from stancewatch.positions.compare import classify, compare

if TYPE_CHECKING:
    from stancewatch.positions.baseline import baseline_version, build_baseline
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

__getattr__ = lazy_names(
    __name__,
    {
        "ENGINE_VERSION": "engine",
        "Engine": "engine",
        "OVERRIDES_FILE": "watchlist",
        "Reader": "reader",
        "SeedDocument": "watchlist",
        "SeedStatement": "engine",
        "WATCHLIST_FILE": "watchlist",
        "baseline_version": "baseline",
        "build_baseline": "baseline",
        "load_overrides": "watchlist",
        "load_seed_documents": "watchlist",
        "load_watchlist": "watchlist",
    },
)
