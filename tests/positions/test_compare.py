"""Tests for baseline building and the grading of changes against it."""

from __future__ import annotations

from dataclasses import replace

import pytest

from stancewatch.models import BaselinePosition, Override, Statement
from stancewatch.positions.baseline import baseline_version, build_baseline
from stancewatch.positions.compare import classify, compare
from stancewatch.positions.confidence import confidence


def stmt(
    stance: str,
    score: float,
    *,
    actor: str = "hamas",
    issue: str = "end_of_war",
    attribution: str = "direct",
    index: int = 0,
    background: bool = False,
    shift: str | None = None,
    modality: str | None = None,
    resolved: bool = False,
    headline: bool = False,
) -> Statement:
    return Statement(
        actor=actor,
        issue=issue,
        stance=stance,
        score=score,
        attribution=attribution,  # type: ignore[arg-type]
        sentence=f"sentence {index}",
        sentence_index=index,
        background=background,
        shift=shift,
        modality=modality,
        resolved=resolved,
        headline=headline,
    )


def base(
    score: float, stance: str = "x", actor: str = "hamas", issue: str = "end_of_war"
) -> BaselinePosition:
    return BaselinePosition(f"{actor}:{issue}", actor, issue, stance, score, "seed", "s.txt")


@pytest.mark.parametrize(
    ("baseline", "statement", "kind"),
    [
        (1.0, stmt("reject", -1.0), "reversal"),
        (1.0, stmt("retreat", 0.0, shift="softer"), "softening"),
        (1.0, stmt("demand", 1.0), "reaffirmed"),
        (1.0, stmt("reject_unless", -0.5), "hardening"),  # a new condition on a yes
        (1.0, stmt("shift", 0.0, shift="firmer"), "hardening"),
        (1.0, stmt("open", 0.0), "reaffirmed"),  # studying a proposal is no retreat
        (1.0, stmt("reject", -1.0, modality="hedged"), "hardening"),  # a threat to quit
        (-1.0, stmt("open", 0.0), "softening"),  # did not reject outright
        (-1.0, stmt("accept_if", 0.5), "softening"),  # yes only if
        (-1.0, stmt("accept", 1.0), "reversal"),
        (-0.5, stmt("reject", -1.0), "reaffirmed"),
        (-1.0, stmt("accept", 1.0, shift="softer"), "softening"),
        # Same side, similar strength: any "for" stance restates a "for" baseline.
        (1.0, stmt("accept", 1.0), "reaffirmed"),
        (1.0, stmt("support", 1.0), "reaffirmed"),
        (1.0, stmt("accept_if", 0.5), "reaffirmed"),  # keeps to it "as long as" the other does
        (-1.0, stmt("reject_unless", -0.5), "reaffirmed"),  # "not until ...": the same no
        (0.5, stmt("accept", 1.0), "softening"),  # a condition dropped
        # Hedged openness from one who wanted more ("could live with less") is a retreat; as
        # a recap it only restates that the actor was engaged.
        (1.0, stmt("open", 0.0, modality="hedged"), "softening"),
        (1.0, stmt("open", 0.0, modality="hedged", background=True), "reaffirmed"),
    ],
)
def test_classify(baseline: float, statement: Statement, kind: str) -> None:
    assert classify(base(baseline), statement) == kind


def test_classify_without_baseline_is_new() -> None:
    assert classify(None, stmt("demand", 1.0)) == "new"


def test_third_party_never_changes_and_recaps_only_reaffirm() -> None:
    baseline = [base(1.0)]
    assert compare([stmt("reject", -1.0, attribution="third_party")], baseline) == ()
    assert compare([stmt("reject", -1.0, background=True)], baseline) == ()
    (change,) = compare([stmt("demand", 1.0, background=True)], baseline)
    assert change.kind == "reaffirmed"


def test_news_beats_recap_for_the_same_pair() -> None:
    statements = [
        stmt("demand", 1.0, background=True, index=0),
        stmt("retreat", 0.0, index=3, shift="softer"),
    ]
    (change,) = compare(statements, [base(1.0)])
    assert change.kind == "softening" and change.evidence == "sentence 3"
    assert change.baseline is not None and change.baseline.id == "hamas:end_of_war"


def test_direct_beats_reported_and_reported_has_lower_confidence() -> None:
    statements = [
        stmt("reject", -1.0, attribution="reported", index=0),
        stmt("demand", 1.0, attribution="direct", index=5),
    ]
    (change,) = compare(statements, [base(1.0)])
    assert change.kind == "reaffirmed"
    assert confidence(stmt("reject", -1.0, attribution="reported"), "reversal") < confidence(
        stmt("reject", -1.0), "reversal"
    )


