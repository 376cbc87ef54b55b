"""Tests for ingest: feed list validation, feed parsing, canonical URLs and dedup."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from stancewatch.errors import ConfigError, FeedParseError
from stancewatch.ingest.feed_list import load_feed_list
from stancewatch.ingest.feeds import content_hash, dedup_keys, parse_feed, unique_entries
from stancewatch.ingest.urls import canonicalize_url
from stancewatch.models import FeedEntry
from tests.conftest import rss_feed

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpora" / "feedparser-tests"

RSS20 = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
  <title>Wire Service</title>
  <link>https://news.example.com/</link>
  <item>
    <title>Talks resume in Cairo</title>
    <link>https://news.example.com/world/talks-resume?utm_source=rss&amp;id=7</link>
    <guid isPermaLink="false">wire-7</guid>
    <pubDate>Wed, 07 Feb 2024 14:30:00 +0200</pubDate>
    <description>Mediators &lt;b&gt;met&lt;/b&gt; again.</description>
    <content:encoded><![CDATA[<p>Mediators met again on Wednesday.</p>]]></content:encoded>
  </item>
  <item>
    <title>Relative link item</title>
    <link>/world/relative-item</link>
    <description>Resolved against the feed's address.</description>
  </item>
  <item>
    <title>No link at all</title>
    <description>Nothing to fetch here.</description>
  </item>
  <item>
    <title>Mail link</title>
    <link>mailto:desk@example.com</link>
  </item>
</channel>
</rss>
"""

ATOM10 = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Atom Desk</title>
  <id>urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6</id>
  <updated>2024-02-08T09:00:00Z</updated>
  <link href="https://atom.example.org/"/>
  <entry>
    <title>Négociations au Qatar</title>
    <id>tag:atom.example.org,2024:entry-1</id>
    <link rel="alternate" href="https://atom.example.org/2024/02/qatar"/>
    <updated>2024-02-08T08:15:00Z</updated>
    <summary>Short summary.</summary>
    <content type="html">&lt;p&gt;Full text.&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Only updated date, related link first</title>
    <id>tag:atom.example.org,2024:entry-2</id>
    <link rel="related" href="https://elsewhere.example.net/x"/>
    <link rel="alternate" href="https://atom.example.org/2024/02/second"/>
    <updated>2024-02-08T07:00:00-05:00</updated>
  </entry>
</feed>
""".encode()

RDF = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="http://rdf.example.com/">
    <title>RDF Channel</title>
    <link>http://rdf.example.com/</link>
    <items><rdf:Seq><rdf:li rdf:resource="http://rdf.example.com/a"/></rdf:Seq></items>
  </channel>
  <item rdf:about="http://rdf.example.com/a">
    <title>RDF item</title>
    <link>http://rdf.example.com/a</link>
    <description>An RSS 1.0 entry.</description>
    <dc:date>2024-02-07T10:00:00Z</dc:date>
  </item>
</rdf:RDF>
"""

RSS091 = b"""<rss version="0.91"><channel><title>Old</title>
<item><title>Old style</title><link>http://old.example.com/1</link></item>
</channel></rss>"""


# --- parsing ---------------------------------------------------------------------------------


def test_rss20_entries_fields_and_skips() -> None:
    parsed = parse_feed("wire", RSS20, base_url="https://news.example.com/feeds/rss.xml")
    assert parsed.feed_id == "wire"
    assert parsed.title == "Wire Service"
    assert parsed.version == "rss20"
    assert parsed.bozo_reason is None
    assert [entry.title for entry in parsed.entries] == [
        "Talks resume in Cairo",
        "Relative link item",
    ]
    first, relative = parsed.entries
    assert first.guid == "wire-7"
    assert first.url == "https://news.example.com/world/talks-resume?utm_source=rss&id=7"
    assert first.canonical_url == "https://news.example.com/world/talks-resume?id=7"
    assert first.published == datetime(2024, 2, 7, 12, 30, tzinfo=UTC)
    assert first.summary == "Mediators <b>met</b> again."
    assert first.content == "<p>Mediators met again on Wednesday.</p>"
    assert re.fullmatch(r"[0-9a-f]{64}", first.content_hash)
    assert relative.url == "https://news.example.com/world/relative-item"
    assert relative.guid == relative.url  # no guid in the feed: the link stands in
    assert relative.published is None
    assert len(parsed.skipped_entries) == 2
    assert "No link at all" in parsed.skipped_entries[0]
    assert "mailto:" in parsed.skipped_entries[1]


