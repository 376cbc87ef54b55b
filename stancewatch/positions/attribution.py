"""Who is speaking in a sentence: reporting frames, quotes, and local reference resolution."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from stancewatch.positions.matching import PrefixedRegex, split_alternatives
from stancewatch.positions.mentions import Mention, with_actor

REPORTING_VERBS = (
    r"said|says|say|saying|told|tells|tell|stated|states|announced|announces|added|adds|"
    r"warned|warns|insisted|insists|argued|argues|claimed|claims|noted|notes|stressed|"
    r"stresses|emphasi[sz]ed|emphasi[sz]es|asserted|asserts|reiterated|reiterates|declared|"
    r"declares|wrote|writes|posted|confirmed|confirms|explained|indicated|suggested|suggests|"
    r"acknowledged|affirmed|maintained|maintains|repeated|signal(?:l)?ed|hinted|reported|"
    r"believes|believed|conceded|admitted|responded|replied|vowed|pledged|promised|"
    r"countered|charged|alleged|revealed|disclosed|briefed|quoted|suggest|warn|claim|insist|"
    r"argue|note|stress|assert|confirm|indicate|believe|maintain|report|reports|add|state|"
    r"announce|reiterate|emphasi[sz]e|signal|signals|hint|hints|insisting|warning|adding|"
    r"noting|stressing|stating|arguing|claiming|announcing"
)
_VERB = re.compile(rf"(?<![\w-])(?:{REPORTING_VERBS})(?![\w-])", re.IGNORECASE)
_VERB_FINDER = PrefixedRegex(split_alternatives(REPORTING_VERBS), re.IGNORECASE, r"(?![\w-])")
_ACCORDING = re.compile(r"(?<![\w])(?:according to|citing|in the words of)\s+", re.IGNORECASE)

# Speakers the text leaves unnamed: their word is "reported", whoever's position it states.
_UNNAMED = re.compile(
    r"(?<![\w])(?:sources?|officials?|an official|people|a person|persons|diplomats?|insiders?|"
    r"spokes(?:man|woman|person)|aides?|negotiators?|reports?|media|outlets?)(?![\w])"
    r"(?:\s+(?:close to|familiar with|in|from|with knowledge of|briefed on|involved in|"
    r"privy to|near)\b)?",
    re.IGNORECASE,
)
_OFFICIAL = re.compile(
    r"(?:an official|officials?|spokes(?:man|woman|person)|aides?|negotiators?)\b"
    r"(?!\s+(?:close|familiar))",
    re.IGNORECASE,
)
# Speakers who are someone else by their nature (they describe actors, they do not speak for them).
_OUTSIDER = re.compile(
    r"(?<![\w])(?:analysts?|experts?|observers?|critics?|commentators?|scholars?|"
    r"researchers?|residents?|witnesses?|families|relatives|protesters?|mediators?)(?![\w])",
    re.IGNORECASE,
)
# "A WHO official", "a U.N. spokesman": an unnamed speaker of a body that is not watchlisted.
_FOREIGN_BODY = re.compile(
    r"(?<![\w])(?:[Aa]n?|[Tt]he)\s+(?:[A-Z][A-Za-z.&]*\s+){1,3}(?:officials?|spokes(?:man|woman|person)|"
    r"sources?|agency|organi[sz]ation)(?![\w])"
)
_NAMED_PERSON = re.compile(r"(?:[A-Z][a-z'’-]+\s+){1,3}$")
_CLAUSE_START = re.compile(r"[;:]\s|[!?][\"”’]?\s|\s(?:but|while|whereas|although)\s")
_REPORTED_MARKERS = re.compile(
    r"(?<![\w])(?:reportedly|is said to|are said to|was said to|were said to|it is understood|"
    r"according to (?:reports|media|sources|people|officials|a source|a person))(?![\w])",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Frame:
    """A reporting frame: a speaker, the verb, and the span of what they are reported to say."""

    verb_start: int
    verb_end: int
    source: Mention | None  # the speaking actor's mention, if the speaker is watchlisted
    kind: str  # named | unnamed | outsider | unknown
    content_start: int
    content_end: int
    partners: tuple[str, ...] = ()  # actors speaking together with the source ("Qatar and Egypt")
    # A document's other authors ("the declaration says", signed by A, B and C): each holds
    # what the document states, as the source does.
    co_authors: tuple[Mention, ...] = ()

    def covers(self, position: int) -> bool:
        return self.content_start <= position < self.content_end

    def speaks_for(self, actor: str) -> bool:
        return self.source is not None and (self.source.actor == actor or actor in self.partners)


# Small patterns of the functions below, compiled once.
#: What joins the members of a list of names: a comma, "and" or both.
LIST_JOINER = re.compile(r"\s*(?:,|and|,\s*and)\s*")
_INVERSION_GAP = re.compile(r"\s+(?:on \w+\s+)?")
_AFTER_QUOTE_OR_COMMA = re.compile(r"[,\"”]\s*$")
_DEFINITE_BEFORE = re.compile(r"\bthe\s+(?:\w+\s+)?$", re.IGNORECASE)
_CLAUSE_PUNCT = re.compile(r"[,;:]")
_RELATIVE_WORD = re.compile(r"\b(?:that|which|who)\b")
_PHRASE_END = re.compile(r",|;|\.\s|\.$")


def find_frames(text: str, mentions: Sequence[Mention]) -> list[Frame]:
    """Reporting frames in one sentence ("X said ...", "..., said X", "according to X")."""
    frames: list[Frame] = []
    for m in _ACCORDING.finditer(text):
        phrase_end = _phrase_end(text, m.end())
        source = _first_mention(mentions, m.end(), phrase_end)
        phrase = text[m.end() : phrase_end]
        kind = "unnamed" if _UNNAMED.match(phrase) or source is None else "named"
        if _OUTSIDER.match(phrase):
            kind = "outsider"
        if m.start() < 3:
            frames.append(Frame(m.start(), m.end(), source, kind, phrase_end, len(text)))
        else:
            frames.append(Frame(m.start(), m.end(), source, kind, 0, m.start()))
    for m in _VERB_FINDER.finditer(text):
        if text[m.start()].isupper() and any(x.start <= m.start() < x.end for x in mentions):
            continue  # "the United States" names an actor; "States" reports nothing
        frame = _verb_frame(text, mentions, m.start(), m.end())
        if frame is not None and frame.source is not None:
            frame = replace(frame, partners=_partners(text, mentions, frame.source))
        if frame is not None:
            frames.append(frame)
    return _clip_at_next_speaker(text, frames)


# "X said A, but Y said B": a new clause opens with a new speaker.
_NEW_CLAUSE = re.compile(r",?\s+(?:but|while|whereas|and)\s+|;\s+", re.IGNORECASE)


def _clip_at_next_speaker(text: str, frames: list[Frame]) -> list[Frame]:
    """End a frame's content where a later clause brings its own named speaker."""
    out = []
    for f in frames:
        end = f.content_end
        for g in frames:
            if g.source is None or g.verb_start <= f.verb_end or g.kind != "named":
                continue
            if f.source is not None and g.source.actor == f.source.actor:
                continue
            if not f.covers(g.source.start):
                continue
            breaks = [
                b
                for b in _NEW_CLAUSE.finditer(text, f.verb_end, g.source.start)
                if not text[b.end() : g.source.start].strip(" ,")
                or len(text[b.end() : g.source.start].split()) <= 2
            ]
            if breaks:
                end = min(end, breaks[-1].start())
        out.append(replace(f, content_end=end) if end != f.content_end else f)
    return out


