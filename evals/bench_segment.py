"""Segmenter throughput: MB of French text (UTF-8 bytes) segmented per second, best of 3 runs.

    python evals/bench_segment.py [--mb 4]

The text is the bundled article plus the gold set's paragraphs, repeated to the requested size.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from translate.segment import load_rules, segment  # noqa: E402

ARTICLE = REPO / "articles" / "fr" / "grandes-entreprises-exchanges-crypto.txt"
GOLD = REPO / "evals" / "segmentation" / "gold_fr.jsonl"


def corpus(megabytes: float) -> str:
    gold = [json.loads(line)["text"] for line in GOLD.read_text(encoding="utf-8").splitlines()]
    unit = ARTICLE.read_text(encoding="utf-8") + "\n\n" + "\n\n".join(gold) + "\n\n"
    size = len(unit.encode("utf-8"))
    return unit * max(1, round(megabytes * 1e6 / size))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=4.0, help="size of the test text in MB")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    text = corpus(args.mb)
    mb = len(text.encode("utf-8")) / 1e6
    rules = load_rules()
    best = float("inf")
    for _ in range(args.runs):
        t0 = time.perf_counter()
        doc = segment(text, rules=rules)
        best = min(best, time.perf_counter() - t0)
    print(
        f"segmented {mb:.2f} MB ({len(text):,} characters, {len(doc.segments):,} segments) "
        f"in {best:.3f} s: {mb / best:.2f} MB/s (best of {args.runs}, Python "
        f"{sys.version.split()[0]})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