def test_new_stance_in_a_sentence_already_tied_to_the_baseline_is_not_new() -> None:
    statements = [
        stmt("accept", 1.0, actor="israel", issue="ceasefire_deal", index=1),
        stmt("accept", 1.0, actor="israel", issue="hostage_release", index=1),
        stmt("accept", 1.0, actor="egypt", issue="hostage_release", index=2),
    ]
    changes = compare(statements, [base(-1.0, actor="israel", issue="ceasefire_deal")])
    assert {(c.actor, c.issue, c.kind) for c in changes} == {
        ("israel", "ceasefire_deal", "reversal"),
        ("egypt", "hostage_release", "new"),
    }


def test_new_stance_pointing_another_way_in_an_anchored_sentence_is_kept() -> None:
    # "demanded the duties stay and would oppose a price deal": the opposition has its own cue.
    statements = [
        stmt("demand", 1.0, actor="france", issue="ev_duties", index=6),
        stmt("reject_unless", -0.5, actor="france", issue="minimum_price", index=6),
        stmt("accept", 1.0, actor="france", issue="retaliation", index=6),
    ]
    changes = compare(statements, [base(1.0, actor="france", issue="ev_duties")])
    assert {(c.actor, c.issue, c.kind) for c in changes} == {
        ("france", "ev_duties", "reaffirmed"),
        ("france", "minimum_price", "new"),
    }


def test_new_stance_elsewhere_survives_an_aspect_in_an_anchored_sentence() -> None:
    statements = [
        stmt("accept", 1.0, actor="israel", issue="ceasefire_deal", index=1),
        stmt("accept", 1.0, actor="israel", issue="hostage_release", index=1),
        stmt("demand", 1.0, actor="israel", issue="hostage_release", index=4),
    ]
    changes = compare(statements, [base(-1.0, actor="israel", issue="ceasefire_deal")])
    (new,) = [c for c in changes if c.kind == "new"]
    assert new.issue == "hostage_release" and new.evidence == "sentence 4"


def test_a_bare_shift_never_makes_or_carries_a_new_position() -> None:
    assert compare([stmt("shift", 0.0, shift="firmer", issue="x")], [base(1.0)]) == ()
    statements = [
        stmt("shift", 0.0, shift="firmer", issue="x", index=0),
        stmt("reject", -1.0, issue="x", index=5),
    ]
    (change,) = compare(statements, [base(1.0)])
    assert (change.kind, change.stance, change.evidence) == ("new", "reject", "sentence 5")


def test_unmarked_reversal_found_by_reference_yields_to_a_named_reaffirmation() -> None:
    reaffirm = stmt("demand", 1.0, index=6)
    inferred = stmt("reject", -1.0, index=7, resolved=True)
    (change,) = compare([reaffirm, inferred], [base(1.0)])
    assert change.kind == "reaffirmed" and change.evidence == "sentence 6"
    # A named headline restating the line counts as the actor named too.
    (change,) = compare([stmt("demand", 1.0, index=-1, headline=True), inferred], [base(1.0)])
    assert change.kind == "reaffirmed"


@pytest.mark.parametrize(
    "statements",
    [
        [stmt("demand", 1.0, index=6, resolved=True), stmt("reject", -1.0, index=7, resolved=True)],
        [stmt("demand", 1.0, index=6), stmt("reject", -1.0, index=7)],
        [
            stmt("demand", 1.0, index=6),
            stmt("reject", -1.0, index=7, resolved=True, shift="softer"),
        ],
        [
            stmt("demand", 1.0, index=0, resolved=True),
            stmt("reject", -1.0, index=-1, headline=True),
            stmt("reject", -1.0, index=2, resolved=True),
        ],
    ],
    ids=["no-named-reaffirmation", "named-reversal", "marked-move", "named-headline-reversal"],
)
def test_reversal_stands_unless_only_inferred_against_a_named_reaffirmation(
    statements: list[Statement],
) -> None:
    (change,) = compare(statements, [base(1.0)])
    assert change.kind != "reaffirmed"


def test_hedged_crossing_yields_to_a_plain_reaffirmation() -> None:
    plain = stmt("accept", 1.0, index=8, resolved=True)
    hedged = stmt("reject", -1.0, index=4, modality="hedged")
    (change,) = compare([hedged, plain], [base(1.0)])
    assert change.kind == "reaffirmed" and change.evidence == "sentence 8"


