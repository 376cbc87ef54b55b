"""httpx as a library, without its command-line client (imported through here, never directly).

httpx's __init__ loads its command-line client (click, rich.progress, rich.syntax, pygments:
about 0.1 s of CPU) whenever those happen to be installed; the library never uses it, and a
missing module is what httpx expects when they are not installed.
"""

import sys

sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]

import httpx  # noqa: E402  (after the line above, which is the point)

__all__ = ["httpx"]
