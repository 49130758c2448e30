"""Benchmark: constrained beam search vs ``model.generate`` beam search, same model and segments.

Builds (in a temporary directory, never committed) a random-weight MarianMT with the dimensions
of Helsinki-NLP/opus-mt-fr-en (d_model 512, 6+6 layers, 8 heads, FFN 2048, 59,514-entry vocabulary),
takes the article segments that contain 1 to 3 terms of the bundled glossary, and times
:func:`translate.engine.constrained.constrained_generate` against ``model.generate`` with the same
beam size and ``max_new_tokens``, in one process, on one CPU thread by default.

Usage: ``python evals/bench_constrained.py [--segments 20] [--beams 4] [--max-new 32]
[--glossary FILE] [--json]``
Results are reported in ``evals/README.md`` ("Constrained decoding").
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]


def segments_with_terms(
    limit: int, max_terms: int, glossary_path: Path
) -> tuple[list[str], list[list]]:
    """The first ``limit`` article segments with 1 to ``max_terms`` glossary matches."""
    from translate.glossary import load_glossary
    from translate.segment import segment

    glossary = load_glossary([glossary_path])
    texts, constraints = [], []
    for path in sorted((REPO / "articles" / "fr").glob("*.txt")):
        for seg in segment(path.read_text(encoding="utf-8")).segments:
            matches = glossary.match(seg.text)
            if 0 < len(matches) <= max_terms and len(texts) < limit:
                texts.append(seg.text)
                constraints.append(glossary.constraints_for(seg.text, matches))
    return texts, constraints


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--segments", type=int, default=20)
    parser.add_argument("--beams", type=int, default=4)
    parser.add_argument("--max-new", type=int, default=32, help="max_new_tokens for both")
    parser.add_argument("--terms", type=int, default=3, help="at most this many terms a segment")
    parser.add_argument(
        "--glossary",
        type=Path,
        default=REPO / "glossaries" / "crypto-cloud.csv",
        help="glossary whose matches become the constraints (default: the bundled one)",
    )
    parser.add_argument("--repeats", type=int, default=2, help="timed runs each (best is kept)")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    import torch
    from tinymodels import OPUS_MT_FR_EN, build_marian
    from transformers import MarianMTModel, MarianTokenizer
    from transformers.utils import logging

    from translate.engine.constrained import constrained_generate
    from translate.glossary import Glossary

    logging.set_verbosity_error()
    warnings.filterwarnings("ignore")
    torch.set_num_threads(args.threads)
    texts, constraints = segments_with_terms(args.segments, args.terms, args.glossary)
    with tempfile.TemporaryDirectory() as tmp:
        path = build_marian(
            Path(tmp) / "opus-mt-fr-en-random",
            vocab_size=4000,
            target_lang="en",
            num_beams=args.beams,
            max_length=512,
            **OPUS_MT_FR_EN,
        )
        tokenizer = MarianTokenizer.from_pretrained(path)
        model = MarianMTModel.from_pretrained(path).eval().to(args.device)
    enc = tokenizer(texts, return_tensors="pt", padding=True).to(args.device)
    caps = [args.max_new] * len(texts)

    def plain() -> list[str]:
        with torch.inference_mode():
            out = model.generate(
                **enc, num_beams=args.beams, max_new_tokens=args.max_new, do_sample=False
            )
        return tokenizer.batch_decode(out, skip_special_tokens=True)

    def constrained() -> list[str]:
        return constrained_generate(
            model,
            tokenizer,
            texts,
            constraints,
            target_lang="en",
            num_beams=args.beams,
            max_new_tokens=caps,
            device=args.device,
        )

    times: dict[str, list[float]] = {"generate": [], "constrained": []}
    outputs: dict[str, list[str]] = {}
    plain()  # warm-up (allocations, lazy imports)
    for _ in range(args.repeats):
        for name, fn in (("generate", plain), ("constrained", constrained)):
            t0 = time.perf_counter()
            outputs[name] = fn()
            times[name].append(time.perf_counter() - t0)
    verifier = Glossary([])
    met = sum(
        r.satisfied
        for out, cons in zip(outputs["constrained"], constraints, strict=True)
        for r in verifier.verify(out, cons, [], "en")
    )
    required = sum(len(verifier.verify("", cons, [], "en")) for cons in constraints)
    best = {k: min(v) for k, v in times.items()}
    result = {
        "model": "random MarianMT, opus-mt-fr-en dimensions",
        "device": args.device,
        "threads": args.threads,
        "glossary": args.glossary.name,
        "segments": len(texts),
        "terms": sum(map(len, constraints)),
        "num_beams": args.beams,
        "max_new_tokens": args.max_new,
        "generate_s": round(best["generate"], 3),
        "constrained_s": round(best["constrained"], 3),
        "ratio": round(best["constrained"] / best["generate"], 3),
        "runs_s": {k: [round(t, 3) for t in v] for k, v in times.items()},
        "median_ratio": round(
            statistics.median(times["constrained"]) / statistics.median(times["generate"]), 3
        ),
        "terms_met": f"{met}/{required}",
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for k, v in result.items():
            print(f"{k:>16}: {v}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