def _partners(text: str, mentions: Sequence[Mention], source: Mention) -> tuple[str, ...]:
    """Actors coordinated with a speaker: "Qatar and Egypt said" gives Qatar for Egypt."""
    out: list[str] = []
    current = source
    for m in reversed([m for m in mentions if m.end <= source.start and m.actor]):
        if not LIST_JOINER.fullmatch(text[m.end : current.start]):
            break
        out.append(m.actor or "")
        current = m
    return tuple(out)


# "CNN, citing sources, claimed that ...": a sourcing aside between a speaker and its verb.
_CITING_ASIDE = re.compile(r",\s*(?:citing|quoting)\s+[^,;:]{1,80},\s*$", re.IGNORECASE)


def _verb_frame(text: str, mentions: Sequence[Mention], start: int, end: int) -> Frame | None:
    clause_start = 0
    for b in _CLAUSE_START.finditer(text, 0, start):
        clause_start = b.end()
    aside = _CITING_ASIDE.search(text, clause_start, start)
    if aside is not None:
        return _cited_frame(text, mentions, clause_start, aside.start(), start, end)
    comma = text.rfind(",", clause_start, start)
    if comma >= 0 and len(text[comma:start].split()) <= 10:
        clause_start = comma + 1  # the speaker's phrase: "..., two sources familiar with it said"
    head = text[clause_start:start]
    # Inverted: '"...," said Netanyahu' / '..., a Hamas official said.' after a quote or comma.
    after = text[end : end + 90]
    inverted = _INVERSION_GAP.match(after) is not None and _AFTER_QUOTE_OR_COMMA.search(head)
    if inverted:
        source = _first_mention(mentions, end, min(len(text), end + 90))
        if source is not None and not source.possessive:
            return Frame(start, end, source, "named", 0, start)
        unnamed = _UNNAMED.match(after.lstrip())
        if unnamed:
            return Frame(start, end, _first_mention(mentions, end, end + 60), "unnamed", 0, start)
    source = _last_mention(mentions, clause_start, start)
    words_between = len(text[source.end : start].split()) if source else 99
    unnamed = _UNNAMED.search(head)
    outsider = _OUTSIDER.search(head) or _FOREIGN_BODY.search(head)
    if outsider and (source is None or outsider.start() > source.end - clause_start):
        return Frame(
            start, end, None, "outsider", *content_span(text, clause_start + outsider.start(), end)
        )
    if unnamed and (source is None or unnamed.end() + clause_start <= source.start - 12):
        # "sources close to Hamas said" is unnamed; "spokesperson He Yuning said" is named.
        near = _first_mention(mentions, clause_start + unnamed.end(), start)
        definite = _DEFINITE_BEFORE.search(head[: unnamed.start()])
        if _OFFICIAL.match(unnamed.group(0)) and (near is not None or definite):
            # "a senior official of the group said", "the official said" (named before): the
            # actor's own official speaks.
            # "a senior official of the group said": the actor's own official speaks.
            return Frame(
                start, end, near, "named", *content_span(text, clause_start + unnamed.start(), end)
            )
        return Frame(
            start, end, near, "unnamed", *content_span(text, clause_start + unnamed.start(), end)
        )
    if source is not None and words_between <= 12:
        return Frame(start, end, source, "named", *content_span(text, source.start, end))
    stripped = head.rstrip()
    person = _NAMED_PERSON.search(stripped)
    if person and not stripped.endswith(("The", "It")):
        return Frame(
            start, end, None, "unknown", *content_span(text, clause_start + person.start(), end)
        )
    return None


