"""Command line: parse arguments, call the library, print results (the only place that prints)."""

from stancewatch.cli.app import app

__all__ = ["app"]
