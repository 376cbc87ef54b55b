"""The CLI's consoles: plain lines are written exactly as rich would print them, without
loading rich; anything else goes through rich."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest
from rich.console import Console

from stancewatch.cli.consoles import LazyConsole

SAMPLES = [
    "run 0d83852c1669: ok in 18.9s",
    "feeds: 200 polled, 0 not modified, 0 failed",
    "a [bold]title[/] with :smile: codes and [link]",
    "ünïcödé — “quotes” 中文 and emoji 🙂",
    "",
    "two\nlines",
    "  leading and trailing spaces  ",
    "tab\there",
    "bell\x07 and carriage\r return",
    "escape \x1b[31mred\x1b[0m",
    "a very long line " * 40,
]


def rich_prints(*objects: str) -> str:
    buffer = io.StringIO()
    console = Console(
        file=buffer, highlight=False, markup=False, emoji=False, soft_wrap=True, width=200
    )
    console.print(*objects)
    return buffer.getvalue()


@pytest.mark.parametrize("text", SAMPLES)
def test_a_line_prints_as_rich_prints_it(text: str, capsys: pytest.CaptureFixture[str]) -> None:
    LazyConsole(highlight=False, markup=False, emoji=False, soft_wrap=True).print(text)
    assert capsys.readouterr().out == rich_prints(text)


def test_several_objects_print_as_rich_prints_them(capsys: pytest.CaptureFixture[str]) -> None:
    console = LazyConsole(stderr=True, highlight=False, markup=False, emoji=False, soft_wrap=True)
    console.print("warning:", "feed list has no enabled feed")
    assert capsys.readouterr().err == rich_prints("warning:", "feed list has no enabled feed")


def test_plain_lines_and_a_pipe_check_load_no_rich() -> None:
    probe = (
        "import sys\n"
        "from stancewatch.cli.consoles import err, out\n"
        "out.print('feeds: 200 polled, 200 not modified, 0 failed')\n"
        "print(err.is_terminal, 'rich' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin"},  # no FORCE_COLOR or TTY_COMPATIBLE
    )
    assert result.stdout.splitlines() == [
        "feeds: 200 polled, 200 not modified, 0 failed",
        "False False",
    ]


def test_forcing_a_terminal_is_asked_of_rich() -> None:
    probe = "from stancewatch.cli.consoles import err\nprint(err.is_terminal)\n"
    result = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin", "FORCE_COLOR": "1"},
    )
    assert result.stdout.strip() == "True"
