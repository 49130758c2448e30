"""The result summary: what a translated document's segments add up to.

One owner for :class:`translate.units.ResultSummary`: counts by origin, WMT21 exact-match term
accuracy, protected spans kept, how the engine met each term (free, repair, constrained), the
localization pass's changes and, for Markdown/HTML input, inline markup placed or fallen back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from translate.engine.base import METHODS
from translate.units import (
    DocumentResult,
    LocalizedChange,
    ResultSummary,
    SegmentResult,
    TermResult,
)

__all__ = ["ORIGINS", "summarize", "term_summary"]

ORIGINS = ("mt", "cache", "memory", "passthrough")


def relocate(changes: Sequence[LocalizedChange], text: str) -> tuple[LocalizedChange, ...]:
    """Localization edits made on a text with placeholders, placed in ``text`` without them
    (restoring moves tags, never words, so the edits come in the same order)."""
    out = []
    pos = 0
    for c in sorted(changes, key=lambda c: c.start):
        at = text.find(c.after, pos)
        if at < 0:
            continue  # the edit's text did not survive: nothing left to point at
        out.append(replace(c, start=at, end=at + len(c.after)))
        pos = at + len(c.after)
    return tuple(out)


def _share(part: int, whole: int) -> float | None:
    """``part / whole`` as the result JSON stores a share (6 decimals); None when ``whole`` is 0."""
    return round(part / whole, 6) if whole else None


def term_summary(segments: Sequence[SegmentResult]) -> ResultSummary:
    """The one home of the glossary-term figures: ``terms_required``, ``terms_found`` and their
    WMT21 exact-match share ``term_accuracy`` (None without terms), from the segments'
    :class:`~translate.units.TermResult` records. Protected spans are counted apart."""
    required = sum(len(s.terms) for s in segments)
    found = sum(1 for s in segments for t in s.terms if t.satisfied)
    return {
        "terms_required": required,
        "terms_found": found,
        "term_accuracy": _share(found, required),
    }


def summarize(segments: Sequence[SegmentResult]) -> ResultSummary:
    """Segment counts by origin, WMT21 exact-match accuracy of glossary terms (None without
    terms) and, separately, how many protected spans were kept verbatim."""
    origins = dict.fromkeys(ORIGINS, 0)
    for s in segments:
        origins[s.origin] = origins.get(s.origin, 0) + 1
    spans = sum(len(s.protected) for s in segments)
    changes = sum(len(s.localized) for s in segments)
    kept = sum(1 for s in segments for t in s.protected if t.satisfied)
    marked = [s.markup for s in segments if s.markup is not None]
    markup = None
    if marked:
        markup = {
            "tags": sum(len(m.tags) for m in marked),
            "fallbacks": sum(len(m.issues) for m in marked),
            "segments_with_fallback": [s.id for s in segments if s.markup and s.markup.issues],
        }
    term_methods = dict.fromkeys(METHODS, 0)
    span_methods = dict.fromkeys(METHODS, 0)
    for s in segments:
        for t in s.terms:
            if t.method in term_methods:
                term_methods[t.method] += 1
        for t in s.protected:
            if t.method in span_methods:
                span_methods[t.method] += 1
    return {
        "segments": len(segments),
        "origins": origins,
        **term_summary(segments),
        "term_methods": term_methods,
        "protected": {
            "required": spans,
            "found": kept,
            "accuracy": _share(kept, spans),
            "missing": [t.source for s in segments for t in s.protected if not t.satisfied],
            "methods": span_methods,
        },
        "localized": changes,
        **({"markup": markup} if markup is not None else {}),
    }


def with_methods(
    results: tuple[TermResult, ...], methods: Sequence[str | None]
) -> tuple[TermResult, ...]:
    """``results`` with how the engine met each (in order; None where it could not say)."""
    how = list(methods)
    return tuple(replace(t, method=how[k] if k < len(how) else None) for k, t in enumerate(results))


def keep_methods(result: DocumentResult, before: DocumentResult) -> DocumentResult:
    """Methods of ``before``'s terms carried over to ``result``'s re-verified terms."""
    segments = []
    for seg, old in zip(result.segments, before.segments, strict=True):
        how = {(t.headword, t.source, k): t.method for k, t in enumerate(old.terms)}
        terms = tuple(
            replace(t, method=how.get((t.headword, t.source, k), t.method))
            for k, t in enumerate(seg.terms)
        )
        segments.append(replace(seg, terms=terms))
    return replace(result, segments=tuple(segments))
