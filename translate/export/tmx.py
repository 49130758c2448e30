"""TMX 1.4b export and import: one ``<tu>`` per translated segment, source and target ``<tuv>``.

The header carries every attribute the DTD requires, and the provenance as ``x-`` properties.
:func:`write_tmx` and :func:`read_tmx` are also what the translation memory uses for its
``import``/``export``.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from translate import __version__
from translate.errors import InputError
from translate.export._xml import indent, tostring, xml_safe
from translate.export.base import TOOL, Exporter, corpus_metrics, provenance_items, segment_flags
from translate.langtags import base_or_none, tag_key
from translate.units import DocumentResult

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DOCTYPE = '<!DOCTYPE tmx SYSTEM "tmx14.dtd">'


@dataclass(frozen=True)
class TranslationUnit:
    """A source sentence and its translation, with optional TMX properties and notes."""

    source: str
    target: str
    target_lang: str
    tuid: str | None = None
    props: Sequence[tuple[str, str]] = field(default_factory=tuple)
    notes: Sequence[str] = field(default_factory=tuple)
    changedate: str | None = None


def write_tmx(
    units: Iterable[TranslationUnit],
    *,
    source_lang: str,
    header_props: Sequence[tuple[str, str]] = (),
    o_tmf: str = TOOL,
) -> bytes:
    """A complete TMX 1.4b document (``segtype="sentence"``, plain text) for ``units``."""
    root = ET.Element("tmx", version="1.4")
    header = ET.SubElement(
        root,
        "header",
        {
            "creationtool": TOOL,
            "creationtoolversion": __version__,
            "segtype": "sentence",
            "o-tmf": o_tmf,
            "adminlang": "en",
            "srclang": source_lang,
            "datatype": "plaintext",
        },
    )
    for key, value in header_props:
        ET.SubElement(header, "prop", type=f"x-{xml_safe(key)}").text = xml_safe(value)
    body = ET.SubElement(root, "body")
    for unit in units:
        attrs = {"tuid": xml_safe(unit.tuid)} if unit.tuid else {}
        if unit.changedate:
            attrs["changedate"] = unit.changedate
        tu = ET.SubElement(body, "tu", attrs)
        for note in unit.notes:
            ET.SubElement(tu, "note").text = xml_safe(note)
        for key, value in unit.props:
            ET.SubElement(tu, "prop", type=f"x-{xml_safe(key)}").text = xml_safe(value)
        for lang, text in ((source_lang, unit.source), (unit.target_lang, unit.target)):
            tuv = ET.SubElement(tu, "tuv", {XML_LANG: lang})
            ET.SubElement(tuv, "seg").text = xml_safe(text)
    indent(root, {"seg", "prop", "note"})
    return tostring(root, DOCTYPE)


class TmxExporter(Exporter):
    """TMX 1.4b (valid against the LISA DTD) of the translated segments, for translation memories."""

    name = "tmx"
    extension = "tmx"
    description = "TMX 1.4b translation memory of the translated segments"

    def render(self, result: DocumentResult) -> bytes:
        header = list(provenance_items(result))
        header += [(f"metric.{k}", f"{v:g}") for k, v in corpus_metrics(result).items()]
        units = (
            TranslationUnit(
                source=s.source,
                target=s.target,
                target_lang=result.target_lang,
                tuid=s.id,
                props=[("origin", s.origin)]
                + [(f"score.{k}", f"{v:g}") for k, v in s.scores.items()],
                notes=[f"{f.name}: {f.message}" for f in segment_flags(s)],
            )
            for s in result.segments
            if s.target
        )
        return write_tmx(units, source_lang=result.source_lang, header_props=header)


def _norm_lang(lang: str) -> str:
    return tag_key(lang)


def _base(lang: str) -> str:
    return base_or_none(lang) or tag_key(lang)


def read_tmx(path: str | os.PathLike[str], *, source_lang: str = "fr") -> list[TranslationUnit]:
    """The ``source_lang`` → other-language pairs of a TMX file (any 1.x version).

    A ``<tu>`` yields one unit per target ``<tuv>``; languages match on their primary subtag
    (``fr-FR`` is French), and inline codes inside ``<seg>`` are dropped, their text kept.

    Raises:
        InputError: the file is missing, not well-formed XML or not TMX.
    """
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{p}: no such file; check the path.")
    try:
        root = ET.parse(p).getroot()
    except ET.ParseError as err:
        raise InputError(f"{p} is not well-formed XML ({err}); give a TMX file.") from None
    if root.tag != "tmx":
        raise InputError(f"{p} is not a TMX file (root {root.tag!r}); give a .tmx file.")
    if root.find("body") is None:
        raise InputError(f"{p} has no <body>; give a TMX file with translation units.")
    want = _base(source_lang)
    units: list[TranslationUnit] = []
    for tu in root.iter("tu"):
        tuvs = []
        for tuv in tu.findall("tuv"):
            lang = tuv.get(XML_LANG) or tuv.get("lang") or ""
            if not lang:
                raise InputError(
                    f"{p}: a <tuv> of <tu> {tu.get('tuid') or len(units) + 1} has no xml:lang; "
                    "add the language code to every <tuv>."
                )
            seg = tuv.find("seg")
            if seg is not None:
                tuvs.append((_norm_lang(lang), "".join(seg.itertext()), tuv.get("changedate")))
        sources = [t for t in tuvs if _base(t[0]) == want]
        if not sources:
            continue
        for lang, text, changed in tuvs:
            if _base(lang) != want and text:
                units.append(
                    TranslationUnit(
                        source=sources[0][1],
                        target=text,
                        target_lang=lang,
                        tuid=tu.get("tuid"),
                        changedate=changed or tu.get("changedate"),
                    )
                )
    return units
