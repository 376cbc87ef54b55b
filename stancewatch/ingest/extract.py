"""Turn a downloaded page into clean article text and metadata, falling back to the feed entry."""

from __future__ import annotations

import codecs
import html as html_lib
import re
from dataclasses import replace
from datetime import datetime

import lxml.html
import trafilatura
from lxml.etree import ParserError
from lxml.html import HtmlElement
from trafilatura.settings import Document
from trafilatura.utils import load_html

from stancewatch.errors import ExtractError
from stancewatch.ingest.charset import decode_checked, decode_text
from stancewatch.ingest.page_meta import as_utc, collapse_whitespace, read_page_meta
from stancewatch.models import Article, ExtractedPage, FeedEntry, FetchResult

HTML_CONTENT_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# Servers that do not know what they send; the body itself decides.
UNLABELLED_CONTENT_TYPES = frozenset({"", "application/octet-stream", "binary/octet-stream"})

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
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
    meta = read_page_meta(tree, url)
    # trafilatura works on a copy of the tree it is given, so one parse serves every pass.
    document = _run_trafilatura(tree, url, favor_precision=True)
    text = _paragraphs(document.text or "", meta.title) if document else ""
    if len(text) < _RETRY_BELOW_CHARS:
        # Precision mode sometimes discards most of a real article; a second pass without it
        # recovers those, at the cost of time on short pages only. It must find far more text
        # to win, and real sentences, so that a short article does not gain a cookie banner
        # and a page of links does not become an article.
        second = _run_trafilatura(tree, url, favor_precision=False)
        second_text = _paragraphs(second.text or "", meta.title) if second else ""
        if len(second_text) > 2 * len(text) and _has_prose(second_text):
            text = second_text
    if not text:
        return None
    return ExtractedPage(
        text=text,
        title=meta.title,
        author=meta.author,
        published=meta.published,
        language=meta.language,
    )


def _run_trafilatura(
    tree: HtmlElement, url: str | None, *, favor_precision: bool
) -> Document | None:
    # Text only: the metadata is read once by read_page_meta, not by every pass.
    # Measured on the 181 pages of the extraction benchmark (benchmarks/extraction_quality.py,
    # CPU per page in one process): favor_precision gains 1.6 points of precision for 0.7 of
    # recall over the default. trafilatura's fallback extractors (readability, jusText; off
    # with `fast`) now gain 0.001 of F1 (0.970 against 0.969) for 30% of the extraction's
    # CPU, so they are off. With the metadata read once (identical titles, authors, dates and
    # languages), a page costs 41 ms of CPU instead of 71 ms, at F1 0.969 against 0.970; the
    # bare `extract(with_metadata=True)` scores 0.873.
    document = trafilatura.bare_extraction(
        tree,
        url=url,
        fast=True,
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
        title=_entry_title(entry),
        author=None,
        published=as_utc(entry.published),
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


def _page_article(
    page: ExtractedPage, entry: FeedEntry, *, url: str, status: int, note: str | None
) -> Article:
    return Article(
        url=url,
        canonical_url=entry.canonical_url,
        feed_id=entry.feed_id,
        guid=entry.guid,
        title=page.title or _entry_title(entry),
        author=page.author,
        published=_best_published(page.published, as_utc(entry.published)),
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


def _entry_title(entry: FeedEntry) -> str | None:
    return collapse_whitespace(html_to_text(entry.title)) if entry.title else None
