"""Reference translations: where they live, reading them, aligning them to any segmentation.

References for an article ``articles/fr/<slug>.txt`` live in ``articles/<lang>/<slug>.jsonl``, one
``{"source": ..., "target": ...}`` object per French sentence. They are aligned to whatever the
current segmenter produced by locating each ``source`` in the article, so scoring keeps working
when segmentation changes; :func:`score_result` scores a translated document against them.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from translate._io import read_document
from translate.errors import ConfigError, InputError, ScoreError
from translate.langtags import base_or_none
from translate.score.metrics import corpus_scores, join_sentences
from translate.units import Document, DocumentResult, ResultSummary

__all__ = [
    "AlignedUnit",
    "Reference",
    "References",
    "align_references",
    "align_units",
    "find_references",
    "load_references",
    "locate_references",
    "reference_path",
    "score_result",
]


@dataclass(frozen=True)
class Reference:
    """One reference sentence: its French source (a substring of the article) and translation."""

    source: str
    target: str
    line: int = 0


@dataclass(frozen=True)
class References:
    """The reference translations of one article into one language."""

    lang: str
    path: str
    entries: tuple[Reference, ...]


@dataclass(frozen=True)
class AlignedUnit:
    """Segments scored together against one reference string.

    Usually one segment; several when a reference sentence straddles a segment boundary.
    """

    segment_ids: tuple[str, ...]
    reference: str


def reference_path(article: str | os.PathLike[str], lang: str) -> Path:
    """``articles/fr/<slug>.txt`` → ``articles/<lang>/<slug>.jsonl``."""
    p = Path(article)
    return p.parent.parent / lang / f"{p.stem}.jsonl"


def find_references(
    source: str | os.PathLike[str], lang: str, refs_dir: str | os.PathLike[str] | None = None
) -> Path | None:
    """The reference file of ``source`` in ``lang``, or None when there is none.

    Without ``refs_dir`` the references sit next to the source's folder, as in this repository
    (``articles/fr/<stem>.txt`` → ``articles/<lang>/<stem>.jsonl``); with it they are
    ``<refs_dir>/<lang>/<stem>.jsonl``. A locale (``en-GB``) takes its own folder when it has
    one, else its language's (``en``).

    Raises:
        InputError: ``refs_dir`` is given but is not a directory.
    """
    stem = Path(source).stem
    root = None if refs_dir is None else Path(refs_dir)
    if root is not None and not root.is_dir():
        raise InputError(
            f"{root}: not a directory; pass --refs a folder holding <lang>/{stem}.jsonl."
        )
    # a locale's own references first (articles/en-GB/), else its language's (articles/en/)
    for tag in dict.fromkeys((lang, base_or_none(lang) or lang)):
        path = reference_path(source, tag) if root is None else root / tag / f"{stem}.jsonl"
        if path.is_file():
            return path
    return None


def load_references(article_or_path: str | os.PathLike[str], lang: str) -> References:
    """Read the references of an article in ``lang``.

    Args:
        article_or_path: the French article (``articles/fr/<slug>.txt``), whose references are
            looked up in ``articles/<lang>/<slug>.jsonl``, or a ``.jsonl`` reference file itself.
        lang: target language code.

    Raises:
        InputError: the reference file is missing or unreadable.
        ConfigError: a line is not a JSON object with string ``source`` and ``target``.
    """
    p = Path(article_or_path)
    path = p if p.suffix == ".jsonl" else reference_path(p, lang)
    text = read_document(path)
    entries: list[Reference] = []
    for n, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as err:
            raise ConfigError(
                f"{path}:{n}: not valid JSON ({err.msg}); write one "
                '{"source": ..., "target": ...} object per line.'
            ) from None
        if (
            not isinstance(obj, dict)
            or not isinstance(obj.get("source"), str)
            or not isinstance(obj.get("target"), str)
            or not obj["source"].strip()
        ):
            raise ConfigError(
                f"{path}:{n}: expected an object with non-empty string fields 'source' and "
                "'target'; fix that line."
            )
        entries.append(Reference(obj["source"], obj["target"], n))
    return References(lang=lang, path=str(path), entries=tuple(entries))


def _find(text: str, needle: str, pos: int) -> tuple[int, int] | None:
    """Exact match first; then one that only differs in the kind or amount of whitespace."""
    i = text.find(needle, pos)
    if i >= 0:
        return i, i + len(needle)
    words = needle.split()
    if not words:
        return None
    m = re.compile(r"\s+".join(re.escape(w) for w in words)).search(text, pos)
    return (m.start(), m.end()) if m else None


def locate_references(text: str, refs: References) -> list[tuple[int, int]]:
    """The span of each reference's source in the article, searching forward in document order.

    Raises:
        ScoreError: a source cannot be found (the first one is named, with its line).
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    for ref in refs.entries:
        span = _find(text, ref.source.strip(), pos)
        if span is None:
            where = f"{refs.path}:{ref.line}" if ref.line else refs.path
            raise ScoreError(
                f"{where}: reference source not found in the article after offset {pos}: "
                f"{ref.source.strip()[:80]!r}; copy the sentence exactly from the article and keep "
                "the references in document order."
            )
        spans.append(span)
        pos = span[1]
    return spans


def located_references(
    document: Document, ref: References | str | os.PathLike[str] | None, lang: str
) -> References | None:
    """``ref`` loaded, once it is known that every reference sentence is found in ``document``.

    Raises:
        InputError, ConfigError: the file is missing or malformed.
        ScoreError: a reference sentence cannot be located in the document.
    """
    if ref is None:
        return None
    loaded = ref if isinstance(ref, References) else load_references(ref, lang)
    locate_references(document.text, loaded)
    return loaded


