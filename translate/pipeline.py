"""The translation pipeline: segment → pass-through rules → glossary → engine → term check.

This is the only module that knows the order of the stages. The CLI's ``translate run`` is a thin
wrapper around :class:`Pipeline` (or :func:`translate_document`)::

    from translate import translate_document
    results = translate_document(open("article.txt").read(), ["en", "de"])
    results["de"].translated_text()      # the German document, with the source's layout
    results["de"].to_dict()              # the JSON written by ``translate run``

Engines are anything that follows :class:`translate.engine.base.Engine`; the glossary is anything
that follows :class:`GlossaryLike`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from translate import __version__
from translate.engine.base import DecodeOptions, Engine, ReportsOrigin
from translate.engine.cache import TranslationCache
from translate.engine.passthrough import PassthroughRules
from translate.segment import segment
from translate.units import (
    Document,
    DocumentResult,
    SegmentResult,
    TermConstraint,
    TermMatch,
    TermResult,
)

SOURCE_LANG = "fr"
CHUNK_SIZE = 32  # segments per engine call: the granularity of progress reports

ProgressFn = Callable[[str, int, int], None]
"""``progress(lang, done, total)``, called after each chunk of segments."""


class GlossaryLike(Protocol):
    """What the pipeline needs from a glossary (``translate.glossary`` provides one)."""

    digest: str  # content hash: goes into provenance and cache keys

    def match(self, text: str) -> list[TermMatch]:
        """Glossary terms found in one French segment (offsets into ``text``)."""
        ...

    def constraints_for(self, text: str, matches: Sequence[TermMatch]) -> list[TermConstraint]:
        """What the decoder must produce for those matches."""
        ...

    def verify(
        self,
        target: str,
        constraints: Sequence[TermConstraint],
        matches: Sequence[TermMatch],
        lang: str,
    ) -> tuple[TermResult, ...]:
        """Which required target terms the translation contains."""
        ...


@dataclass
class Pipeline:
    """Translates documents into every language of ``engines``.

    Attributes:
        engines: target language → engine (see :func:`translate.engine.chain.build_engines`).
        glossary: enforced terminology, or None.
        passthrough: rules for segments that are copied unchanged (None: translate everything).
        options: the decoding options the engines were built with (recorded in provenance).
        chunk_size: segments per engine call; batching inside the engine is independent of it.
    """

    engines: Mapping[str, Engine]
    glossary: GlossaryLike | None = None
    passthrough: PassthroughRules | None = field(default_factory=PassthroughRules.load)
    options: DecodeOptions | None = None
    chunk_size: int = CHUNK_SIZE

    def translate(
        self,
        source: str | Document,
        *,
        source_path: str = "",
        progress: ProgressFn | None = None,
    ) -> dict[str, DocumentResult]:
        """Translate one document into every target language, in the order of ``engines``."""
        document = segment(source) if isinstance(source, str) else source
        return {
            lang: self.translate_into(document, lang, source_path=source_path, progress=progress)
            for lang in self.engines
        }

    def translate_into(
        self,
        document: Document,
        lang: str,
        *,
        source_path: str = "",
        progress: ProgressFn | None = None,
    ) -> DocumentResult:
        """Translate ``document`` into ``lang`` with ``self.engines[lang]``."""
        engine = self.engines[lang]
        segs = document.segments
        targets: list[str] = [s.text for s in segs]
        origins: list[str] = ["passthrough"] * len(segs)
        matches: list[list[TermMatch]] = [[] for _ in segs]
        constraints: list[list[TermConstraint]] = [[] for _ in segs]
        todo: list[int] = []
        for i, s in enumerate(segs):
            if self.passthrough is not None and self.passthrough.rule_for(s.text):
                continue
            todo.append(i)
            if self.glossary is not None:
                matches[i] = list(self.glossary.match(s.text))
                constraints[i] = list(self.glossary.constraints_for(s.text, matches[i]))
        # Longest first, so each engine call gets segments of similar length.
        todo.sort(key=lambda i: (-len(segs[i].text), i))
        total = len(segs)
        done = total - len(todo)
        if progress is not None:
            progress(lang, done, total)
        for start in range(0, len(todo), max(1, self.chunk_size)):
            chunk = todo[start : start + self.chunk_size]
            texts = [segs[i].text for i in chunk]
            cons = [constraints[i] for i in chunk] if self.glossary is not None else None
            if isinstance(engine, ReportsOrigin):
                pairs = engine.translate_with_origin(texts, cons)
            else:
                pairs = [(t, "mt") for t in engine.translate(texts, cons)]
            for i, (target, origin) in zip(chunk, pairs, strict=True):
                targets[i], origins[i] = target, origin
            done += len(chunk)
            if progress is not None:
                progress(lang, done, total)
        results = []
        for i, s in enumerate(segs):
            terms: tuple[TermResult, ...] = ()
            if self.glossary is not None and origins[i] != "passthrough" and constraints[i]:
                terms = tuple(self.glossary.verify(targets[i], constraints[i], matches[i], lang))
            results.append(
                SegmentResult(
                    id=s.id,
                    paragraph=s.paragraph,
                    source=s.text,
                    target=targets[i],
                    start=s.start,
                    end=s.end,
                    kind=s.kind,
                    origin=origins[i],
                    terms=terms,
                )
            )
        return DocumentResult(
            source_path=source_path,
            source_lang=SOURCE_LANG,
            target_lang=lang,
            source_text=document.text,
            segments=tuple(results),
            provenance=self.provenance(lang),
            summary=summarize(results),
        )

    def provenance(self, lang: str) -> dict[str, Any]:
        """What produced a translation: tool version, model chain, decoding options, glossary."""
        return {
            "tool": f"translate {__version__}",
            "engine": dict(self.engines[lang].provenance()),
            "decode": self.options.to_dict() if self.options is not None else None,
            "glossary": {"digest": self.glossary.digest} if self.glossary is not None else None,
            "passthrough": {"digest": self.passthrough.digest}
            if self.passthrough is not None
            else None,
        }


def summarize(segments: Sequence[SegmentResult]) -> dict[str, Any]:
    """Segment counts by origin and WMT21 exact-match term accuracy (None without terms)."""
    origins = {"mt": 0, "cache": 0, "passthrough": 0}
    for s in segments:
        origins[s.origin] = origins.get(s.origin, 0) + 1
    required = sum(len(s.terms) for s in segments)
    found = sum(1 for s in segments for t in s.terms if t.satisfied)
    return {
        "segments": len(segments),
        "origins": origins,
        "terms_required": required,
        "terms_found": found,
        "term_accuracy": round(found / required, 6) if required else None,
    }


def translate_document(
    source: str | Document,
    targets: Mapping[str, Engine] | Sequence[str],
    *,
    glossary: GlossaryLike | None = None,
    options: DecodeOptions | None = None,
    models: Mapping[str, str] | None = None,
    cache: TranslationCache | None = None,
    source_path: str = "",
    progress: ProgressFn | None = None,
) -> dict[str, DocumentResult]:
    """Translate a French text (or segmented :class:`Document`) into several languages.

    Args:
        source: the decoded text, or a :class:`Document` from :func:`translate.segment.segment`.
        targets: ready engines by language, or language codes (``["en", "zh"]``) for which
            engines are built from the registry with ``options``, ``models`` and ``cache``.
        glossary: enforced terminology (see :class:`GlossaryLike`).
        options: decoding options (recorded in provenance).
        models: ``--model``-style overrides, used only when ``targets`` are language codes.
        cache: translation cache, used only when ``targets`` are language codes.
        source_path: recorded in each result.
        progress: ``progress(lang, done, total)`` callback.

    Returns:
        target language → :class:`~translate.units.DocumentResult` (``to_dict()`` is the JSON
        that ``translate run`` writes; ``translated_text()`` keeps the source's layout).
    """
    if isinstance(targets, Mapping):
        engines: Mapping[str, Engine] = targets
    else:
        from translate.engine.chain import build_engines

        engines = build_engines(
            list(targets), models=models, options=options, cache=cache, progress=False
        )
    pipeline = Pipeline(engines, glossary=glossary, options=options)
    return pipeline.translate(source, source_path=source_path, progress=progress)
