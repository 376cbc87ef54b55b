"""More failure classes of real copy: outlets' claims, new offers, acts, amounts, conditions."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from stancewatch.models import BaselinePosition, Statement
from stancewatch.positions import Engine, Reader, SeedDocument, classify, load_watchlist

WATCHLIST = """
[topic]
id = "quarry-dispute"
label = "A quarry strike and a toll on gravel"

[scope]
include = ["quarry", "gravel", "Stonebrook"]
exclude = []

[[actors]]
id = "crew"
name = "Quarry Crews Union"
kind = "group"
aliases = ["the union", "the Quarry Crews Union", "the crews"]

[[actors]]
id = "stonebrook"
name = "Stonebrook Aggregates"
kind = "group"
aliases = ["Stonebrook", "the company"]

[[actors]]
id = "valdor"
name = "Valdor"
kind = "state"
aliases = ["Valdor"]
adjectives = ["Valdoran"]

[[issues]]
id = "offer"
label = "Stonebrook's contract offer"
terms = ["contract offer", "offer", "proposal", "contract"]

[[issues]]
id = "raise"
label = "The general pay raise"
terms = ["pay raise*", "raise*", "wage increase*", "% ~ raise|increase"]

[[issues]]
id = "walkout"
label = "The strike"
terms = ["strike", "walkout"]
against = ["return to work"]

