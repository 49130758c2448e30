"""The ``Engine`` protocol every backend and wrapper (pivot, cache) implements, and decoding options.

This module must not import torch or transformers: commands that do not translate import it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Protocol, runtime_checkable

from translate.units import TermConstraint


@dataclass(frozen=True)
class DecodeOptions:
    """Decoding settings; part of every cache key and recorded in every output's provenance.

    ``num_beams`` None means the model's own generation config. The output length is capped at
    ``max_length_a * source_tokens + max_length_b`` tokens.
    """

    num_beams: int | None = None
    max_length_a: float = 2.0
    max_length_b: int = 16
    batch_tokens: int = 4096
    device: str = "auto"
    threads: int | None = None
    half: bool = True  # half precision on GPU only

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@runtime_checkable
class Engine(Protocol):
    """Translates French (or a pivot language) segments into one target language."""

    source_lang: str
    target_lang: str

    def translate(
        self,
        texts: Sequence[str],
        constraints: Sequence[Sequence[TermConstraint]] | None = None,
    ) -> list[str]:
        """Translate ``texts`` in order; ``constraints[i]`` are the terms segment i must contain."""
        ...

    def provenance(self) -> Mapping[str, Any]:
        """Model ids, revisions and decoding options, for outputs and cache keys."""
        ...


@runtime_checkable
class ReportsOrigin(Protocol):
    """An engine that can say, per segment, whether the model ran (``mt``) or a cache answered."""

    def translate_with_origin(
        self,
        texts: Sequence[str],
        constraints: Sequence[Sequence[TermConstraint]] | None = None,
    ) -> list[tuple[str, str]]:
        """Like ``Engine.translate``, with each target paired with ``"mt"`` or ``"cache"``."""
        ...


def translate_with_origin(
    engine: Engine,
    texts: Sequence[str],
    constraints: Sequence[Sequence[TermConstraint]] | None = None,
) -> list[tuple[str, str]]:
    """``engine``'s targets with their origin: what a :class:`ReportsOrigin` engine says, else mt."""
    if isinstance(engine, ReportsOrigin):
        return engine.translate_with_origin(texts, constraints)
    return [(t, "mt") for t in engine.translate(texts, constraints)]
