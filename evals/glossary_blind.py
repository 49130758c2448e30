"""Scores the glossary matcher on the blind set of news-style French sentences.

The set (``tests/data/blind_glossary_fr.jsonl``) was written from the README's matching promises
and the bundled glossary's rows before the matcher's code was read; a match counts when both its
text and its entry's headword agree with a gold one. Usage::

    python evals/glossary_blind.py [--errors] [--accent-insensitive] [--cases FILE]

``tests/data/fresh_glossary_fr.jsonl`` is a second set, written after the fixes but never tuned
on (``--cases tests/data/fresh_glossary_fr.jsonl``).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from translate.glossary import load_glossary  # noqa: E402

CASES = ROOT / "tests" / "data" / "blind_glossary_fr.jsonl"
GLOSSARY = ROOT / "glossaries" / "crypto-cloud.csv"


def score(
    cases: Path = CASES, glossary: Path = GLOSSARY, *, accent_insensitive: bool = False
) -> dict[str, Any]:
    """Micro precision, recall and F1 of (matched text, headword) pairs over all cases.

    Returns the figures plus ``errors``: one ``(text, missed, spurious)`` per imperfect case.
    """
    gloss = load_glossary([glossary], accent_insensitive=accent_insensitive)
    tp = fp = fn = 0
    exact = 0
    errors: list[tuple[str, list[tuple[str, str]], list[tuple[str, str]]]] = []
    rows = [json.loads(line) for line in cases.read_text(encoding="utf-8").splitlines() if line]
    for row in rows:
        gold = Counter((e["text"], e["headword"]) for e in row["expected"])
        got = Counter((m.text, m.headword) for m in gloss.match(row["text"]))
        hit = sum((gold & got).values())
        tp += hit
        fp += sum(got.values()) - hit
        fn += sum(gold.values()) - hit
        if gold == got:
            exact += 1
        else:
            errors.append(
                (row["text"], sorted((gold - got).elements()), sorted((got - gold).elements()))
            )
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "cases": len(rows),
        "gold": tp + fn,
        "found": tp + fp,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "exact": exact,
        "errors": errors,
    }


def main() -> int:
    """Prints the figures (and, with ``--errors``, every imperfect case)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list missed and spurious matches")
    parser.add_argument("--accent-insensitive", action="store_true")
    parser.add_argument("--cases", type=Path, default=CASES, help="JSONL case file to score")
    args = parser.parse_args()
    res = score(args.cases, accent_insensitive=args.accent_insensitive)
    print(
        f"cases {res['cases']}  gold {res['gold']}  found {res['found']}  "
        f"precision {res['precision']:.3f}  recall {res['recall']:.3f}  F1 {res['f1']:.3f}  "
        f"exact {res['exact']}/{res['cases']}"
    )
    if args.errors:
        for text, missed, spurious in res["errors"]:
            print(f"- {text}\n    missed: {missed}\n    spurious: {spurious}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
