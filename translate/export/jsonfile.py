"""The translation result itself as JSON (:meth:`DocumentResult.to_dict`), and reading it back."""

from __future__ import annotations

import json
import os

from translate._io import read_document
from translate.errors import ConfigError
from translate.export.base import Exporter, layout_pieces
from translate.units import DocumentResult


class JsonExporter(Exporter):
    """The complete result: source, segments, scores, QA checks, terms, provenance and summary."""

    name = "json"
    extension = "json"
    description = "the complete translation result (input of 'translate export' and 'review')"

    def render(self, result: DocumentResult) -> str:
        return result.to_json()


def read_result(path: str | os.PathLike[str]) -> DocumentResult:
    """Load a result JSON written by ``translate run`` (or the ``json`` export) and check it.

    Raises:
        InputError: the file is missing or unreadable.
        ConfigError: it is not valid JSON, not a translation result, or its segments do not fit
            its source text.
    """
    text = read_document(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise ConfigError(
            f"{path} is not valid JSON ({err.msg} at line {err.lineno}); give a result .json "
            "written by 'translate run'."
        ) from None
    if not isinstance(data, dict):
        raise ConfigError(
            f"{path} is not a translation result; give a .json written by 'translate run'."
        )
    try:
        result = DocumentResult.from_dict(data)
    except (AttributeError, TypeError, ValueError) as err:
        raise ConfigError(
            f"{path} is not a valid translation result ({err}); re-create it with 'translate run'."
        ) from None
    for _ in layout_pieces(result):
        pass
    return result
