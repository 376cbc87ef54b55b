"""`python -m stancewatch …`: the same command line as the `stancewatch` script."""

from stancewatch.cli import app

app(prog_name="stancewatch")
