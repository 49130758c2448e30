"""Pivot translation: chain engines (French → English → Chinese) behind the one Engine interface.

Every leg receives the same :class:`~translate.units.TermConstraint` objects; each reads the
variants of its own target language, so a glossary with English forms steers the first leg.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from typing import Any

from translate.engine.base import DetailedEngine, Engine, Translation, strongest, translate_detailed
from translate.units import TermConstraint


class PivotEngine(DetailedEngine):
    """Runs ``legs`` in order, each leg's output being the next leg's input."""

    def __init__(self, legs: Sequence[Engine]) -> None:
        if len(legs) < 2:
            raise ValueError("a pivot needs at least two legs")
        for a, b in zip(legs, legs[1:], strict=False):
            if a.target_lang != b.source_lang:
                raise ValueError(
                    f"pivot legs do not connect: {a.source_lang}-{a.target_lang} then "
                    f"{b.source_lang}-{b.target_lang}"
                )
        self.legs = tuple(legs)
        self.source_lang = legs[0].source_lang
        self.target_lang = legs[-1].target_lang

    def translate_detailed(
        self,
        texts: Sequence[str],
        constraints: Sequence[Sequence[TermConstraint]] | None = None,
    ) -> list[Translation]:
        """Targets with ``cache`` where every leg was answered from a cache, else ``mt``; each
        term's method is the most forceful any leg needed (see :func:`strongest`)."""
        current = [Translation(t, "cache") for t in texts]
        for leg in self.legs:
            outs = translate_detailed(leg, [t.text for t in current], constraints)
            current = [
                Translation(
                    new.text,
                    "cache" if old.origin == "cache" and new.origin == "cache" else "mt",
                    tuple(
                        strongest(a, b) for a, b in itertools.zip_longest(old.methods, new.methods)
                    ),
                )
                for old, new in zip(current, outs, strict=True)
            ]
        return current

    def parts(self) -> Sequence[Engine]:
        """The legs, first to last (see :class:`~translate.engine.base.Composite`)."""
        return self.legs

    def provenance(self) -> Mapping[str, Any]:
        legs: list[Any] = []
        for leg in self.legs:
            legs.extend(leg.provenance().get("legs", [dict(leg.provenance())]))
        return {"engine": "pivot", "legs": legs}
