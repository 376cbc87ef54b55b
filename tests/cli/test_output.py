"""CLI helpers: --since parsing and row output."""

from __future__ import annotations

import json

import pytest

from stancewatch.cli.output import Format, parse_since, print_rows
from stancewatch.errors import ConfigError


def test_parse_since() -> None:
    assert parse_since("all") is None
    a, b = parse_since("2d"), parse_since("1w")
    assert a is not None and b is not None and b < a
    assert parse_since("2024-03-01") is not None
    with pytest.raises(ConfigError):
        parse_since("soon")


def test_print_rows_json_and_csv(capsys: pytest.CaptureFixture[str]) -> None:
    rows = [{"actor": "hamas", "kind": "softening", "confidence": 0.5}]
    print_rows(rows, ["actor", "kind"], Format.json)
    assert json.loads(capsys.readouterr().out) == rows
    print_rows(rows, ["actor", "kind"], Format.csv)
    assert capsys.readouterr().out.splitlines() == ["actor,kind", "hamas,softening"]
