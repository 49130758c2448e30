"""From a reader's blocks to segments: the plain-text view, sentences, placeholders, offsets.

A reader (:mod:`translate.markup.markdown`, :mod:`translate.markup.html`) turns a file into
:class:`Block` objects: each is a heading, paragraph, list item, table cell... as a sequence of
:class:`Inline` items with exact offsets into the original text (text, entities and escapes,
inline tags). :func:`build_document` then

1. joins the blocks' plain texts (tags removed, entities decoded) with blank lines: the
   :class:`~translate.units.Document` text the rest of the pipeline reads (glossary matching,
   QA checks and references see the text without tags, so a term spans inline markup);
2. splits each block into sentences with the French segmenter;
3. keeps sentence boundaries only where no inline pair straddles them (a pair that wraps whole
   sentences stays in the layout; any other straddling pair joins the sentences);
4. gives each segment its span in the original and its placeholder text
   (:class:`~translate.units.SegmentMarkup`). A pair that wraps the whole segment stays in the
   layout, untouched.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from translate.markup.placeholders import form, number_tags
from translate.segment import SegmentRules, classify_block, load_rules
from translate.units import Document, InlineTag, MarkupSource, Segment, SegmentMarkup

__all__ = ["Block", "Inline", "build_document"]

#: Between blocks in the plain text.
BLOCK_SEPARATOR = "\n\n"


@dataclass(frozen=True)
class Inline:
    """One piece of a block: ``role`` is ``text``, ``open``, ``close`` or ``ph``.

    ``start``/``end`` are offsets into the original; ``plain`` is what the piece reads as (the
    text itself, ``&`` for ``&amp;``, the code of an inline code span; empty for a tag). ``pair``
    links an ``open`` to its ``close``; ``name`` is the element (``a``, ``strong``, ``code``).
    """

    start: int
    end: int
    plain: str
    role: str = "text"
    pair: int = -1
    name: str = ""

    @property
    def literal(self) -> bool:
        """Text whose plain form is its source, so it can be cut anywhere."""
        return self.role == "text" and self.end - self.start == len(self.plain)


@dataclass(frozen=True)
class Block:
    """A translatable block; ``list_item`` blocks get the segment kind ``list``."""

    items: tuple[Inline, ...]
    list_item: bool = False


def build_document(
    text: str, fmt: str, blocks: Sequence[Block], rules: SegmentRules | None = None
) -> Document:
    """The plain-text :class:`Document` of a Markdown/HTML ``text``, with its segments' markup."""
    rules = rules or load_rules()
    plain_parts: list[str] = []
    segments: list[Segment] = []
    markups: dict[str, SegmentMarkup] = {}
    offset = 0
    number = 0
    for block in blocks:
        plain = "".join(i.plain for i in block.items)
        lo = len(plain) - len(plain.lstrip())
        hi = len(plain.rstrip())
        if hi <= lo:
            continue
        if plain_parts:
            plain_parts.append(BLOCK_SEPARATOR)
            offset += len(BLOCK_SEPARATOR)
        number += 1
        spans, kind = classify_block(plain, lo, hi, block.list_item, rules)
        items = _split(block.items, spans)
        spans = _join_straddled(items, spans)
        items = _split(block.items, spans)
        for n, (s, e) in enumerate(spans, 1):
            seg_id = f"p{number}.s{n}"
            segments.append(Segment(seg_id, number, plain[s:e], offset + s, offset + e, kind))
            markups[seg_id] = _segment_markup(text, items, s, e)
        plain_parts.append(plain)
        offset += len(plain)
    return Document("".join(plain_parts), tuple(segments), MarkupSource(fmt, text), markups)


@dataclass(frozen=True)
class _Piece:
    item: Inline
    ps: int  # plain offsets within the block
    pe: int
    sentence: int  # index of the sentence holding this text, -1 in a gap or for a tag


def _split(items: Sequence[Inline], spans: Sequence[tuple[int, int]]) -> list[_Piece]:
    """Items with plain offsets, literal text cut at sentence edges, each text piece given the
    sentence it lies in."""
    cuts = sorted({p for span in spans for p in span})
    out: list[_Piece] = []
    pos = 0
    for item in items:
        end = pos + len(item.plain)
        if item.literal:
            points = [pos] + [c for c in cuts if pos < c < end] + [end]
            for a, b in zip(points, points[1:], strict=False):
                start = item.start + a - pos
                piece = Inline(start, start + b - a, item.plain[a - pos : b - pos])
                out.append(_Piece(piece, a, b, _sentence_at(spans, a, b)))
        else:  # tags read as nothing, so they lie in no sentence
            out.append(_Piece(item, pos, end, _sentence_at(spans, pos, end)))
        pos = end
    return out


