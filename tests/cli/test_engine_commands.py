"""Engine commands: compare's JSON contract and the baseline review."""

from __future__ import annotations

import json
from pathlib import Path

from stancewatch.settings import Settings
from tests.conftest import PARAGRAPHS_A, SEEDS_DIR, invoke


def db_args(settings: Settings) -> list[str]:
    return ["--db", str(settings.db_path)]


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


def test_compare_explain_shows_every_statement_and_why(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Hamas digs in\n\n" + "\n\n".join(PARAGRAPHS_A))
    code, out, _ = invoke("compare", str(article), "--explain")
    assert code == 0
    for label in ("holder:", "attribution:", "cue:", "object:", "negation:", "why:"):
        assert label in out
    assert "confidence: direct attribution" in out
    # Netanyahu's "again rejected the demand" is read, and its holder is named.
    assert "holder: Netanyahu → israel" in out or "holder: Benjamin Netanyahu → israel" in out


def test_compare_explain_json_has_explain_objects(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Hamas digs in\n\n" + "\n\n".join(PARAGRAPHS_A))
    code, out, _ = invoke("compare", str(article), "--json", "--explain")
    assert code == 0
    result = json.loads(out)
    assert result["changes"] and result["statements"]
    for change in result["changes"]:
        factors = change["explain"]["confidence_factors"]
        product = 1.0
        for factor in factors:
            product *= factor["value"]
        assert round(min(0.99, max(0.05, product)), 2) == change["confidence"]
        assert change["explain"]["why"]
    for statement in result["statements"]:
        assert statement["verdict"]
        explain = statement["explain"]
        assert set(explain) >= {"holder", "attribution", "cue", "object", "recap", "negation"}
        assert explain["object"]["issue"] == statement["issue"]
    # Without --explain the contract stays as it was.
    _, plain, _ = invoke("compare", str(article), "--json")
    assert "statements" not in json.loads(plain)


def test_baseline_explain_lists_every_seed_statement() -> None:
    code, out, _ = invoke("baseline", "--explain", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    _, positions, _ = invoke("baseline", "--format", "json")
    assert len(rows) > len(json.loads(positions))  # not only the winners
    assert all(r["verdict"] and r["explain"]["holder"]["how"] for r in rows)
    assert any(r["verdict"].startswith("outranked by") for r in rows)
    code, text, _ = invoke("baseline", "--explain")
    assert code == 0 and "the baseline position israel:" in text


def _seeds_without_feeds(tmp_path: Path) -> Path:
    """A seeds directory with only a watchlist and one seed document (no feeds.toml)."""
    seeds = tmp_path / "seeds"
    (seeds / "baseline").mkdir(parents=True)
    (seeds / "watchlist.toml").write_text((SEEDS_DIR / "watchlist.toml").read_text())
    (seeds / "baseline" / "seed.txt").write_text(
        "Gaza truce talks\n\nHamas proposed a phased truce. Israel rejected the proposal."
    )
    return seeds


def test_baseline_and_compare_need_no_feed_list(tmp_path: Path) -> None:
    seeds = _seeds_without_feeds(tmp_path)
    code, out, err = invoke("baseline", "--seeds", str(seeds), "--format", "json")
    assert code == 0, err
    assert {"hamas", "israel"} <= {row["actor"] for row in json.loads(out)}
    article = tmp_path / "a.txt"
    article.write_text("Gaza talks\n\nIsrael said on Monday it accepted the proposal.")
    code, out, err = invoke("compare", str(article), "--seeds", str(seeds), "--json")
    assert code == 0, err
    assert json.loads(out)["related"] is True


def test_a_run_with_every_feed_disabled_warns_in_one_line(tmp_path: Path) -> None:
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(
        '[[feeds]]\nid = "a"\nurl = "http://127.0.0.1:9/a.xml"\nenabled = false\n\n'
        '[[feeds]]\nid = "b"\nurl = "http://127.0.0.1:9/b.xml"\nenabled = false\n'
    )
    db = tmp_path / "db.duckdb"
    code, _, err = invoke("run", "--feeds", str(feeds), "--db", str(db))
    assert code == 0
    warnings = [line for line in err.splitlines() if "warning" in line]
    assert len(warnings) == 1
    assert str(feeds) in warnings[0] and "every feed is disabled" in warnings[0]
    # One enabled feed: no warning (the feed is unreachable; the run records that and goes on).
    feeds.write_text('[[feeds]]\nid = "a"\nurl = "http://127.0.0.1:9/a.xml"\n')
    _, _, err = invoke("run", "--feeds", str(feeds), "--db", str(db))
    assert "every feed is disabled" not in err


def test_baseline_shows_the_seed_documents_date_and_source(tmp_path: Path) -> None:
    seeds = _seeds_without_feeds(tmp_path)
    seed = seeds / "baseline" / "seed.txt"
    seed.write_text("---\ndate: 2024-02-07\nsource: Wire Service\n---\n" + seed.read_text())
    code, out, err = invoke("baseline", "--seeds", str(seeds), "--format", "json")
    assert code == 0, err
    rows = json.loads(out)
    assert rows and all(r["seed_date"] == "2024-02-07" for r in rows)
    assert all(r["seed_source"] == "Wire Service" for r in rows)
    code, out, _ = invoke("baseline", "--seeds", str(seeds))
    assert "2024-02-07" in out and "Wire Service" in out
    code, out, _ = invoke("baseline", "--seeds", str(seeds), "--explain")
    assert "baseline/seed.txt (2024-02-07, Wire Service):" in out
