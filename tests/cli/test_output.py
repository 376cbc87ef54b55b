"""CLI helpers: --since parsing and row output."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

import pytest

from stancewatch.cli.output import Format, parse_since, print_rows
from stancewatch.errors import ConfigError

NOW = datetime(2024, 3, 10, 12, 0, tzinfo=UTC)


@pytest.fixture
def far_from_utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Run in a local time zone 9 hours east of UTC, so local and UTC readings differ."""
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("30m", datetime(2024, 3, 10, 11, 30, tzinfo=UTC)),
        ("12h", datetime(2024, 3, 10, 0, 0, tzinfo=UTC)),
        ("2d", datetime(2024, 3, 8, 12, 0, tzinfo=UTC)),
        ("1w", datetime(2024, 3, 3, 12, 0, tzinfo=UTC)),
        (" 12H ", datetime(2024, 3, 10, 0, 0, tzinfo=UTC)),
    ],
)
def test_durations_count_back_from_now(value: str, expected: datetime) -> None:
    assert parse_since(value, now=NOW) == expected


@pytest.mark.usefixtures("far_from_utc")
def test_dates_without_an_offset_are_utc_whatever_the_local_zone() -> None:
    assert parse_since("2024-03-01") == datetime(2024, 3, 1, tzinfo=UTC)
    assert parse_since("2024-03-01T10:30") == datetime(2024, 3, 1, 10, 30, tzinfo=UTC)
    with_offset = parse_since("2024-03-01T10:30+02:00")
    assert with_offset == datetime(2024, 3, 1, 10, 30, tzinfo=timezone(timedelta(hours=2)))
    assert with_offset == datetime(2024, 3, 1, 8, 30, tzinfo=UTC)


@pytest.mark.usefixtures("far_from_utc")
def test_durations_default_to_the_current_utc_time() -> None:
    since = parse_since("0m")
    assert since is not None and since.utcoffset() == timedelta(0)
    # an hour's duration from the real clock lands within the hour before it, not 9 hours off
    before = datetime.now(UTC)
    hour = parse_since("1h")
    assert hour is not None and before - timedelta(hours=1, minutes=1) < hour <= before


@pytest.mark.parametrize("value", ["all", "ALL", "", None])
def test_all_means_no_limit(value: str | None) -> None:
    assert parse_since(value) is None


@pytest.mark.parametrize("value", ["soon", "2x", "-2d", "2024-13-01", "yesterday"])
def test_anything_else_is_refused_with_the_accepted_forms(value: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_since(value)
    assert "30m, 12h, 2d, 1w" in str(caught.value)


def test_print_rows_json_and_csv(capsys: pytest.CaptureFixture[str]) -> None:
    rows = [{"actor": "hamas", "kind": "softening", "confidence": 0.5}]
    print_rows(rows, ["actor", "kind"], Format.json)
    assert json.loads(capsys.readouterr().out) == rows
    print_rows(rows, ["actor", "kind"], Format.csv)
    assert capsys.readouterr().out.splitlines() == ["actor,kind", "hamas,softening"]
