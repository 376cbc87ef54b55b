"""Tests for the general-English stance lexicon: cues, negation, modality, conditions, recaps."""

from __future__ import annotations

import pytest

from stancewatch.positions import cues, stance


@pytest.mark.parametrize(
    ("cls", "negation", "hedge", "condition", "expected"),
    [
        (cues.REJECT, None, False, None, ("reject", -1.0)),
        (cues.REJECT, "not", False, None, ("open", 0.0)),  # did not reject outright
        (cues.ACCEPT, "not", False, None, ("reject", -1.0)),  # will not accept
        (cues.DEMAND, "nolonger", False, None, ("retreat", 0.0)),  # no longer insists
        (cues.ACCEPT, None, True, None, ("open", 0.0)),  # could accept
        (cues.ACCEPT, None, False, "only", ("accept_if", 0.5)),  # only if
        (cues.REJECT, None, False, "until", ("reject_unless", -0.5)),
        (cues.SUSPEND, None, False, "until", ("reject", -1.0)),  # suspended until ...
        (cues.SUSPEND, "not", False, None, ("accept", 1.0)),  # did not pull out
        (cues.RETREAT, None, False, None, ("retreat", 0.0)),
        (cues.DEMAND, None, False, "until", ("demand", 1.0)),  # timing of a demand
    ],
)
def test_resolve(
    cls: str, negation: str | None, hedge: bool, condition: str | None, expected: tuple[str, float]
) -> None:
    assert stance.resolve(cls, negation, hedge, condition) == expected


def test_partial_acceptance_is_half_way() -> None:
    assert stance.resolve(cues.ACCEPT, None, False, None, partial=True) == ("accept_partial", 0.5)
    assert stance.partial_scope("agreed to a limited deal", 11, 24)


def test_chain() -> None:
    assert stance.chain(cues.REJECT, cues.ACCEPT) == cues.REJECT  # refused to accept
    assert stance.chain(cues.REJECT, cues.REJECT) == cues.OPEN  # refused to rule out
    assert stance.chain(cues.REJECT, cues.SUSPEND) == cues.ACCEPT  # denied pulling out
    assert stance.chain(cues.RETREAT, cues.DEMAND) == cues.RETREAT  # stopped pushing for


def test_negation_modality_and_conditions() -> None:
    text = "Israel will no longer insist on it"
    assert stance.negation_before(text, text.index("insist")) == "nolonger"
    text = "Hamas would not release the hostages"
    assert stance.modal_before(text, text.index("release")) == "neg"
    text = "Israel will not stop short of destroying"
    assert stance.modal_before(text, text.index("destroying")) is None
    assert stance.condition_after("accept it only if hostages go free", 9) == (
        "only",
        "only if hostages go free",
    )
    assert stance.hedged("Hamas could accept", 12, 18)


def test_background_recaps() -> None:
    assert stance.background("Israel has long insisted on it", 0, False)
    assert stance.background("Hamas had rejected the offer", 10, False)
    assert not stance.background("Blinken said Israel had agreed", 25, True)  # backshift
    assert not stance.background("Hamas rejected the offer on Monday", 6, False)


def test_time_cues_in_a_relative_clause_do_not_make_a_recap() -> None:
    text = "Israel rejected the offer that Hamas had made last month"
    assert not stance.background(text, text.index("rejected"), False)
    assert stance.background("Israel rejected the offer last month", 7, False)


def test_permission_is_not_a_stance() -> None:
    text = "Under the rules, the cabinet can accept the deal"
    assert stance.permission(text, text.index("accept"))
    assert not stance.permission("Israel will accept the deal", len("Israel will "))


def test_reduced_relative_time_belongs_to_the_object() -> None:
    text = "Hamas said it still stands by its acceptance of the framework presented in July."
    assert not stance.background(text, text.index("stands by"), True)
    text = "Hamas accepted in July the framework."
    assert stance.background(text, text.index("accepted"), True)


def test_past_act_in_a_temporal_clause_is_background() -> None:
    text = "Officials said talks stalled after the group rejected the latest offer."
    assert stance.background(text, text.index("rejected"), True)
    news = "Officials said the group rejected the latest offer."
    assert not stance.background(news, news.index("rejected"), True)
    condition = "Israel will withdraw after Hamas releases the hostages."
    assert not stance.background(condition, condition.index("releases"), False)
