"""Lazy package faces: a name listed in a package's __init__ imports its module on first use.

Start-up matters (`stancewatch --version` must not load trafilatura, DuckDB and httpx), so a
package's __init__ maps its public names to the modules that define them instead of importing
them all; type checkers read the same names from a TYPE_CHECKING block.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from importlib import import_module
from typing import Any


def lazy_names(package: str, where: Mapping[str, str]) -> Callable[[str], Any]:
    """A module `__getattr__` for `package` that imports `package.<where[name]>` (or a full
    `stancewatch.<x>` name) when a name is first asked for, and keeps the value in the package
    so the next use costs nothing."""

    def __getattr__(name: str) -> Any:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        # A module of this package by its short name, or another package's face in full.
        source = module if module.startswith("stancewatch.") else f"{package}.{module}"
        value = getattr(import_module(source), name)
        setattr(import_module(package), name, value)
        return value

    return __getattr__
