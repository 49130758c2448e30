"""``translate compare``: is system B significantly better than A? (paired bootstrap resampling)"""

from __future__ import annotations

import argparse
import json
import sys

from translate.cli._engine import language, positive_int, probability


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "compare",
        help="paired bootstrap test of two translations of the same text",
        description="Compare system B with baseline A on the same references using sacrebleu's "
        "paired bootstrap resampling (seed from SACREBLEU_SEED, default 12345).",
    )
    p.add_argument("a", help="baseline hypotheses: .txt lines or a result .json")
    p.add_argument("b", help="candidate hypotheses: .txt lines or a result .json")
    p.add_argument("--ref", required=True, help="references: .txt lines or a .jsonl file")
    p.add_argument(
        "--lang", type=language, help="target language (tokenization); default: from the files"
    )
    p.add_argument(
        "--samples", type=positive_int, default=1000, help="bootstrap resamples (default 1000)"
    )
    p.add_argument(
        "--alpha", type=probability, default=0.05, help="significance level (default 0.05)"
    )
    p.add_argument("--json", action="store_true", help="print the comparison as JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from translate.errors import ScoreError
    from translate.score import compare, read_pairs

    pa = read_pairs(args.a, args.ref, lang=args.lang)
    pb = read_pairs(args.b, args.ref, lang=args.lang or pa.lang)
    if pa.references != pb.references:
        raise ScoreError(
            f"{args.a} and {args.b} align to different references (segmented differently); "
            "compare outputs of the same segmentation or plain-text files."
        )
    result = compare(
        pa.hypotheses,
        pb.hypotheses,
        pa.references,
        pa.lang,
        n_samples=args.samples,
        alpha=args.alpha,
    )
    if args.json:
        sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n")
        return 0
    from rich.console import Console

    from translate.cli._tables import compact_table, short_col, text_col

    rows = compact_table(
        short_col("metric"),
        short_col("A (μ ± 95% CI)", justify="right"),
        short_col("B (μ ± 95% CI)", justify="right"),
        short_col("Δ B−A", justify="right"),
        short_col("p", justify="right"),
        text_col("verdict"),
        title=f"paired bootstrap, {result.n_samples} resamples",
    )
    for m in result.metrics:
        rows.add_row(
            m.metric,
            f"{m.a:.2f} ({m.a_mean:.2f} ± {m.a_ci:.2f})",
            f"{m.b:.2f} ({m.b_mean:.2f} ± {m.b_ci:.2f})",
            f"{m.delta:+.2f}",
            f"{m.p_value:.4f}",
            m.verdict,
        )
    Console().print(rows)
    return 0
