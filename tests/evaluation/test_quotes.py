"""The quote guard finds runs of words a tracked file shares with a cached real article."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from stancewatch.evaluation.quotes import find_shared_runs, index_articles, main

ARTICLE = (
    "The harbour board of Velmar said on Tuesday that it would keep the ferry lanes closed until "
    "the guild of pilots signed a written pledge to end the walkout at the northern docks."
)


@pytest.fixture()
def cache(tmp_path: Path) -> Path:
    articles = tmp_path / "cache" / "ferries" / "articles"
    articles.mkdir(parents=True)
    (articles / "001.txt").write_text("Ferry lanes stay shut\n\n" + ARTICLE, encoding="utf-8")
    return tmp_path / "cache"


def test_a_run_longer_than_the_limit_is_reported_with_its_line_and_source(cache: Path) -> None:
    index = index_articles(cache, 9)
    doc = "intro\n# it would keep the ferry lanes closed until the guild of pilots signed\n"
    runs = find_shared_runs([("notes.md", doc)], index, 9)
    assert [(r.path, r.line, r.source) for r in runs] == [
        ("notes.md", 2, "ferries/articles/001.txt")
    ]
    assert runs[0].text == "it would keep the ferry lanes closed until the guild of pilots signed"


def test_a_few_shared_words_and_allowed_names_are_no_quote(cache: Path) -> None:
    index = index_articles(cache, 9)
    short = "the ferry lanes closed until the guild of"  # eight words
    name = "the harbour board of Velmar said on Tuesday that it"
    assert find_shared_runs([("a.py", short)], index, 9) == []
    assert find_shared_runs([("b.py", name)], index, 9, allowed=[name.upper()]) == []
    assert len(find_shared_runs([("b.py", name)], index, 9)) == 1


def test_main_checks_the_tracked_files_of_a_repository(cache: Path, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "clean.md").write_text("Our own words about ferries.\n", encoding="utf-8")
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    subprocess.run(["git", "add", "clean.md"], cwd=repo, check=True)
    assert main([str(repo), "--cache", str(cache)]) == 0
    (repo / "copied.md").write_text(ARTICLE + "\n", encoding="utf-8")
    (repo / "untracked.md").write_text(ARTICLE + "\n", encoding="utf-8")
    subprocess.run(["git", "add", "copied.md"], cwd=repo, check=True)
    assert main([str(repo), "--cache", str(cache)]) == 1