def test_relative_links_fall_back_to_the_feed_link_without_base_url() -> None:
    parsed = parse_feed("wire", RSS20)
    assert parsed.entries[1].url == "https://news.example.com/world/relative-item"


def test_atom10_entries() -> None:
    parsed = parse_feed("atom", ATOM10)
    assert parsed.version == "atom10"
    assert parsed.title == "Atom Desk"
    first, second = parsed.entries
    assert first.title == "Négociations au Qatar"
    assert first.guid == "tag:atom.example.org,2024:entry-1"
    assert first.url == "https://atom.example.org/2024/02/qatar"
    assert first.summary == "Short summary."
    assert first.content == "<p>Full text.</p>"
    assert first.published == datetime(2024, 2, 8, 8, 15, tzinfo=UTC)
    assert second.url == "https://atom.example.org/2024/02/second"
    assert second.published == datetime(2024, 2, 8, 12, 0, tzinfo=UTC)
    assert second.content is None and second.summary is None


def test_rdf_and_rss091_entries() -> None:
    rdf = parse_feed("rdf", RDF)
    assert rdf.version == "rss10"
    (entry,) = rdf.entries
    assert (entry.title, entry.url) == ("RDF item", "http://rdf.example.com/a")
    assert entry.published == datetime(2024, 2, 7, 10, 0, tzinfo=UTC)
    old = parse_feed("old", RSS091)
    assert old.version.startswith("rss09") if old.version else False
    assert [e.url for e in old.entries] == ["http://old.example.com/1"]


def test_charset_from_response_headers_is_used() -> None:
    body = (
        '<rss version="2.0"><channel><title>Caf\u00e9</title><item><title>\u00e9t\u00e9</title>'
        "<link>http://e.example/1</link></item></channel></rss>"
    ).encode("iso-8859-1")
    parsed = parse_feed("latin", body, headers={"Content-Type": "text/xml; charset=iso-8859-1"})
    assert parsed.title == "Café"
    assert parsed.entries[0].title == "été"


def test_bozo_feed_with_entries_is_used_and_the_reason_kept() -> None:
    broken = (
        b'<rss version="2.0"><channel><title>Sloppy & Co</title>'
        b"<item><title>Still readable</title><link>http://bozo.example/1</link></item>"
        b"<item><title>Second</title><link>http://bozo.example/2</link>"
        b"</channel></rss>"
    )
    parsed = parse_feed("sloppy", broken)
    assert parsed.bozo_reason
    assert [entry.url for entry in parsed.entries] == [
        "http://bozo.example/1",
        "http://bozo.example/2",
    ]


@pytest.mark.parametrize(
    "body",
    [b"", b"<html><body><p>Not a feed</p></body></html>", b"\x00\xff garbage <<<", b"<rss"],
)
def test_unusable_bodies_raise_feed_parse_error(body: bytes) -> None:
    with pytest.raises(FeedParseError) as caught:
        parse_feed("junk", body)
    assert caught.value.feed == "junk"


def test_valid_feed_without_items_is_empty_not_an_error() -> None:
    parsed = parse_feed("quiet", b'<rss version="2.0"><channel><title>Q</title></channel></rss>')
    assert parsed.entries == ()
    assert parsed.title == "Q"


def test_entity_bomb_is_not_expanded() -> None:
    laughs = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)
    ]
    wide = '<!ENTITY wide "' + "W" * 20_000 + '">'
    feed = (
        '<?xml version="1.0"?>\n<!DOCTYPE rss [\n'
        + "\n".join([*laughs, wide])
        + '\n]>\n<rss version="2.0"><channel><title>Bomb</title>'
        + "<item><title>Boom &lol9;</title><link>http://bomb.example/1</link>"
        + "<description>"
        + "&wide;" * 5_000
        + "</description></item></channel></rss>"
    ).encode()
    parsed = parse_feed("bomb", feed)
    (entry,) = parsed.entries
    assert entry.url == "http://bomb.example/1"
    assert "lollol" not in (entry.title or "")
    # Expanded, the description would be 100 MB; unexpanded it is the references themselves.
    assert len(entry.summary or "") <= len(feed)
    assert "W" * 100 not in (entry.summary or "")


# --- corpus sweep ------------------------------------------------------------------------------


