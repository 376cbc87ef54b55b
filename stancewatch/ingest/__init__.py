"""Ingest: download feeds and pages with one guarded HTTP client, parse feeds, extract article text.

Other stages use only the names below; the modules behind them are this stage's own.
"""

from stancewatch.ingest.charset import decode_text, sniff_encoding
from stancewatch.ingest.extract import article_from_entry, extract_article, extract_page
from stancewatch.ingest.feeds import (
    disabled_feeds_warning,
    load_feed_list,
    parse_feed,
    unique_entries,
)
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
