"""Fast matching of many terms and regex parts: try only what can start at each word."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from typing import NamedTuple

from stancewatch.positions.regex_words import first_words, fits, split_top
from stancewatch.positions.terms import PLACEHOLDER, literal, ordered_terms, term_regex

# --- fast matching ------------------------------------------------------------------------------

_TOKEN = re.compile(r"(?<![\w-])\w[\w.-]*")
_TAIL = r"(?![\w])"
_NAME_TAIL = r"(?![\w]|-\w)"


def _key(word: str) -> str:
    """How a first word is looked up: lower case, no hyphens, cut at an apostrophe."""
    word = word.split("'", 1)[0].split("’", 1)[0]
    return word.lower().replace("-", "").rstrip(".") or word.lower()


@lru_cache(maxsize=1024)
def _tokens(text: str) -> tuple[tuple[int, str], ...]:
    """Word starts of a text with their lookup keys (cached: several matchers read a sentence)."""
    return tuple((m.start(), _key(m.group(0))) for m in _TOKEN.finditer(text))


class Hit(NamedTuple):
    """One match of a TermMatcher: where, what, and which term (its place in the order).

    A named tuple rather than a frozen dataclass: every name and issue found makes one, and a
    tuple is built several times faster.
    """

    start: int
    end: int
    text: str
    term: int


#: Words too common to pick candidate terms by: terms starting with them are picked by their
#: second word too ("the militant group" is tried only before "militant").
FUNCTION_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "its",
        "their",
        "this",
        "that",
        "these",
        "those",
        "his",
        "her",
        "our",
        "my",
        "any",
        "latest",
        "revised",
    ]
)


@lru_cache(maxsize=1024)
def _lookup_keys(text: str) -> tuple[tuple[int, str], ...]:
    """Word starts with lookup keys; a function word's key includes the next word's key."""
    tokens = _tokens(text)
    out = []
    for i, (start, key) in enumerate(tokens):
        if key in FUNCTION_WORDS and i + 1 < len(tokens):
            key = f"{key} {tokens[i + 1][1]}"
        out.append((start, key))
    return tuple(out)


class TermMatcher:
    """Many terms matched fast: at each word only the terms that can start with it are tried.

    One regex alternation of hundreds of terms is slow when tried at every word; here a word's
    lookup key picks the few candidate terms, and a small pattern of just those is compiled
    once and reused.
    """

    def __init__(
        self,
        sources: Sequence[str],
        first_words: Sequence[set[str]],
        tail: str,
        second_words: Sequence[set[str] | None] | None = None,
    ) -> None:
        self.sources = list(sources)
        self.tail = tail
        self.second = list(second_words) if second_words else [None] * len(sources)
        self.exact: dict[str, list[int]] = {}
        self.prefixes: dict[str, list[int]] = {}
        for index, words in enumerate(first_words):
            for word in words:
                table = self.prefixes if word.endswith("*") else self.exact
                table.setdefault(word.rstrip("*"), []).append(index)
        self.prefix_lengths = sorted({len(p) for p in self.prefixes})
        self._by_key: dict[str, tuple[re.Pattern[str], tuple[int, ...]] | None] = {}

    def _candidates(self, key: str) -> set[int]:
        indices = set(self.exact.get(key, ()))
        for n in self.prefix_lengths:
            if n <= len(key):
                indices.update(self.prefixes.get(key[:n], ()))
        return indices

    def _pattern_for(self, lookup: str) -> tuple[re.Pattern[str], tuple[int, ...]] | None:
        if lookup in self._by_key:
            return self._by_key[lookup]
        key, _, following = lookup.partition(" ")
        indices = {
            i for i in self._candidates(key) if not following or _fits(self.second[i], following)
        }
        entry = None
        if indices:
            order = tuple(sorted(indices))
            body = "|".join(f"({self.sources[i]})" for i in order)
            entry = (re.compile(rf"(?:{body}){self.tail}"), order)
        if len(self._by_key) < 100_000:
            self._by_key[lookup] = entry
        return entry

    def finditer(self, text: str) -> Iterator[Hit]:
        """Non-overlapping hits, left to right; at one place the earliest-ordered term wins."""
        end = 0
        known = self._by_key
        for start, key in _lookup_keys(text):
            entry = known[key] if key in known else self._pattern_for(key)
            if entry is None or start < end:
                continue
            match = entry[0].match(text, start)
            if match is not None:
                end = match.end()
                yield Hit(start, end, match.group(0), entry[1][(match.lastindex or 1) - 1])

    def count(self, text: str) -> int:
        return sum(1 for _ in self.finditer(text))


class TermScanner:
    """Several TermMatchers run over a text in one pass over its words."""

    def __init__(self, matchers: Sequence[TermMatcher | None]) -> None:
        self.matchers = list(matchers)
        self._by_key: dict[str, list[tuple[int, re.Pattern[str], tuple[int, ...]]]] = {}
        # Keys known to start no term of any matcher: most words, dropped before the main loop.
        self._idle: set[str] = set()

    def _entries(self, key: str) -> list[tuple[int, re.Pattern[str], tuple[int, ...]]]:
        entries = []
        for index, matcher in enumerate(self.matchers):
            if matcher is None:
                continue
            entry = matcher._by_key[key] if key in matcher._by_key else matcher._pattern_for(key)
            if entry is not None:
                entries.append((index, entry[0], entry[1]))
        if len(self._by_key) < 100_000:
            self._by_key[key] = entries
            if not entries:
                self._idle.add(key)
        return entries

    def scan(self, text: str) -> list[list[Hit]]:
        """Each matcher's non-overlapping hits, as its own finditer would give them."""
        hits: list[list[Hit]] = [[] for _ in self.matchers]
        ends = [0] * len(self.matchers)
        known = self._by_key
        idle = self._idle
        # A set test in a comprehension is far cheaper than a loop step for each idle word.
        for start, key in [token for token in _lookup_keys(text) if token[1] not in idle]:
            entries = known.get(key)
            if entries is None:
                entries = self._entries(key)
            for index, pattern, order in entries:
                if start < ends[index]:
                    continue
                match = pattern.match(text, start)
                if match is not None:
                    ends[index] = match.end()
                    hits[index].append(
                        Hit(start, match.end(), match.group(0), order[(match.lastindex or 1) - 1])
                    )
        return hits


