"""Exports of a translation result: XLIFF 2.1 and 1.2, TMX 1.4b, PO, JSON, text, Markdown, HTML.

Formats are looked up by name in :data:`EXPORTERS`; an unknown name raises an error that lists the
valid ones. :func:`export_result` writes one file, :func:`export_all` writes
``<stem>.<lang>.<ext>`` for several formats at once. Every file records the result's provenance.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from translate.export.base import XLIFF_UNITS, Exporter, ExportOptions, UnknownFormatError
from translate.export.document import DocumentExporter
from translate.export.htmlpage import HtmlExporter
from translate.export.jsonfile import JsonExporter
from translate.export.markdown import MarkdownExporter
from translate.export.po import PoExporter
from translate.export.text import TextExporter
from translate.export.tmx import TmxExporter
from translate.export.xliff import XliffExporter
from translate.export.xliff12 import Xliff12Exporter
from translate.units import DocumentResult

EXPORTERS: dict[str, type[Exporter]] = {
    cls.name: cls
    for cls in (
        XliffExporter,
        Xliff12Exporter,
        TmxExporter,
        PoExporter,
        JsonExporter,
        TextExporter,
        MarkdownExporter,
        HtmlExporter,
        DocumentExporter,
    )
}
# What ``translate run`` and ``translate export`` write when no format is named: the full result
# (for re-export and review), XLIFF for CAT tools, the readable text, the review page and the
# document in its own format (for a text input, the txt file itself).
DEFAULT_FORMATS: tuple[str, ...] = ("json", "xliff", "txt", "html", "doc")

__all__ = [
    "DEFAULT_FORMATS",
    "EXPORTERS",
    "XLIFF_UNITS",
    "ExportOptions",
    "Exporter",
    "UnknownFormatError",
    "export_all",
    "export_result",
    "get_exporter",
    "output_names",
    "parse_formats",
]


def get_exporter(name: str, options: ExportOptions | None = None) -> Exporter:
    """The exporter registered as ``name`` (case-insensitive), with the user's ``options``.

    Raises:
        UnknownFormatError: no such format; the message lists the valid names.
    """
    cls = EXPORTERS.get(name.strip().lower())
    if cls is None:
        raise UnknownFormatError(
            f"unknown export format {name!r}; valid formats are: {', '.join(EXPORTERS)}."
        )
    return cls(options)


def parse_formats(spec: str | Iterable[str]) -> tuple[str, ...]:
    """Normalise ``"xliff,tmx"`` (or a list of names) to known format names, without duplicates.

    Raises:
        UnknownFormatError: a name is not registered, or no name is given.
    """
    names = spec.split(",") if isinstance(spec, str) else list(spec)
    out = tuple(dict.fromkeys(get_exporter(n).name for n in names if n.strip()))
    if not out:
        raise UnknownFormatError(
            f"no export format given; valid formats are: {', '.join(EXPORTERS)}."
        )
    return out


def export_result(
    result: DocumentResult,
    fmt: str,
    path: str | os.PathLike[str],
    options: ExportOptions | None = None,
) -> Path:
    """Write ``result`` in format ``fmt`` to ``path`` (atomically); returns the path written."""
    return get_exporter(fmt, options).export(result, path)


def output_names(stem: str, langs: Iterable[str], formats: Sequence[str] | str) -> list[str]:
    """The file names :func:`export_all` writes for ``stem`` in each language and format."""
    exporters = [get_exporter(name) for name in parse_formats(formats)]
    return [f"{stem}.{lang}.{e.extension}" for lang in langs for e in exporters]


def export_all(
    result: DocumentResult,
    formats: Sequence[str] | str,
    out_dir: str | os.PathLike[str],
    stem: str,
    options: ExportOptions | None = None,
) -> list[Path]:
    """Write ``<out_dir>/<stem>.<lang>.<ext>`` for each format; returns the paths in order.

    Every format is rendered before anything is written, so an unknown format or a result a format
    cannot represent leaves no file behind; the files are then replaced as one set (see
    :func:`translate._outputs.write_set`): a reader sees all old files or all new ones.
    """
    from translate._outputs import write_set

    exporters = [get_exporter(name, options) for name in parse_formats(formats)]
    rendered = [(e.filename(result, stem), e.render(result)) for e in exporters]
    # Two formats may name one file (doc and txt for a text input, doc and md for Markdown):
    # their content is the same, so it is written once.
    unique: dict[str, bytes] = {}
    for name, content in rendered:
        unique.setdefault(name, _as_bytes(content))
    written = write_set([(Path(out_dir) / name, data) for name, data in unique.items()])
    paths = dict(zip(unique, written, strict=True))
    return [paths[name] for name, _ in rendered]


def _as_bytes(content: str | bytes) -> bytes:
    return content.encode("utf-8") if isinstance(content, str) else content
