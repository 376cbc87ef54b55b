"""Neutralise stored text for the place it is shown: a terminal, a CSV cell or a JSON document.

Feed titles, links, error messages and evidence sentences come from servers nobody here
controls. Stored as received, they are made harmless only on the way out, per format.
"""

from __future__ import annotations

import re

#: What replaces a control character: visible, so a reader sees that something was there.
REPLACEMENT = "\N{REPLACEMENT CHARACTER}"

# Embeddings, overrides and isolates reorder what a terminal or editor shows ("Trojan
# Source"); LRM/RLM/ALM only mark direction, are common in Arabic and Hebrew text, and stay.
_BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"
# C0 controls but tab and newline, DEL, C1 controls (0x9b is a one-byte CSI on some
# terminals), bidi controls, and the Unicode line/paragraph separators.
_UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI_CONTROLS}\u2028\u2029]")
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x0b\x0c\x85]")
_WHITESPACE_RUN = re.compile(r"\s+")

#: A spreadsheet reads a cell starting with one of these as a formula (OWASP CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def terminal_text(text: str) -> str:
    """Text for a terminal or a text file: line breaks kept, every other control replaced.

    Carriage returns become newlines (a lone CR would let a line overwrite the one before).
    """
    return _UNSAFE.sub(REPLACEMENT, _LINE_BREAKS.sub("\n", text))


def terminal_line(text: str) -> str:
    """Text for one line or table cell: whitespace runs (newlines, tabs) become one space."""
    return _WHITESPACE_RUN.sub(" ", terminal_text(text)).strip()


def csv_cell(text: str) -> str:
    """A stored string as a CSV cell: controls replaced, formula starts defused with a quote.

    OWASP's rule: a cell beginning with =, +, -, @, tab or carriage return is prefixed with a
    single quote, so a spreadsheet shows it as text instead of evaluating it.
    """
    if text.startswith(_FORMULA_STARTS):
        text = "'" + text
    return terminal_text(text)


def json_document(serialized: str) -> str:
    """A JSON document with the controls json.dumps leaves raw written as \\u escapes.

    json.dumps escapes only C0 controls; with ensure_ascii=False, DEL, C1 and bidi controls
    would reach the terminal. Escaped, they still decode to the same stored value.
    """
    return _UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", serialized)
