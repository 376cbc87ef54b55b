"""Real-article sets: labels kept in the news-real corpus, texts rebuilt in a cache outside git."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stancewatch.errors import ConfigError
from stancewatch.evaluation.scoring import KINDS, GoldArticle, GoldChange
from stancewatch.evaluation.sets import EvalSet

#: The file that makes a directory under eval/ a real-article set.
REAL_SET_FILE = "set.toml"
#: The name of the score pooled over the real sets that are not held out.
POOLED = "real-pooled"
#: A topic is scored only when at least this share of its labeled texts is in the cache.
MIN_PRESENT = 0.9
#: Where seed documents come from: the set's seeds directory, the cache, or nowhere (the
#: baseline is then the analyst's overrides alone).
SEED_SOURCES = ("seeds", "cache", "none")


def rebuild_hint(cache: Path) -> str:
    """How to rebuild missing texts into the cache and check them."""
    return (
        "rebuild the texts as ../shared/corpora/news-real/README.md says, then check them with "
        f"`python3 ../shared/corpora/news-real/check.py {cache}`"
    )


@dataclass(frozen=True)
class RealSetSpec:
    """What set.toml says: the corpus topic, its labels, the seeds and the id mapping."""

    directory: Path
    corpus: str
    labels_path: Path
    seeds_dir: Path
    seed_source: str
    baseline_issues: dict[str, str]  # labels' baseline id (B3) -> watchlist issue id
    held_out: bool = False

    @property
    def name(self) -> str:
        """The set's name in reports and floors.toml: real-<directory name>."""
        return "real-" + self.directory.resolve().name


def _fail(path: Path, message: str) -> ConfigError:
    return ConfigError(message, file=str(path))


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise _fail(path, f"invalid TOML: {exc}") from exc


def _string(path: Path, data: Mapping[str, Any], key: str, default: str | None = None) -> str:
    value = data.get(key, default)
    if not isinstance(value, str) or not value.strip():
        raise _fail(path, f"'{key}' must be a non-empty string")
    return value.strip()


def is_real_set(directory: Path) -> bool:
    return (Path(directory) / REAL_SET_FILE).is_file()


def load_spec(directory: Path) -> RealSetSpec:
    """Read and check <directory>/set.toml."""
    directory = Path(directory)
    path = directory / REAL_SET_FILE
    data = _read_toml(path)
    unknown = sorted(set(data) - {"corpus", "labels", "seeds", "seed", "baseline", "held_out"})
    if unknown:
        raise _fail(path, f"unknown key(s) {', '.join(unknown)}")
    corpus = _string(path, data, "corpus")
    labels_path = (directory / _string(path, data, "labels")).resolve()
    if not labels_path.is_file():
        raise _fail(path, f"labels file not found: {labels_path}")
    seeds_dir = (directory / _string(path, data, "seeds", ".")).resolve()
    if not seeds_dir.is_dir():
        raise _fail(path, f"seeds directory not found: {seeds_dir}")
    seed_source = _string(path, data, "seed", "cache")
    if seed_source not in SEED_SOURCES:
        raise _fail(path, f"'seed' must be one of {', '.join(SEED_SOURCES)}")
    mapping = data.get("baseline", {})
    if not isinstance(mapping, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in mapping.items()
    ):
        raise _fail(path, '[baseline] must map baseline ids to issue ids (B1 = "issue_id")')
    held_out = data.get("held_out", False)
    if not isinstance(held_out, bool):
        raise _fail(path, "'held_out' must be true or false")
    return RealSetSpec(
        directory, corpus, labels_path, seeds_dir, seed_source, dict(mapping), held_out
    )


@dataclass(frozen=True)
class RealLabels:
    """The corpus labels of one topic, in the evaluator's terms."""

    articles: tuple[GoldArticle, ...]
    baseline_actors: dict[str, str]  # baseline id -> actor


