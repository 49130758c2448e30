"""MarianMT (OPUS-MT) backend: batched, deterministic beam search with per-sentence length limits.

Sentences are sorted by length and grouped into batches under a padded-token budget; each sentence
gets its own output cap (``max_length_a * source_tokens + max_length_b``), enforced per row inside
the batch, so a batched translation equals the one-by-one translation. Segments with glossary
constraints go to :func:`translate.engine.constrained.constrained_generate`; the others decode
exactly as without a glossary. A source longer than the model's positions is translated in parts
cut at whitespace rather than truncated (a constrained one too, each term enforced in one part). torch and transformers are imported only when a model is
loaded.
"""

from __future__ import annotations

import contextlib
import math
import warnings
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from translate._io import public_path
from translate.engine.base import DecodeOptions, DetailedEngine, Translation
from translate.engine.hub import ResolvedModel, resolve
from translate.engine.registry import ModelSpec
from translate.errors import EngineError
from translate.units import TermConstraint

# Sources are padded to a multiple of this many tokens, and every generate call runs at least
# MIN_ROWS decoder rows (sentences x beams, topped up with copies), because CPU matrix kernels
# round differently for very small row counts (see MarianEngine.batches).
BUCKET = 8
MIN_ROWS = 8


@contextlib.contextmanager
def _quiet_transformers() -> Iterator[None]:
    """Silence transformers' advisory warnings and progress bars for the duration of a call."""
    from transformers.utils import logging as hf_logging

    verbosity = hf_logging.get_verbosity()
    bars = hf_logging.is_progress_bar_enabled()
    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        hf_logging.set_verbosity(verbosity)
        if bars:
            hf_logging.enable_progress_bar()


#: Files a Marian model folder needs for its tokenizer (Helsinki-NLP layout).
MARIAN_TOKENIZER_FILES = ("source.spm", "target.spm", "vocab.json")

# What transformers raises for a missing, partial or corrupted checkpoint (a missing vocabulary
# file surfaces as a TypeError on a None path, a bad config.json as a ValueError or OSError).
_LOAD_ERRORS = (OSError, ValueError, KeyError, RuntimeError, TypeError, ImportError)


@contextlib.contextmanager
def _loading(name: str, path: str) -> Iterator[None]:
    """Turn whatever loading a broken checkpoint raises into one :class:`EngineError`."""
    from safetensors import SafetensorError  # a truncated or corrupted weights file

    try:
        yield
    except (*_LOAD_ERRORS, SafetensorError) as err:
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise EngineError(
            f"cannot load MarianMT model {name} from {path} ({first}); "
            "check that it is a complete MarianMT checkpoint or fetch it again."
        ) from None


def load_tokenizer(path: str, *, name: str | None = None) -> Any:
    """Load a Marian tokenizer from a model directory or cached hub id.

    Raises:
        EngineError: the files are missing, partial or corrupted.
    """
    from pathlib import Path

    folder = Path(path)
    if folder.is_dir():
        missing = [f for f in MARIAN_TOKENIZER_FILES if not (folder / f).is_file()]
        if missing:
            raise EngineError(
                f"model folder {folder} lacks {', '.join(missing)}; give a complete MarianMT "
                "model folder (as downloaded from the hub) or fetch it again."
            )
    else:
        from huggingface_hub import try_to_load_from_cache

        try:
            cached = try_to_load_from_cache(path, "source.spm")
        except ValueError:  # not even a well-formed model id
            cached = None
        if not isinstance(cached, str):
            raise EngineError(
                f"cannot load the tokenizer of {path!r}: it is neither a model folder nor a model "
                "id in the local cache; give a local model directory or a model id already in the "
                "cache ('translate models pull LANG')."
            )
    with _loading(name or path, path):
        from transformers import MarianTokenizer

        with _quiet_transformers():
            return MarianTokenizer.from_pretrained(path)


def load_model(resolved: ResolvedModel) -> Any:
    """The transformers MarianMTModel of ``resolved``, in eval mode on the CPU.

    Raises:
        EngineError: the checkpoint is missing, partial or corrupted.
    """
    with _loading(resolved.spec.model, str(resolved.path)):
        from transformers import MarianMTModel

        with _quiet_transformers():
            model = MarianMTModel.from_pretrained(str(resolved.path))
    model.eval()
    return model


def resolve_device(device: str) -> str:
    """``auto`` → ``cuda`` when a GPU is usable, else ``cpu``; an unusable choice is an error."""
    import torch

    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise EngineError("--device cuda: no CUDA GPU is available to torch; use --device cpu.")
    if device != "cpu" and not device.startswith("cuda"):
        raise EngineError(f"unknown device {device!r}; use auto, cpu or cuda.")
    return device


def _row_limit_processor(limits: Any, eos_id: int) -> Any:
    """A logits processor that forces EOS when row i reaches its own total length ``limits[i]``.

    It does what ``forced_eos_token_id`` does at the global ``max_length``, but per row, so each
    sentence in a batch stops where it would stop if decoded alone.
    """
    import torch
    from transformers import LogitsProcessor

    class RowLimit(LogitsProcessor):
        def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor) -> Any:
            rows = input_ids.shape[-1] >= limits - 1
            if not bool(rows.any()):
                return scores
            forced = scores.clone()
            forced[rows] = -math.inf
            forced[rows, eos_id] = 0.0
            return forced

    return RowLimit()


def share_constraints(
    parts: Sequence[str], constraints: Sequence[TermConstraint], source_lang: str
) -> list[list[TermConstraint]]:
    """The constraints of a text cut into ``parts``, each given to exactly one part.

    A constraint goes to the first part that spells its source form (its ``source_lang`` form
    or headword, ignoring case) more often than it has already been given constraints with that
    form; one that no part spells (an inflected match, a later pivot leg) goes to the first part.
    Every term is thus enforced once in the joined output, as in the whole text.
    """
    shares: list[list[TermConstraint]] = [[] for _ in parts]
    given: list[dict[str, int]] = [{} for _ in parts]
    folded = [p.casefold() for p in parts]
    for c in constraints:
        spellings = [f.casefold() for f in (*c.targets.get(source_lang, ()), c.headword) if f]
        home = 0
        for k, text in enumerate(folded):
            hit = next((f for f in spellings if text.count(f) > given[k].get(f, 0)), None)
            if hit is not None:
                given[k][hit] = given[k].get(hit, 0) + 1
                home = k
                break
        shares[home].append(c)
    return shares


