"""Merging glossary files into one :class:`~translate.glossary.match.Glossary` (first file wins)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from translate.glossary.french import fold
from translate.glossary.io import SOURCE_LANG, RawGlossary, read_glossary_file
from translate.glossary.match import Glossary, GlossaryEntry

__all__ = ["french_key", "load_glossary"]


def french_key(form: str, case_sensitive: bool) -> str:
    key = " ".join(fold(form, lower=not case_sensitive, accents=False).split())
    return key.replace("-", "")


def _merge(raws: Sequence[RawGlossary]) -> list[GlossaryEntry]:
    """Merge rows: the first file (and within a file the first row) wins for each language it
    fills; a later duplicate only fills languages the winner lacks."""
    merged: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    for raw in raws:
        for row in raw.rows:
            fr = row.cells.get(SOURCE_LANG, ())
            if not fr:
                continue
            key = french_key(fr[0], row.case_sensitive)
            if key in index:
                winner = merged[index[key]]
                for lang, forms in row.cells.items():
                    if forms and not winner["terms"].get(lang):
                        winner["terms"][lang] = forms
                continue
            index[key] = len(merged)
            merged.append(
                {
                    "id": row.entry_id,
                    "terms": {lang: forms for lang, forms in row.cells.items() if forms},
                    "note": row.note,
                    "case_sensitive": row.case_sensitive,
                    "dnt": row.dnt,
                    "source": raw.path,
                    "line": row.line,
                }
            )
    return [GlossaryEntry(**m) for m in merged]


def load_glossary(
    paths: Sequence[str | Path] | str | Path, *, accent_insensitive: bool = False
) -> Glossary:
    """Load and merge glossary files (CSV, TSV, TBX) into one :class:`Glossary`.

    Precedence: the first file given wins where two files define the same French term (and the
    first row wins within a file); later files only fill languages the winner leaves empty.

    Raises:
        GlossaryError: a file is missing or malformed (see :func:`read_glossary_file`).
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    raws = [read_glossary_file(p) for p in paths]
    return Glossary(_merge(raws), accent_insensitive=accent_insensitive)
