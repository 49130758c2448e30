"""French-aware segmentation into paragraphs and sentences with exact character offsets.

A document is split in two passes. First its structure: blank lines and hard line breaks make
paragraphs, and each paragraph is classified as a list item, byline, link line, title or prose.
Then the sentences inside each prose or list paragraph, with French rules: abbreviations (from
data files a user can extend), initials, ellipses, guillemets, spaced ``? ! : ;``, decimal
commas, URLs and domains. Every segment is an exact slice of the source, without surrounding
whitespace, so :meth:`translate.units.Document.rebuild` returns the input unchanged.

Line breaks: a blank line always ends a paragraph. A single line break also ends one, unless it
is a soft wrap: the next line does not start with a list bullet or dialogue dash, and either the
line before ends with an abbreviation or initial that never ends a sentence ("M.", "J.-P."), or
it does not end with ``. ! ? …`` and the next line starts with a lowercase letter (or the line
before ends with an opening quote/bracket, or with ``;`` and the next line does not start with a
capital, or with ``,`` unless a capital follows a short line: "Madame, Monsieur,\nNous…"). A
sentence joined across a soft wrap keeps the ``\\n`` inside its text. Most files with one
paragraph per line thus keep their lines.

Three modules, one job each: :mod:`~translate.segment.rules` reads the rule files and compiles
them (:class:`SegmentRules`), :mod:`~translate.segment.paragraphs` finds paragraphs and their
kind, :mod:`~translate.segment.sentences` finds the sentences inside a paragraph. The public
names are re-exported here.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from translate.segment.paragraphs import KINDS, classify_block, split_paragraphs
from translate.segment.rules import ABBREVIATIONS_FILE as ABBREVIATIONS_FILE  # re-exported
from translate.segment.rules import DATA_DIR, SegmentRules, load_abbreviations, load_rules
from translate.segment.rules import RULES_FILE as RULES_FILE  # re-exported
from translate.units import Document, Segment

__all__ = [
    "DATA_DIR",
    "KINDS",
    "SegmentRules",
    "classify_block",
    "load_abbreviations",
    "load_rules",
    "segment",
    "segment_file",
]


def segment(
    text: str,
    *,
    abbreviations: Iterable[str | os.PathLike[str]] = (),
    rules: SegmentRules | None = None,
) -> Document:
    """Split decoded text into paragraphs and sentences; ``Document.rebuild`` restores it exactly.

    Args:
        text: the decoded document (see :func:`translate._io.decode_text`).
        abbreviations: extra abbreviation files, in the format of the bundled
            ``data/segment/fr/abbreviations.txt``.
        rules: precompiled rules (from :func:`load_rules`); overrides ``abbreviations``.

    Returns:
        A :class:`Document` whose segments have ids ``p<paragraph>.s<n>`` and a ``kind`` among
        :data:`KINDS`.

    Raises:
        SegmentationError: an abbreviation file is missing or malformed.
    """
    rules = rules or load_rules(abbreviations)
    segments: list[Segment] = []
    for number, (start, end, is_list) in enumerate(split_paragraphs(text, rules), 1):
        spans, kind = classify_block(text, start, end, is_list, rules)
        for n, (s, e) in enumerate(spans, 1):
            segments.append(Segment(f"p{number}.s{n}", number, text[s:e], s, e, kind))
    return Document(text, tuple(segments))


def segment_file(
    path: str | os.PathLike[str],
    *,
    encoding: str | None = None,
    abbreviations: Iterable[str | os.PathLike[str]] = (),
) -> Document:
    """Read a document (UTF-8 with optional BOM unless ``encoding``) and segment it.

    Raises:
        InputError: the file is missing, a directory, empty, binary or badly encoded.
        SegmentationError: an abbreviation file is missing or malformed.
    """
    from translate._io import read_document

    return segment(read_document(path, encoding=encoding), abbreviations=abbreviations)
