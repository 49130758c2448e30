"""The ``Engine`` protocol every backend and wrapper (pivot, cache) implements, and decoding options.

This module must not import torch or transformers: commands that do not translate import it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
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
    threads: int | None = None  # torch threads (hf); CTranslate2 intra_threads (ct2)
    workers: int | None = None  # CTranslate2 parallel decoders (inter_threads); ct2 only
    half: bool = True  # half precision on GPU only
    engine: str = "auto"  # auto | hf | ct2 (see translate.engine.ct2_convert.ENGINES)
    compute_type: str = "auto"  # CTranslate2 compute type; auto: int8 on CPU, float16 on GPU

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


@runtime_checkable
class Releasable(Protocol):
    """An engine that can free its model's memory when a run no longer needs it (it loads the
    model again if asked to translate after all)."""

    def release(self) -> None:
        """Free the model's memory."""
        ...


@runtime_checkable
class Composite(Protocol):
    """A wrapper (cache, pivot) around the engines that do its work."""

    def parts(self) -> Sequence[Engine]:
        """The wrapped engines, in order."""
        ...


def leaf_engines(engine: Engine) -> list[Engine]:
    """The engines under every wrapper of ``engine`` (a pivot's legs, a cache's engine)."""
    if isinstance(engine, Composite):
        return [leaf for part in engine.parts() for leaf in leaf_engines(part)]
    return [engine]


def release_unused(done: Engine, later: Sequence[Engine]) -> None:
    """Free the models of ``done`` that none of the ``later`` engines uses: languages translated
    one after another then hold one language's models at a time, not all of them."""
    keep = {id(leaf) for engine in later for leaf in leaf_engines(engine)}
    for leaf in leaf_engines(done):
        if id(leaf) not in keep and isinstance(leaf, Releasable):
            leaf.release()


def translate_with_origin(
    engine: Engine,
    texts: Sequence[str],
    constraints: Sequence[Sequence[TermConstraint]] | None = None,
) -> list[tuple[str, str]]:
    """``engine``'s targets with their origin: what a :class:`ReportsOrigin` engine says, else mt."""
    if isinstance(engine, ReportsOrigin):
        return engine.translate_with_origin(texts, constraints)
    return [(t, "mt") for t in engine.translate(texts, constraints)]


#: How an engine met a required term: the model wrote it (``free``), a forced prefix made it
#: (``repair``, CTranslate2 path), or lexically constrained beam search did (``constrained``).
METHODS = ("free", "repair", "constrained")


@dataclass(frozen=True)
class Translation:
    """One segment's target, where it came from, and how each of its constraints was met.

    ``methods[k]`` answers for ``constraints[k]`` as given to the engine: one of :data:`METHODS`,
    or None where the constraint had no form in the target language or the engine cannot say.
    """

    text: str
    origin: str = "mt"
    methods: tuple[str | None, ...] = field(default=())


@runtime_checkable
class ReportsMethods(Protocol):
    """An engine that says how each constraint was met (see :class:`Translation`)."""

    def translate_detailed(
        self,
        texts: Sequence[str],
        constraints: Sequence[Sequence[TermConstraint]] | None = None,
    ) -> list[Translation]: ...


def translate_detailed(
    engine: Engine,
    texts: Sequence[str],
    constraints: Sequence[Sequence[TermConstraint]] | None = None,
) -> list[Translation]:
    """``engine``'s targets with origin and term methods (methods empty where it cannot say)."""
    if isinstance(engine, ReportsMethods):
        return engine.translate_detailed(texts, constraints)
    return [Translation(t, o) for t, o in translate_with_origin(engine, texts, constraints)]


class DetailedEngine:
    """Mixin: ``translate`` and ``translate_with_origin`` from the class's ``translate_detailed``."""

    def translate_detailed(
        self,
        texts: Sequence[str],
        constraints: Sequence[Sequence[TermConstraint]] | None = None,
    ) -> list[Translation]:
        raise NotImplementedError

    def translate_with_origin(
        self,
        texts: Sequence[str],
        constraints: Sequence[Sequence[TermConstraint]] | None = None,
    ) -> list[tuple[str, str]]:
        return [(t.text, t.origin) for t in self.translate_detailed(texts, constraints)]

    def translate(
        self,
        texts: Sequence[str],
        constraints: Sequence[Sequence[TermConstraint]] | None = None,
    ) -> list[str]:
        return [t.text for t in self.translate_detailed(texts, constraints)]


def strongest(a: str | None, b: str | None) -> str | None:
    """The more forceful of two methods (pivot legs: the term needed the strongest of them)."""
    rank: dict[str | None, int] = {m: k for k, m in enumerate(METHODS)}
    return a if rank.get(a, -1) >= rank.get(b, -1) else b
