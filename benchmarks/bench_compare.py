"""Measure Engine.compare_text speed on ~800-word articles (a script, not a test).

Usage: .venv/bin/python benchmarks/bench_compare.py [SEEDS_DIR] [--articles DIR] [--seconds N]

Inputs are built by concatenating dev-set articles (eval/*/articles/*.txt) or, without them,
the seed documents, until each reaches about 800 words. Prints articles per second on one core.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from stancewatch.positions import Engine

ROOT = Path(__file__).resolve().parents[1]
TARGET_WORDS = 800


def _cut(text: str, words: int) -> str:
    """The text up to its first `words` words, keeping its line breaks."""
    kept: list[str] = []
    count = 0
    for line in text.split("\n"):
        line_words = line.split()
        if count + len(line_words) > words:
            kept.append(" ".join(line_words[: words - count]))
            break
        kept.append(line)
        count += len(line_words)
    return "\n".join(kept)


def build_inputs(sources: list[str], count: int) -> list[str]:
    """About-800-word texts made by joining source texts in rotation."""
    inputs: list[str] = []
    i = 0
    while len(inputs) < count:
        parts: list[str] = []
        words = 0
        while words < TARGET_WORDS:
            text = sources[i % len(sources)]
            parts.append(text)
            words += len(text.split())
            i += 1
        inputs.append(_cut("\n\n".join(parts), TARGET_WORDS))
    return inputs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("seeds", nargs="?", type=Path, default=ROOT / "seeds")
    parser.add_argument("--articles", type=Path, default=ROOT / "eval" / "ceasefire" / "articles")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--passes", type=int, default=5)
    args = parser.parse_args()

    started = time.perf_counter()
    engine = Engine.from_seeds(args.seeds)
    load_time = time.perf_counter() - started

    files = sorted(args.articles.glob("*.txt")) if args.articles.is_dir() else []
    if not files:
        files = sorted((args.seeds / "baseline").glob("*.txt"))
    sources = [f.read_text(encoding="utf-8") for f in files]
    inputs = build_inputs(sources, 200)
    words = sum(len(t.split()) for t in inputs) / len(inputs)

    for text in inputs:  # warm up: per-word patterns are compiled on first sight
        engine.compare_text(text)
    # Several timed passes over all inputs; the median is reported because this shared
    # machine's speed varies from run to run. CPU time is what "one core" means here.
    walls: list[float] = []
    cpus: list[float] = []
    deadline = time.perf_counter() + args.seconds
    while len(walls) < args.passes or time.perf_counter() < deadline:
        wall_started, cpu_started = time.perf_counter(), time.process_time()
        for text in inputs:
            engine.compare_text(text)
        walls.append(time.perf_counter() - wall_started)
        cpus.append(time.process_time() - cpu_started)
    rate = len(inputs) / statistics.median(walls)
    cpu_rate = len(inputs) / statistics.median(cpus)
    print(f"engine load: {load_time * 1000:.0f} ms")
    print(f"inputs: {len(inputs)} texts of ~{words:.0f} words from {len(files)} files")
    print(f"passes: {len(walls)} over all inputs")
    print(f"compare_text: {rate:.1f} articles/s wall, median pass ({1000 / rate:.2f} ms each)")
    print(f"cpu time: {cpu_rate:.1f} articles per cpu-second, median pass (one core)")
    print(f"range: {len(inputs) / max(walls):.1f}-{len(inputs) / min(walls):.1f} articles/s wall")


if __name__ == "__main__":
    main()