[[issues]]
id = "talks"
label = "Talks and mediation"
terms = ["talks", "negotiat*", "mediation", "mediator*"]
"""


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> Reader:
    path = tmp_path_factory.mktemp("quarry") / "watchlist.toml"
    path.write_text(WATCHLIST)
    return Reader(load_watchlist(path))


def read(reader: Reader, text: str, actor: str, issue: str) -> list[Statement]:
    statements = reader.read(text, judge_scope=False).statements
    return [s for s in statements if s.actor == actor and s.issue == issue]


@pytest.mark.parametrize(
    "text",
    [
        "On Monday, the Gravel Gazette, citing sources, claimed that the union accepted the offer.",
        "The Gravel Gazette, quoting two insiders, reported that the union accepted the offer.",
    ],
)
def test_an_outlets_sourced_claim_is_the_outlets(reader: Reader, text: str) -> None:
    (claim,) = read(reader, text, "crew", "offer")
    assert claim.attribution == "third_party"


def test_an_actor_citing_sources_still_speaks_for_itself(reader: Reader) -> None:
    text = "Valdor, citing its own inspectors, said that it accepted the offer."
    (own,) = read(reader, text, "valdor", "offer")
    assert own.attribution == "direct"


def test_a_verb_coordinated_after_the_object_is_not_a_second_object(reader: Reader) -> None:
    text = "The union voted on Sunday to reject the contract offer and strike."
    assert [s.stance for s in read(reader, text, "crew", "offer")] == ["reject"]
    assert read(reader, text, "crew", "walkout") == []
    # A real second object keeps its place: "rejected the offer and the raise".
    text = "The union voted to reject the contract offer and the pay raise."
    assert [s.stance for s in read(reader, text, "crew", "raise")] == ["reject"]


def test_what_a_plan_provides_for_is_no_ones_stance(reader: Reader) -> None:
    text = "Under the proposal, the union will continue to insist on the pay raise."
    assert read(reader, text, "crew", "raise") == []
    text = "The union will continue to insist on the pay raise."
    assert [s.stance for s in read(reader, text, "crew", "raise")] == ["demand"]


def test_what_a_proposal_says_is_no_ones_stance(reader: Reader) -> None:
    text = "The proposal says that the union would end the strike within a week."
    assert read(reader, text, "crew", "walkout") == []


def _rejected_the_others_offer() -> BaselinePosition:
    return BaselinePosition(
        "valdor:offer", "valdor", "offer", "reject", -1.0, "", "", counterpart=True
    )


def test_a_yes_to_a_new_offer_does_not_take_back_a_no_to_the_old_one(reader: Reader) -> None:
    text = "Valdor accepted a new contract offer on Friday."
    (s,) = read(reader, text, "valdor", "offer")
    assert s.fresh_offer and not s.counterpart
    assert classify(_rejected_the_others_offer(), s) == "reaffirmed"
    # The offer it rejected, accepted after all, is a reversal.
    text = "Valdor accepted Stonebrook's contract offer on Friday."
    (s,) = read(reader, text, "valdor", "offer")
    assert s.counterpart
    assert classify(_rejected_the_others_offer(), s) == "reversal"
    # And a baseline that said no to the offer itself is crossed by any yes to one.
    plain_no = BaselinePosition("valdor:offer", "valdor", "offer", "reject", -1.0, "", "")
    (s,) = read(reader, "Valdor accepted a new contract offer on Friday.", "valdor", "offer")
    assert classify(plain_no, s) == "reversal"


def test_a_seed_that_rejects_the_others_offer_marks_its_baseline(tmp_path: Path) -> None:
    (tmp_path / "watchlist.toml").write_text(WATCHLIST)
    seed = SeedDocument("seed", "Valdor rejected Stonebrook's latest offer at the quarry.")
    engine = Engine.from_parts(tmp_path / "watchlist.toml", None, (seed,))
    (position,) = [p for p in engine.baseline if p.issue == "offer"]
    assert position.stance == "reject" and position.counterpart


def test_where_the_body_reads_the_pair_a_headline_move_does_not_decide() -> None:
    from stancewatch.positions.compare import compare

    position = BaselinePosition("crew:walkout", "crew", "walkout", "commit", 1.0, "", "")
    headline = Statement("crew", "walkout", "reject", -1.0, "direct", "Union ends strike", -1)
    headline = replace(headline, headline=True)
    body = Statement("crew", "walkout", "commit", 1.0, "reported", "The strike goes on.", 3)
    (change,) = compare([headline, body], [position])
    assert change.kind == "reaffirmed"
    # With nothing in the body on the pair, the headline's move stands (at lower confidence).
    (alone,) = compare([headline], [position])
    assert alone.kind == "reversal"
    assert alone.confidence < compare([replace(headline, headline=False)], [position])[0].confidence


@pytest.mark.parametrize(
    "text",
    [
        "Valdoran jets dropped 2,000-pound bombs near the quarry during the strike.",
        "Valdor dropped aid over the quarry during the strike.",
    ],
)
def test_dropping_bombs_or_aid_drops_no_demand(reader: Reader, text: str) -> None:
    assert [s.shift for s in read(reader, text, "valdor", "walkout")] == []


def test_dropping_a_demand_is_still_a_move(reader: Reader) -> None:
    (s,) = read(reader, "The union dropped its demand for a pay raise.", "crew", "raise")
    assert s.shift == "softer"


def test_a_cue_in_a_relative_clause_acts_on_the_noun_it_hangs_on(reader: Reader) -> None:
    text = "The contract offer that Valdor rejected would have ended the strike in a month."
    assert [s.stance for s in read(reader, text, "valdor", "offer")] == ["reject"]
    assert read(reader, text, "valdor", "walkout") == []
    # "that" after a verb opens a reported clause, not a relative one.
    text = "The union said that Valdor rejected the strike."
    assert [s.stance for s in read(reader, text, "valdor", "walkout")] == ["reject"]


@pytest.mark.parametrize(
    ("text", "shift"),
    [
        ("Stonebrook offered a 12% pay raise, up from 9% in its first offer.", "softer"),
        ("Stonebrook proposed a wage increase of 8%, down from 9% last month.", "firmer"),
        ("Stonebrook offered to lift the raise from 9% to 12% on Monday.", "softer"),
    ],
)
def test_a_better_offer_by_amount_gives_ground(reader: Reader, text: str, shift: str) -> None:
    (s,) = read(reader, text, "stonebrook", "raise")
    assert s.shift == shift


def test_asking_for_more_is_a_harder_line(reader: Reader) -> None:
    text = "The union demanded a 20% pay raise, up from 15% in March."
    (s,) = read(reader, text, "crew", "raise")
    assert s.stance == "demand" and s.shift == "firmer"


def test_what_an_actors_offer_includes_it_proposes(reader: Reader) -> None:
    text = "Stonebrook's revised four-year offer includes a 12% pay raise."
    (s,) = read(reader, text, "stonebrook", "raise")
    assert s.stance == "propose" and s.amount == (12.0, "%")


def test_an_offer_compared_with_the_baselines_figure(reader: Reader) -> None:
    offered = BaselinePosition(
        "stonebrook:raise", "stonebrook", "raise", "propose", 1.0, "", "", amount=(9.0, "%")
    )
    (more,) = read(reader, "Stonebrook offered a 12% pay raise.", "stonebrook", "raise")
    (same,) = read(reader, "Stonebrook offered a 9% pay raise.", "stonebrook", "raise")
    (less,) = read(reader, "Stonebrook offered a 7% pay raise.", "stonebrook", "raise")
    assert [classify(offered, s) for s in (more, same, less)] == [
        "softening",
        "reaffirmed",
        "hardening",
    ]
    asked = replace(offered, stance="demand", amount=(15.0, "%"))
    (lower,) = read(reader, "Stonebrook demanded a 12% pay raise.", "stonebrook", "raise")
    assert classify(asked, lower) == "softening"
    # A measure one side imposes bites harder with a larger figure, whoever states it.
    assert classify(offered, more, concession_no=True) == "hardening"


def test_an_analysts_baseline_text_gives_its_figure(tmp_path: Path) -> None:
    (tmp_path / "watchlist.toml").write_text(WATCHLIST)
    (tmp_path / "overrides.toml").write_text(
        '[[set]]\nactor = "stonebrook"\nissue = "raise"\nstance = "propose"\n'
        'text = "Stonebrook offered a 9% pay raise over three years."\n'
    )
    engine = Engine.from_parts(tmp_path / "watchlist.toml", tmp_path / "overrides.toml", ())
    (position,) = engine.baseline
    assert position.amount == (9.0, "%")


@pytest.mark.parametrize(
    "text",
    [
        "Valdor said it would stall its efforts in the talks until both sides show seriousness.",
        "Valdor is withdrawing its delegation from the talks at the quarry.",
        "Valdor has recalled its negotiating team from the talks.",
        "Valdor has put its mediation on hold until both sides show seriousness.",
        "Valdor paused its mediation on Friday.",
    ],
)
def test_acts_that_step_out_of_talks_are_moves(reader: Reader, text: str) -> None:
    assert [s.score for s in read(reader, text, "valdor", "talks")] == [-1.0]


def test_pausing_a_pay_increase_is_no_step_out_of_talks(reader: Reader) -> None:
    text = "Stonebrook's cuts include pausing pay increases for promotions at the quarry."
    assert [s.score for s in read(reader, text, "stonebrook", "raise") if s.score < 0] == []


def test_insisting_it_will_not_is_a_refusal(reader: Reader) -> None:
    text = "Valdor insisted it will not open talks until the strike ends."
    assert [s.score for s in read(reader, text, "valdor", "talks")] == [-1.0]


def test_what_an_appeals_addressees_are_asked_to_do_further_on_is_no_ones_stance(
    reader: Reader,
) -> None:
    text = (
        '"We ask Stonebrook not to miss the chance to settle this by presenting a contract '
        'that ends the strike," the union said.'
    )
    assert read(reader, text, "crew", "offer") == []
    assert read(reader, text, "stonebrook", "offer") == []
    text = "Valdor urged the union's chiefs to stay firm in their commitment to the talks."
    assert read(reader, text, "crew", "talks") == []


def test_the_first_thing_an_appeal_asks_is_the_callers_demand(reader: Reader) -> None:
    text = "Valdor is pressing both sides to accept the contract offer."
    assert [(s.stance, s.score) for s in read(reader, text, "valdor", "offer")] == [("demand", 1.0)]


LADEN = WATCHLIST.replace(
    'terms = ["contract offer", "offer", "proposal", "contract"]',
    'terms = ["contract offer", "offer", "proposal", "contract"]\nfor = ["ratif*"]',
)


@pytest.mark.parametrize(
    "text",
    [
        "The offer is contingent on the union voting to ratify it by Friday.",
        "Stonebrook will pay a bonus if the union members ratify the contract this week.",
        "Stonebrook angered the union by setting a Friday deadline for ratification.",
    ],
)
def test_a_stance_phrase_in_a_condition_or_a_deadline_is_no_stance(
    tmp_path: Path, text: str
) -> None:
    path = tmp_path / "watchlist.toml"
    path.write_text(LADEN)
    laden = Reader(load_watchlist(path))
    assert read(laden, text, "crew", "offer") == []
    assert [s.score for s in read(laden, "The union voted to ratify the offer.", "crew", "offer")]


def test_considering_a_new_offer_after_a_no_is_no_softening(reader: Reader) -> None:
    no = BaselinePosition("crew:offer", "crew", "offer", "reject", -1.0, "", "")
    (s,) = read(reader, "The union is considering the new contract offer.", "crew", "offer")
    assert s.stance == "open" and classify(no, s) == "reaffirmed"
    (old,) = read(reader, "The union is considering the contract offer again.", "crew", "offer")
    assert classify(no, old) == "softening"


def test_urging_pressure_on_someone_over_an_issue_demands_no_issue(reader: Reader) -> None:
    text = "Valdor urges more pressure on Stonebrook over the contract offer."
    assert read(reader, text, "valdor", "offer") == []
    assert [s.stance for s in read(reader, "Valdor urges a new contract offer.", "valdor", "offer")]


def test_refusing_to_negotiate_the_terms_keeps_them_and_refuses_no_talks(reader: Reader) -> None:
    text = "The union refused to negotiate the rejected demands at the quarry."
    assert read(reader, text, "crew", "talks") == []
    text = "The union refused to negotiate with Stonebrook at the quarry."
    assert [s.score for s in read(reader, text, "crew", "talks")] == [-1.0]


def test_what_the_two_sides_could_do_is_not_the_speakers_stance(reader: Reader) -> None:
    text = "Valdor told reporters that the two sides could work on the contract offer."
    assert read(reader, text, "valdor", "offer") == []
    text = "Valdor told reporters that it could work on the contract offer."
    assert read(reader, text, "valdor", "offer") != []


def test_taking_anothers_offer_instead_of_ones_own_gives_ground(reader: Reader) -> None:
    own = BaselinePosition("crew:offer", "crew", "offer", "propose", 1.0, "", "")
    (s,) = read(
        reader, "The union accepts Valdor contract offer, Stonebrook balks.", "crew", "offer"
    )
    assert s.counterpart and classify(own, s) == "softening"
    (plain,) = read(reader, "The union accepts the contract offer.", "crew", "offer")
    assert not plain.counterpart and classify(own, plain) == "reaffirmed"
