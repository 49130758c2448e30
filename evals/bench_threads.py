"""Thread plans of the CTranslate2 engine, with and without a competing CPU load.

Times the engine's plain path (``evals/bench_speed.py``'s random model of opus-mt-fr-en's
dimensions, int8, beam 4, its 40 sentences of exactly ``--tokens`` pieces) under each plan
``WORKERSxTHREADS`` (``--workers`` = CTranslate2 ``inter_threads``, ``--threads`` =
``intra_threads``), plans interleaved, ``--repeats`` times each after a warm-up, median
reported. ``--load N`` runs N busy-looping processes (``while 1: pass``) for the whole timing,
as other programs on a shared machine would.

Usage: ``python evals/bench_threads.py [--plans 1x1,2x1,1x2] [--load 1] [--json]``. Figures:
``evals/README.md`` ("Speed: CTranslate2 engine").
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests"), str(REPO / "evals")]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", default="1x1,2x1,1x2", help="WORKERSxTHREADS, comma-separated")
    parser.add_argument("--load", type=int, default=0, help="busy-looping processes meanwhile")
    parser.add_argument("--beams", type=int, default=4)
    parser.add_argument("--tokens", type=int, default=40, help="output pieces per sentence")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="last stdout line: one JSON object")
    args = parser.parse_args()
    plans = [tuple(int(x) for x in p.split("x")) for p in args.plans.split(",")]

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    warnings.filterwarnings("ignore")
    from bench_speed import SPM_VOCAB, sentences
    from tinymodels import OPUS_MT_FR_EN, build_marian

    from translate.engine.base import DecodeOptions
    from translate.engine.chain import build_engines

    texts, _ = sentences(40, with_terms=False)
    runs: dict[str, list[float]] = {f"{w}x{t}": [] for w, t in plans}
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["TRANSLATE_CACHE_DIR"] = str(Path(tmp) / "cache")
        path = build_marian(
            Path(tmp) / "m", vocab_size=SPM_VOCAB, target_lang="en", **OPUS_MT_FR_EN
        )
        engines: dict[str, Any] = {}
        for (w, t), name in zip(plans, runs, strict=True):
            options = DecodeOptions(
                num_beams=args.beams,
                max_length_a=0.0,
                max_length_b=args.tokens + 1,
                device="cpu",
                engine="ct2",
                threads=t,
                workers=w,
            )
            engines[name] = build_engines(
                ["en"], models={"en": str(path)}, options=options, progress=False
            )["en"]
            engines[name].translate(texts)  # warm-up, excluded
        busy = [subprocess.Popen([sys.executable, "-c", "while 1: pass"]) for _ in range(args.load)]
        try:
            for _ in range(args.repeats):
                for name, engine in engines.items():
                    t0 = time.perf_counter()
                    engine.translate(texts)
                    runs[name].append(time.perf_counter() - t0)
        finally:
            for proc in busy:
                proc.kill()
                proc.wait()
    tokens = len(texts) * args.tokens
    report = {
        "load": args.load,
        "beam": args.beams,
        "tokens": tokens,
        "seconds": {k: [round(x, 2) for x in v] for k, v in runs.items()},
        "tokens_per_s": {k: round(tokens / statistics.median(v), 1) for k, v in runs.items()},
        "loadavg_1min": round(os.getloadavg()[0], 2),
        "cores": os.cpu_count(),
    }
    if not args.json:
        for name, tps in report["tokens_per_s"].items():
            print(f"{name:5} {tps:8.1f} tokens/s  {report['seconds'][name]}")
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
