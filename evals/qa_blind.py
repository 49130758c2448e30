"""Scores the QA checks on the blind set of French sources and (faulty or sound) translations.

The set (``tests/data/blind_qa.jsonl``) was written from the README's description of each check
before its code was read: each pair lists the checks that should fire. The bundled glossary's
do-not-translate names are passed as ``dnt``. Usage::

    python evals/qa_blind.py [--errors]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from translate.checks import describe_checks, run_checks  # noqa: E402

CASES = ROOT / "tests" / "data" / "blind_qa.jsonl"
GLOSSARY = ROOT / "glossaries" / "crypto-cloud.csv"


def dnt_names(glossary: Path = GLOSSARY) -> list[str]:
    """The French headwords of the glossary's do-not-translate rows."""
    with glossary.open(encoding="utf-8", newline="") as fh:
        rows = csv.DictReader(line for line in fh if not line.startswith("#"))
        return [
            r["fr"].split("|")[0]
            for r in rows
            if (r.get("dnt") or "").strip().lower() in {"true", "yes", "1"}
        ]


def score(cases: Path = CASES) -> dict[str, Any]:
    """Per-check precision/recall (micro over pairs) and the pairs where the checks disagree."""
    names = [c["check"] for c in describe_checks()]
    dnt = dnt_names()
    counts = {n: {"tp": 0, "fp": 0, "fn": 0} for n in names}
    errors: list[dict[str, Any]] = []
    rows = [json.loads(line) for line in cases.read_text(encoding="utf-8").splitlines() if line]
    for row in rows:
        got = {c.check for c in run_checks(row["source"], row["target"], row["lang"], dnt=dnt)}
        want = set(row["expected_checks"])
        for n in names:
            key = (
                "tp" if n in got and n in want else "fp" if n in got else "fn" if n in want else ""
            )
            if key:
                counts[n][key] += 1
        if got != want:
            errors.append({**row, "got": sorted(got)})
    per_check = {}
    for n, c in counts.items():
        p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 1.0
        r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 1.0
        per_check[n] = {**c, "precision": p, "recall": r}
    tp = sum(c["tp"] for c in counts.values())
    fp = sum(c["fp"] for c in counts.values())
    fn = sum(c["fn"] for c in counts.values())
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "pairs": len(rows),
        "exact": len(rows) - len(errors),
        "per_check": per_check,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "errors": errors,
    }


def main() -> int:
    """Prints a per-check table (and, with ``--errors``, every pair the checks get wrong)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list pairs with wrong verdicts")
    args = parser.parse_args()
    res = score()
    print(f"{'check':<14}{'tp':>4}{'fp':>4}{'fn':>4}{'precision':>11}{'recall':>8}")
    for n, c in res["per_check"].items():
        print(
            f"{n:<14}{c['tp']:>4}{c['fp']:>4}{c['fn']:>4}{c['precision']:>11.3f}{c['recall']:>8.3f}"
        )
    print(
        f"all: precision {res['precision']:.3f}  recall {res['recall']:.3f}  F1 {res['f1']:.3f}  "
        f"exact pairs {res['exact']}/{res['pairs']}"
    )
    if args.errors:
        for e in res["errors"]:
            print(f"- [{e['lang']}] {e['source']}\n  → {e['target']}")
            print(f"    want {e['expected_checks']}  got {e['got']}  ({e['note']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
