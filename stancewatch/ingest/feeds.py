"""Feed list loading and feed parsing: bytes in, FeedEntry records with dedup keys out."""

from __future__ import annotations

import hashlib
import html
import re
import time
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from textwrap import shorten
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from stancewatch.errors import ConfigError, FeedParseError
from stancewatch.ingest.charset import misdeclared_utf8
from stancewatch.ingest.dtd import neutralize_dtd
from stancewatch.ingest.guard import strip_userinfo
from stancewatch.models import FeedConfig, FeedEntry, ParsedFeed

# --- feed list -----------------------------------------------------------------------------

FEED_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*\Z")
_FEED_KEYS = frozenset({"id", "url", "title", "tags", "enabled"})
_TOP_LEVEL_KEYS = frozenset({"feeds", "base_url"})


def disabled_feeds_warning(feeds: Sequence[FeedConfig], path: Path) -> str | None:
    """One line when a feed list would poll nothing: every feed has `enabled = false`."""
    if feeds and not any(feed.enabled for feed in feeds):
        return f"{path}: every feed is disabled (enabled = false); nothing will be polled"
    return None


def load_feed_list(path: Path) -> list[FeedConfig]:
    """Read and validate a feeds TOML file of `[[feeds]]` tables (plus optional `base_url`).

    Any problem raises ConfigError naming the file, the feed (#index and id) and the fault.
    """
    file = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError("feed list not found", file=file) from None
    except OSError as exc:
        raise ConfigError(f"cannot read feed list: {exc.strerror or exc}", file=file) from None
    try:
        document = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError("feed list is not valid UTF-8", file=file) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML: {exc}", file=file) from None

    unknown = sorted(set(document) - _TOP_LEVEL_KEYS)
    if unknown:
        raise ConfigError(
            f"unknown top-level key(s) {', '.join(unknown)}; expected [[feeds]] and base_url",
            file=file,
        )
    base_url = document.get("base_url")
    if base_url is not None and not (isinstance(base_url, str) and _is_http_url(base_url)):
        raise ConfigError(f"base_url must be an absolute http(s) URL, got {base_url!r}", file=file)
    tables = document.get("feeds")
    if tables is None:
        raise ConfigError("no [[feeds]] tables", file=file)
    if not isinstance(tables, list):
        raise ConfigError("'feeds' must be an array of tables ([[feeds]])", file=file)

    feeds: list[FeedConfig] = []
    first_index: dict[str, int] = {}
    for number, table in enumerate(tables, start=1):
        feed = _feed_from_table(table, number, base_url, file)
        if feed.id in first_index:
            raise ConfigError(
                f"feed #{number} ({feed.id!r}): duplicate id, first used by feed "
                f"#{first_index[feed.id]}",
                file=file,
                feed=feed.id,
            )
        first_index[feed.id] = number
        feeds.append(feed)
    return feeds


def _feed_from_table(table: object, number: int, base_url: str | None, file: str) -> FeedConfig:
    if not isinstance(table, dict):
        raise ConfigError(f"feed #{number}: must be a table, got {table!r}", file=file)
    feed_id = table.get("id")
    where = f"feed #{number}" + (f" ({feed_id!r})" if isinstance(feed_id, str) else "")

    def fail(problem: str) -> ConfigError:
        return ConfigError(f"{where}: {problem}", file=file, feed=_str_or_none(feed_id))

    unknown = sorted(set(table) - _FEED_KEYS)
    if unknown:
        raise fail(f"unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(_FEED_KEYS))}")
    if feed_id is None:
        raise fail("missing 'id'")
    if not isinstance(feed_id, str) or not FEED_ID_PATTERN.match(feed_id):
        raise fail(f"'id' must be a string of letters, digits, '_', '.', '-' (got {feed_id!r})")
    url = table.get("url")
    if url is None:
        raise fail("missing 'url'")
    if not isinstance(url, str) or not url.strip():
        raise fail(f"'url' must be a non-empty string (got {url!r})")
    resolved = urljoin(base_url, url.strip()) if base_url else url.strip()
    if not _is_http_url(resolved):
        hint = "" if base_url else " (relative URLs need a top-level base_url)"
        raise fail(f"'url' must be an http(s) URL, got {url!r}{hint}")
    title = table.get("title")
    if title is not None and not isinstance(title, str):
        raise fail(f"'title' must be a string (got {title!r})")
    tags = table.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        raise fail(f"'tags' must be a list of strings (got {tags!r})")
    enabled = table.get("enabled", True)
    if not isinstance(enabled, bool):
        raise fail(f"'enabled' must be true or false (got {enabled!r})")
    return FeedConfig(id=feed_id, url=resolved, title=title, tags=tuple(tags), enabled=enabled)


# --- URLs ------------------------------------------------------------------------------------

#: Query parameters that only say how a reader arrived; they never change the article.
TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "gclsrc", "dclid", "msclkid", "yclid", "twclid", "igshid",
        "mc_cid", "mc_eid", "ref", "ref_src", "referrer", "cmpid", "icid", "ocid", "ncid",
        "s_cid", "mkt_tok", "_ga", "_gl", "_hsenc", "_hsmi", "xtor", "at_medium",
        "at_campaign", "cmp", "sr_share", "smid",
    }
)  # fmt: skip
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def canonicalize_url(url: str) -> str:
    """A stable form of `url` for deduplication: the same article gives the same string.

    Lower-cases scheme and host, drops default ports, fragments and tracking parameters,
    sorts the remaining query parameters and strips a trailing slash (except the root).
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    netloc = _canonical_netloc(parts.netloc, scheme)
    path = parts.path or "/"
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    params = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not _is_tracking_param(key)
    ]
    # Stable sort by name only: the order of repeated names can matter to the server.
    params.sort(key=lambda pair: pair[0])
    return urlunsplit((scheme, netloc, path, urlencode(params), ""))


def _canonical_netloc(netloc: str, scheme: str) -> str:
    hostport = netloc.rpartition("@")[2]  # credentials are never part of an article's identity
    host, port = hostport, ""
    if hostport.startswith("["):  # IPv6 literal
        end = hostport.find("]")
        if end != -1:
            host, port = hostport[: end + 1], hostport[end + 2 :]
    elif ":" in hostport:
        host, _, port = hostport.partition(":")
    host = host.lower().rstrip(".")
    if port and port.isdigit() and int(port) == _DEFAULT_PORTS.get(scheme):
        port = ""
    return host + (f":{port}" if port else "")


def _is_tracking_param(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(_TRACKING_PREFIXES)


def _is_http_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- raises ValueError on a malformed port
    except ValueError:
        return False
    return parts.scheme.lower() in {"http", "https"} and bool(parts.hostname)


# --- parsing ---------------------------------------------------------------------------------


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
    if not _is_http_url(url):
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


def _str_or_none(value: object) -> str | None:
    return value if isinstance(value, str) else None


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
