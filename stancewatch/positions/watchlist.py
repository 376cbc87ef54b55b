"""Load and validate the seeds directory: watchlist, overrides and baseline documents."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, cast, get_args

from stancewatch.errors import ConfigError
from stancewatch.models import (
    STANCE_SCORES,
    Actor,
    ActorKind,
    Issue,
    Override,
    Person,
    Scope,
    Watchlist,
)
from stancewatch.positions.front_matter import SeedMeta, read_sidecar, split_front_matter

WATCHLIST_FILE = "watchlist.toml"
OVERRIDES_FILE = "overrides.toml"
BASELINE_DIR = "baseline"

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True)
class SeedDocument:
    """One baseline document: where things stood, as plain text."""

    name: str  # path relative to the seeds directory, e.g. "baseline/000_x.txt"
    text: str  # without its front matter
    date: date | None = None  # published, from front matter or a sidecar <name>.toml
    source: str | None = None  # outlet or address, likewise


def read_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file; a missing, unreadable or malformed file is a ConfigError naming it."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError("file not found", file=str(path)) from None
    except OSError as exc:
        raise ConfigError(f"cannot read file: {exc.strerror}", file=str(path)) from None
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError("not valid UTF-8", file=str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"invalid TOML: {exc}", file=str(path)) from None


class _Reader:
    """Typed access to one TOML table, raising ConfigError with the file and the item's name."""

    def __init__(self, path: Path, where: str, table: Mapping[str, Any]) -> None:
        self.path = path
        self.where = where
        self.table = table

    def fail(self, problem: str) -> ConfigError:
        prefix = f"{self.where}: " if self.where else ""
        return ConfigError(prefix + problem, file=str(self.path))

    def check_keys(self, allowed: set[str]) -> None:
        unknown = sorted(set(self.table) - allowed)
        if unknown:
            names = ", ".join(repr(k) for k in unknown)
            raise self.fail(f"unknown key {names} (allowed: {', '.join(sorted(allowed))})")

    def text(self, key: str, *, required: bool = True) -> str | None:
        value = self.table.get(key)
        if value is None:
            if required:
                raise self.fail(f"'{key}' is required")
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"'{key}' must be a non-empty string")
        return value.strip()

    def identifier(self, key: str) -> str:
        value = cast(str, self.text(key))
        if not _ID.match(value):
            raise self.fail(f"'{key}' must be lowercase letters, digits and '_': {value!r}")
        return value

    def strings(self, key: str, *, required: bool = False) -> tuple[str, ...]:
        value = self.table.get(key)
        if value is None:
            if required:
                raise self.fail(f"'{key}' is required")
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(f"'{key}' must be a list of strings")
        if required and not value:
            raise self.fail(f"'{key}' must not be empty")
        return tuple(v.strip() for v in value)

    def number(self, key: str) -> float | None:
        value = self.table.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail(f"'{key}' must be a number")
        return float(value)

    def tables(self, key: str) -> list[Mapping[str, Any]]:
        value = self.table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(f"'{key}' must be an array of tables ([[{key}]])")
        return cast(list[Mapping[str, Any]], value)

    def sub(self, key: str) -> _Reader:
        value = self.table.get(key)
        if not isinstance(value, dict):
            raise self.fail(f"[{key}] table is required")
        return _Reader(self.path, key, value)


def load_watchlist(path: Path) -> Watchlist:
    """Read and validate a watchlist file (format: docs/watchlist.md)."""
    top = _Reader(path, "", read_toml(path))
    top.check_keys({"topic", "scope", "actors", "issues"})
    topic = top.sub("topic")
    topic.check_keys({"id", "label", "description"})
    scope_table = top.table.get("scope", {})
    if not isinstance(scope_table, dict):
        raise top.fail("[scope] must be a table")
    scope_reader = _Reader(path, "scope", scope_table)
    scope_reader.check_keys({"include", "exclude"})
    scope = Scope(scope_reader.strings("include"), scope_reader.strings("exclude"))
    if not scope.include:
        raise scope_reader.fail("'include' must list the terms that place a sentence in this story")

    actors = tuple(_actor(path, t) for t in top.tables("actors"))
    issues = tuple(_issue(path, t) for t in top.tables("issues"))
    if not actors:
        raise top.fail("at least one [[actors]] entry is required")
    if not issues:
        raise top.fail("at least one [[issues]] entry is required")
    _unique(top, "actor", [a.id for a in actors])
    _unique(top, "issue", [i.id for i in issues])
    actor_ids = {a.id for a in actors}
    for issue in issues:
        for term in (*issue.terms, *issue.support, *issue.oppose):
            _check_term(path, f"issue '{issue.id}'", term, actor_ids)
    for term in (*scope.include, *scope.exclude):
        _check_term(path, "scope", term, actor_ids)
    return Watchlist(
        topic_id=cast(str, topic.text("id")),
        topic_label=cast(str, topic.text("label")),
        scope=scope,
        actors=actors,
        issues=issues,
        path=str(path),
    )


