"""Format ``doc``: the translated document in the input's own format and file extension.

A Markdown or HTML input comes back as Markdown or HTML, byte for byte identical outside the
translated text (:mod:`translate.markup.writer`); a plain-text input as the ``txt`` export. The
file is ``<stem>.<lang>.<input extension>``, so for a Markdown input it is the ``md`` file and
for a text input the ``txt`` file (the same content either way).
"""

from __future__ import annotations

from pathlib import PurePath

from translate.export.base import Exporter
from translate.export.text import TextExporter
from translate.units import DocumentResult

#: Input format → the extension written when the source path has none of that format.
_EXTENSIONS = {"markdown": "md", "html": "html", "text": "txt"}


class DocumentExporter(Exporter):
    """The translation in the input's format (Markdown, HTML or text)."""

    name = "doc"
    extension = "txt"
    description = "the translated document in the input's own format: .md, .html or .txt"

    def render(self, result: DocumentResult) -> str:
        if result.markup is None:
            return TextExporter().render(result)
        from translate.markup.writer import render_translation

        return render_translation(result)

    def filename(self, result: DocumentResult, stem: str) -> str:
        name = super().filename(result, stem)
        fmt = result.markup.format if result.markup is not None else "text"
        suffix = PurePath(result.source_path).suffix.lstrip(".")
        from translate.markup import EXTENSIONS

        if EXTENSIONS.get(f".{suffix.lower()}") != fmt:
            suffix = _EXTENSIONS[fmt]
        return name[: -len(self.extension)] + suffix
