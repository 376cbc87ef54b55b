"""Tests for stancewatch.ingest.decoding: Content-Encoding undone under the size cap."""

from __future__ import annotations

import gzip
import zlib

import pytest

from stancewatch.errors import ContentEncodingError, TooLargeError
from stancewatch.ingest.decoding import BodyDecoder


def decode(data: bytes, coding: str | None, cap: int = 1000, chunk: int = 7) -> bytes:
    decoder = BodyDecoder(coding, cap, url="http://example.com/")
    return b"".join(decoder.feed(data[i : i + chunk]) for i in range(0, len(data), chunk))


@pytest.mark.parametrize(
    ("coding", "encode"),
    [
        (None, lambda d: d),
        ("identity", lambda d: d),
        ("gzip", gzip.compress),
        ("x-gzip", gzip.compress),
        ("deflate", zlib.compress),
        ("deflate", lambda d: zlib.compress(d)[2:-4]),  # raw deflate, no zlib header
    ],
)
def test_one_coding_round_trips(coding: str | None, encode: object) -> None:
    data = b"<p>caf\xc3\xa9</p>" * 20
    assert callable(encode)
    assert decode(encode(data), coding) == data


def test_concatenated_gzip_members_are_one_body() -> None:
    assert decode(gzip.compress(b"one ") + gzip.compress(b"two"), "gzip") == b"one two"


def test_a_bomb_stops_at_the_cap_without_inflating_the_rest() -> None:
    bomb = gzip.compress(b"\0" * 50_000_000)
    decoder = BodyDecoder("gzip", 10_000, url="http://example.com/")
    with pytest.raises(TooLargeError):
        decoder.feed(bomb)


@pytest.mark.parametrize("coding", ["gzip, gzip", "gzip,deflate", "deflate, gzip"])
def test_stacked_codings_are_refused(coding: str) -> None:
    with pytest.raises(ContentEncodingError, match="stacked"):
        BodyDecoder(coding, 1000, url="http://example.com/")


def test_unknown_codings_and_corrupt_data_are_errors() -> None:
    with pytest.raises(ContentEncodingError, match="unsupported"):
        BodyDecoder("br", 1000, url="http://example.com/")
    with pytest.raises(ContentEncodingError, match="corrupt"):
        decode(b"not gzip at all", "gzip")
