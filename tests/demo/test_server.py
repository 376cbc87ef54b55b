"""Tests of the offline demo: the demo web server, its feeds and its rendered article pages."""

from __future__ import annotations

import http.client
import re
import tomllib
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import httpx
import lxml.html
import pytest

from stancewatch.demo.pages import (
    ARTICLES_DIR,
    TEMPLATES_DIR,
    article_slugs,
    load_article,
    load_template,
    page_slug,
    render_article,
)
from stancewatch.demo.server import (
    DEFAULT_SITE_DIR,
    SITE_LAST_MODIFIED,
    DemoSite,
    demo_feed_urls,
    demo_feeds_file,
    serve_demo_site,
)
from stancewatch.errors import ConfigError
from stancewatch.ingest import extract_page
from stancewatch.models import FeedConfig

SITE = DEFAULT_SITE_DIR
SLUGS = article_slugs(SITE)  # one content file per article page
PAGES = ["/news/" + slug + ".html" for slug in SLUGS]  # the page paths on the site
FEEDS = {
    "wire": ("/feeds/wire.xml", "application/rss+xml", "rss20"),
    "world": ("/feeds/world.atom", "application/atom+xml", "atom10"),
    "digest": ("/feeds/digest.rdf", "application/rdf+xml", "rss10"),
}
DEAD_LINK = "/news/2024/05/rafah-crossing-dispute.html"
PDF_LINK = "/docs/2024/05/mediators-framework.pdf"

# Per publisher: where the article body is, and the page furniture that must stay out of the
# extracted text (fixed phrases plus the texts found by the xpaths).
PUBLISHERS = {
    "Meridian Wire": {
        "body": "//div[@class='article-body']/p",
        "furniture": "//aside[@class='related-stories']//a | //p[@class='comment-text']",
        "phrases": (
            "uses cookies to count readers",  # cookie banner
            "Storm warnings issued",  # breaking-news ticker
            "More on this story",  # related links
            "Reader comments",  # comments section
            "reviewed by Meridian moderators",
            "Every story on this offline demo site",  # footer
            "Terms of use",
        ),
    },
    "The World Ledger": {
        "body": "//div[@class='story-body']/p",
        "furniture": "//div[@class='related']//a | //div[@class='comment-body']",
        "phrases": (
            "store and read small files on your device",
            "Manage partners",
            "parliament votes on the budget amendment",
            "Read next",
            "responses to this story",
            "Responses are the opinion of Ledger readers",
            "imaginary newspaper",
            "quiet revival of the allotment",
        ),
    },
    "Harbour Digest": {
        "body": "//div[@class='entry-content']/p",
        "furniture": "//div[@id='jp-relatedposts']//a | //div[@class='comment-content']/p",
        "phrases": (
            "keeps a few crumbs of data in your browser",
            "night shipping hours",
            "You might also like",
            "thoughts on",
            "Leave a Reply",
            "Harbour Digest is make-believe",
            "inbox at six every morning",
        ),
    },
}


def _rendered(path: str) -> str:
    """The page at `path` as the renderer makes it, {{BASE}} still in place."""
    slug = page_slug(path)
    assert slug is not None, path
    html = render_article(SITE, slug)
    assert html is not None, path
    return html


def _words(text: str) -> int:
    return len(text.split())


def _normal(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def site() -> Iterator[DemoSite]:
    with serve_demo_site() as running:
        yield running


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10) as c:
        yield c


@pytest.fixture(scope="module")
def parsed_feeds(site: DemoSite, client: httpx.Client) -> dict[str, feedparser.FeedParserDict]:
    out = {}
    for feed_id, (path, _, _) in FEEDS.items():
        response = client.get(site.url(path))
        assert response.status_code == 200
        out[feed_id] = feedparser.parse(response.content)
    return out


