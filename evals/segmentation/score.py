"""Score sentence segmenters against French gold cases: boundary precision/recall/F1, exact cases.

A boundary is the character offset where a sentence ends, excluding the end of the text. Offsets
are compared after removing whitespace (an offset becomes the number of non-space characters before
it), so segmenters that keep or drop the spaces between sentences score alike. Figures are micro
averages over all boundaries of a case file; a case is exact when its boundary set is the gold one.

    python evals/segmentation/score.py                      # both case files, all systems
    python evals/segmentation/score.py --errors ours FILE   # list our mistakes on one file
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
GOLD = HERE / "gold_fr.jsonl"
# Written before its author read the segmenter (see evals/README.md, "Blind set").
BLIND = HERE / "blind_fr.jsonl"
# Score this checkout's package, whatever else is installed.
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
EXTERNAL = REPO.parent / "shared" / "eval-data" / "segmentation" / "fr_external_cases.jsonl"

Spans = list[tuple[int, int]]
Splitter = Callable[[str], Spans]


@dataclass(frozen=True)
class Score:
    """Boundary counts and exact cases of one system on one case file."""

    system: str
    cases: int
    exact: int
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def accuracy(self) -> float:
        return self.exact / self.cases if self.cases else 0.0


def load_cases(path: str | Path) -> list[dict]:
    """Read a case file and check that every gold sentence is a substring of its text, in order."""
    cases = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        case = json.loads(line)
        gold_spans(case)  # raises on a malformed case
        cases.append(case)
    return cases


def gold_spans(case: dict) -> Spans:
    spans, pos = [], 0
    for sent in case["sentences"]:
        start = case["text"].find(sent, pos)
        if start < 0:
            raise ValueError(f"case {case['id']}: sentence {sent!r} is not in the text in order")
        spans.append((start, start + len(sent)))
        pos = start + len(sent)
    return spans


def boundaries(text: str, spans: Iterable[tuple[int, int]]) -> set[int]:
    """Sentence ends as counts of non-space characters before them, without the text end."""
    nonspace = [0]
    for ch in text:
        nonspace.append(nonspace[-1] + (not ch.isspace()))
    total = nonspace[-1]
    ends = {nonspace[end] for _, end in spans}
    ends.discard(total)
    ends.discard(0)
    return ends


def ours() -> Splitter:
    from translate.segment import segment

    return lambda text: [(s.start, s.end) for s in segment(text).segments]


def pysbd_splitter() -> Splitter:
    import pysbd

    seg = pysbd.Segmenter(language="fr", clean=False, char_span=True)
    return lambda text: [(s.start, s.end) for s in seg.segment(text)]


def spacy_splitter() -> Splitter:
    import spacy

    nlp = spacy.blank("fr")
    nlp.add_pipe("sentencizer")
    return lambda text: [(s.start_char, s.end_char) for s in nlp(text).sents]


SYSTEMS: dict[str, Callable[[], Splitter]] = {
    "ours": ours,
    "pysbd": pysbd_splitter,
    "spacy": spacy_splitter,
}


def score(system: str, split: Splitter, cases: Sequence[dict]) -> tuple[Score, list[dict]]:
    """Score one splitter on cases; also return the cases it got wrong."""
    tp = fp = fn = exact = 0
    wrong = []
    for case in cases:
        text = case["text"]
        gold = boundaries(text, gold_spans(case))
        spans = split(text)
        got = boundaries(text, spans)
        tp += len(gold & got)
        fp += len(got - gold)
        fn += len(gold - got)
        if got == gold:
            exact += 1
        else:
            wrong.append(
                {"id": case["id"], "gold": case["sentences"], "got": [text[s:e] for s, e in spans]}
            )
    return Score(system, len(cases), exact, tp, fp, fn), wrong


def markdown(title: str, scores: Sequence[Score]) -> str:
    rows = [
        f"**{title}**",
        "",
        "| system | cases | boundaries | precision | recall | F1 | exact cases |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for s in scores:
        rows.append(
            f"| {s.system} | {s.cases} | {s.tp + s.fn} | {s.precision:.3f} | {s.recall:.3f} | "
            f"{s.f1:.3f} | {s.exact}/{s.cases} ({s.accuracy:.3f}) |"
        )
    return "\n".join(rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "files",
        nargs="*",
        help=f"case files (default: {GOLD.name}, the external set, {BLIND.name})",
    )
    parser.add_argument(
        "--systems", default=",".join(SYSTEMS), help="comma-separated: " + ", ".join(SYSTEMS)
    )
    parser.add_argument("--errors", metavar="SYSTEM", help="print the cases SYSTEM gets wrong")
    args = parser.parse_args(argv)
    files = [Path(f) for f in args.files] or [p for p in (GOLD, EXTERNAL, BLIND) if p.exists()]
    names = [n.strip() for n in args.systems.split(",") if n.strip()]
    unknown = [n for n in names if n not in SYSTEMS]
    if unknown:
        parser.error(f"unknown system(s) {', '.join(unknown)}; choose from {', '.join(SYSTEMS)}")
    splitters = {}
    for name in names:
        try:
            splitters[name] = SYSTEMS[name]()
        except ImportError as err:
            print(f"skipping {name}: {err}", file=sys.stderr)
    for path in files:
        cases = load_cases(path)
        scores = []
        for name, split in splitters.items():
            result, wrong = score(name, split, cases)
            scores.append(result)
            if args.errors == name:
                for w in wrong:
                    print(json.dumps(w, ensure_ascii=False, indent=1))
        print(markdown(path.name, scores) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
