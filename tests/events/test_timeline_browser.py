"""The timeline opens in a real headless Chromium: every point is drawn and linked."""

from __future__ import annotations

import re
from pathlib import Path

from tests.events.conftest import dump_dom
from tests.events.test_timeline import event, page


def test_the_timeline_renders_in_a_real_browser(chromium: str, tmp_path: Path) -> None:
    html = page(
        event(1, status="confirmed"),
        event(2, days=12, status="dismissed", stance="reject", score=-1.0),
        event(3, days=40),
        event(4, days=5, issue="hostage_release", withdrawn=True),
    )
    target = tmp_path / "timeline.html"
    target.write_text(html, encoding="utf-8")

    dom = dump_dom(chromium, target, tmp_path / "profile")

    check = re.search(r'<p id="render-check"[^>]*>([^<]*)</p>', dom)
    assert check, "the page's own check did not run"
    assert check.group(1) == "Chart check: 4 of 4 points drawn, 4 linked to their event."
    assert re.search(r'data-points="4"', dom) and re.search(r'data-drawn="4"', dom)
    # Two charts (one per actor and issue); only the pair with a baseline has a current line.
    assert dom.count('<section class="chart"') == 2
    assert len(re.findall(r'class="current"', dom)) == 1
    links = re.findall(r'<a href="(https://[^"]+)" rel="noreferrer noopener" class="source">', dom)
    assert "https://news.example/1" in links and "https://news.example/4" in links
