"""Validators for the official XLIFF 2.1 schemas and TMX 1.4b DTD in ``<repo>/../shared/schemas``."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# $TRANSLATE_SCHEMAS points elsewhere, e.g. from a worktree that has no ../shared beside it.
SCHEMAS = Path(
    os.environ.get("TRANSLATE_SCHEMAS")
    or Path(__file__).resolve().parent.parent.parent / "shared" / "schemas"
)
XLIFF_MODULES = {
    "urn:oasis:names:tc:xliff:document:2.0": "xliff_core_2.0.xsd",
    "urn:oasis:names:tc:xliff:matches:2.0": "matches.xsd",
    "urn:oasis:names:tc:xliff:glossary:2.0": "glossary.xsd",
    "urn:oasis:names:tc:xliff:metadata:2.0": "metadata.xsd",
}


def xliff_errors(data: bytes) -> list[str]:
    """Schema errors of an XLIFF document: core plus the modules it uses (empty when valid)."""
    etree = pytest.importorskip("lxml.etree")
    root = SCHEMAS / "xliff-2.1"
    if not root.is_dir():
        pytest.skip(f"XLIFF schemas not found in {root}")
    imports = "".join(
        f'<xs:import namespace="{ns}" schemaLocation="{(root / f).as_uri()}"/>'
        for ns, f in XLIFF_MODULES.items()
    )
    wrapper = f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">{imports}</xs:schema>'
    schema = etree.XMLSchema(etree.fromstring(wrapper))
    schema.validate(etree.fromstring(data))
    return [str(e) for e in schema.error_log]


def tmx_errors(data: bytes) -> list[str]:
    """DTD errors of a TMX document (empty when valid)."""
    etree = pytest.importorskip("lxml.etree")
    dtd_path = SCHEMAS / "tmx-1.4" / "tmx14.dtd"
    if not dtd_path.is_file():
        pytest.skip(f"TMX DTD not found at {dtd_path}")
    dtd = etree.DTD(str(dtd_path))
    dtd.validate(etree.fromstring(data))
    return [str(e) for e in dtd.error_log]


def xliff12_errors(data: bytes, kind: str = "strict") -> list[str]:
    """Errors of an XLIFF 1.2 document against the OASIS ``strict`` or ``transitional`` schema."""
    etree = pytest.importorskip("lxml.etree")
    path = SCHEMAS / "xliff-1.2" / f"xliff-core-1.2-{kind}.xsd"
    if not path.is_file():
        pytest.skip(f"XLIFF 1.2 schema not found at {path}")
    schema = etree.XMLSchema(etree.parse(str(path)))
    schema.validate(etree.fromstring(data))
    return [str(e) for e in schema.error_log]
