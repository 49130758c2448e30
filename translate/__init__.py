"""French-to-multilingual translation toolkit: segment, translate with enforced glossaries, score, export.

The public API is re-exported here; heavy dependencies (torch, transformers) load only when a
document is actually translated. Names are resolved lazily, so ``import translate`` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# Public name → module that defines it (imported on first use).
_LAZY = {
    # records
    "Document": "translate.units",
    "DocumentResult": "translate.units",
    "Segment": "translate.units",
    "SegmentResult": "translate.units",
    "TermConstraint": "translate.units",
    "TermMatch": "translate.units",
    "TermResult": "translate.units",
    # stages
    "segment": "translate.segment",
    "Pipeline": "translate.pipeline",
    "GlossaryLike": "translate.pipeline",
    "translate_document": "translate.pipeline",
    # engines
    "Engine": "translate.engine.base",
    "DecodeOptions": "translate.engine.base",
    "build_engines": "translate.engine.chain",
    "MarianEngine": "translate.engine.marian",
    "PivotEngine": "translate.engine.pivot",
    "CachedEngine": "translate.engine.cache",
    "TranslationCache": "translate.engine.cache",
    "Registry": "translate.engine.registry",
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'translate' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
