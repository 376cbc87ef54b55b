"""Documents as speakers: whose statement a text names, and where the document speaks."""

from __future__ import annotations

import re
from collections.abc import Sequence

from stancewatch.positions.attribution import REPORTING_VERBS, Frame, content_span, frame_at
from stancewatch.positions.holders import LIST_GAP
from stancewatch.positions.mentions import Mention
from stancewatch.positions.units import Unit

#: The nouns for a document a body issues ("communiqu" covers communiqué and communique).
DOCUMENT_NOUNS = ("statement", "declaration", "communiqu", "memorandum", "document", "letter")
_DOCUMENT = (
    r"(?:joint\s+|final\s+|written\s+)?(?:"
    + "|".join(n + "[eé]" if n == "communiqu" else n for n in DOCUMENT_NOUNS)
    + r")s?"
)


def may_name_document(text: str) -> bool:
    """A cheap pre-check: whether a sentence may name a document (most do not)."""
    low = text.lower()
    return any(noun in low for noun in DOCUMENT_NOUNS)


# "a joint statement of European leaders", "the memorandum from Moscow", "a declaration signed
# by A, B and C": the document, then its authors.
_OF_AUTHORS = re.compile(
    rf"\b{_DOCUMENT}\s+(?:(?:issued|released|signed|published|sent|adopted)\s+)?(?:of|by|from)\s+$",
    re.IGNORECASE,
)
# "The Russian memorandum", "Hamas's statement": the author before the document.
_AUTHOR_BEFORE = re.compile(rf"^(?:['’]s?)?\s+{_DOCUMENT}\b", re.IGNORECASE)
# "A and B issued a joint statement", "the leaders of A and B signed a declaration".
_AUTHORS_ISSUED = re.compile(
    rf"^\s+(?:(?:also|jointly|later|on \w+)\s+)?(?:issued|released|published|signed|adopted|"
    rf"sent|put out)\s+(?:a|an|the|their|its|his|her)\s+(?:[\w-]+\s+){{0,2}}?{_DOCUMENT}\b",
    re.IGNORECASE,
)
# "..., the statement said", "The declaration says: ...", "said the communiqué".
_DOCUMENT_SPEAKS = re.compile(
    rf"\b(?:the|this|that|its|their)\s+{_DOCUMENT}\s+(?:also\s+)?"
    rf"(?P<a>{REPORTING_VERBS}|reads|read)(?![\w-])"
    rf"|(?<![\w-])(?P<b>{REPORTING_VERBS}|reads)\s+the\s+{_DOCUMENT}\b",
    re.IGNORECASE,
)


def authors_named(text: str, mentions: Sequence[Mention]) -> list[Mention]:
    """The actors a sentence names as a document's authors (the first of a list, then the
    rest), as subjects a later "they" or "the statement said" can refer back to."""
    named = [m for m in mentions if m.actor and m.pronoun is None]
    for k, m in enumerate(named):
        authors: list[Mention] = []
        if _OF_AUTHORS.search(text, max(0, m.start - 80), m.start):
            authors = _listed(text, named[k:])
        elif (m.possessive or m.kind == "adjective") and _AUTHOR_BEFORE.match(text[m.end :]):
            authors = [m]
        else:
            group = _listed(text, named[k:])
            if _AUTHORS_ISSUED.match(text[group[-1].end :]):
                authors = group
        if authors:
            return [a._replace(subject=True, possessive=False) for a in authors]
    return []


def _listed(text: str, named: Sequence[Mention]) -> list[Mention]:
    out = [named[0]]
    for m in named[1:]:
        if not LIST_GAP.fullmatch(text, out[-1].end, m.start):
            break
        out.append(m)
    return out


def document_frames(text: str, frames: list[Frame], authors: Sequence[Mention]) -> list[Frame]:
    """Frames where the document speaks ("…, the statement said") given its authors as the
    speaker, the other authors as partners."""
    spoken = _DOCUMENT_SPEAKS.search(text)
    if spoken is None or not authors:
        return frames
    verb = "a" if spoken.group("a") else "b"
    verb_start, verb_end = spoken.start(verb), spoken.end(verb)
    source = authors[0]
    others = tuple(a for a in authors[1:] if a.actor != source.actor)
    partners = tuple(a.actor or "" for a in others)
    out = [f for f in frames if not (f.verb_start <= verb_start < f.verb_end)]
    content_start, content_end = content_span(text, spoken.start(), verb_end)
    out.append(
        Frame(verb_start, verb_end, source, "named", content_start, content_end, partners, others)
    )
    return out


def with_co_authors(holders: list[Mention], co_authors: Sequence[Mention]) -> list[Mention]:
    """A document's holder with its other authors: what the declaration says, each signer holds."""
    known = {h.actor for h in holders}
    return holders + [a for a in co_authors if a.actor not in known]


def document_co_authors(
    holders: Sequence[Mention], unit: Unit, position: int
) -> tuple[Mention, ...]:
    """The other authors of the document a holder speaks through ("the declaration says")."""
    if not unit.co_speakers and not any(f.co_authors for f in unit.frames):
        return ()
    frame = frame_at(unit.frames, position)
    if frame is not None and frame.co_authors and any(h == frame.source for h in holders):
        return frame.co_authors
    speaker = unit.speaker
    if unit.co_speakers and any(h == speaker or h.antecedent == speaker for h in holders):
        return unit.co_speakers
    return ()
