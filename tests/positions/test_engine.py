"""Tests for the engine: loading seeds, the baseline, and comparing articles end to end."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from stancewatch.errors import ConfigError
from stancewatch.positions.engine import ENGINE_VERSION, Engine

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.from_seeds(SEEDS)


def test_baseline_holds_the_seed_positions(engine: Engine) -> None:
    positions = {p.id: p for p in engine.baseline_report()}
    assert positions["israel:ceasefire_deal"].score < 0
    assert positions["israel:troop_withdrawal"].score < 0
    assert positions["israel:eliminate_hamas"].score > 0
    assert positions["hamas:ceasefire_deal"].score > 0
    assert positions["hamas:end_of_war"].score > 0
    assert positions["hamas:hostage_release"].score > 0
    assert "Netanyahu" in positions["israel:ceasefire_deal"].text
    assert len(engine.baseline_version) == 16 and ENGINE_VERSION


def test_softening_reversal_and_third_party(engine: Engine) -> None:
    text = (
        "Hamas drops demand for permanent Gaza ceasefire\n"
        "DOHA, July 6 (Reuters) - Hamas will no longer insist on a permanent ceasefire before "
        "hostages in Gaza are freed, a senior Hamas official said on Saturday.\n"
        "Israel's war cabinet approved the Gaza truce agreement, "
        "the prime minister's office said.\n"
        "Blinken said Hamas had agreed to end the war."
    )
    comparison = engine.compare_text(text)
    assert comparison.related
    kinds = {(c.actor, c.issue): c for c in comparison.changes}
    softening = kinds[("hamas", "end_of_war")]
    assert softening.kind == "softening" and softening.baseline is not None
    assert softening.attribution == "direct" and 0 < softening.confidence <= 1
    assert kinds[("israel", "ceasefire_deal")].kind == "reversal"
    assert all(c.attribution != "third_party" for c in comparison.changes)


def test_recap_is_reaffirmation_and_decoy_is_unrelated(engine: Engine) -> None:
    recap = engine.compare_text(
        "Talks stall\nIsrael has long refused to withdraw its troops from Gaza, officials noted."
    )
    assert [c.kind for c in recap.changes if c.actor == "israel"] == ["reaffirmed"]
    decoy = engine.compare_text(
        "Israel, Hezbollah agree ceasefire\n"
        "Israel and Hezbollah agreed a ceasefire in Lebanon. Israel will withdraw troops from "
        "southern Lebanon. Hezbollah accepted the truce, Lebanese officials said."
    )
    assert not decoy.related and decoy.changes == ()


def test_compare_is_pure_given_the_engine(engine: Engine) -> None:
    text = "Hamas rejects Gaza truce\nHamas rejected the latest Gaza truce proposal on Monday."
    assert engine.compare_text(text) == engine.compare_text(text)


def copy_seeds(tmp_path: Path) -> Path:
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


def test_from_seeds_errors_name_the_file(tmp_path: Path) -> None:
    seeds = copy_seeds(tmp_path)
    (seeds / "overrides.toml").write_text('[[drop]]\nactor = "mars"\nissue = "end_of_war"\n')
    with pytest.raises(ConfigError, match="unknown actor 'mars'") as info:
        Engine.from_seeds(seeds)
    assert "overrides.toml" in str(info.value)
    (seeds / "overrides.toml").unlink()
    (seeds / "watchlist.toml").unlink()
    with pytest.raises(ConfigError, match="watchlist not found"):
        Engine.from_seeds(seeds)
    with pytest.raises(ConfigError, match="seeds directory not found"):
        Engine.from_seeds(tmp_path / "nowhere")


def test_overrides_and_seed_changes_change_the_baseline_version(tmp_path: Path) -> None:
    seeds = copy_seeds(tmp_path)
    before = Engine.from_seeds(seeds)
    (seeds / "overrides.toml").write_text(
        '[[set]]\nactor = "palestinian_authority"\nissue = "end_of_war"\nstance = "demand"\n'
    )
    after = Engine.from_seeds(seeds)
    assert after.baseline_version != before.baseline_version
    pinned = {p.id: p for p in after.baseline}["palestinian_authority:end_of_war"]
    assert pinned.pinned and pinned.score == 1.0
    for doc in (seeds / "baseline").glob("*.txt"):
        doc.unlink()
    with pytest.raises(ConfigError, match="no seed documents"):
        Engine.from_seeds(seeds)
