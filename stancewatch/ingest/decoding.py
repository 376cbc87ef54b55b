"""Undo a body's Content-Encoding ourselves, never producing more than the size cap."""

from __future__ import annotations

import zlib

from stancewatch.errors import ContentEncodingError, TooLargeError

#: Codings we ask for (Accept-Encoding) and can undo.
ACCEPTED_CODINGS = ("gzip", "deflate")
_GZIP_NAMES = frozenset({"gzip", "x-gzip"})
_NO_CODING = frozenset({"", "identity"})


class BodyDecoder:
    """Streams raw body bytes in and decoded bytes out, at most `cap` of them.

    Only one coding is accepted: stacked codings (`gzip, gzip`) exist only to multiply a
    small download into a huge body, and no server needs them. Inflating uses zlib's
    `max_length`, so a bomb costs at most the cap in memory, never its expanded size.
    """

    def __init__(self, content_encoding: str | None, cap: int, *, url: str) -> None:
        codings = [
            coding.strip().lower()
            for coding in (content_encoding or "").split(",")
            if coding.strip().lower() not in _NO_CODING
        ]
        if len(codings) > 1:
            raise ContentEncodingError(
                f"stacked Content-Encoding {content_encoding!r} is not accepted "
                "(one gzip or deflate layer at most)",
                url=url,
            )
        coding = codings[0] if codings else None
        if coding is not None and coding not in _GZIP_NAMES and coding != "deflate":
            raise ContentEncodingError(f"unsupported Content-Encoding {coding!r}", url=url)
        self._coding = coding
        self._cap = cap
        self._url = url
        self._produced = 0
        self._inflater: zlib._Decompress | None = None
        self._raw_deflate_tried = False

    def feed(self, chunk: bytes) -> bytes:
        """Decoded bytes for the next raw chunk; raises TooLargeError past the cap."""
        if self._coding is None:
            return self._count(chunk)
        return self._inflate(chunk)

    def _count(self, data: bytes) -> bytes:
        self._produced += len(data)
        if self._produced > self._cap:
            raise TooLargeError(f"body exceeds the cap of {self._cap} bytes", url=self._url)
        return data

    def _new_inflater(self, *, raw_deflate: bool = False) -> zlib._Decompress:
        if self._coding in _GZIP_NAMES:
            return zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        return zlib.decompressobj(wbits=-zlib.MAX_WBITS if raw_deflate else zlib.MAX_WBITS)

    def _inflate(self, chunk: bytes) -> bytes:
        data = chunk
        out = bytearray()
        while data:
            if self._inflater is None:
                self._inflater = self._new_inflater()
            try:
                piece = self._inflater.decompress(data, self._cap - self._produced + 1)
            except zlib.error as exc:
                if self._coding == "deflate" and not self._raw_deflate_tried and not self._produced:
                    # Some servers send raw deflate without the zlib header RFC 9110 asks for.
                    self._raw_deflate_tried = True
                    self._inflater = self._new_inflater(raw_deflate=True)
                    continue
                raise ContentEncodingError(
                    f"corrupt {self._coding} data: {exc}", url=self._url
                ) from None
            out += self._count(piece)
            data = self._inflater.unconsumed_tail
            if self._inflater.eof:
                rest = self._inflater.unused_data
                if self._coding in _GZIP_NAMES and rest.strip(b"\0"):
                    # Concatenated gzip members form one body (RFC 1952).
                    self._inflater = None
                    data = rest
                else:
                    data = b""
        return bytes(out)
