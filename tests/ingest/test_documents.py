"""Reading documents for `compare`: text files, HTML files, directories and URLs."""

from __future__ import annotations

from pathlib import Path

import pytest

from stancewatch.documents import expand_sources, load_document
from stancewatch.errors import ConfigError
from stancewatch.settings import Settings
from tests.conftest import PARAGRAPHS_A, PARAGRAPHS_C, NewsSite, article_page


def test_load_document_reads_text_html_and_urls(
    tmp_path: Path, site: NewsSite, settings: Settings
) -> None:
    txt = tmp_path / "note.txt"
    txt.write_text("Hamas softens stance\n\n" + "\n\n".join(PARAGRAPHS_A))
    text, title = load_document(str(txt), settings)
    assert title == "Hamas softens stance" and "Osama Hamdan" in text

    html = tmp_path / "page.html"
    html.write_text(article_page("Mediators press on", PARAGRAPHS_C))
    text, title = load_document(str(html), settings)
    assert "Blinken" in text and "cookies" not in text and "Reader42" not in text

    text, _ = load_document(site.server.url_for("/news/a.html"), settings)
    assert "total victory" in text

    with pytest.raises(ConfigError, match="no such file"):
        load_document(str(tmp_path / "missing.txt"), settings)
    assert expand_sources([str(tmp_path)]) == sorted([str(html), str(txt)])
