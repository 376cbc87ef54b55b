"""Lazy package faces: every public name is its object, whichever modules were imported first."""

from __future__ import annotations

import subprocess
import sys

import pytest

# pipeline is left out: its `rescore` is also a module's name, harmless while nothing imports
# stancewatch.pipeline.rescore directly (the face then binds the function on first use).
FACES = ("stancewatch.positions", "stancewatch.store", "stancewatch.events", "stancewatch.ingest")


@pytest.mark.parametrize("package", FACES)
def test_a_name_is_never_shadowed_by_a_submodule_of_the_same_name(package: str) -> None:
    # A fresh interpreter imports every submodule first (as the engine imports compare.py),
    # then reads each public name: a module where a function was meant breaks callers.
    probe = (
        "import importlib, pkgutil, types\n"
        f"face = importlib.import_module({package!r})\n"
        "for info in pkgutil.iter_modules(face.__path__):\n"
        "    importlib.import_module(f'{face.__name__}.{info.name}')\n"
        "print(' '.join(n for n in face.__all__\n"
        "               if isinstance(getattr(face, n), types.ModuleType)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == []
