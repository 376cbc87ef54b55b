"""Failure classes seen on real copy: claims about others, demands acted on, recaps, measures."""

from __future__ import annotations

from pathlib import Path

import pytest

from stancewatch.models import BaselinePosition, Statement
from stancewatch.positions import Engine, Reader, SeedDocument, load_watchlist
from stancewatch.positions.compare import classify
from stancewatch.positions.stance import background

WATCHLIST = """
[topic]
id = "mill-dispute"
label = "A mill strike and a steel tariff"

[scope]
include = ["mill", "steel", "Ardent"]
exclude = []

[[actors]]
id = "guild"
name = "Millworkers Guild"
kind = "group"
aliases = ["the guild", "the Millworkers Guild"]

[[actors]]
id = "ardent"
name = "Ardent Mills"
kind = "group"
aliases = ["Ardent", "Ardent Mills"]

[[actors]]
id = "norland"
name = "Norland"
kind = "state"
aliases = ["Norland"]
adjectives = ["Norlandic"]

[[issues]]
id = "pension"
label = "Restoring the pension"
terms = ["pension"]

[[issues]]
id = "steel_tariff"
label = "The tariff on imported steel"
concession = "no"
terms = ["tariff* on ~ steel", "steel tariff*"]

[[issues]]
id = "hostage_release"
label = "Release of detained workers"
terms = ["free* ~ workers", "release* ~ workers"]
"""


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> Reader:
    path = tmp_path_factory.mktemp("mill") / "watchlist.toml"
    path.write_text(WATCHLIST)
    return Reader(load_watchlist(path))


def read(reader: Reader, text: str, actor: str, issue: str) -> list[Statement]:
    statements = reader.read(text, judge_scope=False).statements
    return [s for s in statements if s.actor == actor and s.issue == issue]


def test_refusing_to_meet_anothers_demand_rejects_what_it_asks(reader: Reader) -> None:
    text = "Ardent refused to meet the workers' demand to restore the pension."
    assert [(s.stance, s.score) for s in read(reader, text, "ardent", "pension")] == [
        ("reject", -1.0)
    ]
    text = "Ardent again declined to give in to the guild's demands for a pension."
    assert [s.stance for s in read(reader, text, "ardent", "pension")] == ["reject"]


def test_citing_anothers_refusal_is_a_claim_about_it(reader: Reader) -> None:
    text = "Norland closed the border, citing Ardent's refusal to free the detained workers."
    (claim,) = read(reader, text, "ardent", "hostage_release")
    assert claim.attribution == "third_party" and claim.source == "Norland"
    # Without a citer the possessive is the owner's own stance.
    text = "Ardent's refusal to free the detained workers angered the town."
    (own,) = read(reader, text, "ardent", "hostage_release")
    assert own.attribution == "direct"


@pytest.mark.parametrize(
    ("sentence", "cue"),
    [
        ("Ardent cut the pension in 2014 to save money.", "cut"),
        ("Ardent scrapped the pension nearly a decade ago.", "scrapped"),
        (
            "Since the two sides started trading threats, Ardent has rejected the pension.",
            "rejected",
        ),
        ("The guild hardened its line after talks stalled over the pension.", "hardened"),
    ],
)
def test_process_recaps_are_background(sentence: str, cue: str) -> None:
    assert background(sentence, sentence.index(cue), reported_speech=False)


def test_news_is_not_a_recap() -> None:
    sentence = "Ardent rejected the pension on Monday."
    assert not background(sentence, sentence.index("rejected"), reported_speech=False)


def test_lowering_an_amount_is_against_the_measure(reader: Reader) -> None:
    text = "Norland agreed to lower the 25% tariff on imported steel."
    assert [s.score for s in read(reader, text, "norland", "steel_tariff")] == [-1.0]


def _position(stance: str, score: float) -> BaselinePosition:
    return BaselinePosition(
        "norland:steel_tariff", "norland", "steel_tariff", stance, score, "", ""
    )


def test_a_conditional_lifting_of_a_measure_gives_ground(reader: Reader) -> None:
    text = "Norland said it was ready to lower the tariff on steel if Ardent makes concessions."
    (s,) = read(reader, text, "norland", "steel_tariff")
    assert s.score == -0.5
    imposes = _position("support", 1.0)
    assert classify(imposes, s, concession_no=True) == "softening"
    # On an issue whose "yes" is the concession, a "no unless" from a "yes" adds a condition.
    assert classify(imposes, s, concession_no=False) == "hardening"


def test_concession_must_be_yes_or_no(tmp_path: Path) -> None:
    from stancewatch.errors import ConfigError

    path = tmp_path / "watchlist.toml"
    path.write_text(WATCHLIST.replace('concession = "no"', 'concession = "maybe"'))
    with pytest.raises(ConfigError, match="'concession' must be"):
        load_watchlist(path)