def _corpus_files(*folders: str) -> list[Path]:
    assert CORPUS.is_dir(), f"feedparser test corpus missing at {CORPUS} (../shared/corpora)"
    files = sorted(path for folder in folders for path in (CORPUS / folder).rglob("*.xml"))
    assert files, f"no .xml files under {CORPUS} in {folders}"
    return files


def test_corpus_never_raises_anything_but_feed_parse_error() -> None:
    files = _corpus_files("wellformed/rss", "wellformed/atom10", "wellformed/rdf", "illformed")
    parsed_ok = 0
    for path in files:
        try:
            parse_feed(path.stem, path.read_bytes(), base_url=f"http://127.0.0.1:8097/{path.name}")
        except FeedParseError:
            continue
        parsed_ok += 1
    assert parsed_ok > len(files) // 4


_ITEM_BLOCK = re.compile(rb"<(item|entry)[\s>].*?</\1>", re.DOTALL)
_LINK_TAG = re.compile(rb"<link\b[^>]*>")
_PLAIN_LINK = re.compile(rb"<link>\s*https?://[^<\s]+\s*</link>")
_ALTERNATE_HREF = re.compile(rb"""href=["']https?://""")
_REL = re.compile(rb"""rel=["']([^"']*)["']""")
_SOURCE_BLOCK = re.compile(rb"<source[\s>].*?</source>", re.DOTALL)  # links of another feed


def _has_article_link(item: bytes) -> bool:
    item = _SOURCE_BLOCK.sub(b"", item)
    if _PLAIN_LINK.search(item):
        return True
    for tag in _LINK_TAG.findall(item):
        rel = _REL.search(tag)
        if _ALTERNATE_HREF.search(tag) and (rel is None or rel.group(1) == b"alternate"):
            return True
    return False


def test_corpus_wellformed_items_with_links_become_entries() -> None:
    checked = 0
    for path in _corpus_files("wellformed/rss", "wellformed/atom10", "wellformed/rdf"):
        data = path.read_bytes()
        items = [match.group() for match in _ITEM_BLOCK.finditer(data)]
        if not items or not all(_has_article_link(item) for item in items):
            continue
        parsed = parse_feed(path.stem, data)
        where = path.relative_to(CORPUS)
        assert len(parsed.entries) == len(items), f"{where}: {parsed.skipped_entries}"
        assert all(e.url.startswith(("http://", "https://")) for e in parsed.entries)
        checked += 1
    assert checked >= 20


# --- feed list ---------------------------------------------------------------------------------


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "feeds.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_load_feed_list_reads_all_fields_and_defaults(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
[[feeds]]
id = "wire"
url = "https://wire.example.com/rss"
title = "Wire"
tags = ["world", "wire"]

