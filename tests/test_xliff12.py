"""XLIFF 1.2 export (OmegaT, Amazon Translate), both unit layouts, and reading it back for review.

Translate Toolkit's reader opens the file in a separate interpreter (its package is also named
``translate``): ``$TRANSLATE_TTK_PYTHON`` names it; the test is skipped where it is absent unless
``$TRANSLATE_REQUIRE_TTK`` is set (CI), then it must run.
"""

from __future__ import annotations

import json
import os
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest
from resultfixtures import make_result
from schemas import xliff12_errors, xliff_errors

from translate.cli import main
from translate.export import ExportOptions, get_exporter
from translate.export.xliff import parse_xliff
from translate.export.xliff12 import XLF12
from translate.memory import TranslationMemory
from translate.units import replace_segments

RESULT = make_result()
LAYOUTS = ("paragraph", "segment")
X = f"{{{XLF12}}}"
TTK = os.environ.get("TRANSLATE_TTK_PYTHON", "")
needs_ttk = pytest.mark.skipif(
    not (TTK and Path(TTK).is_file()) and not os.environ.get("TRANSLATE_REQUIRE_TTK"),
    reason="Translate Toolkit's interpreter ($TRANSLATE_TTK_PYTHON) is not available",
)


def render(fmt: str, per: str, result=RESULT) -> bytes:  # type: ignore[no-untyped-def]
    out = get_exporter(fmt, ExportOptions(xliff_units=per)).render(result)
    assert isinstance(out, bytes)
    return out


@pytest.mark.parametrize("per", LAYOUTS)
@pytest.mark.parametrize("kind", ["strict", "transitional"])
def test_valid_against_the_oasis_schemas(per: str, kind: str) -> None:
    assert xliff12_errors(render("xliff12", per), kind) == []


@pytest.mark.parametrize("per", LAYOUTS)
@pytest.mark.parametrize("fmt", ["xliff", "xliff12"])
def test_both_layouts_read_back_to_the_same_document(fmt: str, per: str) -> None:
    doc = parse_xliff(render(fmt, per))
    assert doc.source_text() == RESULT.source_text
    assert doc.target_text() == RESULT.translated_text()
    assert [s.id for s in doc.segments] == [s.id for s in RESULT.segments]
    assert [s.mt for s in doc.segments] == [s.target for s in RESULT.segments]
    assert (doc.src_lang, doc.trg_lang, doc.original) == ("fr", "en", "articles/fr/article.txt")
    # memory matches are approved, machine translations wait for review; a 1.2 paragraph unit
    # has one state, so it is approved only when all its sentences are
    approved = [s.id for s in doc.segments if s.approved]
    memory = [s.id for s in RESULT.segments if s.origin == "memory"]
    if fmt == "xliff12" and per == "paragraph":
        mixed = {s.paragraph for s in RESULT.segments if s.origin != "memory"}
        memory = [s.id for s in RESULT.segments if s.paragraph not in mixed]
    assert approved == memory


def test_segment_layout_is_one_unit_per_sentence() -> None:
    """Tools that keep one segment per unit (npm xliff) lose nothing with --xliff-units segment."""
    n = len(RESULT.segments)
    v2 = ET.fromstring(render("xliff", "segment"))
    units = [u for u in v2.iter() if u.tag.endswith("}unit")]
    assert len(units) == n and all(sum(c.tag.endswith("}segment") for c in u) == 1 for u in units)
    assert xliff_errors(render("xliff", "segment")) == []
    v12 = ET.fromstring(render("xliff12", "segment"))
    translatable = [u for u in v12.iter(f"{X}trans-unit") if u.get("translate") != "no"]
    assert len(translatable) == n and not list(v12.iter(f"{X}mrk"))
    # paragraph layout: fewer units, each sentence a <mrk mtype="seg"> in seg-source and target
    v12p = ET.fromstring(render("xliff12", "paragraph"))
    paragraphs = [u for u in v12p.iter(f"{X}trans-unit") if u.get("translate") != "no"]
    assert len(paragraphs) < n


