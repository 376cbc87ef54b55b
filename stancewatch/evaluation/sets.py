"""Labeled written sets: labels.json beside articles/*.txt, checked against the seeds."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stancewatch.errors import ConfigError
from stancewatch.evaluation.scoring import KINDS, GoldArticle, GoldChange, Level

if TYPE_CHECKING:
    from stancewatch.positions import SeedDocument

LABELS_FILE = "labels.json"
ARTICLES_DIR = "articles"
DEFAULT_SEEDS = "seeds"


# --- labeled sets --------------------------------------------------------------------------------


@dataclass(frozen=True)
class EvalSet:
    """A labeled set: its directory, the seeds it is judged against, and its articles."""

    name: str
    directory: Path
    seeds_dir: Path
    articles: tuple[GoldArticle, ...]
    level: Level = "kind"
    texts: Path | None = None  # where the article texts are (default: <directory>/articles)
    missing: tuple[str, ...] = ()  # labeled articles whose text is absent: not scored
    problems: tuple[str, ...] = ()  # reasons the set fails before any scoring
    seed_documents: tuple[SeedDocument, ...] | None = None  # None: <seeds_dir>/baseline/*.txt
    held_out: bool = False  # a topic never tuned on (reported, not pooled)
    rebuild: str = ""  # how to get missing texts

    def article_path(self, name: str) -> Path:
        return (self.texts or self.directory / ARTICLES_DIR) / name

    @property
    def n_decoys(self) -> int:
        return sum(1 for a in self.articles if a.decoy)


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise ValueError(f"duplicate key {key!r}")
        seen[key] = value
    return seen


def _fail(path: Path, message: str) -> ConfigError:
    return ConfigError(message, file=str(path))


def _check_keys(path: Path, where: str, table: Mapping[str, Any], allowed: set[str]) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise _fail(path, f"{where}: unknown key(s) {', '.join(unknown)}")


def _parse_change(path: Path, where: str, raw: object) -> GoldChange:
    if not isinstance(raw, dict):
        raise _fail(path, f"{where}: a change must be an object")
    _check_keys(path, where, raw, {"actor", "issue", "kind", "note"})
    values: dict[str, str] = {}
    for key in ("actor", "issue", "kind"):
        value = raw.get(key)
        if not isinstance(value, str) or not value.strip():
            raise _fail(path, f"{where}: '{key}' must be a non-empty string")
        values[key] = value.strip()
    if values["kind"] not in KINDS:
        raise _fail(
            path, f"{where}: unknown kind {values['kind']!r} (expected one of {', '.join(KINDS)})"
        )
    note = raw.get("note", "")
    if not isinstance(note, str):
        raise _fail(path, f"{where}: 'note' must be a string")
    return GoldChange(values["actor"], values["issue"], values["kind"], note)


def _parse_article(path: Path, name: str, raw: object) -> GoldArticle:
    where = f"articles[{name!r}]"
    if not name.endswith(".txt") or "/" in name or "\\" in name:
        raise _fail(path, f"{where}: article names are .txt file names inside {ARTICLES_DIR}/")
    if not isinstance(raw, dict):
        raise _fail(path, f"{where}: must be an object")
    _check_keys(path, where, raw, {"related", "decoy", "changes"})
    related = raw.get("related")
    decoy = raw.get("decoy", False)
    changes_raw = raw.get("changes")
    if not isinstance(related, bool):
        raise _fail(path, f"{where}: 'related' must be true or false")
    if not isinstance(decoy, bool):
        raise _fail(path, f"{where}: 'decoy' must be true or false")
    if not isinstance(changes_raw, list):
        raise _fail(path, f"{where}: 'changes' must be a list (use [] for none)")
    changes = tuple(
        _parse_change(path, f"{where}.changes[{i}]", c) for i, c in enumerate(changes_raw)
    )
    if decoy and related:
        raise _fail(path, f"{where}: a decoy is about another story, so 'related' must be false")
    if not related and changes:
        raise _fail(path, f"{where}: an unrelated article cannot have changes")
    pairs = [(c.actor, c.issue) for c in changes]
    duplicated = sorted({p for p in pairs if pairs.count(p) > 1})
    if duplicated:
        listed = ", ".join(f"{a}/{i}" for a, i in duplicated)
        raise _fail(path, f"{where}: more than one label for {listed} (one per actor and issue)")
    return GoldArticle(name, related, decoy, changes)


def _check_ids(path: Path, seeds_dir: Path, articles: Iterable[GoldArticle]) -> None:
    """Check actor and issue ids against the seeds' watchlist, when there is one."""
    from stancewatch.positions import WATCHLIST_FILE, load_watchlist

    watchlist_path = seeds_dir / WATCHLIST_FILE
    if not watchlist_path.is_file():
        return
    watchlist = load_watchlist(watchlist_path)
    actors = {a.id for a in watchlist.actors}
    issues = {i.id for i in watchlist.issues}
    for article in articles:
        for change in article.changes:
            if change.actor not in actors:
                raise _fail(path, f"{article.name}: unknown actor id {change.actor!r}")
            if change.issue not in issues:
                raise _fail(path, f"{article.name}: unknown issue id {change.issue!r}")


