"""Explanations: the reader's trace of each statement and the comparison's reasons."""

from __future__ import annotations

from pathlib import Path

import pytest

from stancewatch.models import BaselinePosition, Statement
from stancewatch.positions import Engine, Reader
from stancewatch.positions.baseline import baseline_verdicts
from stancewatch.positions.compare import compare, compare_explained
from stancewatch.positions.confidence import confidence, confidence_factors
from tests.conftest import SEEDS_DIR


def traced(reader: Reader, text: str, actor: str, issue: str) -> list[Statement]:
    reading = reader.read(text, title="Gaza talks", explain=True)
    return [s for s in reading.statements if s.actor == actor and s.issue == issue]


def test_no_trace_unless_asked(reader: Reader) -> None:
    text = "Hamas rejected the proposal on Tuesday."
    plain = reader.read(text, title="Gaza talks").statements
    explained = reader.read(text, title="Gaza talks", explain=True).statements
    assert plain and all(s.trace is None for s in plain)
    assert all(s.trace is not None for s in explained)
    # The trace is not part of a statement's identity: the same reading either way.
    assert plain == explained


def test_pronoun_holder_names_its_antecedent(reader: Reader) -> None:
    text = "Netanyahu spoke in Jerusalem on Sunday. He rejected the proposal outright."
    [s] = traced(reader, text, "israel", "ceasefire_deal")
    assert s.trace is not None
    assert s.trace.holder == "He"
    assert "pronoun" in s.trace.holder_how
    assert "Netanyahu (an earlier sentence)" in s.trace.holder_how
    assert s.trace.cue == "rejected"
    assert "rejects" in s.trace.cue_how
    assert s.trace.object == "proposal"


def test_named_holder_and_reported_source(reader: Reader) -> None:
    text = "Hamas has agreed to the proposal, sources close to the group said."
    [s] = traced(reader, text, "hamas", "ceasefire_deal")
    assert s.trace is not None and s.attribution == "reported"
    assert "name of the actor" in s.trace.holder_how
    assert "unnamed sources" in s.trace.attribution_why


def test_third_party_claim_is_explained(reader: Reader) -> None:
    text = "Blinken said Israel had accepted the proposal."
    statements = reader.read(text, title="Gaza talks", explain=True).statements
    israel = [s for s in statements if s.actor == "israel" and s.attribution == "third_party"]
    assert israel
    assert israel[0].trace is not None
    assert "third party" in israel[0].trace.attribution_why or "someone else" in (
        israel[0].trace.attribution_why
    )


def test_recap_names_its_marker(reader: Reader) -> None:
    text = "Israel has long rejected a full withdrawal of its troops from Gaza."
    [s] = traced(reader, text, "israel", "troop_withdrawal")
    assert s.background and s.trace is not None
    assert s.trace.recap.startswith("recap:") and "has long" in s.trace.recap
    news = traced(
        reader, "Israel rejected a withdrawal of its troops.", "israel", "troop_withdrawal"
    )
    assert news[0].trace is not None and news[0].trace.recap.startswith("news:")


def test_negation_and_condition_are_shown(reader: Reader) -> None:
    text = "Hamas said it would not release the hostages until the war ends."
    statements = traced(reader, text, "hamas", "hostage_release")
    assert statements and statements[0].trace is not None
    assert statements[0].trace.negation == "not"
    assert statements[0].condition is not None


def stmt(stance: str, score: float, index: int, **kw: object) -> Statement:
    return Statement(
        actor="hamas",
        issue="end_of_war",
        stance=stance,
        score=score,
        attribution=kw.pop("attribution", "direct"),  # type: ignore[arg-type]
        sentence=f"sentence {index}",
        sentence_index=index,
        **kw,  # type: ignore[arg-type]
    )


BASELINE = (
    BaselinePosition(
        id="hamas:end_of_war",
        actor="hamas",
        issue="end_of_war",
        stance="demand",
        score=1.0,
        text="seed",
        seed_file="baseline/a.txt",
    ),
)


