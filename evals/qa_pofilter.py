"""Our surface QA checks beside Translate Toolkit's pofilter, on errors injected into references.

Every English reference pair of ``articles/en/*.jsonl`` is taken as a sound translation; each
error type is injected, one at a time, into every pair it applies to. Both tools then check the
sound and the faulty pairs: the detection rate on the faulty ones and the findings on the sound
ones (false alarms) are printed as Markdown tables. pofilter runs from a separate interpreter
(its package is also named ``translate``): ``$TRANSLATE_TTK_PYTHON`` or ``--ttk PYTHON``.

    python evals/qa_pofilter.py --ttk /path/to/ttk-venv/bin/python
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from translate.checks import run_checks  # noqa: E402

# error type -> (our check, pofilter tests, injection returning the faulty target or None)
_WORD = re.compile(r"[A-Za-z]{5,}")


def _lose_end(t: str) -> str | None:
    core = t.rstrip()
    return core.rstrip(".!?") if core[-1:] in ".!?" else None


def _double_second(t: str) -> str | None:
    words = t.split(" ")
    return " ".join([*words[:2], words[1], *words[2:]]) if len(words) > 2 else None


def _lower_start(t: str) -> str | None:
    return t[0].lower() + t[1:] if t[:1].isupper() and t[1:2].islower() else None


def _char_loop(t: str) -> str | None:
    m = _WORD.search(t)
    return t[: m.start()] + m.group()[:3] * 3 + t[m.start() :] if m else None


ERRORS: dict[str, tuple[str, tuple[str, ...], Callable[[str], str | None]]] = {
    "final punctuation lost": ("end_punctuation", ("endpunc",), _lose_end),
    "trailing whitespace": ("whitespace", ("endwhitespace",), lambda t: t + " "),
    "leading whitespace": ("whitespace", ("startwhitespace",), lambda t: " " + t),
    "doubled word": ("doubled_word", ("doublewords",), _double_second),
    "double space": (
        "double_space",
        ("doublespacing",),
        lambda t: t.replace(" ", "  ", 1) if " " in t else None,
    ),
    "start capital lost": ("start_case", ("startcaps",), _lower_start),
    "character loop": ("char_loop", ("doublewords", "long", "unchanged"), _char_loop),
}
POFILTER_TESTS = sorted({t for _, tests, _ in ERRORS.values() for t in tests})


def _po(pairs: list[tuple[str, str]]) -> str:
    def q(s: str) -> str:
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'

    head = 'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    return head + "".join(
        f"msgctxt {q(str(i))}\nmsgid {q(s)}\nmsgstr {q(t)}\n\n" for i, (s, t) in enumerate(pairs)
    )


def pofilter(ttk: str, pairs: list[tuple[str, str]]) -> list[set[str]]:
    """The pofilter tests failing on each pair."""
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "in.po", Path(tmp) / "out.po"
        src.write_text(_po(pairs), encoding="utf-8")
        script = "import sys; from translate.filters.pofilter import main; sys.argv[0] = 'pofilter'; main()"
        tests = [a for t in POFILTER_TESTS for a in ("-t", t)]
        subprocess.run(
            [ttk, "-c", script, *tests, str(src), str(out)],
            cwd=tmp,
            check=True,
            capture_output=True,
        )
        found: list[set[str]] = [set() for _ in pairs]
        text = out.read_text(encoding="utf-8") if out.exists() else ""
        for block in text.split("\n\n"):
            ctx = re.search(r'^msgctxt "(\d+)"', block, re.M)
            if ctx:
                found[int(ctx.group(1))] = set(re.findall(r"# \(pofilter\) (\w+):", block))
        return found


def ours(pairs: list[tuple[str, str]]) -> list[set[str]]:
    return [{c.check for c in run_checks(s, t, "en")} for s, t in pairs]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ttk", default=os.environ.get("TRANSLATE_TTK_PYTHON"))
    args = parser.parse_args()
    if not args.ttk:
        sys.exit("give Translate Toolkit's python with --ttk or $TRANSLATE_TTK_PYTHON")
    sound = [
        (d["source"], d["target"])
        for path in sorted((ROOT / "articles" / "en").glob("*.jsonl"))
        for d in map(json.loads, path.read_text(encoding="utf-8").splitlines())
    ]
    print("| injected error | pairs | ours: check | ours | pofilter: tests | pofilter |")
    print("|---|---:|---|---:|---|---:|")
    for name, (check, tests, inject) in ERRORS.items():
        faulty = [(s, f) for s, t in sound if (f := inject(t)) is not None and f != t]
        mine = sum(check in found for found in ours(faulty))
        theirs = sum(bool(found & set(tests)) for found in pofilter(args.ttk, faulty))
        n = len(faulty)
        print(f"| {name} | {n} | `{check}` | {mine}/{n} ({mine / n:.0%}) | "
              f"{', '.join(f'`{t}`' for t in tests)} | {theirs}/{n} ({theirs / n:.0%}) |")  # fmt: skip
    print()
    print("| on the sound references | pairs | ours: pairs flagged | pofilter: pairs flagged |")
    print("|---|---:|---:|---:|")
    checks = {check for check, _, _ in ERRORS.values()}
    mine_all = ours(sound)
    theirs_all = pofilter(args.ttk, sound)
    for check, tests in sorted({(c, t) for c, t, _ in ERRORS.values()}):
        m = sum(check in f for f in mine_all)
        p = sum(bool(f & set(tests)) for f in theirs_all)
        print(f"| `{check}` / {', '.join(f'`{t}`' for t in tests)} | {len(sound)} | {m} | {p} |")
    m = sum(bool(f & checks) for f in mine_all)
    p = sum(bool(f) for f in theirs_all)
    print(f"| any of them | {len(sound)} | {m} | {p} |")


if __name__ == "__main__":
    main()
