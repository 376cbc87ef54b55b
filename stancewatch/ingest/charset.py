"""Find a body's character encoding (BOM, header, <meta>, XML declaration) and decode it safely."""

from __future__ import annotations

import codecs
import re

#: How far into a page we look for <meta charset> (the HTML standard says 1024; be lenient).
SNIFF_BYTES = 4096

_CHARSET_PARAM = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:+-]+)""", re.IGNORECASE)
_META_CHARSET = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:+-]+)""", re.IGNORECASE
)
_XML_DECL_ENCODING = re.compile(
    rb"""\A\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:+-]+)["']""", re.IGNORECASE
)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def sniff_encoding(content_type: str | None, body: bytes) -> str | None:
    """The body's charset: BOM, else Content-Type, else <meta> in the head, else XML declaration.

    Returns a normalised Python codec name, or None when nothing (valid) is declared.
    """
    bom_codec = _bom_codec(body)
    if bom_codec:
        return bom_codec
    if content_type:
        param = _CHARSET_PARAM.search(content_type)
        header_codec = _codec_name(param.group(1)) if param else None
        if header_codec:
            return header_codec
    head = body[:SNIFF_BYTES]
    for pattern in (_META_CHARSET, _XML_DECL_ENCODING):
        declaration = pattern.search(head)
        declared_codec = _codec_name(declaration.group(1).decode("ascii")) if declaration else None
        if declared_codec:
            # We just read the declaration as ASCII, so the body cannot really be UTF-16/32.
            return "utf-8" if declared_codec.startswith(("utf-16", "utf-32")) else declared_codec
    return None


def decode_text(body: bytes, declared: str | None = None) -> str:
    """Decode a body as text without ever raising UnicodeDecodeError.

    A BOM wins; then the declared charset (`declared`, else one found in the body itself),
    then UTF-8. Text that is neither is read as cp1252 (which decodes nearly every byte),
    unless it is mostly valid UTF-8 with a few broken bytes.
    """
    bom_codec = _bom_codec(body)
    if bom_codec:
        return body.decode(_decoding_codec(bom_codec), errors="replace")
    declared = (_codec_name(declared) if declared else None) or sniff_encoding(None, body)
    if declared:
        try:
            return body.decode(_decoding_codec(declared))
        except (UnicodeDecodeError, LookupError):
            pass  # a wrong declaration is common; the body itself decides below
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    as_utf8 = body.decode("utf-8", errors="replace")
    broken = as_utf8.count("\ufffd")
    non_ascii = len(as_utf8) - len(as_utf8.encode("ascii", errors="ignore"))
    valid_multibyte = non_ascii - broken
    if valid_multibyte > broken:
        return as_utf8
    return body.decode("cp1252", errors="replace")


def misdeclared_utf8(body: bytes, declared: str | None) -> str | None:
    """A warning when `declared` is a legacy charset but the body reads better as UTF-8.

    The sanity check: text in a single- or double-byte legacy encoding is almost never
    valid UTF-8 once it has non-ASCII bytes, while UTF-8 read as latin-1 or cp1252 turns
    into mojibake ("cafÃ©") without any decoding error. Returns None when the declaration
    is plausible (or absent, or UTF-8 already).
    """
    codec = _codec_name(declared) if declared else None
    if codec is None or codec.startswith(("utf-8", "utf-16", "utf-32")) or codec == "ascii":
        return None
    if body.isascii():
        return None
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return f"declared charset {declared} does not fit the body, which is valid UTF-8: read as UTF-8"


def decode_checked(body: bytes, declared: str | None = None) -> tuple[str, str | None]:
    """decode_text plus the charset sanity check: (text, warning or None)."""
    warning = misdeclared_utf8(body, declared)
    return decode_text(body, "utf-8" if warning else declared), warning


def _bom_codec(body: bytes) -> str | None:
    for bom, bom_codec in _BOMS:
        if body.startswith(bom):
            return bom_codec
    return None


def _decoding_codec(name: str) -> str:
    # Browsers read these labels as windows-1252, and real pages rely on it (curly quotes).
    if name in {"latin-1", "iso8859-1", "ascii"}:
        return "cp1252"
    if name == "utf-8":
        return "utf-8-sig"
    return name


def _codec_name(label: str) -> str | None:
    try:
        return codecs.lookup(label.strip()).name
    except LookupError:
        return None
