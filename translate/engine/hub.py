"""Models in the standard Hugging Face cache: find them offline, fetch them on request, list them.

The cache is looked up first with ``local_files_only`` so that a cached model never touches the
network; a missing model is fetched only when downloads are allowed and the hub answers within a
few seconds. Every failure ends in one :class:`ModelNotAvailableError` that names the model, the
``translate models pull`` command and the ``--model`` option. torch is never imported here.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from translate.engine.registry import ModelSpec
from translate.errors import EngineError, ModelNotAvailableError

# Weight files in order of preference; only one is downloaded.
WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin")
# Everything else a Marian checkpoint needs: configs, vocab and the SentencePiece models.
SIDE_FILES = ("*.json", "*.spm")
# Seconds to wait for the hub before declaring it unreachable (no retry loops).
HUB_TIMEOUT = 5.0

_TRUE = {"1", "ON", "YES", "TRUE"}


@dataclass(frozen=True)
class ResolvedModel:
    """A model's files on disk and how to name that exact version in provenance."""

    spec: ModelSpec
    path: Path
    commit: str | None = None  # the HF cache snapshot's commit hash
    fingerprint: str | None = None  # for local directories: names, sizes and mtimes of the files


def is_offline() -> bool:
    """True when ``HF_HUB_OFFLINE`` (or ``TRANSFORMERS_OFFLINE``) forbids network access."""
    return any(
        os.environ.get(var, "").strip().upper() in _TRUE
        for var in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")
    )


def model_label(spec: ModelSpec) -> str:
    return f"{spec.model}@{spec.revision}" if spec.revision else spec.model


def not_available(
    spec: ModelSpec, pull: str, reason: str, *, pulling: bool = False
) -> ModelNotAvailableError:
    """The one-line error for a model that cannot be had offline.

    ``pulling``: the user ran ``translate models pull``, so suggesting that command is no help.
    """
    if pulling:
        return ModelNotAvailableError(
            f"cannot download {model_label(spec)}: {reason}; check the network connection (or "
            f"HF_ENDPOINT), or copy the model directory from another machine and use it with "
            f"'translate run ... --model {spec.key}=DIR'."
        )
    return ModelNotAvailableError(
        f"model {model_label(spec)} is not in the local Hugging Face cache and {reason}; "
        f"fetch it with 'translate models pull {pull}' or give a local copy with "
        f"--model {spec.key}=PATH."
    )


def is_complete(path: Path) -> bool:
    """A Marian checkpoint needs its config and one weight file."""
    return (path / "config.json").is_file() and any((path / w).is_file() for w in WEIGHT_FILES)


def fingerprint(path: Path) -> str:
    """A cheap identity for a local model directory (file names, sizes, modification times)."""
    h = hashlib.sha256()
    for f in sorted(p for p in path.iterdir() if p.is_file()):
        st = f.stat()
        h.update(f"{f.name}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:16]


def cached(spec: ModelSpec) -> ResolvedModel | None:
    """The cached snapshot of a hub model (complete), or None; never uses the network."""
    from huggingface_hub import snapshot_download

    try:
        folder = Path(snapshot_download(spec.model, revision=spec.revision, local_files_only=True))
    except (OSError, ValueError):  # LocalEntryNotFoundError, HFValidationError: not cached
        return None
    if not is_complete(folder):
        return None
    return ResolvedModel(spec, folder, commit=folder.name)


@contextlib.contextmanager
def _progress_bars(enabled: bool) -> Iterator[None]:
    from huggingface_hub.utils import (
        are_progress_bars_disabled,
        disable_progress_bars,
        enable_progress_bars,
    )

    was_disabled = are_progress_bars_disabled()
    if enabled:
        enable_progress_bars()
    else:
        disable_progress_bars()
    try:
        yield
    finally:
        if was_disabled:
            disable_progress_bars()
        else:
            enable_progress_bars()


def download(
    spec: ModelSpec, *, pull: str, progress: bool = True, pulling: bool = False
) -> ResolvedModel:
    """Fetch a hub model into the cache (one weight file, configs, tokenizer) with a progress bar.

    ``pulling`` words the errors for ``translate models pull`` (see :func:`not_available`).

    Raises:
        ModelNotAvailableError: offline mode, hub unreachable within :data:`HUB_TIMEOUT`, or no
            such model/revision.
    """
    if is_offline():
        raise not_available(spec, pull, "offline mode is on (HF_HUB_OFFLINE=1)", pulling=pulling)
    from huggingface_hub import HfApi, snapshot_download
    from huggingface_hub.errors import RepositoryNotFoundError, RevisionNotFoundError

    try:
        info = HfApi().model_info(spec.model, revision=spec.revision, timeout=HUB_TIMEOUT)
    except RevisionNotFoundError:
        raise not_available(
            spec, pull, f"the hub has no revision {spec.revision!r}", pulling=pulling
        ) from None
    except RepositoryNotFoundError:
        raise not_available(spec, pull, "the hub has no such model", pulling=pulling) from None
    except Exception as err:  # noqa: BLE001 - connection refused, DNS, timeout, HTTP errors
        raise not_available(
            spec, pull, f"the hub cannot be reached ({type(err).__name__})", pulling=pulling
        ) from None
    files = {s.rfilename for s in (info.siblings or [])}
    weights = next((w for w in WEIGHT_FILES if w in files), None)
    if weights is None:
        raise EngineError(
            f"model {model_label(spec)} has no PyTorch weights ({' or '.join(WEIGHT_FILES)}); "
            "choose a MarianMT checkpoint."
        )
    try:
        with _progress_bars(progress):
            folder = Path(
                snapshot_download(
                    spec.model,
                    revision=spec.revision,
                    allow_patterns=[*SIDE_FILES, weights],
                    etag_timeout=HUB_TIMEOUT,
                )
            )
    except Exception as err:  # noqa: BLE001 - the transfer failed part-way
        raise not_available(
            spec, pull, f"the download failed ({type(err).__name__})", pulling=pulling
        ) from None
    return ResolvedModel(spec, folder, commit=folder.name)


def resolve(
    spec: ModelSpec, *, pull: str, allow_download: bool = True, progress: bool = True
) -> ResolvedModel:
    """Find a leg's model files: a local directory, the HF cache, or (if allowed) a download.

    Args:
        spec: the leg.
        pull: what to pass to ``translate models pull`` in the error message (a language).
        allow_download: fetch a missing hub model (unless offline mode is on).
        progress: show download progress bars.
    """
    if spec.local:
        path = Path(spec.model)
        if not is_complete(path):
            raise EngineError(
                f"--model {spec.key}={spec.model}: not a model directory (needs config.json and "
                f"{' or '.join(WEIGHT_FILES)}); give a saved MarianMT model."
            )
        return ResolvedModel(spec, path, fingerprint=fingerprint(path))
    hit = cached(spec)
    if hit is not None:
        return hit
    if is_offline():
        raise not_available(spec, pull, "offline mode is on (HF_HUB_OFFLINE=1)")
    if not allow_download:
        raise not_available(spec, pull, "downloads are turned off")
    return download(spec, pull=pull, progress=progress)


def scan_cache() -> dict[str, Any]:
    """Hub models in the local cache, by repo id (``CachedRepoInfo``); never uses the network."""
    from huggingface_hub import scan_cache_dir

    try:
        info = scan_cache_dir()
    except Exception:  # noqa: BLE001 - no cache directory yet, or an unreadable one
        return {}
    return {repo.repo_id: repo for repo in info.repos if repo.repo_type == "model"}
