"""Match an edited XLIFF back to the segments it was exported from, before review stores it.

CAT tools rewrite what they read: some normalise the whitespace of ``<source>``, pretty-print
``<target>`` or renumber ids. The translation memory is keyed by the exact source sentence the
next run looks up, so each edited segment is matched to its original by id *and* source
(whitespace-insensitive), or by source alone when the ids were renumbered, and carries the
original's exact source; a target padded with whitespace its source lacks is trimmed.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace

from translate.export.xliff import XliffDocument, XliffSegment


@dataclass(frozen=True)
class Original:
    """A segment as exported: its id, exact source and machine translation."""

    id: str
    source: str
    mt: str


@dataclass(frozen=True)
class Reconciled:
    """The document with original ids and sources restored, and what had to be repaired."""

    doc: XliffDocument
    padded: tuple[str, ...] = ()  # targets trimmed of whitespace padding
    renumbered: tuple[str, ...] = ()  # segments found by source text: their id had changed
    unmatched: tuple[str, ...] = ()  # segments whose id and source match no original


def normalized(text: str) -> str:
    """``text`` as whitespace- and Unicode-insensitive comparisons see it."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def _edges(text: str) -> tuple[str, str]:
    core = text.strip()
    if not core:
        return "", ""
    start = text.index(core)
    return text[:start], text[start + len(core) :]


def _trim(target: str | None, source: str) -> str | None:
    """``target`` with the leading/trailing whitespace of ``source`` instead of its own."""
    if target is None or not target.strip():
        return target
    lead, trail = _edges(source)
    return lead + target.strip() + trail


def reconcile(doc: XliffDocument, originals: Sequence[Original] | None = None) -> Reconciled:
    """Restore original ids and exact sources in ``doc``; trim padded targets.

    Args:
        doc: the XLIFF as the CAT tool saved it.
        originals: the exported segments (from the result JSON). Without them, the source the MT
            candidate recorded in the file stands in for the original when it matches.
    """
    by_id = {o.id: o for o in originals or ()}
    by_source: dict[str, Original] = {}
    for o in originals or ():
        by_source.setdefault(normalized(o.source), o)
    padded: list[str] = []
    renumbered: list[str] = []
    unmatched: list[str] = []
    fixed: dict[int, XliffSegment] = {}
    for n, seg in enumerate(doc.items):
        if not isinstance(seg, XliffSegment):
            continue
        key = normalized(seg.source)
        orig = by_id.get(seg.id)
        if orig is not None and normalized(orig.source) != key:
            orig = None
        if orig is None and originals:
            orig = by_source.get(key)
            (renumbered if orig is not None else unmatched).append(seg.id)
        if orig is not None:
            source = orig.source
        elif seg.mt_source is not None and normalized(seg.mt_source) == key:
            source = seg.mt_source
        else:
            source = seg.source
        target = _trim(seg.target, source)
        if target != seg.target:
            padded.append(seg.id)
        fixed[n] = replace(
            seg,
            id=orig.id if orig is not None else seg.id,
            source=source,
            target=target,
            mt=seg.mt if seg.mt is not None else (orig.mt if orig is not None else None),
        )
    items = tuple(fixed.get(n, item) for n, item in enumerate(doc.items))
    return Reconciled(replace(doc, items=items), tuple(padded), tuple(renumbered), tuple(unmatched))