def _aligned(document: Document, refs: References) -> list[tuple[list[tuple[int, int]], str]]:
    """For each reference, the (segment index, overlap length) pairs it covers, and its target
    without the layout the segmenter leaves out of the segments (a list bullet)."""
    spans = locate_references(document.text, refs)
    out: list[tuple[list[tuple[int, int]], str]] = []
    for ref, (a, b) in zip(refs.entries, spans, strict=True):
        hits = []
        for i, seg in enumerate(document.segments):
            overlap = min(b, seg.end) - max(a, seg.start)
            if overlap > 0:
                hits.append((i, overlap))
        target = ref.target
        if hits:
            first, last = document.segments[hits[0][0]], document.segments[hits[-1][0]]
            lead = document.text[a : first.start] if a < first.start else ""
            trail = document.text[last.end : b] if b > last.end else ""
            target = without_layout(target, lead, trail)
        out.append((hits, target))
    return out


def without_layout(target: str, lead: str, trail: str) -> str:
    """``target`` without the layout ``lead``/``trail`` its source had outside the segments
    (``• `` or ``- `` before a list item), when the target repeats it, so that a perfect
    translation of the segment scores 100."""
    mark = lead.strip()
    if mark and target.lstrip().startswith(mark):
        target = target.lstrip()[len(mark) :].lstrip()
    mark = trail.strip()
    if mark and target.rstrip().endswith(mark):
        target = target.rstrip()[: -len(mark)].rstrip()
    return target


def align_units(document: Document, refs: References) -> tuple[AlignedUnit, ...]:
    """Group segments and references into units that can be scored against each other.

    Each reference goes to the segments its source overlaps; segments sharing a reference are
    merged into one unit. Segments without any reference are left out (nothing to score them
    against); references that overlap no segment are ignored.

    Raises:
        ScoreError: a reference source cannot be found in the article (the first one is named).
    """
    groups: list[tuple[int, int, list[str]]] = []  # first seg, last seg, reference texts
    for hits, target in _aligned(document, refs):
        if not hits:
            continue
        lo, hi = hits[0][0], hits[-1][0]
        if groups and lo <= groups[-1][1]:
            g_lo, g_hi, texts = groups[-1]
            groups[-1] = (g_lo, max(g_hi, hi), [*texts, target])
        else:
            groups.append((lo, hi, [target]))
    segs = document.segments
    return tuple(
        AlignedUnit(
            tuple(s.id for s in segs[lo : hi + 1]),
            join_sentences(texts, refs.lang),
        )
        for lo, hi, texts in groups
    )


def align_references(document: Document, refs: References) -> dict[str, str]:
    """Each segment's reference: the references whose French source lies inside it, joined.

    A reference that straddles a segment boundary goes to the segment holding most of it.

    Raises:
        ScoreError: a reference source cannot be found in the article (the first one is named).
    """
    parts: dict[int, list[str]] = {}
    for hits, target in _aligned(document, refs):
        if hits:
            best = max(hits, key=lambda h: h[1])[0]
            parts.setdefault(best, []).append(target)
    return {
        document.segments[i].id: join_sentences(texts, refs.lang)
        for i, texts in sorted(parts.items())
    }


def score_result(
    result: DocumentResult, references: Mapping[str, str] | References
) -> DocumentResult:
    """Fill each segment's ``reference`` and ``scores`` and ``summary["metrics"]``.

    Args:
        result: a translated document.
        references: segment id → reference (each segment scored alone), or the article's
            :class:`References`, aligned to the result's segmentation (segments that share a
            reference are scored together and carry the score of their group).

    Raises:
        ScoreError: no segment has a reference, or a reference cannot be located.
    """
    lang = result.target_lang
    by_id = {s.id: s for s in result.segments}
    if isinstance(references, References):
        units = align_units(result.document, references)
        per_segment = align_references(result.document, references)
    else:
        unknown = [k for k in references if k not in by_id]
        if unknown:
            raise ScoreError(
                f"reference given for unknown segment {unknown[0]!r}; use the segment ids of the "
                "result."
            )
        units = tuple(
            AlignedUnit((s.id,), references[s.id]) for s in result.segments if s.id in references
        )
        per_segment = dict(references)
    hyps = [join_sentences((by_id[i].target for i in u.segment_ids), lang) for u in units]
    scores = corpus_scores(
        hyps, [u.reference for u in units], lang, ids=["+".join(u.segment_ids) for u in units]
    )
    seg_figures: dict[str, dict[str, float]] = {}
    for unit, figures in zip(units, scores.segments, strict=True):
        for sid in unit.segment_ids:
            seg_figures[sid] = {"chrf": figures.chrf, "ter": figures.ter}
    new_segments = [
        replace(
            s,
            reference=per_segment.get(s.id, s.reference),
            scores={**dict(s.scores), **seg_figures.get(s.id, {})},
        )
        for s in result.segments
    ]
    covered = {sid for u in units for sid in u.segment_ids}
    metrics = scores.to_dict(segments=False)
    metrics.pop("terms", None)
    metrics["unreferenced_segments"] = [s.id for s in result.segments if s.id not in covered]
    if isinstance(references, References):
        metrics["references"] = references.path
    summary: ResultSummary = {**result.summary, "metrics": metrics}
    return replace(result, segments=tuple(new_segments), summary=summary)
