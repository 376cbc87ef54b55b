"""Option values converted without pydantic: typer's own coercion builds a pydantic TypeAdapter
per parameter, and importing pydantic costs a query command more than its query."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, get_args, get_origin

from typer._coercion import RuntimeParam, TypeDescriptor, build_runtime_param
from typer._param_types import coerce_cli_path
from typer.core import _TyperParameter

_PLAIN_INT = re.compile(r"-?[0-9]+\Z")


class _NotPlain(Exception):
    """The value is one the plain conversion does not vouch for: typer's own decides."""


def _plain_value(
    annotation: Any, descriptor: TypeDescriptor, value: Any, param: Any, ctx: Any
) -> Any:
    """`value` as `annotation` when that is unambiguous, else _NotPlain."""
    info = descriptor.parameter_info
    if info.parser is not None:
        raise _NotPlain
    if annotation is str and isinstance(value, str):
        return value
    if annotation is bool and isinstance(value, bool):
        return value
    if annotation is int and not isinstance(value, bool):
        if isinstance(value, str) and _PLAIN_INT.match(value):
            number = int(value)
        elif isinstance(value, int):  # a default
            number = value
        else:
            raise _NotPlain
        if info.clamp or (info.min is not None and number < info.min):
            raise _NotPlain
        if info.max is not None and number > info.max:
            raise _NotPlain
        return number
    if isinstance(annotation, type) and issubclass(annotation, Enum) and info.case_sensitive:
        for member in annotation:
            if value is member or (isinstance(value, str) and value == str(member.value)):
                return member
        raise _NotPlain
    if annotation is Path and (isinstance(value, Path) or (isinstance(value, str) and value)):
        # typer's own path checks (exists, readable, ...), given a Path so it needs no pydantic
        return coerce_cli_path(Path(value), info, path_type=Path, param=param, ctx=ctx)
    raise _NotPlain


@dataclass(frozen=True)
class PlainCoercion(RuntimeParam):
    """str, int, Enum and Path values (and lists of them) the cheap way; anything else, and
    every value the plain rules would reject, goes to typer's coercion, so its results and error
    messages are unchanged."""

    descriptor: TypeDescriptor

    def _coerce_value(self, value: Any, param: _TyperParameter, ctx: Any) -> Any:
        try:
            if ctx is not None and ctx.token_normalize_func is not None:
                raise _NotPlain
            origin: object = get_origin(self.annotation)
            if origin is list:
                (item_type,) = get_args(self.annotation)
                if not isinstance(value, (list, tuple)):
                    raise _NotPlain
                return [_plain_value(item_type, self.descriptor, v, param, ctx) for v in value]
            return _plain_value(self.annotation, self.descriptor, value, param, ctx)
        except _NotPlain:
            fallback = build_runtime_param(self.descriptor)
            return fallback._coerce_value(value, param=param, ctx=ctx)


def use_plain_coercion(parameters: Iterable[Any]) -> None:
    """Give each typer parameter the plain coercion (typer builds its own on first use)."""
    for parameter in parameters:
        if not isinstance(parameter, _TyperParameter) or parameter._runtime_param is not None:
            continue
        descriptor = parameter.type_descriptor
        if descriptor.file_annotation is None:
            parameter._runtime_param = PlainCoercion(
                parameter_info=descriptor.parameter_info,
                annotation=descriptor.annotation,
                descriptor=descriptor,
            )
