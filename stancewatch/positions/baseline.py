"""The baseline: per actor and issue, the position the seed documents state, and why it won."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence

from stancewatch.models import BaselinePosition, Override, Statement

ATTRIBUTION_RANK = {"direct": 0, "reported": 1, "third_party": 2}


def position_id(actor: str, issue: str) -> str:
    """Stable id of a baseline position."""
    return f"{actor}:{issue}"


def baseline_version(parts: Iterable[str | bytes], engine_version: str) -> str:
    """Hash of everything the baseline depends on: seeds, watchlist, overrides, engine."""
    digest = hashlib.sha256()
    for part in (*parts, engine_version):
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()[:16]


def _baseline_rank(s: Statement) -> tuple[int, int, int, int, int]:
    return (
        ATTRIBUTION_RANK[s.attribution],
        int(s.headline),
        int(s.modality == "hedged"),
        int(s.background),
        -round(abs(s.score) * 100),
    )


def _seed_winners(
    documents: Sequence[tuple[str, Sequence[Statement]]],
) -> dict[tuple[str, str], tuple[Statement, str, tuple[int, ...]]]:
    """Per actor and issue, the seed statement that stands, its file and its rank."""
    best: dict[tuple[str, str], tuple[Statement, str, tuple[int, ...]]] = {}
    for position, (name, statements) in enumerate(documents):
        for s in statements:
            if s.attribution == "third_party" or s.stance == "shift":
                continue
            key = (s.actor, s.issue)
            rank = (*_baseline_rank(s), position, s.sentence_index)
            if key not in best or rank < best[key][2]:
                best[key] = (s, name, rank)
    return best


_BASELINE_RANK_REASONS = (
    "better attributed ({w.attribution} over {o.attribution})",
    "in the body, not only the headline",
    "unhedged",
    "news, not a background recap",
    "a firmer stance",
    "in an earlier seed document",
    "earlier in the document",
)


def baseline_verdicts(
    documents: Sequence[tuple[str, Sequence[Statement]]],
    overrides: Sequence[Override] = (),
) -> list[list[str]]:
    """Per seed document and statement: whether it became the baseline position and why."""
    winners = _seed_winners(documents)
    by_key = {(o.actor, o.issue): o for o in overrides}
    out: list[list[str]] = []
    for position, (_, statements) in enumerate(documents):
        verdicts: list[str] = []
        for s in statements:
            key = (s.actor, s.issue)
            override = by_key.get(key)
            winner = winners.get(key)
            if s.attribution == "third_party":
                verdicts.append("a third party's claim: never a baseline position")
            elif s.stance == "shift":
                verdicts.append("a bare move ('softened', 'hardened') states no position")
            elif override is not None and override.action == "drop":
                verdicts.append("dropped by overrides.toml" + _note(override))
            elif winner is not None and winner[0] is s:
                verdict = f"the baseline position {position_id(*key)}"
                if override is not None:
                    verdict += f", replaced by overrides.toml ({override.stance})" + _note(override)
                verdicts.append(verdict)
            elif winner is not None:
                rank = (*_baseline_rank(s), position, s.sentence_index)
                reason = next(
                    (
                        r.format(w=winner[0], o=s)
                        for r, a, b in zip(_BASELINE_RANK_REASONS, winner[2], rank, strict=True)
                        if a != b
                    ),
                    "ranked equal; the first one read wins",
                )
                where = (
                    "the headline"
                    if winner[0].headline
                    else (f"sentence {winner[0].sentence_index + 1}")
                )
                verdicts.append(f"outranked by {winner[1]} {where}: {reason}")
            else:
                verdicts.append("not used")
        out.append(verdicts)
    return out


def _note(override: Override) -> str:
    return f": {override.note}" if override.note else ""


def build_baseline(
    documents: Sequence[tuple[str, Sequence[Statement]]],
    overrides: Sequence[Override] = (),
) -> tuple[BaselinePosition, ...]:
    """Baseline positions from the statements of the seed documents, then the overrides.

    Per actor and issue the best-attributed, plainest, firmest statement stands; third-party
    claims never make a baseline position. Overrides set or drop positions by actor and issue.
    """
    best = {key: (s, name) for key, (s, name, _) in _seed_winners(documents).items()}
    positions = {
        key: BaselinePosition(
            id=position_id(*key),
            actor=s.actor,
            issue=s.issue,
            stance=s.stance,
            score=s.score,
            text=s.sentence,
            seed_file=name,
            attribution=s.attribution,
            counterpart=s.counterpart and s.score < 0,
            amount=s.amount,
        )
        for key, (s, name) in best.items()
    }
    for o in overrides:
        key = (o.actor, o.issue)
        if o.action == "drop":
            positions.pop(key, None)
            continue
        previous = positions.get(key)
        positions[key] = BaselinePosition(
            id=position_id(*key),
            actor=o.actor,
            issue=o.issue,
            stance=o.stance or "support",
            score=o.score if o.score is not None else 1.0,
            text=o.text or (previous.text if previous else o.note or "set by overrides.toml"),
            seed_file=previous.seed_file if previous else "overrides.toml",
            attribution="direct",
            pinned=True,
        )
    return tuple(sorted(positions.values(), key=lambda p: (p.actor, p.issue)))


#: Per actor and issue, the (normalised) sentences the seed documents state it in.
SeedSentences = Mapping[tuple[str, str], frozenset[str]]


def sentence_key(sentence: str) -> str:
    """A sentence as compared with the seeds': case and spacing do not matter."""
    return " ".join(sentence.split()).casefold()


def seed_sentences(documents: Sequence[tuple[str, Sequence[Statement]]]) -> SeedSentences:
    """Every sentence in which the seeds state a position, per actor and issue.

    The baseline keeps one position per pair, but a seed may state the pair several times
    (rejecting one offer, backing another); restating any of those is where things stood.
    """
    found: dict[tuple[str, str], set[str]] = {}
    for _, statements in documents:
        for s in statements:
            if s.attribution != "third_party":
                found.setdefault((s.actor, s.issue), set()).add(sentence_key(s.sentence))
    return {key: frozenset(v) for key, v in found.items()}
