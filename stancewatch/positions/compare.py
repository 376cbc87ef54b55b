"""Compare statements with the baseline of stated positions: reversal, softening, hardening."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from stancewatch.models import (
    BaselinePosition,
    Change,
    ChangeExplanation,
    ChangeKind,
    Statement,
)
from stancewatch.positions.amounts import amount_direction
from stancewatch.positions.baseline import SeedSentences, sentence_key
from stancewatch.positions.compare_why import decisive_rank, note_pair, why
from stancewatch.positions.confidence import confidence, confidence_factors
from stancewatch.positions.offers import conflicting_names


def _sign(x: float) -> int:
    return (x > 0) - (x < 0)


def classify(
    baseline: BaselinePosition | None, s: Statement, concession_no: bool = False
) -> ChangeKind:
    """Where a statement stands relative to the baseline position on the same issue.

    concession_no: the issue is a measure one side imposes, so a conditional "no" to it from a
    "yes" ("ready to lower tariffs if ...") gives ground instead of adding a condition.
    """
    if baseline is None:
        return "new"
    b, v = baseline.score, s.score
    if s.counterpart and v < 0 < b:
        return "reaffirmed"  # rejecting the other side's reply is no reversal of backing a deal
    if baseline.stance == "propose" and s.stance in ("accept", "support") and s.counterpart:
        return "softening"  # taking the other side's (or a mediator's) offer instead of its own
    if baseline.counterpart and b < 0 < v and s.fresh_offer and not s.counterpart:
        # Where things stood was a no to the other side's offer: a yes to a new or different
        # offer is no reversal of that no.
        return "reaffirmed"
    if s.stance == "shift":
        return "hardening" if s.shift == "firmer" else "softening"
    if _sign(b) == 0:
        # Open to something: saying yes to it is where the actor stood; a no moves away.
        if s.shift is not None:
            return "hardening" if s.shift == "firmer" else "softening"
        return "hardening" if _sign(v) < 0 else "reaffirmed"
    if _sign(v) == 0:
        if s.stance == "open" and b > 0 and s.shift is None:
            # Studying a proposal is no retreat for one who wants a deal; signalling now that
            # it "could" live with less than it asked ("may be willing to") is.
            hedged_news = s.modality == "hedged" and not s.background
            return "softening" if hedged_news else "reaffirmed"
        if s.stance == "open" and b < 0 and s.shift is None and s.fresh_offer:
            # Considering a new offer after saying no to the last one is procedure, not a
            # step toward it.
            return "reaffirmed"
        return "reaffirmed" if s.shift == "firmer" else "softening"
    if _sign(v) != _sign(b):
        if s.shift == "softer":
            return "softening"
        if s.stance == "reject_partial":
            return "softening"  # giving up part of a yes
        if abs(v) < 1.0 or s.modality == "hedged":
            # Half-way across: a conditional or partial yes from a no is a softening; a
            # conditional no ("not until ...") or a threat to quit from a yes is a hardening.
            return "softening" if b < 0 or concession_no else "hardening"
        return "reversal"
    if s.shift == "softer":
        return "softening"
    if s.shift == "firmer":
        return "hardening"
    if abs(v) < abs(b) and b > 0 and s.stance == "reject_unless":
        return "hardening"  # a new condition on a yes
    if abs(v) > abs(b) and b > 0:
        # A condition dropped: on a measure one side imposes, imposing it outright (carrying
        # out a threat) is the harder line.
        return "hardening" if concession_no else "softening"
    return _amount_move(baseline, s, concession_no)


# Stances that give what the issue names (more of it is a concession) or ask for it.
_GIVING = frozenset({"propose", "accept", "commit", "support", "accept_if", "accept_partial"})
_ASKING = frozenset({"demand"})


def _amount_move(baseline: BaselinePosition, s: Statement, imposed: bool) -> ChangeKind:
    """A same-side statement naming another figure than the baseline's: "a 30% raise" from
    one who offered 25% gives ground; asking more, or imposing more, is a harder line."""
    if s.amount is None or baseline.amount is None or baseline.score <= 0 or s.score <= 0:
        return "reaffirmed"
    if baseline.stance not in _GIVING | _ASKING:
        return "reaffirmed"
    moved = amount_direction(
        s.amount, baseline.amount, giving=baseline.stance in _GIVING, imposed=imposed
    )
    if moved is None:
        return "reaffirmed"
    return "softening" if moved == "softer" else "hardening"


_SHIFTS = ("reversal", "softening", "hardening")


def _distinct_offer(s: Statement, known_offers: frozenset[str] | None) -> tuple[str, ...]:
    """The names of the statement's offer that conflict with the seeds' offers: non-empty when
    it is about another offer than where things stood."""
    if known_offers is None or not s.offer:
        return ()
    return conflicting_names(s.offer, known_offers)


def _anchor_directions(
    statements: Sequence[Statement], index: Mapping[tuple[str, str], BaselinePosition]
) -> dict[tuple[str, int], set[int]]:
    """Per actor and sentence, the directions of its stances on baselined issues there."""
    anchors: dict[tuple[str, int], set[int]] = {}
    for s in statements:
        if s.attribution != "third_party" and (s.actor, s.issue) in index:
            anchors.setdefault((s.actor, s.sentence_index), set()).add(_sign(s.score))
    return anchors


def _is_aspect(s: Statement, anchors: Mapping[tuple[str, int], set[int]]) -> bool:
    """Whether a stance on an unbaselined issue only echoes a baselined one in its sentence.

    One cue gives all its objects the same direction ("approved the ceasefire and hostage
    release agreement"), so a stance pointing the same way as the actor's baselined stance in
    the same sentence is most likely that cue's reach into the deal's terms. A stance pointing
    another way cannot come from that cue: it rests on its own ("demanded the duties stay and
    would oppose a price deal") and is kept.
    """
    return _sign(s.score) in anchors.get((s.actor, s.sentence_index), set())


def _drop_weak_crossings(
    scored: list[tuple[Statement, ChangeKind]], baseline: BaselinePosition | None
) -> list[tuple[Statement, ChangeKind]]:
    """Leave out weak claims that the actor crossed sides when the text has it hold its line.

    A crossing to the other side of the baseline is the strongest claim. When the text does
    not itself call it a move and it rests on weak evidence, while the same article has the
    actor state its baseline stance more firmly, the weak claim is the likelier error and the
    reaffirmation decides:

    - a reversal whose holder or issue was found by reference (a pronoun, an earlier
      sentence), against a reaffirmation naming the actor;
    - a hedged statement on the other side ("appeared to reject"), against a plain one.
    """
    if baseline is None:
        return scored
    side = _sign(baseline.score)
    named = any(kind == "reaffirmed" and not s.resolved for s, kind in scored)
    plain = any(
        kind == "reaffirmed" and s.modality != "hedged" and not s.background for s, kind in scored
    )

    def weak(s: Statement, kind: ChangeKind) -> bool:
        if kind == "reaffirmed" or s.shift is not None:
            return False
        if named and kind == "reversal" and s.resolved:
            return True
        return plain and s.modality == "hedged" and _sign(s.score) == -side != 0

    return [(s, kind) for s, kind in scored if not weak(s, kind)]


def compare(
    statements: Sequence[Statement],
    baseline: Sequence[BaselinePosition],
    seeds: SeedSentences | None = None,
    concession_no: frozenset[str] = frozenset(),
    known_offers: frozenset[str] | None = None,
) -> tuple[Change, ...]:
    """Changes (and reaffirmations) of one text's statements against the baseline.

    Third-party claims never count for the actor they describe. Per actor and issue the
    best-attributed non-background statement decides; background recaps can only reaffirm,
    and so can a sentence the seeds already state the pair in (a reprinted background
    paragraph, or the seed itself). known_offers: the names the seeds give offers; a stance
    on an offer named otherwise ("the 20-point plan") is on another object than the baseline's
    and is `new` (None: offers are not told apart).
    """
    return _compare(statements, baseline, seeds or {}, None, concession_no, known_offers)


def compare_explained(
    statements: Sequence[Statement],
    baseline: Sequence[BaselinePosition],
    seeds: SeedSentences | None = None,
    concession_no: frozenset[str] = frozenset(),
    known_offers: frozenset[str] | None = None,
) -> tuple[tuple[Change, ...], tuple[str, ...]]:
    """compare(), with each change explained and, per statement, what the comparison made of it."""
    verdicts: dict[int, str] = {}
    changes = _compare(statements, baseline, seeds or {}, verdicts, concession_no, known_offers)
    return changes, tuple(verdicts.get(id(s), "") for s in statements)


def _compare(
    statements: Sequence[Statement],
    baseline: Sequence[BaselinePosition],
    seeds: SeedSentences,
    verdicts: dict[int, str] | None,
    concession_no: frozenset[str] = frozenset(),
    known_offers: frozenset[str] | None = None,
) -> tuple[Change, ...]:
    index = {(p.actor, p.issue): p for p in baseline}
    distinct = {id(s): _distinct_offer(s, known_offers) for s in statements}
    groups: dict[tuple[str, str, bool], list[Statement]] = {}
    for s in statements:
        if s.attribution == "third_party":
            if verdicts is not None:
                verdicts[id(s)] = "a third party's claim about the actor: never counts for it"
            continue
        # Where the actor has no baseline on the issue anyway, any offer is simply new.
        other_offer = bool(distinct[id(s)]) and (s.actor, s.issue) in index
        groups.setdefault((s.actor, s.issue, other_offer), []).append(s)
    anchors = _anchor_directions([s for s in statements if not distinct[id(s)]], index)
    changes: list[Change] = []
    for (actor, issue, on_other_offer), group in groups.items():
        key = (actor, issue)
        position = None if on_other_offer else index.get(key)
        if on_other_offer:
            # An offer the seeds never name ("the 20-point plan", "a two-day truce") is an
            # object of its own: no baseline to compare with, and no echo of one either.
            known = seeds.get(key, frozenset())
            group = [s for s in group if sentence_key(s.sentence) not in known]
            if not group:
                continue
        elif position is None:
            # A stance with no baseline must rest on its own cue: a bare "shifted" carries no
            # stance, and one that shares the direction of the actor's baselined stance in the
            # same sentence is an aspect of that stance (the deal's terms), not a new position.
            # A pair the analyst dropped from the baseline stays dropped where the seeds said it.
            known = seeds.get(key, frozenset())
            if verdicts is not None:
                _note_unrooted(group, anchors, known, verdicts)
            group = [
                s
                for s in group
                if s.stance != "shift"
                and not _is_aspect(s, anchors)
                and sentence_key(s.sentence) not in known
            ]
            if not group:
                continue
        news = [s for s in group if not s.background]
        pool = news or group
        known = seeds.get(key, frozenset())
        every = [
            (
                s,
                "reaffirmed"
                if sentence_key(s.sentence) in known
                else classify(position, s, s.issue in concession_no),
            )
            for s in pool
        ]
        scored = _drop_weak_crossings(every, position)
        s, kind = min(scored, key=lambda sk: decisive_rank(*sk))
        body = [sk for sk in scored if not sk[0].headline]
        if s.headline and kind in _SHIFTS and body:
            # A headline is weak evidence (slugs, kickers, "LIVE:" lines): where the body
            # reads the pair too, the body decides.
            s, kind = min(body, key=lambda sk: decisive_rank(*sk))
        elif s.headline and kind in _SHIFTS and (actor, issue, not on_other_offer) in groups:
            # The body reads the actor on the issue only about another offer: the headline's
            # move is not confirmed there.
            if verdicts is not None:
                verdicts[id(s)] = (
                    f"a headline {kind} the body does not confirm (it is about another offer)"
                )
            continue
        if verdicts is not None:
            note_pair(group, news, every, scored, (s, kind), verdicts, distinct[id(s)])
            for other in pool:
                if sentence_key(other.sentence) in known:
                    verdicts[id(other)] += (
                        " (the seeds state this pair in this sentence: it can only reaffirm)"
                    )
        if not news and kind != "reaffirmed":
            continue  # a recap never registers as a change
        changes.append(
            Change(
                actor=s.actor,
                issue=s.issue,
                kind=kind,
                stance=s.stance,
                score=s.score,
                evidence=s.sentence,
                attribution=s.attribution,
                confidence=confidence(s, kind, position),
                baseline=position,
                explanation=None
                if verdicts is None
                else ChangeExplanation(
                    why(scored, (s, kind), distinct[id(s)]),
                    tuple(confidence_factors(s, kind, position)),
                ),
            )
        )
    changes.sort(key=lambda c: (c.kind == "reaffirmed", -c.confidence, c.actor, c.issue))
    return tuple(changes)


def _note_unrooted(
    group: Sequence[Statement],
    anchors: Mapping[tuple[str, int], set[int]],
    known: frozenset[str],
    verdicts: dict[int, str],
) -> None:
    for s in group:
        if sentence_key(s.sentence) in known:
            verdicts[id(s)] = (
                "a sentence the seeds state this pair in, whose position the analyst dropped"
            )
        elif s.stance == "shift":
            verdicts[id(s)] = "a bare move with no baseline position carries no stance"
        elif _is_aspect(s, anchors):
            verdicts[id(s)] = (
                "points the same way as the actor's baselined stance in the same sentence: "
                "an aspect of that stance, not a new position"
            )
