"""The command line through typer's runner: real files, a real database, real servers."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import invoke


def test_every_command_has_help() -> None:
    code, out, _ = invoke("--help")
    assert code == 0
    commands = [
        "run",
        "serve",
        "feeds",
        "articles",
        "changes",
        "positions",
        "runs",
        "errors",
        "db",
        "baseline",
        "compare",
        "rescore",
        "eval",
        "demo",
    ]
    for command in commands:
        assert command in out
        sub_code, sub_out, _ = invoke(command, "--help")
        assert sub_code == 0 and "Usage" in sub_out


def test_user_mistakes_give_one_line_and_exit_code(tmp_path: Path) -> None:
    bad_feeds = tmp_path / "feeds.toml"
    bad_feeds.write_text("[[feeds]\nid = ")
    code, out, err = invoke("run", "--feeds", str(bad_feeds), "--db", str(tmp_path / "x.db"))
    assert code == 2
    assert "feeds.toml" in err and "Traceback" not in err + out

    code, _, err = invoke("articles", "--db", str(tmp_path / "missing.duckdb"))
    assert code == 3 and "missing.duckdb" in err

    code, _, err = invoke("changes", "--since", "yesterday-ish", "--db", str(tmp_path / "m.db"))
    assert code == 2 and "--since" in err

    code, _, err = invoke("compare", str(tmp_path / "nope.txt"))
    assert code == 2 and "nope.txt" in err

    code, _, err = invoke("baseline", "--seeds", str(tmp_path))
    assert code == 2 and str(tmp_path) in err


def test_db_migrate_reports_version(tmp_path: Path) -> None:
    code, out, _ = invoke("db", "migrate", "--db", str(tmp_path / "new.duckdb"))
    assert code == 0 and "schema version" in out
    code, out, _ = invoke("changes", "--db", str(tmp_path / "new.duckdb"))
    assert code == 0 and "no changes" in out
