"""Reading XLIFF back: the file a CAT tool returns, as :class:`XliffDocument` records.

``translate review`` and the reconciliation of re-segmented files read what a translator did to
an exported XLIFF 2.x (or, through :mod:`translate.export.xliff12`, 1.2) file: each segment's
source, edited target and state, and the machine translation the export kept as a matches-module
candidate. The XLIFF 2 names both sides share (namespaces, states, the tool's match sub-type and
metadata categories) live here; the writer, :mod:`translate.export.xliff`, imports them.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from translate.errors import InputError
from translate.export.base import TOOL

XLF = "urn:oasis:names:tc:xliff:document:2.0"
MTC = "urn:oasis:names:tc:xliff:matches:2.0"
GLS = "urn:oasis:names:tc:xliff:glossary:2.0"
MDA = "urn:oasis:names:tc:xliff:metadata:2.0"

#: The segment states of XLIFF 2; a translator's approval is one of ``APPROVED``.
STATES = ("initial", "translated", "reviewed", "final")
APPROVED = frozenset({"reviewed", "final"})
#: File metadata category the review page adds to the XLIFF it exports (see data/review/xliff.js).
REVIEW_PAGE = f"{TOOL}:review-page"
#: Sub-type of the match candidate that holds the machine translation.
OUTPUT_SUBTYPE = f"{TOOL}:output"


def qname(ns: str, tag: str) -> str:
    """ElementTree's ``{namespace}tag`` name."""
    return f"{{{ns}}}{tag}"


@dataclass(frozen=True)
class XliffSegment:
    """A segment read back from an XLIFF file, possibly edited in a CAT tool."""

    id: str
    unit: str
    source: str
    target: str | None
    state: str
    mt: str | None = None
    #: The source as the MT candidate recorded it (untouched by CAT tools).
    mt_source: str | None = None

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
    if root.tag != qname(XLF, "xliff"):
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
        original=next((f.get("original", "") for f in root.iter(qname(XLF, "file"))), ""),
        items=tuple(items),
        review_page=any(
            g.get("category") == REVIEW_PAGE
            for f in root.iter(qname(XLF, "file"))
            for m in f.findall(qname(MDA, "metadata"))
            for g in m.findall(qname(MDA, "metaGroup"))
        ),
    )


def _items(root: ET.Element) -> list[XliffSegment | tuple[str, str | None]]:
    items: list[XliffSegment | tuple[str, str | None]] = []
    for unit in root.iter(qname(XLF, "unit")):
        uid = unit.get("id", "")
        mt: dict[str, str] = {}
        mt_source: dict[str, str | None] = {}
        ids: dict[str, str] = {}
        for match in unit.iter(qname(MTC, "match")):
            ref = (match.get("ref") or "").lstrip("#")
            if match.get("subType") == OUTPUT_SUBTYPE or (
                match.get("type") == "mt" and ref not in mt
            ):
                mt[ref] = _inline(match.find(qname(XLF, "target"))) or ""
                mt_source[ref] = _inline(match.find(qname(XLF, "source")))
        for group in unit.iter(qname(MDA, "metaGroup")):
            if group.get("category") == f"{TOOL}:segment":
                meta = {m.get("type"): m.text or "" for m in group}
                if meta.get("id") and meta.get("ref"):
                    ids[meta["ref"].lstrip("#")] = meta["id"]
        n = 0
        for child in unit:
            tag = child.tag.rsplit("}", 1)[-1]
            source = _inline(child.find(qname(XLF, "source"))) or ""
            target = _inline(child.find(qname(XLF, "target")))
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
