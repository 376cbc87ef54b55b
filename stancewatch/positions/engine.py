"""The position engine: seeds in, a baseline built once, then text in and a comparison out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from stancewatch.errors import ConfigError
from stancewatch.models import BaselinePosition, Comparison, Override, Statement, Watchlist
from stancewatch.positions.baseline import (
    SeedSentences,
    baseline_verdicts,
    baseline_version,
    build_baseline,
    seed_sentences,
)
from stancewatch.positions.compare import compare, compare_explained
from stancewatch.positions.watchlist import (
    OVERRIDES_FILE,
    WATCHLIST_FILE,
    SeedDocument,
    load_overrides,
    load_seed_documents,
    load_watchlist,
)

if TYPE_CHECKING:
    from stancewatch.positions.reader import Reader

#: Bumped whenever the engine's reading of text changes, so stored results can be told apart.
ENGINE_VERSION = "0.3.1"


class Engine:
    """A watchlist, its compiled reader and the baseline built from the seed documents.

    Compiling the reader and reading the seed documents cost about a second; an engine made
    from seeds does both on first use of `reader`, `baseline` or `seeds`, so a run with
    nothing new, whose baseline version is already stored, never pays for them.
    `baseline_version` is known at once (it hashes the inputs, not the reading).
    """

    def __init__(
        self,
        watchlist: Watchlist,
        baseline: tuple[BaselinePosition, ...] | None,
        baseline_version: str,
        reader: Reader | None = None,
        seeds: SeedSentences | None = None,
        documents: Sequence[SeedDocument] = (),
        overrides: Sequence[Override] = (),
    ) -> None:
        self.watchlist = watchlist
        self.baseline_version = baseline_version
        self.documents = tuple(documents)
        self.overrides = tuple(overrides)
        self.concession_no = frozenset(i.id for i in watchlist.issues if i.concession == "no")
        self._reader = reader
        self._baseline = baseline
        # Given a baseline, the seed sentences are what the caller gave (none by default).
        self._seeds: SeedSentences | None = seeds if baseline is None else (seeds or {})
        self._offers: frozenset[str] | None = None

    @property
    def reader(self) -> Reader:
        if self._reader is None:
            # The reader's modules (~0.4 s to import) load with it, not with the engine.
            from stancewatch.positions.reader import Reader

            self._reader = Reader(self.watchlist)
        return self._reader

    @property
    def baseline(self) -> tuple[BaselinePosition, ...]:
        if self._baseline is None:
            self._read_seed_documents()
        assert self._baseline is not None
        return self._baseline

    @property
    def seeds(self) -> SeedSentences:
        if self._seeds is None:
            self._read_seed_documents()
        assert self._seeds is not None
        return self._seeds

    @property
    def offers(self) -> frozenset[str]:
        """The names the seed documents give offers ("Hamas's offer", "the July proposal"):
        a stance on an offer named otherwise is on a new object, with no baseline."""
        return self._load_offers()

    def _load_offers(self) -> frozenset[str]:
        if self._offers is None:
            texts = [doc.text for doc in self.documents] + [p.text for p in self.baseline]
            self._offers = frozenset().union(*(self.reader.offers_named(t) for t in texts))
        return self._offers

    def _read_seed_documents(self) -> None:
        readings = [
            (doc.name, self.reader.read(doc.text, judge_scope=False).statements)
            for doc in self.documents
        ]
        baseline = _with_seed_meta(build_baseline(readings, self.overrides), self.documents)
        self._baseline = _with_amounts(baseline, self.reader)
        self._seeds = seed_sentences(readings)

    def __getstate__(self) -> dict[str, object]:
        # A copy for a worker process carries the baseline, read once here.
        if self._baseline is None:
            self._read_seed_documents()
        self._load_offers()  # read once here too, not once per worker
        return dict(self.__dict__)

    @classmethod
    def from_seeds(cls, seeds_dir: Path) -> Engine:
        """Load <seeds_dir>/watchlist.toml, baseline/*.txt and the optional overrides.toml."""
        seeds_dir = Path(seeds_dir)
        if not seeds_dir.is_dir():
            raise ConfigError("seeds directory not found", file=str(seeds_dir))
        if not (seeds_dir / WATCHLIST_FILE).is_file():
            raise ConfigError("watchlist not found", file=str(seeds_dir / WATCHLIST_FILE))
        return cls.from_parts(
            seeds_dir / WATCHLIST_FILE, seeds_dir / OVERRIDES_FILE, load_seed_documents(seeds_dir)
        )

    @classmethod
    def from_parts(
        cls,
        watchlist_path: Path,
        overrides_path: Path | None,
        documents: Sequence[SeedDocument],
    ) -> Engine:
        """Build from a watchlist, optional overrides and seed documents kept anywhere.

        With no documents the baseline is the overrides' positions alone (a topic whose seed
        text is unavailable can still be described by the analyst).
        """
        if not watchlist_path.is_file():
            raise ConfigError("watchlist not found", file=str(watchlist_path))
        watchlist = load_watchlist(watchlist_path)
        overrides = load_overrides(overrides_path, watchlist) if overrides_path else ()
        parts: list[str | bytes] = [watchlist_path.read_bytes()]
        if overrides_path is not None and overrides_path.is_file():
            parts.append(overrides_path.read_bytes())
        for doc in documents:
            parts += [doc.name, doc.text]
            if doc.date or doc.source:  # seeds without metadata keep their earlier versions
                parts += [str(doc.date), doc.source or ""]
        version = baseline_version(parts, ENGINE_VERSION)
        return cls(watchlist, None, version, documents=documents, overrides=overrides)

    def compare_text(
        self, text: str, title: str | None = None, *, explain: bool = False
    ) -> Comparison:
        """Read one article and compare what it says with the baseline.

        explain=True also records how each statement was read and why each change won.
        """
        reading = self.reader.read(text, title, explain=explain)
        if not reading.related:
            return Comparison(related=False, relatedness=reading.relatedness)
        verdicts: tuple[str, ...] = ()
        if explain:
            changes, verdicts = compare_explained(
                reading.statements, self.baseline, self.seeds, self.concession_no, self.offers
            )
        else:
            changes = compare(
                reading.statements, self.baseline, self.seeds, self.concession_no, self.offers
            )
        return Comparison(
            related=True,
            relatedness=reading.relatedness,
            changes=changes,
            statements=reading.statements,
            verdicts=verdicts,
        )

    def baseline_report(self) -> list[BaselinePosition]:
        """The baseline positions, by actor and issue."""
        return list(self.baseline)

    def explain_baseline(self) -> list[SeedStatement]:
        """Every statement read from the seed documents, traced, with what became of it."""
        readings = [
            (doc.name, self.reader.read(doc.text, judge_scope=False, explain=True).statements)
            for doc in self.documents
        ]
        verdicts = baseline_verdicts(readings, self.overrides)
        return [
            SeedStatement(name, s, verdict, doc.date, doc.source)
            for doc, (name, statements), doc_verdicts in zip(
                self.documents, readings, verdicts, strict=True
            )
            for s, verdict in zip(statements, doc_verdicts, strict=True)
        ]


@dataclass(frozen=True)
class SeedStatement:
    """A statement read from a seed document and what the baseline made of it."""

    seed_file: str
    statement: Statement
    verdict: str
    seed_date: date | None = None
    seed_source: str | None = None


def _with_seed_meta(
    baseline: Sequence[BaselinePosition], documents: Sequence[SeedDocument]
) -> tuple[BaselinePosition, ...]:
    """Baseline positions with the date and source of the seed document they come from."""
    meta = {doc.name: (doc.date, doc.source) for doc in documents if doc.date or doc.source}
    return tuple(
        replace(p, seed_date=meta[p.seed_file][0], seed_source=meta[p.seed_file][1])
        if p.seed_file in meta
        else p
        for p in baseline
    )


def _with_amounts(
    baseline: Sequence[BaselinePosition], reader: Reader
) -> tuple[BaselinePosition, ...]:
    """Baseline positions set by the analyst with the figure their text names ("offered a 25%
    raise"), so that a later offer can be compared by amount."""
    out = []
    for p in baseline:
        if p.amount is None and p.pinned and p.text:
            statements = reader.read(p.text, judge_scope=False).statements
            amount = next(
                (s.amount for s in statements if (s.actor, s.issue) == (p.actor, p.issue)),
                None,
            )
            p = replace(p, amount=amount) if amount is not None else p
        out.append(p)
    return tuple(out)
