"""XLIFF 2.1 export: one ``<unit>`` per paragraph, one ``<segment>`` per sentence.

The layout between segments goes into ``<ignorable>`` elements, so concatenating every
segment's and ignorable's text rebuilds the document exactly. The machine translation is kept as a
matches-module candidate (``<mtc:match type="mt" subType="translate:output">``), so a file edited in
a CAT tool still says what the machine proposed; scores, QA flags, references and glossary-term
outcomes travel as notes (for the translator) and metadata (for ``translate review``); matched
glossary terms use the glossary module; provenance sits in the file's metadata and notes.
Reading a file back (after a CAT tool) is :mod:`translate.export.xliff_reader`, whose names are
re-exported here.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Mapping

from translate import __version__
from translate.export._xml import INVALID_XML, indent, tostring, xml_safe
from translate.export.base import (
    TOOL,
    Exporter,
    corpus_metrics,
    document_path,
    layout_pieces,
    provenance_items,
    segment_flags,
)
from translate.export.xliff_reader import (
    APPROVED,
    GLS,
    MDA,
    MTC,
    OUTPUT_SUBTYPE,
    REVIEW_PAGE,
    STATES,
    XLF,
    XliffDocument,
    XliffSegment,
    parse_xliff,
    read_xliff,
)
from translate.export.xliff_reader import qname as _q
from translate.markup.placeholders import pieces as placeholder_pieces
from translate.units import DocumentResult, SegmentMarkup, SegmentResult

__all__ = [
    "APPROVED",
    "GLS",
    "MDA",
    "MTC",
    "OUTPUT_SUBTYPE",
    "PREFIXES",
    "REVIEW_PAGE",
    "STATES",
    "XLF",
    "XliffDocument",
    "XliffExporter",
    "XliffSegment",
    "parse_xliff",
    "read_xliff",
    "xliff_units",
]

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
PREFIXES = {"mtc": MTC, "gls": GLS, "mda": MDA}
# How a segment's origin maps to its XLIFF state and to the type of its match candidate.
_ORIGIN_STATE = {"memory": "reviewed"}
_ORIGIN_MATCH = {"mt": "mt", "cache": "mt", "memory": "tm"}
_LEAVES = frozenset(
    f"{{{ns}}}{tag}"
    for ns, tag in (
        (XLF, "source"),
        (XLF, "target"),
        (XLF, "note"),
        (MDA, "meta"),
        (GLS, "term"),
        (GLS, "translation"),
        (XLF, "data"),
    )
)
_NMTOKEN = re.compile(r"^[\w.\-:]+$")
_PRIORITY = {"high": "1", "medium": "3", "low": "7"}


def _content(elem: ET.Element, text: str) -> None:
    """Set inline content, writing characters XML cannot carry as ``<cp hex="..."/>``."""
    pieces = INVALID_XML.split(text)
    bad = INVALID_XML.findall(text)
    elem.text = pieces[0]
    for char, tail in zip(bad, pieces[1:], strict=True):
        cp = ET.SubElement(elem, _q(XLF, "cp"), hex=f"{ord(char):04X}")
        cp.tail = tail


_CODE_TYPES = {"a": "link", "link": "link", "img": "image"}


def _original_data(unit: ET.Element, segs: list[SegmentResult], ids: Mapping[str, str]) -> None:
    """``<originalData>``: the Markdown/HTML each inline code stands for, attributes included."""
    data = ET.SubElement(unit, _q(XLF, "originalData"))
    for seg in segs:
        assert seg.markup is not None
        for tag in seg.markup.tags:
            base = f"d{ids[seg.id]}-{tag.id}"
            if tag.kind == "pc":
                _text(data, _q(XLF, "data"), tag.open, id=f"{base}s")
                _text(data, _q(XLF, "data"), tag.close, id=f"{base}e")
            else:
                _text(data, _q(XLF, "data"), tag.open, id=base)


def _coded(elem: ET.Element, markup: SegmentMarkup, text: str, seg_id: str) -> None:
    """Inline content with the segment's markup as ``<pc>`` (pairs) and ``<ph/>`` (standalone
    codes), each pointing at its original data."""
    stack = [elem]
    last: ET.Element | None = None  # the element whose tail the next text extends
    for chunk, tag, role in placeholder_pieces(markup, text):
        if tag is None:
            chunk = xml_safe(chunk)
            if last is None:
                stack[-1].text = (stack[-1].text or "") + chunk
            else:
                last.tail = (last.tail or "") + chunk
            continue
        code = f"{seg_id}-{tag.id}"
        base = f"d{code}"
        attrs = {"id": code}
        if tag.name in _CODE_TYPES:
            attrs["type"] = _CODE_TYPES[tag.name]
        if role == "open":
            attrs.update(dataRefStart=f"{base}s", dataRefEnd=f"{base}e")
            stack.append(ET.SubElement(stack[-1], _q(XLF, "pc"), attrs))
            last = None
        elif role == "close":
            last = stack.pop() if len(stack) > 1 else last
        else:
            last = ET.SubElement(stack[-1], _q(XLF, "ph"), {**attrs, "dataRef": base})


def _text(parent: ET.Element, tag: str, text: str, **attrs: str) -> ET.Element:
    elem = ET.SubElement(parent, tag, {k: xml_safe(v) for k, v in attrs.items()})
    elem.text = xml_safe(text)
    return elem


def _state(seg: SegmentResult) -> str:
    if not seg.target:
        return "initial"
    return _ORIGIN_STATE.get(seg.origin, "translated")


def xliff_units(
    result: DocumentResult, per: str = "paragraph"
) -> Iterator[list[tuple[str, SegmentResult | None]]]:
    """Group the document's pieces into units: a paragraph's segments (``per="paragraph"``) or one
    segment (``per="segment"``), with the layout after them (the first unit also holds the
    layout before its first segment)."""
    unit: list[tuple[str, SegmentResult | None]] = []
    current: tuple[int, str] | None = None
    for text, seg in layout_pieces(result):
        if seg is not None:
            key = (seg.paragraph, seg.id if per == "segment" else "")
            if current is not None and key != current:
                yield unit
                unit = []
            current = key
        unit.append((text, seg))
    if unit:
        yield unit


class XliffExporter(Exporter):
    """XLIFF 2.1 for CAT tools (valid against the OASIS core, matches, glossary, metadata schemas)."""

    name = "xliff"
    extension = "xlf"
    description = "XLIFF 2.1 for CAT tools, with MT candidates, QA notes, glossary and provenance"

    def render(self, result: DocumentResult) -> bytes:
        for prefix, ns in PREFIXES.items():
            ET.register_namespace(prefix, ns)
        ET.register_namespace("", XLF)
        root = ET.Element(
            _q(XLF, "xliff"),
            {"version": "2.1", "srcLang": result.source_lang, "trgLang": result.target_lang},
        )
        root.set(XML_SPACE, "preserve")
        # canResegment="no": segment ids must survive the CAT tool so the review maps back.
        file = ET.SubElement(
            root,
            _q(XLF, "file"),
            id="f1",
            original=xml_safe(document_path(result) or "document"),
            canResegment="no",
        )
        self._file_header(file, result)
        seen_units: set[str] = set()
        # An empty document still needs one unit (the schema requires it): an empty ignorable.
        empty: list[list[tuple[str, SegmentResult | None]]] = [[("", None)]]
        units = xliff_units(result, self.options.xliff_units) if result.source_text else empty
        for n, unit in enumerate(units, 1):
            self._unit(file, unit, n, seen_units, result)
        indent(root, _LEAVES)
        return tostring(root)

    def _file_header(self, file: ET.Element, result: DocumentResult) -> None:
        metadata = ET.SubElement(file, _q(MDA, "metadata"))
        group = ET.SubElement(metadata, _q(MDA, "metaGroup"), category=f"{TOOL}:provenance")
        for key, value in provenance_items(result):
            _text(group, _q(MDA, "meta"), value, type=key)
        metrics = corpus_metrics(result)
        if metrics:
            group = ET.SubElement(metadata, _q(MDA, "metaGroup"), category=f"{TOOL}:metrics")
            for key, number in metrics.items():
                _text(group, _q(MDA, "meta"), f"{number:g}", type=key)
        notes = ET.SubElement(file, _q(XLF, "notes"))
        prov = "; ".join(f"{k} = {v}" for k, v in provenance_items(result))
        _text(notes, _q(XLF, "note"), f"Provenance: {prov}", category=f"{TOOL}:provenance")
        if metrics:
            line = ", ".join(f"{k} {v:g}" for k, v in metrics.items())
            _text(notes, _q(XLF, "note"), f"Corpus metrics: {line}", category=f"{TOOL}:metrics")

    def _unit(
        self,
        file: ET.Element,
        pieces: list[tuple[str, SegmentResult | None]],
        n: int,
        seen: set[str],
        result: DocumentResult,
    ) -> None:
        segs = [s for _, s in pieces if s is not None]
        per_segment = self.options.xliff_units == "segment"
        unit_id = f"p{segs[0].paragraph}" if segs and not per_segment else f"u{n}"
        if unit_id in seen:
            unit_id = f"{unit_id}-{n}"
        seen.add(unit_id)
        unit = ET.SubElement(file, _q(XLF, "unit"), id=unit_id)
        ids = {s.id: (s.id if _NMTOKEN.match(s.id) else f"s{n}-{k}") for k, s in enumerate(segs)}

        if segs:
            matches = ET.SubElement(unit, _q(MTC, "matches"))
            for s in segs:
                match = ET.SubElement(
                    matches,
                    _q(MTC, "match"),
                    ref=f"#{ids[s.id]}",
                    type=_ORIGIN_MATCH.get(s.origin, "other"),
                    subType=OUTPUT_SUBTYPE,
                    origin=f"{TOOL} {__version__} ({xml_safe(s.origin)})",
                )
                _content(ET.SubElement(match, _q(XLF, "source")), s.source)
                _content(ET.SubElement(match, _q(XLF, "target")), s.target)
            self._glossary(unit, segs, ids)
            self._metadata(unit, segs, ids)
            self._notes(unit, segs)

        coded = [s for s in segs if s.markup is not None and s.markup.tags]
        if coded:
            _original_data(unit, coded, ids)
        for text, seg in pieces:
            if seg is None:
                ign = ET.SubElement(unit, _q(XLF, "ignorable"))
                _content(ET.SubElement(ign, _q(XLF, "source")), text)
                continue
            elem = ET.SubElement(
                unit,
                _q(XLF, "segment"),
                id=ids[seg.id],
                state=_state(seg),
                subState=f"{TOOL}:{xml_safe(seg.origin)}",
            )
            if seg.markup is not None and seg.markup.tags:
                m = seg.markup
                _coded(ET.SubElement(elem, _q(XLF, "source")), m, m.source, ids[seg.id])
                _coded(ET.SubElement(elem, _q(XLF, "target")), m, m.target or m.source, ids[seg.id])
                continue
            _content(ET.SubElement(elem, _q(XLF, "source")), seg.source)
            _content(ET.SubElement(elem, _q(XLF, "target")), seg.target)

    @staticmethod
    def _glossary(unit: ET.Element, segs: list[SegmentResult], ids: Mapping[str, str]) -> None:
        entries = [(s, t) for s in segs for t in s.terms]
        if not entries:
            return
        glossary = ET.SubElement(unit, _q(GLS, "glossary"))
        for seg, term in entries:
            entry = ET.SubElement(glossary, _q(GLS, "glossEntry"), ref=f"#{ids[seg.id]}")
            _text(entry, _q(GLS, "term"), term.source, source=term.headword)
            for form in term.required:
                _text(entry, _q(GLS, "translation"), form)

    @staticmethod
    def _metadata(unit: ET.Element, segs: list[SegmentResult], ids: Mapping[str, str]) -> None:
        metadata = ET.SubElement(unit, _q(MDA, "metadata"))
        for s in segs:
            group = ET.SubElement(
                metadata, _q(MDA, "metaGroup"), category=f"{TOOL}:segment", appliesTo="target"
            )
            _text(group, _q(MDA, "meta"), s.id, type="id")
            _text(group, _q(MDA, "meta"), f"#{ids[s.id]}", type="ref")
            _text(group, _q(MDA, "meta"), s.kind, type="kind")
            _text(group, _q(MDA, "meta"), s.origin, type="origin")
            for name, value in s.scores.items():
                _text(group, _q(MDA, "meta"), f"{value:g}", type=f"score.{name}")
            if s.reference is not None:
                _text(group, _q(MDA, "meta"), s.reference, type="reference")
            for c in s.checks:
                _text(group, _q(MDA, "meta"), f"{c.severity}: {c.message}", type=f"check.{c.check}")
            for t in s.terms:
                sub = ET.SubElement(group, _q(MDA, "metaGroup"), category=f"{TOOL}:term")
                _text(sub, _q(MDA, "meta"), t.headword, type="headword")
                _text(sub, _q(MDA, "meta"), t.source, type="source")
                _text(sub, _q(MDA, "meta"), " | ".join(t.required), type="required")
                _text(sub, _q(MDA, "meta"), t.found or "", type="found")
                _text(sub, _q(MDA, "meta"), "yes" if t.satisfied else "no", type="satisfied")

    @staticmethod
    def _notes(unit: ET.Element, segs: list[SegmentResult]) -> None:
        rows: list[tuple[str, str, str]] = []
        for s in segs:
            for flag in segment_flags(s):
                rows.append(
                    (f"{TOOL}:qa", _PRIORITY[flag.level], f"{s.id} · {flag.name}: {flag.message}")
                )
            if s.scores:
                line = ", ".join(f"{k} {v:g}" for k, v in s.scores.items())
                rows.append((f"{TOOL}:score", "9", f"{s.id} · {line}"))
            if s.reference is not None:
                rows.append((f"{TOOL}:reference", "9", f"{s.id} · reference: {s.reference}"))
            for c in s.localized:
                text = f"{s.id} · localized ({c.rule}): {c.before} → {c.after}"
                rows.append((f"{TOOL}:localized", "8", text))
        if not rows:
            return
        notes = ET.SubElement(unit, _q(XLF, "notes"))
        for category, priority, text in rows:
            _text(
                notes,
                _q(XLF, "note"),
                text,
                category=category,
                priority=priority,
                appliesTo="target",
            )
