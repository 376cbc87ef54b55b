"""Moves that real copy states and the reader used to miss: same-day news, acts, conditions."""

from __future__ import annotations

from pathlib import Path

import pytest

from stancewatch.models import BaselinePosition, Statement
from stancewatch.positions import (
    Engine,
    Reader,
    SeedDocument,
    classify,
    load_watchlist,
    stance,
)
from tests.positions.watchlists import FERRY


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> Reader:
    path = tmp_path_factory.mktemp("ferry") / "watchlist.toml"
    path.write_text(FERRY)
    return Reader(load_watchlist(path))


def engine_with_seed(tmp_path: Path, seed: str) -> Engine:
    watchlist = tmp_path / "watchlist.toml"
    watchlist.write_text(FERRY)
    documents = (SeedDocument(name="seed.txt", text=seed),)
    return Engine.from_parts(watchlist, tmp_path / "overrides.toml", documents)


def read(reader: Reader, text: str, actor: str, issue: str) -> list[Statement]:
    statements = reader.read(text, judge_scope=False).statements
    return [s for s in statements if s.actor == actor and s.issue == issue]


@pytest.mark.parametrize(
    "text",
    [
        "Earlier in the day, the guild said it would accept the settlement.",
        "Earlier this week, the guild said it would accept the settlement.",
        "The guild accepted the settlement earlier on Tuesday.",
    ],
)
def test_a_statement_from_the_same_news_cycle_is_news(reader: Reader, text: str) -> None:
    found = read(reader, text, "pilots", "deal")
    assert found and not any(s.background for s in found)


@pytest.mark.parametrize(
    "text",
    [
        "Earlier this year, the guild accepted a settlement.",
        "Earlier in the year the guild accepted a settlement.",
        "The guild had accepted a settlement earlier in 2019.",
    ],
)
def test_a_statement_from_earlier_in_the_year_is_a_recap(text: str) -> None:
    assert stance.background(text, text.index("accepted"), False)


@pytest.mark.parametrize(
    "text",
    [
        "The guild cannot agree to any settlement unless Portmere ends the lockout.",
        "“We cannot accept a deal unless the lockout ends,” the guild said.",
    ],
)
def test_cannot_negates_the_cue_it_stands_before(reader: Reader, text: str) -> None:
    found = read(reader, text, "pilots", "deal")
    assert found and all(s.score < 0 for s in found)
    assert {s.stance for s in found} == {"reject_unless"}


def test_may_before_stepping_out_is_a_warning_not_a_power(reader: Reader) -> None:
    text = "The guild may abandon the settlement if its pay claims are questioned again."
    found = read(reader, text, "pilots", "deal")
    assert [(s.stance, s.modality) for s in found] == [("reject", "hedged")]


def test_may_before_a_yes_stays_a_power_granted(reader: Reader) -> None:
    text = "Under the charter, the guild may accept a settlement by a simple majority."
    assert read(reader, text, "pilots", "deal") == []


@pytest.mark.parametrize(
    "text",
    [
        "“Here I agree with him that a settlement is enough to calm the harbour,” the guild said.",
        "The guild agreed with her assessment that the settlement would not hold.",
    ],
)
def test_sharing_a_persons_view_is_no_yes_to_what_it_judges(reader: Reader, text: str) -> None:
    assert read(reader, text, "pilots", "deal") == []


def test_agreeing_to_a_deal_with_a_party_is_still_a_yes(reader: Reader) -> None:
    found = read(reader, "The guild agreed with Portmere on a settlement.", "pilots", "deal")
    assert [s.stance for s in found] == ["accept"]


def test_reviewing_an_offer_after_a_no_is_procedure_not_a_step_toward_it(
    tmp_path: Path,
) -> None:
    engine = engine_with_seed(tmp_path, "The guild rejected the offer.")
    changes = engine.compare_text("The guild said it was reviewing the offer.").changes
    assert [(c.actor, c.issue, c.kind) for c in changes] == [("pilots", "deal", "reaffirmed")]


def test_signalling_openness_after_a_no_is_still_a_softening(tmp_path: Path) -> None:
    engine = engine_with_seed(tmp_path, "The guild rejected the offer.")
    changes = engine.compare_text("The guild said it was open to the offer.").changes
    assert [(c.actor, c.issue, c.kind) for c in changes] == [("pilots", "deal", "softening")]