@pytest.mark.parametrize(
    ("statements", "kind"),
    [
        # Alone, a hedged no from a yes is a threat: hardening.
        ([stmt("reject", -1.0, index=4, modality="hedged")], "hardening"),
        # A reaffirmation as weak as the crossing does not outweigh it.
        (
            [
                stmt("reject", -1.0, index=4, modality="hedged"),
                stmt("accept", 1.0, index=8, modality="hedged"),
            ],
            "hardening",
        ),
        # A recap of the old line does not outweigh a new move.
        (
            [
                stmt("reject", -1.0, index=4, modality="hedged"),
                stmt("accept", 1.0, index=8, background=True),
            ],
            "hardening",
        ),
        # A hedged step toward the other side that does not cross stands beside "still no".
        (
            [stmt("open", 0.0, index=0, modality="hedged"), stmt("demand", 1.0, index=7)],
            "softening",
        ),
        # A move the text itself calls one stands.
        (
            [
                stmt("reject", -1.0, index=4, modality="hedged", shift="firmer"),
                stmt("accept", 1.0, index=8),
            ],
            "hardening",
        ),
    ],
    ids=["alone", "hedged-reaffirmation", "recap", "open-not-crossing", "marked"],
)
def test_hedged_change_stands_without_a_plain_reaffirmation(
    statements: list[Statement], kind: str
) -> None:
    (change,) = compare(statements, [base(1.0)])
    assert change.kind == kind


def test_confidence_ranks_each_make_up_of_evidence() -> None:
    """Each weakness of the evidence lowers confidence (the factors' values are calibrated on
    real articles by `make eval-real`; tests/evaluation/test_calibration.py checks the ranking
    on the labeled development sets)."""
    plain = stmt("demand", 1.0)
    restated = confidence(plain, "reaffirmed")
    # a plain direct restatement is the surest; each weakness on its own costs something
    for weaker in (
        stmt("demand", 1.0, headline=True),
        stmt("demand", 1.0, resolved=True),
        stmt("demand", 1.0, modality="hedged"),
        stmt("demand", 1.0, background=True),
        stmt("demand", 1.0, attribution="reported"),
    ):
        assert confidence(weaker, "reaffirmed") < restated, weaker
    assert confidence(plain, "new") < restated
    # a move the text marks ("dropped its demand") is surer than one inferred from the stance
    marked = confidence(stmt("retreat", 0.0, shift="softer"), "softening")
    assert marked > confidence(stmt("retreat", 0.0), "softening")
    assert confidence(stmt("reject", -1.0, resolved=True), "reversal") < confidence(
        stmt("reject", -1.0), "reversal"
    )
    # a reversal against a position the engine read from the seeds is less sure than one
    # against a position an analyst pinned
    pinned = replace(base(1.0), pinned=True)
    assert confidence(stmt("reject", -1.0), "reversal", base(1.0)) < confidence(
        stmt("reject", -1.0), "reversal", pinned
    )
    # a third party's claim never makes a change, so it carries (almost) no confidence
    assert confidence(stmt("reject", -1.0, attribution="third_party"), "reversal") == 0.05
    assert all(
        0.05 <= confidence(s, k) <= 0.99
        for s in (plain, stmt("retreat", 0.0, shift="softer", headline=True, resolved=True))
        for k in ("reaffirmed", "softening", "new")
    )


def test_build_baseline_prefers_direct_plain_statements_and_applies_overrides() -> None:
    doc = [
        stmt("propose", 1.0, index=4, background=True),
        stmt("retreat", 0.0, index=7, attribution="reported"),
        stmt("reject", -1.0, actor="israel", index=1, attribution="third_party"),
    ]
    overrides = [
        Override("qatar", "negotiations", "set", stance="mediate", score=1.0, text="mediates"),
        Override("hamas", "hostage_release", "drop"),
    ]
    positions = build_baseline([("baseline/a.txt", doc)], overrides)
    by_id = {p.id: p for p in positions}
    assert by_id["hamas:end_of_war"].stance == "propose"
    assert "israel:end_of_war" not in by_id  # third-party claims never make a position
    assert by_id["qatar:negotiations"].pinned and by_id["qatar:negotiations"].text == "mediates"


def test_baseline_version_depends_on_every_part() -> None:
    one = baseline_version(["a", "b"], "1")
    assert one == baseline_version(["a", "b"], "1")
    assert one != baseline_version(["a", "c"], "1")
    assert one != baseline_version(["a", "b"], "2")
    assert one != baseline_version(["ab"], "1")
