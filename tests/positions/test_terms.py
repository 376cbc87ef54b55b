"""Tests for the watchlist term syntax: wildcards, alternatives, gaps, placeholders, case."""

from __future__ import annotations

from stancewatch.positions.terms import compile_names, compile_terms, normalise


def first(terms: list[str], text: str, names: dict[str, list[str]] | None = None) -> str | None:
    pattern = compile_terms(terms, names)
    assert pattern is not None
    match = pattern.search(text)
    return match.group(0) if match else None


def test_wildcard_gap_and_alternatives() -> None:
    terms = ["withdraw* ~ troops|forces"]
    assert first(terms, "a withdrawal of Israeli troops") == "withdrawal of Israeli troops"
    assert first(terms, "to withdraw its remaining forces now") == "withdraw its remaining forces"
    assert first(terms, "withdraw from the talks with many long delays troops") is None


def test_plural_hyphen_and_case() -> None:
    assert first(["hostage"], "the Hostages were freed") == "Hostages"
    assert first(["cease-fire"], "a ceasefire and a cease fire") == "ceasefire"
    assert first(["IMF"], "the imf said") is None
    assert first(["IMF"], "the IMF said") == "IMF"


def test_actor_placeholder_expands_to_names() -> None:
    names = {"hamas": ["Hamas", "the militant group"]}
    assert first(["destroy* {hamas}"], "vowed to destroy the militant group", names) == (
        "destroy the militant group"
    )


def test_more_specific_terms_win_at_the_same_position() -> None:
    pattern = compile_terms(["ceasefire", "ceasefire deal"])
    assert pattern is not None
    match = pattern.search("the ceasefire deal")
    assert match is not None and match.group(0) == "ceasefire deal"


def test_names_keep_acronym_case_and_skip_hyphenated_compounds() -> None:
    pattern = compile_names(["US", "Hamas", "the militant group"])
    assert pattern is not None
    found = [
        m.group(0) for m in pattern.finditer("The militant group told us the US and Hamas-run")
    ]
    assert found == ["The militant group", "US"]
    assert normalise("Israel’s  Government") == "israel's government"
