"""XLIFF 1.2 export and import, for tools that read no XLIFF 2 (OmegaT 3.6, Amazon Translate...).

Valid against the OASIS XLIFF 1.2 strict schema. ``--xliff-units paragraph`` (the default) writes one
``<trans-unit>`` per paragraph whose sentences are ``<mrk mtype="seg">`` in ``<seg-source>`` and
``<target>``; ``segment`` writes one ``<trans-unit>`` per sentence inside a ``<group>`` per
paragraph. Layout between units travels in ``translate="no"`` units (``restype="x-layout"``), so the
document rebuilds byte for byte. The ``<target>`` holds the machine translation, ready to
post-edit (``state="needs-review-translation"``; memory matches are ``signed-off`` and
``approved``), and an ``<alt-trans>`` keeps what the machine proposed, so ``translate review``
measures the edit. Provenance, metrics, scores, QA flags, references and glossary terms are notes.
"""

from __future__ import annotations

import contextlib
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable

from translate import __version__
from translate.errors import InputError
from translate.export._xml import INVALID_XML, indent, tostring, xml_safe
from translate.export.base import (
    TOOL,
    Exporter,
    corpus_metrics,
    document_path,
    provenance_items,
    segment_flags,
)
from translate.export.xliff import XliffDocument, XliffSegment, xliff_units
from translate.units import DocumentResult, SegmentResult

XLF12 = "urn:oasis:names:tc:xliff:document:1.2"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
LAYOUT = "x-layout"
#: Alt-trans ``origin`` of the machine's proposal, how review finds the MT again.
MT_ORIGIN = f"{TOOL}:output"
_LEAVES = frozenset(f"{{{XLF12}}}{tag}" for tag in ("source", "seg-source", "target", "note"))
_NMTOKEN = re.compile(r"^[\w.\-:]+$")
_PRIORITY = {"high": "1", "medium": "3", "low": "7"}
_CP = re.compile(r"^x-cp-([0-9A-Fa-f]{1,6})$")

# XLIFF 2 state (see translate.export.xliff) -> XLIFF 1.2 target state and qualifier, by origin.
_TARGET_STATE = {
    "initial": ("new", None),
    "mt": ("needs-review-translation", "leveraged-mt"),
    "cache": ("needs-review-translation", "leveraged-mt"),
    "memory": ("signed-off", "leveraged-tm"),
    "passthrough": ("translated", None),
}
# A unit's state is its least advanced segment's.
_ORDER = ("new", "needs-review-translation", "translated", "signed-off")
# XLIFF 1.2 target state read back -> the XLIFF 2 vocabulary review uses.
_READ_STATE = {"final": "final", "signed-off": "reviewed", "new": "initial"}


def _q(tag: str) -> str:
    return f"{{{XLF12}}}{tag}"


def _content(elem: ET.Element, text: str) -> ET.Element:
    """Append ``text`` to ``elem``; characters XML cannot carry become ``<ph ctype="x-cp-HEX"/>``."""
    pieces = INVALID_XML.split(text)
    bad = INVALID_XML.findall(text)
    last = elem[-1] if len(elem) else None
    for n, piece in enumerate(pieces):
        if last is None:
            elem.text = (elem.text or "") + piece
        else:
            last.tail = (last.tail or "") + piece
        if n < len(bad):
            count = sum(1 for _ in elem.iter(_q("ph"))) + 1
            last = ET.SubElement(elem, _q("ph"), id=f"cp{count}", ctype=f"x-cp-{ord(bad[n]):04X}")
    return elem


def _note(parent: ET.Element, text: str, origin: str, priority: str = "9", **attrs: str) -> None:
    note = ET.SubElement(parent, _q("note"), {"from": origin, "priority": priority, **attrs})
    note.text = xml_safe(text)


def _seg_state(seg: SegmentResult) -> tuple[str, str | None]:
    return (
        _TARGET_STATE["initial"]
        if not seg.target
        else _TARGET_STATE.get(seg.origin, ("translated", None))
    )


def _unit_state(segs: list[SegmentResult]) -> tuple[str, str | None]:
    states = [_seg_state(s) for s in segs]
    return min(states, key=lambda s: _ORDER.index(s[0]))