def test_explained_compare_gives_the_same_changes_and_a_verdict_per_statement() -> None:
    statements = [
        stmt("reject", -1.0, 0, attribution="third_party"),
        stmt("demand", 1.0, 1, background=True),
        stmt("open", 0.0, 2, attribution="reported"),
        stmt("accept_if", 0.5, 3, shift="softer"),
    ]
    changes, verdicts = compare_explained(statements, BASELINE)
    assert changes == compare(statements, BASELINE)
    assert len(verdicts) == len(statements)
    assert "third party" in verdicts[0]
    assert "recap" in verdicts[1]
    assert verdicts[2].startswith("outranked by sentence 4")
    assert "better attributed (direct over reported)" in verdicts[2]
    assert verdicts[3] == "decides hamas/end_of_war: softening"
    [change] = changes
    assert change.explanation is not None
    assert change.explanation.why.startswith("sentence 4 decides")
    assert "beats 1 other" in change.explanation.why


def test_a_recap_that_would_move_says_it_never_does() -> None:
    statements = [stmt("reject", -1.0, 0, background=True)]
    changes, verdicts = compare_explained(statements, BASELINE)
    assert changes == ()
    assert verdicts == ("a background recap would make a reversal: a recap never does",)


@pytest.mark.parametrize(
    "statement",
    [
        stmt("open", 0.0, 0, attribution="reported", modality="hedged", resolved=True),
        stmt("demand", 1.0, 0, headline=True, background=True),
        stmt("demand", 1.0, 0),
    ],
)
def test_confidence_is_the_product_of_its_factors(statement: Statement) -> None:
    [change] = compare([statement], BASELINE)
    factors = confidence_factors(statement, change.kind)
    product = 1.0
    for _, value in factors:
        product *= value
    assert confidence(statement, change.kind) == round(min(0.99, max(0.05, product)), 2)
    assert factors[0][0] == f"{statement.attribution} attribution"


def test_baseline_verdicts_say_which_statement_stands() -> None:
    first = [stmt("demand", 1.0, 0, attribution="reported"), stmt("propose", 1.0, 1)]
    second = [stmt("reject", -1.0, 0, attribution="third_party")]
    verdicts = baseline_verdicts([("baseline/a.txt", first), ("baseline/b.txt", second)])
    assert verdicts[0][1] == "the baseline position hamas:end_of_war"
    assert verdicts[0][0].startswith("outranked by baseline/a.txt sentence 2: better attributed")
    assert "third party" in verdicts[1][0]


def test_engine_explains_every_seed_statement(tmp_path: Path) -> None:
    engine = Engine.from_seeds(SEEDS_DIR)
    items = engine.explain_baseline()
    assert items and all(item.statement.trace is not None for item in items)
    standing = [item for item in items if item.verdict.startswith("the baseline position")]
    # Every position read from the seeds (not set by overrides alone) has its statement listed.
    assert {(i.statement.actor, i.statement.issue) for i in standing} <= {
        (p.actor, p.issue) for p in engine.baseline
    }
    assert any(item.verdict.startswith("outranked by") for item in items)


def test_a_seed_sentence_restated_is_explained_as_a_reaffirmation() -> None:
    restated = stmt("reject", -1.0, 0)
    seeds = {("hamas", "end_of_war"): frozenset({"sentence 0"})}
    changes, verdicts = compare_explained([restated], BASELINE, seeds)
    assert changes == compare([restated], BASELINE, seeds)
    assert [c.kind for c in changes] == ["reaffirmed"]
    assert "the seeds state this pair in this sentence" in verdicts[0]


def test_a_pronoun_chain_is_followed_to_the_name(reader: Reader) -> None:
    text = (
        "Antony Blinken met mediators in Doha on Monday. "
        '"We are ready to accept the proposal," he said.'
    )
    statements = traced(reader, text, "united_states", "ceasefire_deal")
    assert statements and statements[0].trace is not None
    how = statements[0].trace.holder_how
    assert "Blinken" in how
