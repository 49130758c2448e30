"""CTranslate2 backend (``--engine ct2``): the MarianMT engine on a converted int8/float model.

It is :class:`~translate.engine.marian.MarianEngine` with another decoder: the same tokenizer,
sorting, parts for long sources, per-sentence caps and provenance shape, but every beam search runs
in CTranslate2 (about 5x transformers float32 on CPU at int8). Segments with terms go through
:mod:`translate.engine.ct2_terms` (check, then repair; exact constrained decoding as the fallback).

Batching. CTranslate2 takes one length limit per call, while each sentence has its own cap
(``max_length_a * source_tokens + max_length_b``). Sentences are grouped by a coarse class of
their cap (:data:`CAP_CLASSES`), decoded to the longest cap of the group, and any sentence whose
output reaches its own, shorter cap is decoded again alone with exactly that cap. A sentence's output is thus a
function of the sentence alone: batched output equals one-by-one output (tested). Batches are
submitted asynchronously so that ``inter_threads`` workers decode them in parallel.

Threads. ``--threads N`` is CTranslate2's ``intra_threads`` (threads of one decoder) and
``--workers M`` its ``inter_threads`` (decoders that run batches in parallel); see
:func:`thread_plan` for the defaults: on a small, shared CPU, parallel one-thread workers degrade
far more gracefully than one multi-threaded decoder (evals/README.md).
"""

from __future__ import annotations

import bisect
import contextlib
import ctypes
import gc
import json
import math
import os
import time
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from translate.engine.base import DecodeOptions
from translate.engine.ct2_convert import convert, quantization_for, resolve_compute_type
from translate.engine.hub import ResolvedModel
from translate.engine.marian import MarianEngine, load_tokenizer
from translate.errors import EngineError
from translate.units import TermConstraint

#: Decoding limits (tokens, end of sentence excluded) that sentences are grouped under.
CAP_CLASSES = (16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512)
MAX_WORKERS = 4


@dataclass(frozen=True)
class Hypothesis:
    """One decoded target: its pieces (no end token), normalised score and source attention."""

    tokens: tuple[str, ...]
    score: float
    attention: tuple[tuple[float, ...], ...] = ()


def thread_budget() -> int:
    """CPU threads this process may use: ``$OMP_NUM_THREADS`` when set (``translate run`` sets
    it from the cores not already busy), else the usable cores; at most :data:`MAX_WORKERS`."""
    env = os.environ.get("OMP_NUM_THREADS", "")
    if env.isdigit() and int(env) > 0:
        return min(int(env), MAX_WORKERS)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(cores or 1, MAX_WORKERS))


def thread_plan(threads: int | None, workers: int | None = None) -> tuple[int, int]:
    """``(inter_threads, intra_threads)`` for ``--workers`` and ``--threads``.

    ``--threads N`` is CTranslate2's ``intra_threads`` (threads of one decoder) and ``--workers
    M`` its ``inter_threads`` (decoders running batches in parallel). Given ``--threads`` alone,
    one decoder uses N threads; given neither, :func:`thread_budget` one-thread workers, which
    degrade far more gracefully under load than one multi-threaded decoder (evals/README.md).
    """
    if threads and not workers:
        return 1, int(threads)
    return max(1, int(workers or thread_budget())), max(1, int(threads or 1))