[[feeds]]
id = "paused.feed-2"
url = "http://paused.example.com/atom"
enabled = false
""",
    )
    wire, paused = load_feed_list(path)
    assert (wire.id, wire.url, wire.title, wire.tags, wire.enabled) == (
        "wire",
        "https://wire.example.com/rss",
        "Wire",
        ("world", "wire"),
        True,
    )
    assert (paused.id, paused.title, paused.tags, paused.enabled) == (
        "paused.feed-2",
        None,
        (),
        False,
    )


def test_base_url_resolves_relative_feed_urls(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'base_url = "http://127.0.0.1:8765/demo/"\n'
        '[[feeds]]\nid = "a"\nurl = "feeds/a.xml"\n'
        '[[feeds]]\nid = "b"\nurl = "/root.xml"\n'
        '[[feeds]]\nid = "c"\nurl = "https://absolute.example/c.xml"\n',
    )
    assert [feed.url for feed in load_feed_list(path)] == [
        "http://127.0.0.1:8765/demo/feeds/a.xml",
        "http://127.0.0.1:8765/root.xml",
        "https://absolute.example/c.xml",
    ]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('[[feeds]]\nid = "a"\nurl = @\n', "invalid TOML.*line 3"),
        ('[[feeds]]\nurl = "http://x.example/"', r"feed #1: missing 'id'"),
        ('[[feeds]]\nid = "a"', r"feed #1 \('a'\): missing 'url'"),
        (
            '[[feeds]]\nid = "a"\nurl = "http://x.example/1"\n'
            '[[feeds]]\nid = "a"\nurl = "http://x.example/2"',
            r"feed #2 \('a'\): duplicate id, first used by feed #1",
        ),
        ('[[feeds]]\nid = "f"\nurl = "file:///etc/passwd"', r"'f'.*http\(s\) URL"),
        ('[[feeds]]\nid = "r"\nurl = "/relative.xml"', "relative URLs need a top-level base_url"),
        ('[[feeds]]\nid = 3\nurl = "http://x.example/"', r"'id' must be a string"),
        ('[[feeds]]\nid = "has space"\nurl = "http://x.example/"', r"'id' must be"),
        ('[[feeds]]\nid = "t"\nurl = "http://x.example/"\ntags = "world"', "'tags' must be"),
        ('[[feeds]]\nid = "t"\nurl = "http://x.example/"\ntags = [1]', "'tags' must be"),
        ('[[feeds]]\nid = "e"\nurl = "http://x.example/"\nenabled = "no"', "'enabled' must"),
        ('[[feeds]]\nid = "t"\nurl = "http://x.example/"\ntitle = 5', "'title' must be"),
        ('[[feeds]]\nid = "k"\nurl = "http://x.example/"\nenable = false', "unknown key.*enable"),
        ('[[feeds]]\nid = "u"\nurl = 7', "'url' must be a non-empty string"),
        ('base_url = "ftp://x.example/"\n[[feeds]]\nid = "a"\nurl = "a"', "base_url must be"),
        ('feeds = "none"', "array of tables"),
        ('title = "x"', "unknown top-level key"),
        ("# nothing here\n", r"no \[\[feeds\]\] tables"),
    ],
)
def test_feed_list_errors_name_the_file_and_problem(
    tmp_path: Path, text: str, problem: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_feed_list(path)
    message = str(caught.value)
    assert str(path) in message
    assert re.search(problem, message), message


def test_missing_and_non_utf8_feed_lists(tmp_path: Path) -> None:
    missing = tmp_path / "absent.toml"
    with pytest.raises(ConfigError, match="not found") as caught:
        load_feed_list(missing)
    assert str(missing) in str(caught.value)
    latin = tmp_path / "latin.toml"
    latin.write_bytes('[[feeds]]\nid = "caf\u00e9"\n'.encode("latin-1"))
    with pytest.raises(ConfigError, match="UTF-8"):
        load_feed_list(latin)


# --- canonical URLs and dedup -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("HTTPS://News.Example.COM/World/Story", "https://news.example.com/World/Story"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("https://example.com:8443/a", "https://example.com:8443/a"),
        ("https://example.com/a#comments", "https://example.com/a"),
        ("https://example.com/a/", "https://example.com/a"),
        ("https://example.com/", "https://example.com/"),
        ("https://example.com", "https://example.com/"),
        ("https://example.com/a?b=2&a=1", "https://example.com/a?a=1&b=2"),
        (
            "https://example.com/a?utm_source=x&UTM_Medium=y&id=5&fbclid=z&gclid=g&ref=home",
            "https://example.com/a?id=5",
        ),
        ("https://example.com/a?mc_cid=1&mc_eid=2&cmpid=3", "https://example.com/a"),
        ("https://example.com/a?q=&x=1", "https://example.com/a?q=&x=1"),
        ("https://example.com/a?tag=b&tag=a", "https://example.com/a?tag=b&tag=a"),
        ("http://[2001:DB8::1]:80/x", "http://[2001:db8::1]/x"),
    ],
)
def test_canonicalize_url(url: str, canonical: str) -> None:
    assert canonicalize_url(url) == canonical
    assert canonicalize_url(canonical) == canonical  # idempotent


def _entry(
    guid: str, url: str, title: str, body: str = "same body", feed_id: str = "f"
) -> FeedEntry:
    canonical = canonicalize_url(url)
    return FeedEntry(
        feed_id=feed_id,
        guid=guid,
        url=url,
        canonical_url=canonical,
        title=title,
        published=None,
        summary=body,
        content=None,
        content_hash=content_hash(title, body, fallback=canonical),
    )


def test_content_hash_ignores_markup_case_and_spacing() -> None:
    plain = content_hash("Talks Resume", "Mediators met again.", fallback="u")
    marked = content_hash(
        "  talks   resume ", "<p>Mediators&nbsp;met <b>again</b>.</p>", fallback="u"
    )
    assert plain == marked
    assert plain != content_hash("Talks resume", "Mediators met once.", fallback="u")
    assert content_hash(None, None, fallback="a") != content_hash(None, None, fallback="b")
    assert content_hash("Briefing", None, fallback="a") != content_hash(
        "Briefing", "", fallback="b"
    )
    assert content_hash("Ab", "c", fallback="u") != content_hash("A", "bc", fallback="u")


def test_dedup_keys_and_unique_entries() -> None:
    first = _entry("g1", "https://e.example/a?utm_source=x", "One")
    same_guid = _entry("g1", "https://e.example/other", "Other title")
    same_url = _entry("g2", "https://E.example/a#top", "Different")
    same_content = _entry("g3", "https://e.example/c", "one", body="SAME  body")
    fresh = _entry("g4", "https://e.example/d", "Four", body="new body")
    other_feed_same_guid = _entry("g1", "https://e.example/e", "Five", "x", feed_id="other")
    assert dedup_keys(first) == ("g1", "https://e.example/a", first.content_hash)
    result = unique_entries([first, same_guid, same_url, same_content, fresh, other_feed_same_guid])
    assert result == [first, fresh, other_feed_same_guid]
    assert unique_entries([]) == []
    assert unique_entries([fresh, replace(fresh)]) == [fresh]


# --- hostile feeds ------------------------------------------------------------------------------

_BIG_ENTITY = '<!ENTITY big "' + "lol " * 2500 + '">\n'
_BOMB_ITEM = (
    '<rss version="2.0"><channel><title>t</title><item><title>x</title>'
    "<link>http://example.com/a</link><description>" + "&big;" * 2000 + "</description>"
    "</item></channel></rss>"
)


@pytest.mark.parametrize(
    "prolog",
    [
        f"<!--\n<!DOCTYPE rss [\n{_BIG_ENTITY}]>\n-->\n",  # DOCTYPE inside a comment
        f"<:x/>\n<!DOCTYPE rss [\n{_BIG_ENTITY}]>\n",  # after an element feedparser skips
        f"<\u00e9/>\n<!DOCTYPE rss [\n{_BIG_ENTITY}]>\n",  # after a non-ASCII element name
    ],
    ids=["in-comment", "after-odd-element", "after-non-ascii-element"],
)
def test_entity_declarations_feedparser_would_read_are_never_expanded(prolog: str) -> None:
    # 20 KB of feed; feedparser alone expands it to a 20 MB summary.
    body = ('<?xml version="1.0"?>\n' + prolog + _BOMB_ITEM).encode("utf-8")
    parsed = parse_feed("f", body)
    (entry,) = parsed.entries
    assert entry.summary is not None and len(entry.summary) < 20_000
    assert "lol lol" not in entry.summary


def test_entity_declarations_hidden_by_the_charset_are_cut_too() -> None:
    # In UTF-7 "<!ENTITY" is not in the bytes; feedparser decodes first, then looks.
    text = '<?xml version="1.0"?>\n<!--\n<!DOCTYPE rss [\n' + _BIG_ENTITY + "]>\n-->\n" + _BOMB_ITEM
    body = text.encode("utf-7")
    parsed = parse_feed("f", body, headers={"Content-Type": "application/xml; charset=utf-7"})
    for entry in parsed.entries:
        assert entry.summary is None or len(entry.summary) < 20_000


def test_summaries_and_contents_are_capped() -> None:
    body = rss_feed(
        [{"title": "Long", "link": "http://example.com/a", "guid": "1", "description": "w " * 5000}]
    ).encode()
    (entry,) = parse_feed("f", body, max_text_chars=1000).entries
    assert entry.summary is not None and len(entry.summary) == 1000


def test_a_wrong_legacy_charset_is_overruled_by_valid_utf8_and_noted() -> None:
    body = rss_feed(
        [{"title": "Caf\u00e9 talks", "link": "http://example.com/a", "guid": "1"}]
    ).encode("utf-8")
    declared = {"Content-Type": "application/rss+xml; charset=iso-8859-1"}
    parsed = parse_feed("f", body, headers=declared)
    assert parsed.entries[0].title == "Caf\u00e9 talks"
    assert parsed.bozo_reason is not None and "valid UTF-8" in parsed.bozo_reason


def test_credentials_in_entry_links_are_dropped() -> None:
    body = rss_feed(
        [{"title": "A", "link": "http://user:secret@example.com/a", "guid": "1"}]
    ).encode()
    (entry,) = parse_feed("f", body).entries
    assert "secret" not in entry.url and "secret" not in entry.canonical_url