class Xliff12Exporter(Exporter):
    """XLIFF 1.2 (OASIS strict schema) for OmegaT, Amazon Translate and other 1.2-only tools."""

    name = "xliff12"
    extension = "xliff12.xlf"
    description = "XLIFF 1.2 for tools without XLIFF 2 (OmegaT 3.6, Amazon Translate)"

    def render(self, result: DocumentResult) -> bytes:
        ET.register_namespace("", XLF12)
        root = ET.Element(_q("xliff"), version="1.2")
        file = ET.SubElement(
            root,
            _q("file"),
            {
                "original": xml_safe(document_path(result) or "document"),
                "source-language": result.source_lang,
                "target-language": result.target_lang,
                "datatype": "plaintext",
                "tool-id": TOOL,
                XML_SPACE: "preserve",
            },
        )
        header = ET.SubElement(file, _q("header"))
        ET.SubElement(
            header, _q("tool"), {"tool-id": TOOL, "tool-name": TOOL, "tool-version": __version__}
        )
        for key, value in provenance_items(result):
            _note(header, f"{key}: {value}", f"{TOOL}:provenance")
        for key, number in corpus_metrics(result).items():
            _note(header, f"{key}: {number:g}", f"{TOOL}:metrics")
        body = ET.SubElement(file, _q("body"))
        self._units = 0
        per_segment = self.options.xliff_units == "segment"
        group: ET.Element = body
        paragraph: int | None = None
        for pieces in xliff_units(result, self.options.xliff_units):
            segs = [s for _, s in pieces if s is not None]
            if per_segment and segs and segs[0].paragraph != paragraph:
                paragraph = segs[0].paragraph
                group = ET.SubElement(body, _q("group"), id=f"p{paragraph}", restype="x-paragraph")
            self._write(group if segs else body, pieces, segs, result.source_lang)
        indent(root, _LEAVES)
        return tostring(root)

    def _layout(self, parent: ET.Element, text: str) -> None:
        self._units += 1
        unit = ET.SubElement(
            parent,
            _q("trans-unit"),
            {"id": f"l{self._units}", "translate": "no", "restype": LAYOUT, XML_SPACE: "preserve"},
        )
        _content(ET.SubElement(unit, _q("source")), text)

    def _write(
        self,
        parent: ET.Element,
        pieces: list[tuple[str, SegmentResult | None]],
        segs: list[SegmentResult],
        source_lang: str,
    ) -> None:
        """One translatable unit for ``segs`` (layout between them kept inside), layout units for
        what comes before the first and after the last segment."""
        first = next((i for i, (_, s) in enumerate(pieces) if s is not None), len(pieces))
        last = max((i for i, (_, s) in enumerate(pieces) if s is not None), default=-1)
        for text, _ in pieces[:first]:
            self._layout(parent, text)
        if segs:
            self._translatable(parent, pieces[first : last + 1], segs)
        for text, _ in pieces[last + 1 :] if last >= 0 else ():
            self._layout(parent, text)

    def _translatable(
        self,
        parent: ET.Element,
        pieces: list[tuple[str, SegmentResult | None]],
        segs: list[SegmentResult],
    ) -> None:
        self._units += 1
        single = len(segs) == 1 and len(pieces) == 1
        mids = {
            s.id: s.id if _NMTOKEN.match(s.id) else f"s{self._units}-{k}"
            for k, s in enumerate(segs)
        }
        uid = mids[segs[0].id] if single else f"p{segs[0].paragraph}-u{self._units}"
        state, qualifier = _unit_state(segs)
        attrs = {"id": uid, XML_SPACE: "preserve"}
        if single:
            attrs["resname"] = xml_safe(segs[0].id)
        if state == "signed-off":
            attrs["approved"] = "yes"
        unit = ET.SubElement(parent, _q("trans-unit"), attrs)
        source = ET.SubElement(unit, _q("source"))
        seg_source = None if single else ET.SubElement(unit, _q("seg-source"))
        target_attrs = {"state": state}
        if qualifier:
            target_attrs["state-qualifier"] = qualifier
        target = ET.SubElement(unit, _q("target"), target_attrs)
        for text, seg in pieces:
            _content(source, text)
            if seg is None:
                for elem in (seg_source, target):
                    if elem is not None:
                        _content(elem, text)
            elif seg_source is None:
                _content(target, seg.target)
            else:
                _content(ET.SubElement(seg_source, _q("mrk"), mtype="seg", mid=mids[seg.id]), text)
                _content(
                    ET.SubElement(target, _q("mrk"), mtype="seg", mid=mids[seg.id]), seg.target
                )
        for seg in segs:
            alt = ET.SubElement(
                unit,
                _q("alt-trans"),
                {"origin": MT_ORIGIN, "tool-id": TOOL, "alttranstype": "proposal"},
            )
            if not single:
                alt.set("mid", mids[seg.id])
            if mids[seg.id] != seg.id:
                alt.set("resname", xml_safe(seg.id))
            _content(ET.SubElement(alt, _q("source")), seg.source)
            _content(ET.SubElement(alt, _q("target")), seg.target)
        for seg in segs:
            self._notes(unit, seg, prefix="" if single else f"{seg.id} · ")

    @staticmethod
    def _notes(unit: ET.Element, seg: SegmentResult, prefix: str) -> None:
        for flag in segment_flags(seg):
            text = f"{prefix}{flag.name}: {flag.message}"
            _note(unit, text, f"{TOOL}:qa", _PRIORITY[flag.level], annotates="target")
        if seg.scores:
            line = ", ".join(f"{k} {v:g}" for k, v in seg.scores.items())
            _note(unit, prefix + line, f"{TOOL}:score", annotates="target")
        if seg.reference is not None:
            _note(unit, f"{prefix}reference: {seg.reference}", f"{TOOL}:reference")
        for term in seg.terms:
            wanted = " / ".join(term.required)
            done = "kept" if term.satisfied else "missing"
            _note(unit, f"{prefix}glossary: {term.source} → {wanted} ({done})", f"{TOOL}:term")