@pytest.mark.parametrize(
    "text",
    [
        "Both Portmere and the guild want to end the lockout.",
        "Still, both the operator and the guild said they want to end the lockout soon.",
    ],
)
def test_an_aim_both_sides_share_is_no_ones_concession(reader: Reader, text: str) -> None:
    assert read(reader, text, "pilots", "lockout") == []
    assert read(reader, text, "portmere", "lockout") == []


def test_one_sides_wish_to_end_it_is_still_read(reader: Reader) -> None:
    found = read(reader, "The guild wants to end the lockout.", "pilots", "lockout")
    assert [s.stance for s in found] == ["reject"]


@pytest.mark.parametrize("office", ["the Harbour Master's office", "the harbour master's Office"])
def test_an_office_is_its_holder_however_the_outlet_capitalises_it(
    reader: Reader, office: str
) -> None:
    quote = "“Given the guild's refusal to accept the settlement, we will keep the lockout,”"
    text = f"{quote} {office} said."
    found = read(reader, text, "pilots", "deal")
    assert found and all(s.attribution == "third_party" for s in found)


@pytest.mark.parametrize(
    "text",
    [
        "Portmere carried out the lockout on Monday.",
        "Portmere launched the lockout at dawn.",
        "Portmere is conducting a lockout of the pilots.",
    ],
)
def test_an_act_stated_as_an_act_commits_its_actor(reader: Reader, text: str) -> None:
    found = read(reader, text, "portmere", "lockout")
    assert [s.stance for s in found] == ["commit"]


def test_carrying_out_a_conditional_threat_hardens_a_measure_one_side_imposes(
    reader: Reader,
) -> None:
    threat = BaselinePosition("p:lockout", "portmere", "lockout", "accept_if", 0.5, "", "")
    (s,) = read(reader, "Portmere carried out the lockout on Monday.", "portmere", "lockout")
    assert classify(threat, s, concession_no=True) == "hardening"
    # On anything else, a yes without the condition it had gives ground.
    assert classify(threat, s, concession_no=False) == "softening"


def test_backing_as_a_verb_is_a_yes(reader: Reader) -> None:
    text = "Portmere issued a statement on Tuesday backing the settlement."
    assert [s.stance for s in read(reader, text, "portmere", "deal")] == ["accept"]


def test_the_cosigner_of_a_joint_statement_holds_it_too(reader: Reader) -> None:
    text = "Portmere issued a joint statement with the guild on Monday backing the settlement."
    assert [s.stance for s in read(reader, text, "portmere", "deal")] == ["accept"]
    assert [s.stance for s in read(reader, text, "pilots", "deal")] == ["accept"]


def test_a_party_met_with_does_not_hold_the_subjects_stance(reader: Reader) -> None:
    text = "Portmere met with the guild on Monday before backing the settlement."
    assert read(reader, text, "pilots", "deal") == []


@pytest.mark.parametrize(
    "text",
    [
        "Portmere is reviewing a proposal for a settlement in the harbour, which the guild has "
        "already accepted.",
        "Portmere is reviewing the settlement, which the guild has also accepted.",
    ],
)
def test_a_relative_clause_cue_reaches_its_antecedent_past_adverbs_and_a_place(
    reader: Reader, text: str
) -> None:
    assert [s.stance for s in read(reader, text, "pilots", "deal")] == ["accept"]


@pytest.mark.parametrize(
    "text",
    [
        "“The first step could be a settlement on the harbour, if Portmere does the same,” the "
        "guild said.",
        "“Then a settlement right away, if Portmere will reciprocate,” the guild said.",
    ],
)
def test_an_offer_conditioned_only_on_reciprocity_is_a_conditional_yes(
    reader: Reader, text: str
) -> None:
    found = read(reader, text, "pilots", "deal")
    assert [(s.stance, s.modality) for s in found] == [("accept_if", "conditional")]


def test_a_condition_other_than_reciprocity_makes_no_offer(reader: Reader) -> None:
    text = "“The first step could be a settlement, if the weather allows,” the guild said."
    assert read(reader, text, "pilots", "deal") == []


@pytest.mark.parametrize(
    "text",
    [
        "The guild cast doubt over the success of the settlement on Wednesday.",
        "The guild voiced doubts about the settlement.",
    ],
)
def test_doubting_what_one_backed_moves_away_from_it(reader: Reader, text: str) -> None:
    found = read(reader, text, "pilots", "deal")
    assert [(s.stance, s.shift) for s in found] == [("shift", "firmer")]
