"""The translated document as Markdown: title as a heading, paragraphs, links; nothing else.

Segment kinds from the segmenter choose the markup (``title`` → heading, ``byline`` → emphasis,
``list`` → list item, URLs → autolinks); without a ``title`` segment, a first paragraph of one
short segment with no final punctuation is taken as the title. Text is escaped so that nothing in
the translation turns into unintended Markdown. Like the text export, the file holds the document
only (ready to publish); provenance lives in the JSON, XLIFF, TMX, PO and HTML exports.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from translate.export.base import Exporter, layout_pieces
from translate.units import DocumentResult, SegmentResult

TITLE_MAX_CHARS = 150
_URL = re.compile(r"https?://[^\s<>\"]+[^\s<>\".,;:!?)»']")
_INLINE = re.compile(r"([\\`*_\[\]<>|])|&(?=#?\w+;)")
_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d+[.)])", re.MULTILINE)


def escape_markdown(text: str) -> str:
    """Backslash-escape what Markdown would read as markup; URLs become ``<autolinks>``."""
    out: list[str] = []
    pos = 0
    for m in _URL.finditer(text):
        out.append(_escape_plain(text[pos : m.start()]))
        out.append(f"<{m.group()}>")
        pos = m.end()
    out.append(_escape_plain(text[pos:]))
    return _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), "".join(out))


def _escape_plain(text: str) -> str:
    return _INLINE.sub(lambda m: "\\" + m.group(), text)


def _paragraphs(result: DocumentResult) -> Iterator[tuple[str, str]]:
    """``(kind, translated text)`` per paragraph; layout inside a paragraph is kept."""
    current: list[str] = []
    kind = ""
    paragraph: int | None = None
    pending = ""
    for text, seg in layout_pieces(result):
        if seg is None:
            pending = text
            continue
        if paragraph is not None and seg.paragraph != paragraph:
            yield kind, "".join(current)
            current, pending = [], ""
        if paragraph is None or seg.paragraph != paragraph:
            kind = seg.kind
        paragraph = seg.paragraph
        current.append(pending + _target(seg))
        pending = ""
    if current:
        yield kind, "".join(current)


def _target(seg: SegmentResult) -> str:
    return seg.target if seg.target else seg.source


def _looks_like_title(result: DocumentResult) -> bool:
    if any(s.kind == "title" for s in result.segments) or not result.segments:
        return False
    first = [s for s in result.segments if s.paragraph == result.segments[0].paragraph]
    text = _target(first[0]).strip()
    return len(first) == 1 and 0 < len(text) <= TITLE_MAX_CHARS and text[-1] not in ".!?…:;,"


class MarkdownExporter(Exporter):
    """The translated document in Markdown, ready to publish."""

    name = "md"
    extension = "md"
    description = (
        "the translated document as Markdown (title heading, links), ready to publish; for a "
        "Markdown input, the translation in the input's own markup (as doc)"
    )

    def render(self, result: DocumentResult) -> str:
        if result.markup is not None and result.markup.format == "markdown":
            from translate.markup.writer import render_translation

            return render_translation(result)  # a Markdown input: the same file as format doc
        blocks: list[str] = []
        titles = 0
        implicit_title = _looks_like_title(result)
        for n, (kind, text) in enumerate(_paragraphs(result)):
            body = escape_markdown(text.strip())
            if kind == "title" or (n == 0 and implicit_title):
                titles += 1
                blocks.append(("# " if titles == 1 else "## ") + " ".join(body.split()))
            elif kind == "byline":
                blocks.append(f"*{body}*")
            elif kind in ("list", "item"):
                item = "- " + body
                if blocks and blocks[-1].startswith("- "):
                    blocks[-1] += "\n" + item
                else:
                    blocks.append(item)
            else:
                blocks.append(body)
        return "\n\n".join(blocks) + "\n"