def _cited_frame(
    text: str, mentions: Sequence[Mention], clause_start: int, aside: int, start: int, end: int
) -> Frame:
    """The frame of "X, citing sources, claimed that ...": X's claim, whoever X cites.

    A speaker that is no watchlisted actor (an outlet, a broadcaster) makes what follows its
    account of the actors it names, not their own stated positions.
    """
    subject_start = max(clause_start, text.rfind(",", clause_start, aside) + 1)
    source = _last_mention(mentions, subject_start, aside)
    if source is not None:
        return Frame(start, end, source, "named", end, len(text))
    return Frame(start, end, None, "outsider", end, len(text))


# What may follow a verb that closes its sentence: "..., officials said on Tuesday.", and in
# wire style a bare day: "..., the envoy said Tuesday, after ...".
_CLOSING_TAIL = re.compile(
    r"^\s*(?:(?:on|in|at|to|late|early|earlier|last|this|during|after|before|while|from|"
    r"told|speaking|without|monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|"
    r"yesterday|tonight)\b[^.]{0,60})?[\s.\"”’)]*$",
    re.IGNORECASE,
)


def content_span(text: str, subject_start: int, verb_end: int) -> tuple[int, int]:
    """Where the reported content lies: after the verb, or before the speaker when the
    attribution closes the sentence ("France has agreed ..., a German official said.")."""
    comma = text.rfind(",", 0, subject_start)
    tail = _CLAUSE_PUNCT.split(text[verb_end:], maxsplit=1)[0]
    relative = _RELATIVE_WORD.search(text[comma:subject_start]) if comma > 0 else None
    if comma > 0 and not relative and _CLOSING_TAIL.match(tail):
        return 0, comma
    return verb_end, len(text)


def _phrase_end(text: str, start: int) -> int:
    m = _PHRASE_END.search(text[start:])
    return start + m.start() if m else len(text)


def _first_mention(mentions: Sequence[Mention], start: int, end: int) -> Mention | None:
    return next((m for m in mentions if start <= m.start < end and m.actor is not None), None)


def _last_mention(mentions: Sequence[Mention], start: int, end: int) -> Mention | None:
    inside = [
        m
        for m in mentions
        if start <= m.start and m.end <= end and m.actor is not None and m.subject
    ]
    return inside[-1] if inside else None


