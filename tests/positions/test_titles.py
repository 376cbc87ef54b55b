"""Office titles: one declaration covers the other spellings news uses."""

from __future__ import annotations

from pathlib import Path

from stancewatch.positions import Reader
from stancewatch.positions.titles import body_variants, office_spellings, title_variants
from stancewatch.positions.watchlist import load_watchlist

WATCHLIST = """
[topic]
id = "trade"
label = "A trade dispute"

[scope]
include = ["tariff*"]

[[actors]]
id = "china"
name = "China"
aliases = ["Beijing"]
adjectives = ["Chinese"]

[[actors.people]]
name = "Wang Wentao"
short = ["Wang"]
titles = ["the minister of commerce"]

[[actors]]
id = "united_states"
name = "United States"
aliases = ["the US", "Washington"]
adjectives = ["American"]
roles = ["the department of commerce"]

[[actors.people]]
name = "Gina Raimondo"
short = ["Raimondo"]
titles = ["the foreign minister"]

[[actors]]
id = "japan"
name = "Japan"
adjectives = ["Japanese"]

[[actors.people]]
name = "Yoko Kamikawa"
titles = ["the foreign minister"]

[[issues]]
id = "tariffs"
label = "Tariffs"
terms = ["tariff*"]
"""


def test_of_form_gives_the_compound_and_capitalised_forms() -> None:
    variants = title_variants("the minister of commerce")
    assert {"commerce minister", "Commerce Minister", "Minister of Commerce"} <= set(variants)


def test_compound_form_is_not_turned_round() -> None:
    # "foreign minister" is not "minister of foreign": an adjective may lead a compound.
    variants = title_variants("the foreign minister")
    assert "Foreign Minister" in variants
    assert not any(" of " in v for v in variants)


def test_fixed_compounds_and_capitalised_names_are_left_alone() -> None:
    assert title_variants("the prime minister") == []
    assert title_variants("secretary of state") == []
    assert title_variants("the Commerce Minister") == []


def test_a_body_gets_its_spokespeople() -> None:
    variants = set(body_variants("the ministry of commerce"))
    assert {
        "commerce ministry",
        "Commerce Ministry",
        "commerce ministry's spokesperson",
        "commerce ministry spokesman",
        "spokeswoman for the commerce ministry",
    } <= variants


def test_generated_spellings_leave_out_ambiguous_ones(tmp_path: Path) -> None:
    path = tmp_path / "watchlist.toml"
    path.write_text(WATCHLIST)
    watchlist = load_watchlist(path)
    spellings = {
        actor: {(spelling, kind) for spelling, _, kind in found}
        for actor, found in office_spellings(watchlist.actors).items()
    }
    assert ("commerce minister", "title") in spellings["china"]
    # The ministry is named with its country: bare "commerce ministry" could be anyone's.
    assert ("Chinese commerce ministry spokesperson", "role") in spellings["china"]
    assert not any(s == "commerce ministry" for s, _ in spellings["china"])
    assert ("Commerce Department", "role") in spellings["united_states"]
    # Two actors' foreign ministers: a generated "Foreign Minister" would name either; and a
    # compound title ("foreign minister") is not varied at all.
    assert not any("oreign" in s for s, _ in spellings["japan"] | spellings["united_states"])
    # The watchlist itself stays as declared (story scope and {actor} terms are not widened).
    china = watchlist.actor("china")
    assert china is not None and china.people[0].titles == ("the minister of commerce",)


def test_reader_finds_holders_through_generated_spellings(tmp_path: Path) -> None:
    path = tmp_path / "watchlist.toml"
    path.write_text(WATCHLIST)
    reader = Reader(load_watchlist(path))
    text = (
        "A Chinese commerce ministry spokesperson said on Monday that Beijing rejected the "
        "new tariffs. The Commerce Department said it supported the tariffs."
    )
    statements = reader.read(text, title="Tariff row").statements
    holders = {(s.actor, s.stance) for s in statements}
    assert ("china", "reject") in holders
    assert any(s.actor == "united_states" for s in statements)
