"""Holders real copy names in ways the reader used to miss: lists, a body's people, clauses."""

from __future__ import annotations

import pytest

from stancewatch.positions import Reader, load_watchlist
from tests.positions.watchlists import FERRY


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> Reader:
    path = tmp_path_factory.mktemp("ferry-holders") / "watchlist.toml"
    path.write_text(FERRY)
    return Reader(load_watchlist(path))


def stances(reader: Reader, text: str, issue: str = "deal") -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for s in reader.read(text, judge_scope=False).statements:
        if s.issue == issue:
            out.setdefault(s.actor, []).append(s.stance)
    return out


@pytest.mark.parametrize(
    "text",
    [
        "The transport ministers of Northland, Eastvale, Westmoor and Southmark also backed the "
        "settlement on Friday.",
        "The leaders of Northland, Eastvale, and Southmark signed the settlement in the harbour.",
        "The mayor and the leaders of Northland, Eastvale, and Southmark signed the settlement.",
    ],
)
def test_every_listed_actor_holds_what_a_list_of_their_people_does(
    reader: Reader, text: str
) -> None:
    found = stances(reader, text)
    assert found.get("northland") == ["accept"]
    assert found.get("southmark") == ["accept"]


def test_a_share_of_a_body_speaks_for_it(reader: Reader) -> None:
    text = "Portmere's ferries stayed idle after 64% of the pilots rejected the final offer."
    found = stances(reader, text)
    assert found.get("pilots") == ["reject"]
    assert "portmere" not in found


def test_a_place_after_of_is_still_no_subject(reader: Reader) -> None:
    text = "The ferries of Northland stayed in port while Southmark rejected the offer."
    assert "northland" not in stances(reader, text)


def test_as_opening_a_clause_makes_its_name_the_subject(reader: Reader) -> None:
    text = "Ferry service stays suspended as the guild rejects the final offer from Portmere."
    found = stances(reader, text)
    assert found.get("pilots") == ["reject"]
    assert "portmere" not in found


def test_as_before_a_noun_is_still_a_preposition(reader: Reader) -> None:
    text = "Northland, seen as the guild's closest ally, rejected the offer."
    assert "pilots" not in stances(reader, text)


def test_the_subjects_of_a_closed_relative_clause_do_not_hold_the_main_verb(
    reader: Reader,
) -> None:
    text = (
        "Portmere, which alongside Northland and Southmark has run the harbour for years, has "
        "also urged the guild to accept a settlement."
    )
    found = stances(reader, text)
    assert found.get("portmere") == ["demand"]
    assert "northland" not in found and "southmark" not in found


def test_rejecting_an_offer_without_a_vote_on_it_is_a_plain_no(reader: Reader) -> None:
    text = "The guild rejected the final offer without a ratification vote."
    assert {k: set(v) for k, v in stances(reader, text).items()} == {"pilots": {"reject"}}


def test_a_condition_naming_another_issue_still_conditions_the_no(reader: Reader) -> None:
    text = "The guild rejected the offer without an end to the lockout."
    found = reader.read(text, judge_scope=False).statements
    assert {(s.issue, s.stance) for s in found if s.actor == "pilots"} == {
        ("deal", "reject_unless"),
        ("lockout", "demand"),
    }


def test_explain_says_a_holder_was_read_from_a_list_of_a_bodys_people(reader: Reader) -> None:
    text = "The leaders of Northland, Eastvale, and Southmark signed the settlement."
    found = reader.read(text, judge_scope=False, explain=True).statements
    assert {s.actor for s in found} == {"northland", "southmark"}
    for s in found:
        assert s.trace is not None and "list of a body's people" in s.trace.holder_how


def test_quoted_lines_after_an_intro_ending_in_a_colon_are_the_named_speakers(
    reader: Reader,
) -> None:
    text = (
        "The harbour weekly printed a summary of the guild's remarks to a local radio station:\n"
        "- “We reject the final offer.\n"
        "It does nothing for our members.”\n"
        "- “We will never accept a settlement that ends our pensions.”"
    )
    found = stances(reader, text)
    assert found.get("pilots") == ["reject", "reject"]


def test_a_colon_intro_hands_no_speaker_to_a_quote_that_names_its_own(reader: Reader) -> None:
    text = (
        "The guild set out its terms on Monday:\n"
        "“We reject the offer,” said Portmere's chief executive, reading the letter aloud."
    )
    assert "pilots" not in stances(reader, text)


def test_every_signer_holds_what_a_joint_statement_says(reader: Reader) -> None:
    text = (
        "The leaders of Northland, Eastvale and Southmark signed a joint declaration on Monday. "
        "“We support the settlement and call on both sides to honour it,” the declaration says."
    )
    found = stances(reader, text)
    assert found.get("northland") == ["accept"]
    assert found.get("southmark") == ["accept"]
    statements = reader.read(text, judge_scope=False, explain=True).statements
    southmark = [s for s in statements if s.actor == "southmark"]
    assert southmark[0].attribution == "direct"
    assert southmark[0].trace is not None and "document" in southmark[0].trace.holder_how


