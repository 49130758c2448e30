"""XLIFF 2.1 export and import: one ``<unit>`` per paragraph, one ``<segment>`` per sentence.

The layout between segments goes into ``<ignorable>`` elements, so concatenating every
segment's and ignorable's text rebuilds the document exactly. The machine translation is kept as a
matches-module candidate (``<mtc:match type="mt" subType="translate:output">``), so a file edited in
a CAT tool still says what the machine proposed; scores, QA flags, references and glossary-term
outcomes travel as notes (for the translator) and metadata (for ``translate review``); matched
glossary terms use the glossary module; provenance sits in the file's metadata and notes.
"""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from translate import __version__
from translate.errors import InputError
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
from translate.markup.placeholders import pieces as placeholder_pieces
from translate.units import DocumentResult, SegmentMarkup, SegmentResult

XLF = "urn:oasis:names:tc:xliff:document:2.0"
MTC = "urn:oasis:names:tc:xliff:matches:2.0"
GLS = "urn:oasis:names:tc:xliff:glossary:2.0"
MDA = "urn:oasis:names:tc:xliff:metadata:2.0"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
PREFIXES = {"mtc": MTC, "gls": GLS, "mda": MDA}

STATES = ("initial", "translated", "reviewed", "final")
APPROVED = frozenset({"reviewed", "final"})
#: File metadata category the review page adds to the XLIFF it exports (see data/review/xliff.js).
REVIEW_PAGE = f"{TOOL}:review-page"
# How a segment's origin maps to its XLIFF state and to the type of its match candidate.
_ORIGIN_STATE = {"memory": "reviewed"}
_ORIGIN_MATCH = {"mt": "mt", "cache": "mt", "memory": "tm"}
OUTPUT_SUBTYPE = f"{TOOL}:output"
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


def _q(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}"


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


# --- reading ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class XliffSegment:
    """A segment read back from an XLIFF file, possibly edited in a CAT tool."""

    id: str
    unit: str
    source: str
    target: str | None
    state: str
    mt: str | None = None
    mt_source: str | None = (
        None  # the source as the MT candidate recorded it (untouched by CAT tools)
    )

    @property
    def approved(self) -> bool:
        """A translator marked it ``reviewed`` or ``final``."""
        return self.state in APPROVED


@dataclass(frozen=True)
class XliffDocument:
    """The content of an XLIFF 2 file: languages, and segments and layout in document order."""

    src_lang: str
    trg_lang: str
    original: str
    items: tuple[XliffSegment | tuple[str, str | None], ...]
    review_page: bool = False  # exported by the review page, whose editors approve as "final"

    @property
    def segments(self) -> tuple[XliffSegment, ...]:
        return tuple(i for i in self.items if isinstance(i, XliffSegment))

    def source_text(self) -> str:
        """The source document, rebuilt from segments and ignorables."""
        return "".join(i.source if isinstance(i, XliffSegment) else i[0] for i in self.items)

    def target_text(self) -> str:
        """The translated document; untranslated segments keep their source text."""
        parts = []
        for i in self.items:
            if isinstance(i, XliffSegment):
                parts.append(i.target if i.target is not None else i.source)
            else:
                parts.append(i[1] if i[1] is not None else i[0])
        return "".join(parts)


def _inline(elem: ET.Element | None) -> str | None:
    """Text of a ``<source>``/``<target>``: ``<cp>`` decoded, markers' content kept, codes dropped.

    Iterative, so markers nested thousands deep do not exhaust Python's stack.

    Raises:
        InputError: a ``<cp>`` names a surrogate or a value that is not a code point.
    """
    if elem is None:
        return None
    parts: list[str] = []
    # Each item: an element whose text and children are still to be read, or a pending tail.
    todo: list[ET.Element | str] = [elem]
    while todo:
        item = todo.pop()
        if isinstance(item, str):
            parts.append(item)
            continue
        parts.append(item.text or "")
        for child in reversed(item):
            todo.append(child.tail or "")
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "cp":
                todo.append(_code_point(child.get("hex", "")))
            elif tag in ("mrk", "pc"):
                todo.append(child)
    return "".join(parts)


