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

from bisect import bisect_left, bisect_right
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
    """A translatable block; ``list_item`` blocks get the segment kind ``list``, a ``heading``
    read as one segment the kind ``title``."""

    items: tuple[Inline, ...]
    list_item: bool = False
    heading: bool = False


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
        spans = _join_straddled(block.items, spans)
        if block.heading and len(spans) == 1:
            kind = "title"  # the markup says so, whatever its punctuation
        pieces = _split(block.items, spans)
        partner = _partners(pieces)
        for n, (lo_k, hi_k) in enumerate(_ranges(pieces, len(spans))):
            s, e = spans[n]
            seg_id = f"p{number}.s{n + 1}"
            segments.append(Segment(seg_id, number, plain[s:e], offset + s, offset + e, kind))
            markups[seg_id] = _segment_markup(text, pieces, partner, lo_k, hi_k)
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
    sentence it lies in (tags lie in none)."""
    cuts = sorted({p for span in spans for p in span})
    starts = [a for a, _ in spans]
    out: list[_Piece] = []
    pos = 0
    for item in items:
        end = pos + len(item.plain)
        if item.literal:
            inner = cuts[bisect_right(cuts, pos) : bisect_left(cuts, end)]
            points = [pos, *inner, end]
            for a, b in zip(points, points[1:], strict=False):
                start = item.start + a - pos
                piece = Inline(start, start + b - a, item.plain[a - pos : b - pos])
                out.append(_Piece(piece, a, b, _sentence_at(spans, starts, a, b)))
        else:
            out.append(_Piece(item, pos, end, _sentence_at(spans, starts, pos, end)))
        pos = end
    return out


def _overlapping(
    spans: Sequence[tuple[int, int]], starts: Sequence[int], a: int, b: int
) -> tuple[int, int]:
    """The first and last index of the spans that overlap ``[a, b)`` (first > last: none)."""
    last = bisect_left(starts, b) - 1  # spans starting before b
    first = last
    while first >= 0 and spans[first][1] > a:
        first -= 1
    return first + 1, last


def _sentence_at(spans: Sequence[tuple[int, int]], starts: Sequence[int], a: int, b: int) -> int:
    """The (first) sentence overlapping ``[a, b)``, or -1 (an empty piece overlaps none)."""
    if a == b:
        return -1
    first, last = _overlapping(spans, starts, a, b)
    return first if first <= last else -1


def _join_straddled(
    items: Sequence[Inline], spans: Sequence[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Sentence spans where no pair or atomic piece straddles a boundary, except pairs that
    wrap whole sentences. Each pass joins every straddle it finds; a join can only make an
    edge-to-edge pair straddle, so passes are few."""
    spans = list(spans)
    while True:
        joins = _straddles(_split(items, spans), spans)
        if not joins:
            return spans
        keep = [True] * len(spans)  # whether span k starts a new sentence
        for f, last in joins:
            for k in range(f + 1, last + 1):
                keep[k] = False
        merged: list[tuple[int, int]] = []
        for k, span in enumerate(spans):
            if keep[k] or not merged:
                merged.append(span)
            else:
                merged[-1] = (merged[-1][0], span[1])
        spans = merged


def _straddles(pieces: Sequence[_Piece], spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Runs of sentences ``(first, last)`` that a pair or an atomic piece holds together."""
    starts = [a for a, _ in spans]
    first: dict[int, int] = {}
    last: dict[int, int] = {}
    out: list[tuple[int, int]] = []
    for k, p in enumerate(pieces):
        if p.sentence >= 0:
            first.setdefault(p.sentence, k)
            last[p.sentence] = k
            if not p.item.literal:  # an entity or a code span over a boundary
                f, la = _overlapping(spans, starts, p.ps, p.pe)
                if la > f:
                    out.append((f, la))
    # the sentence of the first content piece at or after k, and of the last at or before k
    after = [-1] * (len(pieces) + 1)
    for k in range(len(pieces) - 1, -1, -1):
        after[k] = pieces[k].sentence if pieces[k].sentence >= 0 else after[k + 1]
    before = [-1] * (len(pieces) + 1)
    for k, p in enumerate(pieces):
        before[k + 1] = p.sentence if p.sentence >= 0 else before[k]
    for i, j in _partners(pieces).items():
        if i > j:
            continue
        f, la = after[i + 1], before[j]
        if f < 0 or la < 0 or la <= f:
            continue  # no text inside, or all in one sentence
        if i < first[f] and j > last[la]:
            continue  # wraps whole sentences: stays in the layout
        out.append((f, la))
    return out


def _ranges(pieces: Sequence[_Piece], count: int) -> list[tuple[int, int]]:
    """For each sentence, the indices of its first and last content piece."""
    ranges = [(-1, -1)] * count
    for k, p in enumerate(pieces):
        if p.sentence >= 0:
            lo, _ = ranges[p.sentence]
            ranges[p.sentence] = (k if lo < 0 else lo, k)
    return ranges


def _segment_markup(
    text: str, pieces: Sequence[_Piece], partner: dict[int, int], lo: int, hi: int
) -> SegmentMarkup:
    """The original span of the sentence whose content pieces run from ``lo`` to ``hi``, and
    its placeholder text."""
    # A tag inside the sentence takes its partner in (it can only sit at the sentence's edge);
    # each piece is looked at once as the range grows.
    todo = list(range(lo, hi + 1))
    while todo:
        j = partner.get(todo.pop())
        if j is not None and j < lo:
            todo.extend(range(j, lo))
            lo = j
        elif j is not None and j > hi:
            todo.extend(range(hi + 1, j + 1))
            hi = j
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
