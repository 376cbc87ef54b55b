"""Settings: defaults, environment overrides and clear errors for bad values."""

from __future__ import annotations

from pathlib import Path

import pytest

from stancewatch.errors import ConfigError
from stancewatch.settings import PROJECT_ROOT, Settings


def test_defaults_point_into_the_checkout() -> None:
    settings = Settings.from_env({})
    assert settings.seeds_dir == PROJECT_ROOT / "seeds"
    assert settings.feed_list_path == PROJECT_ROOT / "seeds" / "feeds.toml"
    assert settings.db_path.parent == PROJECT_ROOT / "storage"
    assert "stancewatch/" in settings.user_agent


def test_environment_overrides_each_type(tmp_path: Path) -> None:
    settings = Settings.from_env(
        {
            "STANCEWATCH_DB_PATH": str(tmp_path / "x.duckdb"),
            "STANCEWATCH_READ_TIMEOUT": "2.5",
            "STANCEWATCH_MAX_BODY_BYTES": "1024",
            "STANCEWATCH_FEEDS_FILE": str(tmp_path / "f.toml"),
            "STANCEWATCH_USER_AGENT": "custom/1",
            "UNRELATED": "ignored",
        }
    )
    assert settings.db_path == tmp_path / "x.duckdb"
    assert settings.read_timeout == 2.5
    assert settings.max_body_bytes == 1024
    assert settings.feed_list_path == tmp_path / "f.toml"
    assert settings.user_agent == "custom/1"


@pytest.mark.parametrize(
    ("name", "value"),
    [("STANCEWATCH_RETRIES", "three"), ("STANCEWATCH_READ_TIMEOUT", "-1")],
)
def test_bad_values_name_the_variable(name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=name):
        Settings.from_env({name: value})


def test_with_overrides_ignores_none() -> None:
    base = Settings.from_env({})
    changed = base.with_overrides(retries=0, db_path=None)
    assert changed.retries == 0 and changed.db_path == base.db_path


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("STANCEWATCH_TOTAL_DEADLINE", "nan"),
        ("STANCEWATCH_TOTAL_DEADLINE", "inf"),
        ("STANCEWATCH_TOTAL_DEADLINE", "0"),
        ("STANCEWATCH_READ_TIMEOUT", "-inf"),
        ("STANCEWATCH_MAX_BODY_BYTES", "0"),
        ("STANCEWATCH_MAX_TEXT_CHARS", "0"),
        ("STANCEWATCH_BACKOFF_MAX", "nan"),
        ("STANCEWATCH_FETCH_ALLOW", "127.0.0.1,not a host!"),
    ],
)
def test_non_finite_and_non_positive_limits_are_refused(name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=name):
        Settings.from_env({name: value})


def test_limits_are_checked_however_settings_are_built() -> None:
    with pytest.raises(ConfigError, match="total_deadline"):
        Settings(total_deadline=float("nan"))
    with pytest.raises(ConfigError, match="total_deadline"):
        Settings().with_overrides(total_deadline=0.0)


def test_the_fetch_allowlist_is_empty_by_default_and_read_as_a_list() -> None:
    assert Settings.from_env({}).fetch_allow == ()
    allow = Settings.from_env({"STANCEWATCH_FETCH_ALLOW": " 127.0.0.1 , ::1,10.0.0.0/8,intranet"})
    assert allow.fetch_allow == ("127.0.0.1", "::1", "10.0.0.0/8", "intranet")
