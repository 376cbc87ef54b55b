"""Position events: changes stating the same move (actor, issue, new stance, reference) are one.

A change joins the event it was linked to before (the same article, actor, issue and evidence:
so a rescore never revives a dismissed event), else an event of the same move still within the
window of its first and last sighting, or one that was confirmed (a known move restated is that
move, however late). Otherwise it starts a new event.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

EVENT_STATUSES = ("unreviewed", "confirmed", "dismissed")
#: Kinds that are moves; a reaffirmation restates the reference and makes no event.
MOVE_KINDS = frozenset({"reversal", "softening", "hardening", "new"})
DEFAULT_WINDOW = timedelta(days=30)


@dataclass(frozen=True)
class ChangeItem:
    """A stored change waiting for its event."""

    change_id: int
    canonical_url: str
    actor: str
    issue: str
    kind: str
    stance: str
    score: float
    reference: str | None  # the baseline stance it was graded against (None for "new")
    evidence: str
    confidence: float
    stated_at: datetime

    @property
    def move(self) -> tuple[str, str, str, str | None]:
        return (self.actor, self.issue, self.stance, self.reference)

    @property
    def evidence_key(self) -> tuple[str, str, str, str]:
        return (self.canonical_url, self.actor, self.issue, self.evidence)


@dataclass
class EventDraft:
    """An event as grouping sees it: a stored one (id set) or one to create (id None)."""

    actor: str
    issue: str
    kind: str
    stance: str
    score: float
    reference: str | None
    first_seen: datetime
    last_seen: datetime
    status: str = "unreviewed"
    id: int | None = None
    changes: list[int] = field(default_factory=list)

    @property
    def move(self) -> tuple[str, str, str, str | None]:
        return (self.actor, self.issue, self.stance, self.reference)

    def covers(self, moment: datetime, window: timedelta) -> bool:
        if self.status == "confirmed":
            return True
        return self.first_seen - window <= moment <= self.last_seen + window

    def extend(self, item: ChangeItem) -> None:
        self.first_seen = min(self.first_seen, item.stated_at)
        self.last_seen = max(self.last_seen, item.stated_at)
        self.changes.append(item.change_id)


@dataclass(frozen=True)
class Grouping:
    """What to write: events to create (with their changes) and changes joining stored events."""

    created: list[EventDraft]
    links: dict[int, int]  # change id -> stored event id

    @property
    def linked(self) -> int:
        return len(self.links) + sum(len(e.changes) for e in self.created)


def group_changes(
    items: Iterable[ChangeItem],
    known: Iterable[EventDraft],
    remembered: Mapping[tuple[str, str, str, str], int],
    *,
    window: timedelta = DEFAULT_WINDOW,
) -> Grouping:
    """Place each move in an event, oldest statement first; reaffirmations are left out.

    `known` are stored events (with id, status and sighting range); `remembered` maps an
    evidence key (article, actor, issue, evidence sentence) to the event it was linked to
    before, under any baseline version.
    """
    events: dict[tuple[str, str, str, str | None], list[EventDraft]] = {}
    for event in known:
        events.setdefault(event.move, []).append(event)
    created: list[EventDraft] = []
    links: dict[int, int] = {}
    for item in sorted(items, key=lambda i: (i.stated_at, i.change_id)):
        if item.kind not in MOVE_KINDS:
            continue
        if (event_id := remembered.get(item.evidence_key)) is not None:
            links[item.change_id] = event_id
            continue
        candidates = events.setdefault(item.move, [])
        found = _closest(candidates, item.stated_at, window)
        if found is None:
            event = EventDraft(
                actor=item.actor,
                issue=item.issue,
                kind=item.kind,
                stance=item.stance,
                score=item.score,
                reference=item.reference,
                first_seen=item.stated_at,
                last_seen=item.stated_at,
            )
            candidates.append(event)
            created.append(event)
            event.changes.append(item.change_id)
            continue
        if found.id is None:
            found.extend(item)
        else:
            found.first_seen = min(found.first_seen, item.stated_at)
            found.last_seen = max(found.last_seen, item.stated_at)
            links[item.change_id] = found.id
    return Grouping(created=created, links=links)


def _closest(
    candidates: list[EventDraft], moment: datetime, window: timedelta
) -> EventDraft | None:
    covering = [e for e in candidates if e.covers(moment, window)]
    if not covering:
        return None
    # Prefer a confirmed event, then the one whose sightings are nearest in time.
    return min(
        covering,
        key=lambda e: (
            e.status != "confirmed",
            min(abs(moment - e.first_seen), abs(moment - e.last_seen)),
        ),
    )
