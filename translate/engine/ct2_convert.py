"""Marian models converted for CTranslate2, once, into the user cache folder.

A converted model is keyed by the source model's identity (its hub commit, or the fingerprint of
a local folder) and the quantization, so a new snapshot or a different compute type converts
again and an unchanged model never does. Conversion uses CTranslate2's own
``TransformersConverter`` and writes into a temporary folder next to the final one, which is then
renamed into place: two processes converting the same model at once both succeed (the second
rename loses, and its copy is dropped), and no reader ever sees a half-written model.

Location: ``<translation cache dir>/ct2/<model>-<identity>-<quantization>/`` (the cache dir is
``$TRANSLATE_CACHE_DIR`` or the user cache folder, see :mod:`translate.engine.cache`).
This module imports neither torch nor ctranslate2 until a conversion runs.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import threading
from pathlib import Path

from translate.engine.hub import ResolvedModel
from translate.errors import EngineError, OutputError

#: ``--compute-type`` values; ``auto`` is int8 on CPU and float16 on a GPU.
COMPUTE_TYPES = ("auto", "int8", "int8_float32", "float32", "float16", "int8_float16")
#: ``--engine`` values; ``auto`` takes ct2 whenever the model converts, else hf.
ENGINES = ("auto", "hf", "ct2")
#: Files a complete converted model holds (written last: ``model.bin``).
CONVERTED_FILES = ("config.json", "model.bin")
# transformers' model loading is not thread-safe: one conversion at a time in a process
# (processes race safely through the rename).
_CONVERTING = threading.Lock()


def resolve_compute_type(compute_type: str, device: str) -> str:
    """``auto`` → ``int8`` on CPU, ``float16`` on CUDA; a float16 type on CPU is an error."""
    if compute_type not in COMPUTE_TYPES:
        raise EngineError(
            f"unknown compute type {compute_type!r}; use one of {', '.join(COMPUTE_TYPES)}."
        )
    on_gpu = device.startswith("cuda")
    if compute_type == "auto":
        return "float16" if on_gpu else "int8"
    if "float16" in compute_type and not on_gpu:
        raise EngineError(
            f"--compute-type {compute_type} needs a CUDA GPU; use int8 or float32 on CPU."
        )
    return compute_type


def quantization_for(compute_type: str) -> str:
    """The weights' storage type to convert to: the compute type itself (already resolved)."""
    return compute_type


def converted_root() -> Path:
    """The folder holding every converted model (under the translation cache folder)."""
    from translate.engine.cache import default_cache_dir

    return default_cache_dir() / "ct2"


def model_identity(resolved: ResolvedModel) -> str:
    """What names this exact version of the weights: its commit, else its folder fingerprint."""
    ident = resolved.commit or resolved.fingerprint
    if not ident:
        from translate.engine.hub import fingerprint

        ident = fingerprint(resolved.path)
    return ident


def converted_path(resolved: ResolvedModel, quantization: str) -> Path:
    """Where the conversion of ``resolved`` with ``quantization`` lives (existing or not)."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(resolved.spec.model).name or "model")[:60]
    digest = hashlib.sha256(
        f"{resolved.spec.model}\0{model_identity(resolved)}".encode()
    ).hexdigest()[:16]
    return converted_root() / f"{name}-{digest}-{quantization}"


def is_converted(path: Path) -> bool:
    return all((path / f).is_file() for f in CONVERTED_FILES)


def conversions(resolved: ResolvedModel) -> list[str]:
    """The quantizations ``resolved`` is already converted to (for ``translate models list``)."""
    return [
        q
        for q in COMPUTE_TYPES
        if q != "auto" and is_converted(converted_path(resolved, quantization_for(q)))
    ]


def convert(resolved: ResolvedModel, quantization: str) -> Path:
    """The converted model folder of ``resolved``, converting it first if needed.

    Raises:
        EngineError: CTranslate2 cannot convert this model (not a Marian checkpoint it reads).
        OutputError: the cache folder is not writable.
    """
    final = converted_path(resolved, quantization)
    if is_converted(final):
        return final
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}.", dir=final.parent))
    except OSError as err:
        raise OutputError(
            f"cannot write converted models under {final.parent} ({err.strerror or err}); set "
            "TRANSLATE_CACHE_DIR to a writable folder or use --engine hf."
        ) from None
    try:
        with _CONVERTING:
            _run_converter(resolved, tmp / "model", quantization)
        try:
            os.replace(tmp / "model", final)
        except OSError:
            if not is_converted(final):  # not a lost race: a real failure
                raise
    except OSError as err:
        raise OutputError(
            f"cannot write the converted model {final} ({err.strerror or err}); set "
            "TRANSLATE_CACHE_DIR to a writable folder or use --engine hf."
        ) from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return final


def _run_converter(resolved: ResolvedModel, out: Path, quantization: str) -> None:
    import contextlib
    import io

    from translate.engine.marian import _quiet_transformers

    try:
        from ctranslate2.converters import TransformersConverter
    except ImportError as err:  # pragma: no cover - a core dependency
        raise EngineError(f"ctranslate2 is not installed ({err}); use --engine hf.") from None
    if not _starts_from_zero(resolved.path):
        raise EngineError(
            f"CTranslate2 cannot convert {resolved.spec.model} faithfully (its decoder start "
            "embedding, <pad>, is not zero, and CTranslate2 starts Marian decoders from zeros); "
            "use --engine hf (or --engine auto) for this model."
        )
    try:
        with _quiet_transformers(), contextlib.redirect_stdout(io.StringIO()):
            TransformersConverter(str(resolved.path)).convert(
                str(out), quantization=quantization, force=True
            )
    except Exception as err:  # the converter raises many types for a model it cannot read
        first = (str(err).strip().splitlines() or [type(err).__name__])[0]
        raise EngineError(
            f"CTranslate2 cannot convert {resolved.spec.model} ({first}); "
            "use --engine hf (or --engine auto) for this model."
        ) from None


#: Weight names of the embedding the Marian decoder starts from, in the order they are looked up.
_DECODER_EMBEDDINGS = ("model.decoder.embed_tokens.weight", "model.shared.weight")


def _starts_from_zero(folder: Path) -> bool:
    """Whether the decoder start token's embedding is zero, as CTranslate2 assumes for Marian.

    Its converter drops ``<pad>`` and starts the decoder from a zero vector
    (``start_from_zero_embedding``), which is what Marian does and what the OPUS-MT checkpoints
    hold; a model trained with that row moved would translate differently, silently (a tiny
    model measured agreeing with transformers on 1 of 60 outputs). Read from the safetensors
    file, one row; a model without one (``pytorch_model.bin``) is not checked.
    """
    weights = folder / "model.safetensors"
    try:
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        start = config.get("decoder_start_token_id", config.get("pad_token_id"))
        if not weights.is_file() or not isinstance(start, int):
            return True
        from safetensors import safe_open

        with safe_open(str(weights), framework="numpy") as f:
            names = set(f.keys())
            name = next((n for n in _DECODER_EMBEDDINGS if n in names), None)
            if name is None:
                return True
            table = f.get_slice(name)
            rows = table.get_shape()[0]
            return not 0 <= start < rows or not table[start : start + 1].any()
    except Exception:  # unreadable (or a dtype numpy lacks): left to the converter to judge
        return True
