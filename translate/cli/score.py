"""``translate score``: corpus BLEU, chrF++ and TER (sacrebleu, with signatures) and term accuracy."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from translate.cli._engine import add_glossary_argument, language

if TYPE_CHECKING:
    from translate.score.files import Pairs


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "score",
        help="score translations against references (BLEU, chrF++, TER, term accuracy)",
        description="Score a hypothesis file against references with sacrebleu. HYP is plain "
        "text (one segment per line) or a result .json from 'translate run'; REF is plain text "
        "(one segment per line) or a .jsonl reference file.",
    )
    p.add_argument("--hyp", required=True, help="hypotheses: .txt lines or a result .json")
    p.add_argument("--ref", required=True, help="references: .txt lines or a .jsonl file")
    p.add_argument("--src", help="French sources, one per line (for term accuracy)")
    add_glossary_argument(p, "glossary file(s) for term accuracy (repeatable)", "G")
    p.add_argument(
        "--lang", type=language, help="target language (tokenization); default: from the files"
    )
    p.add_argument("--json", action="store_true", help="print the scores as JSON")
    p.set_defaults(func=run)


def languages_differ(hyp: str, ref: str, pairs: Pairs) -> str | None:
    """Why the hypotheses and references look like different languages, or None.

    Known languages (a result's target, a reference file's ``<lang>/`` folder) are compared by
    their language subtag; otherwise the scripts are (Chinese, Japanese, Korean or another).
    """
    from pathlib import Path

    from translate.langtags import base_or_none
    from translate.score.files import guess_script_lang

    hyp_lang = pairs.result.target_lang if pairs.result is not None else None
    folder = Path(ref).parent.name
    ref_lang = folder if Path(ref).suffix == ".jsonl" and base_or_none(folder) else None
    if hyp_lang and ref_lang and base_or_none(hyp_lang) != base_or_none(ref_lang):
        return (
            f"{hyp} is in {hyp_lang} but {ref} in {ref_lang}; scores across languages mean "
            "nothing, check --hyp and --ref."
        )
    hyp_script, ref_script = (
        guess_script_lang(pairs.hypotheses),
        guess_script_lang(pairs.references),
    )
    if hyp_script != ref_script:

        def name(s: str | None) -> str:
            return s or "a language written with spaces"

        return (
            f"{hyp} looks like {name(hyp_script)} but {ref} like {name(ref_script)}; scores "
            "across languages mean nothing, check --hyp and --ref."
        )
    return None


def run(args: argparse.Namespace) -> int:
    from translate.score import corpus_scores, read_pairs

    pairs = read_pairs(args.hyp, args.ref, src_path=args.src, lang=args.lang)
    mismatch = languages_differ(args.hyp, args.ref, pairs)
    if mismatch:
        print(f"translate: warning: {mismatch}", file=sys.stderr)
    glossary = None
    if args.glossary:
        from translate.glossary import load_glossary

        glossary = load_glossary(args.glossary)
    scores = corpus_scores(
        pairs.hypotheses,
        pairs.references,
        pairs.lang,
        ids=pairs.ids,
        sources=pairs.sources,
        glossary=glossary,
    )
    if args.json:
        sys.stdout.write(json.dumps(scores.to_dict(), ensure_ascii=False, indent=2) + "\n")
        return 0
    from rich.console import Console

    from translate.cli._tables import compact_table, short_col

    metrics = (("bleu", "BLEU"), ("chrf", "chrF2++"), ("ter", "TER"))
    title = f"{len(scores.segments)} segments"
    rows = compact_table(short_col("metric"), short_col("score", justify="right"), title=title)
    for name, label in metrics:
        rows.add_row(label, f"{getattr(scores, name):.2f}")
    console = Console()
    console.print(rows)
    # a signature is one token of 60-70 characters that a user copies: a line of its own, never
    # broken (soft_wrap: a terminal may fold it, a CI log keeps it whole)
    console.print("signatures:", highlight=False)
    for name, label in metrics:
        line = f"  {label:<8} {scores.signatures[name]}"
        console.print(line, soft_wrap=True, markup=False, highlight=False)
    if scores.terms is not None:
        acc = scores.terms.accuracy
        shown = "n/a (no glossary term in the sources)" if acc is None else f"{acc:.3f}"
        console.print(
            f"term accuracy: {shown} ({scores.terms.satisfied}/{scores.terms.total} terms found)"
        )
    return 0
