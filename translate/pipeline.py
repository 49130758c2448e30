"""The translation pipeline: segment → pass-through → memory → glossary → engine → localize → QA →
gate → export.

This is the only module that knows the order of the stages. The CLI's ``translate run`` is a thin
wrapper around :meth:`Pipeline.run` (translate, check, score, gate, export); ``translate eval``
plugs :func:`translate.evalsuite.suite_provider` into :func:`translate.evalsuite.run_suite`. From Python::

    from translate import translate_document
    results = translate_document(open("article.txt").read(), ["en", "de"])
    results["de"].translated_text()      # the German document, with the source's layout
    results["de"].to_dict()              # the JSON written by ``translate run``

Engines are anything that follows :class:`translate.engine.base.Engine`; the glossary is anything
that follows :class:`GlossaryLike`.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Protocol

from translate import __version__
from translate._io import check_name, check_output_dir
from translate.checks import ChecksConfig
from translate.engine.base import DecodeOptions, Engine, release_unused, translate_detailed
from translate.engine.cache import TranslationCache
from translate.evalsuite import suite_provider as suite_provider  # re-exported: public API
from translate.export import DEFAULT_FORMATS, ExportOptions, output_names, parse_formats
from translate.gate import DEFAULT_THRESHOLDS as DEFAULT_THRESHOLDS  # re-exported
from translate.gate import NO_GATE, GateReport, Thresholds, evaluate_result
from translate.gate import load_default_thresholds as load_default_thresholds  # re-exported
from translate.localize import is_locale_neutral, locale_for, localize_provenance
from translate.localize import localize as localize_segment
from translate.markup.placeholders import constraints_for as placeholder_constraints
from translate.markup.placeholders import restore as restore_markup
from translate.passthrough import PassthroughRules
from translate.protect import ProtectRules
from translate.runreport import EvaluatedLanguage as EvaluatedLanguage  # re-exported
from translate.runreport import LanguageRun as LanguageRun
from translate.runreport import RunReport as RunReport
from translate.runreport import export_evaluated
from translate.score import GlossaryLike as ScoringGlossary
from translate.score import References
from translate.score import find_references as find_references  # re-exported: public API
from translate.score import located_references as located_references  # re-exported
from translate.segment import segment
from translate.summary import ORIGINS as ORIGINS  # re-exported
from translate.summary import keep_methods, relocate, with_methods
from translate.summary import summarize as summarize  # re-exported: public API
from translate.terms import SegmentTerms, find_terms, verify
from translate.units import (
    Document,
    DocumentResult,
    LocalizedChange,
    Provenance,
    ResultSummary,
    Segment,
    SegmentResult,
    TermConstraint,
    TermResult,
)

if TYPE_CHECKING:
    from translate.batch import BatchReport

PathLike = str | os.PathLike[str]

SOURCE_LANG = "fr"
CHUNK_SIZE = 32  # segments per engine call: the granularity of progress reports

ProgressFn = Callable[[str, int, int], None]
"""``progress(lang, done, total)``, called after each chunk of segments."""


class GlossaryLike(ScoringGlossary, Protocol):
    """What the pipeline needs from a glossary (``translate.glossary`` provides one): what term
    scoring needs, and a content hash."""

    digest: str  # content hash: goes into provenance and cache keys


class MemoryLike(Protocol):
    """What the pipeline needs from a translation memory (:class:`translate.memory.TranslationMemory`)."""

    def lookup_many(
        self,
        sources: Sequence[str],
        target_lang: str,
        *,
        neutral: Callable[[str], bool] | None = None,
    ) -> dict[str, str]:
        """Approved translations of exactly these sentences: ``{source: target}`` for those
        found; sentences ``neutral`` accepts may come from a sibling locale."""
        ...


@dataclass
class Pipeline:
    """Translates documents into every language of ``engines``, then checks, gates and exports.

    Attributes:
        engines: target language → engine (see :func:`translate.engine.chain.build_engines`).
        glossary: enforced terminology, or None.
        passthrough: rules for segments that are copied unchanged (None: translate everything).
        options: the decoding options the engines were built with (recorded in provenance).
        chunk_size: segments per engine call; batching inside the engine is independent of it.
        memory: approved translations taken before the engine is called (None: no memory).
        thresholds: the quality gate (None: results are checked and scored but not gated).
        dnt: extra do-not-translate names for the QA check (the glossary's join them).
        checks_config: the QA configuration (None: the bundled ``checks.json``).
        protect: verbatim spans (URLs, e-mail addresses, @handles...) enforced in the output:
            rules, True for the bundled ``protect.json``, or False/None to translate them freely.
        localize: rewrite machine translations in the target locale's conventions (see
            :mod:`translate.localize`). The keys of ``engines`` are target tags: ``en-GB`` and
            ``en-US`` may share one engine, which then translates each sentence once.
        release_engines: free a language's models once no later language uses them, so that
            one language's models are held at a time; for one document (``translate run FILE``),
            as another would load them again.
    """

    engines: Mapping[str, Engine]
    glossary: GlossaryLike | None = None
    passthrough: PassthroughRules | None = field(default_factory=PassthroughRules.load)
    options: DecodeOptions | None = None
    chunk_size: int = CHUNK_SIZE
    memory: MemoryLike | None = None
    thresholds: Thresholds | None = None
    dnt: tuple[str, ...] = ()
    checks_config: ChecksConfig | None = None
    protect: ProtectRules | bool | None = True
    localize: bool = True
    release_engines: bool = False
    _memo: dict[tuple[int, str], tuple[str, str, tuple[str | None, ...]]] = field(
        default_factory=dict, init=False, repr=False
    )
    _found: tuple[Any, tuple[SegmentTerms, ...]] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        if self.protect is True:
            self.protect = ProtectRules.load()
        elif self.protect is False:
            self.protect = None

    def translate(
        self,
        source: str | Document,
        *,
        source_path: str = "",
        progress: ProgressFn | None = None,
    ) -> dict[str, DocumentResult]:
        """Translate one document into every target language, in the order of ``engines``."""
        document = segment(source) if isinstance(source, str) else source
        self._memo.clear()  # sibling locales share within a document; memory stays bounded
        out = {}
        for lang in self.engines:
            out[lang] = self.translate_into(
                document, lang, source_path=source_path, progress=progress
            )
            self._done_with(lang)
        return out

    def _done_with(self, lang: str) -> None:
        """With ``release_engines``, free the models no language after ``lang`` uses."""
        if self.release_engines:
            later = list(self.engines)[list(self.engines).index(lang) + 1 :]
            release_unused(self.engines[lang], [self.engines[x] for x in later])

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
        marks = [document.segment_markup.get(s.id) for s in segs]
        # what the engine reads: the text, or the text with inline markup as placeholders
        sources = [s.text if m is None else m.source for s, m in zip(segs, marks, strict=True)]
        targets: list[str] = list(sources)
        # glossary matches and protected spans, found once per document (on the text without
        # tags), the same for every language
        found = self.find_terms(document)
        origins: list[str] = ["passthrough"] * len(segs)
        methods: list[tuple[str | None, ...]] = [()] * len(segs)
        todo = [i for i, t in enumerate(found) if t.passthrough is None]
        # glossary constraints, then protected spans, then inline markup placeholders
        forced = [list(t.forced) for t in found]
        for i, m in enumerate(marks):
            if m is not None and m.tags:
                forced[i] += placeholder_constraints(m)
        constrained = (
            self.glossary is not None
            or any(t.spans for t in found)
            or any(m and m.tags for m in marks)
        )
        if self.memory is not None and todo:
            # exact matches of approved translations: the engine is not asked for them
            texts = [sources[i] for i in todo]
            approved = self.memory.lookup_many(texts, lang, neutral=is_locale_neutral)
            for i in todo:
                if sources[i] in approved:
                    targets[i], origins[i] = approved[sources[i]], "memory"
            todo = [i for i in todo if origins[i] != "memory"]
        # Longest first, so each engine call gets segments of similar length.
        todo.sort(key=lambda i: (-len(segs[i].text), i))
        total = len(segs)
        done = total - len(todo)
        if progress is not None:
            progress(lang, done, total)
        # a sibling locale on the same engine already translated these sentences
        for i in todo:
            if (id(engine), sources[i]) in self._memo:
                targets[i], origins[i], methods[i] = self._memo[(id(engine), sources[i])]
        done += sum(1 for i in todo if (id(engine), sources[i]) in self._memo)
        todo = [i for i in todo if (id(engine), sources[i]) not in self._memo]
        for start in range(0, len(todo), max(1, self.chunk_size)):
            chunk = todo[start : start + self.chunk_size]
            texts = [sources[i] for i in chunk]
            cons = [forced[i] for i in chunk] if constrained else None
            outs = translate_detailed(engine, texts, cons)
            for i, out in zip(chunk, outs, strict=True):
                targets[i], origins[i], methods[i] = out.text, out.origin, out.methods
                self._memo[(id(engine), sources[i])] = (out.text, out.origin, out.methods)
            done += len(chunk)
            if progress is not None:
                progress(lang, done, total)
        # on the text with placeholders (kept like protected spans): restoring the markup
        # below computes its offsets from the localized text, and _relocate the edits'
        localized = self._localize(segs, targets, origins, forced, lang)
        results = []
        for i, s in enumerate(segs):
            markup = marks[i]
            if markup is not None:  # placeholders checked, misplaced markup moved, tags removed
                restored = restore_markup(markup, targets[i])
                markup, targets[i] = restored.markup, restored.plain
                localized[i] = relocate(localized[i], targets[i])
            terms: tuple[TermResult, ...] = ()
            protected: tuple[TermResult, ...] = ()
            if self.glossary is not None and found[i].terms:
                # a pass-through segment too: its terms are in the source it copies
                terms = tuple(
                    self.glossary.verify(targets[i], found[i].terms, found[i].matches, lang)
                )
                how = [
                    m for c, m in zip(found[i].terms, methods[i], strict=False) if c.variants(lang)
                ]
                terms = with_methods(terms, how)
            if found[i].spans:
                protected = verify(targets[i], found[i].spans, lang)
                protected = with_methods(protected, methods[i][len(found[i].terms) :])
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
                    protected=protected,
                    localized=localized[i],
                    markup=markup,
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
            markup=document.markup,
        )

    def find_terms(self, document: Document) -> tuple[SegmentTerms, ...]:
        """Each segment's pass-through rule, glossary terms and protected spans, matched once
        per document: every language, and the checks, reuse them (the last document is kept)."""
        key = (document, id(self.glossary), id(self.protect), id(self.passthrough))
        if self._found is None or self._found[0] != key:
            protect = self.protect if isinstance(self.protect, ProtectRules) else None
            found = find_terms(
                document, glossary=self.glossary, protect=protect, passthrough=self.passthrough
            )
            self._found = (key, found)
        return self._found[1]

    def _localize(
        self,
        segs: Sequence[Segment],
        targets: list[str],
        origins: Sequence[str],
        forced: Sequence[Sequence[TermConstraint]],
        lang: str,
    ) -> list[tuple[LocalizedChange, ...]]:
        """The localization stage: machine translations (not memory matches, not pass-through
        segments) rewritten in place for ``lang``'s locale; glossary terms and protected spans
        are kept. Returns each segment's changes."""
        out: list[tuple[LocalizedChange, ...]] = [() for _ in segs]
        if not self.localize:
            return out
        locale = locale_for(lang)
        for i, s in enumerate(segs):
            if origins[i] not in ("mt", "cache"):
                continue
            keep = [v for c in forced[i] for v in c.variants(lang)] + list(self.dnt)
            done = localize_segment(s.text, targets[i], locale, keep=keep)
            targets[i], out[i] = done.text, done.changes
        return out

    def provenance(self, lang: str) -> Provenance:
        """What produced a translation: tool version, model chain, decoding options, glossary."""
        engine = dict(self.engines[lang].provenance())
        decode = dict(self.options.to_dict()) if self.options is not None else None
        devices = {str((leg.get("decode") or {}).get("device")) for leg in engine.get("legs", [])}
        if decode is not None and not any(d.startswith("cuda") for d in devices):
            decode.pop("half", None)  # half precision is a GPU setting: nothing to record on CPU
        return {
            "tool": f"translate {__version__}",
            "engine": engine,
            "decode": decode,
            "glossary": {"digest": self.glossary.digest} if self.glossary is not None else None,
            "passthrough": {"digest": self.passthrough.digest}
            if self.passthrough is not None
            else None,
            "protect": {"digest": self.protect.digest}
            if isinstance(self.protect, ProtectRules)
            else None,
            "localize": localize_provenance(lang) if self.localize else None,
        }

    def evaluate(
        self, result: DocumentResult, references: References | str | os.PathLike[str] | None
    ) -> tuple[DocumentResult, GateReport | None]:
        """QA-check a translation, score it when references are given, and gate it.

        Args:
            result: the output of :meth:`translate_into`.
            references: a ``.jsonl`` reference file or loaded :class:`References`, or None.

        Returns:
            The result with checks (and references, per-segment scores, ``summary["metrics"]``
            when scored; ``summary["gate"]`` when gated) and the gate's report (None when
            :attr:`thresholds` is None).

        Raises:
            ScoreError: a reference sentence cannot be located in the document.
        """
        thresholds = self.thresholds if self.thresholds is not None else NO_GATE
        before = result
        result, report = evaluate_result(
            result,
            references,
            thresholds,
            dnt=self.dnt,
            found=self.find_terms(result.document),
            checks_config=self.checks_config,
        )
        result = keep_methods(result, before)
        # term counts as the gate saw them
        summary: ResultSummary = {**result.summary, **summarize(result.segments)}
        if self.thresholds is None:
            summary.pop("gate", None)
            return replace(result, summary=summary), None
        return replace(result, summary=summary), report

    def run(
        self,
        document: str | Document,
        out_dir: str | os.PathLike[str],
        stem: str,
        *,
        formats: Sequence[str] | str = DEFAULT_FORMATS,
        references: Mapping[str, References | str | os.PathLike[str] | None] | None = None,
        force: bool = False,
        source_path: str = "",
        progress: ProgressFn | None = None,
        export_options: ExportOptions | None = None,
    ) -> RunReport:
        """Translate into every language, check, score, gate, then export what passed.

        Every language is translated and evaluated before any file is written, so an error
        leaves no output. A language that misses its gate gets no file unless ``force``; the
        others are exported regardless.

        Args:
            document: the decoded source text or its segmentation.
            out_dir: where ``<stem>.<lang>.<ext>`` files go.
            stem: the file name stem (the source's).
            formats: export format names (see :data:`translate.export.EXPORTERS`).
            references: target language → reference file (languages absent are not scored).
            force: export languages that failed their gate too.
            source_path: recorded in each result.
            progress: ``progress(lang, done, total)`` callback.
            export_options: layout choices of the formats (such as XLIFF units).

        Raises:
            UnknownFormatError, EngineError, ScoreError, OutputError.
        """
        names = parse_formats(formats)
        # Everything that can fail without translating is checked before translating.
        check_output_dir(out_dir, output_names(stem, self.engines, names))
        evaluated = self.evaluate_document(
            document, references, source_path=source_path, progress=progress
        )
        return export_evaluated(
            evaluated, names, out_dir, stem, force=force, options=export_options
        )

    def evaluate_document(
        self,
        document: str | Document,
        references: Mapping[str, References | str | os.PathLike[str] | None] | None = None,
        *,
        source_path: str = "",
        progress: ProgressFn | None = None,
    ) -> tuple[EvaluatedLanguage, ...]:
        """:meth:`run` without the export: what a batch worker computes and its driver writes."""
        document = segment(document) if isinstance(document, str) else document
        self._memo.clear()  # sibling locales share within a document; a batch's memory stays bounded
        check_name(source_path)
        refs = {
            lang: located_references(document, ref, lang)
            for lang, ref in (references or {}).items()
        }
        evaluated = []
        for lang in self.engines:
            started = time.perf_counter()
            result = self.translate_into(document, lang, source_path=source_path, progress=progress)
            seconds = time.perf_counter() - started
            self._done_with(lang)
            ref = refs.get(lang)
            result, report = self.evaluate(result, ref)
            ref_name = None if ref is None else str(getattr(ref, "path", ref))
            evaluated.append(EvaluatedLanguage(lang, result, report, ref_name, seconds))
        return tuple(evaluated)

    def run_many(self, paths: Sequence[PathLike], out_dir: PathLike, **kwargs: Any) -> BatchReport:
        """:meth:`run` over files, folders and globs, resumably: see :mod:`translate.batch`."""
        from translate.batch.runner import run_with_pipeline

        return run_with_pipeline(self, paths, out_dir, **kwargs)


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
    protect: ProtectRules | bool | None = True,
    localize: bool = True,
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
        protect: keep URLs, e-mail addresses, @handles... verbatim (see :attr:`Pipeline.protect`).
        localize: apply the localization pass (see :attr:`Pipeline.localize`).

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
    pipeline = Pipeline(
        engines, glossary=glossary, options=options, protect=protect, localize=localize
    )
    return pipeline.translate(source, source_path=source_path, progress=progress)
