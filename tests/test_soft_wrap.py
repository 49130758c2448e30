"""Soft-wrap newlines inside a segment: one line in PO and TMX, layout kept in the document."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from resultfixtures import make_result

from translate.export import get_exporter
from translate.export.tmx import read_tmx
from translate.memory import TranslationMemory
from translate.units import one_line

TEXT = "Titre\n\nUne phrase repliée\nsur deux lignes. Une autre\r\n  phrase.\n\nFin \n de texte.\n"
RESULT = make_result(TEXT)
TTK = os.environ.get("TRANSLATE_TTK_PYTHON", "")


def render(fmt: str) -> str:
    out = get_exporter(fmt).render(RESULT)
    return out.decode("utf-8") if isinstance(out, bytes) else out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a\nb", "a b"),
        ("a \n  b", "a b"),
        ("a\r\nb\rc", "a b c"),
        ("a  b", "a  b"),  # only newlines are folded
        ("a\tb", "a\tb"),
        ("", ""),
        ("\nedge\n", "edge"),
    ],
)
def test_one_line(text: str, expected: str) -> None:
    assert one_line(text) == expected


def test_the_source_wraps_inside_segments() -> None:
    assert any("\n" in s.source for s in RESULT.segments)


def test_po_and_tmx_entries_are_one_line_and_the_document_keeps_the_layout() -> None:
    po = render("po")
    entries = [block for block in po.split("\n\n") if "msgid " in block][1:]
    assert len(entries) == len(RESULT.segments)
    assert all("\\n" not in entry for entry in entries)
    assert 'msgid "Une phrase repliée sur deux lignes."' in po
    tmx = render("tmx")
    assert "Une phrase repliée sur deux lignes." in tmx and "repliée\n" not in tmx
    assert render("txt") == RESULT.translated_text() and "repliée\nsur" in RESULT.source_text


def test_memory_matches_a_wrapped_sentence_after_a_tmx_round_trip(tmp_path: Path) -> None:
    (tmp_path / "a.tmx").write_text(render("tmx"), encoding="utf-8")
    with TranslationMemory(tmp_path / "m.sqlite") as tm:
        assert tm.import_tmx(tmp_path / "a.tmx") == len(
            {one_line(s.source) for s in RESULT.segments}
        )
        for seg in RESULT.segments:
            assert tm.lookup(seg.source, "en") == one_line(seg.target)
    assert all("\n" not in u.source for u in read_tmx(tmp_path / "a.tmx"))


@pytest.mark.skipif(
    not (TTK and Path(TTK).is_file()) and not os.environ.get("TRANSLATE_REQUIRE_TTK"),
    reason="Translate Toolkit's interpreter ($TRANSLATE_TTK_PYTHON) is not available",
)
def test_pofilter_finds_no_newline_problem(tmp_path: Path) -> None:
    po, out = tmp_path / "a.po", tmp_path / "found.po"
    po.write_text(render("po"), encoding="utf-8")
    script = (
        "import sys; from translate.filters.pofilter import main; sys.argv[0] = 'pofilter'; main()"
    )
    subprocess.run(
        [TTK, "-c", script, "-t", "newlines", "--nofuzzy", str(po), str(out)],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    # pofilter writes the failing entries (the PO header, then one per problem), or no file at all
    found = out.read_text(encoding="utf-8") if out.exists() else ""
    assert "(pofilter) newlines" not in found
