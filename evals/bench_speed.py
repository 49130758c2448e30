"""Speed benchmark: naive transformers ``generate`` against our engine (``--engine auto``).

Builds in seconds, in a temporary directory (never committed), a random-weight MarianMT with
Helsinki-NLP/opus-mt-fr-en's dimensions (as ``evals/bench_engine.py`` does), then in one process
times, on the same 40-odd sentences of the bundled articles:

* **baseline**: transformers ``generate`` in float32, beam 4, batches of 16 (the model card's
  snippet: ``tokenizer(batch, padding=True)`` then ``model.generate(**batch)``);
* **engine**: :func:`translate.engine.chain.build_engines` with ``engine="auto"`` (CTranslate2
  int8 on CPU when the model converts);
* **glossary**: the engine on sentences holding terms of the bundled glossary, each term
  enforced. Random weights never write a term by themselves, so every term needs a repair (or
  the exact fallback): the worst case.

Random weights never end a sentence, so output lengths are forced equal: every output is exactly
``--tokens`` pieces (``min_new_tokens = max_new_tokens`` for the baseline, a cap of that length
for the engine; the engine's pieces are counted, not assumed). Warm-up runs are excluded, the
systems are interleaved, each is timed ``--repeats`` times and the median is reported.

Usage: ``python evals/bench_speed.py [--threads 2] [--beams 4] [--repeats 3] [--json]``; with
``--json`` the last stdout line is one JSON object. Figures: ``evals/README.md`` ("Speed").
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]

GLOSSARY = REPO / "glossaries" / "crypto-cloud.csv"
SPM_VOCAB = 8000


def sentences(limit: int, *, with_terms: bool) -> tuple[list[str], list[list[Any]]]:
    """The first ``limit`` article sentences of 6 words or more (holding glossary terms, or not
    necessarily), with their constraints."""
    from translate.glossary import load_glossary
    from translate.segment import segment

    glossary = load_glossary([GLOSSARY])
    texts: list[str] = []
    cons: list[list[Any]] = []
    for path in sorted((REPO / "articles" / "fr").glob("*.txt")):
        for seg in segment(path.read_text(encoding="utf-8")).segments:
            if len(seg.text.split()) < 6 or len(texts) >= limit:
                continue
            matches = glossary.match(seg.text)
            if with_terms and not matches:
                continue
            texts.append(seg.text)
            cons.append(list(glossary.constraints_for(seg.text, matches)))
    return texts, cons


def baseline(model: Any, tokenizer: Any, texts: list[str], beams: int, tokens: int) -> int:
    """Naive ``generate`` in batches of 16; returns the pieces generated."""
    import torch

    made = 0
    for start in range(0, len(texts), 16):
        batch = tokenizer(texts[start : start + 16], return_tensors="pt", padding=True)
        with torch.inference_mode():
            out = model.generate(
                **batch, num_beams=beams, max_new_tokens=tokens, min_new_tokens=tokens
            )
        made += int((out[:, 1:] != tokenizer.pad_token_id).sum())
    return made


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2, help="CPU threads of each system")
    parser.add_argument(
        "--plan",
        help="the engine's WORKERSxTHREADS (CTranslate2 inter x intra threads; default: its own "
        "default plan for a budget of --threads, i.e. that many one-thread workers)",
    )
    parser.add_argument("--beams", type=int, default=4)
    parser.add_argument("--sentences", type=int, default=40)
    parser.add_argument("--tokens", type=int, default=40, help="output pieces per sentence")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="last stdout line: one JSON object")
    parser.add_argument("--save-model", help="keep the random model in this folder")
    args = parser.parse_args()

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch
    from tinymodels import OPUS_MT_FR_EN, build_marian
    from transformers import MarianMTModel, MarianTokenizer

    from translate.engine.base import DecodeOptions
    from translate.engine.chain import build_engines
    from translate.glossary import load_glossary

    warnings.filterwarnings("ignore")
    torch.set_num_threads(args.threads)
    os.environ["OMP_NUM_THREADS"] = str(args.threads)  # the engine's thread budget
    workers, intra = (int(x) for x in args.plan.split("x")) if args.plan else (None, None)
    plain, _ = sentences(args.sentences, with_terms=False)
    termed, constraints = sentences(args.sentences, with_terms=True)
    glossary = load_glossary([GLOSSARY])
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["TRANSLATE_CACHE_DIR"] = str(Path(tmp) / "cache")  # convert afresh
        folder = Path(args.save_model or Path(tmp) / "opus-mt-fr-en-random")
        t0 = time.perf_counter()
        path = build_marian(
            folder, vocab_size=SPM_VOCAB, target_lang="en", num_beams=args.beams, **OPUS_MT_FR_EN
        )
        built = time.perf_counter() - t0
        tokenizer = MarianTokenizer.from_pretrained(str(path))
        model = MarianMTModel.from_pretrained(str(path)).eval()
        options = DecodeOptions(
            num_beams=args.beams,
            max_length_a=0.0,
            max_length_b=args.tokens + 1,  # the cap counts the end of sentence
            device="cpu",
            threads=intra,
            workers=workers,
            engine="auto",
        )
        t0 = time.perf_counter()
        engine: Any = build_engines(
            ["en"], models={"en": str(path)}, options=options, progress=False
        )["en"]
        loaded = time.perf_counter() - t0

        def ours(texts: list[str], cons: list[list[Any]] | None) -> int:
            before = engine.tokens_out  # the pieces CTranslate2 returned, not re-tokenized text
            engine.translate(texts, cons)
            return int(engine.tokens_out - before)

        runs: dict[str, list[float]] = {"baseline": [], "engine": [], "glossary": []}
        made: dict[str, int] = {}
        systems = {
            "baseline": lambda: baseline(model, tokenizer, plain, args.beams, args.tokens),
            "engine": lambda: ours(plain, None),
            "glossary": lambda: ours(termed, constraints),
        }
        for fn in systems.values():  # warm-up, excluded
            fn()
        for _ in range(args.repeats):
            for name, fn in systems.items():
                t0 = time.perf_counter()
                made[name] = fn()
                runs[name].append(time.perf_counter() - t0)
        outs = engine.translate(termed, constraints)
        required = found = 0
        for text, out, cons in zip(termed, outs, constraints, strict=True):
            results = glossary.verify(out, cons, glossary.match(text), "en")
            required += len(results)
            found += sum(r.satisfied for r in results)
        methods = [m for t in engine.translate_detailed(termed, constraints) for m in t.methods]
    med = {k: statistics.median(v) for k, v in runs.items()}
    tps = {k: made[k] / med[k] for k in med}
    report = {
        "model": "random MarianMT, opus-mt-fr-en shapes (d512, 6+6 layers, 8 heads, FFN 2048, "
        "vocab 59514)",
        "engine": engine.provenance()["engine"],
        "compute_type": getattr(engine, "compute_type", None),
        "sentences": len(plain),
        "glossary_sentences": len(termed),
        "tokens": made["baseline"],
        "engine_tokens": made["engine"],
        "glossary_tokens": made["glossary"],
        "beam": args.beams,
        "threads": args.threads,
        "plan": f"{getattr(engine, 'workers', 1)}x{intra or 1}",
        "repeats": args.repeats,
        "seconds": {k: [round(x, 3) for x in v] for k, v in runs.items()},
        "baseline_tokens_per_s": round(tps["baseline"], 1),
        "engine_tokens_per_s": round(tps["engine"], 1),
        "glossary_tokens_per_s": round(tps["glossary"], 1),
        "ratio": round(tps["engine"] / tps["baseline"], 2),
        "glossary_ratio": round(tps["glossary"] / tps["baseline"], 2),
        "terms_required": required,
        "terms_found": found,
        "methods": {m: methods.count(m) for m in sorted({str(m) for m in methods})},
        "build_s": round(built, 1),
        "load_s": round(loaded, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "torch": torch.__version__,
        "cpu": platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
    }
    if not args.json:
        for key in ("baseline", "engine", "glossary"):
            print(f"{key:9} {tps[key]:8.1f} tokens/s  (median of {runs[key]})")
    print(json.dumps(report, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
