"""Review import of files a CAT tool rewrote: normalised sources, padded targets, renumbered ids,
dropped MT; TMX control characters and TMX without French."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from resultfixtures import make_result
from schemas import tmx_errors

from translate.cli import main
from translate.errors import EXIT_INPUT, InputError
from translate.export import get_exporter
from translate.export.tmx import read_tmx
from translate.export.xliff import MTC, XLF, parse_xliff
from translate.memory import TranslationMemory
from translate.reconcile import Original, reconcile

X = f"{{{XLF}}}"
# A source with double spaces and a soft-wrap newline, which CAT tools like to normalise.
TEXT = "Titre  du   document\n\nUne phrase\nrepliée sur deux lignes. Une autre phrase ici.\n"
RESULT = make_result(TEXT)


def rewrite(
    *,
    squash_sources: bool = False,
    pad_targets: bool = False,
    renumber: bool = False,
    drop_matches: bool = False,
) -> bytes:
    """What careless CAT tools do to an XLIFF 2 file: normalise, pretty-print, renumber, drop."""
    ET.register_namespace("", XLF)
    root = ET.fromstring(get_exporter("xliff").render(RESULT))
    for n, seg in enumerate(root.iter(f"{X}segment")):
        source, target = seg.find(f"{X}source"), seg.find(f"{X}target")
        assert source is not None and target is not None
        if squash_sources:
            source.text = " ".join((source.text or "").split())
        target.text = f"\n          Edit {n}.\n        " if pad_targets else f"Edit {n}."
        seg.set("state", "final")
        if renumber:  # the candidates' and metadata's refs now point nowhere
            seg.set("id", f"tu{n + 100}")
    if drop_matches:
        for unit in root.iter(f"{X}unit"):
            for matches in unit.findall(f"{{{MTC}}}matches"):
                unit.remove(matches)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def originals() -> list[Original]:
    return [Original(s.id, s.source, s.target) for s in RESULT.segments]


def test_normalised_sources_and_padded_targets_store_the_right_entries(tmp_path: Path) -> None:
    data = rewrite(squash_sources=True, pad_targets=True, drop_matches=True)
    fixed = reconcile(parse_xliff(data), originals())
    assert [s.source for s in fixed.doc.segments] == [s.source for s in RESULT.segments]
    assert [s.target for s in fixed.doc.segments] == [
        f"Edit {n}." for n in range(len(RESULT.segments))
    ]
    assert len(fixed.padded) == len(RESULT.segments) and not fixed.renumbered
    assert all(s.mt == r.target for s, r in zip(fixed.doc.segments, RESULT.segments, strict=True))


def test_without_result_the_candidate_source_stands_in(tmp_path: Path) -> None:
    """The MT candidate keeps the source as exported: a squashed <source> is restored from it."""
    ET.register_namespace("", XLF)
    root = ET.fromstring(get_exporter("xliff").render(RESULT))
    for seg in root.iter(f"{X}segment"):
        source = seg.find(f"{X}source")
        assert source is not None
        source.text = " ".join((source.text or "").split())
    doc = parse_xliff(ET.tostring(root, encoding="utf-8"))
    assert [s.source for s in doc.segments] != [s.source for s in RESULT.segments]
    fixed = reconcile(doc)
    assert [s.source for s in fixed.doc.segments] == [s.source for s in RESULT.segments]


def test_renumbered_ids_are_matched_by_source(tmp_path: Path) -> None:
    fixed = reconcile(parse_xliff(rewrite(renumber=True)), originals())
    assert [s.id for s in fixed.doc.segments] == [s.id for s in RESULT.segments]
    assert len(fixed.renumbered) == len(RESULT.segments) and not fixed.unmatched
    stray = reconcile(parse_xliff(rewrite(renumber=True)), originals()[:1])
    assert len(stray.unmatched) == len(RESULT.segments) - 1


def test_cli_stores_under_the_exact_source_and_warns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    xlf, res, mem = tmp_path / "a.en.xlf", tmp_path / "a.en.json", tmp_path / "m.sqlite"
    xlf.write_bytes(rewrite(squash_sources=True, pad_targets=True, renumber=True))
    res.write_text(RESULT.to_json(), encoding="utf-8")
    code = main(["review", str(xlf), "--result", str(res), "--memory", str(mem), "--json"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "padded with whitespace" in captured.err and "renumbered" in captured.err
    data = json.loads(captured.out)
    assert data["total"]["unknown_mt"] == 0
    with TranslationMemory(mem) as tm:
        for n, seg in enumerate(RESULT.segments):
            assert tm.lookup(seg.source, "en") == f"Edit {n}."


def test_no_candidates_and_no_result_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    xlf = tmp_path / "a.en.xlf"
    xlf.write_bytes(rewrite(drop_matches=True))
    assert main(["review", str(xlf), "--no-memory"]) == EXIT_INPUT
    err = capsys.readouterr().err
    assert err.startswith("translate: error: ") and "--result" in err and err.count("\n") == 1


# --- TMX -----------------------------------------------------------------------------------------


def test_tmx_control_characters_round_trip(tmp_path: Path) -> None:
    source, target = "Sonnerie\x07 et saut\x0c de page\x1b.", "Bell\x07 and form\x0c feed\x1b."
    with TranslationMemory(tmp_path / "a.sqlite") as tm:
        tm.add(source, target, "en")
        tm.export_tmx(tmp_path / "a.tmx")
    data = (tmp_path / "a.tmx").read_bytes()
    assert "\ufffd".encode() not in data and tmx_errors(data) == []
    [unit] = read_tmx(tmp_path / "a.tmx")
    assert (unit.source, unit.target) == (source, target)
    with TranslationMemory(tmp_path / "b.sqlite") as tm:
        assert tm.import_tmx(tmp_path / "a.tmx") == 1
        assert tm.lookup(source, "en") == target


def test_tmx_without_french_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "de-en.tmx"
    path.write_text(
        '<?xml version="1.0"?><tmx version="1.4"><header srclang="de"/><body>'
        '<tu><tuv xml:lang="de"><seg>Hallo</seg></tuv><tuv xml:lang="en"><seg>Hello</seg></tuv></tu>'
        "</body></tmx>",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="no fr variant"):
        read_tmx(path, require_source=True)
    assert read_tmx(path) == []
    mem = tmp_path / "m.sqlite"
    # the option after the action is accepted too, like `translate run`
    assert main(["memory", "import", str(path), "--memory", str(mem)]) == EXIT_INPUT
    err = capsys.readouterr().err
    assert "languages: de, en" in err and err.count("\n") == 1
    assert not mem.exists()


def test_memory_option_after_the_action(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    mem = tmp_path / "m.sqlite"
    with TranslationMemory(mem) as tm:
        tm.add("Bonjour.", "Hello.", "en")
    assert main(["memory", "info", "--memory", str(mem), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"memory": str(mem), "entries": {"en": 1}}
    assert main(["memory", "--memory", str(mem), "info", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["entries"] == {"en": 1}
