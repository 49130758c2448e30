"""The do-not-translate checks on names altered or dropped in the bundled references.

Every reference pair of ``articles/*/*.jsonl`` whose source holds one of the bundled glossary's
do-not-translate names, kept in its target (every occurrence a whole word), is made faulty three ways, one at a time: the name
glued to a letter (``TechFlowP``), re-cased (``Techflow``, or upper case for an all-lower or
mixed name), and dropped (replaced by ``X``). A glued or re-cased name should be a ``dnt_altered``
finding (critical), a dropped one a ``dnt`` finding (major), and the sound pairs neither. Usage::

    python evals/qa_dnt.py
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from evals.qa_blind import dnt_names  # noqa: E402
from translate.checks import run_checks  # noqa: E402

FAULTS = {
    "glued": ("dnt_altered", lambda name: name + "P"),
    "re-cased": (
        "dnt_altered",
        lambda name: name.upper() if name != name.upper() else name.title(),
    ),
    "dropped": ("dnt", lambda name: "X"),
}


def score() -> dict[str, Any]:
    """Per fault: pairs and how many got the right check alone; the sound pairs flagged."""
    names = [n for n in dnt_names() if sum(ch.isalnum() for ch in n) >= 3]
    found: Counter[str] = Counter()
    total: Counter[str] = Counter()
    sound = flagged = 0
    for path in sorted((ROOT / "articles").glob("*/*.jsonl")):
        lang = path.parent.name
        for line in path.read_text(encoding="utf-8").splitlines():
            pair = json.loads(line)
            src, tgt = pair["source"], pair["target"]
            sound += 1
            checks = {c.check for c in run_checks(src, tgt, lang, dnt=names)}
            flagged += bool(checks & {"dnt", "dnt_altered"})
            for name in names:
                whole = rf"(?<![\w]){re.escape(name)}(?![\w])"
                kept = len(re.findall(whole, tgt))
                if not (re.search(whole, src) and kept and kept == tgt.count(name)):
                    continue  # (every occurrence whole, so that the fault reaches them all)
                for fault, (check, change) in FAULTS.items():
                    faulty = re.sub(whole, change(name), tgt)
                    got = {c.check for c in run_checks(src, faulty, lang, dnt=[name])}
                    total[fault] += 1
                    # the right check, and not both (one problem, one finding)
                    found[fault] += check in got and not {"dnt", "dnt_altered"} - {check} & got
    faults = {f: {"pairs": total[f], "found": found[f]} for f in FAULTS}
    return {"faults": faults, "sound": sound, "sound_flagged": flagged}


def main() -> int:
    """Prints the detection table (Markdown)."""
    res = score()
    print("| fault | pairs | expected check | found |")
    print("|---|---:|---|---:|")
    for fault, (check, _) in FAULTS.items():
        n, k = res["faults"][fault]["pairs"], res["faults"][fault]["found"]
        print(f"| {fault} | {n} | `{check}` | {k}/{n} ({k / n:.0%}) |")
    n, bad = res["sound"], res["sound_flagged"]
    print(f"| sound references | {n} | none | {n - bad}/{n} unflagged |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
