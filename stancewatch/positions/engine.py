"""The position engine: seeds in, a baseline built once, then text in and a comparison out."""

from __future__ import annotations

from pathlib import Path

from stancewatch.errors import ConfigError
from stancewatch.models import BaselinePosition, Comparison, Watchlist
from stancewatch.positions.compare import baseline_version, build_baseline, compare
from stancewatch.positions.reader import Reader
from stancewatch.positions.watchlist import (
    OVERRIDES_FILE,
    WATCHLIST_FILE,
    load_overrides,
    load_seed_documents,
    load_watchlist,
)

#: Bumped whenever the engine's reading of text changes, so stored results can be told apart.
ENGINE_VERSION = "0.2.0"


class Engine:
    """A watchlist, its compiled reader and the baseline built from the seed documents."""

    def __init__(
        self,
        watchlist: Watchlist,
        baseline: tuple[BaselinePosition, ...],
        baseline_version: str,
        reader: Reader | None = None,
    ) -> None:
        self.watchlist = watchlist
        self.baseline = baseline
        self.baseline_version = baseline_version
        self.reader = reader or Reader(watchlist)

    @classmethod
    def from_seeds(cls, seeds_dir: Path) -> Engine:
        """Load <seeds_dir>/watchlist.toml, baseline/*.txt and the optional overrides.toml."""
        seeds_dir = Path(seeds_dir)
        if not seeds_dir.is_dir():
            raise ConfigError("seeds directory not found", file=str(seeds_dir))
        watchlist_path = seeds_dir / WATCHLIST_FILE
        if not watchlist_path.is_file():
            raise ConfigError("watchlist not found", file=str(watchlist_path))
        watchlist = load_watchlist(watchlist_path)
        overrides_path = seeds_dir / OVERRIDES_FILE
        overrides = load_overrides(overrides_path, watchlist)
        documents = load_seed_documents(seeds_dir)
        reader = Reader(watchlist)
        readings = [
            (doc.name, reader.read(doc.text, judge_scope=False).statements) for doc in documents
        ]
        baseline = build_baseline(readings, overrides)
        parts: list[str | bytes] = [watchlist_path.read_bytes()]
        if overrides_path.is_file():
            parts.append(overrides_path.read_bytes())
        for doc in documents:
            parts += [doc.name, doc.text]
        return cls(watchlist, baseline, baseline_version(parts, ENGINE_VERSION), reader)

    def compare_text(self, text: str, title: str | None = None) -> Comparison:
        """Read one article and compare what it says with the baseline."""
        reading = self.reader.read(text, title)
        if not reading.related:
            return Comparison(related=False, relatedness=reading.relatedness)
        changes = compare(reading.statements, self.baseline)
        return Comparison(
            related=True,
            relatedness=reading.relatedness,
            changes=changes,
            statements=reading.statements,
        )

    def baseline_report(self) -> list[BaselinePosition]:
        """The baseline positions, by actor and issue."""
        return list(self.baseline)
