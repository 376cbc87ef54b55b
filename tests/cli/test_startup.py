"""Start-up cost: commands load only what they use; `run --flow` without a server says so."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import SEEDS_DIR

BIN = Path(sys.executable).parent
NETWORK_AND_EXTRACTION = {"trafilatura", "lxml", "httpx", "feedparser", "prefect"}
HEAVY = NETWORK_AND_EXTRACTION | {"duckdb", "pyarrow", "pydantic"}
#: typer converts option values with pydantic (~0.15 s to import); cli/coercion.py avoids it.
NEVER_FOR_A_QUERY = NETWORK_AND_EXTRACTION | {"pyarrow", "pydantic"}


def loaded_after(code: str) -> set[str]:
    """Top-level modules a fresh interpreter holds after running `code`."""
    probe = f"{code}\nimport sys\nprint(' '.join(sorted({{m.split('.')[0] for m in sys.modules}})))"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    return set(result.stdout.split())


def test_the_command_line_loads_no_stage_library_until_a_command_needs_it() -> None:
    loaded = loaded_after(
        "import stancewatch.cli, stancewatch.pipeline, stancewatch.store, stancewatch.ingest, "
        "stancewatch.events"
    )
    assert not loaded & HEAVY


def test_version_loads_nothing_heavy() -> None:
    loaded = loaded_after(
        "from stancewatch.cli import app\n"
        "try:\n    app(['--version'])\nexcept SystemExit:\n    pass"
    )
    assert "stancewatch" in loaded
    assert not loaded & (HEAVY | {"rich"})  # the version line is plain: no console needed


def test_a_query_command_loads_the_database_but_not_the_network_or_extraction(
    tmp_path: Path,
) -> None:
    db = tmp_path / "q.duckdb"
    subprocess.run([str(BIN / "stancewatch"), "db", "migrate", "--db", str(db)], check=True)
    for command in (["positions"], ["changes", "--since", "7d"]):
        loaded = loaded_after(
            "from stancewatch.cli import app\n"
            f"try:\n    app([*{command!r}, '--db', {str(db)!r}])\nexcept SystemExit:\n    pass"
        )
        assert "duckdb" in loaded
        assert not loaded & NEVER_FOR_A_QUERY, command


def test_query_output_as_json_or_csv_loads_neither_rich_nor_the_models(tmp_path: Path) -> None:
    db = tmp_path / "q.duckdb"
    subprocess.run([str(BIN / "stancewatch"), "db", "migrate", "--db", str(db)], check=True)
    commands = (
        ["positions", "--format", "json"],
        ["changes", "--since", "7d", "-f", "csv"],
        ["articles", "--limit", "5", "-f", "json"],
    )
    for command in commands:
        probe = (
            "from stancewatch.cli import app\n"
            f"try:\n    app([*{command!r}, '--db', {str(db)!r}])\nexcept SystemExit:\n    pass\n"
            "import sys\nprint('MODULES', ' '.join(sorted(sys.modules)))"
        )
        result = subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, check=True
        )
        output, _, modules = result.stdout.partition("MODULES ")
        loaded = set(modules.split())
        assert output.strip() in {"[]", ""} or output.startswith("detected_at"), command
        assert not {m for m in loaded if m.split(".")[0] == "rich"}, command
        assert "stancewatch.models" not in loaded, command
        assert not {m.split(".")[0] for m in loaded} & NEVER_FOR_A_QUERY, command


def test_run_flow_without_a_prefect_server_says_how_to_start_one(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds.toml"
    feeds.write_text('[[feeds]]\nid = "wire"\nurl = "http://127.0.0.1:9/feed.xml"\n')
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env["PREFECT_HOME"] = str(tmp_path / "prefect-home")  # no profile naming a server
    result = subprocess.run(
        [
            *(str(BIN / "stancewatch"), "run", "--flow", "--seeds", str(SEEDS_DIR)),
            *("--feeds", str(feeds), "--db", str(tmp_path / "f.duckdb")),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "prefect server start" in lines[0]
    assert "PREFECT_API_URL" in lines[0]
    assert not (tmp_path / "f.duckdb").exists()
