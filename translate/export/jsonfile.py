"""The translation result itself as JSON (:meth:`DocumentResult.to_dict`), and reading it back."""

from __future__ import annotations

import os

from translate._io import read_document
from translate.export.base import Exporter, layout_pieces, public_result
from translate.units import DocumentResult


class JsonExporter(Exporter):
    """The complete result: source, segments, scores, QA checks, terms, provenance and summary."""

    name = "json"
    extension = "json"
    description = "the complete translation result (input of 'translate export' and 'review')"

    def render(self, result: DocumentResult) -> str:
        return public_result(result).to_json()


def read_result(path: str | os.PathLike[str]) -> DocumentResult:
    """Load a result JSON written by ``translate run`` (or the ``json`` export) and check it.

    Raises:
        InputError: the file is missing or unreadable.
        ConfigError: it is not valid JSON, not a translation result, or its segments do not fit
            its source text.
    """
    result = DocumentResult.from_json(read_document(path), str(path))
    for _ in layout_pieces(result):
        pass
    return result
