"""Batch throughput: a shell loop of ``translate run FILE`` against one ``translate run DIR``,
and ``--jobs 1`` against ``--jobs 2``.

Twenty documents are made from the bundled French articles (cycled), each sentence marked with
its copy's number so that no document's sentences are in the translation cache of another; each
run gets a fresh, empty cache folder. They are translated into two languages (``--to en,de``)
with a random-weight Marian model built on the fly (``--size tiny``: the test suite's 32-wide
model; ``--size opus``: opus-mt-fr-en's dimensions, see ``bench_engine.py``), under an output cap
(``--cap``). Every command is a fresh ``python -m translate`` process,
timed from start to exit, so the loop pays the imports and the model loads once per document,
the batch once. Modes are interleaved and repeated; medians are reported.

Usage: ``python evals/bench_batch.py [--size tiny|opus] [--repeats 3] [--modes loop,jobs1,jobs2]``;
prints one JSON object (per mode: seconds of each repeat, the median, documents/s).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

ARTICLES = sorted((REPO / "articles" / "fr").glob("*.txt"))
MODES = {
    "loop": [],  # one `translate run FILE` per document
    "jobs1": ["--jobs", "1"],  # one batch, models loaded once, in the one process
    "jobs2": ["--jobs", "2"],  # one batch, two worker processes
    "jobs1-threads1": ["--jobs", "1", "--threads", "1"],
    "jobs1-threads2": ["--jobs", "1", "--threads", "2"],
}


def make_documents(folder: Path, count: int) -> list[Path]:
    """``count`` documents cycling through the articles, every sentence marked with its copy."""
    from translate.segment import segment

    paths = []
    for k in range(count):
        text = ARTICLES[k % len(ARTICLES)].read_text(encoding="utf-8")
        parts, last = [], 0
        for seg in segment(text).segments:  # " (k)" after each sentence: no cache hits across
            parts += [text[last : seg.end], f" ({k})"]
            last = seg.end
        path = folder / f"sub{k % 2}" / f"doc{k:02d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(parts) + text[last:], encoding="utf-8")
        paths.append(path)
    return paths


def command(
    model: Path, langs: str, cap: list[str], out: Path, *paths: Path, extra: list[str]
) -> list[str]:
    models = [arg for lang in langs.split(",") for arg in ("--model", f"{lang}={model}")]
    return [
        sys.executable, "-m", "translate", "run", *map(str, paths), "--to", langs, "--out",
        str(out), *models, "--max-length-a", cap[0], "--max-length-b", cap[1], "--no-gate",
        "--no-memory", "--formats", "json,txt", "-q", *extra,
    ]  # fmt: skip


def timed(cmds: list[list[str]], cache: Path) -> float:
    env = {**os.environ, "TRANSLATE_CACHE_DIR": str(cache), "HF_HUB_OFFLINE": "1"}
    env.pop("OMP_NUM_THREADS", None)  # the defaults are what is measured
    started = time.perf_counter()
    for cmd in cmds:
        subprocess.run(cmd, check=True, cwd=REPO, env=env, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=("tiny", "opus"), default="tiny")
    parser.add_argument("--docs", type=int, default=20)
    parser.add_argument("--langs", default="en,de")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--modes", default="loop,jobs1,jobs2")
    parser.add_argument(
        "--cap",
        default="0,3",
        help="output cap A,B (A x source tokens + B): 0,3 makes decoding cheap, as with a fast "
        "engine, so that what a batch saves shows; 0.5,4 makes the decoder work",
    )
    args = parser.parse_args()
    from tinymodels import OPUS_MT_FR_EN, build_marian

    modes = args.modes.split(",")
    cap = args.cap.split(",")
    times: dict[str, list[float]] = {m: [] for m in modes}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        dims = OPUS_MT_FR_EN if args.size == "opus" else {}
        model = build_marian(root / "model", vocab_size=8000 if dims else 600, seed=3, **dims)
        docs = make_documents(root / "docs", args.docs)
        loads = [os.getloadavg()[0]]
        for r in range(args.repeats):
            for mode in modes:
                out, cache = root / f"out-{mode}-{r}", root / f"cache-{mode}-{r}"
                if mode == "loop":
                    cmds = [command(model, args.langs, cap, out, d, extra=[]) for d in docs]
                else:
                    cmds = [command(model, args.langs, cap, out, root / "docs", extra=MODES[mode])]
                times[mode].append(round(timed(cmds, cache), 2))
                loads.append(os.getloadavg()[0])
                print(f"{mode} #{r}: {times[mode][-1]} s", file=sys.stderr)
    medians = {m: statistics.median(t) for m, t in times.items()}
    report = {
        "size": args.size,
        "documents": args.docs,
        "languages": args.langs,
        "cap": args.cap,
        "cpus": os.cpu_count(),
        "load_average_during": [round(min(loads), 2), round(max(loads), 2)],
        "python": platform.python_version(),
        "modes": {
            m: {
                "seconds": times[m],
                "median_s": medians[m],
                "documents_per_s": round(args.docs / medians[m], 3),
            }
            for m in modes
        },
    }
    if "loop" in medians and "jobs1" in medians:
        report["batch_vs_loop"] = round(medians["loop"] / medians["jobs1"], 2)
    if "jobs1" in medians and "jobs2" in medians:
        report["jobs2_vs_jobs1"] = round(medians["jobs1"] / medians["jobs2"], 2)
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