def _code_point(hex_value: str) -> str:
    try:
        char = chr(int(hex_value, 16))
    except (ValueError, OverflowError):
        raise InputError(
            f'<cp hex="{hex_value[:20]}"/> is not a Unicode code point; fix the file in the CAT '
            "tool that wrote it."
        ) from None
    if "\ud800" <= char <= "\udfff":
        raise InputError(
            f'<cp hex="{hex_value}"/> is a lone surrogate, which no text can hold; fix the file '
            "in the CAT tool that wrote it."
        )
    return char


def read_xliff(path: str | os.PathLike[str]) -> XliffDocument:
    """Read an XLIFF 2.x or 1.2 file written by ``translate export`` and edited in any CAT tool.

    Raises:
        InputError: the file is missing, not well-formed XML or not XLIFF 2 or 1.2.
    """
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{p}: no such file; check the path.")
    return parse_xliff(p.read_bytes(), name=str(p))


def parse_xliff(data: bytes, *, name: str = "XLIFF input") -> XliffDocument:
    """Parse XLIFF 2.x or 1.2 content (both layouts of units); see :func:`read_xliff`."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as err:
        raise InputError(f"{name} is not well-formed XML ({err}); give an XLIFF 2 file.") from None
    if root.tag == "{urn:oasis:names:tc:xliff:document:1.2}xliff":
        from translate.export.xliff12 import parse_xliff12

        return parse_xliff12(root, name)
    if root.tag != _q(XLF, "xliff"):
        raise InputError(
            f"{name} is not an XLIFF 2 or 1.2 file (root {root.tag!r}); give a .xlf from "
            "'translate export'."
        )
    try:
        items = _items(root)
    except InputError as err:
        raise InputError(f"{name}: {err}") from None
    return XliffDocument(
        src_lang=root.get("srcLang", ""),
        trg_lang=root.get("trgLang", ""),
        original=next((f.get("original", "") for f in root.iter(_q(XLF, "file"))), ""),
        items=tuple(items),
        review_page=any(
            g.get("category") == REVIEW_PAGE
            for f in root.iter(_q(XLF, "file"))
            for m in f.findall(_q(MDA, "metadata"))
            for g in m.findall(_q(MDA, "metaGroup"))
        ),
    )


def _items(root: ET.Element) -> list[XliffSegment | tuple[str, str | None]]:
    items: list[XliffSegment | tuple[str, str | None]] = []
    for unit in root.iter(_q(XLF, "unit")):
        uid = unit.get("id", "")
        mt: dict[str, str] = {}
        mt_source: dict[str, str | None] = {}
        ids: dict[str, str] = {}
        for match in unit.iter(_q(MTC, "match")):
            ref = (match.get("ref") or "").lstrip("#")
            if match.get("subType") == OUTPUT_SUBTYPE or (
                match.get("type") == "mt" and ref not in mt
            ):
                mt[ref] = _inline(match.find(_q(XLF, "target"))) or ""
                mt_source[ref] = _inline(match.find(_q(XLF, "source")))
        for group in unit.iter(_q(MDA, "metaGroup")):
            if group.get("category") == f"{TOOL}:segment":
                meta = {m.get("type"): m.text or "" for m in group}
                if meta.get("id") and meta.get("ref"):
                    ids[meta["ref"].lstrip("#")] = meta["id"]
        n = 0
        for child in unit:
            tag = child.tag.rsplit("}", 1)[-1]
            source = _inline(child.find(_q(XLF, "source"))) or ""
            target = _inline(child.find(_q(XLF, "target")))
            if tag == "ignorable":
                items.append((source, target))
            elif tag == "segment":
                sid = child.get("id") or f"{uid}-{n}"
                items.append(
                    XliffSegment(
                        id=ids.get(sid, sid),
                        unit=uid,
                        source=source,
                        target=target,
                        state=child.get("state", "initial"),
                        mt=mt.get(sid),
                        mt_source=mt_source.get(sid),
                    )
                )
                n += 1
    return items