def _sentence_at(spans: Sequence[tuple[int, int]], a: int, b: int) -> int:
    """The sentence whose span holds ``[a, b)`` (overlaps it, for an atomic piece), or -1."""
    if a == b:
        return -1
    for k, (s, e) in enumerate(spans):
        if a < e and b > s:
            return k
    return -1


def _join_straddled(
    pieces: list[_Piece], spans: Sequence[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Sentence spans where no pair or atomic piece straddles a boundary, except pairs that
    wrap whole sentences."""
    spans = list(spans)
    while True:
        join = _first_straddle(pieces, spans)
        if join is None:
            return spans
        f, last = join
        spans[f : last + 1] = [(spans[f][0], spans[last][1])]
        pieces = [
            _Piece(p.item, p.ps, p.pe, _sentence_at(spans, p.ps, p.pe) if p.sentence >= 0 else -1)
            for p in pieces
        ]


def _first_straddle(
    pieces: Sequence[_Piece], spans: Sequence[tuple[int, int]]
) -> tuple[int, int] | None:
    first: dict[int, int] = {}
    last: dict[int, int] = {}
    for k, p in enumerate(pieces):
        if p.sentence >= 0:
            first.setdefault(p.sentence, k)
            last[p.sentence] = k
            if not p.item.literal:  # an entity or code span over a boundary
                ends = [i for i, (s, e) in enumerate(spans) if p.ps < e and p.pe > s]
                if len(ends) > 1:
                    return ends[0], ends[-1]
    opens = {p.item.pair: k for k, p in enumerate(pieces) if p.item.role == "open"}
    for j, p in enumerate(pieces):
        if p.item.role != "close" or p.item.pair not in opens:
            continue
        i = opens[p.item.pair]
        inside = [q.sentence for q in pieces[i + 1 : j] if q.sentence >= 0]
        if not inside or inside[0] == inside[-1]:
            continue
        f, la = inside[0], inside[-1]
        if i < first[f] and j > last[la]:
            continue  # wraps whole sentences: stays in the layout
        return f, la
    return None


def _segment_markup(text: str, pieces: Sequence[_Piece], s: int, e: int) -> SegmentMarkup:
    """The original span of the sentence at plain ``[s, e)`` and its placeholder text."""
    inside = [i for i, p in enumerate(pieces) if p.sentence >= 0 and s <= p.ps and p.pe <= e]
    lo, hi = inside[0], inside[-1]
    # A tag inside the sentence takes its partner in (it can only sit at the sentence's edge).
    partner = _partners(pieces)
    changed = True
    while changed:
        changed = False
        for i in range(lo, hi + 1):
            j = partner.get(i)
            if j is not None and not lo <= j <= hi:
                lo, hi, changed = min(lo, j), max(hi, j), True
    # Pairs wrapping every piece of the range stay outside it.
    while lo < hi and partner.get(lo) == hi:
        lo, hi = lo + 1, hi - 1
    chosen = range(lo, hi + 1)
    # one id per pair (its close reuses it) and per standalone tag
    tagged = [
        k
        for k in chosen
        if pieces[k].item.role in ("open", "ph")
        or (pieces[k].item.role == "close" and not lo <= partner.get(k, -1) <= hi)
    ]
    plain = "".join(pieces[k].item.plain for k in chosen if pieces[k].sentence >= 0)
    next_id = number_tags(len(tagged), plain)
    ids: dict[int, int] = {}  # open piece index → position in tags
    tags: list[InlineTag] = []
    parts: list[str] = []
    for k in chosen:
        item = pieces[k].item
        if item.role == "text":
            if pieces[k].sentence >= 0:
                parts.append(item.plain)
            continue
        raw = text[item.start : item.end]
        j = partner.get(k)
        if item.role == "close" and j in ids:
            tag = tags[ids[j]]
            tags[ids[j]] = InlineTag(tag.id, "pc", tag.name, tag.open, raw)
            parts.append(form(tag.id, "close"))
            continue
        if item.role == "open" and j is not None and lo <= j <= hi:
            ids[k] = len(tags)
            tags.append(InlineTag(next_id, "pc", item.name, raw))
            parts.append(form(next_id, "open"))
        else:  # a standalone element, or a tag whose partner lies outside the sentence
            tags.append(InlineTag(next_id, "ph", item.name or item.role, raw, "", item.plain))
            parts.append(form(next_id, "ph"))
        next_id += 1
    return SegmentMarkup(pieces[lo].item.start, pieces[hi].item.end, "".join(parts), tuple(tags))


def _partners(pieces: Sequence[_Piece]) -> dict[int, int]:
    opens: dict[int, int] = {}
    out: dict[int, int] = {}
    for k, p in enumerate(pieces):
        if p.item.role == "open":
            opens[p.item.pair] = k
        elif p.item.role == "close" and p.item.pair in opens:
            out[k] = opens[p.item.pair]
            out[opens[p.item.pair]] = k
    return out