def test_a_document_speaks_for_the_author_named_before(reader: Reader) -> None:
    text = (
        "Portmere's memorandum was published on Monday. "
        "The operator will accept the settlement only if the pilots return, the document says."
    )
    assert stances(reader, text).get("portmere") == ["accept_if"]


def test_they_after_a_statement_of_a_body_refers_to_its_author(reader: Reader) -> None:
    text = "This is set out in a statement of the guild. They reject the final offer."
    assert stances(reader, text).get("pilots") == ["reject"]


def test_a_document_with_no_named_author_speaks_for_no_one(reader: Reader) -> None:
    text = "“We support the settlement,” the statement said."
    assert stances(reader, text) == {}


@pytest.mark.parametrize(
    "text",
    [
        "The settlement was put forward by Eastvale, Westmoor, Northland and Southmark.",
        "The board approved a settlement drafted by Northland - with help from Eastvale and "
        "Westmoor - and Southmark.",
    ],
)
def test_the_agents_of_a_passive_proposal_propose_it(reader: Reader, text: str) -> None:
    found = stances(reader, text)
    assert found.get("northland") == ["propose"]
    assert found.get("southmark") == ["propose"]


def test_a_lists_own_name_in_an_appositive_is_its_subject(reader: Reader) -> None:
    text = (
        "The transport ministers of Eastvale, Westmoor and Lowfield, known as Northland, "
        "urged the guild to accept the settlement."
    )
    found = stances(reader, text)
    assert found.get("northland") == ["demand"]
    assert "pilots" not in found


def test_known_as_after_an_object_names_no_subject(reader: Reader) -> None:
    text = "The guild rejected the terms of the talks, known as Northland settlement."
    assert "northland" not in stances(reader, text)


def test_a_few_quoted_words_in_the_narrators_sentence_make_no_quote_speaker(
    reader: Reader,
) -> None:
    text = (
        "The board approved the settlement drafted by Northland, which asks the guild to "
        '"without delay" report on its pension fund.'
    )
    found = [s for s in reader.read(text, judge_scope=False).statements if s.actor == "northland"]
    assert [(s.stance, s.attribution) for s in found] == [("propose", "direct")]


def test_a_recap_in_a_contrasting_clause_leaves_the_cue_news(reader: Reader) -> None:
    text = (
        "Northland urged the guild to accept the settlement even as the guild has repeatedly "
        "said it would not return."
    )
    found = [s for s in reader.read(text, judge_scope=False).statements if s.actor == "northland"]
    assert [(s.stance, s.background) for s in found] == [("demand", False)]


def test_a_reporting_verb_inside_an_actors_name_frames_nothing(reader: Reader) -> None:
    text = "Portmere met the Northland States over the lockout and the guild accepted the offer."
    found = [s for s in reader.read(text, judge_scope=False).statements if s.actor == "pilots"]
    assert [(s.stance, s.attribution) for s in found] == [("accept", "direct")]


def test_passive_agents_reach_past_an_aside_that_lists_members(reader: Reader) -> None:
    text = (
        "The board approved the settlement drafted by the Northland Council - Eastvale, "
        "Westmoor and Southmark - and Portmere."
    )
    found = stances(reader, text)
    assert {actor: found.get(actor) for actor in ("northland", "southmark", "portmere")} == {
        "northland": ["propose"],
        "southmark": ["propose"],
        "portmere": ["propose"],
    }


def test_a_leader_in_the_first_person_keeps_up_the_bodys_action(reader: Reader) -> None:
    text = (
        "Guild chair Ana Reyes spoke to the pilots on Friday.\n"
        "“We have not won enough yet. And we remain on strike,” the guild said."
    )
    assert stances(reader, text, "walkout") == {"pilots": ["commit"]}


def test_a_leader_saying_what_members_hold_out_for_states_the_bodys_demand(
    reader: Reader,
) -> None:
    text = "The guild said the pilots are holding out to restore the pension."
    assert stances(reader, text, "walkout") == {"pilots": ["demand"]}


@pytest.mark.parametrize(
    "text",
    [
        "Portmere held out to the guild the prospect of a settlement.",
        "Portmere held out to Southmark the prospect of a settlement.",
    ],
)
def test_holding_something_out_to_someone_is_no_demand(reader: Reader, text: str) -> None:
    assert "demand" not in [s for found in stances(reader, text).values() for s in found]


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("The guild stayed in the settlement talks.", {"pilots": ["commit"]}),
        # Keeping up nothing an issue names: no stance on what comes later in the clause.
        ("The guild remained on the fence about the settlement.", {}),
    ],
)
def test_staying_in_what_an_issue_names_keeps_it_up(
    reader: Reader, text: str, read: dict[str, list[str]]
) -> None:
    assert stances(reader, text) == read