def load_labels(spec: RealSetSpec, actors: set[str], issues: set[str]) -> RealLabels:
    """Read the topic's labels.yaml; check its actors and the mapping against the watchlist."""
    import yaml

    path = spec.labels_path
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise _fail(path, f"invalid YAML: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("articles"), dict):
        raise _fail(path, "expected a mapping with 'baseline' and 'articles'")
    baseline = data.get("baseline") or {}
    baseline_actors = {str(b): str(v["actor"]) for b, v in baseline.items()}
    set_file = spec.directory / REAL_SET_FILE
    for b_id, issue in spec.baseline_issues.items():
        if b_id not in baseline_actors:
            raise _fail(set_file, f"[baseline] {b_id}: not a baseline id of {path.name}")
        if issue not in issues:
            raise _fail(set_file, f"[baseline] {b_id}: unknown issue {issue!r} (not in watchlist)")
    unknown_actors = sorted(set(baseline_actors.values()) - actors)
    if unknown_actors:
        raise _fail(set_file, f"watchlist lacks the labels' actor(s) {', '.join(unknown_actors)}")
    articles = []
    for key, raw in sorted(data["articles"].items()):
        name = f"{key}.txt"
        changes = []
        for i, change in enumerate(raw.get("changes") or ()):
            kind, actor, b_id = change.get("kind"), change.get("actor"), change.get("baseline")
            if kind not in KINDS or actor not in actors:
                raise _fail(path, f"article {key} change {i}: unknown kind or actor")
            issue = spec.baseline_issues.get(str(b_id), "-") if b_id else "-"
            note = str(change.get("note") or (b_id or "new"))
            changes.append(GoldChange(actor, issue, kind, note))
        related = bool(raw.get("related", True))
        articles.append(GoldArticle(name, related, not related, tuple(changes)))
    return RealLabels(tuple(articles), baseline_actors)


def texts_dir(spec: RealSetSpec, cache: Path) -> Path:
    return Path(cache) / spec.corpus / "articles"


def seed_path(spec: RealSetSpec, cache: Path) -> Path:
    return Path(cache) / spec.corpus / "seed.txt"


def coverage_problem(name: str, present: int, labeled: int, cache: Path) -> str | None:
    """The message that fails a topic with too few texts present, or None."""
    if labeled and present / labeled >= MIN_PRESENT:
        return None
    return (
        f"only {present}/{labeled} texts present in {cache} (needs {MIN_PRESENT:.0%}): "
        + rebuild_hint(cache)
    )


def load_real_set(directory: Path, cache: Path) -> EvalSet:
    """A real-article set: labels from the corpus, texts and seed text from the cache.

    Articles whose text is absent are listed, not scored; a topic with less than MIN_PRESENT
    of its texts present (or a seed it needs that is absent) carries a problem that fails it.
    """
    from stancewatch.positions import (
        OVERRIDES_FILE,
        WATCHLIST_FILE,
        SeedDocument,
        load_overrides,
        load_watchlist,
    )

    spec = load_spec(directory)
    watchlist = load_watchlist(spec.seeds_dir / WATCHLIST_FILE)
    load_overrides(spec.seeds_dir / OVERRIDES_FILE, watchlist)  # fail early on a bad file
    labels = load_labels(spec, {a.id for a in watchlist.actors}, {i.id for i in watchlist.issues})
    folder = texts_dir(spec, cache)
    present = tuple(a for a in labels.articles if (folder / a.name).is_file())
    missing = tuple(a.name for a in labels.articles if not (folder / a.name).is_file())
    problems = []
    coverage = coverage_problem(spec.name, len(present), len(labels.articles), cache)
    if coverage:
        problems.append(coverage)
    documents: tuple[SeedDocument, ...] | None = None
    if spec.seed_source == "cache":
        seed = seed_path(spec, cache)
        if seed.is_file():
            documents = (
                SeedDocument(name=f"{spec.corpus}/seed.txt", text=seed.read_text("utf-8")),
            )
        else:
            problems.append(f"seed text {seed} is missing: " + rebuild_hint(cache))
            present = ()
    elif spec.seed_source == "none":
        documents = ()
    return EvalSet(
        name=spec.name,
        directory=spec.directory,
        seeds_dir=spec.seeds_dir,
        articles=present,
        level="actor",
        texts=folder,
        missing=missing,
        problems=tuple(problems),
        seed_documents=documents,
        held_out=spec.held_out,
        rebuild=rebuild_hint(cache),
    )
