"""Showing document text on a terminal safely: control characters become visible symbols.

A document (or a file name) may hold escape sequences (``\\x1b]0;title\\x07`` sets the window
title, ``\\x1b[2J`` clears the screen) or bidirectional overrides that reorder what is shown.
Printed raw they act on the user's terminal; here each such character becomes one visible
symbol (U+2400 "control pictures" for C0 and DEL, U+FFFD for C1 controls and bidi overrides),
so offsets into the text stay valid for styling. JSON output keeps the exact text (escaped by
JSON itself); rich tables get :class:`rich.text.Text` cells, so ``[/]`` in a document is text,
not markup.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from rich.text import Text

# C0 controls except tab and newline, DEL, C1 controls, bidi embeddings, overrides and isolates.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)
    return "\u2421" if code == 0x7F else "\ufffd"


def visible(text: str) -> str:
    """``text`` with every terminal control character replaced by one visible symbol."""
    return _UNSAFE.sub(_picture, text)


def for_stream(text: str, stream: TextIO) -> str:
    """:func:`visible` when ``stream`` is a terminal; the exact text for pipes and files."""
    isatty = getattr(stream, "isatty", None)
    return visible(text) if isatty is not None and isatty() else text


_RAW_IN_JSON = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def json_text(data: object) -> str:
    """``json.dumps(data, ensure_ascii=False)`` with the controls JSON leaves raw (DEL, C1, bidi)
    escaped as ``\\uXXXX`` too: the same JSON value, harmless when it reaches a terminal."""
    import json

    dumped = json.dumps(data, ensure_ascii=False)
    return _RAW_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped)


def cell(text: str) -> Text:
    """A rich table cell showing ``text`` literally and safely (no markup, no controls)."""
    from rich.text import Text

    return Text(visible(text))
