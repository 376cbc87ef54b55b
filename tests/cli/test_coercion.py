"""Option values converted without pydantic come out exactly as typer's own coercion makes
them, errors included, for every parameter of the real command line."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import typer.main
from typer._click import Context
from typer._click.exceptions import BadParameter
from typer._coercion import build_runtime_param
from typer.core import _TyperParameter

from stancewatch.cli.app import app
from stancewatch.cli.coercion import PlainCoercion, use_plain_coercion

SAMPLES: dict[str, list[Any]] = {
    "str": ["wire", "", " spaced ", "ünïcode", "7d", "-x"],
    "int": [
        *("1", "2", "0", "-3", "007", " 5", "5 ", "1_000", "1.5", "ten", "", "99999999999999999"),
        *(500, 1, 0, -1, True),  # defaults arrive as numbers
    ],
    "Path": ["db.duckdb", "", "~/x.duckdb", "/tmp", ".", "a/../b", "-", Path("b.duckdb")],
    "bool": [True, False],
    "Format": ["table", "json", "csv", "JSON", "xml", "", " table"],
    "list[str]": [["reversal"], ["reversal", "new"], [], ["bogus", "hardening"]],
    "list[Path]": [["a.txt"], ["a.txt", "b.html"], []],
}


def parameters() -> Iterator[tuple[Any, _TyperParameter]]:
    """Every typer parameter of every command, with the command it belongs to."""
    pending = [typer.main.get_command(app)]
    while pending:
        command = pending.pop()
        for parameter in command.params:
            if isinstance(parameter, _TyperParameter):
                yield command, parameter
        pending.extend(getattr(command, "commands", {}).values())


def label(annotation: Any) -> str:
    name = getattr(annotation, "__name__", "")
    return str(annotation).replace("pathlib.", "") if name == "list" else name


def outcome(coercion: Any, value: Any, parameter: Any, ctx: Context) -> tuple[str, Any]:
    try:
        return "value", coercion._coerce_value(value, param=parameter, ctx=ctx)
    except BadParameter as exc:
        return "error", exc.format_message()


def test_every_parameter_converts_every_sample_as_typer_does(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x")
    checked = set()
    for command, parameter in parameters():
        annotation = parameter.type_descriptor.annotation
        samples = SAMPLES[label(annotation)]  # a new parameter type needs samples here
        ctx = Context(command)
        plain = PlainCoercion(
            parameter_info=parameter.type_descriptor.parameter_info,
            annotation=annotation,
            descriptor=parameter.type_descriptor,
        )
        own = build_runtime_param(parameter.type_descriptor)
        for value in samples:
            assert outcome(plain, value, parameter, ctx) == outcome(own, value, parameter, ctx), (
                command.name,
                parameter.name,
                value,
            )
        checked.add(label(annotation))
    assert checked >= {"str", "int", "Path", "Format", "list[str]"}


def test_the_command_tree_gets_the_plain_coercion_as_it_is_parsed() -> None:
    command = typer.main.get_command(app)
    ctx = Context(command)
    positions = command.get_command(ctx, "positions")
    assert positions is not None
    given = [p for p in positions.get_params(ctx) if isinstance(p, _TyperParameter)]
    assert given and all(isinstance(p._runtime_param, PlainCoercion) for p in given)
    use_plain_coercion(given)  # a second pass keeps what is there
    assert all(isinstance(p._runtime_param, PlainCoercion) for p in given)


def test_every_default_and_plain_value_converts_without_loading_pydantic() -> None:
    probe = """
import sys
import typer.main
from typer._click import Context
from typer.core import _TyperParameter
from stancewatch.cli.app import app
from stancewatch.cli.coercion import PlainCoercion

plain_samples = {"str": "x", "int": "1", "Path": "a.duckdb", "Format": "json", "bool": True}
pending, seen = [typer.main.get_command(app)], 0
while pending:
    command = pending.pop()
    pending.extend(getattr(command, "commands", {}).values())
    for p in command.params:
        if not isinstance(p, _TyperParameter):
            continue
        d = p.type_descriptor
        coercion = PlainCoercion(
            parameter_info=d.parameter_info, annotation=d.annotation, descriptor=d
        )
        name = getattr(d.annotation, "__name__", "")
        values = [p.default] if p.default is not None else []
        values += [plain_samples[name]] if name in plain_samples else []
        for value in values:
            coercion._coerce_value(value, param=p, ctx=Context(command))
            seen += 1
print(seen, "pydantic" in sys.modules)
"""
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    seen, pydantic_loaded = result.stdout.split()
    assert int(seen) > 50 and pydantic_loaded == "False"