def test_states_notes_and_provenance() -> None:
    root = ET.fromstring(render("xliff12", "segment"))
    header = root.find(f"{X}file/{X}header")
    assert header is not None
    notes = [n.text or "" for n in header.iter(f"{X}note")]
    assert "models.0.id: Helsinki-NLP/opus-mt-fr-en" in notes
    assert any(n.startswith("signature.chrf: ") for n in notes)
    units = {u.get("resname"): u for u in root.iter(f"{X}trans-unit") if u.get("resname")}
    for seg in RESULT.segments:
        unit = units[seg.id]
        target = unit.find(f"{X}target")
        assert target is not None and target.text == seg.target
        expected = "signed-off" if seg.origin == "memory" else "needs-review-translation"
        assert target.get("state") == expected
        assert (unit.get("approved") == "yes") == (seg.origin == "memory")
        alt = unit.find(f"{X}alt-trans")
        assert alt is not None and alt.findtext(f"{X}target") == seg.target
        froms = [n.get("from") for n in unit.iter(f"{X}note")]
        assert ("translate:qa" in froms) == bool(
            seg.checks or any(not t.satisfied for t in seg.terms)
        )
        assert ("translate:reference" in froms) == (seg.reference is not None)


@pytest.mark.parametrize("per", LAYOUTS)
def test_characters_xml_cannot_carry_round_trip(per: str) -> None:
    seg = RESULT.segments[3]
    hostile = replace(seg, target="bell \x07 form\x0cfeed \x00 end")
    result = replace_segments(RESULT, [hostile if s.id == seg.id else s for s in RESULT.segments])
    data = render("xliff12", per, result)
    assert xliff12_errors(data) == []
    back = {s.id: s for s in parse_xliff(data).segments}[seg.id]
    assert back.target == hostile.target and back.mt == hostile.target


def edit_like_a_cat_tool(data: bytes, new: dict[str, str], approve: bool) -> bytes:
    """Change targets (segment layout, by resname), approve them, re-serialise."""
    ET.register_namespace("", XLF12)
    root = ET.fromstring(data)
    for unit in root.iter(f"{X}trans-unit"):
        if unit.get("resname") in new:
            target = unit.find(f"{X}target")
            assert target is not None
            target.text = new[unit.get("resname") or ""]
            target.set("state", "final" if approve else "translated")
            if approve:
                unit.set("approved", "yes")
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def test_review_reads_an_edited_xliff12_and_stores_approved(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seg = next(s for s in RESULT.segments if s.origin == "mt")
    path = tmp_path / "article.en.xliff12.xlf"
    path.write_bytes(
        edit_like_a_cat_tool(render("xliff12", "segment"), {seg.id: "A fresh edit."}, True)
    )
    memory = tmp_path / "tm.sqlite"
    assert main(["review", str(path), "--json", "--memory", str(memory)]) == 0
    data = json.loads(capsys.readouterr().out)
    rows = {r["id"]: r for r in data["segments"]}
    assert rows[seg.id]["edited"] and rows[seg.id]["final"] == "A fresh edit."
    assert rows[seg.id]["mt"] == seg.target and rows[seg.id]["state"] == "final"
    with TranslationMemory(memory) as tm:
        assert tm.lookup(seg.source, "en") == "A fresh edit."


@needs_ttk
@pytest.mark.parametrize("per", LAYOUTS)
def test_translate_toolkit_reads_the_file(per: str, tmp_path: Path) -> None:
    path = tmp_path / "article.en.xliff12.xlf"
    path.write_bytes(render("xliff12", per))
    script = (
        "import json, sys\n"
        "from translate.storage import xliff\n"
        "store = xliff.xlifffile.parsefile(sys.argv[1])\n"
        "units = [u for u in store.units if not u.isheader() and u.istranslatable()]\n"
        "print(json.dumps({'langs': [store.getsourcelanguage(), store.gettargetlanguage()],\n"
        "  'units': [[u.source, u.target, u.isapproved()] for u in units]}))\n"
    )
    # cwd outside the repository, so that its own `translate` package is the one imported
    out = subprocess.run(
        [TTK, "-c", script, str(path)], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    data = json.loads(out.stdout)
    assert data["langs"] == ["fr", "en"]
    sources = "".join(u[0] for u in data["units"])
    targets = "".join(u[1] for u in data["units"])
    for seg in RESULT.segments:
        assert seg.source in sources and seg.target in targets
    if per == "segment":
        assert [u[0] for u in data["units"]] == [s.source for s in RESULT.segments]
        assert [u[2] for u in data["units"]] == [s.origin == "memory" for s in RESULT.segments]
