"""Markdown and HTML documents: read them into segments, write the translation in the same markup.

Readers are registered by format name and file extension in one place (:data:`EXTENSIONS`, so
folder batches know which article types are readable). :func:`read_document` returns the
plain-text :class:`~translate.units.Document` the pipeline translates, each segment carrying its
place in the original and its inline markup as placeholders
(:mod:`translate.markup.placeholders`); :func:`render_translation` rebuilds the original with the
translated text, byte for byte identical elsewhere. Plain text goes through
:func:`translate.segment.segment` as before.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from translate.errors import InputError
from translate.units import Document

__all__ = ["EXTENSIONS", "FORMATS", "format_for", "read_document", "readable_extensions"]

#: Input formats, for ``--input-format``.
FORMATS: tuple[str, ...] = ("text", "markdown", "html")
#: File extension (lowercase, with its dot) → input format. Anything else is read as text.
EXTENSIONS: dict[str, str] = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
}


def readable_extensions() -> tuple[str, ...]:
    """The extensions of the article types the toolkit reads (``.txt``, ``.md``, ``.html``...)."""
    return tuple(EXTENSIONS)


def format_for(path: str | os.PathLike[str], input_format: str | None = None) -> str:
    """The input format of ``path``: ``input_format`` when given, else from its extension.

    Raises:
        InputError: ``input_format`` is not one of :data:`FORMATS`.
    """
    if input_format is not None:
        if input_format not in FORMATS:
            raise InputError(
                f"unknown input format {input_format!r}; use one of {', '.join(FORMATS)}."
            )
        return input_format
    return EXTENSIONS.get(Path(path).suffix.lower(), "text")


def read_document(
    text: str, fmt: str = "text", *, abbreviations: Iterable[str | os.PathLike[str]] = ()
) -> tuple[Document, list[str]]:
    """Segment a decoded document of format ``fmt``; returns it and the reader's warnings
    (malformed HTML, Markdown blocks left untranslated). ``abbreviations`` are extra
    abbreviation files for the segmenter.

    Raises:
        InputError: ``fmt`` is unknown.
        SegmentationError: an abbreviation file is missing or malformed.
    """
    from translate.segment import load_rules, segment

    rules = load_rules(abbreviations)
    if fmt == "text":
        return segment(text, rules=rules), []
    from translate.markup.blocks import build_document

    if fmt == "markdown":
        from translate.markup.markdown import read_blocks
    elif fmt == "html":
        from translate.markup.html import read_blocks
    else:
        raise InputError(f"unknown input format {fmt!r}; use one of {', '.join(FORMATS)}.")
    blocks, warnings = read_blocks(text)
    return build_document(text, fmt, blocks, rules), warnings
