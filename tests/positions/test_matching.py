"""Tests for fast matching: per-word candidate terms, one-pass scanning, prefixed regex."""

from __future__ import annotations

import re

from stancewatch.positions.matching import (
    PrefixedRegex,
    TermScanner,
    literal_prefixes,
    name_matcher,
    split_alternatives,
    term_matcher,
)
from stancewatch.positions.terms import compile_terms


def test_term_matcher_agrees_with_the_plain_pattern() -> None:
    terms = [
        "ceasefire",
        "permanent ceasefire",
        "withdraw* ~ troops|forces",
        "the plan",
        "{h} ~ survive*",
    ]
    names = {"h": ["Hamas", "the militant group"]}
    matcher = term_matcher(terms, names)
    plain = compile_terms(terms, names)
    assert matcher is not None and plain is not None
    text = (
        "The plan: a permanent ceasefire, then withdraw all troops, "
        "or the militant group will survive."
    )
    assert [h.text for h in matcher.finditer(text)] == [m.group(0) for m in plain.finditer(text)]


def test_function_words_pick_terms_by_the_next_word() -> None:
    matcher = name_matcher(["the militant group", "the Israeli military"])
    assert matcher is not None
    assert [h.text for h in matcher.finditer("the group and the militant group")] == [
        "the militant group"
    ]


def test_a_placeholder_term_is_tried_after_a_function_word_only_before_its_names() -> None:
    names = {"h": ["Hamas", "the militant group", "the al-Qassam Brigades"]}
    matcher = term_matcher(["{h} ~ survive*"], names)
    plain = compile_terms(["{h} ~ survive*"], names)
    assert matcher is not None and plain is not None
    text = (
        "The militant group will survive; the al Qassam Brigades would survive; "
        "the southern towns survive."
    )
    assert [h.text for h in matcher.finditer(text)] == [m.group(0) for m in plain.finditer(text)]
    assert len(list(matcher.finditer(text))) == 2
    assert matcher._pattern_for("the southern") is None  # no name goes "the southern ..."
    assert matcher._pattern_for("the militant") is not None


def test_scanner_returns_each_matchers_hits() -> None:
    names = name_matcher(["Hamas"])
    issues = term_matcher(["truce"])
    scanner = TermScanner([names, issues, None])
    hits = scanner.scan("Hamas rejected the truce; Hamas left.")
    assert [[h.text for h in group] for group in hits] == [["Hamas", "Hamas"], ["truce"], []]


def test_prefixed_regex_and_literal_prefixes() -> None:
    assert literal_prefixes(r"g(?:ive|ave) up|(?:still )?stands|favou?r") == {
        "g",
        "still",
        "stands",
        "favo",
    }
    finder = PrefixedRegex(split_alternatives(r"said|told|according to"), re.IGNORECASE)
    found = [m.group(0) for m in finder.finditer("He Said so, according to aides; nothing told")]
    assert found == ["Said", "according to", "told"]
