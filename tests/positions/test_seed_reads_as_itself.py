"""Comparing a topic's seed documents with the baseline built from them gives only reaffirmed."""

from __future__ import annotations

from pathlib import Path

import pytest

from stancewatch.evaluation.evaluate import default_engine
from stancewatch.evaluation.real import load_real_set
from stancewatch.models import Statement
from stancewatch.positions import Engine, SeedDocument, build_baseline, load_seed_documents
from stancewatch.positions.baseline import seed_sentences
from stancewatch.positions.compare import compare
from stancewatch.settings import Settings

REPO = Path(__file__).resolve().parents[2]
REPO_TOPICS = [REPO / "seeds", REPO / "eval" / "ev_tariffs" / "seeds"]
REAL_SETS = sorted(p.parent for p in (REPO / "eval" / "real").glob("*/set.toml"))


def moves(engine: Engine, documents: tuple[SeedDocument, ...]) -> list[str]:
    found = []
    for doc in documents:
        comparison = engine.compare_text(doc.text)
        assert comparison.related, f"{doc.name} is not related to its own topic"
        found += [
            f"{doc.name}: {c.actor}/{c.issue} {c.kind} ({c.evidence[:80]})"
            for c in comparison.changes
            if c.kind != "reaffirmed"
        ]
    return found


@pytest.mark.parametrize("seeds_dir", REPO_TOPICS, ids=lambda p: p.parent.name)
def test_repo_topic_seeds_read_as_themselves(seeds_dir: Path) -> None:
    engine = Engine.from_seeds(seeds_dir)
    assert moves(engine, load_seed_documents(seeds_dir)) == []


@pytest.mark.parametrize("directory", REAL_SETS, ids=lambda p: p.name)
def test_corpus_seeds_read_as_themselves(directory: Path) -> None:
    cache = Settings.from_env().news_real_dir
    eval_set = load_real_set(directory, cache)
    if eval_set.seed_documents is None:
        documents = load_seed_documents(eval_set.seeds_dir)  # the repo's own seeds
    elif eval_set.seed_documents:
        documents = eval_set.seed_documents
    else:
        documents = ()
    if not documents:
        seed = cache / directory.name / "seed.txt"
        pytest.skip(f"no seed text for {directory.name}: {seed} is absent (cache not rebuilt)")
    engine = default_engine(eval_set)
    assert isinstance(engine, Engine)
    assert moves(engine, tuple(documents)) == []


def statement(stance: str, score: float, sentence: str) -> Statement:
    return Statement("lab", "deal", stance, score, "direct", sentence, 0)


def test_any_stance_the_seed_states_on_a_pair_is_a_reaffirmation() -> None:
    """A seed that rejects one offer and backs another: restating either is no change."""
    rejects = statement("reject", -1.0, "The lab rejected the union's offer.")
    backs = statement("propose", 1.0, "The lab had put forward its own plan.")
    (position,) = build_baseline([("seed", [rejects, backs])])
    seeds = seed_sentences([("seed", [rejects, backs])])
    (change,) = compare([backs], [position], seeds)
    assert change.kind == "reaffirmed"
    # The same stance in new words is news: the seed sentences do not hide real moves.
    fresh = statement("propose", 1.0, "On Monday the lab proposed a plan of its own.")
    (change,) = compare([fresh], [position], seeds)
    assert change.kind == "reversal"
