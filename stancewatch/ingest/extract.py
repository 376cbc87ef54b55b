"""Turn a downloaded page into clean article text and metadata, falling back to the feed entry."""

from __future__ import annotations

import codecs
import html as html_lib
import re
from dataclasses import replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import lxml.html
import trafilatura
from lxml.etree import ParserError
from lxml.html import HtmlElement
from trafilatura.settings import Document
from trafilatura.utils import load_html

from stancewatch.errors import ExtractError
from stancewatch.ingest.charset import decode_checked, decode_text
from stancewatch.models import Article, ExtractedPage, FeedEntry, FetchResult

HTML_CONTENT_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# Servers that do not know what they send; the body itself decides.
UNLABELLED_CONTENT_TYPES = frozenset({"", "application/octet-stream", "binary/octet-stream"})

# Publishers state the exact publication time here; trafilatura only reports the day.
_PUBLISHED_META_KEYS = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "date.published",
    "dc.date.issued",
    "dcterms.issued",
    "parsely-pub-date",
    "sailthru.date",
    "publishdate",
    "pubdate",
)
_JSON_LD_PUBLISHED = re.compile(r'"datePublished"\s*:\s*"([^"]{8,40})"')
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}$")
_WHITESPACE = re.compile(r"\s+")
_BLANK_LINES = re.compile(r"\n\s*\n")

_BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt",
        "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header",
        "hr", "li", "main", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul",
    }
)  # fmt: skip
_INVISIBLE_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "embed")
_PARAGRAPH_MARK = "\u2029"
_RETRY_BELOW_CHARS = 1000
_PROSE_MIN_WORDS = 20
#: Default cap on an article's text (settings.max_text_chars): the engine's cost grows with
#: the text, and a 9.5 MB entry once took 54 s of CPU. Real articles are far shorter.
MAX_TEXT_CHARS = 100_000


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment (or plain text) such as a feed summary.

    Block elements and line breaks become paragraph breaks (a blank line); whitespace inside
    a paragraph collapses to single spaces; scripts and styles are dropped.
    """
    if "<" not in fragment:
        return _join_paragraphs(_BLANK_LINES.split(html_lib.unescape(fragment)))
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (ParserError, ValueError):
        return ""
    for element in list(root.iter(*_INVISIBLE_TAGS)):
        element.drop_tree()
    for element in root.iter():
        if isinstance(element.tag, str):
            _collapse(element)
            if element.tag.lower() in _BLOCK_TAGS:
                element.text = _PARAGRAPH_MARK + (element.text or "")
                element.tail = _PARAGRAPH_MARK + (element.tail or "")
    return _join_paragraphs(root.text_content().split(_PARAGRAPH_MARK))


def extract_page(html: str | bytes, *, url: str | None = None) -> ExtractedPage | None:
    """Main text and metadata of one HTML page, or None when it has no main text."""
    markup = decode_text(html) if isinstance(html, bytes) else html
    # lxml refuses str input with an encoding declaration and trafilatura then parses
    # the page as a fragment, losing <html lang>; the declaration is meaningless in a str.
    markup = _XML_DECLARATION.sub("", markup, count=1)
    if not markup.strip():
        return None
    tree = load_html(markup)
    if tree is None:
        return None
    # Read our own metadata first: trafilatura prunes the tree it is given.
    language = _page_language(tree)
    published = _meta_published(tree)
    document = _run_trafilatura(tree, url, favor_precision=True)
    text = _paragraphs(document.text or "", _clean(document.title)) if document else ""
    if len(text) < _RETRY_BELOW_CHARS:
        # Precision mode sometimes discards most of a real article; a second pass without it
        # recovers those, at the cost of time on short pages only. It must find far more text
        # to win, and real sentences, so that a short article does not gain a cookie banner
        # and a page of links does not become an article.
        # Trafilatura prunes the tree it is given, hence a fresh parse.
        retry_tree = load_html(markup)
        second = (
            _run_trafilatura(retry_tree, url, favor_precision=False)
            if retry_tree is not None
            else None
        )
        second_text = _paragraphs(second.text or "", _clean(second.title)) if second else ""
        if len(second_text) > 2 * len(text) and _has_prose(second_text):
            document, text = second, second_text
    if document is None or not text:
        return None
    title = _clean(document.title)
    return ExtractedPage(
        text=text,
        title=title,
        author=_clean(document.author),
        published=published or parse_timestamp(document.date),
        language=_normalise_language(document.language) or language,
    )


def _run_trafilatura(
    tree: HtmlElement, url: str | None, *, favor_precision: bool
) -> Document | None:
    # Measured on the 181 pages of the extraction benchmark (benchmarks/extraction_quality.py):
    # favor_precision gains 1.6 points of precision for 0.7 of recall over the default, and
    # keeping trafilatura's fallback extractors (no `fast`) is worth 2 points of F1.
    document = trafilatura.bare_extraction(
        tree,
        url=url,
        with_metadata=True,
        favor_precision=favor_precision,
        include_comments=False,
        include_images=False,
        include_links=False,
        include_formatting=False,
        include_tables=True,
    )
    return document if isinstance(document, Document) else None


def extract_article(
    result: FetchResult,
    entry: FeedEntry,
    *,
    min_text_chars: int,
    max_text_chars: int = MAX_TEXT_CHARS,
) -> Article:
    """Article from a fetched page; the feed entry's own text stands in when the page is thin.

    Raises ExtractError when the response is not an HTML page, or when neither the page nor
    the entry has any text. Text past `max_text_chars` is cut (and the cut noted). A page
    whose declared charset does not fit its bytes is read as UTF-8 and the mismatch noted.
    """
    url = result.final_url or result.url
    refusal = _refusal(result)
    if refusal is not None:
        raise ExtractError(refusal, url=url, feed=entry.feed_id)
    html, charset_warning = decode_checked(result.body, result.encoding)
    page = extract_page(html, url=url)
    if page is not None and len(page.text) >= min_text_chars:
        article = _page_article(page, entry, url=url, status=result.status, note=charset_warning)
        return cap_article_text(article, max_text_chars)
    if page is None:
        reason = "page has no main text" if result.body.strip() else "page is empty"
    else:
        reason = f"page text too short ({len(page.text)} < {min_text_chars} chars)"
    feed_text = entry_text(entry)
    if page is not None and len(page.text) > len(feed_text) and _has_prose(page.text):
        note = _join_notes(f"{reason}; kept it: the feed entry has less text", charset_warning)
        article = _page_article(page, entry, url=url, status=result.status, note=note)
        return cap_article_text(article, max_text_chars)
    return article_from_entry(
        entry, reason=reason, http_status=result.status, max_text_chars=max_text_chars
    )


def cap_article_text(article: Article, max_text_chars: int) -> Article:
    """`article` with its text cut at a word boundary near `max_text_chars`, the cut noted."""
    if len(article.text) <= max_text_chars:
        return article
    cut = article.text.rfind(" ", max_text_chars // 2, max_text_chars)
    text = article.text[: cut if cut > 0 else max_text_chars].rstrip()
    note = f"text cut at {len(text)} of {len(article.text)} chars (max_text_chars)"
    return replace(article, text=text, extract_note=_join_notes(article.extract_note, note))


def _join_notes(*notes: str | None) -> str | None:
    return "; ".join(note for note in notes if note) or None


def article_from_entry(
    entry: FeedEntry,
    *,
    reason: str,
    http_status: int | None = None,
    max_text_chars: int = MAX_TEXT_CHARS,
) -> Article:
    """Article built from the feed entry's own content or summary (the fallback).

    `reason` says why the page itself was not used; it is kept as the article's extract_note.
    """
    text = entry_text(entry)
    if not text:
        raise ExtractError(
            f"no article text: {reason}, and the feed entry has no text either",
            url=entry.url,
            feed=entry.feed_id,
        )
    article = Article(
        url=entry.url,
        canonical_url=entry.canonical_url,
        feed_id=entry.feed_id,
        guid=entry.guid,
        title=_clean(html_to_text(entry.title)) if entry.title else None,
        author=None,
        published=_as_utc(entry.published),
        language=None,
        text=text,
        text_source="feed",
        content_hash=entry.content_hash,
        http_status=http_status,
        extract_note=reason,
    )
    return cap_article_text(article, max_text_chars)


def entry_text(entry: FeedEntry) -> str:
    """The longer of the entry's full content and its summary, as plain text."""
    candidates = [html_to_text(part) for part in (entry.content, entry.summary) if part]
    return max(candidates, key=len, default="")


