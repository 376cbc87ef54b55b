"""Speed and accuracy of story clustering: 10,000 synthetic articles, a fifth of them reprints.

Run: .venv/bin/python benchmarks/bench_clusters.py [--articles 10000] [--words 400]

Articles are random prose from a fixed vocabulary (seeded, so every run sees the same input);
each reprint copies an original, swaps a few words, drops or adds a sentence and gets its own
headline. Prints the wall and CPU time of clustering (one core) and pair precision/recall
against the known originals.
"""

from __future__ import annotations

import argparse
import random
import time
from collections import defaultdict
from itertools import combinations

from stancewatch.events import cluster

BUDGET_SECONDS = 10.0


def _vocabulary(rng: random.Random, size: int = 6000) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return ["".join(rng.choices(letters, k=rng.randint(3, 10))) for _ in range(size)]


def _sentence(rng: random.Random, vocab: list[str]) -> str:
    return " ".join(rng.choices(vocab, k=rng.randint(12, 28))).capitalize() + "."


def _reprint(rng: random.Random, vocab: list[str], text: str) -> str:
    sentences = text.split(". ")
    if len(sentences) > 4:
        sentences.pop(rng.randrange(len(sentences)))  # a cut paragraph
    sentences.insert(rng.randrange(len(sentences)), _sentence(rng, vocab))  # an added line
    words = " ".join(sentences).split()
    for _ in range(max(1, len(words) // 60)):  # light copy-editing
        words[rng.randrange(len(words))] = rng.choice(vocab)
    return _sentence(rng, vocab) + "\n" + " ".join(words)


def make_articles(
    n: int, words: int, seed: int = 7
) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """(key, text) pairs and each key's true story (an original's key)."""
    rng = random.Random(seed)
    vocab = _vocabulary(rng)
    articles: list[tuple[str, str]] = []
    truth: dict[str, str] = {}
    originals: list[tuple[str, str]] = []
    for i in range(n):
        key = f"a{i:05d}"
        if originals and rng.random() < 0.2:
            source_key, source_text = rng.choice(originals)
            articles.append((key, _reprint(rng, vocab, source_text)))
            truth[key] = truth[source_key]
            continue
        sentences = []
        while sum(len(s.split()) for s in sentences) < words:
            sentences.append(_sentence(rng, vocab))
        text = " ".join(sentences)
        articles.append((key, text))
        originals.append((key, text))
        truth[key] = key
    return articles, truth


def _pairs(groups: dict[str, str]) -> set[tuple[str, str]]:
    members: dict[str, list[str]] = defaultdict(list)
    for key, story in groups.items():
        members[story].append(key)
    return {pair for keys in members.values() for pair in combinations(sorted(keys), 2)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--words", type=int, default=400)
    args = parser.parse_args()
    articles, truth = make_articles(args.articles, args.words)
    wall, cpu = time.perf_counter(), time.process_time()
    matches = cluster(articles)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    found = {m.key: m.story for m in matches}
    true_pairs, found_pairs = _pairs(truth), _pairs(found)
    hits = len(true_pairs & found_pairs)
    precision = hits / len(found_pairs) if found_pairs else 1.0
    recall = hits / len(true_pairs) if true_pairs else 1.0
    stories = len(set(found.values()))
    print(
        f"clustered {len(articles)} articles (~{args.words} words) into {stories} stories "
        f"(true: {len(set(truth.values()))}) in {wall:.2f} s wall, {cpu:.2f} s CPU "
        f"({len(articles) / wall:.0f} articles/s)"
    )
    print(
        f"same-story pairs: precision {precision:.3f}, recall {recall:.3f} "
        f"({hits} of {len(true_pairs)})"
    )
    verdict = "PASS" if cpu <= BUDGET_SECONDS else "FAIL"
    print(f"{verdict}: budget {BUDGET_SECONDS:.0f} s of CPU on one core")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    raise SystemExit(main())
