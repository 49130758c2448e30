"""Engine throughput benchmark: a random-weight model the size of opus-mt-fr-en, three languages.

The hub is not reachable here, so the model is built on the fly in a temporary directory with the
exact opus-mt-fr-en dimensions (d_model 512, 6+6 layers, 8 heads, FFN 2048, 59 514-entry
vocabulary; the SentencePiece model is trained on repository text with a smaller vocabulary and
the embedding table is padded to full size). The bundled article is translated into three target
languages, each with its own copy of the model (as ``translate run --to en,de,es`` loads three
models), without the translation cache.

A random model never emits end-of-sentence, so every output runs to its cap: the cap is set to
``1.0 x source tokens + 2`` (``--max-length-a 1 --max-length-b 2``), about the length of a real
translation, which makes the decoder work comparable to a trained model's.

Usage: ``python evals/bench_engine.py [--threads 1] [--beams 4]``; prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

ARTICLE = REPO / "articles" / "fr" / "grandes-entreprises-exchanges-crypto.txt"
SPM_VOCAB = 8000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--beams", type=int, default=4, help="opus-mt-fr-en's generation default")
    parser.add_argument("--langs", default="en,de,es")
    args = parser.parse_args()

    import torch
    from tinymodels import OPUS_MT_FR_EN, build_marian

    from translate.engine.base import DecodeOptions
    from translate.engine.chain import build_engines
    from translate.pipeline import Pipeline
    from translate.segment import segment

    torch.set_num_threads(args.threads)
    langs = args.langs.split(",")
    document = segment(ARTICLE.read_text(encoding="utf-8"))
    options = DecodeOptions(max_length_a=1.0, max_length_b=2, device="cpu", threads=args.threads)
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        path = build_marian(
            Path(tmp) / "opus-mt-fr-en-random",
            vocab_size=SPM_VOCAB,
            target_lang="en",
            num_beams=args.beams,
            max_length=512,
            **OPUS_MT_FR_EN,
        )
        built = time.perf_counter() - t0
        t0 = time.perf_counter()
        engines = build_engines(
            langs, models={lang: str(path) for lang in langs}, options=options, progress=False
        )
        loaded = time.perf_counter() - t0
        pipeline = Pipeline(engines, options=options)
        per_lang = {}
        total_sentences = 0
        total_tokens = 0
        t_all = time.perf_counter()
        for lang in langs:
            t0 = time.perf_counter()
            result = pipeline.translate_into(document, lang)
            seconds = time.perf_counter() - t0
            n = result.summary["origins"]["mt"]
            total_sentences += n
            # Decoder steps: each sentence's output cap, which a random model always reaches
            # (re-tokenizing random output would not count them).
            engine = engines[lang]
            out_tokens = sum(
                engine.max_new_tokens(len(ids))  # type: ignore[attr-defined]
                for ids in engine._encode([s.source for s in result.segments])  # type: ignore[attr-defined]
            )
            total_tokens += out_tokens
            per_lang[lang] = {
                "sentences": n,
                "decoder_steps": out_tokens,
                "seconds": round(seconds, 2),
                "sentences_per_s": round(n / seconds, 2),
                "steps_per_s": round(out_tokens / seconds, 1),
            }
        translate_s = time.perf_counter() - t_all
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    report = {
        "model": "random MarianMT, opus-mt-fr-en shapes (d512, 6+6 layers, 8 heads, FFN 2048, vocab 59514)",
        "params_millions": round(
            sum(p.numel() for p in next(iter(engines.values())).model.parameters()) / 1e6, 1
        ),  # type: ignore[attr-defined]
        "article_segments": len(document.segments),
        "languages": per_lang,
        "beams": args.beams,
        "output_cap": "1.0 x source tokens + 2",
        "threads": args.threads,
        "build_s": round(built, 1),
        "load_s": round(loaded, 1),
        "translate_s": round(translate_s, 1),
        "sentences_per_s": round(total_sentences / translate_s, 2),
        "steps_per_s": round(total_tokens / translate_s, 1),
        "peak_rss_mib": round(peak_kib / 1024),
        "torch": torch.__version__,
        "cpu": platform.processor() or platform.machine(),
    }
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
