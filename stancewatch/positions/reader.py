"""Read stated positions from text: who states what on which issue, which way, how we know."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from stancewatch.models import Statement, Watchlist
from stancewatch.positions.attribution import (
    REPORTING_VERBS,
    Discourse,
    find_frames,
    frame_at,
    quote_depths,
)
from stancewatch.positions.claims import headline_speaker
from stancewatch.positions.documents import authors_named, document_frames, may_name_document
from stancewatch.positions.issues import IssueFinder, IssueMention
from stancewatch.positions.matching import TermScanner
from stancewatch.positions.mentions import Mention, MentionFinder
from stancewatch.positions.offers import offer_names
from stancewatch.positions.relatedness import (
    ScopeFinder,
    article_relatedness,
    effective_scopes,
    scope_of,
)
from stancewatch.positions.sentence_stances import read_sentence
from stancewatch.positions.sentences import looks_like_title, split_sentences
from stancewatch.positions.units import Unit, to_statement

# Below this share of in-scope sentences an article belongs to another story.
RELATED_THRESHOLD = 0.5

_CONDITIONS_FOLLOW = re.compile(
    r"^[\"“]?(?:But only|Only if|Provided|On condition|As long as|(?:The|Our|Its|Their|"
    r"\w+'s) (?:conditions|terms|requirements) (?:are|include|remain)|Conditions include|"
    r"That (?:would )?require)",
)

_QUOTE_MARKS = ('"', "“", "”")
_OPENERS = ('"', "“")
_BULLETS = "-–—•*· "


@dataclass(frozen=True)
class Reading:
    """What one text says: statements (in-scope sentences only) and how related it is."""

    statements: tuple[Statement, ...]
    relatedness: float
    related: bool


class Reader:
    """Compiled once per watchlist: turns text into statements. Pure: no I/O, no state kept."""

    def __init__(self, watchlist: Watchlist) -> None:
        self.watchlist = watchlist
        self.mentions = MentionFinder(watchlist)
        names = self.mentions.names_of(watchlist)
        self.issues = IssueFinder(watchlist, names)
        self.scope = ScopeFinder(watchlist, names)
        self.scanner = TermScanner(
            [self.mentions.matcher, self.issues.matcher, self.scope.include, self.scope.exclude]
        )
        self.kinds = {a.id: a.kind for a in watchlist.actors}
        self.imposed = frozenset(i.id for i in watchlist.issues if i.concession == "no")

    def read(
        self,
        text: str,
        title: str | None = None,
        *,
        judge_scope: bool = True,
        explain: bool = False,
    ) -> Reading:
        """Statements of a text; an article about another story has none.

        judge_scope=False reads every sentence as in scope (seed documents define the story);
        explain=True gives each statement a trace of how it was read.
        """
        body = text
        if title is None:
            first, _, rest = text.strip().partition("\n")
            if looks_like_title(first, rest):
                title, body = first.strip(), rest
        sentences = [self._unit(s.text, s.index) for s in split_sentences(body)]
        title_scope = self.scope.classify(title) if title else None
        relatedness = article_relatedness([s.scope for s in sentences], title_scope)
        related = relatedness >= RELATED_THRESHOLD
        if not judge_scope:
            related = True
            for s in sentences:
                s.scope = "in"
            title_scope = "in" if title else None
        if not related:
            return Reading((), relatedness, False)
        scopes = effective_scopes([s.scope for s in sentences], "in")
        for s, scope in zip(sentences, scopes, strict=True):
            s.scope = scope
        units = sentences
        if title:
            units = [self._unit(title, -1, headline=True), *sentences]
            units[0].scope = title_scope or "none"
        self._prepare(units)
        statements: list[Statement] = []
        last_issues: list[IssueMention] = []
        for unit in units:
            found, objects = read_sentence(unit, last_issues, self.issues.package, self.imposed)
            if objects:
                last_issues = objects
            if unit.scope == "out":
                continue
            statements += [to_statement(unit, f, explain) for f in found]
        return Reading(tuple(statements), relatedness, True)

    def offers_named(self, text: str) -> frozenset[str]:
        """Every name any offer carries in a text ("the July proposal", "Hamas's offer"):
        read from the seed documents, the offers where things stood."""
        names: set[str] = set()
        for sentence in split_sentences(text):
            unit = self._unit(sentence.text, sentence.index)
            if not unit.issues:
                continue
            mentions = self.mentions.find(unit.text, unit.name_hits, pronouns=False)
            for obj in unit.issues:
                names.update(offer_names(unit.text, obj, mentions, None))
        return frozenset(names)

    def _unit(self, text: str, index: int, headline: bool = False) -> Unit:
        """A sentence with its names, issues and scope found in one pass over its words."""
        names, issues, inside, outside = self.scanner.scan(text)
        unit = Unit(text, index, headline, scope=scope_of(len(inside), len(outside)))
        unit.name_hits = names
        unit.issues = self.issues.find(text, issues)
        return unit

    # --- pass 1: mentions, reference, frames, quotes -------------------------------------------

    def _prepare(self, units: Sequence[Unit]) -> None:
        discourse = Discourse(kinds=self.kinds)
        authors: list[Mention] = []  # the authors of the document the text last named
        for unit in units:
            # Pronouns and frames matter only where a stance can be read or a quote's speaker
            # named; elsewhere the names alone keep the discourse up to date.
            needed = bool(unit.issues) or any(q in unit.text for q in _QUOTE_MARKS)
            raw = self.mentions.find(unit.text, unit.name_hits, pronouns=needed)
            resolved: list[Mention] = []
            for m in raw:
                if m.pronoun == "first":
                    resolved.append(m)
                    continue
                resolved.append(discourse.resolve(m, unit.index, resolved, None))
            unit.mentions = resolved
            speakers_known = bool(resolved) or (needed and bool(authors))
            document = speakers_known and may_name_document(unit.text)
            named_authors = authors_named(unit.text, resolved) if document and resolved else []
            authors = named_authors or authors
            if needed:
                unit.frames = find_frames(unit.text, resolved)
                if document and authors:
                    unit.frames = document_frames(unit.text, unit.frames, authors)
            # A document's authors are what a later "they" refers back to.
            discourse.remember(
                unit.index, [m for m in resolved if m.pronoun is None] + named_authors
            )
        body = [u for u in units if not u.headline]
        for unit, following in pairwise(body):
            if _CONDITIONS_FOLLOW.match(following.text):
                unit.conditioned_by_next = following.text
        depths = quote_depths([u.text for u in body])
        run: list[Unit] = []
        previous: Unit | None = None  # the last sentence, if it closed a quote with a speaker
        intro: Mention | None = None  # who a sentence ending in a colon introduces
        for unit, (starts_inside, ends_inside) in zip(body, depths, strict=True):
            quoted = starts_inside or ends_inside or "“" in unit.text or '"' in unit.text
            if not quoted:
                previous = None
                intro = introduced_speaker(unit)
                continue
            if not starts_inside:
                run = []
            run.append(unit)
            if not ends_inside and len(run) == 1 and _scare_quotes_only(unit.text):
                # 'urges Tehran to "without delay" report': a few quoted words inside the
                # narrator's sentence make no quote with a speaker.
                previous = None
                continue
            if not ends_inside:
                said = next(
                    (f for u in run for f in u.frames if f.kind == "named" and f.source), None
                )
                speaker = said.source if said is not None else None
                opens = run[0].text.lstrip(_BULLETS).startswith(_OPENERS)
                if speaker is None and opens and previous is not None:
                    # '"A," she said. "B."': a quote that follows the speaker's own is theirs.
                    speaker = previous.speaker
                elif speaker is None and opens and intro is not None and not _attributed(run):
                    # "A summary of the minister's remarks:" then quoted lines: the minister's.
                    speaker = intro
                    run[0].speaker_intro = True
                co_speakers = said.co_authors if said is not None else ()
                if said is None and previous is not None and speaker is previous.speaker:
                    co_speakers = previous.co_speakers
                for member in run:
                    member.speaker = speaker
                    member.co_speakers = co_speakers
                    member.speaker_intro = run[0].speaker_intro
                previous = unit if speaker is not None else None
        for unit in units:
            if unit.headline and unit.speaker is None:
                # "No deal amid zero enrichment demand: Iranian FM": the headline's speaker.
                unit.speaker = headline_speaker(unit.text, unit.mentions)
        for unit in units:
            # First-person pronouns and pronouns inside reported speech take the speaker.
            fixed: list[Mention] = []
            for m in unit.mentions:
                if m.actor is None and m.pronoun is not None:
                    frame = frame_at(unit.frames, m.start)
                    speaker = frame.source if frame and frame.source else unit.speaker
                    m = discourse.resolve(m, unit.index, fixed, speaker)
                fixed.append(m)
            unit.mentions = fixed


def introduced_speaker(unit: Unit) -> Mention | None:
    """The speaker a sentence ending in a colon introduces ("a summary of the foreign minister's
    comments to the channel:", "Holden told members:"): its last person, else its last owner
    or subject."""
    if not unit.text.rstrip().endswith(":"):
        return None
    named = [m for m in unit.mentions if m.actor and m.pronoun is None]
    for wanted in (
        [m for m in named if m.kind in ("person", "title")],
        [m for m in named if m.possessive or m.subject],
    ):
        if wanted:
            return wanted[-1]
    return None


_SPEECH_VERB_NEAR_QUOTE = re.compile(
    rf"[”\"],?\s+(?:\w+\s+){{0,4}}?(?:{REPORTING_VERBS})(?![\w-])|"
    rf"(?<![\w-])(?:{REPORTING_VERBS})\s*[:,]?\s*[“\"]",
    re.IGNORECASE,
)


def _attributed(run: Sequence[Unit]) -> bool:
    """Whether a quote names a speaker of its own, watchlisted or not ("…," said the CEO)."""
    return any(u.frames or _SPEECH_VERB_NEAR_QUOTE.search(u.text) for u in run)


_QUOTED_SPAN = re.compile(r"[“\"]([^”\"]*)[”\"]")


def _scare_quotes_only(text: str) -> bool:
    """Whether a sentence's quotes are only a few words inside the narrator's own words."""
    stripped = text.lstrip(_BULLETS)
    if stripped.startswith(_OPENERS):
        return False
    spans = _QUOTED_SPAN.findall(text)
    return bool(spans) and all(len(span.split()) <= 4 for span in spans)
