"""Tests for finding issue mentions and what a carrier noun ("the proposal") stands for."""

from __future__ import annotations

from stancewatch.models import Actor, Issue, Scope, Watchlist
from stancewatch.positions.issues import IssueFinder, content_of

WATCHLIST = Watchlist(
    topic_id="t",
    topic_label="t",
    scope=Scope(include=("Gaza",)),
    actors=(Actor(id="hamas", name="Hamas", kind="group", aliases=("Hamas",)),),
    issues=(
        Issue(id="deal", label="deal", terms=("ceasefire", "proposal", "agreement")),
        Issue(id="end", label="end", terms=("permanent ceasefire", "end|ending ~ war")),
        Issue(
            id="victory",
            label="v",
            terms=("destroy* {hamas}",),
            support=("total victory",),
            oppose=("{hamas} ~ survive*",),
        ),
    ),
)


def finder() -> IssueFinder:
    return IssueFinder(WATCHLIST, {"hamas": ["Hamas"]})


def test_longest_term_decides_the_issue() -> None:
    (mention,) = finder().find("calls for a permanent ceasefire")
    assert mention.issue == "end" and mention.polarity == 1 and not mention.laden


def test_for_and_against_phrases_are_laden_with_polarity() -> None:
    found = finder().find("total victory, or Hamas will survive")
    assert [(m.issue, m.polarity, m.laden) for m in found] == [
        ("victory", 1, True),
        ("victory", -1, True),
    ]


def test_carrier_takes_its_content_when_linked() -> None:
    text = "rejected an agreement to end the war"
    found = finder().find(text)
    assert found[0].carrier and found[0].text == "agreement"
    assert content_of(text, found, 0).issue == "end"
    text = "rejected the proposal aimed at ending the war"
    found = finder().find(text)
    assert content_of(text, found, 0).issue == "deal"
