"""French-aware segmentation into paragraphs and sentences with exact character offsets.

(Interim version: paragraph split on line breaks and a naive sentence split. The French rule set
replaces it.)
"""

from __future__ import annotations

import re

from translate.units import Document, Segment

_SENT_END = re.compile(r"(?<=[.!?…])\s+(?=[A-ZÀ-ÖØ-Þ«\"“])")


def segment(text: str) -> Document:
    """Split decoded text into segments; ``Document.rebuild`` restores it exactly."""
    segments: list[Segment] = []
    paragraph = 0
    for line in re.finditer(r"[^\n]+", text):
        if not line.group().strip():
            continue
        paragraph += 1
        pos = line.start()
        pieces = _SENT_END.split(line.group())
        offset = 0
        for n, piece in enumerate(pieces, 1):
            local = line.group().index(piece, offset)
            stripped = piece.strip()
            lead = len(piece) - len(piece.lstrip())
            start = pos + local + lead
            segments.append(
                Segment(f"p{paragraph}.s{n}", paragraph, stripped, start, start + len(stripped))
            )
            offset = local + len(piece)
    return Document(text, tuple(segments))