# --- reading ----------------------------------------------------------------------------------


def _inline(elem: ET.Element | None, *, skip_mrk: bool = False) -> str | None:
    """Text of a ``<source>``/``<target>``/``<mrk>``: ``x-cp`` placeholders decoded, the text of
    ``g``/``mrk`` kept, other codes dropped."""
    if elem is None:
        return None
    parts = [elem.text or ""]
    for child in elem:
        tag = child.tag.rsplit("}", 1)[-1]
        m = _CP.match(child.get("ctype", ""))
        if tag == "ph" and m:
            with contextlib.suppress(ValueError, OverflowError):
                parts.append(chr(int(m.group(1), 16)))
        elif tag in ("g", "mrk") and not (skip_mrk and tag == "mrk"):
            parts.append(_inline(child) or "")
        parts.append(child.tail or "")
    return "".join(parts)


def _state(unit: ET.Element, target: ET.Element | None, text: str | None) -> str:
    declared = (target.get("state") if target is not None else None) or ""
    state = _READ_STATE.get(declared, "translated" if text and text.strip() else "initial")
    if unit.get("approved") == "yes" and state not in ("reviewed", "final"):
        state = "reviewed"
    return state


def _pieces(elem: ET.Element | None) -> list[tuple[str | None, str]]:
    """``(mid, text)`` of each ``<mrk mtype="seg">`` and ``(None, text)`` of what lies between."""
    if elem is None:
        return []
    out: list[tuple[str | None, str]] = [(None, elem.text or "")]
    for child in elem:
        if child.tag == _q("mrk") and child.get("mtype") == "seg":
            out.append((child.get("mid") or "", _inline(child) or ""))
        else:
            out.append((None, _inline(_wrap(child)) or ""))
            continue
        out.append((None, child.tail or ""))
    return [(mid, text) for mid, text in out if mid is not None or text]


def _wrap(child: ET.Element) -> ET.Element:
    """An element holding only ``child`` and its tail, to read it with :func:`_inline`."""
    holder = ET.Element("holder")
    holder.append(child)
    return holder


def parse_xliff12(root: ET.Element, name: str) -> XliffDocument:
    """An XLIFF 1.2 document (read from any tool) as the :class:`XliffDocument` review uses.

    Raises:
        InputError: the file holds no ``<file>`` element.
    """
    files = root.findall(_q("file"))
    units = list(root.iter(_q("trans-unit")))
    if not files or not units:
        raise InputError(f"{name} has no translation unit; give an XLIFF 1.2 file with units.")
    for where, attr in [(f, "source-language") for f in files] + [(u, "id") for u in units]:
        if not where.get(attr):
            tag = where.tag.rsplit("}", 1)[-1]
            raise InputError(
                f"{name}: a <{tag}> has no {attr} attribute, which XLIFF 1.2 requires; "
                "give the file as the CAT tool exported it."
            )
    items: list[XliffSegment | tuple[str, str | None]] = []
    for unit in units:
        items += _unit_items(unit)
    first = files[0]
    return XliffDocument(
        src_lang=first.get("source-language", ""),
        trg_lang=first.get("target-language", ""),
        original=first.get("original", ""),
        items=tuple(items),
    )


def _unit_items(unit: ET.Element) -> Iterable[XliffSegment | tuple[str, str | None]]:
    uid = unit.get("id", "")
    source = _inline(unit.find(_q("source"))) or ""
    if unit.get("translate") == "no":
        yield source, None
        return
    target = unit.find(_q("target"))
    mt: dict[str, str] = {}
    mt_source: dict[str, str | None] = {}
    names: dict[str, str] = {}
    for alt in unit.findall(_q("alt-trans")):
        key = alt.get("mid") or ""
        if alt.get("origin") == MT_ORIGIN or key not in mt:
            mt[key] = _inline(alt.find(_q("target"))) or ""
            mt_source[key] = _inline(alt.find(_q("source")))
        if alt.get("resname"):
            names[key] = alt.get("resname") or key
    marked = [(m, t) for m, t in _pieces(unit.find(_q("seg-source"))) if m is not None]
    if not marked:  # one sentence per unit
        text = _inline(target)
        sid = unit.get("resname") or names.get("") or uid
        state = _state(unit, target, text)
        yield XliffSegment(sid, uid, source, text, state, mt.get(""), mt_source.get(""))
        return
    targets = {m: t for m, t in _pieces(target) if m is not None}
    state = _state(unit, target, _inline(target))
    for mid, text in _pieces(unit.find(_q("seg-source"))):
        if mid is None:
            yield text, text
            continue
        yield XliffSegment(
            names.get(mid, mid), uid, text, targets.get(mid), state, mt.get(mid), mt_source.get(mid)
        )