class MarianEngine(DetailedEngine):
    """One MarianMT model translating ``source_lang`` into ``target_lang`` (the Engine protocol).

    Build it with :meth:`load`. ``segments_translated`` counts the texts sent to the model, which
    lets callers (and tests) see what a cache saved.
    """

    def __init__(
        self,
        model: Any,
        tokenizer: Any,
        resolved: ResolvedModel,
        options: DecodeOptions,
        device: str,
    ) -> None:
        self.model = model
        self.tokenizer = tokenizer
        self.resolved = resolved
        self.spec = resolved.spec
        self.options = options
        self.device = device
        self.source_lang = self.spec.source_lang
        self.target_lang = self.spec.target_lang
        gen = model.generation_config
        self.num_beams = int(options.num_beams or gen.num_beams or 1)
        self.max_positions = int(getattr(model.config, "max_position_embeddings", 512) or 512)
        self.eos_id = int(tokenizer.eos_token_id)
        self.pad_id = int(tokenizer.pad_token_id)
        self.dtype = str(next(model.parameters()).dtype).replace("torch.", "")
        self.segments_translated = 0

    @classmethod
    def load(
        cls,
        spec: ModelSpec,
        options: DecodeOptions | None = None,
        *,
        pull: str | None = None,
        allow_download: bool = True,
        progress: bool = True,
    ) -> MarianEngine:
        """Resolve a leg's files (local dir, HF cache, or download) and load model and tokenizer.

        Raises:
            ModelNotAvailableError: not cached and cannot be fetched.
            EngineError: the files are not a loadable MarianMT model, or the device is unusable.
        """
        options = options or DecodeOptions()
        resolved = resolve(
            spec, pull=pull or spec.target_lang, allow_download=allow_download, progress=progress
        )
        return cls.from_resolved(resolved, options)

    @classmethod
    def from_resolved(cls, resolved: ResolvedModel, options: DecodeOptions) -> MarianEngine:
        import torch

        device = resolve_device(options.device)
        if options.threads:
            torch.set_num_threads(int(options.threads))
        tokenizer = load_tokenizer(str(resolved.path), name=resolved.spec.model)
        model = load_model(resolved)
        if device.startswith("cuda") and options.half:
            model.half()
        model.to(device)  # type: ignore[arg-type]
        return cls(model, tokenizer, resolved, options, device)

    # -- decoding -------------------------------------------------------------------------------

    def _with_prefix(self, text: str) -> str:
        """``text`` as the model reads it: after the target-language token of multi-target models."""
        return f"{self.spec.prefix} {text}" if self.spec.prefix else text

    def _encode(self, texts: Sequence[str]) -> list[list[int]]:
        sources = [self._with_prefix(t) for t in texts]
        with _quiet_transformers():
            enc = self.tokenizer(sources, truncation=True, max_length=self.max_positions)
        return [list(ids) for ids in enc["input_ids"]]

    def _length(self, text: str) -> int:
        """Source tokens of ``text`` (prefix and end-of-sentence included), never truncated."""
        with _quiet_transformers():
            enc = self.tokenizer([self._with_prefix(text)], truncation=False)
        return len(enc["input_ids"][0])

    def pieces(self, text: str) -> list[str]:
        """``text`` cut at whitespace into parts that the model reads whole.

        The tokenizer would truncate a source longer than the model's positions and its end would
        be lost without a word; a run-on segment is instead halved (at the space nearest the
        middle, after ``, ; :`` where one is near) until every part fits. Most texts are one part.
        """
        if self._length(text) <= self.max_positions:
            return [text]
        spaces = [i for i, c in enumerate(text) if c.isspace() and text[:i].strip()]
        middle = len(text) / 2
        after_punct = [i for i in spaces if text[i - 1] in ",;:" and abs(i - middle) <= middle / 2]
        cut = min(after_punct or spaces, key=lambda i: (abs(i - middle), i), default=None)
        head, tail = (text[:cut].rstrip(), text[cut:].lstrip()) if cut else ("", "")
        if not head or not tail:
            return [text]  # one unbreakable run of characters: truncation is all that is left
        return self.pieces(head) + self.pieces(tail)

    def max_new_tokens(self, source_tokens: int) -> int:
        """The output cap for a source of ``source_tokens`` tokens (DecodeOptions a·n + b)."""
        cap = math.ceil(self.options.max_length_a * source_tokens + self.options.max_length_b)
        return max(1, min(cap, self.max_positions - 1))

    def bucket(self, source_tokens: int) -> int:
        """The padded width of a source: the next multiple of :data:`BUCKET` tokens."""
        return min(math.ceil(source_tokens / BUCKET) * BUCKET, self.max_positions)

    def batches(self, lengths: Sequence[int], indices: Sequence[int]) -> list[list[int]]:
        """Group ``indices`` by padded width, longest first, within the padded-token budget.

        Only sentences of the same width share a batch, a sentence alone is padded to that same
        width, and small batches are topped up to :data:`MIN_ROWS` decoder rows, so each sentence
        goes through the same kernels whatever it is batched with: batched output equals
        one-by-one output bit for bit (tested on CPU).
        """
        order = sorted(indices, key=lambda i: (-lengths[i], i))
        budget = max(1, self.options.batch_tokens)
        out: list[list[int]] = []
        for i in order:
            width = self.bucket(lengths[i])
            if (
                out
                and self.bucket(lengths[out[-1][0]]) == width
                and (len(out[-1]) + 1) * width <= budget
            ):
                out[-1].append(i)
            else:
                out.append([i])
        return out

    def _generate(self, ids: Sequence[Sequence[int]], caps: Sequence[int]) -> list[str]:
        import torch
        from transformers import LogitsProcessorList

        real = len(ids)
        beams = self.num_beams
        fill = max(0, math.ceil(MIN_ROWS / beams) - real)
        ids = [*ids, *([ids[-1]] * fill)]
        caps = [*caps, *([caps[-1]] * fill)]
        width = self.bucket(max(len(x) for x in ids))
        input_ids = torch.full((len(ids), width), self.pad_id, dtype=torch.long)
        mask = torch.zeros((len(ids), width), dtype=torch.long)
        for row, seq in enumerate(ids):
            input_ids[row, : len(seq)] = torch.tensor(seq, dtype=torch.long)
            mask[row, : len(seq)] = 1
        # Total decoder length per row (start token + new tokens), one entry per beam.
        limits = torch.tensor([c + 1 for c in caps], dtype=torch.long).repeat_interleave(beams)
        limits = limits.to(self.device)
        with torch.inference_mode(), _quiet_transformers():
            out = self.model.generate(
                input_ids=input_ids.to(self.device),
                attention_mask=mask.to(self.device),
                num_beams=beams,
                do_sample=False,
                max_length=max(caps) + 1,
                logits_processor=LogitsProcessorList([_row_limit_processor(limits, self.eos_id)]),
            )
        texts = self.tokenizer.batch_decode(out[:real], skip_special_tokens=True)
        return [str(t) for t in texts]

    def _constrained(
        self,
        texts: Sequence[str],
        constraints: Sequence[Sequence[TermConstraint]],
        caps: Sequence[int],
    ) -> list[str]:
        from translate.engine.constrained import constrained_generate

        with _quiet_transformers():
            return list(
                constrained_generate(
                    self.model,
                    self.tokenizer,
                    [self._with_prefix(t) for t in texts],
                    [list(c) for c in constraints],
                    target_lang=self.target_lang,
                    num_beams=self.num_beams,
                    max_new_tokens=list(caps),
                    device=self.device,
                )
            )

    def _constrained_methods(
        self,
        texts: Sequence[str],
        constraints: Sequence[Sequence[TermConstraint]],
        caps: Sequence[int],
    ) -> list[tuple[str, list[str]]]:
        """Constrained targets, each with how its (active) constraints were met."""
        outs = self._constrained(texts, constraints, caps)
        return [(t, ["constrained"] * len(c)) for t, c in zip(outs, constraints, strict=True)]

    def translate_detailed(
        self,
        texts: Sequence[str],
        constraints: Sequence[Sequence[TermConstraint]] | None = None,
    ) -> list[Translation]:
        """Translate ``texts`` in order (constrained segments by the constrained decoder), with
        how each constraint was met (see :class:`Translation`)."""
        if constraints is not None and len(constraints) != len(texts):
            raise ValueError("constraints must have one entry per text")
        if not texts:
            return []
        ids = self._encode(texts)
        # Sources that may not fit the model's positions (the tokenizer truncated them to that
        # length) are translated in parts, joined with a space; each term goes to one part (the
        # one whose source spells it, see share_constraints), so it is enforced exactly once.
        long = [i for i in range(len(texts)) if len(ids[i]) >= self.max_positions]
        parts = {i: self.pieces(texts[i]) for i in long}
        if any(len(p) > 1 for p in parts.values()):
            return self._translate_parts(texts, constraints, parts)
        lengths = [len(x) for x in ids]
        caps = [self.max_new_tokens(n) for n in lengths]
        active: list[list[TermConstraint]] = [
            [c for c in (constraints[i] if constraints else ()) if c.variants(self.target_lang)]
            for i in range(len(texts))
        ]
        results: list[str] = [""] * len(texts)
        met: list[list[str]] = [[] for _ in texts]
        plain = [i for i in range(len(texts)) if not active[i]]
        forced = [i for i in range(len(texts)) if active[i]]
        for batch in self.batches(lengths, plain):
            for i, target in zip(
                batch,
                self._generate([ids[i] for i in batch], [caps[i] for i in batch]),
                strict=True,
            ):
                results[i] = target
        for batch in self.batches(lengths, forced):
            outs = self._constrained_methods(
                [texts[i] for i in batch], [active[i] for i in batch], [caps[i] for i in batch]
            )
            for i, (target, how) in zip(batch, outs, strict=True):
                results[i], met[i] = target, how
        self.segments_translated += len(texts)
        out = []
        for i, target in enumerate(results):
            given = iter(met[i])
            cons = constraints[i] if constraints else ()
            methods = tuple(next(given) if c.variants(self.target_lang) else None for c in cons)
            out.append(Translation(target, "mt", methods))
        return out

    def _translate_parts(
        self,
        texts: Sequence[str],
        constraints: Sequence[Sequence[TermConstraint]] | None,
        parts: Mapping[int, list[str]],
    ) -> list[Translation]:
        """Texts cut into ``parts`` translated part by part; each term's method is its part's."""
        flat: list[str] = []
        flat_constraints: list[list[TermConstraint]] = []
        owners: list[list[list[int]]] = []  # per text, per part: indices of its constraints
        for i, t in enumerate(texts):
            cons = list(constraints[i]) if constraints else []
            shares = share_constraints(parts.get(i, [t]), cons, self.source_lang)
            pool = list(range(len(cons)))
            owned = []
            for part, share in zip(parts.get(i, [t]), shares, strict=True):
                flat.append(part)
                flat_constraints.append(share)
                mine = []
                for c in share:
                    k = next(k for k in pool if cons[k] is c)
                    pool.remove(k)
                    mine.append(k)
                owned.append(mine)
            owners.append(owned)
        done = iter(self.translate_detailed(flat, flat_constraints if constraints else None))
        out = []
        for i, owned in enumerate(owners):
            pieces = [next(done) for _ in owned]
            methods: list[str | None] = [None] * len(constraints[i] if constraints else ())
            for piece, mine in zip(pieces, owned, strict=True):
                for k, how in zip(mine, piece.methods, strict=False):
                    methods[k] = how
            out.append(Translation(" ".join(p.text for p in pieces), "mt", tuple(methods)))
        return out

    def provenance(self) -> Mapping[str, Any]:
        """This leg's model identity and the decoding settings that shape its output."""
        r = self.resolved
        leg: dict[str, Any] = {
            "key": self.spec.key,
            "source_lang": self.source_lang,
            "target_lang": self.target_lang,
            # a local model is named by its folder, never by a path of this machine
            "model": public_path(self.spec.model) if self.spec.local else self.spec.model,
            "revision": self.spec.revision,
            "commit": r.commit,
            "local": self.spec.local,
            "prefix": self.spec.prefix,
            "decode": {
                "num_beams": self.num_beams,
                "max_length_a": self.options.max_length_a,
                "max_length_b": self.options.max_length_b,
                "device": self.device.split(":")[0],
                "dtype": self.dtype,
            },
        }
        if r.fingerprint:
            leg["fingerprint"] = r.fingerprint
        return {"engine": "marian", "legs": [leg]}
