"""Tests for stancewatch.ingest.charset: where a body's encoding is found and how it is decoded."""

from __future__ import annotations

import codecs

from stancewatch.ingest.charset import decode_text, sniff_encoding


def test_bom_wins_over_any_declaration() -> None:
    body = codecs.BOM_UTF8 + "\u201cx\u201d".encode()
    assert sniff_encoding("text/html; charset=koi8-r", body) == "utf-8"
    assert decode_text(body, "cp1252") == "\u201cx\u201d"
    assert decode_text("Eireann".encode("utf-16"), "iso8859-1") == "Eireann"


def test_declared_charset_then_meta_then_utf8_then_cp1252() -> None:
    greek = "Ειρήνη"
    assert decode_text(greek.encode("iso8859-7"), "ISO-8859-7") == greek
    meta = '<meta charset="iso-8859-7"><p>Ειρήνη</p>'
    assert decode_text(meta.encode("iso8859-7")) == meta
    assert decode_text("naïve".encode()) == "naïve"
    assert decode_text("\u201cCaf\u00e9\u201d".encode("cp1252")) == "\u201cCaf\u00e9\u201d"


def test_unknown_or_wrong_declarations_never_raise() -> None:
    assert decode_text("naïve".encode(), "x-no-such-charset") == "naïve"
    assert decode_text(b"\x93ok\x94 \x81", "utf-8") == "\u201cok\u201d \ufffd"
    assert decode_text(bytes(range(256)), "utf-8")