def _raw_get(site: DemoSite, target: str) -> tuple[int, bytes]:
    """GET a request target exactly as written (httpx would normalise dot segments away)."""
    parts = urlsplit(site.base_url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    try:
        conn.request("GET", target)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


# --- the server ----------------------------------------------------------------------------


@pytest.mark.parametrize("feed_id", sorted(FEEDS))
def test_feed_is_served_with_base_replaced(
    site: DemoSite, client: httpx.Client, feed_id: str
) -> None:
    path, content_type, _ = FEEDS[feed_id]
    response = client.get(site.url(path))
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == content_type
    assert b"{{BASE}}" not in response.content
    assert b"{{BASE}}" in (SITE / path.lstrip("/")).read_bytes()
    assert response.content.count(site.base_url.encode()) >= 8
    assert int(response.headers["content-length"]) == len(response.content)


def test_pages_are_served_as_html_with_base_replaced(site: DemoSite, client: httpx.Client) -> None:
    for path in PAGES:
        response = client.get(site.url(path))
        assert response.status_code == 200, path
        assert response.headers["content-type"] == "text/html; charset=utf-8"
        assert "{{BASE}}" not in response.text
        assert f'href="{site.url(path)}"' in response.text  # the canonical link


def test_tracking_parameters_do_not_change_the_page(site: DemoSite, client: httpx.Client) -> None:
    path = "/news/2024/07/hamas-drops-demand.html"
    plain = client.get(site.url(path))
    tracked = client.get(site.url(path) + "?utm_source=rss&utm_medium=feed")
    assert tracked.status_code == 200
    assert tracked.content == plain.content
    assert tracked.headers["etag"] == plain.headers["etag"]


def test_pdf_is_served_as_is(site: DemoSite, client: httpx.Client) -> None:
    response = client.get(site.url(PDF_LINK))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-1.")
    assert response.content.rstrip().endswith(b"%%EOF")
    assert response.content == (SITE / PDF_LINK.lstrip("/")).read_bytes()


def test_etag_is_a_hash_of_the_served_bytes_and_last_modified_is_fixed() -> None:
    def validators(path: str) -> tuple[str, str]:
        with serve_demo_site() as running, httpx.Client() as c:
            response = c.get(running.url(path))
            return response.headers["etag"], response.headers["last-modified"]

    pdf_1, pdf_2 = validators(PDF_LINK), validators(PDF_LINK)
    assert pdf_1 == pdf_2  # same bytes on another port: same validators
    assert re.fullmatch(r'"[0-9a-f]{32}"', pdf_1[0])
    assert parsedate_to_datetime(pdf_1[1]) == SITE_LAST_MODIFIED
    feed_1, feed_2 = validators("/feeds/wire.xml"), validators("/feeds/wire.xml")
    assert feed_1[0] != feed_2[0]  # the base URL (its port) is part of the served bytes
    assert feed_1[1] == feed_2[1]


def test_conditional_get(site: DemoSite, client: httpx.Client) -> None:
    url = site.url("/feeds/world.atom")
    first = client.get(url)
    etag, last_modified = first.headers["etag"], first.headers["last-modified"]

    by_etag = client.get(url, headers={"If-None-Match": etag})
    assert by_etag.status_code == 304
    assert by_etag.content == b""
    assert by_etag.headers["etag"] == etag

    listed = client.get(url, headers={"If-None-Match": f'"other", W/{etag}'})
    assert listed.status_code == 304

    by_date = client.get(url, headers={"If-Modified-Since": last_modified})
    assert by_date.status_code == 304

    earlier = format_datetime(datetime(2024, 1, 1, tzinfo=SITE_LAST_MODIFIED.tzinfo), usegmt=True)
    assert client.get(url, headers={"If-Modified-Since": earlier}).status_code == 200
    assert client.get(url, headers={"If-Modified-Since": "yesterday"}).status_code == 200

    # If-None-Match wins over If-Modified-Since: a stale tag gets the full body.
    both = {"If-None-Match": '"stale"', "If-Modified-Since": last_modified}
    stale = client.get(url, headers=both)
    assert stale.status_code == 200
    assert stale.content == first.content


def test_head_sends_headers_only(site: DemoSite, client: httpx.Client) -> None:
    get = client.get(site.url("/feeds/digest.rdf"))
    head = client.head(site.url("/feeds/digest.rdf"))
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["content-length"] == str(len(get.content))
    assert head.headers["etag"] == get.headers["etag"]


@pytest.mark.parametrize(
    "path", [DEAD_LINK, "/nothing-here", "/feeds/", "/feeds", "/news/2024", "/feeds/wire.xml.bak"]
)
def test_unknown_paths_are_404(site: DemoSite, client: httpx.Client, path: str) -> None:
    response = client.get(site.url(path))
    assert response.status_code == 404
    assert response.headers["content-type"] == "text/html; charset=utf-8"


def test_index_page_lists_the_feeds(site: DemoSite, client: httpx.Client) -> None:
    response = client.get(site.base_url + "/")
    assert response.status_code == 200
    for path, _, _ in FEEDS.values():
        assert site.url(path) in response.text


@pytest.mark.parametrize(
    "target",
    [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/news/../../secret.txt",
        "/news/..%2f..%2fsecret.txt",
        "/..%5csecret.txt",
        "/linked/secret.txt",
        "/escape.txt",
        "/.hidden.txt",
        "//secret.txt",
        "/secret.txt%00.html",
    ],
)
def test_path_traversal_is_refused(tmp_path: Path, target: str) -> None:
    root = tmp_path / "site"
    (root / "news").mkdir(parents=True)
    (root / "page.txt").write_text("inside the site")
    (root / ".hidden.txt").write_text("top secret: dotfile")
    (tmp_path / "secret.txt").write_text("top secret: outside")
    (root / "linked").symlink_to(tmp_path, target_is_directory=True)
    (root / "escape.txt").symlink_to(tmp_path / "secret.txt")
    with serve_demo_site(root) as running:
        assert _raw_get(running, "/page.txt") == (200, b"inside the site")
        status, body = _raw_get(running, target)
    assert status == 404
    assert b"top secret" not in body


def test_request_log_records_method_path_headers_and_status(site: DemoSite) -> None:
    with httpx.Client(headers={"User-Agent": "demo-test/1"}) as c:
        first = c.get(site.url("/feeds/wire.xml?probe=1"))
        c.get(site.url("/feeds/wire.xml?probe=1"), headers={"If-None-Match": first.headers["etag"]})
        c.head(site.url("/no/such/page.html"))
    logged = [r for r in site.requests if r.path.endswith("probe=1") or r.path.startswith("/no/")]
    assert [(r.method, r.path, r.status) for r in logged] == [
        ("GET", "/feeds/wire.xml?probe=1", 200),
        ("GET", "/feeds/wire.xml?probe=1", 304),
        ("HEAD", "/no/such/page.html", 404),
    ]
    assert logged[0].headers["user-agent"] == "demo-test/1"
    assert "if-none-match" not in logged[0].headers
    assert logged[1].headers["if-none-match"] == first.headers["etag"]
    assert logged[0].bare_path == "/feeds/wire.xml"
    assert len(site.requests_for("/feeds/wire.xml")) >= 2


def test_server_is_silent_and_stops_on_exit(capfd: pytest.CaptureFixture[str]) -> None:
    with serve_demo_site() as running:
        base_url = running.base_url
        assert str(running) == base_url
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", base_url)
        with httpx.Client() as c:
            assert c.get(base_url + "/feeds/wire.xml").status_code == 200
            assert c.get(base_url + "/missing").status_code == 404
    captured = capfd.readouterr()
    assert captured.err == ""
    assert captured.out == ""
    with pytest.raises(httpx.ConnectError), httpx.Client() as c:
        c.get(base_url + "/feeds/wire.xml")


def test_missing_site_dir_is_a_config_error(tmp_path: Path) -> None:
    with (
        pytest.raises(ConfigError, match="site directory not found"),
        serve_demo_site(tmp_path / "x"),
    ):
        pass


def test_port_in_use_is_a_config_error(site: DemoSite) -> None:
    port = urlsplit(site.base_url).port or 0
    with pytest.raises(ConfigError, match="cannot serve"), serve_demo_site(port=port):
        pass


# --- the feed list -------------------------------------------------------------------------


def test_demo_feeds_file(tmp_path: Path, site: DemoSite, client: httpx.Client) -> None:
    path = demo_feeds_file(site.base_url + "/", tmp_path / "conf" / "feeds.toml")
    assert demo_feeds_file(site, tmp_path / "same.toml").read_text() == path.read_text()
    assert path == tmp_path / "conf" / "feeds.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    configs = [FeedConfig(**{**f, "tags": tuple(f["tags"])}) for f in data["feeds"]]
    assert [c.id for c in configs] == ["wire", "world", "digest"]
    assert all(c.enabled and c.tags == ("demo",) and c.title for c in configs)
    assert {c.id: c.url for c in configs} == demo_feed_urls(site.base_url)
    for config in configs:
        assert config.url == site.url(FEEDS[config.id][0])
        assert client.get(config.url).status_code == 200

    in_dir = demo_feeds_file(site.base_url, tmp_path)
    assert in_dir == tmp_path / "feeds.toml"


@pytest.mark.parametrize("bad", ["", "127.0.0.1:8000", "ftp://host", "http://", "http://h/?q=1"])
def test_demo_feeds_file_rejects_bad_base_url(tmp_path: Path, bad: str) -> None:
    with pytest.raises(ConfigError, match="base URL"):
        demo_feeds_file(bad, tmp_path / "feeds.toml")
    assert not (tmp_path / "feeds.toml").exists()


# --- the feeds -----------------------------------------------------------------------------


def test_every_feed_parses(parsed_feeds: dict[str, feedparser.FeedParserDict]) -> None:
    for feed_id, parsed in parsed_feeds.items():
        assert not parsed.bozo, (feed_id, parsed.get("bozo_exception"))
        assert parsed.version == FEEDS[feed_id][2]
        assert parsed.feed.get("title")
        assert len(parsed.entries) >= 7
        for entry in parsed.entries:
            assert entry.get("title") and entry.get("id"), entry
            assert len(entry.get("summary", "")) >= 100, entry.get("title")
            assert entry.get("published_parsed") or entry.get("updated_parsed"), entry.title
    assert sum(len(p.entries) for p in parsed_feeds.values()) >= 22


def test_feed_items_cover_the_special_cases(
    site: DemoSite, client: httpx.Client, parsed_feeds: dict[str, feedparser.FeedParserDict]
) -> None:
    entries = [e for p in parsed_feeds.values() for e in p.entries]
    links = [e.get("link", "") for e in entries]
    web = [link for link in links if link.startswith(site.base_url + "/")]
    malformed = [link for link in links if not link.startswith(("http://", "https://"))]
    assert len(malformed) == 1  # the one entry without a usable link

    bare = Counter(link.split("?", 1)[0] for link in web)
    assert sum(1 for n in bare.values() if n > 1) >= 3  # items in two feeds
    assert any("utm_source=rss" in link for link in web)
    assert len(bare) >= 23  # distinct items with a web link

    statuses = {link: client.get(link).status_code for link in bare}
    assert [link for link, status in statuses.items() if status != 200] == [site.url(DEAD_LINK)]
    dead = next(e for e in entries if e.get("link") == site.url(DEAD_LINK))
    assert _words(dead.summary) >= 40  # the feed fallback has text to work with

    pdf = next(e for e in entries if e.get("link") == site.url(PDF_LINK))
    assert client.get(pdf.link).headers["content-type"] == "application/pdf"
    assert len(pdf.summary) >= 200

    pages = {site.url(path) for path in PAGES}
    assert pages <= set(bare)  # every article page is announced by some feed


# --- the article pages ---------------------------------------------------------------------


def test_there_are_enough_pages_from_three_publishers() -> None:
    assert len(PAGES) >= 20
    publishers = Counter(_publisher(lxml.html.fromstring(_rendered(path))) for path in PAGES)
    assert set(publishers) == set(PUBLISHERS)
    assert min(publishers.values()) >= 6


def _publisher(tree: lxml.html.HtmlElement) -> str:
    names = tree.xpath("//meta[@property='og:site_name']/@content")
    assert len(names) == 1
    return str(names[0])


def test_every_page_has_news_metadata() -> None:
    for page in PAGES:
        raw = _rendered(page)
        tree = lxml.html.fromstring(raw)
        assert re.search(r"<meta charset=\"utf-8\"", raw, re.IGNORECASE), page
        assert tree.xpath("//meta[@property='og:title']/@content"), page
        published = tree.xpath("//meta[@property='article:published_time']/@content")
        assert datetime.fromisoformat(published[0]).year in (2024, 2025), page
        author = tree.xpath("//meta[@name='author' or @property='article:author']/@content")
        assert author and str(author[0]) in tree.text_content(), page  # and a visible byline
        assert tree.xpath("//link[@rel='canonical']/@href") == ["{{BASE}}" + page]


def _first_page_of_each_publisher() -> list[str]:
    firsts: dict[str, str] = {}
    for path in PAGES:
        firsts.setdefault(_publisher(lxml.html.fromstring(_rendered(path))), path)
    return [firsts[name] for name in sorted(firsts)]


# One page per publisher template: that stancewatch's extractor keeps the body and drops the
# furniture of each layout. The whole site going through the pipeline is the end-to-end demo
# test (tests/pipeline/test_promises.py).
@pytest.mark.parametrize("page", _first_page_of_each_publisher())
def test_stancewatch_extracts_each_publishers_body_without_furniture(page: str) -> None:
    html = _rendered(page)
    tree = lxml.html.fromstring(html)
    publisher = PUBLISHERS[_publisher(tree)]
    paragraphs = [_normal(p.text_content()) for p in tree.xpath(publisher["body"])]
    assert 250 <= _words(" ".join(paragraphs)) <= 700

    extracted = extract_page(html)
    assert extracted is not None
    text = _normal(extracted.text)
    for paragraph in paragraphs:  # the whole body, nothing cut
        assert paragraph in text, paragraph[:60]
    furniture = [_normal(n.text_content()) for n in tree.xpath(publisher["furniture"])]
    assert len(furniture) >= 3
    for phrase in [*publisher["phrases"], *furniture]:
        assert phrase in _normal(tree.text_content()), phrase  # the check can fail
        assert phrase not in text, phrase
    assert extracted.author and extracted.author in tree.text_content()
    assert extracted.published is not None and extracted.published.year in (2024, 2025)


def test_readme_describes_every_item() -> None:
    readme = (SITE.parent / "README.md").read_text(encoding="utf-8")
    for page in PAGES:
        assert page.lstrip("/") in readme, page
    assert DEAD_LINK.lstrip("/") in readme
    assert PDF_LINK.lstrip("/") in readme


# --- rendering the article pages -----------------------------------------------------------


def test_article_pages_are_rendered_not_static() -> None:
    assert not list(SITE.glob("news/**/*.html"))  # every page comes from a content file
    templates = {p.stem for p in (SITE / TEMPLATES_DIR).glob("*.html")}
    used = Counter(article.publisher for s in SLUGS if (article := load_article(SITE, s)))
    assert set(used) == templates == {"meridian-wire", "world-ledger", "harbour-digest"}
    assert sum(used.values()) == len(SLUGS) == 21


def test_every_article_renders_with_every_slot_filled(site: DemoSite, client: httpx.Client) -> None:
    for path in PAGES:
        rendered = _rendered(path)
        assert not re.search(r"\{\{(?!BASE\}\})", rendered), path
        response = client.get(site.url(path))
        assert response.status_code == 200, path
        assert b"{{" not in response.content, path
        assert b"}}" not in response.content, path
        assert response.content == rendered.replace("{{BASE}}", site.base_url).encode()
    for template in (SITE / TEMPLATES_DIR).glob("*.html"):  # every block is a list item's markup
        blocks = load_template(SITE, template.stem).blocks
        assert {"lead", "paragraph", "related", "comments"} <= set(blocks), template.name


def test_page_sources_are_not_served(site: DemoSite, client: httpx.Client) -> None:
    for path in (
        f"/{TEMPLATES_DIR}/meridian-wire.html",
        f"/{TEMPLATES_DIR}/",
        f"/{ARTICLES_DIR}/{SLUGS[0]}.toml",
        "/news/2024/02/no-such-story.html",
        "/news/2024/02/Netanyahu-Vows-To-Press-On.html",
        "/news/2024/2/netanyahu-vows-to-press-on.html",
    ):
        assert client.get(site.url(path)).status_code == 404, path
    assert _raw_get(site, "/news/2024/02/../02/netanyahu-vows-to-press-on.html")[0] == 404


_TEMPLATE = """<title>{{headline}}</title> <link href="{{url}}"> <b>{{post_id}}</b>
<script>{"h": {{headline:json}}, "t": {{published:json}}}</script>
<p>{{published:%d %B %Y}} / {{slug}} / {{comment_count}}</p>
{{body}}
<ul>
{{related}}
</ul>
{{comments}}
{{#lead}}
<p>{{dateline}}: {{text}}</p>
{{#paragraph}}
<p>{{text}}</p>
{{#heading}}
<h2>{{text}}</h2>
{{#related}}
<li>{{headline}} ({{published:%b %Y}}) {{url}}</li>
{{#comments}}
<q>{{author}} {{text}}</q>
"""

_CONTENT = """publisher = "test-pub"
published = 2024-03-01T08:05:00+00:00
headline = "Q&A: <why> \\"now\\" isn't late"
dateline = "CAIRO"
post_id = 7
related = ["2024/01/other"]
body = ["First & lead.", "## Aside", "Last </script>."]

[[comments]]
author = "Ann"
text = "Yes <b>"
"""


def _tmp_site(tmp_path: Path, content: str = _CONTENT, template: str = _TEMPLATE) -> Path:
    root = tmp_path / "site"
    (root / TEMPLATES_DIR).mkdir(parents=True)
    (root / ARTICLES_DIR / "2024" / "03").mkdir(parents=True)
    (root / ARTICLES_DIR / "2024" / "01").mkdir(parents=True)
    (root / TEMPLATES_DIR / "test-pub.html").write_text(template, encoding="utf-8")
    (root / ARTICLES_DIR / "2024" / "03" / "story.toml").write_text(content, encoding="utf-8")
    other = 'publisher = "test-pub"\npublished = 2024-01-02T00:00:00Z\nheadline = "Other"\n'
    (root / ARTICLES_DIR / "2024" / "01" / "other.toml").write_text(other + 'body = ["x"]\n')
    return root


def test_renderer_fills_escapes_and_formats(tmp_path: Path) -> None:
    root = _tmp_site(tmp_path)
    assert article_slugs(root) == ["2024/01/other", "2024/03/story"]
    page = render_article(root, "2024/03/story")
    assert page == (
        "<title>Q&amp;A: &lt;why&gt; &quot;now&quot; isn&#x27;t late</title> "
        '<link href="{{BASE}}/news/2024/03/story.html"> <b>7</b>\n'
        '<script>{"h": "Q&A: \\u003cwhy> \\"now\\" isn\'t late", '
        '"t": "2024-03-01T08:05:00+00:00"}</script>\n'
        "<p>01 March 2024 / story / 1</p>\n"
        "<p>CAIRO: First &amp; lead.</p>\n<h2>Aside</h2>\n<p>Last &lt;/script&gt;.</p>\n"
        "<ul>\n<li>Other (Jan 2024) {{BASE}}/news/2024/01/other.html</li>\n</ul>\n"
        "<q>Ann Yes &lt;b&gt;</q>\n"
    )
    assert render_article(root, "2024/03/missing") is None
    with serve_demo_site(root) as running:
        status, body = _raw_get(running, "/news/2024/03/story.html")
        assert status == 200
        assert body == page.replace("{{BASE}}", running.base_url).encode()


def test_article_content_outside_the_site_is_not_rendered(tmp_path: Path) -> None:
    root = _tmp_site(tmp_path)
    (tmp_path / "outside.toml").write_text(_CONTENT, encoding="utf-8")
    (root / ARTICLES_DIR / "2024" / "03" / "escape.toml").symlink_to(tmp_path / "outside.toml")
    assert render_article(root, "2024/03/escape") is None
    assert render_article(root, "../2024/03/story") is None
    with serve_demo_site(root) as running:
        assert _raw_get(running, "/news/2024/03/escape.html")[0] == 404


@pytest.mark.parametrize(
    ("content", "template", "message"),
    [
        (_CONTENT.replace("post_id = 7", ""), _TEMPLATE, "no value for the template slot"),
        (_CONTENT.replace("2024/01/other", "2024/01/gone"), _TEMPLATE, "related article not"),
        (_CONTENT.replace('"test-pub"', '"nobody"'), _TEMPLATE, "no template for publisher"),
        (_CONTENT.replace("published = 2024", "published = '2024"), _TEMPLATE, "not valid TOML"),
        (_CONTENT.replace("post_id = 7", "url = 'x'"), _TEMPLATE, "filled in by the renderer"),
        (_CONTENT, _TEMPLATE.replace("{{#heading}}\n<h2>{{text}}</h2>\n", ""), "no {{#heading}}"),
        (_CONTENT, _TEMPLATE.replace("{{slug}}", "{{ slug }}"), "malformed slot on line 3"),
    ],
)
def test_broken_page_sources_are_a_500(
    tmp_path: Path, content: str, template: str, message: str
) -> None:
    root = _tmp_site(tmp_path, content, template)
    with pytest.raises(ConfigError, match=re.escape(message)):
        render_article(root, "2024/03/story")
    with serve_demo_site(root) as running:
        status, body = _raw_get(running, "/news/2024/03/story.html")
    assert status == 500
    assert message.encode() in body
