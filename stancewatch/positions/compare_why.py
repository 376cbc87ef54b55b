"""Why a comparison graded as it did: how a pair's statements rank, and the reasons in words."""

from __future__ import annotations

from collections.abc import Sequence

from stancewatch.models import ChangeKind, Statement
from stancewatch.positions.baseline import ATTRIBUTION_RANK
from stancewatch.positions.offers import describe


def decisive_rank(s: Statement, kind: ChangeKind) -> tuple[int, int, int, int, int, float, int]:
    """How strongly a statement decides its pair: smaller wins (see _RANK_REASONS)."""
    return (
        ATTRIBUTION_RANK[s.attribution],
        int(s.headline),
        int(s.shift is None),
        int(kind == "reaffirmed"),
        int(s.modality == "hedged"),
        -abs(s.score),
        s.sentence_index,
    )


def _other_offer(names: Sequence[str]) -> str:
    return f"an offer the seed documents never name ({describe(names)}), so no baseline"


_RANK_REASONS = (
    "better attributed ({w.attribution} over {o.attribution})",
    "in the article's body, not only its headline",
    "the text itself calls it a move ('softened', 'dropped', 'no longer', 'hardened')",
    "a change outranks a reaffirmation",
    "unhedged",
    "a firmer stance",
    "earlier in the article",
)


def _where(s: Statement) -> str:
    return "the headline" if s.headline else f"sentence {s.sentence_index + 1}"


def _outranks(winner: tuple[Statement, ChangeKind], other: tuple[Statement, ChangeKind]) -> str:
    """The first ranking criterion on which the winner beats another statement."""
    for reason, a, b in zip(
        _RANK_REASONS, decisive_rank(*winner), decisive_rank(*other), strict=True
    ):
        if a != b:
            return reason.format(w=winner[0], o=other[0])
    return "ranked equal; the first one read wins"


def _unbaselined(s: Statement) -> str:
    return f"the baseline has no position of {s.actor} on {s.issue}, so it is new"


def why(
    scored: Sequence[tuple[Statement, ChangeKind]],
    winner: tuple[Statement, ChangeKind],
    offer_names: Sequence[str] = (),
) -> str:
    """Why the winning statement decides its (actor, issue) pair, for --explain: what it makes
    of the pair (against the baseline, on another offer, or new) and why it beats the others.
    """
    s, kind = winner
    others = [sk for sk in scored if sk[0] is not s]
    head = f"{_where(s)} decides: {s.stance} against the baseline is {kind}"
    if offer_names:
        head = f"{_where(s)} decides: {s.stance} on {_other_offer(offer_names)} is {kind}"
    elif kind == "new":
        head = f"{_where(s)} decides: {s.stance}, {_unbaselined(s)}"
    if not others:
        return f"{head}; the only statement left on this pair"
    reasons = sorted({_outranks(winner, o) for o in others})
    return f"{head}; it beats {len(others)} other(s): " + "; ".join(reasons)


def note_pair(
    group: Sequence[Statement],
    news: Sequence[Statement],
    every: Sequence[tuple[Statement, ChangeKind]],
    scored: Sequence[tuple[Statement, ChangeKind]],
    winner: tuple[Statement, ChangeKind],
    verdicts: dict[int, str],
    offer_names: Sequence[str] = (),
) -> None:
    """Record in verdicts (by statement id) what became of each statement on one pair: the
    recaps the news overrides, weak claims left out, the outranked, and the winner's verdict.
    """
    s, kind = winner
    for other in group:
        if news and other.background:
            verdicts[id(other)] = "a background recap; the article's news on this pair decides"
    kept = {id(sk[0]) for sk in scored}
    for other, other_kind in every:
        if id(other) not in kept:
            verdicts[id(other)] = (
                f"a weak claim of crossing sides ({other_kind}: hedged or found by reference) "
                "while the article has the actor hold its line plainly: left out"
            )
    for other, other_kind in scored:
        if other is not s:
            verdicts[id(other)] = (
                f"outranked by {_where(s)} ({_outranks(winner, (other, other_kind))})"
            )
    if not news and kind != "reaffirmed":
        verdicts[id(s)] = f"a background recap would make a {kind}: a recap never does"
    elif offer_names:
        verdicts[id(s)] = f"decides {s.actor}/{s.issue}: {kind}, on {_other_offer(offer_names)}"
    elif kind == "new":
        verdicts[id(s)] = f"decides {s.actor}/{s.issue}: new ({_unbaselined(s)})"
    else:
        verdicts[id(s)] = f"decides {s.actor}/{s.issue}: {kind}"
