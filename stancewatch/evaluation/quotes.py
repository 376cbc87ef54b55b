"""Guard the repository against quoting the cached real articles beyond a few words."""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

#: The longest run of words shared with a real article that a tracked file may hold. Longer runs
#: are quotes: the corpus's terms forbid copying its texts into a repository.
MAX_SHARED_WORDS = 7
#: Tracked files whose text is read; data such as the demo's pages are written for the project.
TEXT_SUFFIXES = frozenset({".py", ".md", ".toml", ".txt", ".json", ".yaml", ".yml", ".html"})
#: Phrases a tracked file may share however long: proper names (an organisation's full name is
#: no quote). One per line, in the file given by --allow.
ALLOW_FILE = Path("eval/real/quotes-allowed.txt")

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def words(text: str) -> list[str]:
    """The text's words, lowercased, with curly apostrophes made straight."""
    return _WORD.findall(text.lower().replace("\u2019", "'"))


@dataclass(frozen=True)
class SharedRun:
    """A run of words a tracked file shares with a cached article."""

    path: str
    line: int
    text: str
    source: str


def _grams(tokens: Sequence[str], size: int) -> Iterable[tuple[str, ...]]:
    return (tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1))


def index_articles(cache: Path, size: int) -> dict[tuple[str, ...], str]:
    """Every run of `size` words in the cached texts, with the text it comes from."""
    index: dict[tuple[str, ...], str] = {}
    for path in sorted(cache.glob("*/**/*.txt")):
        source = str(path.relative_to(cache))
        for gram in _grams(words(path.read_text(encoding="utf-8", errors="replace")), size):
            index.setdefault(gram, source)
    return index


def _covered(tokens: Sequence[str], allowed: Sequence[Sequence[str]]) -> set[int]:
    """Positions of the tokens that belong to an allowed phrase where it occurs in full."""
    covered: set[int] = set()
    for phrase in allowed:
        n = len(phrase)
        for i in range(len(tokens) - n + 1):
            if tuple(tokens[i : i + n]) == tuple(phrase):
                covered.update(range(i, i + n))
    return covered


def find_shared_runs(
    files: Iterable[tuple[str, str]],
    index: dict[tuple[str, ...], str],
    size: int,
    allowed: Sequence[str] = (),
) -> list[SharedRun]:
    """Runs of `size` words or more that a file (name, text) shares with the index, per line.

    A run made only of allowed phrases (names, stock phrases) is no quote.
    """
    allowed_words = [words(a) for a in allowed if words(a)]
    runs: list[SharedRun] = []
    for name, text in files:
        for number, line in enumerate(text.splitlines(), 1):
            tokens = words(line)
            hits = [(i, index[g]) for i, g in enumerate(_grams(tokens, size)) if g in index]
            if hits and allowed_words:
                covered = _covered(tokens, allowed_words)
                hits = [(i, src) for i, src in hits if not covered.issuperset(range(i, i + size))]
            if not hits:
                continue
            start, source = hits[0]
            shared = " ".join(tokens[start : hits[-1][0] + size])
            runs.append(SharedRun(name, number, shared, source))
    return runs


def tracked_files(root: Path) -> list[tuple[str, str]]:
    """(path, text) of every git-tracked text file under root."""
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=root, capture_output=True, check=True, text=True
    ).stdout.split("\0")
    out: list[tuple[str, str]] = []
    for name in filter(None, listed):
        path = root / name
        if path.suffix in TEXT_SUFFIXES and path.is_file() and not path.is_symlink():
            out.append((name, path.read_text(encoding="utf-8", errors="replace")))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """List quotes of the cached real articles in the repository; exit 1 when there is any."""
    from stancewatch.settings import PROJECT_ROOT, Settings

    parser = argparse.ArgumentParser(
        prog="python -m stancewatch.evaluation.quotes",
        description=__doc__.strip() if __doc__ else None,
    )
    parser.add_argument("root", nargs="?", type=Path, default=PROJECT_ROOT)
    parser.add_argument("--cache", type=Path, default=None)
    parser.add_argument("--max-words", type=int, default=MAX_SHARED_WORDS)
    args = parser.parse_args(argv)
    cache = args.cache or Settings.from_env().news_real_dir
    if not cache.is_dir():
        print(f"no real-article cache at {cache}: nothing to check against", file=sys.stderr)
        return 0
    size = args.max_words + 1
    allow_path = args.root / ALLOW_FILE
    allowed = allow_path.read_text(encoding="utf-8").splitlines() if allow_path.is_file() else []
    allowed = [a for a in allowed if a.strip() and not a.startswith("#")]
    runs = find_shared_runs(tracked_files(args.root), index_articles(cache, size), size, allowed)
    for run in runs:
        print(f"{run.path}:{run.line}: '{run.text}' (from {run.source})")
    verdict = f"{len(runs)} line(s) quote a real article beyond {args.max_words} words"
    print(("FAIL: " if runs else "OK: ") + verdict)
    return 1 if runs else 0


if __name__ == "__main__":
    raise SystemExit(main())
