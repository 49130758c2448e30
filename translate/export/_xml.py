"""XML helpers shared by the XLIFF and TMX formats: namespaces, safe text and indentation.

The standard library's ElementTree writes and reads both formats, so exporting needs no extra
dependency; lxml is used only by the tests, to validate against the official schemas.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Collection

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
