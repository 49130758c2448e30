"""Agreement of the CTranslate2 path with the transformers path, on a model trained here.

Random weights write noise, where near-ties make any two backends disagree; so a tiny Marian is
trained for 1,200 steps (under three minutes on one thread) to copy chunks of 2 to 8 words of
the bundled articles' sentences. It then writes real words (chrF about 65 against its input).
Its ``<pad>`` embedding, which starts the decoder, is held at zero as in the Helsinki-NLP models:
CTranslate2's converter assumes it. 60 chunks of held-out sentences are translated by ``--engine
hf`` (float32) and by ``--engine ct2`` in float32 and int8. Reported: the share of segments
where ct2 float32 equals hf float32 exactly, and chrF of ct2 int8 (and float32) against hf
float32.

Usage: ``python evals/ct2_agreement.py [--steps 1200] [--beams 4] [--json]``. Figures:
``evals/README.md`` ("Speed").
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=1200)
    parser.add_argument("--beams", type=int, default=4)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    warnings.filterwarnings("ignore")
    import sacrebleu
    import torch
    from test_constrained import french_sentences
    from tinymodels import build_marian, copy_chunks, train_copy
    from transformers import MarianMTModel

    from translate.engine.base import DecodeOptions
    from translate.engine.chain import build_engines

    torch.set_num_threads(1)
    sentences = french_sentences(400)
    train = copy_chunks(sentences[::2], seed=1)
    held = copy_chunks(sentences[1::2], seed=2)[:60]
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["TRANSLATE_CACHE_DIR"] = str(Path(tmp) / "cache")
        t0 = time.perf_counter()
        path = build_marian(Path(tmp) / "copy", d_model=64, ffn=256, layers=2, heads=4, seed=3)
        train_copy(path, train, steps=args.steps)
        trained = time.perf_counter() - t0
        config = json.loads((path / "config.json").read_text(encoding="utf-8"))
        vocab = config["vocab_size"]
        params = sum(p.numel() for p in MarianMTModel.from_pretrained(str(path)).parameters())
        outs = {}
        for name, engine, compute in [
            ("hf", "hf", "auto"),
            ("ct2_float32", "ct2", "float32"),
            ("ct2_int8", "ct2", "int8"),
        ]:
            options = DecodeOptions(
                num_beams=args.beams, device="cpu", engine=engine, compute_type=compute, threads=1
            )
            eng = build_engines(["en"], models={"en": str(path)}, options=options)["en"]
            outs[name] = eng.translate(held)
    ref = outs["hf"]
    same = sum(a == b for a, b in zip(outs["ct2_float32"], ref, strict=True))
    report = {
        "segments": len(held),
        "train_steps": args.steps,
        "train_chunks": len(train),
        "model": f"MarianMT d_model 64, 2+2 layers, 4 heads, FFN 256, vocab {vocab}, "
        f"{params:,} parameters",
        "train_s": round(trained, 1),
        "beam": args.beams,
        "ct2_float32_equal_hf_float32": round(same / len(held), 4),
        "chrf_ct2_int8_vs_hf_float32": round(
            sacrebleu.corpus_chrf(outs["ct2_int8"], [ref]).score, 2
        ),
        "chrf_ct2_float32_vs_hf_float32": round(
            sacrebleu.corpus_chrf(outs["ct2_float32"], [ref]).score, 2
        ),
        "chrf_hf_vs_source": round(sacrebleu.corpus_chrf(ref, [held]).score, 2),
    }
    if not args.json:
        for a, b in list(zip(held, ref, strict=True))[:3]:
            print(f"{a}\n  -> {b}")
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
