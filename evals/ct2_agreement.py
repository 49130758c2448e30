"""Agreement of the CTranslate2 path with the transformers path, on a model trained here.

Random weights write noise, where near-ties make any two backends disagree; so a tiny Marian is
trained for a few hundred steps to copy French sentences of the bundled articles (it then writes
real words), and the held-out sentences are translated by ``--engine hf`` (float32) and by
``--engine ct2`` in float32 and int8. Reported: the share of segments where ct2 float32 equals
hf float32 exactly, and chrF of ct2 int8 (and float32) against hf float32.

Usage: ``python evals/ct2_agreement.py [--steps 400] [--beams 4] [--json]``. Figures:
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
    parser.add_argument("--steps", type=int, default=400)
    parser.add_argument("--beams", type=int, default=4)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    warnings.filterwarnings("ignore")
    import sacrebleu
    from test_constrained import french_sentences
    from tinymodels import build_marian, train_copy

    from translate.engine.base import DecodeOptions
    from translate.engine.chain import build_engines

    sentences = french_sentences(400)
    train, held = sentences[::2], sentences[1::2][:60]
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["TRANSLATE_CACHE_DIR"] = str(Path(tmp) / "cache")
        t0 = time.perf_counter()
        path = build_marian(Path(tmp) / "copy", d_model=64, ffn=128, layers=2, heads=4, seed=3)
        train_copy(path, train, steps=args.steps)
        trained = time.perf_counter() - t0
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
