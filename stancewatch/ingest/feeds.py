"""Feed parsing: bytes in, FeedEntry records with dedup keys out."""

from __future__ import annotations

import hashlib
import html
import re
import time
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from textwrap import shorten
from typing import Any
from urllib.parse import urljoin

from stancewatch.errors import FeedParseError
from stancewatch.ingest.charset import misdeclared_utf8
from stancewatch.ingest.dtd import neutralize_dtd
from stancewatch.ingest.guard import strip_userinfo
from stancewatch.ingest.urls import canonicalize_url, is_http_url
from stancewatch.models import FeedEntry, ParsedFeed

#: Default cap on an entry's stored summary and content (settings.max_text_chars).
MAX_ENTRY_CHARS = 100_000


def parse_feed(
    feed_id: str,
    body: bytes,
    *,
    headers: Mapping[str, str] | None = None,
    base_url: str | None = None,
    max_text_chars: int = MAX_ENTRY_CHARS,
) -> ParsedFeed:
    """Parse an RSS 0.9x/1.0/2.0 or Atom body into entries.

    `base_url` is the address the body came from; relative links are resolved against it
    (or against the feed's own link). A flagged (bozo) feed that still has entries is used
    and the reason kept; one without entries raises FeedParseError. Summaries and contents
    longer than `max_text_chars` are cut.
    """
    response_headers = {key.lower(): value for key, value in (headers or {}).items()}
    # Without a media type feedparser flags every feed as bozo; application/xml lets the
    # XML declaration decide the charset, as RFC 7303 says.
    response_headers.setdefault("content-type", "application/xml")
    if base_url:
        location = response_headers.get("content-location")
        response_headers["content-location"] = urljoin(base_url, location) if location else base_url
    import feedparser  # slow to import; only a feed with new content needs it

    try:
        data, response_headers, charset_note = _as_utf8(body, response_headers)
        # Sanitising and relative-URI rewriting of embedded HTML make parsing 4-9x slower and
        # we only need the text later (entry links are resolved either way), so both are off.
        result = feedparser.parse(
            neutralize_dtd(data),
            response_headers=response_headers,
            sanitize_html=False,
            resolve_relative_uris=False,
        )
    except Exception as exc:  # feedparser on hostile input: any failure is this feed's only
        raise FeedParseError(f"feed could not be parsed: {exc!r}", feed=feed_id) from exc

    bozo_reason = (
        "; ".join(reason for reason in (charset_note, _bozo_reason(result)) if reason) or None
    )
    raw_entries = list(result.get("entries") or [])
    version = result.get("version") or None
    if not raw_entries and (bozo_reason or not version):
        problem = bozo_reason or "not a recognised RSS/Atom document"
        raise FeedParseError(f"no entries: {problem}", feed=feed_id)

    channel = result.get("feed") or {}
    link_base = base_url or _text(channel.get("link"))
    entries: list[FeedEntry] = []
    skipped: list[str] = []
    for number, raw in enumerate(raw_entries, start=1):
        try:
            entry = _entry(feed_id, raw, link_base, max_text_chars)
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            skipped.append(f"entry #{number}: malformed ({exc})")
            continue
        if isinstance(entry, str):
            skipped.append(f"entry #{number}: {entry}")
        else:
            entries.append(entry)
    return ParsedFeed(
        feed_id=feed_id,
        title=_text(channel.get("title")),
        version=version,
        entries=tuple(entries),
        bozo_reason=bozo_reason,
        skipped_entries=tuple(skipped),
    )


def _as_utf8(body: bytes, headers: dict[str, str]) -> tuple[bytes, dict[str, str], str | None]:
    """The body in UTF-8 as feedparser itself would decode it, the headers that say so, and
    a note when the declared charset was overruled or not a feed type.

    feedparser finds DOCTYPE and ENTITY declarations in the decoded text, so they must be
    neutralised after decoding: in UTF-7 or EBCDIC, "<!ENTITY" is not there in the bytes.
    """
    from feedparser.encodings import convert_to_utf8  # slow to import, as parse_feed says

    scratch: dict[str, Any] = {}
    converted = convert_to_utf8(headers, body, scratch)
    if not scratch.get("encoding"):
        return body, headers, None  # feedparser will fail the same way and say so
    notes = []
    if scratch.get("bozo_exception") is not None:
        problem = scratch["bozo_exception"]
        notes.append(f"{type(problem).__name__}: {problem}")
    mismatch = misdeclared_utf8(body, scratch["encoding"])
    if mismatch:
        converted = convert_to_utf8({"content-type": "application/xml; charset=utf-8"}, body, {})
        notes.append(mismatch)
    utf8_headers = {**headers, "content-type": "application/xml; charset=utf-8"}
    return converted, utf8_headers, "; ".join(notes) or None


