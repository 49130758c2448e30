"""Post-edit review: what a translator changed in an XLIFF file, and what to keep in memory.

The XLIFF written by ``translate export`` carries the machine translation of each segment as a
match candidate, so after editing in a CAT tool the file itself says how far each final target is
from the MT. Effort is reported with sacrebleu: chrF of the MT against the edited target (100 = no
change) and TER, the share of words edited (HTER; 0 = no change), per segment and for the
document. Segments marked ``reviewed`` or ``final`` are the ones worth storing in the memory;
in a file exported by the review page, where editors approve as ``final`` and an edited or
rejected segment stays ``translated``, only ``final`` ones are.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from translate.export.xliff import XliffDocument, XliffSegment
from translate.memory import MemoryEntry, TranslationMemory


@dataclass(frozen=True)
class SegmentEffort:
    """How much one segment was post-edited."""

    id: str
    state: str
    source: str
    mt: str
    final: str
    edited: bool
    chrf: float
    ter: float


@dataclass(frozen=True)
class EffortReport:
    """Per-segment and document post-edit effort, with the sacrebleu signatures used.

    ``segments`` holds the segments whose MT and final target are both known; ``approved`` counts
    segments in state reviewed/final, ``unknown_mt`` those whose MT could not be found.
    """

    segments: tuple[SegmentEffort, ...]
    chrf: float | None
    ter: float | None
    approved: int
    unknown_mt: int
    signatures: Mapping[str, str] = field(default_factory=dict)

    @property
    def edited(self) -> int:
        return sum(s.edited for s in self.segments)

    def to_dict(self) -> dict[str, Any]:
        return {
            "segments": [asdict(s) for s in self.segments],
            "total": {
                "segments": len(self.segments),
                "edited": self.edited,
                "approved": self.approved,
                "unknown_mt": self.unknown_mt,
                "chrf": self.chrf,
                "ter": self.ter,
            },
            "signatures": dict(self.signatures),
        }


def post_edit_effort(doc: XliffDocument, mt: Mapping[str, str] | None = None) -> EffortReport:
    """Compare each segment's final target with its machine translation.

    Args:
        doc: the edited XLIFF, read with :func:`translate.export.xliff.read_xliff`.
        mt: MT by segment id, for files whose CAT tool dropped the match candidates (for example
            from the result JSON); candidates in the file win.
    """
    from sacrebleu.metrics import CHRF, TER

    chrf, ter = CHRF(), TER()
    rows: list[SegmentEffort] = []
    unknown = 0
    for seg in doc.segments:
        machine = seg.mt if seg.mt is not None else (mt or {}).get(seg.id)
        if seg.target is None or not seg.target.strip():
            continue
        if machine is None:
            unknown += 1
            continue
        rows.append(
            SegmentEffort(
                id=seg.id,
                state=seg.state,
                source=seg.source,
                mt=machine,
                final=seg.target,
                edited=machine != seg.target,
                chrf=round(chrf.sentence_score(machine, [seg.target]).score, 2),
                ter=round(ter.sentence_score(machine, [seg.target]).score, 2),
            )
        )
    corpus_chrf = corpus_ter = None
    signatures: dict[str, str] = {}
    if rows:
        hyps = [r.mt for r in rows]
        refs = [[r.final for r in rows]]
        corpus_chrf = round(chrf.corpus_score(hyps, refs).score, 2)
        corpus_ter = round(ter.corpus_score(hyps, refs).score, 2)
        signatures = {"chrf": str(chrf.get_signature()), "ter": str(ter.get_signature())}
    return EffortReport(
        segments=tuple(rows),
        chrf=corpus_chrf,
        ter=corpus_ter,
        approved=sum(is_approved(doc, s) for s in doc.segments),
        unknown_mt=unknown,
        signatures=signatures,
    )


def is_approved(doc: XliffDocument, seg: XliffSegment) -> bool:
    """Whether ``seg`` was approved: ``final`` in a review-page export, else reviewed or final."""
    return seg.state == "final" if doc.review_page else seg.approved


def approved_segments(doc: XliffDocument) -> list[XliffSegment]:
    """Segments a translator approved (:func:`is_approved`), with a non-empty target."""
    return [s for s in doc.segments if is_approved(doc, s) and s.target and s.target.strip()]


def store_approved(doc: XliffDocument, memory: TranslationMemory) -> int:
    """Store the approved segments of ``doc`` in ``memory``; returns how many were new or changed.

    When one source sentence was approved twice with different targets, a ``final`` one wins over
    a ``reviewed`` one, and otherwise the later one in the document.
    """
    ordered = sorted(approved_segments(doc), key=lambda s: s.state == "final")
    return memory.add_many(
        MemoryEntry(s.source, doc.trg_lang, s.target or "", origin=f"review:{s.state}")
        for s in ordered
    )
