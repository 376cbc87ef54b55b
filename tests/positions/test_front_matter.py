"""A seed document's date and source, from front matter or a sidecar file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from stancewatch.errors import ConfigError
from stancewatch.positions.watchlist import load_seed_documents

BODY = "Talks stall\n\nIsrael rejected the proposal on Wednesday."


def seeds_with(tmp_path: Path, text: str, sidecar: str | None = None) -> Path:
    folder = tmp_path / "baseline"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "001_talks.txt").write_text(text, encoding="utf-8")
    if sidecar is not None:
        (folder / "001_talks.toml").write_text(sidecar, encoding="utf-8")
    return tmp_path


def test_front_matter_gives_date_and_source_and_is_not_text(tmp_path: Path) -> None:
    seeds = seeds_with(tmp_path, f"---\ndate: 2024-02-07\nsource: Wire Service\n---\n{BODY}")
    [doc] = load_seed_documents(seeds)
    assert doc.date == date(2024, 2, 7)
    assert doc.source == "Wire Service"
    assert doc.text == BODY
    assert "---" not in doc.text


def test_a_sidecar_file_gives_them_too(tmp_path: Path) -> None:
    seeds = seeds_with(tmp_path, BODY, 'date = 2024-02-07\nsource = "https://news.example/a"\n')
    [doc] = load_seed_documents(seeds)
    assert (doc.date, doc.source) == (date(2024, 2, 7), "https://news.example/a")
    assert doc.text == BODY


def test_no_metadata_is_fine(tmp_path: Path) -> None:
    [doc] = load_seed_documents(seeds_with(tmp_path, BODY))
    assert (doc.date, doc.source, doc.text) == (None, None, BODY)


@pytest.mark.parametrize(
    ("text", "sidecar", "problem"),
    [
        (f"---\ndate: 7 Feb\n---\n{BODY}", None, "'date' must be a date like"),
        (f"---\nauthor: X\n---\n{BODY}", None, "unknown key(s) author"),
        (f"---\njust words\n---\n{BODY}", None, "expected 'key: value'"),
        (f"---\ndate: 2024-02-07\n---\n{BODY}", 'source = "X"\n', "both in front matter"),
        (BODY, "date = [\n", "invalid TOML"),
    ],
)
def test_bad_metadata_is_one_clear_error_naming_the_file(
    tmp_path: Path, text: str, sidecar: str | None, problem: str
) -> None:
    seeds = seeds_with(tmp_path, text, sidecar)
    with pytest.raises(ConfigError) as caught:
        load_seed_documents(seeds)
    message = str(caught.value)
    assert problem in message
    assert "001_talks" in message
    assert "\n" not in message
