"""Markdown reader and writer: CommonMark with GFM tables and strikethrough, via markdown-it-py.

The parser's block tokens say which lines hold a heading, a paragraph (in a list item or a
quote) or a table row; their ``inline`` token holds the block's text without container markers.
Each line of that text is located in its source line, and each inline token (text, escapes and
entities, emphasis, links, images, code spans, inline HTML, breaks) is placed in turn, so every
:class:`~translate.markup.blocks.Inline` has exact offsets into the file. Code blocks, fences,
HTML blocks and front matter yield no block: they are never translated.

A block whose tokens cannot be placed exactly (a table cell with an escaped ``\\|``) is left
untranslated, with a warning, rather than risk changing the file.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from translate.markup.blocks import Block, Inline

__all__ = ["escape", "read_blocks"]

_PAIRS = {
    "em_open": "em",
    "strong_open": "strong",
    "s_open": "s",
    "link_open": "a",
}


def _parser() -> Any:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.front_matter import front_matter_plugin

    md = MarkdownIt("commonmark").enable(["table", "strikethrough"]).use(front_matter_plugin)
    md.disable("text_join")  # keep escapes and entities apart, with their source form
    return md


def read_blocks(text: str) -> tuple[list[Block], list[str]]:
    """The translatable blocks of a Markdown document and warnings about what was skipped."""
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    blocks: list[Block] = []
    warnings: list[str] = []
    stack: list[str] = []
    row: tuple[int, int] | None = None  # line of the current table row, where its cells start
    for tok in _parser().parse(text):
        if tok.nesting == 1:
            stack.append(tok.type)
            if tok.type == "tr_open" and tok.map:
                row = (tok.map[0], starts[tok.map[0]])
        elif tok.nesting == -1 and stack:
            stack.pop()
        if tok.type != "inline" or not tok.map or not tok.children:
            continue
        in_cell = bool(stack) and stack[-1] in ("th_open", "td_open")
        if in_cell and row is not None:
            line = lines[row[0]]
            base = starts[row[0]]
            at = line.find(tok.content, row[1] - base) if tok.content else -1
            cmap = None if at < 0 else list(range(base + at, base + at + len(tok.content) + 1))
            if at >= 0:
                row = (row[0], base + at + len(tok.content))
        else:
            cmap = _content_map(lines, starts, tok.map[0], tok.content)
        items = None if cmap is None else _inlines(text, tok.content, cmap, tok.children)
        if items is None:
            where = f"line {tok.map[0] + 1}"
            warnings.append(f"{where}: markup not understood, block left untranslated")
            continue
        list_item = len(stack) >= 2 and stack[-2] == "list_item_open"
        heading = bool(stack) and stack[-1] == "heading_open"
        blocks.append(Block(tuple(items), list_item, heading))
    return blocks, warnings


def _content_map(
    lines: Sequence[str], starts: Sequence[int], first: int, content: str
) -> list[int] | None:
    """Source offset of each index of ``content`` (and of its end), or None when a content line
    is not where the parser found it."""
    out: list[int] = []
    for j, part in enumerate(content.split("\n")):
        n = first + j
        if n >= len(lines):
            return None
        line = lines[n]
        if line.endswith(part):
            col = len(line) - len(part)
        elif line.rstrip().endswith(part):
            col = len(line.rstrip()) - len(part)
        else:
            col = line.find(part)
            if col < 0:
                return None
        base = starts[n] + col
        out.extend(range(base, base + len(part) + 1))  # and the line break (or the end)
    return out


def _inlines(
    text: str, content: str, cmap: Sequence[int], children: Sequence[Any]
) -> list[Inline] | None:
    """Place each inline token in ``content``; None if one is not where it should be."""
    items: list[Inline] = []
    pos = 0
    pair = 0
    opened: list[int] = []  # pair numbers of open tags
    skip = 0

    def add(
        a: int, b: int, plain: str, role: str = "text", pair_no: int = -1, name: str = ""
    ) -> None:
        items.append(Inline(cmap[a], cmap[b], plain, role, pair_no, name))

    for tok in children:
        if skip:
            skip -= 1
            continue
        kind = tok.type
        if kind in ("text", "text_special", "html_inline"):
            raw = tok.markup if kind == "text_special" else tok.content
            if not raw:
                continue
            at = content.find(raw, pos)
            if at < 0 or content[pos:at].strip():
                return None
            if at > pos:
                add(pos, at, content[pos:at])
            if kind == "html_inline":
                add(at, at + len(raw), "", "ph", -1, "html")
            else:
                add(at, at + len(raw), tok.content)
            pos = at + len(raw)
        elif kind in ("softbreak", "hardbreak"):
            nl = content.find("\n", pos)
            if nl < 0 or content[pos:nl].strip(" \\"):
                return None
            end = nl + 1
            while end < len(content) and content[end] in " \t":
                end += 1
            if kind == "softbreak":
                add(pos, end, "\n")
            else:
                add(pos, end, "\n", "ph", -1, "br")
            pos = end
        elif kind == "code_inline":
            span = _code_span(content, pos, tok.markup)
            if span is None:
                return None
            add(pos, span, tok.content, "ph", -1, "code")
            pos = span
        elif kind == "image":
            image = _image_end(content, pos)
            if image is None:
                return None
            add(pos, image, "", "ph", -1, "img")
            pos = image
        elif kind == "link_open" and tok.markup == "autolink":
            end = content.find(">", pos)
            if not content.startswith("<", pos) or end < 0:
                return None
            add(pos, end + 1, content[pos + 1 : end], "ph", -1, "link")
            pos = end + 1
            skip = 2  # its text and link_close
        elif kind in _PAIRS:
            mark = "[" if kind == "link_open" else tok.markup
            if not content.startswith(mark, pos):
                return None
            pair += 1
            opened.append(pair)
            add(pos, pos + len(mark), "", "open", pair, _PAIRS[kind])
            pos += len(mark)
        elif kind.endswith("_close") and kind.replace("_close", "_open") in _PAIRS:
            if kind == "link_close":
                close = _link_tail(content, pos)
            else:
                close = pos + len(tok.markup) if content.startswith(tok.markup, pos) else None
            if close is None or not opened:
                return None
            add(pos, close, "", "close", opened.pop(), "")
            pos = close
        else:
            return None
    if content[pos:].strip():
        return None
    if pos < len(content):
        add(pos, len(content), content[pos:])
    return _pair_html(items, text, pair)


def _pair_html(items: list[Inline], text: str, pair: int) -> list[Inline]:
    """Inline HTML start and end tags of the same element, in one block, become a pair."""
    out = list(items)
    stack: list[tuple[str, int]] = []
    for k, item in enumerate(out):
        if item.name != "html":
            continue
        raw = text[item.start : item.end]
        if raw.startswith("</"):
            name = raw[2:].rstrip(">").strip().lower()
            match = next((j for j in range(len(stack) - 1, -1, -1) if stack[j][0] == name), None)
            if match is None:
                continue
            _, i = stack[match]
            del stack[match:]
            pair += 1
            out[i] = Inline(out[i].start, out[i].end, "", "open", pair, name)
            out[k] = Inline(item.start, item.end, "", "close", pair, name)
        elif raw[1:2].isalpha() and not raw.endswith("/>"):
            name = ""
            for c in raw[1:]:
                if not (c.isalnum() or c == "-"):
                    break
                name += c
            stack.append((name.lower(), k))
    return out


def _code_span(content: str, pos: int, fence: str) -> int | None:
    """The end of the code span opened by ``fence`` at ``pos``."""
    if not content.startswith(fence, pos):
        return None
    i = pos + len(fence)
    while True:
        i = content.find(fence, i)
        if i < 0:
            return None
        j = i + len(fence)
        if content[i - 1] != "`" and (j >= len(content) or content[j] != "`"):
            return j
        while j < len(content) and content[j] == "`":
            j += 1
        i = j


def _label_end(content: str, pos: int) -> int | None:
    """The index after the ``]`` closing the link label opened at ``pos`` (nested brackets and
    backslash escapes skipped)."""
    depth = 0
    i = pos
    while i < len(content):
        c = content[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            depth += 1
        elif c == "]":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return None


def _image_end(content: str, pos: int) -> int | None:
    if not content.startswith("![", pos):
        return None
    label = _label_end(content, pos + 1)
    return None if label is None else _link_tail(content, label - 1)


def _link_tail(content: str, pos: int) -> int | None:
    """The end of ``](destination "title")``, ``][label]`` or ``]`` at ``pos``."""
    from markdown_it.helpers import parseLinkDestination, parseLinkTitle

    if not content.startswith("]", pos):
        return None
    i = pos + 1
    n = len(content)
    if content.startswith("(", i):
        i += 1
        while i < n and content[i] in " \t\n":
            i += 1
        dest = parseLinkDestination(content, i, n)
        if dest.ok:
            i = dest.pos
            while i < n and content[i] in " \t\n":
                i += 1
            title = parseLinkTitle(content, i, n)
            if title.ok:
                i = title.pos
                while i < n and content[i] in " \t\n":
                    i += 1
        return i + 1 if content.startswith(")", i) else None
    if content.startswith("[", i):
        end = content.find("]", i)
        return None if end < 0 else end + 1
    return i


_ESCAPED = set("\\`*_[]<>|~&!")
_LINE_START = set("#>+=-")


def escape(text: str, at_start: bool = True) -> str:
    """Translated text as Markdown that reads as itself: markup characters backslash-escaped,
    line breaks joined (a lost ``>`` or indent would change the structure); ``at_start`` (the
    text opens its line) also escapes what would start a heading, quote or list item there."""
    text = text.replace("\n", " ")
    out = [("\\" + c) if c in _ESCAPED else c for c in text]
    lead = len(text) - len(text.lstrip())
    if not at_start or lead == len(text):
        return "".join(out)
    if text[lead] in _LINE_START:
        out[lead] = "\\" + text[lead]
    digits = lead
    while digits < len(text) and text[digits].isdigit():
        digits += 1
    after = text[digits + 1 : digits + 2]
    if digits > lead and text[digits : digits + 1] in (".", ")") and after in ("", " ", "\t"):
        out[digits] = "\\" + text[digits]  # "1. " would start an ordered list
    return "".join(out)
