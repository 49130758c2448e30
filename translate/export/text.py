"""The translated document as plain text, in the source's exact layout and nothing else.

The file is ready to publish: provenance (models, digests, metric signatures) lives in the JSON,
XLIFF, TMX, PO and HTML exports, never in the document itself.
"""

from __future__ import annotations

from translate.export.base import Exporter
from translate.units import DocumentResult


class TextExporter(Exporter):
    """The rebuilt document (``DocumentResult.translated_text``), the source's layout byte for byte."""

    name = "txt"
    extension = "txt"
    description = "the translated document in the source's layout, ready to publish"

    def render(self, result: DocumentResult) -> str:
        return result.translated_text()
