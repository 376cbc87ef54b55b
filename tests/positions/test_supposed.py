"""What others fear, expect or judge of an actor is not the actor's own stated position."""

from __future__ import annotations

from pathlib import Path

import pytest

from stancewatch.models import Statement
from stancewatch.positions import Reader, load_watchlist
from tests.positions.watchlists import HARBOUR


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> Reader:
    path = tmp_path_factory.mktemp("harbour") / "watchlist.toml"
    path.write_text(HARBOUR)
    return Reader(load_watchlist(path))


def read(reader: Reader, text: str, actor: str) -> list[Statement]:
    statements = reader.read(text, judge_scope=False).statements
    return [s for s in statements if s.actor == actor]


@pytest.mark.parametrize(
    "text",
    [
        "The meeting was held amid growing concerns that Velmar may be ready to accept the "
        "truce for the harbour.",
        "There is little indication that the Harbour Front is willing to accept a truce.",
        "Ostrava criticised the Harbour Front for failing to accept the truce.",
        "The envoy commended the Harbour Front (HF) on its readiness to accept the truce.",
        "Officials voiced fears among the mediators that Velmar would reject the truce offer.",
    ],
)
def test_a_stance_others_suppose_is_theirs_not_the_actors(reader: Reader, text: str) -> None:
    found = read(reader, text, "front") + read(reader, text, "velmar")
    assert found, "the stance is read"
    assert {s.attribution for s in found} == {"third_party"}


@pytest.mark.parametrize(
    "text",
    [
        "Velmar said it hopes that the truce for the harbour holds, and accepted the truce.",
        "The Harbour Front accepted the truce on Monday, officials said.",
        "The Harbour Front criticised Velmar and rejected the truce offer.",
        # The holder gives the signs itself: its own signal, not others' reading of it.
        "Velmar gave signs that it would accept the truce for the harbour.",
    ],
)
def test_the_actors_own_words_stay_its_own(reader: Reader, text: str) -> None:
    found = read(reader, text, "front") + read(reader, text, "velmar")
    assert found and all(s.attribution != "third_party" for s in found)


def test_explain_names_the_supposition(reader: Reader) -> None:
    text = "Talks began amid concerns that Velmar may be ready to accept the truce."
    (s,) = reader.read(text, judge_scope=False, explain=True).statements
    assert s.trace is not None and s.source == "concerns"
    assert "what others fear, expect or judge of the actor ('concerns')" in s.trace.attribution_why


def test_a_headline_ending_in_its_speaker_is_that_speakers_account(reader: Reader) -> None:
    body = "Talks on the harbour went on."
    title = "Harbour Front rejects the truce offer: Velmari envoy"
    statements = reader.read(body, title, judge_scope=False).statements
    (s,) = [s for s in statements if s.actor == "front"]
    assert s.headline and s.attribution == "third_party" and s.source == "Velmari"
    # A tail that names its speaker with "says".
    title = "Harbour Front rejects the truce offer: Velmari envoy says"
    statements = reader.read(body, title, judge_scope=False).statements
    assert [(s.attribution, s.source) for s in statements if s.actor == "front"] == [
        ("third_party", "Velmari")
    ]
    # A tail that states a stance names no speaker.
    title = "Harbour: the Harbour Front rejects the truce offer"
    statements = reader.read(body, title, judge_scope=False).statements
    assert [s.attribution for s in statements if s.actor == "front"] == ["direct"]


@pytest.mark.parametrize(
    "text",
    [
        "The package would require the Harbour Front to accept the truce.",
        "Ostrava's first plan - drafted in haste - would have seen the Harbour Front accept the "
        "truce.",
    ],
)
def test_what_a_plan_would_ask_of_a_side_is_no_stance_of_it(reader: Reader, text: str) -> None:
    assert read(reader, text, "front") == []


@pytest.mark.parametrize(
    "text",
    [
        "Velmar said its proposal would have to wait, and it rejected the truce.",
        "Velmar said its proposal would mean a pause, and it rejected the truce.",
    ],
)
def test_a_plan_would_stops_at_the_clause_break(reader: Reader, text: str) -> None:
    assert "reject" in [s.stance for s in read(reader, text, "velmar")]


APPEAL_WATCHLIST = (
    HARBOUR
    + """
[[issues]]
id = "harbour_talks"
label = "Talks over the harbour"
terms = ["harbour talks"]
for = ["back to the table"]
"""
)


@pytest.mark.parametrize(
    ("text", "holders"),
    [
        ("Ostrava encouraged the Harbour Front to come back to the table.", set()),
        ("Ostrava urged the Harbour Front to come back to the table.", {("ostrava", "demand")}),
        ("The Harbour Front said it would come back to the table.", {("front", "support")}),
        # "ask for" names no addressee: the asker's own aim stays its own.
        (
            "The Harbour Front asked for a pause so as to come back to the table.",
            {("front", "support")},
        ),
    ],
)
def test_the_addressee_of_an_appeal_states_no_stance_phrase(
    tmp_path: Path, text: str, holders: set[tuple[str, str]]
) -> None:
    path = tmp_path / "watchlist.toml"
    path.write_text(APPEAL_WATCHLIST)
    statements = Reader(load_watchlist(path)).read(text, judge_scope=False).statements
    assert {(s.actor, s.stance) for s in statements if s.issue == "harbour_talks"} == holders


@pytest.mark.parametrize(
    ("text", "recap"),
    [
        (
            "Ostrava rejected the statements Korin issued on Monday, in which she insisted the "
            "harbour was Velmar's, vowing to reject the truce.",
            True,
        ),
        (
            "Korin gave a speech on Monday in which she insisted the harbour was Velmar's, "
            "vowing to reject the truce.",
            False,
        ),
        # A place clause is no remarks' content: the reacting side's own stance is news.
        (
            "Velmar dismissed the Front's claims at a summit in Lisbon, where it accepted the "
            "truce.",
            False,
        ),
    ],
)
def test_remarks_another_actor_reacts_to_are_background(
    reader: Reader, text: str, recap: bool
) -> None:
    (s,) = read(reader, text, "velmar")
    assert s.background == recap
