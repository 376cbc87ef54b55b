"""Tests for stancewatch.ingest.extract: text, metadata, refusals, decoding, feed fallback."""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from stancewatch.errors import ExtractError
from stancewatch.ingest.charset import decode_text
from stancewatch.ingest.extract import (
    article_from_entry,
    extract_article,
    extract_page,
    html_to_text,
)
from stancewatch.ingest.page_meta import parse_timestamp
from stancewatch.models import FeedEntry, FetchResult
from tests.conftest import article_page

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpora" / "extraction-benchmark"

BODY_PARAGRAPHS = (
    "Negotiators from Northland and Southport ended a third day of talks in Geneva on "
    "Wednesday without agreeing on the tariff schedule that has divided the two governments "
    "since the spring.",
    "Northland's trade minister, Maria Castell, said her government would not lift the duties "
    "on Southport steel until Southport opened its public procurement market to foreign "
    "bidders. \u201cWe have been clear from the first day,\u201d she told reporters.",
    "Southport's delegation proposed a phased reduction of both sets of tariffs over eighteen "
    "months, with an independent panel to review compliance after the first six months, "
    "according to a draft seen by The Daily Ledger.",
    "Officials from the mediating secretariat said a fourth round could begin next week if "
    "both sides agree on an agenda. Neither delegation commented on that proposal.",
)

BOILERPLATE = (
    "We use cookies to personalise content",
    "Accept all cookies",
    "Sign in to your account",
    "Related coverage",
    "Markets rally as bond yields fall",
    "What readers say",
    "This is the worst deal in history",
    "Subscribe to our morning newsletter",
    "All rights reserved",
    "Privacy policy",
)