def _fits(second: set[str] | None, key: str) -> bool:
    """Whether a following word's key fits a term's second-word set (None: anything fits)."""
    if second is None:
        return True
    return any(key.startswith(w[:-1]) if w.endswith("*") else key == w for w in second)


def _second_words(tokens: list[str], names: Mapping[str, Sequence[str]]) -> set[str] | None:
    """Lookup keys the second word of a term may have, None when it cannot be told."""
    words = [t for t in tokens if t != "~"]
    first = PLACEHOLDER.match(tokens[0]) if tokens else None
    if first and (len(words) < 2 or tokens[1] == "~"):
        # "{actor} ~ ...": a function word starting a name ("the militant group") is followed
        # by the name's own second word, so only those words need the term tried.
        return _name_second_words(names.get(first.group(1), ()))
    if len(words) < 2 or tokens[1] == "~":
        return None
    token = tokens[1]
    placeholder = PLACEHOLDER.match(token)
    if placeholder:
        return {_key(n.split()[0]) for n in names.get(placeholder.group(1), ()) if n.split()}
    out: set[str] = set()
    for option in token.split("|"):
        key = _key(option.rstrip("*"))
        out |= {key + "*"} if option.endswith("*") or len(tokens) == 2 else {key}
    return out


def _name_second_words(names: Sequence[str]) -> set[str] | None:
    """Beginnings of the word after a name's first word where that first word is a function
    word (only then does a lookup key carry the next word); None when it cannot be told."""
    out: set[str] = set()
    for name in names:
        parts = name.split()
        if len(parts) < 2:
            if parts and _key(parts[0]) in FUNCTION_WORDS:
                return None
            continue
        # The leading letters only: "al-Qassam" may be written "al Qassam" or "alQassam".
        letters = re.match(r"[^\W_]+", parts[1])
        if letters is None:
            return None
        out.add(letters.group(0).lower() + "*")
    return out


def _first_words(term: str, names: Mapping[str, Sequence[str]]) -> set[str]:
    token = next((t for t in term.split() if t != "~"), "")
    placeholder = PLACEHOLDER.match(token)
    if placeholder:
        return {_key(n.split()[0]) for n in names.get(placeholder.group(1), ()) if n.split()}
    words: set[str] = set()
    for option in token.split("|"):
        key = _key(option.rstrip("*"))
        words |= {key + "*"} if option.endswith("*") else {key, key + "s", key + "es"}
    return words


def term_matcher(
    terms: Iterable[str], names: Mapping[str, Sequence[str]] | None = None
) -> TermMatcher | None:
    """A fast matcher for terms; Hit.term is the term's place in ordered_terms(terms)."""
    ordered = ordered_terms(terms)
    if not ordered:
        return None
    sources = [term_regex(t, names or {}) for t in ordered]
    firsts = [_first_words(t, names or {}) for t in ordered]
    seconds = [_second_words(t.split(), names or {}) for t in ordered]
    return TermMatcher(sources, firsts, _TAIL, seconds)


def name_matcher(names: Iterable[str]) -> TermMatcher | None:
    """A fast matcher for literal names, longest first; hyphenated compounds do not match."""
    unique = sorted({n for n in names if n.split()}, key=len, reverse=True)
    if not unique:
        return None
    sources = [literal(n) for n in unique]
    firsts = [{_key(n.split()[0])} for n in unique]
    seconds = [{_key(n.split()[1])} if len(n.split()) > 1 else None for n in unique]
    return TermMatcher(sources, firsts, _NAME_TAIL, seconds)


