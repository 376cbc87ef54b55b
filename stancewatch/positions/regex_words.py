"""What a hand-written regex part's first word can be, so it is tried only at words like it."""

from __future__ import annotations

import re

#: The opening of a group: "(", "(?:", "(?P<name>", "(?-i:", or a lookaround "(?=", "(?<!".
_GROUP_OPEN = re.compile(r"\((?:\?:|\?P<\w+>|\?-?[aiLmsux]+:|\?<?[=!])?")
#: Sets of first words bigger than this are not worth expanding (stop at the shorter prefix).
_MAX_WORDS = 64


def split_top(pattern: str) -> list[str]:
    """Split a regex at its top-level "|" (outside groups and character classes)."""
    parts, depth, current, i, in_class = [], 0, "", 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            current += pattern[i : i + 2]
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(current)
            current = ""
            i += 1
            continue
        current += ch
        i += 1
    parts.append(current)
    return parts


def _group_end(pattern: str, body_start: int) -> int:
    """Index just past the ")" closing the group whose body starts at body_start."""
    depth, end = 1, body_start
    while end < len(pattern) and depth:
        if pattern[end] == "\\":
            end += 2
            continue
        depth += {"(": 1, ")": -1}.get(pattern[end], 0)
        end += 1
    return end


def _space_next(pattern: str) -> bool:
    """Whether every alternative of pattern begins with exactly one required space."""
    for alternative in split_top(pattern):
        width = 2 if alternative.startswith("\\s") else 1 if alternative.startswith(" ") else 0
        if not width or alternative[width : width + 1] in ("?", "*", "{"):
            return False
    return True


def first_words(pattern: str, hyphen_ends: bool) -> set[str]:
    """Lookup keys a word must have for the regex to match from its start.

    A key ending in " " is a whole word (the regex needs a space right after it); any other
    key is a prefix the word must start with ("" when nothing is known). Simple alternation
    groups are expanded: "t(?:ake|ook) up" gives {"take ", "took "}, not the prefix "t" that
    would be tried at "the", "to" and "that". hyphen_ends: the regex's tail forbids a hyphen
    after it, so a word ending the regex is whole too (or followed by a dot, as in "U.S.").
    """
    words: set[str] = set()
    for alternative in split_top(pattern):
        words |= _words(alternative, "", hyphen_ends)
    return words


def _words(pattern: str, prefix: str, hyphen_ends: bool) -> set[str]:
    """first_words of one alternative, whose first word starts with prefix (lower case)."""
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        after = pattern[i + 1 : i + 2]
        if ch == "(":
            opening = _GROUP_OPEN.match(pattern, i)
            body_start = opening.end() if opening else i + 1
            end = _group_end(pattern, body_start)
            body, quantifier = pattern[body_start : end - 1], pattern[end : end + 1]
            header = pattern[i:body_start]
            if header in ("(?=", "(?!", "(?<=", "(?<!"):
                # A lookaround consumes nothing; one that needs a space next ends the word.
                if header == "(?=" and prefix and _space_next(body):
                    return {prefix + " "}
                i = end
                continue
            lazy = quantifier == "?" and pattern[end + 1 : end + 2] == "?"
            if quantifier in ("*", "+", "{") or lazy:
                return {prefix}
            rest = pattern[end + 1 :] if quantifier == "?" else pattern[end:]
            options = split_top(body) + ([""] if quantifier == "?" else [])
            words: set[str] = set()
            for option in options:
                words |= _words(option + rest, prefix, hyphen_ends)
            return words if len(words) <= _MAX_WORDS else {prefix}
        if ch == " " or pattern.startswith("\\s", i):
            # Tokens never hold a space, so the word ends here: its key is all of prefix.
            return {prefix + " "} if prefix and after not in ("?", "*", "{") else {prefix}
        if ch.isalnum() or ch in "'-":
            if after in ("?", "*", "{"):
                return {prefix}
            if after == "+":
                return {prefix + ch.lower()}
            # Lookup keys drop hyphens, so the prefix does too.
            prefix += "" if ch == "-" else ch.lower()
            i += 1
            continue
        return {prefix}
    if hyphen_ends and prefix:
        # The tail allows only a dot to continue the token: the key is prefix or "prefix.…".
        return {prefix + " ", prefix + "."}
    return {prefix}


def fits(key: str, words: set[str]) -> bool:
    """Whether a word's lookup key fits one of a regex part's first_words."""
    return any(key == w[:-1] if w.endswith(" ") else key.startswith(w) for w in words)