def parse_timestamp(value: str | None) -> datetime | None:
    """A timezone-aware UTC datetime from an ISO 8601 or RFC 2822 string; a bare date is
    midnight UTC and a naive time is taken as UTC. None when unparseable."""
    if not value or not value.strip():
        return None
    text = value.strip()
    parsed: datetime | None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            parsed = None
    return _as_utc(parsed)


def _page_article(
    page: ExtractedPage, entry: FeedEntry, *, url: str, status: int, note: str | None
) -> Article:
    return Article(
        url=url,
        canonical_url=entry.canonical_url,
        feed_id=entry.feed_id,
        guid=entry.guid,
        title=page.title or (_clean(html_to_text(entry.title)) if entry.title else None),
        author=page.author,
        published=_best_published(page.published, _as_utc(entry.published)),
        language=page.language,
        text=page.text,
        text_source="page",
        content_hash=entry.content_hash,
        http_status=status,
        extract_note=note,
    )


def _best_published(page: datetime | None, feed: datetime | None) -> datetime | None:
    # A page that only names the day loses to a feed timestamp on that same day: the order of
    # statements within a day decides which stance is the latest.
    if page is None:
        return feed
    if feed is not None and page.time() == datetime.min.time() and page.date() == feed.date():
        return feed
    return page


def _refusal(result: FetchResult) -> str | None:
    content_type = result.content_type
    if content_type in HTML_CONTENT_TYPES:
        return None
    if content_type in UNLABELLED_CONTENT_TYPES:
        head = result.body[:1024].lstrip(codecs.BOM_UTF8 + b" \t\r\n").lower()
        if not head or head.startswith((b"<", b"<!")):
            return None
        return f"not an HTML page (content type {content_type or 'missing'}, body is not markup)"
    return f"not an HTML page (content type {content_type})"


def _meta_published(tree: HtmlElement) -> datetime | None:
    found: dict[str, str] = {}
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        content = meta.get("content")
        if key in _PUBLISHED_META_KEYS and content and key not in found:
            found[key] = content
    for key in _PUBLISHED_META_KEYS:
        parsed = parse_timestamp(found.get(key))
        if parsed is not None:
            return parsed
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() == "application/ld+json" and script.text:
            match = _JSON_LD_PUBLISHED.search(script.text)
            if match and (parsed := parse_timestamp(match.group(1))) is not None:
                return parsed
    return None


def _page_language(tree: HtmlElement) -> str | None:
    root = tree.getroottree().getroot()
    declared = root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang")
    if declared:
        return _normalise_language(declared)
    for meta in tree.iter("meta"):
        if (meta.get("http-equiv") or "").lower() == "content-language" or (
            meta.get("property") or ""
        ).lower() == "og:locale":
            language = _normalise_language(meta.get("content"))
            if language:
                return language
    return None


def _normalise_language(tag: str | None) -> str | None:
    # Only the primary subtag: "en-GB", "en_US" and "EN" all answer "is it English?" alike.
    if not tag:
        return None
    primary = re.split(r"[-_,;\s]", tag.strip().lower(), maxsplit=1)[0]
    return primary if _LANGUAGE_TAG.match(primary) else None


def _paragraphs(text: str, title: str | None) -> str:
    paragraphs = [_WHITESPACE.sub(" ", line).strip() for line in text.splitlines()]
    paragraphs = [p for p in paragraphs if p]
    # The headline inside the article body duplicates Article.title.
    if paragraphs and title and paragraphs[0].casefold() == title.casefold():
        paragraphs = paragraphs[1:]
    return "\n\n".join(paragraphs)


def _has_prose(text: str) -> bool:
    return any(len(paragraph.split()) >= _PROSE_MIN_WORDS for paragraph in text.split("\n\n"))


def _collapse(element: HtmlElement) -> None:
    if element.text:
        element.text = _WHITESPACE.sub(" ", element.text)
    if element.tail:
        element.tail = _WHITESPACE.sub(" ", element.tail)


def _join_paragraphs(pieces: list[str]) -> str:
    paragraphs = (_WHITESPACE.sub(" ", piece).strip() for piece in pieces)
    return "\n\n".join(p for p in paragraphs if p)


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    cleaned = _WHITESPACE.sub(" ", value).strip()
    return cleaned or None


def _as_utc(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)
