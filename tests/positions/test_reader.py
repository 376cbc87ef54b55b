"""Tests for reading statements from text: attribution, stance, negation, scope, recaps."""

from __future__ import annotations

from pathlib import Path

from stancewatch.models import Statement
from stancewatch.positions.reader import Reader
from stancewatch.positions.watchlist import load_watchlist
from tests.conftest import find


def one(reader: Reader, text: str, actor: str, issue: str) -> Statement:
    found = find(reader, text, actor, issue)
    assert found, f"no {actor}/{issue} statement in {text!r}"
    return found[0]


def test_direct_rejection_by_a_leader(reader: Reader) -> None:
    s = one(
        reader,
        "Netanyahu rejected Hamas's proposal for a truce in Gaza.",
        "israel",
        "ceasefire_deal",
    )
    assert (s.stance, s.score, s.attribution) == ("reject", -1.0, "direct")


def test_negation_flips_and_softens(reader: Reader) -> None:
    s = one(
        reader, "Israel did not reject outright the new Gaza framework.", "israel", "ceasefire_deal"
    )
    assert s.stance == "open"
    s = one(
        reader, "Hamas said it would not release the hostages in Gaza.", "hamas", "hostage_release"
    )
    assert s.score == -1.0
    s = one(
        reader,
        "Hamas no longer insists on a permanent ceasefire in Gaza, officials said.",
        "hamas",
        "end_of_war",
    )
    assert (s.stance, s.shift) == ("retreat", "softer")


def test_third_party_claim_is_not_the_described_actors_position(reader: Reader) -> None:
    s = one(
        reader, "Blinken said Israel had accepted the Gaza proposal.", "israel", "ceasefire_deal"
    )
    assert s.attribution == "third_party" and s.source == "Blinken"
    assert not s.background  # backshifted reported speech is not a recap


def test_reported_sources_and_pronoun_resolution(reader: Reader) -> None:
    text = "Sources close to Hamas said the group was willing to consider a phased Gaza withdrawal."
    s = one(reader, text, "hamas", "troop_withdrawal")
    assert (s.attribution, s.stance) == ("reported", "open")


def test_conditions_and_recaps(reader: Reader) -> None:
    s = one(
        reader,
        "Israel will accept a pause in Gaza only if Hamas frees women first.",
        "israel",
        "ceasefire_deal",
    )
    assert (s.stance, s.modality) == ("accept_if", "conditional")
    assert s.condition is not None and s.condition.startswith("only if")
    s = one(
        reader, "Hamas has long demanded a full withdrawal from Gaza.", "hamas", "troop_withdrawal"
    )
    assert s.background and s.stance == "demand"


def test_issue_from_earlier_sentence_and_quotes(reader: Reader) -> None:
    text = (
        "Mediators sent Hamas a new Gaza truce proposal on Monday. "
        "Hamas studied it for two days. "
        '"We will never end the war before Hamas is gone," Netanyahu said.'
    )
    s = one(reader, text, "israel", "end_of_war")
    assert s.score < 0 and s.attribution == "direct"


def test_out_of_scope_article_has_no_statements(reader: Reader) -> None:
    text = (
        "Israel and Hezbollah agreed a ceasefire in Lebanon on Tuesday.\n"
        "Israel will withdraw its troops from southern Lebanon within 60 days.\n"
        "Hezbollah said it accepted the deal. The United States mediated the Lebanon truce.\n"
        "Separately, talks on Gaza continued."
    )
    reading = reader.read(text, title="Israel and Hezbollah agree Lebanon ceasefire")
    assert not reading.related and reading.statements == ()
    assert reading.relatedness < 0.5


