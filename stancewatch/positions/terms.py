"""Compile the watchlist's term syntax (wildcards, alternatives, gaps, actor names) to regex."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

# A gap ("~") skips up to three words; it never crosses a clause break.
_GAP = r"(?:[\w'’.-]+\s+){0,3}?"
_SEP = r"[\s-]+"
PLACEHOLDER = re.compile(r"^\{([a-z][a-z0-9_]*)\}$")
_ACRONYM = re.compile(r"^[A-Z][A-Z.&]{1,5}$")


def normalise(text: str) -> str:
    """The lookup key of a matched name: lower case, straight apostrophes, single spaces."""
    return " ".join(text.replace("’", "'").replace("‘", "'").lower().split())


def literal(name: str) -> str:
    """Regex for a literal name; each word's first letter is free unless it is an acronym.

    Names are written as they appear mid-sentence ("Hamas", "the militant group"); a sentence
    may capitalise their first letter, and outlets capitalise offices their own way ("the
    Prime Minister's office", "the prime minister's Office"); but "US" must not match "us".
    """
    words = name.split()
    parts = []
    for word in words:
        escaped = _word_literal(word)
        if not _ACRONYM.match(word) and word[:1].isalpha():
            first = re.escape(word[0])
            other = word[0].swapcase()
            escaped = f"[{first}{re.escape(other)}]" + _word_literal(word[1:])
        parts.append(escaped)
    return _SEP.join(parts)


def _word_literal(word: str) -> str:
    out = []
    for ch in word:
        if ch in "'’":
            out.append("['’]")
        elif ch == "-":
            out.append(r"[\s-]?")
        else:
            out.append(re.escape(ch))
    return "".join(out)


def _token(token: str, names: Mapping[str, Sequence[str]], final: bool) -> str:
    placeholder = PLACEHOLDER.match(token)
    if placeholder:
        alternatives = sorted(names.get(placeholder.group(1), ()), key=len, reverse=True)
        return "(?:" + "|".join(literal(n) for n in alternatives) + ")" if alternatives else "(?!)"
    options = []
    for option in token.split("|"):
        if option.endswith("*"):
            options.append(_case(option[:-1]) + r"\w*")
        elif final and option.isalpha() and option.islower():
            options.append(_case(option) + "(?:s|es)?")
        else:
            options.append(_case(option))
    return options[0] if len(options) == 1 else "(?:" + "|".join(options) + ")"


def _case(word: str) -> str:
    # Acronyms keep their case ("IMF", "RSF"); everything else is matched ignoring case.
    if _ACRONYM.match(word):
        return _word_literal(word)
    return "(?i:" + _word_literal(word) + ")"


def term_regex(term: str, names: Mapping[str, Sequence[str]]) -> str:
    """Regex source for one term; names maps an actor id to the names a {placeholder} means."""
    tokens = term.split()
    out = ""
    for i, token in enumerate(tokens):
        if token == "~":
            out += _SEP + _GAP
            continue
        if out and not out.endswith(_GAP):
            out += _SEP
        out += _token(token, names, final=i == len(tokens) - 1)
    return out


def _specificity(term: str) -> tuple[int, int]:
    words = [w for w in term.split() if w != "~"]
    return (len(words), len(term))


def compile_terms(
    terms: Iterable[str], names: Mapping[str, Sequence[str]] | None = None
) -> re.Pattern[str] | None:
    """One pattern matching any of the terms, the most specific tried first at each position.

    Each term becomes its own numbered group, in the order returned by ordered_terms(), so a
    match's lastindex tells which term matched.
    """
    ordered = ordered_terms(terms)
    if not ordered:
        return None
    body = "|".join(f"({term_regex(t, names or {})})" for t in ordered)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w])")


def ordered_terms(terms: Iterable[str]) -> list[str]:
    """Terms in the order compile_terms tries them: more words first, then longer."""
    return sorted(dict.fromkeys(terms), key=_specificity, reverse=True)


def compile_names(names: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern for literal names (longest first); hyphenated compounds do not match."""
    unique = sorted({n for n in names if n}, key=len, reverse=True)
    if not unique:
        return None
    body = "|".join(literal(n) for n in unique)
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w]|-\w)")
