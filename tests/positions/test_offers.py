"""Offers named apart from the seed's: a numbered plan, a dated proposal, an eponymous plan."""

from __future__ import annotations

from pathlib import Path

import pytest

from stancewatch.models import Comparison
from stancewatch.positions import Engine, Reader, SeedDocument, load_watchlist
from tests.positions.watchlists import HARBOUR
from tests.positions.watchlists import HARBOUR_SEED as SEED


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    path = tmp_path_factory.mktemp("harbour") / "watchlist.toml"
    path.write_text(HARBOUR)
    return Engine.from_parts(path, None, (SeedDocument("seed", SEED),))


def kinds(comparison: Comparison, actor: str) -> list[str]:
    return sorted(c.kind for c in comparison.changes if c.actor == actor)


def test_the_seed_reads_as_itself(engine: Engine) -> None:
    assert engine.baseline, "the seed gives a baseline"
    assert kinds(engine.compare_text(SEED), "front") == ["reaffirmed"]


@pytest.mark.parametrize(
    "sentence",
    [
        "The Harbour Front on Tuesday rejected the 12-point plan for the harbour.",
        "The Harbour Front on Tuesday rejected the six point plan for the harbour.",
        "The Harbour Front on Tuesday rejected the March proposal for the harbour.",
        "The Harbour Front on Tuesday rejected the Danner plan for the harbour.",
        "The Harbour Front on Tuesday rejected Danner's truce proposal for the harbour.",
        "The Harbour Front on Tuesday rejected a bridging proposal for the harbour.",
        "The Harbour Front on Tuesday rejected a compromise plan for the harbour.",
    ],
)
def test_an_offer_the_seed_never_names_is_new(engine: Engine, sentence: str) -> None:
    assert kinds(engine.compare_text(sentence), "front") == ["new"]


@pytest.mark.parametrize(
    "sentence",
    [
        # The same offer line as the seed's, however revised: a no to it restates the no.
        "The Harbour Front on Tuesday rejected Velmar's new truce offer for the harbour.",
        "The Harbour Front on Tuesday rejected the latest Velmari proposal for the harbour.",
        # How long a truce lasts is one of its terms, not another truce.
        "The Harbour Front on Tuesday rejected a 30-day truce for the harbour.",
    ],
)
def test_the_seeds_offer_revised_is_the_same_object(engine: Engine, sentence: str) -> None:
    assert kinds(engine.compare_text(sentence), "front") == ["reaffirmed"]


@pytest.mark.parametrize(
    "sentence",
    [
        # The proposer named by its person, a title or with a date the seeds never give: the
        # seeds' offer still, so the Front's yes turns its no round.
        "The Harbour Front on Tuesday accepted Korin's truce offer for the harbour.",
        "The Harbour Front on Tuesday accepted the Velmari president's truce offer.",
        "The Harbour Front on Tuesday accepted Velmar's March truce offer for the harbour.",
    ],
)
def test_the_seeds_offer_named_by_its_proposers_person_is_the_same_offer(
    engine: Engine, sentence: str
) -> None:
    assert kinds(engine.compare_text(sentence), "front") == ["reversal"]


def test_an_actor_naming_its_own_plan_moves_along_its_own_line(engine: Engine) -> None:
    text = "Velmar said on Tuesday that it had abandoned the Korin plan for the harbour."
    assert kinds(engine.compare_text(text), "velmar") == ["reversal"]


def test_an_offer_the_seed_names_keeps_its_baseline(tmp_path: Path) -> None:
    path = tmp_path / "watchlist.toml"
    path.write_text(HARBOUR)
    seed = SeedDocument("seed", "The Harbour Front rejected the Danner plan for the harbour.")
    engine = Engine.from_parts(path, None, (seed,))
    assert "by:ostrava" in engine.offers
    text = "The Harbour Front on Tuesday accepted the Danner plan for the harbour."
    assert kinds(engine.compare_text(text), "front") == ["reversal"]


def test_a_headline_move_the_body_puts_on_another_offer_is_left_out(engine: Engine) -> None:
    text = (
        "Harbour truce offer accepted by the Front\n\n"
        "The Harbour Front said on Tuesday that it accepted the 12-point plan for the harbour."
    )
    assert kinds(engine.compare_text(text), "front") == ["new"]


def test_explain_says_the_offer_is_another_one(engine: Engine) -> None:
    text = "The Harbour Front on Tuesday rejected the 12-point plan for the harbour."
    comparison = engine.compare_text(text, explain=True)
    (change,) = [c for c in comparison.changes if c.actor == "front"]
    assert change.explanation is not None
    assert "never name (numbered 12-point)" in change.explanation.why
    assert any("never name" in v for v in comparison.verdicts)


def test_offer_names_in_a_text(tmp_path: Path) -> None:
    path = tmp_path / "watchlist.toml"
    path.write_text(HARBOUR)
    reader = Reader(load_watchlist(path))
    text = (
        "Velmar backed the 12-point plan. The Front rejected the July proposal. "
        "Ostrava sent Danner's plan, a bridging proposal, and a 30-day truce."
    )
    assert reader.offers_named(text) == {
        "numbered:12-point",
        "date:july",
        "by:ostrava",
        "kind:bridging",
    }


@pytest.mark.parametrize(
    ("text", "read"),
    [
        # A plan for something no issue names is not the truce.
        ("Velmar on Tuesday proposed a plan to rebuild its fishing fleet.", []),
        ("Velmar on Tuesday proposed a plan to end the truce talks over the harbour.", ["truce"]),
        ("Velmar on Tuesday accepted the plan.", ["plan"]),
    ],
)
def test_a_plan_for_something_else_is_not_the_deal(
    engine: Engine, text: str, read: list[str]
) -> None:
    statements = engine.reader.read(text, judge_scope=False, explain=True).statements
    assert [s.trace.object for s in statements if s.trace is not None] == read


def test_explain_says_why_a_stance_is_new(engine: Engine) -> None:
    text = "Ostrava on Tuesday rejected the truce for the harbour."
    comparison = engine.compare_text(text, explain=True)
    (change,) = [c for c in comparison.changes if c.actor == "ostrava"]
    assert change.kind == "new" and change.explanation is not None
    assert "the baseline has no position of ostrava on truce_deal" in change.explanation.why
    assert any("no position of ostrava" in v for v in comparison.verdicts)
