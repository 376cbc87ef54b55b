"""Hostile feed text through a real run and the CLI: printed as text, never as markup."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from stancewatch import report, store
from tests.conftest import PARAGRAPHS_A, SEEDS_DIR, article_page, invoke, rss_feed

MARKUP_TITLE = "Hamas [/] says [bold]no[/bold] to the deal [fetch]"
FORMULA_TITLE = '=HYPERLINK("http://evil.example/","click me")'
SCREEN_CLEAR = "\x1b[2J"
BIDI_OVERRIDE = "\u202e"
# The evidence sentence carries markdown that must not become a link, an image or a column.
HOSTILE_SENTENCE = (
    "Hamas said on Saturday it would not accept any ceasefire deal that leaves Israeli "
    "troops inside Gaza | ![p](http://evil.example/p.png) [x](javascript:alert(1)) <img src=x>."
)


@pytest.fixture
def hostile_db(httpserver: HTTPServer, tmp_path: Path) -> Path:
    """A database filled by a real `stancewatch run` over a feed of hostile items."""
    base = httpserver.url_for("")
    items = [
        {
            "title": MARKUP_TITLE.replace("&", "&amp;"),
            "link": f"{base}news/markup.html",
            "guid": "markup",
            "description": "Hamas rejects a deal.",
        },
        {
            "title": "A javascript link",
            "link": "javascript:[/x]",
            "guid": "script",
            "description": "Hamas negotiators arrived in Cairo on Sunday for a new round of "
            "talks on a ceasefire, an official said, as mediators pressed both sides on terms.",
        },
        {
            "title": FORMULA_TITLE.replace('"', "&quot;"),
            "link": f"{base}news/missing.html",
            "guid": "formula",
            "description": "Mediators from Qatar and Egypt said talks would resume in Cairo "
            "next week, as both sides weighed the latest proposal for a pause in the fighting.",
        },
        {
            "title": f"Controls &#x1b;[2J here {BIDI_OVERRIDE}txt.exe",
            "link": f"{base}news/controls.html",
            "guid": "controls",
            "description": f"Clear {SCREEN_CLEAR} the screen and ring the bell \x07 now.",
        },
    ]
    httpserver.expect_request("/feed.xml").respond_with_data(
        rss_feed(items), content_type="application/rss+xml; charset=utf-8"
    )
    page = article_page("Hamas [/] says [bold]no[/bold]", [HOSTILE_SENTENCE, *PARAGRAPHS_A[1:]])
    httpserver.expect_request("/news/markup.html").respond_with_data(
        page, content_type="text/html; charset=utf-8"
    )
    httpserver.expect_request("/news/missing.html").respond_with_response(
        Response("gone", status=404)
    )
    httpserver.expect_request("/news/controls.html").respond_with_response(
        Response("gone [/] \x1b[2J", status=404)
    )
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(f'[[feeds]]\nid = "hostile"\nurl = "{httpserver.url_for("/feed.xml")}"\n')
    db = tmp_path / "hostile.duckdb"
    code, out, err = invoke(
        "run", "--seeds", str(SEEDS_DIR), "--feeds", str(feeds), "--db", str(db)
    )
    assert code == 0, out + err
    assert "Traceback" not in out + err
    # stage tags print as they are instead of vanishing as unknown markup
    assert "[fetch]" in out and "javascript:[/x]" in out
    assert SCREEN_CLEAR not in out
    return db


def test_listing_commands_print_stored_markup_literally(hostile_db: Path) -> None:
    commands = [
        ["articles", "--since", "all"],
        ["changes", "--since", "all", "--reaffirmed"],
        ["errors"],
        ["positions"],
        ["runs"],
    ]
    for command in commands:
        code, out, err = invoke(*command, "--db", str(hostile_db))
        assert code == 0, f"{command}: {err}"
        assert "Traceback" not in out + err
        assert "\x1b" not in out and "\x07" not in out and BIDI_OVERRIDE not in out, command
    code, out, _ = invoke("articles", "--since", "all", "--db", str(hostile_db))
    assert "[/]" in out and "[bold]no[/bold]" in out
    code, out, _ = invoke("errors", "--db", str(hostile_db))
    assert "javascript:[/x]" in out


def test_csv_cells_cannot_start_a_formula(hostile_db: Path) -> None:
    code, out, _ = invoke("articles", "--since", "all", "--format", "csv", "--db", str(hostile_db))
    assert code == 0
    titles = [row["title"] for row in csv.DictReader(io.StringIO(out))]
    assert "'" + FORMULA_TITLE in titles
    assert not any(t.startswith(("=", "+", "-", "@", "\t", "\r")) for t in titles)
    assert "\x1b" not in out and BIDI_OVERRIDE not in out


def test_json_keeps_the_stored_value_but_escapes_controls(hostile_db: Path) -> None:
    code, out, _ = invoke("articles", "--since", "all", "--format", "json", "--db", str(hostile_db))
    assert code == 0
    assert "\x1b" not in out and BIDI_OVERRIDE not in out
    titles = {row["title"] for row in json.loads(out)}
    assert FORMULA_TITLE in titles  # JSON is for programs: the value round-trips unchanged
    assert any(BIDI_OVERRIDE in t and SCREEN_CLEAR in t for t in titles)


def test_markdown_digest_of_stored_changes_is_inert(hostile_db: Path) -> None:
    with store.open_db(hostile_db, read_only=True) as con:
        rows = store.list_changes(con, since=None, limit=100)
        articles = store.list_articles(con, since=None, limit=100)
    assert any("javascript" in str(r["evidence"]) for r in rows), "evidence sentence not stored"
    # The stored links include javascript:[/x] only if the pipeline kept it; add it to be sure.
    rows = [*rows, {**rows[0], "title": "[x](javascript:alert(1))", "url": "javascript:[/x]"}]
    markdown = report.digest_markdown(rows, since=articles[0]["fetched_at"])
    assert "](javascript:" not in markdown and "![p](" not in markdown
    assert "<img" not in markdown
    for line in markdown.splitlines():
        if "evil.example" in line:
            assert "\\|" in line and "\\!\\[p\\]" in line
