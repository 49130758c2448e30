"""Build ready-to-use engines for target languages from the registry: the composition root.

Each distinct leg (model, revision, prefix) is loaded once and shared, so ``--to en,zh,it`` loads
``opus-mt-fr-en`` a single time; each leg is wrapped in the cache (when one is given), and
multi-leg chains are joined by :class:`~translate.engine.pivot.PivotEngine`.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, Sequence

from translate.engine.base import DecodeOptions, Engine
from translate.engine.cache import CachedEngine, TranslationCache
from translate.engine.ct2_convert import ENGINES
from translate.engine.hub import ResolvedModel, resolve
from translate.engine.pivot import PivotEngine
from translate.engine.registry import Chain, ModelSpec, Registry
from translate.errors import EngineError, OutputError

LoadCallback = Callable[[ModelSpec], None]
WarnCallback = Callable[[str], None]


def resolve_chains(
    chains: Mapping[str, Chain], *, allow_download: bool = True, progress: bool = True
) -> dict[tuple[str, str, str | None, str | None], ResolvedModel]:
    """Find every leg's files before loading anything, so a missing model fails in seconds."""
    found: dict[tuple[str, str, str | None, str | None], ResolvedModel] = {}
    for lang, chain in chains.items():
        for spec in chain.legs:
            ident = (spec.key, spec.model, spec.revision, spec.prefix)
            if ident not in found:
                found[ident] = resolve(
                    spec, pull=lang, allow_download=allow_download, progress=progress
                )
    return found


def build_engines(
    targets: Sequence[str],
    *,
    models: Mapping[str, str] | None = None,
    options: DecodeOptions | None = None,
    cache: TranslationCache | None = None,
    registry: Registry | None = None,
    allow_download: bool = True,
    progress: bool = True,
    on_load: LoadCallback | None = None,
    on_warning: WarnCallback | None = None,
) -> dict[str, Engine]:
    """One engine per target language, ready to translate French.

    Args:
        targets: target language codes (``["en", "zh"]``).
        models: ``--model`` overrides, KEY (language or leg such as ``fr-en``) → directory or
            hub id with optional ``@revision``.
        options: decoding options shared by every model.
        cache: a translation cache; every leg is wrapped in it (None: no cache).
        registry: the model registry (default: the bundled ``models.json``).
        allow_download: fetch hub models missing from the local cache (never in offline mode).
        progress: show download progress bars.
        on_load: called before each model is loaded (for a status line).
        on_warning: called with one line when ``options.engine`` is ``auto`` and a model falls
            back to transformers (None: a :class:`RuntimeWarning`).

    ``options.engine`` picks the backend of every leg: ``hf`` (transformers), ``ct2``
    (CTranslate2, converted once and cached; an error when the model does not convert) or
    ``auto`` (ct2 whenever the model converts, else hf with one warning saying why).

    Raises:
        UnknownLanguageError, ModelNotAvailableError, EngineError.
    """
    registry = registry or Registry.load()
    options = options or DecodeOptions()
    chains = registry.chains(targets, models)
    resolved = resolve_chains(chains, allow_download=allow_download, progress=progress)
    legs: dict[tuple[str, str, str | None, str | None], Engine] = {}
    engines: dict[str, Engine] = {}
    for lang, chain in chains.items():
        parts: list[Engine] = []
        for spec in chain.legs:
            ident = (spec.key, spec.model, spec.revision, spec.prefix)
            if ident not in legs:
                if on_load is not None:
                    on_load(spec)
                leg = load_leg(resolved[ident], options, on_warning=on_warning)
                legs[ident] = CachedEngine(leg, cache) if cache is not None else leg
            parts.append(legs[ident])
        engines[lang] = parts[0] if len(parts) == 1 else PivotEngine(parts)
    return engines


def load_leg(
    resolved: ResolvedModel, options: DecodeOptions, *, on_warning: WarnCallback | None = None
) -> Engine:
    """One leg's engine on the backend ``options.engine`` asks for (see :func:`build_engines`).

    Raises:
        EngineError: the model cannot be loaded (with ``ct2``: cannot be converted either).
    """
    from translate.engine.marian import MarianEngine

    if options.engine not in ENGINES:
        raise EngineError(f"unknown engine {options.engine!r}; use one of {', '.join(ENGINES)}.")
    if options.engine == "hf":
        return MarianEngine.from_resolved(resolved, options)
    from translate.engine.ct2 import Ct2Engine

    if options.engine == "ct2":
        return Ct2Engine.from_resolved(resolved, options)
    try:
        return Ct2Engine.from_resolved(resolved, options)
    except (EngineError, OutputError) as err:
        why = str(err)
    # Warn only once transformers has the model: a broken checkpoint gets its one error line.
    engine = MarianEngine.from_resolved(resolved, options)
    message = f"{resolved.spec.key}: not using CTranslate2 ({why}); using transformers instead."
    if on_warning is None:
        warnings.warn(message, RuntimeWarning, stacklevel=2)
    else:
        on_warning(message)
    return engine
