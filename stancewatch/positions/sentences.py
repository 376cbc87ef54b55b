"""Split news text into sentences, surviving abbreviations, initials, decimals and datelines."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Words that end with a period without ending the sentence (compared lower-cased, no period).
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "gen",
        "lt",
        "col",
        "maj",
        "sgt",
        "capt",
        "cmdr",
        "adm",
        "gov",
        "sen",
        "rep",
        "rev",
        "st",
        "jr",
        "sr",
        "prof",
        "pres",
        "no",
        "nos",
        "vol",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "vs",
        "etc",
        "inc",
        "corp",
        "ltd",
        "co",
        "dept",
        "est",
        "approx",
        "fig",
        "p",
        "pp",
        "ft",
        "mt",
        "u.s",
        "u.k",
        "u.n",
        "e.u",
        "u.s.a",
        "a.m",
        "p.m",
        "i.e",
        "e.g",
        "d.c",
    ]
)

# A period, question or exclamation mark, then closing quotes/brackets, then space.
_BOUNDARY = re.compile(r"([.!?]+)([\"'”’)\]]*)(\s+)")
_NEXT_STARTS_SENTENCE = re.compile(r"[\"“‘'(\[]*[A-Z0-9]")

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
# "GAZA CITY, March 3 (Reuters) -", "CAIRO/JERUSALEM, Feb 13 (AP) —", "WASHINGTON —",
# "February 07, 2024:", "(Reuters) -".
_DATELINE = re.compile(
    rf"""^(?:
        (?:[A-Z][A-Z.'’/-]*(?:\s+[A-Z][A-Z.'’/-]*)*)          # place in capitals
        (?:,\s*{_MONTH}\s+\d{{1,2}}(?:,\s*\d{{4}})?)?          # optional date
        (?:\s*\([A-Za-z .&-]+\))?                              # optional agency
        \s*[-–—:]+\s+
      | {_MONTH}\s+\d{{1,2}},?\s+\d{{4}}\s*[:\-–—]\s*          # date alone
      | \([A-Za-z .&-]+\)\s*[-–—]+\s*                           # agency alone
    )""",
    re.VERBOSE,
)


#: The month names, for date words ("the July proposal", "since March").
MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip


@dataclass(frozen=True)
class Sentence:
    """One sentence of a text, with where it sits."""

    text: str
    index: int  # position among the text's sentences, from 0
    paragraph: int  # position of its paragraph, from 0


# Small patterns of the functions below, compiled once.
_INITIALS = re.compile(r"(?:[A-Z]\.)*[A-Z]")


def strip_dateline(text: str) -> str:
    """Remove a leading dateline ("GAZA CITY, March 3 (Reuters) -") from a paragraph."""
    match = _DATELINE.match(text)
    if match and match.end() < len(text):
        return text[match.end() :]
    return text


def _ends_sentence(text: str, dot_at: int, punct: str) -> bool:
    """Whether the punctuation at dot_at really closes a sentence."""
    if punct != ".":
        return True
    start = dot_at
    while start > 0 and not text[start - 1].isspace() and text[start - 1] not in '"“(':
        start -= 1
    word = text[start:dot_at]
    if not word:
        return True
    if word.lower().rstrip(".") in _ABBREVIATIONS:
        return False
    # A single initial ("John F. Kennedy") or dotted initials ("U.S", "D.C").
    return not _INITIALS.fullmatch(word)


def split_paragraph(paragraph: str) -> list[str]:
    """Split one paragraph into sentence strings."""
    out: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(paragraph):
        end_of_punct = match.end(2)
        # Matched in place: slicing off the rest of the paragraph at each boundary would copy it.
        if not _NEXT_STARTS_SENTENCE.match(paragraph, match.end()):
            continue
        if not _ends_sentence(paragraph, match.start(1), match.group(1)):
            continue
        piece = paragraph[start:end_of_punct].strip()
        if piece:
            out.append(piece)
        start = match.end()
    tail = paragraph[start:].strip()
    if tail:
        out.append(tail)
    return out


# An editor's words put into a quote ("is not [on the agenda]"): read as part of the sentence.
# Words (several, or a name) in brackets between words; not markup such as "![p](...)" or
# "[b]", which is left as written.
_EDITORIAL_INSERT = re.compile(
    r"(?<![!\w\]])\[((?-i:[A-Z])[^\[\]]{0,79}|[^\[\]]{0,39}\w \w[^\[\]]{0,39})\](?![(\w])"
)


def split_sentences(text: str) -> list[Sentence]:
    """Split a text into sentences; each non-empty line is a paragraph."""
    sentences: list[Sentence] = []
    paragraph_index = 0
    for line in text.splitlines():
        line = " ".join(line.split())
        if not line:
            continue
        line = strip_dateline(line)
        if "[" in line:
            line = _EDITORIAL_INSERT.sub(r"\1", line)
        for piece in split_paragraph(line):
            sentences.append(Sentence(piece, len(sentences), paragraph_index))
        paragraph_index += 1
    return sentences


def looks_like_title(first_line: str, rest: str) -> bool:
    """Whether a text's first line is a headline rather than its first sentence."""
    line = first_line.strip()
    if not line or not rest.strip():
        return False
    if line[-1] in '.!?"”’' and len(line.split()) > 12:
        return False
    return len(line.split()) <= 25 and not line.endswith(":")
