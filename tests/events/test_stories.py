"""Story clustering: reprints under other headlines join one story; separate reports do not."""

from __future__ import annotations

import subprocess
import sys

from stancewatch.events import SAME_STORY_SIMILARITY, StoryIndex, cluster, signature, similarity

WIRE = (
    "Hamas has accepted a U.S. proposal to begin talks on freeing Israeli soldiers and male "
    "hostages 16 days into the first phase of an agreement, and no longer insists that Israel "
    "commit to a permanent ceasefire before any deal is signed, a senior Hamas official said on "
    "Saturday. The official, who spoke on condition of anonymity because the talks are "
    "confidential, said the group had agreed that the end of the war could be negotiated during "
    "the first six-week phase instead of being guaranteed at the outset. In a short statement "
    "issued later in the day, Hamas said it had answered the mediators in a positive spirit and "
    "was now waiting to hear from Israel. The statement did not spell out the concessions. "
    "Egyptian and Qatari mediators have spent weeks trying to close the differences over how "
    "the first phase would lead into the second."
)
# The same copy as another outlet runs it: new headline, a sentence cut, a few words edited.
REPRINT = (
    "Hamas eases stance on permanent truce, official says\n"
    "Hamas has accepted a US proposal to begin talks on freeing Israeli soldiers and male "
    "hostages 16 days into the first phase of an agreement, and no longer insists that Israel "
    "commit to a permanent ceasefire before any deal is signed, a senior Hamas official said on "
    "Saturday. The official, who spoke on condition of anonymity because the negotiations are "
    "confidential, said the group had agreed that the end of the war could be negotiated during "
    "the first six-week phase instead of being guaranteed at the outset. In a brief statement "
    "issued later in the day, Hamas said it had answered the mediators in a positive spirit and "
    "was now waiting to hear from Israel. Egyptian and Qatari mediators have spent weeks trying "
    "to close the differences over how the first phase would lead into the second."
)
# Another report of the same news, written separately: same facts, same names, other words.
SEPARATE = (
    "A senior Hamas official said on Saturday that the group would no longer require Israel to "
    "commit to a permanent ceasefire before signing a deal. Under the U.S. plan, talks on the "
    "release of soldiers and men held in Gaza would start on day 16 of the first phase. Israel "
    "said its negotiators would travel to Doha next week, while cautioning that gaps remained. "
    "Mediators from Egypt and Qatar described the shift as the most serious opening in months."
)


def test_a_reprint_under_another_headline_is_the_same_story() -> None:
    score = similarity(signature(WIRE), signature(REPRINT))

    assert score >= SAME_STORY_SIMILARITY
    matches = cluster([("wire", WIRE), ("reprint", REPRINT), ("separate", SEPARATE)])
    assert [m.story for m in matches] == ["wire", "wire", "separate"]
    assert matches[1].similarity == score


def test_a_separately_written_report_of_the_same_news_is_another_story() -> None:
    assert similarity(signature(WIRE), signature(SEPARATE)) < 0.2


def test_a_known_article_keeps_its_story_and_new_ones_find_it() -> None:
    index = StoryIndex()
    index.add_known("old", signature(WIRE), "story-7")

    assert index.add("new", signature(REPRINT)).story == "story-7"
    assert index.add("old", signature(SEPARATE)).story == "story-7"  # already placed
    assert index.add("other", signature(SEPARATE)).story == "other"


def test_text_without_words_matches_nothing() -> None:
    empty = signature("  ... ")

    assert set(empty) == {-1}
    assert similarity(empty, empty) == 0.0
    assert cluster([("a", ""), ("b", "")])[1].story == "b"


def test_short_texts_still_get_a_full_signature() -> None:
    short = signature("Hamas accepts the proposal")

    assert len(short) == len(signature(WIRE))
    assert -1 not in short
    assert similarity(short, signature("Hamas accepts the proposal")) == 1.0


def test_signatures_are_the_same_in_another_process() -> None:
    # Stored signatures are compared with ones computed in later runs: no per-process salt.
    code = f"from stancewatch.events import signature;print(list(signature({WIRE!r})))"
    printed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout

    assert printed.strip() == str(list(signature(WIRE)))