def load_set(directory: Path) -> EvalSet:
    """Read <directory>/labels.json and check it against <directory>/articles/*.txt."""
    directory = Path(directory)
    if not directory.is_dir():
        raise ConfigError("evaluation set directory not found", file=str(directory))
    path = directory / LABELS_FILE
    if not path.is_file():
        raise _fail(path, "labels file not found")
    try:
        data = json.loads(path.read_text(encoding="utf-8"), object_pairs_hook=_no_duplicate_keys)
    except UnicodeDecodeError as exc:
        raise _fail(path, f"not UTF-8 text ({exc.reason})") from exc
    except json.JSONDecodeError as exc:
        raise _fail(
            path, f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from exc
    except ValueError as exc:
        raise _fail(path, f"invalid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise _fail(path, "the top level must be an object with 'articles'")
    _check_keys(path, "top level", data, {"seeds", "articles"})
    seeds_raw = data.get("seeds", DEFAULT_SEEDS)
    if not isinstance(seeds_raw, str) or not seeds_raw.strip():
        raise _fail(path, "'seeds' must be a path relative to the set directory")
    seeds_dir = (directory / seeds_raw).resolve()
    if not seeds_dir.is_dir():
        raise _fail(path, f"seeds directory {seeds_raw!r} not found (resolved to {seeds_dir})")
    raw_articles = data.get("articles")
    if not isinstance(raw_articles, dict) or not raw_articles:
        raise _fail(path, "'articles' must be a non-empty object of file name -> labels")
    articles = tuple(_parse_article(path, name, raw) for name, raw in sorted(raw_articles.items()))
    articles_dir = directory / ARTICLES_DIR
    on_disk = {p.name for p in articles_dir.glob("*.txt")} if articles_dir.is_dir() else set()
    missing = sorted({a.name for a in articles} - on_disk)
    if missing:
        raise _fail(path, f"labeled but not found in {ARTICLES_DIR}/: {', '.join(missing)}")
    unlabeled = sorted(on_disk - {a.name for a in articles})
    if unlabeled:
        raise _fail(path, f"articles without labels: {', '.join(unlabeled)}")
    _check_ids(path, seeds_dir, articles)
    return EvalSet(directory.resolve().name, directory, seeds_dir, articles)


def read_article(path: Path) -> tuple[str, str | None]:
    """Body text and title of an article file whose first line is the headline."""
    text = path.read_text(encoding="utf-8").replace("\r\n", "\n").strip()
    first, _, rest = text.partition("\n")
    if not rest.strip():
        return text, None
    return rest.strip(), first.strip()