def _bozo_reason(result: Mapping[str, Any]) -> str | None:
    if not result.get("bozo"):
        return None
    exc = result.get("bozo_exception")
    if exc is None:
        return "flagged as malformed"
    return f"{type(exc).__name__}: {exc}"


def _entry(
    feed_id: str, raw: Mapping[str, Any], link_base: str | None, max_text_chars: int
) -> FeedEntry | str:
    """A FeedEntry, or the reason the entry cannot be used."""
    title = _capped(_text(raw.get("title")), 1000)
    link = _entry_link(raw)
    if link is None:
        return f"no link ({shorten(title or 'untitled', 80)})"
    # Credentials in a link are never used, stored or shown.
    url = strip_userinfo(urljoin(link_base, link) if link_base else link)
    if not is_http_url(url):
        return f"link is not an absolute http(s) URL: {shorten(link, 200)!r}"
    summary = _capped(_text(raw.get("summary")), max_text_chars)
    contents = raw.get("content") or []
    content = _capped(_text(contents[0].get("value")), max_text_chars) if contents else None
    canonical = canonicalize_url(url)
    digest = content_hash(title, content or summary, fallback=canonical)
    guid = _capped(_text(raw.get("id")), 2000) or url
    return FeedEntry(
        feed_id=feed_id,
        guid=guid,
        url=url,
        canonical_url=canonical,
        title=title,
        published=_published(raw),
        summary=summary,
        content=content,
        content_hash=digest,
        updated=_moment(_own(raw, "updated_parsed")),
    )


def _capped(text: str | None, limit: int) -> str | None:
    return text if text is None or len(text) <= limit else text[:limit]


def _entry_link(raw: Mapping[str, Any]) -> str | None:
    link = _text(raw.get("link"))
    if link:
        return link
    for candidate in raw.get("links") or []:
        href = _text(candidate.get("href"))
        if href and candidate.get("rel", "alternate") == "alternate":
            return href
    return None


def _published(raw: Mapping[str, Any]) -> datetime | None:
    for key in ("published_parsed", "updated_parsed"):
        if (moment := _moment(raw.get(key))) is not None:
            return moment
    return None


def _own(raw: Mapping[str, Any], key: str) -> object:
    """raw[key] only if the feed gave it: feedparser's dict answers a missing "updated" with
    the published date (and a deprecation warning)."""
    return dict.get(raw, key) if isinstance(raw, dict) else raw.get(key)


def _moment(parsed: object) -> datetime | None:
    if not isinstance(parsed, time.struct_time):
        return None
    try:
        # feedparser has already converted the time to UTC.
        return datetime(*parsed[:6], tzinfo=UTC)
    except ValueError:
        return None


_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


def content_hash(title: str | None, body: str | None, *, fallback: str) -> str:
    """sha256 of the normalised title and body (tags, entities, case and whitespace ignored).

    Without a body, a title alone ("Morning briefing") is too weak to call two entries the
    same, so `fallback` (the canonical URL) is hashed with it.
    """
    normalised_body = _normalise(body)
    if not normalised_body:
        normalised_body = f"url:{fallback}"
    combined = f"{_normalise(title)}\x1f{normalised_body}"
    return hashlib.sha256(combined.encode("utf-8")).hexdigest()


def _normalise(text: str | None) -> str:
    # Whitespace is dropped entirely so "again</b>." and "again ." compare equal.
    return _SPACE.sub("", html.unescape(_TAG.sub(" ", text or ""))).casefold()


def _text(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    stripped = value.strip()
    return stripped or None


# --- dedup ------------------------------------------------------------------------------------


def dedup_keys(entry: FeedEntry) -> tuple[str, str, str]:
    """The three keys under which an entry counts as already seen: guid, URL, content."""
    return entry.guid, entry.canonical_url, entry.content_hash


def unique_entries(entries: Iterable[FeedEntry]) -> list[FeedEntry]:
    """Entries in order, dropping any that repeats an earlier one's guid, URL or content hash.

    Guids are compared per feed: feeds number their items "1", "2", ... independently.
    """
    seen_guids: set[tuple[str, str]] = set()
    seen_urls: set[str] = set()
    seen_hashes: set[str] = set()
    unique: list[FeedEntry] = []
    for entry in entries:
        guid, url, digest = dedup_keys(entry)
        scoped_guid = (entry.feed_id, guid)
        if scoped_guid in seen_guids or url in seen_urls or digest in seen_hashes:
            continue
        seen_guids.add(scoped_guid)
        seen_urls.add(url)
        seen_hashes.add(digest)
        unique.append(entry)
    return unique
