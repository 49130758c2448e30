"""XML helpers shared by the XLIFF and TMX formats: namespaces, safe text and indentation.

The standard library's ElementTree writes and reads both formats, so exporting needs no extra
dependency; lxml is used only by the tests, to validate against the official schemas.
"""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Collection, Iterator

# Characters XML 1.0 cannot carry (and CR, which parsers turn into LF).
INVALID_XML = re.compile("[^\t\n\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    """``text`` with characters XML cannot hold replaced by U+FFFD (for notes and attributes)."""
    return INVALID_XML.sub("\ufffd", text)


def indent(elem: ET.Element, leaves: Collection[str], level: int = 0) -> None:
    """Pretty-print structural elements only; elements in ``leaves`` keep their content untouched.

    ``ET.indent`` would rewrite whitespace-only text such as the layout kept in XLIFF
    ``<ignorable>`` elements, so the layout would not survive the round trip.
    """
    if elem.tag in leaves or len(elem) == 0:
        return
    pad = "\n" + "  " * (level + 1)
    elem.text = pad
    for child in elem:
        indent(child, leaves, level + 1)
        child.tail = pad
    elem[-1].tail = "\n" + "  " * level


def tostring(root: ET.Element, doctype: str | None = None) -> bytes:
    """Serialise with an XML declaration (and an optional DOCTYPE line), UTF-8, final newline."""
    body = ET.tostring(root, encoding="unicode")
    head = '<?xml version="1.0" encoding="UTF-8"?>\n'
    if doctype:
        head += doctype + "\n"
    return (head + body + "\n").encode("utf-8")


_FIRST_CHUNK = 1 << 16
_MAX_CHUNK = 1 << 26


def stream_elements(path: str | os.PathLike[str]) -> Iterator[tuple[str, ET.Element]]:
    """``("start"|"end", element)`` events of an XML file, parsed incrementally.

    Memory stays bounded when the caller detaches elements it is done with. When a read ends
    inside one huge token (a 100 MB attribute), expat rescans that token on every feed, so the
    next read is twice as large: the total work stays linear in the size of the file.

    Raises:
        xml.etree.ElementTree.ParseError: the file is not well-formed.
    """
    parser: ET.XMLPullParser = ET.XMLPullParser(events=("start", "end"))
    size = _FIRST_CHUNK
    with open(path, "rb") as fh:
        while chunk := fh.read(size):
            parser.feed(chunk)
            events = list(parser.read_events())
            size = _FIRST_CHUNK if events else min(size * 2, _MAX_CHUNK)
            yield from events  # type: ignore[misc]
        parser.close()
        yield from parser.read_events()  # type: ignore[misc]
