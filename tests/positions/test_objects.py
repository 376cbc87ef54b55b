"""Tests for what a stance cue governs: objects, coordination, removal, rumours."""

from __future__ import annotations

from stancewatch.positions.issues import IssueMention
from stancewatch.positions.objects import find_objects, negated_content, removal
from stancewatch.positions.unasserted import hypothetical


def mentions_in(text: str, words: dict[str, str]) -> list[IssueMention]:
    found = []
    for word, issue in words.items():
        start = text.index(word)
        found.append(IssueMention(start, start + len(word), issue, 1, False, word == "deal", word))
    return sorted(found, key=lambda m: m.start)


def test_first_object_and_coordinated_ones() -> None:
    text = "Hamas demanded the release of hostages, a withdrawal and an end to the war."
    issues = mentions_in(
        text, {"release of hostages": "hostages", "withdrawal": "pullout", "end to the war": "end"}
    )
    cue_end = text.index("demanded") + len("demanded")
    objects, resolved = find_objects(text, cue_end, len(text), issues, [], False)
    assert [o.issue for o in objects] == ["hostages", "pullout", "end"] and not resolved


def test_anaphoric_object_takes_the_issue_named_before() -> None:
    text = "Israel rejected it."
    earlier = IssueMention(0, 5, "deal", 1, False, True, "offer")
    objects, resolved = find_objects(
        text, text.index("rejected") + 8, len(text), [], [earlier], False
    )
    assert objects == [earlier] and resolved


def test_removal_negated_content_and_hypotheses() -> None:
    text = "Germany called for the duties to be dropped."
    (duties,) = mentions_in(text, {"duties": "duties"})
    assert removal(text, text.index("for") + 3, duties)
    text = "Hamas would not accept any deal that does not end the war."
    issues = mentions_in(text, {"deal": "deal", "end the war": "end"})
    flipped = negated_content(text, issues, 0)
    assert flipped is not None and flipped.issue == "end" and flipped.polarity == -1
    text = "Israel said it would strike if Hamas rejected the plan."
    assert hypothetical(text, text.index("rejected"))
    assert not hypothetical(text, text.index("strike"))


def test_removal_of_what_a_pronoun_stands_for() -> None:
    from stancewatch.positions.objects import anaphor_removed, anaphoric_subject

    text = "Hamas rejected the terms, demanding that they be scrapped."
    assert anaphor_removed(text, text.index(" that they"))
    assert not anaphor_removed("demanding that they be honoured", len("demanding"))
    text = "Israel regarded those proposals as unfounded"
    assert anaphoric_subject(text, text.index("as unfounded"))
    assert not anaphoric_subject("Israel regarded Hamas as", len("Israel regarded Hamas "))


def test_fronted_when_clause_is_hypothetical() -> None:
    text = "When the parties are ready to stop this war, Qatar will be there."
    assert hypothetical(text, text.index("ready to"))
    text = "Qatar said it was ready to stop this war when asked."
    assert not hypothetical(text, text.index("ready to"))


def test_condition_phrase_is_not_a_coordinated_object() -> None:
    text = "Israel demanded a buffer zone under any deal."
    issues = mentions_in(text, {"buffer zone": "zone", "deal": "deal"})
    cue_end = text.index("demanded") + len("demanded")
    objects, _ = find_objects(text, cue_end, len(text), issues, [], True)
    assert [o.issue for o in objects] == ["zone"]