def return_freed_memory() -> None:
    """Collect garbage and hand freed heap pages back to the system (glibc's ``malloc_trim``;
    elsewhere nothing more): a freed model otherwise stays in the process's resident memory."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def resolve_ct2_device(device: str) -> str:
    """``auto`` → ``cuda`` when CTranslate2 sees a GPU, else ``cpu``."""
    import ctranslate2

    gpus = ctranslate2.get_cuda_device_count()
    if device == "auto":
        return "cuda" if gpus else "cpu"
    if device.startswith("cuda") and not gpus:
        raise EngineError("--device cuda: CTranslate2 sees no CUDA GPU; use --device cpu.")
    if device != "cpu" and not device.startswith("cuda"):
        raise EngineError(f"unknown device {device!r}; use auto, cpu or cuda.")
    return device


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


class Ct2Engine(MarianEngine):
    """One MarianMT model run by CTranslate2 (the Engine protocol); build it with :meth:`load`."""

    def __init__(
        self,
        translator: Any,
        tokenizer: Any,
        resolved: ResolvedModel,
        options: DecodeOptions,
        device: str,
        compute_type: str,
        converted: Path,
    ) -> None:
        self.translator = translator
        self.model: Any = None  # the transformers model, loaded only during the exact fallback
        self.tokenizer = tokenizer
        self.resolved = resolved
        self.spec = resolved.spec
        self.options = options
        self.device = device
        self.compute_type = compute_type
        self.converted = converted
        self.source_lang = self.spec.source_lang
        self.target_lang = self.spec.target_lang
        config = _read_json(resolved.path / "config.json")
        gen = _read_json(resolved.path / "generation_config.json")
        self.num_beams = int(
            options.num_beams or gen.get("num_beams") or config.get("num_beams") or 1
        )
        self.max_positions = int(config.get("max_position_embeddings") or 512)
        self.eos_id = int(tokenizer.eos_token_id)
        self.pad_id = int(tokenizer.pad_token_id)
        self.dtype = compute_type
        self.workers = int(getattr(translator, "num_translators", 1) or 1)
        self.segments_translated = 0
        self.tokens_out = 0  # target pieces of the returned outputs (benchmarks count them)

    @classmethod
    def from_resolved(cls, resolved: ResolvedModel, options: DecodeOptions) -> Ct2Engine:
        """Convert (once, cached) and load ``resolved`` for CTranslate2.

        Raises:
            EngineError: CTranslate2 cannot convert or load the model, or the device is unusable.
        """
        import ctranslate2

        device = resolve_ct2_device(options.device)
        compute = resolve_compute_type(options.compute_type, device)
        folder = convert(resolved, quantization_for(compute))
        tokenizer = load_tokenizer(str(resolved.path), name=resolved.spec.model)
        inter, intra = thread_plan(options.threads, options.workers)
        try:
            translator = ctranslate2.Translator(
                str(folder),
                device=device.split(":")[0],
                device_index=int(device.partition(":")[2] or 0),
                compute_type=compute,
                inter_threads=inter,
                intra_threads=intra,
            )
        except (RuntimeError, ValueError) as err:
            raise EngineError(
                f"CTranslate2 cannot load {resolved.spec.model} as {compute} on {device} "
                f"({str(err).strip().splitlines()[0] if str(err).strip() else err}); try "
                "--compute-type auto or --engine hf."
            ) from None
        return cls(translator, tokenizer, resolved, options, device, compute, folder)

    # -- decoding -------------------------------------------------------------------------------

    def batches(self, lengths: Sequence[int], indices: Sequence[int]) -> list[list[int]]:
        """All ``indices`` in one group, longest first: :meth:`decode` does the real batching."""
        order = sorted(indices, key=lambda i: (-lengths[i], i))
        return [order] if order else []

    def source_tokens(self, texts: Sequence[str]) -> list[list[str]]:
        """The pieces CTranslate2 reads for ``texts`` (prefix token and ``</s>`` included)."""
        return [list(self.tokenizer.convert_ids_to_tokens(ids)) for ids in self._encode(texts)]

    def text(self, tokens: Sequence[str]) -> str:
        """Decoded text of target pieces, exactly as the transformers path decodes its ids."""
        ids = self.tokenizer.convert_tokens_to_ids(list(tokens))
        return str(self.tokenizer.decode(ids, skip_special_tokens=True))

    def _generate(self, ids: Sequence[Sequence[int]], caps: Sequence[int]) -> list[str]:
        sources = [list(self.tokenizer.convert_ids_to_tokens(list(x))) for x in ids]
        hyps = self.decode(sources, [c - 1 for c in caps])
        self.tokens_out += sum(len(h[0].tokens) for h in hyps)
        return [self.text(h[0].tokens) for h in hyps]

    def decode(
        self,
        sources: Sequence[Sequence[str]],
        limits: Sequence[int],
        prefixes: Sequence[Sequence[str]] | None = None,
        *,
        hypotheses: int = 1,
        attention: bool = False,
        beam: int | None = None,
    ) -> list[list[Hypothesis]]:
        """Beam search each source (continuing its prefix) to at most ``limits[i]`` pieces, with
        ``beam`` beams (None: the engine's ``num_beams``).

        Rows share a call by cap class; a row that reaches its own limit is decoded again with
        exactly that limit, so each row's result does not depend on the others.
        """
        beam = beam or self.num_beams
        n = len(sources)
        out: list[list[Hypothesis]] = [[] for _ in range(n)]
        limits = [max(1, int(x)) for x in limits]
        groups: dict[int, list[int]] = {}
        for i in range(n):
            k = bisect.bisect_left(CAP_CLASSES, limits[i])
            groups.setdefault(CAP_CLASSES[k] if k < len(CAP_CLASSES) else limits[i], []).append(i)
        # a class is decoded to its longest row's limit, not the class bound: rows that share
        # one limit (a fixed cap) then need no second decode (classes are disjoint ranges, so
        # the keys stay distinct)
        groups = {max(limits[i] for i in rows): rows for rows in groups.values()}
        exact: dict[int, list[int]] = {}
        self._run(groups, sources, prefixes, hypotheses, attention, beam, out)
        for limit, rows in groups.items():
            for i in rows:
                if limit > limits[i] and len(out[i][0].tokens) >= limits[i]:
                    exact.setdefault(limits[i], []).append(i)
        if exact:
            self._run(exact, sources, prefixes, hypotheses, attention, beam, out)
        return out

    def _run(
        self,
        groups: Mapping[int, Sequence[int]],
        sources: Sequence[Sequence[str]],
        prefixes: Sequence[Sequence[str]] | None,
        hypotheses: int,
        attention: bool,
        beam: int,
        out: list[list[Hypothesis]],
    ) -> None:
        """Submit every group's batches at once (workers run them in parallel), then collect."""
        budget = max(1, self.options.batch_tokens)
        self._loaded()
        pending = []
        for limit, rows in groups.items():
            rows = sorted(rows, key=lambda i: (-len(sources[i]), i))
            width = max(len(sources[i]) for i in rows)
            count = max(math.ceil(len(rows) * width / budget), min(self.workers, len(rows) // 8))
            size = math.ceil(len(rows) / max(1, count))
            for start in range(0, len(rows), size):
                batch = rows[start : start + size]
                futures = self.translator.translate_batch(
                    [list(sources[i]) for i in batch],
                    target_prefix=None if prefixes is None else [list(prefixes[i]) for i in batch],
                    asynchronous=True,
                    beam_size=beam,
                    num_hypotheses=max(1, min(hypotheses, beam)),
                    max_decoding_length=limit,
                    max_input_length=0,
                    return_scores=True,
                    return_attention=attention,
                )
                pending.append((batch, futures))
        for batch, futures in pending:
            for i, future in zip(batch, futures, strict=True):
                r = future.result()
                atts = r.attention if attention else [()] * len(r.hypotheses)
                out[i] = [
                    Hypothesis(tuple(h), float(s), tuple(tuple(row) for row in a))
                    for h, s, a in zip(r.hypotheses, r.scores, atts, strict=True)
                ]

    def score(
        self, sources: Sequence[Sequence[str]], targets: Sequence[Sequence[str]]
    ) -> list[float]:
        """Length-normalised log-probability of each target (end token included)."""
        if not sources:
            return []
        self._loaded()
        results = self.translator.score_batch(
            [list(s) for s in sources], [list(t) for t in targets], max_input_length=0
        )
        return [sum(r.log_probs) / max(1, len(r.log_probs)) for r in results]

    def release(self) -> None:
        """Free the CTranslate2 model's weights (:class:`~translate.engine.base.Releasable`);
        the translator keeps its settings and loads them again if asked to decode."""
        # A worker counts its batch as active a moment after its result is out, and CTranslate2
        # does not unload a model in use: wait for that (every result here is already collected).
        deadline = time.monotonic() + 5.0
        while self.translator.num_active_batches and time.monotonic() < deadline:
            time.sleep(0.001)
        if self.translator.model_is_loaded:
            self.translator.unload_model()
            return_freed_memory()

    def _loaded(self) -> None:
        if not self.translator.model_is_loaded:
            self.translator.load_model()

    def _constrained_methods(
        self,
        texts: Sequence[str],
        constraints: Sequence[Sequence[TermConstraint]],
        caps: Sequence[int],
    ) -> list[tuple[str, list[str]]]:
        from translate.engine.ct2_terms import guarantee

        return guarantee(self, texts, constraints, caps)

    def fallback(
        self,
        texts: Sequence[str],
        constraints: Sequence[Sequence[TermConstraint]],
        caps: Sequence[int],
    ) -> list[str]:
        """The exact constrained decoder on the transformers model (int8 dynamic quantization
        when the compute type is an int8 one, on CPU), loaded for the segments that need it and
        freed after: repair meets most terms, so the model is rarely needed, and kept it would
        hold a second copy of the weights for the rest of the run."""
        self.model = self._load_torch_model()
        try:
            return self._constrained(texts, constraints, caps)
        finally:
            self.model = None
            return_freed_memory()

    def _load_torch_model(self) -> Any:
        import torch

        from translate.engine.marian import load_model

        model = load_model(self.resolved)
        if self.device.startswith("cuda"):
            if "float16" in self.compute_type:
                model.half()
            return model.to(self.device)  # type: ignore[arg-type]
        if self.compute_type.startswith("int8"):
            with warnings.catch_warnings():  # deprecated in favour of torchao, not installed
                warnings.simplefilter("ignore")
                quantize = torch.ao.quantization.quantize_dynamic
                # in place: no float32 copy of the layers beside their int8 ones
                model = quantize(model, {torch.nn.Linear}, dtype=torch.qint8, inplace=True)
        return model

    def provenance(self) -> Mapping[str, Any]:
        """As :meth:`MarianEngine.provenance`, with the backend and its compute type."""
        prov = dict(super().provenance())
        legs = [dict(leg) for leg in prov["legs"]]
        for leg in legs:
            leg["backend"] = "ct2"
            leg["decode"] = {**leg["decode"], "compute_type": self.compute_type}
        return {"engine": "ct2", "legs": legs}
