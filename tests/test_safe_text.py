"""Terminal, CSV and JSON neutralising of stored text."""

from __future__ import annotations

import csv
import io
import json

import pytest

from stancewatch.report import rows_to_csv, rows_to_jsonl, table_cells
from stancewatch.safe_text import (
    REPLACEMENT,
    csv_cell,
    json_document,
    terminal_line,
    terminal_text,
)

HOSTILE = [
    "\x1b[2J",  # clear screen
    "\x07",  # bell
    "\x00",  # NUL
    "\x9b31m",  # one-byte CSI
    "\x7f",  # DEL
    "\u202e",  # right-to-left override
    "\u2066",  # left-to-right isolate
]


@pytest.mark.parametrize("control", HOSTILE)
def test_terminal_text_replaces_every_control(control: str) -> None:
    shown = terminal_text(f"before {control} after")
    assert control[0] not in shown
    assert shown.startswith("before ") and shown.endswith(" after")
    assert REPLACEMENT in shown


def test_terminal_text_keeps_lines_but_no_carriage_returns() -> None:
    assert terminal_text("one\r\ntwo\rthree\tfour") == "one\ntwo\nthree\tfour"


def test_terminal_line_is_one_line() -> None:
    assert terminal_line("  a\nb\r\n\tc\u2028d  ") == "a b c d"


def test_right_to_left_text_marks_stay() -> None:
    hebrew = "\u05e9\u05dc\u05d5\u05dd \u200f(1)"
    assert terminal_line(hebrew) == hebrew


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cell_defuses_formula_starts(start: str) -> None:
    cell = csv_cell(f"{start}SUM(A1:A9)")
    assert cell.startswith("'")


def test_csv_cell_leaves_plain_text_and_replaces_controls() -> None:
    assert csv_cell("Hamas = no") == "Hamas = no"
    assert csv_cell("a\x1b[2Jb") == f"a{REPLACEMENT}[2Jb"


def test_rows_to_csv_defuses_text_but_not_our_numbers() -> None:
    rows = [{"title": "=1+1", "confidence": -0.5, "tags": ["@x", "y"]}]
    out = rows_to_csv(rows, ["title", "confidence", "tags"])
    row = next(csv.DictReader(io.StringIO(out)))
    assert row == {"title": "'=1+1", "confidence": "-0.50", "tags": "'@x, y"}


def test_json_document_escapes_but_round_trips() -> None:
    value = "a\u202eb\x9bc\x7fd\u2028e"
    serialized = json_document(json.dumps({"t": value}, ensure_ascii=False))
    assert all(ch not in serialized for ch in "\u202e\x9b\x7f\u2028")
    assert json.loads(serialized) == {"t": value}


def test_jsonl_rows_are_escaped() -> None:
    out = rows_to_jsonl([{"title": "x\u202ey"}])
    assert "\u202e" not in out and json.loads(out)["title"] == "x\u202ey"


def test_table_cells_are_single_safe_lines() -> None:
    cells = table_cells([{"title": "a\x1b[2J\nb [/]"}], ["title"])
    assert cells == [[f"a{REPLACEMENT}[2J b [/]"]]