def test_open_baseline_yes_reaffirms_and_no_hardens(reader: Reader) -> None:
    open_position = _position("open", 0.0)
    yes = Statement("norland", "steel_tariff", "accept", 1.0, "direct", "s", 0)
    no = Statement("norland", "steel_tariff", "reject", -1.0, "direct", "s", 0)
    assert classify(open_position, yes) == "reaffirmed"
    assert classify(open_position, no) == "hardening"


def test_seed_engine_from_parts_without_documents_uses_overrides(tmp_path: Path) -> None:
    (tmp_path / "watchlist.toml").write_text(WATCHLIST)
    (tmp_path / "overrides.toml").write_text(
        '[[set]]\nactor = "guild"\nissue = "pension"\nstance = "demand"\ntext = "t"\n'
    )
    engine = Engine.from_parts(tmp_path / "watchlist.toml", tmp_path / "overrides.toml", ())
    assert [(p.actor, p.stance, p.pinned) for p in engine.baseline] == [("guild", "demand", True)]
    seeded = Engine.from_parts(
        tmp_path / "watchlist.toml",
        None,
        (SeedDocument("seed", "The guild demanded the pension be restored at the mill."),),
    )
    assert [(p.actor, p.issue) for p in seeded.baseline] == [("guild", "pension")]


def test_rejecting_the_other_sides_reply_is_no_reversal_of_backing_a_deal(
    reader: Reader,
) -> None:
    text = "Norland rejected Ardent's latest counterproposal on the steel tariff."
    (s,) = read(reader, text, "norland", "steel_tariff")
    assert s.counterpart and s.score < 0
    assert classify(_position("support", 1.0), s) == "reaffirmed"
    text = "Norland rejected the steel tariff."
    (own,) = read(reader, text, "norland", "steel_tariff")
    assert not own.counterpart
    assert classify(_position("support", 1.0), own) == "reversal"


@pytest.mark.parametrize(
    "text",
    [
        "Norland urged Ardent and the guild to restore the pension.",
        "Norland urges Ardent, the guild and the mill owners to restore the pension.",
        "Norland called on the guild and Ardent to restore the pension.",
    ],
)
def test_the_addressees_of_an_appeal_are_not_its_speakers(reader: Reader, text: str) -> None:
    assert [(s.stance, s.score) for s in read(reader, text, "norland", "pension")] == [
        ("demand", 1.0)
    ]
    assert read(reader, text, "ardent", "pension") == []
    assert read(reader, text, "guild", "pension") == []


def test_a_means_clause_shares_the_main_subject(reader: Reader) -> None:
    text = "Ardent angered the guild on Monday by proposing a new pension."
    assert [s.stance for s in read(reader, text, "ardent", "pension")] == ["propose"]
    assert read(reader, text, "guild", "pension") == []


def test_a_stance_inside_anothers_condition_is_not_its_owners(reader: Reader) -> None:
    text = "The guild said it was ready to talk, provided that Ardent's commitment to the pension."
    assert read(reader, text, "ardent", "pension") == []


def test_what_one_side_says_another_must_do_is_the_speakers_demand(reader: Reader) -> None:
    text = "Ardent must accept the pension plan before a deal, the Millworkers Guild said Tuesday."
    assert read(reader, text, "ardent", "pension") == []
    assert [s.stance for s in read(reader, text, "guild", "pension")] == ["demand"]
    # An actor's own "must" stays its own stance.
    text = "Ardent must agree to the pension, Ardent said Tuesday."
    assert [s.actor for s in reader.read(text, judge_scope=False).statements] == ["ardent"]


def test_a_bare_day_after_the_verb_closes_a_wire_style_attribution(reader: Reader) -> None:
    text = "Norland has rejected the steel tariff, Ardent said Tuesday, after talks."
    (said,) = read(reader, text, "norland", "steel_tariff")
    assert (said.attribution, said.source) == ("third_party", "Ardent")


def test_whom_one_side_tries_to_convince_holds_no_stance(reader: Reader) -> None:
    text = "Norland may cut the steel tariff to convince Ardent to accept the pension."
    assert read(reader, text, "ardent", "pension") == []


def test_a_stance_inside_an_until_clause_is_a_condition_not_a_stance(reader: Reader) -> None:
    text = "Norland will keep the steel tariff until Ardent is ready to accept the pension."
    assert read(reader, text, "ardent", "pension") == []
    text = "Ardent is ready to accept the pension."
    assert [s.stance for s in read(reader, text, "ardent", "pension")] != []


def test_readiness_inside_a_when_clause_is_a_condition(reader: Reader) -> None:
    text = "Norland will talk to Ardent when the guild is ready to accept the pension."
    assert read(reader, text, "guild", "pension") == []
    text = "Norland said the guild is ready to accept the pension."
    assert [s.stance for s in read(reader, text, "guild", "pension")] == ["accept"]


def test_rejecting_a_comparison_to_an_issue_is_no_stance_on_it(reader: Reader) -> None:
    text = "Ardent rejected comparisons to the pension of the old mill."
    assert read(reader, text, "ardent", "pension") == []
    text = "Ardent rejected the pension of the old mill."
    assert [s.stance for s in read(reader, text, "ardent", "pension")] == ["reject"]
