"""Glossaries: load CSV/TSV/TBX term lists, merge them, lint them, find French terms in text.

One module per job: :mod:`~translate.glossary.io` reads files (CSV, TSV, TBX),
:mod:`~translate.glossary.french` folds and pluralises French, :mod:`~translate.glossary.match`
holds the matcher (:class:`Glossary`), :mod:`~translate.glossary.merge` merges files
(:func:`load_glossary`) and :mod:`~translate.glossary.lint` checks them. The public names are
re-exported here.
"""

from __future__ import annotations

from translate._text import CJK, CJK_RANGES, term_occurrences, word_pattern, written_form
from translate.glossary.french import french_plurals
from translate.glossary.io import (
    OPTION_COLUMNS,
    SOURCE_LANG,
    RawGlossary,
    RawRow,
    known_languages,
    read_glossary_file,
)
from translate.glossary.lint import LintIssue, lint_glossaries
from translate.glossary.match import Glossary, GlossaryEntry
from translate.glossary.merge import load_glossary

__all__ = [
    "CJK",
    "CJK_RANGES",
    "OPTION_COLUMNS",
    "SOURCE_LANG",
    "Glossary",
    "GlossaryEntry",
    "LintIssue",
    "RawGlossary",
    "RawRow",
    "french_plurals",
    "known_languages",
    "lint_glossaries",
    "load_glossary",
    "read_glossary_file",
    "term_occurrences",
    "word_pattern",
    "written_form",
]
