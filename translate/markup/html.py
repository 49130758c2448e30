"""HTML reader and writer, on the standard library's HTML tokenizer (``html.parser``).

The tokenizer reports every tag, text run, entity, comment and declaration with its position, so
each piece has exact offsets into the file. Block-level elements (``p``, ``h1``-``h6``, ``li``,
``td``, ``blockquote``, ``div``...) end the current block; the inline content between them (text
and ``a``, ``b``, ``em``, ``span``...) is one block. Never translated: ``script``, ``style``,
``pre``, ``textarea``, ``svg``, ``math``, ``template``, ``head`` except ``title``, elements with
``translate="no"`` or the ``notranslate`` class, and all attributes and comments. Inline ``code``,
``kbd``, ``samp``, ``var`` and inline elements marked not to be translated are copied whole; ``br``, ``img`` and other void elements are
standalone tags.

Malformed HTML is read as browsers would tolerate it: an inline tag left open at the end of its
block or a stray end tag is carried as a standalone tag, with a warning; nothing is dropped.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from translate.markup.blocks import Block, Inline

__all__ = ["escape", "read_blocks", "set_lang"]

BLOCK_ELEMENTS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "caption",
        "center",
        "dd",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "head",
        "header",
        "hgroup",
        "hr",
        "html",
        "legend",
        "li",
        "main",
        "menu",
        "nav",
        "ol",
        "option",
        "p",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "title",
        "tr",
        "ul",
        "select",
        "optgroup",
        "frameset",
        "noscript",
    ]
)
SKIPPED = frozenset(
    [
        "script",
        "style",
        "pre",
        "textarea",
        "svg",
        "math",
        "template",
        "iframe",
        "object",
        "noframes",
    ]
)
VERBATIM_INLINE = frozenset(["code", "kbd", "samp", "var"])
VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)
_LIST = frozenset({"li", "dd", "dt"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "title"})
_NO_TRANSLATE = re.compile(r"(?:^|\s)notranslate(?:\s|$)")


class _Tokenizer(HTMLParser):
    """Collects ``(kind, start, end, tag, attrs)`` events with absolute offsets."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=False)
        self.text = text
        self.line_starts = [0]
        for i, c in enumerate(text):
            if c == "\n":
                self.line_starts.append(i + 1)
        self.events: list[tuple[str, int, str, dict[str, str | None], str]] = []

    def _at(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def _add(
        self, kind: str, tag: str = "", attrs: dict[str, str | None] | None = None, plain: str = ""
    ) -> None:
        self.events.append((kind, self._at(), tag, attrs or {}, plain))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._add("start", tag, dict(attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._add("empty", tag, dict(attrs))

    def handle_endtag(self, tag: str) -> None:
        self._add("end", tag)

    def handle_data(self, data: str) -> None:
        self._add("data", plain=data)

    def handle_entityref(self, name: str) -> None:
        from html import unescape

        self._add("entity", plain=unescape(f"&{name};"))

    def handle_charref(self, name: str) -> None:
        from html import unescape

        self._add("entity", plain=unescape(f"&#{name};"))

    def handle_comment(self, data: str) -> None:
        self._add("comment")

    def handle_decl(self, decl: str) -> None:
        self._add("decl")

    def handle_pi(self, data: str) -> None:
        self._add("decl")

    def unknown_decl(self, data: str) -> None:
        self._add("decl")


def _events(text: str) -> list[tuple[str, int, int, str, dict[str, str | None], str]]:
    """Tokenizer events with their end offsets (the next event's start)."""
    tok = _Tokenizer(text)
    tok.feed(text)
    tok.close()
    evs = tok.events
    out = []
    for k, (kind, start, tag, attrs, plain) in enumerate(evs):
        end = evs[k + 1][1] if k + 1 < len(evs) else len(text)
        if kind == "entity":
            from html import unescape

            plain = unescape(text[start:end])  # "&T" without ";" reads as itself
        if kind == "data":
            plain = text[start:end]
        out.append((kind, start, end, tag, attrs, plain))
    return out


def read_blocks(text: str) -> tuple[list[Block], list[str]]:
    """The translatable blocks of an HTML document and warnings about malformed markup."""
    blocks: list[Block] = []
    warnings: list[str] = []
    current: list[Inline] = []
    list_item = heading = False
    open_stack: list[tuple[str, int]] = []  # inline tags open in the current block
    skip: list[str] = []  # the element being skipped, and nested ones of the same name
    verbatim: tuple[str, int, int] | None = None  # inline code being copied: name, start, depth
    pair = 0
    demoted: set[int] = set()  # pairs whose open tag was closed implicitly
    in_head = False
    in_title = False

    def flush() -> None:
        nonlocal current, open_stack
        if open_stack:
            names = ", ".join(f"<{n}>" for n, _ in open_stack)
            warnings.append(f"offset {current[0].start}: {names} not closed in its block")
            demoted.update(p for _, p in open_stack)
        if demoted:  # tags left without a partner: standalone codes, copied as they are
            current = [
                Inline(i.start, i.end, i.plain, "ph", -1, i.name) if i.pair in demoted else i
                for i in current
            ]
            demoted.clear()
        if current:
            blocks.append(Block(tuple(current), list_item, heading))
        current, open_stack = [], []

    for kind, start, end, tag, attrs, plain in _events(text):
        if skip:
            if kind == "start" and tag == skip[0] and tag not in VOID:
                skip.append(tag)
            elif kind == "end" and tag == skip[0]:
                skip.pop()
            continue
        if verbatim is not None:
            name, v_start, depth = verbatim
            if kind == "start" and tag == name:
                verbatim = (name, v_start, depth + 1)
            elif kind == "end" and tag == name:
                if depth == 0:
                    inner = text[v_start:end]
                    current.append(Inline(v_start, end, _text_of(inner), "ph", -1, name))
                    verbatim = None
                else:
                    verbatim = (name, v_start, depth - 1)
            continue
        if kind in ("start", "empty"):
            if tag == "head":
                in_head = True
            if tag == "title":
                in_title = True
            no = attrs.get("translate") == "no" or _NO_TRANSLATE.search(attrs.get("class") or "")
            inline = tag not in BLOCK_ELEMENTS and tag not in SKIPPED
            if (tag in SKIPPED or (no and not inline)) and kind == "start" and tag not in VOID:
                flush()
                skip = [tag]
                continue
            if tag in BLOCK_ELEMENTS:
                flush()
                list_item = tag in _LIST
                heading = tag in _HEADINGS
                continue
            if (tag in VERBATIM_INLINE or no) and kind == "start" and tag not in VOID:
                verbatim = (tag, start, 0)
                continue
            if in_head and not in_title:
                continue
            if kind == "empty" or tag in VOID:
                current.append(Inline(start, end, "\n" if tag == "br" else "", "ph", -1, tag))
            else:
                pair += 1
                open_stack.append((tag, pair))
                current.append(Inline(start, end, "", "open", pair, tag))
        elif kind == "end":
            if tag == "head":
                in_head = False
            if tag == "title":
                in_title = False
            if tag in BLOCK_ELEMENTS:
                flush()
                list_item = heading = False
                continue
            if tag in VOID:
                continue  # </br> and the like: layout
            match = next(
                (k for k in range(len(open_stack) - 1, -1, -1) if open_stack[k][0] == tag), None
            )
            if match is None:
                warnings.append(f"offset {start}: stray </{tag}>")
                current.append(Inline(start, end, "", "ph", -1, tag))
                continue
            for name, p in open_stack[match + 1 :]:  # implicitly closed: carried as standalone
                warnings.append(f"offset {start}: <{name}> closed by </{tag}>")
                demoted.add(p)
            p = open_stack[match][1]
            del open_stack[match:]
            current.append(Inline(start, end, "", "close", p, tag))
        elif kind in ("data", "entity"):
            if in_head and not in_title:
                continue
            current.append(Inline(start, end, plain))
        elif current:  # a comment or declaration inside a block
            current.append(Inline(start, end, "", "ph", -1, "comment"))
    if skip:
        warnings.append(f"<{skip[0]}> not closed before the end of the file")
    if verbatim is not None:
        warnings.append(f"<{verbatim[0]}> not closed before the end of the file")
    flush()
    return blocks, warnings


def _text_of(fragment: str) -> str:
    """The text an HTML fragment reads as (tags removed, entities decoded)."""
    return "".join(plain for kind, *_, plain in _events(fragment) if kind in ("data", "entity"))


def escape(text: str, at_start: bool = True) -> str:
    """Translated text as HTML character data (where it stands does not matter)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_LANG = re.compile(r"""(\slang\s*=\s*)("[^"]*"|'[^']*'|[^\s"'>]+)""", re.IGNORECASE)


def set_lang(text: str, lang: str) -> str:
    """``text`` with the ``lang`` attribute of its ``<html>`` start tag set to ``lang`` (added
    when missing; unchanged when the document does not start with an ``<html>`` tag)."""
    for kind, start, end, tag, _attrs, _plain in _events(text):
        if kind not in ("start", "empty"):
            continue
        if tag != "html":
            break
        head = text[start:end]
        m = _LANG.search(head)
        if m:
            new = head[: m.start(2)] + f'"{lang}"' + head[m.end(2) :]
        else:
            new = head[:5] + f' lang="{lang}"' + head[5:]
        return text[:start] + new + text[end:]
    return text