def test_a_second_topic_works_with_the_same_code(tmp_path: Path) -> None:
    (tmp_path / "watchlist.toml").write_text(
        """
[topic]
id = "ev"
label = "EV tariffs"
[scope]
include = ["electric vehicle*", "EV*", "tariff*"]
exclude = ["football"]
[[actors]]
id = "china"
name = "China"
aliases = ["China", "Beijing"]
adjectives = ["Chinese"]
[[actors.people]]
name = "Wang Wentao"
short = ["Wang"]
titles = ["the commerce minister"]
[[actors]]
id = "eu"
name = "European Union"
aliases = ["the EU", "Brussels", "the European Commission"]
[[issues]]
id = "ev_tariffs"
label = "Tariffs on Chinese EVs"
terms = ["tariff*", "duties ~ vehicles"]
""",
        encoding="utf-8",
    )
    reader = Reader(load_watchlist(tmp_path / "watchlist.toml"))
    text = (
        "The commerce minister Wang Wentao said Beijing firmly rejected the EU tariffs on "
        "electric vehicles. The EU said it was open to a negotiated alternative to the tariffs."
    )
    reading = reader.read(text, title="China rejects EU electric vehicle tariffs")
    summary = {(s.actor, s.stance) for s in reading.statements if not s.headline}
    assert ("china", "reject") in summary and ("eu", "open") in summary


def test_removal_postnominal_judgments_and_joint_speakers(reader: Reader) -> None:
    s = one(
        reader,
        "Hamas called for the Gaza truce proposal to be scrapped.",
        "hamas",
        "ceasefire_deal",
    )
    assert s.score < 0  # asking for its removal is against it
    s = one(
        reader,
        'Netanyahu said the Gaza offer was "a non-starter".',
        "israel",
        "ceasefire_deal",
    )
    assert s.stance == "reject" and s.attribution == "direct"
    text = "Qatar and Egypt said they were committed to continuing their Gaza mediation."
    joint = {(s.actor, s.attribution) for s in find(reader, text, "qatar", "negotiations")}
    joint |= {(s.actor, s.attribution) for s in find(reader, text, "egypt", "negotiations")}
    assert joint == {("qatar", "direct"), ("egypt", "direct")}


def test_post_posed_unnamed_sources_make_a_statement_reported(reader: Reader) -> None:
    text = (
        "Hamas will no longer insist on a permanent ceasefire in Gaza, "
        "two sources familiar with the talks said on Saturday."
    )
    s = one(reader, text, "hamas", "end_of_war")
    assert s.attribution == "reported" and s.stance == "retreat"


def test_open_ended_wording_marks_a_firmer_stance(reader: Reader) -> None:
    text = "Israel will keep troops in Gaza even after the war, Netanyahu said."
    s = one(reader, text, "israel", "troop_withdrawal")
    assert s.score < 0 and s.shift == "firmer"


def test_a_rule_described_is_not_a_stance(reader: Reader) -> None:
    text = "Under Israeli law, the cabinet can approve a ceasefire deal without a vote."
    assert find(reader, text, "israel", "ceasefire_deal") == []


def test_judgment_of_things_named_before(reader: Reader) -> None:
    text = (
        "Hamas presented a ceasefire proposal on Monday. "
        "Israel said it regarded those proposals as unfounded."
    )
    s = one(reader, text, "israel", "ceasefire_deal")
    assert s.score < 0


def test_quote_following_the_speakers_own_quote_is_theirs() -> None:
    from pathlib import Path

    from stancewatch.positions.reader import Reader
    from stancewatch.positions.watchlist import load_watchlist

    reader = Reader(
        load_watchlist(Path(__file__).resolve().parents[2] / "seeds" / "watchlist.toml")
    )
    text = (
        '"I will agree to a limited arrangement," Netanyahu said. '
        '"But we go back to fighting until Hamas is finished. That part is not for sale."'
    )
    statements = reader.read(text, title="", judge_scope=False).statements
    assert ("israel", "eliminate_hamas") in {(s.actor, s.issue) for s in statements}


def test_cue_in_a_demands_content_clause_is_the_demanders(reader: Reader) -> None:
    text = "Hamas insisted that Israel commit to a permanent ceasefire, an official said."
    assert not find(reader, text, "israel", "end_of_war")
    assert one(reader, text, "hamas", "end_of_war").stance == "demand"
    softer = (
        "Hamas accepted the proposal to start talks, and no longer demands that Israel commit "
        "to a permanent ceasefire, an official said."
    )
    assert not find(reader, softer, "israel", "end_of_war")
    assert one(reader, softer, "hamas", "end_of_war").stance == "retreat"
