"""Tests for sentence splitting: abbreviations, initials, decimals, quotes and datelines."""

from __future__ import annotations

import pytest

from stancewatch.positions.sentences import looks_like_title, split_sentences, strip_dateline


def texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


def test_abbreviations_initials_and_decimals_do_not_end_sentences() -> None:
    text = (
        "Mr. Biden met Gen. Smith in Washington. The U.S. envoy said a 4.5-month truce "
        "was possible. John F. Kennedy Jr. was not there."
    )
    assert texts(text) == [
        "Mr. Biden met Gen. Smith in Washington.",
        "The U.S. envoy said a 4.5-month truce was possible.",
        "John F. Kennedy Jr. was not there.",
    ]


def test_quotes_close_sentences_and_questions_split() -> None:
    text = 'He said: "We reject it." Then he left. Would they return? Nobody knew.'
    assert texts(text) == [
        'He said: "We reject it."',
        "Then he left.",
        "Would they return?",
        "Nobody knew.",
    ]


def test_lowercase_after_period_does_not_split() -> None:
    assert texts("The talks ended at 3 p.m. on Friday in Cairo.") == [
        "The talks ended at 3 p.m. on Friday in Cairo."
    ]


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("GAZA CITY, March 3 (Reuters) - Hamas said it would talk.", "Hamas said it would talk."),
        ("CAIRO/JERUSALEM, Feb 13 (AP) — Talks resumed.", "Talks resumed."),
        ("WASHINGTON — The envoy left.", "The envoy left."),
        ("February 07, 2024: Netanyahu spoke.", "Netanyahu spoke."),
        ("JERUSALEM, Feb 9, 2024 — The cabinet met.", "The cabinet met."),
        ("(Reuters) - The cabinet met.", "The cabinet met."),
        (
            "Hamas said - in Doha - that it would talk.",
            "Hamas said - in Doha - that it would talk.",
        ),
    ],
)
def test_datelines_are_stripped(paragraph: str, expected: str) -> None:
    assert strip_dateline(paragraph) == expected


def test_paragraph_and_sentence_indices() -> None:
    sentences = split_sentences("One here. Two here.\n\nThree here.")
    assert [(s.index, s.paragraph) for s in sentences] == [(0, 0), (1, 0), (2, 1)]


def test_title_detection() -> None:
    assert looks_like_title("Hamas rejects offer", "Body text.")
    assert not looks_like_title("Hamas rejects offer", "")
    long_sentence = "February 07, 2024: " + "word " * 20 + "end."
    assert not looks_like_title(long_sentence, "More text.")


def test_an_editors_insertion_reads_as_part_of_the_sentence() -> None:
    assert texts("The toll is not [on the agenda], he said. [Updated] Talks go on.") == [
        "The toll is not on the agenda, he said.",
        "Updated Talks go on.",
    ]


def test_bracketed_markup_is_left_as_written() -> None:
    assert texts("See ![p](x) and [b]bold[/b] text.") == ["See ![p](x) and [b]bold[/b] text."]
