"""The error hierarchy: context in messages, stages and exit codes."""

from __future__ import annotations

from stancewatch.errors import (
    ConfigError,
    DatabaseBusyError,
    ExtractError,
    FeedParseError,
    FetchError,
    HTTPStatusError,
    ItemError,
    StancewatchError,
)


def test_message_carries_file_feed_and_url() -> None:
    error = ConfigError("bad value", file="seeds/watchlist.toml")
    assert str(error) == "seeds/watchlist.toml: bad value"
    fetch = HTTPStatusError("HTTP 500", status=500, url="http://x/a", feed="wire")
    assert str(fetch) == "HTTP 500 (feed=wire, url=http://x/a)"
    assert fetch.status == 500


def test_stages_and_exit_codes() -> None:
    assert FetchError("x").stage == "fetch"
    assert FeedParseError("x").stage == "parse"
    assert ExtractError("x").stage == "extract"
    assert ConfigError("x").exit_code == 2
    assert DatabaseBusyError("x").exit_code == 3
    assert issubclass(HTTPStatusError, ItemError)
    assert issubclass(ItemError, StancewatchError)
