"""Grouping changes into position events: one event per move, within a window, review kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from stancewatch.events import ChangeItem, EventDraft, group_changes

DAY = datetime(2024, 7, 6, 12, tzinfo=UTC)


def item(
    change_id: int,
    *,
    days: float = 0,
    url: str | None = None,
    stance: str = "retreat",
    reference: str | None = "propose",
    kind: str = "softening",
    evidence: str = "Hamas no longer insists on a permanent ceasefire first.",
) -> ChangeItem:
    return ChangeItem(
        change_id=change_id,
        canonical_url=url or f"https://example.org/{change_id}",
        actor="hamas",
        issue="end_of_war",
        kind=kind,
        stance=stance,
        score=0.0,
        reference=reference,
        evidence=evidence,
        confidence=0.5 + change_id / 100,
        stated_at=DAY + timedelta(days=days),
    )


def stored(event_id: int, *, status: str = "unreviewed", days: float = 0) -> EventDraft:
    return EventDraft(
        actor="hamas",
        issue="end_of_war",
        kind="softening",
        stance="retreat",
        score=0.0,
        reference="propose",
        first_seen=DAY + timedelta(days=days),
        last_seen=DAY + timedelta(days=days),
        status=status,
        id=event_id,
    )


def test_repeats_of_one_move_within_the_window_are_one_event() -> None:
    grouping = group_changes([item(3, days=9), item(1), item(2, days=2)], [], {})

    assert len(grouping.created) == 1
    event = grouping.created[0]
    assert event.changes == [1, 2, 3]  # oldest statement first
    assert (event.first_seen, event.last_seen) == (DAY, DAY + timedelta(days=9))
    assert grouping.linked == 3


def test_a_restatement_after_the_window_is_a_new_event() -> None:
    grouping = group_changes(
        [item(1), item(2, days=20), item(3, days=70)], [], {}, window=timedelta(days=30)
    )

    assert [e.changes for e in grouping.created] == [[1, 2], [3]]


def test_another_stance_or_reference_is_another_move() -> None:
    grouping = group_changes(
        [item(1), item(2, stance="accept_if"), item(3, reference=None, kind="new")], [], {}
    )

    assert len(grouping.created) == 3


def test_reaffirmations_make_no_event() -> None:
    grouping = group_changes([item(1, kind="reaffirmed")], [], {})

    assert grouping.created == [] and grouping.links == {}


def test_a_confirmed_move_restated_months_later_extends_that_event() -> None:
    grouping = group_changes(
        [item(5, days=200)], [stored(11, status="confirmed")], {}, window=timedelta(days=30)
    )

    assert grouping.created == []
    assert grouping.links == {5: 11}


def test_an_unreviewed_event_is_extended_only_inside_the_window() -> None:
    known = [stored(11)]

    assert group_changes([item(5, days=10)], known, {}).links == {5: 11}
    assert len(group_changes([item(6, days=90)], [stored(11)], {}).created) == 1


def test_evidence_linked_before_rejoins_its_event_even_a_dismissed_one() -> None:
    # A rescore makes new change rows from the same article sentence: they go back to the
    # event the analyst dismissed instead of raising a new one.
    again = item(40, days=300, url="https://example.org/1")
    remembered = {again.evidence_key: 11}

    grouping = group_changes([again], [stored(11, status="dismissed")], remembered)

    assert grouping.created == []
    assert grouping.links == {40: 11}
