"""Ingest: download feeds and pages with one guarded HTTP client, parse feeds, extract article text.

Other stages use only the names below; the modules behind them are this stage's own. Each
module is imported on first use (httpx, feedparser and trafilatura are slow to load).
"""

from typing import TYPE_CHECKING

from stancewatch.lazy import lazy_names

if TYPE_CHECKING:
    from stancewatch.ingest.charset import decode_text, sniff_encoding
    from stancewatch.ingest.extract import article_from_entry, extract_article, extract_page
    from stancewatch.ingest.feed_list import disabled_feeds_warning, load_feed_list
    from stancewatch.ingest.feeds import parse_feed, unique_entries
    from stancewatch.ingest.fetch import FEED_ACCEPT, HttpClient

__all__ = [
    "FEED_ACCEPT",
    "HttpClient",
    "article_from_entry",
    "decode_text",
    "disabled_feeds_warning",
    "extract_article",
    "extract_page",
    "load_feed_list",
    "parse_feed",
    "sniff_encoding",
    "unique_entries",
]

__getattr__ = lazy_names(
    __name__,
    {
        "FEED_ACCEPT": "fetch",
        "HttpClient": "fetch",
        "article_from_entry": "extract",
        "decode_text": "charset",
        "disabled_feeds_warning": "feed_list",
        "extract_article": "extract",
        "extract_page": "extract",
        "load_feed_list": "feed_list",
        "parse_feed": "feeds",
        "sniff_encoding": "charset",
        "unique_entries": "feeds",
    },
)