# --- fast matching for hand-written regex (stance cues, reporting verbs) -----------------------


#: Lookarounds without nested groups at the start of an alternative: "(?<!be )", "(?!not)".
_LEADING_LOOKAROUND = re.compile(r"(?:\(\?<?[=!][^()]*\))+")


def literal_prefixes(pattern: str) -> set[str]:
    """Lower-case literal beginnings of every alternative of a regex ("" when one is unknown)."""
    out: set[str] = set()
    for alternative in split_top(pattern):
        lookaround = _LEADING_LOOKAROUND.match(alternative)
        if lookaround:
            # A lookaround consumes nothing: the word starts with what follows it. Without
            # this, "(?<!be )determined to" made its cue be tried at every word.
            alternative = alternative[lookaround.end() :]
        group = re.match(r"\((?:\?:|\?P<\w+>|\?-?[aiLmsux]+:)?", alternative)
        if group and group.end() > 0:
            body_start = group.end()
            depth, end = 1, body_start
            while end < len(alternative) and depth:
                if alternative[end] == "\\":
                    end += 2
                    continue
                depth += {"(": 1, ")": -1}.get(alternative[end], 0)
                end += 1
            after = alternative[end : end + 1]
            inner = literal_prefixes(alternative[body_start : end - 1])
            if after in ("?", "*"):
                # An optional group: the word may also start with what follows it.
                inner |= literal_prefixes(alternative[end + 1 :].lstrip())
            out |= {""} if after == "{" else inner
            continue
        prefix = ""
        for ch in alternative:
            if ch in "?*{":
                prefix = prefix[:-1]
                break
            if ch.isalnum() or ch in " '-":
                prefix += ch.lower()
                continue
            break
        out.add(prefix.split(" ")[0].replace("-", ""))
    return out


class PrefixedRegex:
    """Word-initial regex parts, tried only at words that begin like one of them.

    parts are (group name or None, regex) in priority order. For each word a small pattern of
    just the parts that can start with it is compiled once and reused; a match's lastgroup
    names the part that matched.
    """

    def __init__(
        self, parts: Sequence[tuple[str | None, str]], flags: int = 0, tail: str = _TAIL
    ) -> None:
        self.parts = list(parts)
        self.flags = flags
        self.tail = tail
        self.always: list[int] = []
        self.prefixes: dict[str, list[int]] = {}
        for index, (_, regex) in enumerate(self.parts):
            found = literal_prefixes(regex)
            if "" in found:
                self.always.append(index)
            for prefix in found - {""}:
                self.prefixes.setdefault(prefix, []).append(index)
        self.lengths = sorted({len(p) for p in self.prefixes})
        # Finer than the prefixes: whole first words where the regex tells them (see
        # first_words). The prefixes still pick the candidates; these only drop parts that
        # cannot match, so "t(?:ake|ook) up" is no longer tried at "the", "to" and "that".
        hyphen_ends = tail == r"(?![\w-])"
        self.words = [first_words(regex, hyphen_ends) for _, regex in self.parts]
        self._by_key: dict[str, re.Pattern[str] | None] = {}
        self._idle: set[str] = set()  # keys no part can start with, skipped before the loop

    def _pattern_for(self, key: str) -> re.Pattern[str] | None:
        indices = set(self.always)
        for n in self.lengths:
            if n <= len(key):
                indices.update(self.prefixes.get(key[:n], ()))
        if key.isascii():
            # Only ASCII keys: under IGNORECASE a few other letters match ASCII ones ("ſ"
            # matches "s"), which a comparison of keys would not see.
            indices = {i for i in indices if fits(key, self.words[i])}
        pattern = None
        if indices:
            body = "|".join(
                f"(?P<{name}>{regex})" if name else f"(?:{regex})"
                for name, regex in (self.parts[i] for i in sorted(indices))
            )
            pattern = re.compile(f"(?:{body}){self.tail}", self.flags)
        if len(self._by_key) < 100_000:
            self._by_key[key] = pattern
            if pattern is None:
                self._idle.add(key)
        return pattern

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """Non-overlapping matches at word starts, left to right."""
        end = 0
        known = self._by_key
        idle = self._idle
        # Most words start no part: drop them with a set test before the slower loop.
        for start, key in [token for token in _tokens(text) if token[1] not in idle]:
            if start < end:
                continue
            pattern = known[key] if key in known else self._pattern_for(key)
            if pattern is None:
                continue
            match = pattern.match(text, start)
            if match is not None:
                end = match.end()
                yield match


def split_alternatives(regex: str) -> list[tuple[str | None, str]]:
    """The top-level alternatives of a regex as unnamed PrefixedRegex parts."""
    return [(None, part) for part in split_top(regex)]
