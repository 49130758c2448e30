"""The translated document as plain text, in the source's exact layout, with a provenance footer."""

from __future__ import annotations

from translate.export.base import Exporter, provenance_items
from translate.units import DocumentResult

FOOTER_MARK = "-- \n"


def provenance_footer(result: DocumentResult) -> str:
    """The ``-- `` signature block appended to the text: how the translation was made."""
    lines = [f"Machine translation {result.source_lang} → {result.target_lang}."]
    lines += [f"{key}: {value}" for key, value in provenance_items(result)]
    return FOOTER_MARK + "\n".join(lines) + "\n"


class TextExporter(Exporter):
    """The rebuilt document (``DocumentResult.translated_text``) followed by a signature footer.

    Everything above the ``-- `` line is the translation with the source's layout byte for byte.
    """

    name = "txt"
    extension = "txt"
    description = "the translated document in the source's layout, with a provenance footer"

    def render(self, result: DocumentResult) -> str:
        body = result.translated_text()
        sep = "" if body.endswith("\n") else "\n"
        return body + sep + "\n" + provenance_footer(result)
