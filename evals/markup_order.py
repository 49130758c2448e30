"""Placeholder order under real decoding: how often inline markup needed restore's fallback.

Markdown and HTML sentences with nested and sibling inline tags (``tests/markupcases.py``
builds them from the bundled articles) go through tiny Marian models, on the transformers path
(``hf``), the CTranslate2 path (``ct2``) and a pivot through English on each, with beams 1 to 4.
Three fr-en models: random weights (``random``), larger random weights with an end-of-sentence
bias (``varied``, outputs of varied length) and a model trained to copy French with
placeholders (``trained``, on other sentences: it writes brackets of its own); the pivot's second
leg is a ``varied`` model. Reported per combination: segments,
and how many translations needed :func:`translate.markup.placeholders.restore`'s fallback (a
placeholder lost, duplicated, reordered or crossing another, or a pair written empty), and of
those how many were not once each and well nested (the rest are empty pairs).

Usage: ``python evals/markup_order.py [--sentences 24] [--json] [--show]``; ``--speed`` times
the exact decoder with and without the order rules instead. Figures: ``evals/README.md``
("Markup placeholders").
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import warnings
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=24)
    parser.add_argument(
        "--steps", type=int, default=400, help="training steps of the trained model"
    )
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--show", action="store_true", help="print each fallback")
    parser.add_argument(
        "--speed", action="store_true", help="time the exact decoder with and without the rules"
    )
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    warnings.filterwarnings("ignore")
    from markupcases import copy_lines, engine, fallbacks, marked_sentences
    from tinymodels import build_marian, train_copy

    marks = marked_sentences(args.sentences)
    if args.speed:
        return _speed(marks)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["TRANSLATE_CACHE_DIR"] = str(Path(tmp) / "cache")
        root = Path(tmp)
        varied = {"init_std": 0.5, "eos_bias": 3.0}
        models = {
            "random": build_marian(root / "random", seed=1),
            "varied": build_marian(root / "varied", seed=11, **varied),
            "trained": build_marian(
                root / "trained", d_model=64, ffn=128, layers=2, heads=4, seed=3
            ),
        }
        train_copy(models["trained"], copy_lines(), steps=args.steps)
        second = build_marian(root / "en-zh", seed=12, **varied)
        for name, path in models.items():
            for backend in ("hf", "ct2"):
                for pivot in (False, True):
                    paths = {"fr-en": str(path)} | ({"en-zh": str(second)} if pivot else {})
                    for beams in (1, 2, 3, 4):
                        bad = fallbacks(engine(paths, beams, backend), marks)
                        route = f"{backend}{'-pivot' if pivot else ''}"
                        broken = [b for b in bad if any(not _empty(i) for i in b[2])]
                        rows.append(
                            {"model": name, "path": route, "beams": beams,
                             "segments": len(marks), "fallbacks": len(bad),
                             "order_broken": len(broken)}
                        )  # fmt: skip
                        if args.show:
                            for src, out, issues in bad:
                                print(f"{name} {route} b{beams}: {src!r} -> {out!r}: {issues}")
    total = sum(r["segments"] for r in rows)
    failed = sum(r["fallbacks"] for r in rows)
    broken = sum(r["order_broken"] for r in rows)
    if args.json:
        summary = {"segments": total, "fallbacks": failed, "order_broken": broken}
        print(json.dumps({"rows": rows, **summary}, indent=1))
        return 0
    print("fallbacks (order broken) per beam size")
    print(f"{'model':8} {'path':10} " + " ".join(f"{'b' + str(b):>8}" for b in (1, 2, 3, 4)))
    for model in ("random", "varied", "trained"):
        for route in ("hf", "hf-pivot", "ct2", "ct2-pivot"):
            cells = [r for r in rows if r["model"] == model and r["path"] == route]
            print(
                f"{model:8} {route:10} "
                + " ".join(f"{r['fallbacks']:>3} ({r['order_broken']:>2})" for r in cells)
            )
    print(
        f"fallbacks: {failed} of {total} translations ({len(marks)} segments x {len(rows)} runs); "
        f"placeholders not once each and well nested: {broken}"
    )
    return 0


def _speed(marks: list[Any], repeats: int = 3) -> int:
    """Best-of-``repeats`` time of the exact decoder (beam 4, 32 new tokens, one batch) on the
    segments, with the placeholders' order rules and with the same constraints without them,
    interleaved, on a random-weight model of the tests' size."""
    import dataclasses
    import time

    import torch
    from tinymodels import build_marian
    from transformers import MarianMTModel, MarianTokenizer

    from translate.engine.constrained import constrained_generate
    from translate.markup.placeholders import constraints_for

    torch.set_num_threads(1)
    texts = [m.source for m in marks]
    ruled = [constraints_for(m) for m in marks]
    plain = [[dataclasses.replace(c, once=False, closes=None) for c in cs] for cs in ruled]
    times: dict[str, list[float]] = {"plain": [], "ruled": []}
    with tempfile.TemporaryDirectory() as tmp:
        path = build_marian(Path(tmp) / "m", seed=1)
        tok = MarianTokenizer.from_pretrained(str(path))
        model = MarianMTModel.from_pretrained(str(path)).eval()
        for _ in range(repeats):
            for name, cons in (("plain", plain), ("ruled", ruled)):
                start = time.perf_counter()
                constrained_generate(
                    model, tok, texts, cons, target_lang="en", num_beams=4,
                    max_new_tokens=[32] * len(texts), device="cpu",
                )  # fmt: skip
                times[name].append(time.perf_counter() - start)
    ratio = min(times["ruled"]) / min(times["plain"])
    print(json.dumps({**times, "ratio_of_bests": round(ratio, 2)}))
    return 0


def _empty(issue: str) -> bool:
    """An issue of a pair written with nothing inside (the rest break the order rules)."""
    return " empty:" in issue


if __name__ == "__main__":
    sys.exit(main())
