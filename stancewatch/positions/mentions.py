"""Find where a sentence names a watchlisted actor: names, roles, people, adjectives, pronouns."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from stancewatch.models import Watchlist
from stancewatch.positions.matching import Hit, PrefixedRegex, name_matcher
from stancewatch.positions.terms import normalise
from stancewatch.positions.titles import office_spellings

# Nouns for people and bodies that speak ("Israeli officials", "a Hamas spokesman"): after an
# adjective they make the adjective a speaker; on their own they are anonymous speakers.
AGENT_NOUNS = (
    r"officials?|spokes(?:man|woman|person|people)|leaders?|leadership|negotiators?|"
    r"delegations?|government|authorities|ministers?|ministry|president|prime minister|"
    r"premier|military|army|cabinet|sources?|diplomats?|envoys?|representatives?|side|"
    r"team|mediators?|aides?|advis[eo]rs?|commanders?|officers?|statement|administration|"
    r"security officials?|intelligence officials?|counterparts?|figures?|members?|chief|head|"
    r"foreign ministry|embassy|mission|office|parliament|lawmakers?|politicians?|media|"
    r"forces|troops|soldiers|army"
)
_AGENT_AFTER = re.compile(rf"\s+(?:[a-z]+\s+)?(?:{AGENT_NOUNS})(?![\w])", re.IGNORECASE)
_POSSESSIVE_AFTER = re.compile(r"['’](?:s(?![\w]))?")
_PREPOSITION_WORDS = (
    "with|to|from|of|for|against|on|by|in|at|over|between|among|about|toward|"
    "towards|into|upon|than|under|including|across|near|via|after|like|per|through|"
    "behind|besides|amid|despite|as"
)
_PREPOSITION_BEFORE = re.compile(rf"(?<![\w])(?:{_PREPOSITION_WORDS})\s+$", re.IGNORECASE)
_PREPOSITIONS = frozenset(_PREPOSITION_WORDS.split("|"))
_COORDINATED_BEFORE = re.compile(r"(?<![\w])(?:and|or)\s+$")

PRONOUNS = re.compile(
    r"(?<![\w-])(?:(?P<person>he|she|his|him|her)"
    r"|(?P<thing>it|its|they|their|them)"
    r"|(?P<first>we|our|(?-i:us)|(?-i:I)|my)"
    r"|(?P<group>the (?:group|movement|organi[sz]ation|militants|faction))"
    r"|(?P<state>the (?:government|country|administration|state|cabinet)))(?![\w-])",
    re.IGNORECASE,
)
_PRONOUN_FINDER = PrefixedRegex(
    [
        ("person", "he|she|his|him|her"),
        ("thing", "it|its|they|their|them"),
        ("first", "we|our|(?-i:us)|(?-i:I)|my"),
        ("group", "the (?:group|movement|organi[sz]ation|militants|faction)"),
        ("state", "the (?:government|country|administration|state|cabinet)"),
    ],
    re.IGNORECASE,
    r"(?![\w-])",
)

# Small patterns of the functions below, compiled once.
_WORD_BEFORE_CONJUNCTION = re.compile(r"([\w'’.-]+),?\s+(?:and|or)\s+$")


class Mention(NamedTuple):
    """A place in a sentence that names an actor (or a pronoun that may refer to one).

    A named tuple rather than a frozen dataclass: every name and pronoun read makes one (and
    every resolved reference another), and a tuple is built several times faster.
    """

    start: int
    end: int
    text: str
    kind: str  # name | role | person | title | adjective | pronoun
    actor: str | None  # None for a pronoun or title not yet resolved
    person: str | None = None  # the person's full name for person and title mentions
    candidates: tuple[tuple[str, str], ...] = ()  # (actor, person) a title may mean
    pronoun: str | None = None  # person | thing | first | group | state
    possessive: bool = False
    subject: bool = True  # may be the subject of a verb (not after a preposition)
    resolved: bool = False  # the actor was found by reference, not by name
    antecedent: Mention | None = None  # for a resolved mention: the mention it refers back to


@dataclass(frozen=True, slots=True)
class _Entry:
    actor: str
    kind: str
    person: str | None


class MentionFinder:
    """Compiled once per watchlist; finds actor mentions in one sentence at a time."""

    def __init__(self, watchlist: Watchlist) -> None:
        self.kinds = {a.id: a.kind for a in watchlist.actors}
        self.person_actor: dict[str, str] = {}
        table: dict[str, list[_Entry]] = {}
        spellings: set[str] = set()

        def add(name: str, entry: _Entry) -> None:
            spellings.add(name)
            bucket = table.setdefault(normalise(name), [])
            if entry not in bucket:
                bucket.append(entry)

        for actor in watchlist.actors:
            for name in {actor.name, *actor.aliases}:
                add(name, _Entry(actor.id, "name", None))
            for role in actor.roles:
                add(role, _Entry(actor.id, "role", None))
            for adjective in actor.adjectives:
                add(adjective, _Entry(actor.id, "adjective", None))
            for person in actor.people:
                self.person_actor[person.name] = actor.id
                for name in {person.name, *person.short}:
                    add(name, _Entry(actor.id, "person", person.name))
                for title in person.titles:
                    add(title, _Entry(actor.id, "title", person.name))
        for actor_id, spellings_of in office_spellings(watchlist.actors).items():
            # Other spellings of declared offices ("commerce minister" for "minister of
            # commerce"), matched like the declared ones.
            for spelling, person_name, kind in spellings_of:
                add(spelling, _Entry(actor_id, kind, person_name))
        self.table = table
        self.matcher = name_matcher(spellings)

    def names_of(self, watchlist: Watchlist) -> dict[str, list[str]]:
        """Every literal name that refers to each actor (for {actor} placeholders in terms)."""
        out: dict[str, list[str]] = {a.id: [] for a in watchlist.actors}
        for actor in watchlist.actors:
            out[actor.id] = [actor.name, *actor.aliases, *actor.roles]
            for person in actor.people:
                out[actor.id] += [person.name, *person.short]
        return out

    def find(
        self, text: str, hits: Sequence[Hit] | None = None, pronouns: bool = True
    ) -> list[Mention]:
        """Actor names and pronouns in a sentence, left to right (hits: the matcher's, if run)."""
        found: list[Mention] = []
        if hits is None and self.matcher is not None:
            hits = list(self.matcher.finditer(text))
        if hits:
            for hit in hits:
                entries = self.table.get(normalise(hit.text))
                if entries:
                    found.append(self._mention(text, hit.start, hit.end, entries))
        if not pronouns:
            return found
        taken = [(x.start, x.end) for x in found]
        for m in _PRONOUN_FINDER.finditer(text):
            if any(s <= m.start() < e for s, e in taken):
                continue
            kind = m.lastgroup or "thing"
            possessive = m.group(0).lower() in {"his", "her", "its", "their", "our", "my"}
            found.append(
                Mention(
                    m.start(),
                    m.end(),
                    m.group(0),
                    "pronoun",
                    None,
                    pronoun=kind,
                    possessive=possessive,
                    subject=not possessive and _can_be_subject(text, m.start(), m.end()),
                )
            )
        found.sort(key=lambda x: x.start)
        return found

    def _mention(self, text: str, start: int, end: int, entries: list[_Entry]) -> Mention:
        first = entries[0]
        # Matched at `end` in place: slicing off the rest of the sentence would copy it.
        possessive = bool(_POSSESSIVE_AFTER.match(text, end))
        subject = not possessive and _can_be_subject(text, start, end)
        kind = first.kind
        if kind == "adjective":
            # "Israeli officials said" speaks; "Israeli troops" does not.
            subject = subject and bool(_AGENT_AFTER.match(text, end))
        elif kind == "name" and _AGENT_AFTER.match(text, end):
            kind = "role"
        if kind == "title":
            candidates = tuple((e.actor, e.person or "") for e in entries if e.kind == "title")
            actor = first.actor if len({c[0] for c in candidates}) == 1 else None
            return Mention(
                start,
                end,
                text[start:end],
                "title",
                actor,
                person=first.person if len(candidates) == 1 else None,
                candidates=candidates,
                possessive=possessive,
                subject=subject,
            )
        return Mention(
            start,
            end,
            text[start:end],
            kind,
            first.actor,
            person=first.person,
            possessive=possessive,
            subject=subject,
        )


def _can_be_subject(text: str, start: int, end: int) -> bool:
    head = text[max(0, start - 40) : start]
    if not head.isascii():
        # Case folding and \w of other scripts are left to the regexes themselves.
        if _COORDINATED_BEFORE.search(head):
            return _coordinated_subject(text, start, end)
        if _PREPOSITION_BEFORE.search(head):
            return _subject_after_preposition(text, start, end, head.rstrip().rsplit(None, 1)[-1])
        return True
    # Both regexes ask for "(?<![\w])word\s+$": the word run just before trailing whitespace.
    # Comparing that run is exact for ASCII and avoids ~20k end-anchored regex searches.
    word = _word_before_space(head)
    if word in ("and", "or"):
        # "Israel and Hamas agreed": a coordinated subject is a subject like the first one.
        return _coordinated_subject(text, start, end)
    if word.lower() in _PREPOSITIONS:
        return _subject_after_preposition(text, start, end, word)
    return True


# "as" is a preposition before a noun phrase but opens a clause before a verb: "as Kyiv warns
# that ...". ("after Oman made ..." is left a non-subject: an after/before/since clause tells
# of an earlier event, which read as the actor's news makes false moves.)
_CLAUSE_OPENERS = frozenset({"as"})
_VERB_STEMS = (
    "say|warn|insist|argue|claim|tell|add|agree|reject|refuse|accept|demand|offer|propose|"
    "sign|threaten|vow|pledge|announce|call|urge|seek|want|plan|hope|expect|signal|move|"
    "prepare|consider|weigh|back|support|oppose|endorse|welcome|vote|approve|remain|continue|"
    "press|push|resume|suspend|halt|end|make|give|take|send|meet|hold|stand|deny|rule"
)
# A finite verb after the name (past in -ed or irregular, an auxiliary or modal, or a common
# stance verb in the present), past an agent noun ("as Israeli officials said") and an adverb.
_FINITE_VERB_AFTER = re.compile(
    rf"(?:\s+(?:[a-z]+\s+)?(?:{AGENT_NOUNS}))?\s+(?:(?:also|still|now|then|again|not|never|"
    r"already|\w+ly)\s+)?(?:will|would|can|could|may|might|must|shall|should|has|have|had|is|"
    r"are|was|were|does|did|do|[a-z]{2,}ed|made|said|told|gave|took|sent|met|sought|held|put|"
    r"set|left|came|went|began|struck|drew|broke|chose|spoke|wrote|brought|kept|lost|saw|led|"
    rf"won|stood|(?:{_VERB_STEMS})(?:e?s)?)(?![\w'’-])"
)
# "The foreign ministers of Egypt, Jordan and Qatar also supported", "after 64% of union
# members reject": the people of a body, or a share of it, opening a clause.
_PEOPLE_OF = re.compile(
    r"(?:^|[,;:(—–]\s*|[.!?][\"”]?\s+|(?<![\w])(?:and|after|before|as|since|until|while|when|"
    r"because|that|but)\s+)[\"“]?(?:(?:the|a|an)\s+)?(?:[\w-]+\s+){0,2}?(?:leaders?|heads?|"
    r"(?:foreign |defen[cs]e |prime )?ministers?|presidents?|governments?|representatives?|"
    r"delegations?|envoys?|officials?|members?|majority|most|many|some|all|both|each|half|none|"
    r"\d+(?:\.\d+)?\s*(?:%|percent|per cent))\s+of\s+$",
    re.IGNORECASE,
)


#: A capitalised name as it stands in a list, known to the watchlist or not ("the Troika").
LIST_ITEM = r"(?:the\s+)?[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}"
_LIST_HEAD = re.compile(rf"(?:{LIST_ITEM}\s*(?:,|,?\s+and|,?\s+or)\s+)*(?:{LIST_ITEM})?$")
_KNOWN_AS = re.compile(
    r",\s+(?:(?:collectively|jointly|also|commonly)\s+)?(?:known|referred to)\s+as\s+$",
    re.IGNORECASE,
)


def among_people_of(text: str, start: int) -> bool:
    """Whether a name stands in a list of a body's people: "the leaders of Egypt, Jordan and
    Qatar" (for explanations: how such a holder was found)."""
    head = text[max(0, start - 200) : start]
    listed = _LIST_HEAD.search(head)
    rest = head[: listed.start()] if listed else head
    return _PEOPLE_OF.search(rest) is not None


def _subject_after_preposition(text: str, start: int, end: int, word: str) -> bool:
    """A name after a preposition is no subject, except where the word opens a clause ("as Kyiv
    warns") or the preposition ties a body's people to it ("the leaders of Egypt said")."""
    word = word.lower()
    known = _KNOWN_AS.search(text, max(0, start - 40), start) if word == "as" else None
    if known is not None:
        # "The foreign ministers of A, B and C, known as the E3, urged": the list's own name.
        return among_people_of(text, known.start())
    if word in _CLAUSE_OPENERS:
        return _FINITE_VERB_AFTER.match(text, end) is not None
    if word == "of":
        return _PEOPLE_OF.search(text, max(0, start - 80), start) is not None
    return False


def _word_before_space(head: str) -> str:
    """The run of ASCII word characters just before a text's trailing whitespace ("" if none)."""
    stripped = head.rstrip()
    if len(stripped) == len(head) or not stripped:
        return ""
    last = stripped.rsplit(None, 1)[-1]
    if last.isalnum():
        return last
    run = _WORD_RUN_END.search(last)
    return run.group(0) if run else ""


_WORD_RUN_END = re.compile(r"\w+$")


def _coordinated_subject(text: str, start: int, end: int) -> bool:
    # "X and Y agreed" only when X itself is a subject: not after a preposition ("after X and
    # Y agreed" tells of an earlier event), except as _subject_after_preposition allows.
    head = text[:start]
    prev = _WORD_BEFORE_CONJUNCTION.search(head)
    if prev is None:
        return False
    before_prev = head[: prev.start()]
    opener = _PREPOSITION_BEFORE.search(before_prev[-40:])
    if opener is None:
        return True
    return _subject_after_preposition(text, prev.start(), end, opener.group(0).strip())


def with_actor(
    mention: Mention, actor: str, person: str | None = None, antecedent: Mention | None = None
) -> Mention:
    """A copy of a pronoun or title mention resolved to an actor (antecedent: to what)."""
    # Built directly: dataclasses.replace is several times slower and this runs per pronoun.
    return Mention(
        mention.start,
        mention.end,
        mention.text,
        mention.kind,
        actor,
        person or mention.person,
        mention.candidates,
        mention.pronoun,
        mention.possessive,
        mention.subject,
        resolved=True,
        antecedent=antecedent,
    )
