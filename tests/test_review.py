"""Round trip through a CAT tool: edit the XLIFF, read post-edit effort back, store approved segments."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from resultfixtures import make_result
from schemas import xliff_errors

from translate.errors import InputError
from translate.export import get_exporter
from translate.export.xliff import MTC, XLF, parse_xliff, read_xliff
from translate.memory import TranslationMemory
from translate.review import approved_segments, post_edit_effort, store_approved

RESULT = make_result()
X = f"{{{XLF}}}"

# segment index → (new target or None to keep the MT, new state)
EDITS = {
    0: (RESULT.segments[0].target.replace("visent", "target"), "final"),
    2: (None, "reviewed"),
    4: ("Completely different words here.", "translated"),
}


def cat_edit(
    data: bytes, edits: dict[int, tuple[str | None, str]], *, drop_matches: bool = False
) -> bytes:
    """What a CAT tool does: change targets and states, re-serialise the file its own way."""
    ET.register_namespace("", XLF)
    root = ET.fromstring(data)
    segments = list(root.iter(f"{X}segment"))
    for index, (target, state) in edits.items():
        seg = segments[index]
        if target is not None:
            seg.find(f"{X}target").text = target  # type: ignore[union-attr]
        seg.set("state", state)
    if drop_matches:
        for unit in root.iter(f"{X}unit"):
            for m in unit.findall(f"{{{MTC}}}matches"):
                unit.remove(m)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


@pytest.fixture
def edited(tmp_path: Path) -> Path:
    path = tmp_path / "article.en.xlf"
    path.write_bytes(cat_edit(get_exporter("xliff").render(RESULT), EDITS))
    return path


def test_edited_file_stays_valid_and_rebuilds(edited: Path) -> None:
    assert xliff_errors(edited.read_bytes()) == []
    doc = read_xliff(edited)
    assert doc.source_text() == RESULT.source_text
    target = doc.target_text()
    assert EDITS[0][0] in target and "Completely different words here." in target


def test_effort_per_segment_and_total(edited: Path) -> None:
    doc = read_xliff(edited)
    report = post_edit_effort(doc)
    by_id = {s.id: s for s in report.segments}
    ids = [s.id for s in RESULT.segments]
    assert len(report.segments) == len(RESULT.segments)
    assert report.edited == 2 and report.unknown_mt == 0
    unchanged = by_id[ids[2]]
    assert (unchanged.edited, unchanged.chrf, unchanged.ter) == (False, 100.0, 0.0)
    light, heavy = by_id[ids[0]], by_id[ids[4]]
    assert light.edited and heavy.edited
    assert 0 < heavy.chrf < light.chrf < 100
    assert 0 < light.ter < heavy.ter
    assert light.mt == RESULT.segments[0].target and light.final == EDITS[0][0]
    assert report.chrf is not None and 0 < report.chrf < 100
    assert report.ter is not None and report.ter > 0
    assert report.signatures["chrf"].startswith("nrefs:1")
    # Segments exported as 'reviewed' (memory matches) count as approved too.
    memory_origin = {i for i, s in enumerate(RESULT.segments) if s.origin == "memory"}
    assert report.approved == len(memory_origin | {0, 2})


def test_mt_from_result_when_the_cat_tool_dropped_candidates(tmp_path: Path) -> None:
    data = cat_edit(get_exporter("xliff").render(RESULT), EDITS, drop_matches=True)
    doc = parse_xliff(data)
    assert post_edit_effort(doc).unknown_mt == len(RESULT.segments)
    report = post_edit_effort(doc, {s.id: s.target for s in RESULT.segments})
    assert report.unknown_mt == 0 and report.edited == 2


def test_approved_segments_go_to_memory_and_come_back(edited: Path, tmp_path: Path) -> None:
    doc = read_xliff(edited)
    approved = approved_segments(doc)
    assert {s.state for s in approved} <= {"reviewed", "final"}
    with TranslationMemory(tmp_path / "tm.sqlite") as tm:
        assert store_approved(doc, tm) == len(approved) - 1  # the repeated title counts once
        assert tm.lookup(RESULT.segments[0].source, "en") == EDITS[0][0]
        # Segments 0 and 2 share their source (the repeated title): the final edit wins.
        assert RESULT.segments[2].source == RESULT.segments[0].source
        assert tm.lookup(RESULT.segments[3].source, "en") is None
        n = next(i for i, s in enumerate(RESULT.segments) if s.origin == "memory")
        assert tm.lookup(RESULT.segments[n].source, "en") == RESULT.segments[n].target
        assert tm.lookup(RESULT.segments[4].source, "en") is None  # edited but not approved
        assert store_approved(doc, tm) == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<xliff", "not well-formed"),
        (b"<tmx version='1.4'/>", "not an XLIFF 2 or 1.2 file"),
    ],
)
def test_bad_xliff_is_an_input_error(content: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_xliff(content)
