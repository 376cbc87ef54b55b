"""The package's shape: stages import each other only through their public faces, one way."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "stancewatch"
SUBPACKAGES = sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file())
#: The stages proper: each stands alone; only pipeline/, cli/ and flows/ wire them together.
STAGES = ("ingest", "positions", "store")


def _imported_modules(path: Path) -> list[str]:
    """Every module a file imports, absolute (`from stancewatch import x` gives stancewatch.x)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
            found.extend(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _public_names(subpackage: str) -> set[str]:
    """What a subpackage's __init__ lists in __all__: its public face."""
    tree = ast.parse((PACKAGE / subpackage / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "__all__" for target in node.targets
        ):
            return {elt.value for elt in node.value.elts if isinstance(elt, ast.Constant)}
    return set()


def _owner(path: Path) -> str | None:
    """The subpackage a file belongs to, or None for top-level modules and flows/."""
    rel = path.relative_to(REPO).parts
    return rel[1] if rel[0] == "stancewatch" and len(rel) > 2 else None


SOURCES = sorted([*PACKAGE.rglob("*.py"), *(REPO / "flows").glob("*.py")])


def test_the_subpackages_are_the_stages_named_in_the_readme() -> None:
    assert set(STAGES) <= set(SUBPACKAGES)
    assert {"cli", "demo", "evaluation", "pipeline"} <= set(SUBPACKAGES)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(REPO)))
def test_no_module_reaches_into_another_subpackages_private_modules(path: Path) -> None:
    owner = _owner(path)
    offending = []
    for module in _imported_modules(path):
        parts = module.split(".")
        if parts[0] != "stancewatch" or len(parts) < 3 or parts[1] not in SUBPACKAGES:
            continue
        if parts[1] == owner or parts[2] in _public_names(parts[1]):
            continue
        if (PACKAGE / parts[1] / f"{parts[2]}.py").is_file():
            offending.append(module)
    assert not offending, f"{path.name} imports private modules {offending}; use the package root"


@pytest.mark.parametrize("stage", STAGES)
def test_stages_never_import_each_other(stage: str) -> None:
    others = {f"stancewatch.{s}" for s in STAGES if s != stage}
    for path in (PACKAGE / stage).rglob("*.py"):
        bad = [m for m in _imported_modules(path) if any(m.startswith(o) for o in others)]
        assert not bad, f"{path.relative_to(REPO)} imports {bad}"


def test_prefect_is_imported_only_in_flows() -> None:
    for path in PACKAGE.rglob("*.py"):
        bad = [m for m in _imported_modules(path) if m.split(".")[0] == "prefect"]
        assert not bad, f"{path.relative_to(REPO)} imports {bad}"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(REPO)))
def test_every_module_says_its_job_in_a_docstring(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    doc = ast.get_docstring(tree)
    assert doc and doc.strip(), f"{path.relative_to(REPO)} has no module docstring"


def test_readme_layout_lists_every_module() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Layout") :]
    listed = set(re.findall(r"[\w/]+\.py", section))
    missing = [
        str(p.relative_to(REPO))
        for p in PACKAGE.rglob("*.py")
        if not any(str(p.relative_to(REPO)).endswith(entry) for entry in listed)
    ]
    assert not missing, f"README's layout section does not list {missing}"
