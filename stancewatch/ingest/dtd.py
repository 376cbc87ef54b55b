"""Cut DTD internal subsets and ENTITY declarations out of XML bytes before they are parsed."""

from __future__ import annotations

import codecs
import re

_MARKUP_IN_SUBSET = re.compile(r"""["']|<!--|\]""")
#: feedparser's own rule (sanitizer.replace_doctype): the head it scans for declarations ends
#: at the first "<" followed by an ASCII word character (its pattern is a bytes regex).
_FEEDPARSER_HEAD_END = re.compile(r"<[A-Za-z0-9_]")
#: Every ENTITY declaration, wherever it sits (in a comment, after an odd element, mid-line):
#: feedparser collects those at a line start, but cutting them all is simpler and safer.
_ENTITY_DECLARATION = re.compile(r"<!ENTITY[^>]*>?", re.IGNORECASE)
_DTD_KEYWORD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_WIDE_ENCODINGS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", True),
    (codecs.BOM_UTF32_BE, "utf-32-be", True),
    (codecs.BOM_UTF16_LE, "utf-16-le", True),
    (codecs.BOM_UTF16_BE, "utf-16-be", True),
    (b"<\0\0\0", "utf-32-le", False),
    (b"\0\0\0<", "utf-32-be", False),
    (b"<\0?\0", "utf-16-le", False),
    (b"\0<\0?", "utf-16-be", False),
)


def neutralize_dtd(data: bytes) -> bytes:
    """Remove internal DTD subsets and ENTITY declarations before the root element.

    Entities declared in a feed can expand to gigabytes (a 200 KB feed once cost feedparser
    106 s and 13.7 GB; a 158 KB one with its DOCTYPE inside a comment stored a 1.8 GB
    summary). Real feeds do not need them, so they are cut out in linear passes and
    references to them are left unexpanded. Two passes, because two parsers read the
    declarations by different rules:

    - the XML prolog as an XML parser reads it (comments, PIs, the DOCTYPE's internal
      subset), up to the root element;
    - feedparser's rule: every ENTITY declaration before the first ``<`` + ASCII word
      character, even inside a comment or after an element such as ``<:x/>`` or ``<é/>``.
      feedparser keeps those whose value is plain text and its loose parser expands each
      reference, so one 10 KB entity referenced 2,000 times makes a 20 MB summary.

    The byte encoding is kept as it was.
    """
    bom = b""
    codec = "latin-1"  # maps every byte to one character, so the round trip is lossless
    for prefix, wide_codec, is_bom in _WIDE_ENCODINGS:
        if data.startswith(prefix):
            codec = wide_codec
            bom = prefix if is_bom else b""
            break
    if codec == "latin-1" and not _DTD_KEYWORD.search(data):
        return data
    payload = data[len(bom) :]
    text = payload.decode(codec) if codec == "latin-1" else _decode_wide(payload, codec)
    cleaned = _strip_feedparser_entities(_strip_prolog_dtd(text))
    if cleaned is text:
        return data
    return bom + cleaned.encode(codec, errors="surrogatepass")


def _decode_wide(data: bytes, codec: str) -> str:
    try:
        return data.decode(codec, errors="surrogatepass")
    except UnicodeDecodeError:
        return data.decode(codec, errors="replace")


def _strip_prolog_dtd(text: str) -> str:
    """Walk the prolog (declarations, comments, junk) up to the root element; cut DTD parts."""
    pieces: list[str] = []
    kept_from = 0
    pos = 0
    length = len(text)
    while pos < length:
        lt = text.find("<", pos)
        if lt == -1 or lt + 1 >= length:
            break
        following = text[lt + 1]
        if following == "?":
            end = text.find("?>", lt + 2)
            pos = length if end == -1 else end + 2
        elif text.startswith("<!--", lt):
            end = text.find("-->", lt + 4)
            pos = length if end == -1 else end + 3
        elif text[lt + 1 : lt + 9].upper() == "!DOCTYPE":
            cut_start, cut_end = _doctype_subset_span(text, lt + 9)
            if cut_start != cut_end:
                pieces.append(text[kept_from:cut_start])
                kept_from = cut_end
            pos = cut_end
        elif text[lt + 1 : lt + 8].upper() == "!ENTITY":
            end = _declaration_end(text, lt + 8)
            pieces.append(text[kept_from:lt])
            kept_from = pos = end
        elif following.isalpha() or following in "_:":
            break  # the root element: the prolog is over
        else:
            pos = lt + 1
    if not pieces:
        return text
    pieces.append(text[kept_from:])
    return "".join(pieces)


def _strip_feedparser_entities(text: str) -> str:
    """Cut every ENTITY declaration from the part of `text` feedparser scans for them."""
    head_end = _FEEDPARSER_HEAD_END.search(text)
    end = head_end.start() if head_end else len(text)
    head = text[:end]
    if "<!" not in head:
        return text
    # A space, not nothing, takes each declaration's place, so the text around a cut can
    # never join into a new "<!ENTITY" (e.g. "<!ENT<!ENTITY x 'y'>ITY").
    cleaned, count = _ENTITY_DECLARATION.subn(" ", head)
    return text if count == 0 else cleaned + text[end:]


def _doctype_subset_span(text: str, pos: int) -> tuple[int, int]:
    """The span of `[ ... ]` in a DOCTYPE starting before `pos`, or an empty span after it."""
    length = len(text)
    while pos < length:
        char = text[pos]
        if char in "\"'":
            end = text.find(char, pos + 1)
            pos = length if end == -1 else end + 1
        elif char == ">":
            return pos + 1, pos + 1
        elif char == "[":
            return pos, _subset_end(text, pos + 1)
        else:
            pos += 1
    return length, length


def _subset_end(text: str, pos: int) -> int:
    """Index just after the `]` closing an internal subset (or the end of an unclosed one)."""
    length = len(text)
    while True:
        match = _MARKUP_IN_SUBSET.search(text, pos)
        if match is None:
            return length
        token = match.group()
        if token == "]":
            return match.end()
        closer = "-->" if token == "<!--" else token
        end = text.find(closer, match.end())
        if end == -1:
            return length
        pos = end + len(closer)


def _declaration_end(text: str, pos: int) -> int:
    """Index just after the `>` closing a markup declaration, skipping quoted literals."""
    length = len(text)
    while pos < length:
        char = text[pos]
        if char in "\"'":
            end = text.find(char, pos + 1)
            pos = length if end == -1 else end + 1
        elif char == ">":
            return pos + 1
        else:
            pos += 1
    return length
