"""Markdown we write from feed text: inert text, only http(s) links we build."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from stancewatch.models import ItemFailure, RunSummary
from stancewatch.report import digest_markdown, summary_markdown
from stancewatch.safe_markdown import md_link, md_text


@pytest.mark.parametrize(
    "hostile",
    [
        "[x](javascript:alert(1))",
        "![tracker](http://evil.example/p.png)",
        "<img src=x onerror=alert(1)>",
        "a | b | c",
        "**bold** _em_ `code` ~~gone~~",
        "&lt;script&gt;",
    ],
)
def test_md_text_escapes_structure(hostile: str) -> None:
    escaped = md_text(hostile)
    for opener in ("[", "]", "(", ")", "<", ">", "|", "*", "_", "`", "~", "!", "&"):
        assert escaped.count(opener) == escaped.count("\\" + opener), (opener, escaped)


def test_md_text_is_one_line_without_controls() -> None:
    assert md_text("a\nb\x1b[2J") == "a b\ufffd\\[2J"


def test_md_link_builds_only_http_links() -> None:
    assert md_link("Title", "https://example.org/a?b=1") == "[Title](https://example.org/a?b=1)"
    assert md_link("x", "javascript:alert(1)") == "x"
    assert md_link("x", "data:text/html,hi") == "x"
    assert md_link("x", "http:///nohost") == "x"
    assert md_link("x", None) == "x"
    # the URL cannot close the link's parenthesis or open HTML
    link = md_link("t", "https://example.org/a) ![i](http://evil/x.png) <b>")
    assert link.startswith("[t](https://example.org/a")
    assert link.count("(") == 1 and link.count(")") == 1 and "<" not in link and " " not in link


def test_digest_escapes_feed_text_and_links() -> None:
    row = {
        "actor": "hamas",
        "issue": "end_of_war",
        "kind": "softening",
        "baseline_stance": "demand",
        "stance": "accept_if",
        "confidence": 0.7,
        "evidence": "Hamas said yes | ![p](http://evil.example/p.png)",
        "title": "[x](javascript:alert(1))",
        "url": "javascript:alert(1)",
    }
    markdown = digest_markdown([row], since=datetime(2024, 3, 1, tzinfo=UTC))
    assert "](javascript" not in markdown and "![p](" not in markdown
    assert "\\|" in markdown


def test_run_summary_table_cells_cannot_break_the_table() -> None:
    summary = RunSummary(run_id="r1", started_at=datetime(2024, 3, 1, tzinfo=UTC))
    summary.errors.append(
        ItemFailure("fetch", "http://x/a|b", "f", "HTTPStatusError", "bad | [x](javascript:1)")
    )
    changes = [{"actor": "a|b", "issue": "i", "kind": "new", "evidence": "e | ![i](http://e/i)"}]
    markdown = summary_markdown(summary, changes)
    table_rows = [line for line in markdown.splitlines() if line.startswith("|")]
    assert len(table_rows) == 6  # two tables: header, rule, one row each
    columns = [len(line.replace("\\|", "").split("|")) - 2 for line in table_rows]
    assert columns == [3, 3, 3, 4, 4, 4]
    assert "](javascript" not in markdown and "![i](" not in markdown
