"""The translated document in its source's markup: the original with each segment replaced.

Outside the segments nothing changes (front matter, code, attributes, comments, whitespace);
a segment whose translation kept the source's text and placeholders is copied from the original,
so an identity engine gives the input back byte for byte. Elsewhere the translated text is
escaped for the format and each placeholder becomes its original markup. An HTML document's
``<html lang>`` names the target language.
"""

from __future__ import annotations

from collections.abc import Callable

from translate.markup.placeholders import render
from translate.units import DocumentResult

__all__ = ["render_translation"]


def _escape(fmt: str) -> Callable[[str, bool], str]:
    if fmt == "markdown":
        from translate.markup.markdown import escape
    else:
        from translate.markup.html import escape
    return escape


def render_translation(result: DocumentResult) -> str:
    """The translation of a Markdown/HTML ``result`` in its original markup; plain text for a
    plain-text result (its layout kept)."""
    if result.markup is None:
        return result.translated_text()
    original = result.markup.text
    escape = _escape(result.markup.format)
    parts: list[str] = []
    pos = 0
    for seg in sorted(
        (s for s in result.segments if s.markup is not None),
        key=lambda s: s.markup.start,  # type: ignore[union-attr]
    ):
        m = seg.markup
        assert m is not None
        parts.append(original[pos : m.start])
        target = m.target or m.source
        if target == m.source:
            parts.append(original[m.start : m.end])
        else:
            parts.append(render(m, target, escape))
        pos = m.end
    parts.append(original[pos:])
    text = "".join(parts)
    if result.markup.format == "html":
        from translate.markup.html import set_lang

        text = set_lang(text, result.target_lang)
    return text
