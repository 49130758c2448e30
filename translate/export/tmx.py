"""TMX 1.4b export and import: one ``<tu>`` per translated segment, source and target ``<tuv>``.

The header carries every attribute the DTD requires, and the provenance as ``x-`` properties.
:func:`write_tmx` and :func:`iter_tmx` are also what the translation memory uses for its
``import``/``export``. A control character XML cannot carry (U+0007, U+000C...) travels as an
empty ``<ph type="x-cp-0007"/>`` placeholder and is read back as that character, so a memory
survives its own export and import unchanged.
"""

from __future__ import annotations

import contextlib
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from translate import __version__
from translate.errors import InputError
from translate.export._xml import INVALID_XML, indent, stream_elements, tostring, xml_safe
from translate.export.base import TOOL, Exporter, corpus_metrics, provenance_items, segment_flags
from translate.langtags import base_or_none, tag_key
from translate.units import DocumentResult, one_line

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DOCTYPE = '<!DOCTYPE tmx SYSTEM "tmx14.dtd">'
_CP = re.compile(r"^x-cp-([0-9A-Fa-f]{1,6})$")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _seg(parent: ET.Element, text: str) -> None:
    """A ``<seg>`` holding ``text``; characters XML cannot carry become ``x-cp`` placeholders
    (lone surrogates, which no encoding can write, become U+FFFD)."""
    seg = ET.SubElement(parent, "seg")
    text = _SURROGATE.sub("\ufffd", text)
    pieces = INVALID_XML.split(text)
    seg.text = pieces[0]
    for char, tail in zip(INVALID_XML.findall(text), pieces[1:], strict=True):
        ph = ET.SubElement(seg, "ph", type=f"x-cp-{ord(char):04X}")
        ph.tail = tail


def _seg_text(seg: ET.Element) -> str:
    """The text of a ``<seg>``: ``x-cp`` placeholders decoded, other inline codes' text kept."""
    parts = [seg.text or ""]
    for child in seg:
        m = _CP.match(child.get("type", "")) if child.tag == "ph" else None
        if m:
            with contextlib.suppress(ValueError, OverflowError):
                parts.append(chr(int(m.group(1), 16)))
        else:
            parts.append("".join(child.itertext()))
        parts.append(child.tail or "")
    return "".join(parts)


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
    """A complete TMX 1.4b document (``segtype="sentence"``, plain text) for ``units``.

    Each ``<seg>`` is one line: soft-wrap newlines are folded to a space
    (:func:`translate.units.one_line`), as sentence-level memories expect.
    """
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
            _seg(ET.SubElement(tu, "tuv", {XML_LANG: lang}), one_line(text))
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


def read_tmx(
    path: str | os.PathLike[str], *, source_lang: str = "fr", require_source: bool = False
) -> list[TranslationUnit]:
    """The ``source_lang`` → other-language pairs of a TMX file, as a list; see :func:`iter_tmx`."""
    return list(iter_tmx(path, source_lang=source_lang, require_source=require_source))


def iter_tmx(
    path: str | os.PathLike[str], *, source_lang: str = "fr", require_source: bool = False
) -> Iterator[TranslationUnit]:
    """The ``source_lang`` → other-language pairs of a TMX file (any 1.x version), streamed.

    A ``<tu>`` yields one unit per target ``<tuv>``; languages match on their primary subtag
    (``fr-FR`` is French), and inline codes inside ``<seg>`` are dropped, their text kept. The file
    is parsed incrementally and each ``<tu>`` freed once read, so memory does not grow with the
    file; a defect is raised where it is met (the memory's import is one transaction, so it
    stores nothing then).

    Raises:
        InputError: the file is missing, not well-formed XML or not TMX; or, with
            ``require_source``, it has units but none in ``source_lang``.
    """
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{p}: no such file; check the path.")
    want = _base(source_lang)
    stack: list[ET.Element] = []
    body = False
    count = 0
    seen: set[str] = set()  # the languages met (a handful, whatever the file's size)
    try:
        for event, elem in stream_elements(p):
            if event == "start":
                if not stack and elem.tag != "tmx":
                    raise InputError(
                        f"{p} is not a TMX file (root {elem.tag!r}); give a .tmx file."
                    )
                body = body or (elem.tag == "body" and len(stack) == 1)
                stack.append(elem)
                continue
            stack.pop()
            if elem.tag != "tu":
                continue
            units = _tu_units(p, elem, want, count, seen)
            count += len(units)
            yield from units
            if stack:
                stack[-1].remove(elem)  # keep memory flat: this <tu> is done
    except ET.ParseError as err:
        raise InputError(f"{p} is not well-formed XML ({err}); give a TMX file.") from None
    if not body:
        raise InputError(f"{p} has no <body>; give a TMX file with translation units.")
    if require_source and seen and not any(_base(lang) == want for lang in seen):
        raise InputError(
            f"{p} has no {source_lang} variant in any unit (languages: {', '.join(sorted(seen))}); "
            f"give a TMX whose units hold the {source_lang} source sentence."
        )


def _tu_units(
    p: Path, tu: ET.Element, want: str, count: int, seen: set[str]
) -> list[TranslationUnit]:
    tuvs = []
    for tuv in tu.findall("tuv"):
        lang = tuv.get(XML_LANG) or tuv.get("lang") or ""
        if not lang:
            raise InputError(
                f"{p}: a <tuv> of <tu> {tu.get('tuid') or count + 1} has no xml:lang; "
                "add the language code to every <tuv>."
            )
        seg = tuv.find("seg")
        if seg is not None:
            tuvs.append((_norm_lang(lang), _seg_text(seg), tuv.get("changedate")))
    seen.update(t[0] for t in tuvs)
    sources = [t for t in tuvs if _base(t[0]) == want]
    if not sources:
        return []
    return [
        TranslationUnit(
            source=sources[0][1],
            target=text,
            target_lang=lang,
            tuid=tu.get("tuid"),
            changedate=changed or tu.get("changedate"),
        )
        for lang, text, changed in tuvs
        if _base(lang) != want and text
    ]
