"""Measure Engine.compare_text speed on ~800-word articles (a script, not a test).

Usage: .venv/bin/python benchmarks/bench_compare.py [SEEDS_DIR] [--articles DIR] [--seconds N]

Inputs are built by concatenating dev-set articles (eval/*/articles/*.txt) or, without them,
the seed documents, until each reaches about 800 words. Prints articles per second on one core.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from stancewatch.engine import Engine

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
    parser.add_argument("--seconds", type=float, default=5.0)
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
    done = 0
    started = time.perf_counter()
    cpu_started = time.process_time()
    while time.perf_counter() - started < args.seconds:
        engine.compare_text(inputs[done % len(inputs)])
        done += 1
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    print(f"engine load: {load_time * 1000:.0f} ms")
    print(f"inputs: {len(inputs)} texts of ~{words:.0f} words from {len(files)} files")
    print(f"compare_text: {done / elapsed:.1f} articles/s ({elapsed / done * 1000:.2f} ms each)")
    print(f"cpu time: {done / cpu:.1f} articles per cpu-second (other load on the machine aside)")


if __name__ == "__main__":
    main()