def weakest_frame(frames: Sequence[Frame], position: int, actor: str) -> Frame | None:
    """Of the frames around a position, the one that weakens attribution most for an actor:
    someone else's claim, then an unnamed source, then the actor's own words."""
    covering = [f for f in frames if f.covers(position)]
    if not covering:
        return None

    def weakness(f: Frame) -> int:
        if f.kind in ("outsider", "unknown") or (f.source is not None and not f.speaks_for(actor)):
            return 0 if f.kind != "unnamed" else 1
        return 1 if f.kind == "unnamed" else 2

    return min(covering, key=weakness)


def frame_at(frames: Sequence[Frame], position: int) -> Frame | None:
    """The innermost reporting frame whose content holds a position."""
    covering = [f for f in frames if f.covers(position)]
    if not covering:
        return None
    return max(covering, key=lambda f: f.content_start)


def reported_marker(text: str) -> bool:
    """Whether the sentence hedges its source ("reportedly", "according to reports")."""
    return _REPORTED_MARKERS.search(text) is not None


_QUOTE_MARK = re.compile('[“”"]')

# --- quotes -----------------------------------------------------------------------------------


def quote_depths(sentences: Sequence[str]) -> list[tuple[bool, bool]]:
    """For each sentence: (starts inside a quote, ends inside a quote)."""
    inside = False
    out = []
    for text in sentences:
        start_inside = inside
        for mark in _QUOTE_MARK.findall(text):
            inside = mark == "“" or (mark == '"' and not inside)
        out.append((start_inside, inside))
    return out


# --- reference ----------------------------------------------------------------------------------

_WINDOW = 3  # sentences a pronoun or title may reach back


@dataclass
class Discourse:
    """What the last few sentences named, for resolving pronouns, titles and role nouns."""

    recent: list[tuple[int, Mention]] = field(default_factory=list)
    kinds: Mapping[str, str] = field(default_factory=dict)

    def remember(self, index: int, mentions: Sequence[Mention]) -> None:
        self.recent += [(index, m) for m in mentions if m.actor is not None]
        self.recent = [(i, m) for i, m in self.recent if index - i <= _WINDOW]

    def _candidates(self, index: int, before: Sequence[Mention]) -> list[Mention]:
        earlier = [m for i, m in self.recent if index - i <= _WINDOW]
        return [*earlier, *[m for m in before if m.actor is not None]]

    def resolve(
        self,
        mention: Mention,
        index: int,
        before: Sequence[Mention],
        speaker: Mention | None,
    ) -> Mention:
        """Resolve a pronoun or an ambiguous title to the most recent compatible actor."""
        if mention.actor is not None and mention.kind != "title":
            return mention
        pool = self._candidates(index, before)
        if mention.kind == "title":
            if mention.actor is not None:
                return mention
            wanted = {person for _, person in mention.candidates}
            for m in reversed(pool):
                if m.person in wanted and m.actor is not None:
                    return with_actor(mention, m.actor, m.person, m)
            return mention
        kind = mention.pronoun
        if kind == "first":
            if speaker is not None and speaker.actor is not None:
                return with_actor(mention, speaker.actor, speaker.person, speaker)
            return mention
        if kind == "person":
            if speaker is not None and speaker.person and speaker.actor:
                return with_actor(mention, speaker.actor, speaker.person, speaker)
            people = [m for m in pool if m.person]
            if people:
                return with_actor(mention, people[-1].actor or "", people[-1].person, people[-1])
            # "A U.S. spokesman said ... '...,' he said": an unnamed official, the last
            # sentence's subject.
            opener = [m for i, m in self.recent if i == index - 1 and m.subject and m.start < 25]
            opener = opener[:1]
            return (
                with_actor(mention, opener[0].actor or "", None, opener[0]) if opener else mention
            )
        wanted_kind = {"group": "group", "state": "state"}.get(kind or "")
        if (
            speaker is not None
            and speaker.actor
            and not speaker.person
            and (wanted_kind is None or self.kinds.get(speaker.actor) == wanted_kind)
        ):
            return with_actor(mention, speaker.actor, None, speaker)
        things = [
            m
            for m in pool
            if m.subject
            and not m.person
            and m.kind != "adjective"
            and (wanted_kind is None or self.kinds.get(m.actor or "") == wanted_kind)
        ]
        return with_actor(mention, things[-1].actor or "", None, things[-1]) if things else mention