def _actor(path: Path, table: Mapping[str, Any]) -> Actor:
    probe = _Reader(path, "actor", table)
    actor_id = probe.identifier("id")
    r = _Reader(path, f"actor '{actor_id}'", table)
    r.check_keys({"id", "name", "kind", "aliases", "adjectives", "roles", "people"})
    kind = r.text("kind", required=False) or "state"
    if kind not in get_args(ActorKind):
        raise r.fail(f"'kind' must be one of {', '.join(get_args(ActorKind))}, not {kind!r}")
    name = cast(str, r.text("name"))
    people = []
    for i, person_table in enumerate(r.tables("people")):
        p = _Reader(path, f"actor '{actor_id}': people[{i}]", person_table)
        p.check_keys({"name", "short", "titles", "role"})
        people.append(
            Person(
                name=cast(str, p.text("name")),
                short=p.strings("short"),
                titles=p.strings("titles"),
                role=p.text("role", required=False),
            )
        )
    return Actor(
        id=actor_id,
        name=name,
        kind=cast(ActorKind, kind),
        aliases=r.strings("aliases") or (name,),
        adjectives=r.strings("adjectives"),
        roles=r.strings("roles"),
        people=tuple(people),
    )


def _issue(path: Path, table: Mapping[str, Any]) -> Issue:
    probe = _Reader(path, "issue", table)
    issue_id = probe.identifier("id")
    r = _Reader(path, f"issue '{issue_id}'", table)
    r.check_keys({"id", "label", "terms", "for", "against", "concession"})
    concession = r.text("concession", required=False) or "yes"
    if concession not in ("yes", "no"):
        raise r.fail(f'\'concession\' must be "yes" or "no", not {concession!r}')
    return Issue(
        id=issue_id,
        label=cast(str, r.text("label")),
        terms=r.strings("terms", required=True),
        support=r.strings("for"),
        oppose=r.strings("against"),
        concession=concession,
    )


def _unique(r: _Reader, what: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for item in ids:
        if item in seen:
            raise r.fail(f"{what} id {item!r} is defined twice")
        seen.add(item)


def _check_term(path: Path, where: str, term: str, actor_ids: set[str]) -> None:
    fail: Callable[[str], ConfigError] = _Reader(path, where, {}).fail
    if term.count("{") != term.count("}"):
        raise fail(f"term {term!r} has unbalanced braces")
    for name in _PLACEHOLDER.findall(term):
        if name not in actor_ids:
            raise fail(f"term {term!r} names unknown actor {{{name}}}")
    words = term.split()
    if words and (words[0] == "~" or words[-1] == "~"):
        raise fail(f"term {term!r} may not start or end with '~'")


def load_overrides(path: Path, watchlist: Watchlist) -> tuple[Override, ...]:
    """Read the optional overrides file; a missing file means no overrides."""
    if not path.exists():
        return ()
    top = _Reader(path, "", read_toml(path))
    top.check_keys({"set", "drop"})
    overrides: list[Override] = []
    seen: set[tuple[str, str]] = set()
    for action in ("set", "drop"):
        for i, table in enumerate(top.tables(action)):
            r = _Reader(path, f"{action}[{i}]", table)
            keys = {"actor", "issue", "note"}
            r.check_keys(keys | {"stance", "score", "text"} if action == "set" else keys)
            actor, issue = cast(str, r.text("actor")), cast(str, r.text("issue"))
            if watchlist.actor(actor) is None:
                raise r.fail(f"unknown actor {actor!r} (not in the watchlist)")
            if watchlist.issue(issue) is None:
                raise r.fail(f"unknown issue {issue!r} (not in the watchlist)")
            if (actor, issue) in seen:
                raise r.fail(f"{actor}/{issue} is overridden twice")
            seen.add((actor, issue))
            stance, score = None, None
            if action == "set":
                stance = cast(str, r.text("stance"))
                score = r.number("score")
                if score is None:
                    score = STANCE_SCORES.get(stance)
                if score is None:
                    known = ", ".join(sorted(STANCE_SCORES))
                    raise r.fail(f"stance {stance!r} needs a 'score' (known stances: {known})")
                if not -1.0 <= score <= 1.0:
                    raise r.fail(f"'score' must be between -1 and 1, not {score}")
            overrides.append(
                Override(
                    actor=actor,
                    issue=issue,
                    action="set" if action == "set" else "drop",
                    stance=stance,
                    score=score,
                    text=r.text("text", required=False),
                    note=r.text("note", required=False),
                )
            )
    return tuple(overrides)


def load_seed_documents(seeds_dir: Path) -> tuple[SeedDocument, ...]:
    """Read every <seeds_dir>/baseline/*.txt (with its date and source, if declared); none at
    all is a ConfigError."""
    folder = seeds_dir / BASELINE_DIR
    files = sorted(folder.glob("*.txt")) if folder.is_dir() else []
    if not files:
        raise ConfigError("no seed documents (expected baseline/*.txt)", file=str(folder))
    docs = []
    for file in files:
        try:
            text = file.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise ConfigError("seed document is not valid UTF-8", file=str(file)) from None
        except OSError as exc:
            raise ConfigError(
                f"cannot read seed document: {exc.strerror}", file=str(file)
            ) from None
        front, text = split_front_matter(text, file)
        sidecar = read_sidecar(file.with_suffix(".toml"))
        if front is not None and sidecar is not None:
            raise ConfigError(
                f"date and source are given both in front matter and in "
                f"{file.with_suffix('.toml').name}; keep one",
                file=str(file),
            )
        meta = front or sidecar or SeedMeta()
        if not text.strip():
            raise ConfigError("seed document is empty", file=str(file))
        name = file.relative_to(seeds_dir).as_posix()
        docs.append(SeedDocument(name, text, meta.date, meta.source))
    return tuple(docs)
