"""The command line through typer's runner: real files, a real database, real servers."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stancewatch.cli import app, parse_since
from stancewatch.errors import ConfigError
from stancewatch.settings import Settings
from tests.conftest import PARAGRAPHS_A, SEEDS_DIR, NewsSite

runner = CliRunner()


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def db_args(settings: Settings) -> list[str]:
    return ["--db", str(settings.db_path)]


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


def test_run_then_query_articles_changes_feeds_runs(
    site: NewsSite, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("STANCEWATCH_RETRIES", "0")  # leave the flaky page for the next run
    code, out, _ = invoke(
        "run",
        "--seeds",
        str(SEEDS_DIR),
        "--feeds",
        str(settings.feed_list_path),
        *db_args(settings),
    )
    assert code == 0, out
    assert "articles: 3 stored" in out

    code, out, _ = invoke("articles", "--since", "all", "--format", "json", *db_args(settings))
    rows = json.loads(out)
    assert code == 0 and len(rows) == 3
    assert {r["text_source"] for r in rows} == {"page", "feed"}

    code, out, _ = invoke(
        "changes", "--since", "7d", "--reaffirmed", "--format", "csv", *db_args(settings)
    )
    assert code == 0
    header = next(csv.reader(io.StringIO(out)))
    assert {"actor", "issue", "kind", "evidence"} <= set(header)

    code, out, _ = invoke(
        "feeds", "--feeds", str(settings.feed_list_path), "--format", "json", *db_args(settings)
    )
    feeds = {f["id"]: f for f in json.loads(out)}
    assert feeds["broken"]["consecutive_failures"] == 1
    assert feeds["wire"]["consecutive_failures"] == 0

    code, out, _ = invoke("runs", "--format", "json", *db_args(settings))
    assert json.loads(out)[0]["status"] == "partial"
    code, out, _ = invoke("errors", "--format", "json", *db_args(settings))
    assert any(e["stage"] == "fetch" for e in json.loads(out))


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


def test_compare_json_contract(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Hamas digs in\n\n" + "\n\n".join(PARAGRAPHS_A))
    code, out, _ = invoke("compare", str(article), "--json")
    assert code == 0
    result = json.loads(out)
    assert set(result) == {"related", "relatedness", "changes"}
    assert result["related"] is True and 0 <= result["relatedness"] <= 1
    for change in result["changes"]:
        assert change["kind"] in {"reversal", "softening", "hardening", "reaffirmed", "new"}
        assert change["attribution"] in {"direct", "reported", "third_party"}
        assert 0 <= change["confidence"] <= 1
        assert (change["baseline"] is None) == (change["kind"] == "new")

    second = tmp_path / "b.txt"
    second.write_text("Markets\n\nOil prices rose on Monday as traders weighed supply data.")
    code, out, _ = invoke("compare", str(article), str(second), "--json")
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["source"] for line in lines] == [str(article), str(second)]
    assert lines[1]["changes"] == []


def test_baseline_lists_seed_positions() -> None:
    code, out, _ = invoke("baseline", "--format", "json")
    rows = json.loads(out)
    assert code == 0
    assert {"israel", "hamas"} <= {r["actor"] for r in rows}
    assert all(r["text"] for r in rows)


def test_db_migrate_reports_version(tmp_path: Path) -> None:
    code, out, _ = invoke("db", "migrate", "--db", str(tmp_path / "new.duckdb"))
    assert code == 0 and "schema version" in out
    code, out, _ = invoke("changes", "--db", str(tmp_path / "new.duckdb"))
    assert code == 0 and "no changes" in out


def test_parse_since() -> None:
    assert parse_since("all") is None
    a, b = parse_since("2d"), parse_since("1w")
    assert a is not None and b is not None and b < a
    assert parse_since("2024-03-01") is not None
    with pytest.raises(ConfigError):
        parse_since("soon")