def news_page(paragraphs: tuple[str, ...] = BODY_PARAGRAPHS, *, head_extra: str = "") -> str:
    body = "\n".join(f"      <p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
  <meta charset="utf-8">
  <title>Trade talks stall over steel tariffs | The Daily Ledger</title>
  <meta property="og:title" content="Trade talks stall over steel tariffs">
  <meta name="author" content="Jonas Weber">
  <meta property="article:published_time" content="2024-02-07T14:30:00+02:00">
  {head_extra}
</head>
<body>
  <div id="cookie-banner" class="cookie-consent">
    <p>We use cookies to personalise content and ads and to analyse our traffic.</p>
    <button>Accept all cookies</button>
  </div>
  <header class="site-header">
    <nav class="main-nav">
      <ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
      <li><a href="/business">Business</a></li><li><a href="/login">Sign in to your account</a>
      </li></ul>
    </nav>
  </header>
  <main>
    <article class="story">
      <h1>Trade talks stall over steel tariffs</h1>
      <p class="byline">By <span class="author">Jonas Weber</span>,
        <time datetime="2024-02-07T14:30:00+02:00">7 February 2024</time></p>
{body}
    </article>
    <aside class="related">
      <h2>Related coverage</h2>
      <ul>
        <li><a href="/markets/rally">Markets rally as bond yields fall</a></li>
        <li><a href="/world/summit">Leaders gather for the annual summit in Oslo</a></li>
      </ul>
    </aside>
    <section id="comments" class="comments">
      <h3>What readers say</h3>
      <div class="comment"><p class="comment-author">steelfan88</p>
        <p>This is the worst deal in history and everyone knows it.</p></div>
      <div class="comment"><p class="comment-author">ledger_reader</p>
        <p>Southport should have walked out on the first day of the talks.</p></div>
    </section>
  </main>
  <div class="newsletter"><p>Subscribe to our morning newsletter for the day's top stories.</p>
  </div>
  <footer class="site-footer">
    <p>&copy; 2024 The Daily Ledger. All rights reserved.</p>
    <a href="/privacy">Privacy policy</a> <a href="/terms">Terms of use</a>
  </footer>
</body>
</html>
"""


def make_entry(**overrides: object) -> FeedEntry:
    values: dict[str, object] = {
        "feed_id": "ledger",
        "guid": "ledger-4411",
        "url": "https://ledger.example/world/trade-talks-stall?utm_source=rss",
        "canonical_url": "https://ledger.example/world/trade-talks-stall",
        "title": "Trade talks stall (feed title)",
        "published": datetime(2024, 2, 7, 12, 45, tzinfo=UTC),
        "summary": "<p>Talks between <b>Northland</b> and Southport ended without a deal.</p>",
        "content": None,
        "content_hash": "hash-4411",
    }
    values.update(overrides)
    return FeedEntry(**values)  # type: ignore[arg-type]


def make_result(
    body: bytes, *, content_type: str = "text/html; charset=utf-8", encoding: str | None = None
) -> FetchResult:
    return FetchResult(
        url="https://ledger.example/world/trade-talks-stall?utm_source=rss",
        final_url="https://ledger.example/world/trade-talks-stall",
        status=200,
        headers={"content-type": content_type} if content_type else {},
        body=body,
        encoding=encoding,
    )


# --- extract_page -------------------------------------------------------------------------


def test_page_text_keeps_every_body_paragraph_and_no_boilerplate() -> None:
    page = extract_page(news_page(), url="https://ledger.example/world/trade-talks-stall")

    assert page is not None
    for paragraph in BODY_PARAGRAPHS:
        assert paragraph in page.text
    for junk in BOILERPLATE:
        assert junk not in page.text, junk


def test_page_paragraphs_are_separated_by_blank_lines_and_headline_is_not_repeated() -> None:
    page = extract_page(news_page())

    assert page is not None
    paragraphs = page.text.split("\n\n")
    assert all(p == p.strip() and p and "\n" not in p for p in paragraphs)
    assert [p for p in paragraphs if p in BODY_PARAGRAPHS] == list(BODY_PARAGRAPHS)
    assert "Trade talks stall over steel tariffs" not in page.text


def test_page_metadata_title_author_language_and_exact_published_time_in_utc() -> None:
    page = extract_page(news_page())

    assert page is not None
    assert page.title == "Trade talks stall over steel tariffs"
    assert page.author == "Jonas Weber"
    assert page.language == "en"
    assert page.published == datetime(2024, 2, 7, 12, 30, tzinfo=UTC)
    assert page.published is not None and page.published.utcoffset() is not None


def test_page_with_only_a_date_gets_midnight_utc() -> None:
    html = news_page(head_extra="").replace(
        '<meta property="article:published_time" content="2024-02-07T14:30:00+02:00">',
        '<meta name="date" content="2023-11-20">',
    )
    html = re.sub(r"<time[^>]*>[^<]*</time>", "", html)

    page = extract_page(html)

    assert page is not None
    assert page.published == datetime(2023, 11, 20, tzinfo=UTC)


def test_page_language_from_meta_when_html_has_no_lang() -> None:
    html = news_page(head_extra='<meta http-equiv="content-language" content="de-AT">')
    html = html.replace('<html lang="en-GB">', "<html>")

    page = extract_page(html)

    assert page is not None and page.language == "de"


def test_xhtml_with_xml_declaration_keeps_its_lang() -> None:
    html = '<?xml version="1.0" encoding="utf-8"?>\n' + news_page().replace(
        "<!DOCTYPE html>\n", ""
    ).replace('lang="en-GB"', 'xmlns="http://www.w3.org/1999/xhtml" lang="fr"')

    page = extract_page(html)

    assert page is not None
    assert page.language == "fr"
    assert BODY_PARAGRAPHS[1] in page.text


def test_page_bytes_are_decoded() -> None:
    page = extract_page(news_page().encode("utf-8"))

    assert page is not None
    assert "\u201cWe have been clear from the first day,\u201d" in page.text


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   \n ",
        "<html><body></body></html>",
        "<html><body><script>var x = 1;</script></body></html>",
    ],
)
def test_page_without_main_text_is_none(html: str) -> None:
    assert extract_page(html) is None


# --- decoding -----------------------------------------------------------------------------


def test_decode_uses_declared_charset() -> None:
    assert decode_text("Zürich café".encode("iso-8859-1"), "iso-8859-1") == "Zürich café"


def test_decode_falls_back_to_cp1252_without_raising() -> None:
    body = "caf\u00e9 \u201cquoted\u201d".encode("cp1252") + b"\x81"
    assert decode_text(body) == "caf\u00e9 \u201cquoted\u201d\ufffd"


def test_decode_ignores_unknown_charset_name_and_strips_bom() -> None:
    assert decode_text("naïve".encode(), "x-no-such-charset") == "naïve"
    assert decode_text(b"\xef\xbb\xbf<p>x</p>", "cp1252") == "<p>x</p>"


def test_latin1_labels_are_read_as_windows_1252_like_browsers_do() -> None:
    body = "\u201cNo deal,\u201d he said \u2014 caf\u00e9".encode("cp1252")
    assert decode_text(body, "iso8859-1") == "\u201cNo deal,\u201d he said \u2014 caf\u00e9"
    assert decode_text(body, "ascii") == "\u201cNo deal,\u201d he said \u2014 caf\u00e9"


def test_a_wrong_utf8_declaration_does_not_turn_quotes_into_replacement_marks() -> None:
    body = "\u201cCaf\u00e9\u201d".encode("cp1252")
    assert decode_text(body, "utf-8") == "\u201cCaf\u00e9\u201d"


def test_page_bytes_without_a_header_charset_use_the_meta_charset() -> None:
    page = news_page().replace("<head>", '<head><meta charset="windows-1251">', 1)
    page = page.replace("Geneva", "\u0416\u0435\u043d\u0435\u0432\u0430")
    extracted = extract_page(page.encode("cp1251"))
    assert extracted is not None
    assert "\u0416\u0435\u043d\u0435\u0432\u0430" in extracted.text


def test_article_from_undecodable_bytes_does_not_raise() -> None:
    html = news_page().encode("utf-8").replace(b"Geneva", b"Gen\xff\xfeva")

    article = extract_article(make_result(html, encoding=None), make_entry(), min_text_chars=200)

    assert article.text_source == "page"
    assert "Gen" in article.text and "va on Wednesday" in article.text


# --- extract_article ----------------------------------------------------------------------


def test_article_from_page_carries_entry_keys_and_page_metadata() -> None:
    entry = make_entry()
    result = make_result(news_page().encode("utf-8"), encoding="utf-8")

    article = extract_article(result, entry, min_text_chars=200)

    assert article.text_source == "page"
    assert article.extract_note is None
    assert article.url == result.final_url
    assert article.canonical_url == entry.canonical_url
    assert article.content_hash == entry.content_hash
    assert (article.feed_id, article.guid) == (entry.feed_id, entry.guid)
    assert article.http_status == 200
    assert article.title == "Trade talks stall over steel tariffs"
    assert article.published == datetime(2024, 2, 7, 12, 30, tzinfo=UTC)
    assert BODY_PARAGRAPHS[2] in article.text


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/pdf", b"%PDF-1.7\n1 0 obj"),
        ("image/png", b"\x89PNG\r\n\x1a\n"),
        ("application/json", b'{"title": "x"}'),
        ("application/octet-stream", b"%PDF-1.4 binary"),
    ],
)
def test_non_html_responses_are_refused_with_the_reason(content_type: str, body: bytes) -> None:
    with pytest.raises(ExtractError) as caught:
        extract_article(
            make_result(body, content_type=content_type), make_entry(), min_text_chars=1
        )

    assert content_type in str(caught.value)
    assert caught.value.url == "https://ledger.example/world/trade-talks-stall"
    assert caught.value.stage == "extract"


def test_unlabelled_html_body_is_accepted() -> None:
    result = make_result(news_page().encode("utf-8"), content_type="")

    article = extract_article(result, make_entry(), min_text_chars=200)

    assert article.text_source == "page"


def test_empty_page_falls_back_to_feed_summary() -> None:
    article = extract_article(make_result(b""), make_entry(), min_text_chars=200)

    assert article.text_source == "feed"
    assert article.text == "Talks between Northland and Southport ended without a deal."
    assert article.extract_note is not None and "empty" in article.extract_note
    assert article.http_status == 200
    assert article.title == "Trade talks stall (feed title)"
    assert article.published == datetime(2024, 2, 7, 12, 45, tzinfo=UTC)


def test_short_page_falls_back_to_longer_feed_content() -> None:
    content = "<p>" + " ".join(BODY_PARAGRAPHS) + "</p>"
    entry = make_entry(content=content)
    result = make_result(news_page(BODY_PARAGRAPHS[:1]).encode("utf-8"))

    article = extract_article(result, entry, min_text_chars=300)

    assert article.text_source == "feed"
    assert article.extract_note is not None and "too short" in article.extract_note
    assert BODY_PARAGRAPHS[3] in article.text


def test_short_page_is_kept_when_feed_has_less() -> None:
    entry = make_entry(summary=None, content=None)
    result = make_result(news_page(BODY_PARAGRAPHS[:1]).encode("utf-8"))

    article = extract_article(result, entry, min_text_chars=300)

    assert article.text_source == "page"
    assert BODY_PARAGRAPHS[0] in article.text
    assert article.extract_note is not None and "too short" in article.extract_note


def test_no_text_anywhere_raises_with_url_and_feed() -> None:
    entry = make_entry(summary="  ", content="<div><img src='x.png'></div>")

    with pytest.raises(ExtractError) as caught:
        extract_article(make_result(b"<html><body></body></html>"), entry, min_text_chars=200)

    assert caught.value.url == entry.url
    assert caught.value.feed == "ledger"
    assert "no main text" in str(caught.value)


def test_page_of_links_is_not_kept_as_an_article() -> None:
    html = b"<html><body><nav><a href='/'>Home</a><a href='/w'>World</a></nav></body></html>"
    entry = make_entry(summary=None)

    with pytest.raises(ExtractError) as caught:
        extract_article(make_result(html), entry, min_text_chars=200)

    # trafilatura without its fallback extractors finds no main text in navigation at all
    # (with them it kept "Home World", which the length check then refused).
    assert "no main text" in str(caught.value)


def test_day_only_page_date_yields_to_feed_timestamp_of_that_day() -> None:
    html = news_page().replace(
        '<meta property="article:published_time" content="2024-02-07T14:30:00+02:00">',
        '<meta name="date" content="2024-02-07">',
    )
    html = re.sub(r"<time[^>]*>[^<]*</time>", "", html)
    entry = make_entry(published=datetime(2024, 2, 7, 9, 5, tzinfo=UTC))

    article = extract_article(make_result(html.encode()), entry, min_text_chars=200)

    assert article.published == datetime(2024, 2, 7, 9, 5, tzinfo=UTC)


# --- article_from_entry and html_to_text --------------------------------------------------


def test_article_from_entry_prefers_the_longer_content_and_converts_html() -> None:
    entry = make_entry(
        summary="Talks stall.",
        content="<div><h2>Talks stall</h2><p>First &amp; foremost.</p><p>Second one.</p></div>",
        published=datetime(2024, 2, 7, 14, 45),
    )

    article = article_from_entry(entry, reason="page returned 403", http_status=403)

    assert article.text == "Talks stall\n\nFirst & foremost.\n\nSecond one."
    assert article.text_source == "feed"
    assert article.extract_note == "page returned 403"
    assert article.http_status == 403
    assert article.url == entry.url and article.canonical_url == entry.canonical_url
    assert article.published == datetime(2024, 2, 7, 14, 45, tzinfo=UTC)


def test_article_from_entry_without_text_raises() -> None:
    entry = make_entry(summary=None, content=None)

    with pytest.raises(ExtractError) as caught:
        article_from_entry(entry, reason="fetch failed")

    assert caught.value.url == entry.url
    assert "fetch failed" in str(caught.value)


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ("Plain text &amp; entities", "Plain text & entities"),
        ("First para.\n\n  Second\n para.", "First para.\n\nSecond para."),
        ("<p>One <em>big</em>\n deal</p><p>Two</p>", "One big deal\n\nTwo"),
        ("Line<br>next<br/>last", "Line\n\nnext\n\nlast"),
        ("<ul><li>a</li><li>b</li></ul>", "a\n\nb"),
        ("<p>Kept</p><script>track()</script><style>p{}</style>", "Kept"),
        ("", ""),
        ("<img src='pixel.gif'>", ""),
    ],
)
def test_html_to_text(fragment: str, expected: str) -> None:
    assert html_to_text(fragment) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-02-07", datetime(2024, 2, 7, tzinfo=UTC)),
        ("2024-02-07T14:30:00Z", datetime(2024, 2, 7, 14, 30, tzinfo=UTC)),
        ("2024-02-07T14:30:00-05:00", datetime(2024, 2, 7, 19, 30, tzinfo=UTC)),
        ("Wed, 07 Feb 2024 14:30:00 +0100", datetime(2024, 2, 7, 13, 30, tzinfo=UTC)),
        ("2024-02-07 14:30", datetime(2024, 2, 7, 14, 30, tzinfo=UTC)),
        ("yesterday", None),
        (None, None),
    ],
)
def test_parse_timestamp(value: str | None, expected: datetime | None) -> None:
    assert parse_timestamp(value) == expected


# --- quality on real pages ----------------------------------------------------------------


def _shingle_counts(text: str) -> Counter[tuple[str, ...]]:
    words = re.findall(r"\w+", text)
    return Counter(zip(words, words[1:], words[2:], words[3:], strict=False))


def _f1(predicted: str, expected: str) -> float:
    got, want = _shingle_counts(predicted), _shingle_counts(expected)
    overlap = sum((got & want).values())
    if not overlap:
        return 0.0
    precision = overlap / sum(got.values())
    recall = overlap / sum(want.values())
    return 2 * precision * recall / (precision + recall)


def test_shingle_f1_scores_overlap() -> None:
    truth = "one two three four five six seven eight"
    assert _f1(truth, truth) == 1.0
    assert _f1("nothing in common at all here", truth) == 0.0
    assert 0.0 < _f1("one two three four five xx yy zz", truth) < 1.0


def test_mean_shingle_f1_on_benchmark_sample() -> None:
    assert CORPUS.is_dir(), f"extraction benchmark missing at {CORPUS}"
    truth = json.loads((CORPUS / "ground-truth.json").read_text(encoding="utf-8"))
    sample = sorted(truth)[::9][:20]
    assert len(sample) == 20

    scores = []
    for item_id in sample:
        with gzip.open(CORPUS / "html" / f"{item_id}.html.gz") as page_file:
            html = page_file.read()
        page = extract_page(html)
        scores.append(_f1(page.text if page else "", truth[item_id]["articleBody"]))

    # Speed is measured by benchmarks/ (a shared machine makes a time limit here flaky).
    mean_f1 = sum(scores) / len(scores)
    assert mean_f1 >= 0.85, f"mean F1 {mean_f1:.3f} on {len(scores)} pages"


def test_a_page_misdeclared_as_latin1_is_read_as_utf8_and_noted() -> None:
    paragraph = "Caf\u00e9 owners said the talks went on. " * 20
    html = article_page("Caf\u00e9 talks resume", [paragraph])
    result = make_result(html.encode("utf-8"), encoding="iso-8859-1")
    article = extract_article(result, make_entry(), min_text_chars=100)
    assert "Caf\u00e9 owners" in article.text and "Ã©" not in article.text
    assert article.extract_note is not None and "valid UTF-8" in article.extract_note


def test_article_text_is_cut_before_the_engine() -> None:
    html = article_page("Long", [f"Paragraph {n} says " + f"word{n} " * 300 for n in range(10)])
    article = extract_article(
        make_result(html.encode()), make_entry(), min_text_chars=100, max_text_chars=3000
    )
    assert len(article.text) <= 3000
    assert article.extract_note is not None and "text cut" in article.extract_note
