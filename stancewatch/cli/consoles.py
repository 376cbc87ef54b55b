"""The two terminals the CLI writes to (stdout, stderr), made on first use.

Importing rich's console costs about as much as a query; `--format json|csv` output and
commands that print nothing never pay for it.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text


class LazyConsole:
    """A rich Console built with `options` the first time rich is needed to print.

    Plain lines (a str with nothing rich would alter: no markup is read, no tabs or control
    characters) are written as they are, which is what the console would print, so a command
    that prints only those never loads rich.
    """

    def __init__(self, *, stderr: bool = False, wide_when_piped: bool = False, **options: Any):
        self._stderr = stderr
        self._wide_when_piped = wide_when_piped
        self._options = options
        self._console: Console | None = None

    @property
    def stream(self) -> TextIO:
        """Looked up at each use, as rich does: a test runner may swap it."""
        return sys.stderr if self._stderr else sys.stdout

    @property
    def console(self) -> Console:
        if self._console is None:
            from rich.console import Console

            options = dict(self._options)
            if self._wide_when_piped:
                # Piped output is not cut to 80 columns: wide tables stay one row per line.
                options["width"] = None if sys.stdout.isatty() else 200
            self._console = Console(stderr=self._stderr, **options)
        return self._console

    def print(self, *objects: Any, **options: Any) -> None:
        if not options and all(isinstance(o, str) and _plain(o) for o in objects):
            self.stream.write(" ".join(objects) + "\n")
            return
        self.console.print(*objects, **options)

    def print_json(self, *, data: Any) -> None:
        self.console.print_json(data=data)

    @property
    def is_terminal(self) -> bool:
        """Whether rich would draw for a terminal here (no rich is loaded to say no when the
        stream is not a terminal and nothing in the environment forces one)."""
        forced = os.environ.get("TTY_COMPATIBLE") == "1" or os.environ.get("FORCE_COLOR")
        isatty = getattr(self.stream, "isatty", None)
        if self._console is None and not forced and not (isatty and isatty()):
            return False
        return self.console.is_terminal


def _plain(text: str) -> bool:
    return all(line.isprintable() for line in text.split("\n"))


def styled(text: str, style: str) -> Text:
    """`text` in a rich style (bold, a colour), printed as it is (no markup is read)."""
    from rich.text import Text

    return Text(text, style=style)


# Markup and emoji codes are off: printed text is data (a title "[/]" or a stage tag "[fetch]"
# must print as it is); styled words are built as rich Text.
out = LazyConsole(highlight=False, markup=False, emoji=False, soft_wrap=True, wide_when_piped=True)
err = LazyConsole(stderr=True, highlight=False, markup=False, emoji=False, soft_wrap=True)
