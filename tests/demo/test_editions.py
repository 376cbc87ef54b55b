"""The demo site's second edition: new reprints in the feeds, one corrected page, the rest kept."""

from __future__ import annotations

from pathlib import Path

import feedparser
import httpx
import pytest

from stancewatch.demo import serve_demo_site
from stancewatch.errors import ConfigError

REPRINTS = (
    "/news/2024/07/hamas-eases-truce-condition.html",
    "/news/2025/01/israel-to-leave-netzarim.html",
    "/news/2024/11/qatar-steps-back-from-talks.html",
)
CORRECTED = "/news/2024/09/israel-insists-philadelphi.html"
REMOVED = "Egypt has said it will not accept a permanent Israeli military presence"


def fetch(base: str, path: str) -> httpx.Response:
    return httpx.get(base + path, timeout=10)


def test_edition_two_adds_reprints_and_corrects_one_page() -> None:
    with serve_demo_site() as first:
        before = {p: fetch(first.base_url, p) for p in (*REPRINTS, CORRECTED, "/feeds/wire.xml")}
    with serve_demo_site(edition=2) as second:
        after = {p: fetch(second.base_url, p) for p in (*REPRINTS, CORRECTED, "/feeds/wire.xml")}
        feeds = {
            name: feedparser.parse(fetch(second.base_url, f"/feeds/{name}").content)
            for name in ("wire.xml", "world.atom", "digest.rdf")
        }
        unchanged = fetch(second.base_url, "/news/2024/07/hamas-drops-demand.html")

    assert all(before[p].status_code == 404 for p in REPRINTS)
    assert all(after[p].status_code == 200 for p in REPRINTS)
    assert REMOVED in before[CORRECTED].text and REMOVED not in after[CORRECTED].text
    assert "Correction:" in after[CORRECTED].text
    assert before["/feeds/wire.xml"].headers["etag"] != after["/feeds/wire.xml"].headers["etag"]
    links = {
        e.link.split("/news", 1)[1] for f in feeds.values() for e in f.entries if "/news" in e.link
    }
    assert {p.removeprefix("/news") for p in REPRINTS} <= links
    corrected = next(e for e in feeds["world.atom"].entries if e.link.endswith(CORRECTED))
    assert corrected.updated == "2024-09-03T08:15:00Z"  # the feed says the entry changed
    assert unchanged.status_code == 200  # pages an edition does not change are still served


def test_edition_sources_are_not_served_and_unknown_editions_are_refused(tmp_path: Path) -> None:
    with serve_demo_site(edition=2) as site:
        assert fetch(site.base_url, "/editions/2/feeds/wire.xml").status_code == 404

    with pytest.raises(ConfigError, match="no edition 3"), serve_demo_site(edition=3):
        pass
