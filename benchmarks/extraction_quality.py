"""Score stancewatch.ingest.extract.extract_page on the 181-page article extraction benchmark.

Usage: .venv/bin/python benchmarks/extraction_quality.py [--limit N] [--worst K]

Scoring follows the benchmark's README: Unicode word tokens, word 4-gram shingles counted as a
multiset, per-page precision and recall averaged over pages, F1 from the two means. A page
with no extracted text scores 0 precision and 0 recall.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from stancewatch.ingest import extract_page

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "extraction-benchmark"
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class PageScore:
    item_id: str
    precision: float
    recall: float
    millis: float

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def shingles(text: str, size: int = 4) -> Counter[tuple[str, ...]]:
    words = _WORD.findall(text)
    return Counter(tuple(words[i : i + size]) for i in range(len(words) - size + 1))


def precision_recall(predicted: str, expected: str) -> tuple[float, float]:
    got, want = shingles(predicted), shingles(expected)
    overlap = sum((got & want).values())
    n_got, n_want = sum(got.values()), sum(want.values())
    return (overlap / n_got if n_got else 0.0, overlap / n_want if n_want else 0.0)


def score_page(item_id: str, expected: str) -> PageScore:
    with gzip.open(CORPUS / "html" / f"{item_id}.html.gz") as page_file:
        html = page_file.read()
    started = time.perf_counter()
    page = extract_page(html)
    millis = (time.perf_counter() - started) * 1000
    precision, recall = precision_recall(page.text if page else "", expected)
    return PageScore(item_id, precision, recall, millis)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="score only the first N pages")
    parser.add_argument("--worst", type=int, default=5, help="list the K lowest-F1 pages")
    args = parser.parse_args()
    if not CORPUS.is_dir():
        print(f"benchmark corpus not found at {CORPUS}", file=sys.stderr)
        return 1
    truth = json.loads((CORPUS / "ground-truth.json").read_text(encoding="utf-8"))
    ids = sorted(truth)[: args.limit]
    scores = [score_page(item_id, truth[item_id]["articleBody"]) for item_id in ids]

    precision = statistics.fmean(s.precision for s in scores)
    recall = statistics.fmean(s.recall for s in scores)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    millis = [s.millis for s in scores]
    print(f"pages            {len(scores)}")
    print(f"precision        {precision:.3f}")
    print(f"recall           {recall:.3f}")
    print(f"F1               {f1:.3f}")
    print(f"mean page F1     {statistics.fmean(s.f1 for s in scores):.3f}")
    print(f"empty results    {sum(1 for s in scores if s.precision == 0 and s.recall == 0)}")
    print(
        f"ms/page          mean {statistics.fmean(millis):.0f}, "
        f"median {statistics.median(millis):.0f}, max {max(millis):.0f}"
    )
    for s in sorted(scores, key=lambda s: s.f1)[: args.worst]:
        print(
            f"  low: {s.item_id[:12]}  P={s.precision:.2f} R={s.recall:.2f} F1={s.f1:.2f}  "
            f"{truth[s.item_id]['url']}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
