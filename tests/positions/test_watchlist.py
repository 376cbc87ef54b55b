"""Tests for loading and validating the seeds directory (watchlist, overrides, seed documents)."""

from __future__ import annotations

from pathlib import Path

import pytest

from stancewatch.errors import ConfigError
from stancewatch.positions.watchlist import load_overrides, load_seed_documents, load_watchlist

REPO_SEEDS = Path(__file__).resolve().parents[2] / "seeds"

MINIMAL = """
[topic]
id = "trade"
label = "A trade dispute"

[scope]
include = ["tariff*", "electric vehicle*"]
exclude = ["football"]

[[actors]]
id = "eu"
name = "European Union"
kind = "state"
aliases = ["the EU", "Brussels"]
adjectives = ["European"]

[[actors.people]]
name = "Ursula von der Leyen"
short = ["von der Leyen"]
titles = ["the Commission president"]

[[issues]]
id = "tariffs"
label = "Tariffs on electric vehicles"
terms = ["tariff*", "duties on ~ vehicles"]
against = ["scrap* ~ tariffs"]
"""


def write(tmp_path: Path, text: str, name: str = "watchlist.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_repository_watchlist_loads_with_the_first_topic_actors_and_issues() -> None:
    watchlist = load_watchlist(REPO_SEEDS / "watchlist.toml")
    assert {a.id for a in watchlist.actors} == {
        "israel",
        "hamas",
        "united_states",
        "qatar",
        "egypt",
        "palestinian_authority",
    }
    issues = {i.id for i in watchlist.issues}
    assert {"ceasefire_deal", "hostage_release", "troop_withdrawal", "end_of_war"} <= issues
    assert {"eliminate_hamas", "negotiations"} <= issues
    netanyahu = watchlist.actor("israel").people[0]  # type: ignore[union-attr]
    assert netanyahu.short == ("Netanyahu", "Bibi")


def test_minimal_watchlist_fields_are_read(tmp_path: Path) -> None:
    watchlist = load_watchlist(write(tmp_path, MINIMAL))
    eu = watchlist.actor("eu")
    assert eu is not None and eu.aliases == ("the EU", "Brussels")
    assert eu.people[0].titles == ("the Commission president",)
    issue = watchlist.issue("tariffs")
    assert issue is not None and issue.oppose == ("scrap* ~ tariffs",)
    assert watchlist.scope.exclude == ("football",)


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        (
            MINIMAL.replace('aliases = ["the EU", "Brussels"]', 'aliases = "the EU"'),
            "actor 'eu': 'aliases' must be a list of strings",
        ),
        (MINIMAL.replace('kind = "state"', 'kind = "planet"'), "'kind' must be one of"),
        (MINIMAL.replace('id = "eu"', 'id = "E U"'), "lowercase letters"),
        (
            MINIMAL.replace('terms = ["tariff*", "duties on ~ vehicles"]', "terms = []"),
            "issue 'tariffs': 'terms' must not be empty",
        ),
        (
            MINIMAL + '\n[[issues]]\nid = "tariffs"\nlabel = "x"\nterms = ["y"]\n',
            "issue id 'tariffs' is defined twice",
        ),
        (
            MINIMAL.replace('"duties on ~ vehicles"', '"duties on {china} cars"'),
            "unknown actor {china}",
        ),
        (MINIMAL.replace("[scope]", "[scope]\nwhatever = 1"), "unknown key 'whatever'"),
        (MINIMAL + "\n[broken", "invalid TOML"),
    ],
)
def test_invalid_watchlists_raise_config_error_naming_file_and_problem(
    tmp_path: Path, broken: str, message: str
) -> None:
    path = write(tmp_path, broken)
    with pytest.raises(ConfigError) as info:
        load_watchlist(path)
    assert message in str(info.value)
    assert str(info.value).startswith(str(path))


def test_missing_watchlist_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found"):
        load_watchlist(tmp_path / "watchlist.toml")


def test_overrides_set_and_drop_are_validated_against_the_watchlist(tmp_path: Path) -> None:
    watchlist = load_watchlist(write(tmp_path, MINIMAL))
    good = write(
        tmp_path,
        '[[set]]\nactor = "eu"\nissue = "tariffs"\nstance = "support"\n'
        '[[drop]]\nactor = "eu"\nissue = "tariffs"\n',
        "overrides.toml",
    )
    with pytest.raises(ConfigError, match="overridden twice"):
        load_overrides(good, watchlist)
    ok = write(tmp_path, '[[set]]\nactor = "eu"\nissue = "tariffs"\nstance = "reject"\n', "o.toml")
    (override,) = load_overrides(ok, watchlist)
    assert override.action == "set" and override.score == -1.0
    unknown = write(tmp_path, '[[drop]]\nactor = "china"\nissue = "tariffs"\n', "u.toml")
    with pytest.raises(ConfigError, match="unknown actor 'china'"):
        load_overrides(unknown, watchlist)
    custom = write(
        tmp_path, '[[set]]\nactor = "eu"\nissue = "tariffs"\nstance = "grumble"\n', "c.toml"
    )
    with pytest.raises(ConfigError, match="needs a 'score'"):
        load_overrides(custom, watchlist)


def test_absent_overrides_file_means_no_overrides(tmp_path: Path) -> None:
    watchlist = load_watchlist(write(tmp_path, MINIMAL))
    assert load_overrides(tmp_path / "overrides.toml", watchlist) == ()


def test_repository_overrides_are_valid() -> None:
    watchlist = load_watchlist(REPO_SEEDS / "watchlist.toml")
    overrides = load_overrides(REPO_SEEDS / "overrides.toml", watchlist)
    assert all(o.actor and o.issue for o in overrides)


def test_seed_documents_are_read_and_their_absence_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no seed documents"):
        load_seed_documents(tmp_path)
    (tmp_path / "baseline").mkdir()
    (tmp_path / "baseline" / "a.txt").write_text("Title\nBody.", encoding="utf-8")
    (doc,) = load_seed_documents(tmp_path)
    assert doc.name == "baseline/a.txt" and doc.text.startswith("Title")
    (tmp_path / "baseline" / "b.txt").write_text("   ", encoding="utf-8")
    with pytest.raises(ConfigError, match="empty"):
        load_seed_documents(tmp_path)
