"""The two terminals the CLI writes to (stdout, stderr), made on first use.

Importing rich's console costs about as much as a query; `--format json|csv` output and
commands that print nothing never pay for it.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text


class LazyConsole:
    """A rich Console built with `options` the first time something is printed."""

    def __init__(self, **options: Any) -> None:
        self._options = options
        self._console: Console | None = None

    @property
    def console(self) -> Console:
        if self._console is None:
            from rich.console import Console

            options = dict(self._options)
            if options.pop("wide_when_piped", False):
                # Piped output is not cut to 80 columns: wide tables stay one row per line.
                options["width"] = None if sys.stdout.isatty() else 200
            self._console = Console(**options)
        return self._console

    def print(self, *objects: Any, **options: Any) -> None:
        self.console.print(*objects, **options)

    def print_json(self, *, data: Any) -> None:
        self.console.print_json(data=data)

    @property
    def is_terminal(self) -> bool:
        return self.console.is_terminal


def styled(text: str, style: str) -> Text:
    """`text` in a rich style (bold, a colour), printed as it is (no markup is read)."""
    from rich.text import Text

    return Text(text, style=style)


# Markup and emoji codes are off: printed text is data (a title "[/]" or a stage tag "[fetch]"
# must print as it is); styled words are built as rich Text.
out = LazyConsole(highlight=False, markup=False, emoji=False, soft_wrap=True, wide_when_piped=True)
err = LazyConsole(stderr=True, highlight=False, markup=False, emoji=False, soft_wrap=True)