@pytest.mark.parametrize(
    "text",
    [
        "Portmere said on Monday that a settlement isn't needed after the ruling.",
        "A settlement is unnecessary now, Portmere said.",
    ],
)
def test_not_needed_turns_down_what_it_judges(reader: Reader, text: str) -> None:
    assert stances(reader, text) == {"portmere": ["reject"]}


@pytest.mark.parametrize(
    "text",
    ["Portmere said a settlement was needed quickly.", "Portmere said a settlement was necessary."],
)
def test_a_needed_deal_is_still_wanted(reader: Reader, text: str) -> None:
    assert stances(reader, text) == {"portmere": ["accept"]}


@pytest.mark.parametrize(
    "text",
    [
        "Portmere threatens the guild with a lockout",
        "Portmere threatened the guild with a lockout on Monday.",
    ],
)
def test_threatening_someone_with_a_measure_is_a_hedged_lean_toward_it(
    reader: Reader, text: str
) -> None:
    found = reader.read(text, judge_scope=False).statements
    assert [(s.actor, s.issue, s.stance, s.modality) for s in found] == [
        ("portmere", "lockout", "open", "hedged")
    ]


def test_threatening_an_end_to_something_is_a_hedged_lean_against_it(reader: Reader) -> None:
    text = "Portmere threatened the guild with an end to the settlement."
    found = reader.read(text, judge_scope=False).statements
    assert [(s.actor, s.issue, s.stance, s.modality) for s in found] == [
        ("portmere", "deal", "reject", "hedged")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Portmere has not yet publicly accepted the settlement.",
        "Portmere has yet to accept the settlement.",
        "Portmere has not yet rejected the settlement.",
    ],
)
def test_a_cue_still_to_come_states_no_stance(reader: Reader, text: str) -> None:
    assert stances(reader, text) == {}


def test_not_yet_ready_is_a_refusal_for_now(reader: Reader) -> None:
    # "yet" governs the readiness word, not the cue verb: no decision still to come.
    text = "Portmere is not yet ready to accept the settlement."
    assert stances(reader, text) == {"portmere": ["reject"]}


def test_not_without_yet_still_negates(reader: Reader) -> None:
    assert stances(reader, "Portmere has not accepted the settlement.") == {"portmere": ["reject"]}


def test_both_speakers_hold_what_they_said_they_hoped_for(reader: Reader) -> None:
    text = (
        "Both Portmere and the guild said they hoped Monday's meeting would lead to a settlement."
    )
    assert stances(reader, text) == {"portmere": ["accept"], "pilots": ["accept"]}


def test_not_on_the_agenda_rules_out_talking_about_it(reader: Reader) -> None:
    text = "“The lockout is not [on the agenda],” Portmere said."
    assert stances(reader, text, "lockout") == {"portmere": ["reject"]}


def test_non_negotiable_holds_on_to_it(reader: Reader) -> None:
    text = "The guild said the pension was non-negotiable."
    assert stances(reader, text, "walkout") == {"pilots": ["demand"]}


def test_explain_says_a_signers_words_came_through_a_document(reader: Reader) -> None:
    text = (
        "Portmere and the leaders of Northland signed a joint declaration. "
        "“We support the settlement,” the declaration says."
    )
    found = [
        s
        for s in reader.read(text, judge_scope=False, explain=True).statements
        if s.actor == "northland"
    ]
    assert found and found[0].trace is not None
    assert "document" in found[0].trace.attribution_why


def test_they_after_two_speakers_is_both_whichever_it_refers_back_to(reader: Reader) -> None:
    text = (
        "Portmere hosted the talks on Monday. "
        "Both Hale and Lund said they hoped Monday's meeting would lead to a settlement."
    )
    found = stances(reader, text)
    assert found.get("portmere") == ["accept"] and found.get("pilots") == ["accept"]


def test_explain_says_a_quotes_speaker_came_from_a_colon_intro(reader: Reader) -> None:
    text = (
        "The harbour weekly printed a summary of Mia Lund's remarks to a radio station:\n"
        "- “We reject the final offer.”"
    )
    found = reader.read(text, judge_scope=False, explain=True).statements
    assert [s.actor for s in found] == ["pilots"]
    assert found[0].trace is not None and "colon" in found[0].trace.holder_how


@pytest.mark.parametrize(
    "text",
    [
        "• The guild praises Portmere's efforts for a settlement",
        "The guild hailed the settlement on Monday.",
        "The guild commended the agreement reached overnight.",
    ],
)
def test_praising_a_step_toward_it_backs_it(reader: Reader, text: str) -> None:
    assert stances(reader, text).get("pilots") == ["accept"]
