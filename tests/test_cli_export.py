"""CLI contract of ``translate export``, ``review`` and ``memory``: outputs, exit codes, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from resultfixtures import make_result

from translate.cli import main
from translate.errors import EXIT_CONFIG, EXIT_INPUT, EXIT_OUTPUT, EXIT_USAGE
from translate.export import DEFAULT_FORMATS, EXPORTERS
from translate.export.base import is_flagged
from translate.memory import TranslationMemory

RESULT = make_result()


@pytest.fixture
def result_json(tmp_path: Path) -> Path:
    path = tmp_path / "article.en.json"
    path.write_text(RESULT.to_json(), encoding="utf-8")
    return path


def one_line_error(err: str) -> None:
    assert (
        err.count("\n") == 1 and err.startswith("translate: error: ") and "Traceback" not in err
    ), err


def test_export_writes_each_format(
    result_json: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert (
        main(["export", str(result_json), "--format", "xliff,po,md", "--out", str(out), "--json"])
        == 0
    )
    written = json.loads(capsys.readouterr().out)["written"]
    assert [Path(p).name for p in written] == ["article.en.xlf", "article.en.po", "article.en.md"]
    assert sorted(p.name for p in out.iterdir()) == sorted(Path(p).name for p in written)


def test_export_defaults_beside_the_result(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "run.json"
    path.write_text(RESULT.to_json(), encoding="utf-8")
    assert main(["export", str(path)]) == 0
    names = {p.name for p in tmp_path.iterdir()}
    assert names == {"run.json"} | {f"run.en.{EXPORTERS[f].extension}" for f in DEFAULT_FORMATS}


BAD_RESULTS = [
    ("not json {", EXIT_CONFIG, "not valid JSON"),
    ("[1, 2]", EXIT_CONFIG, "not a translation result"),
    ('{"schema": "other/1"}', EXIT_CONFIG, "not a translation result"),
    ('{"schema": "translate.result/1", "source": {}}', EXIT_CONFIG, "missing field"),
    (
        '{"schema": "translate.result/1", "source": {"path": "a", "lang": "fr", "text": "x"}, "target_lang": "en", "segments": [1]}',
        EXIT_CONFIG,
        "not a valid translation result",
    ),
    ("", EXIT_INPUT, "empty"),
]


@pytest.mark.parametrize(("content", "code", "message"), BAD_RESULTS)
@pytest.mark.parametrize("command", ["export", "review"])
def test_bad_result_json_is_one_line_and_writes_nothing(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    command: str,
    content: str,
    code: int,
    message: str,
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    out = tmp_path / "out"
    args = [command, str(path)] + (
        ["--out", str(out)] if command == "export" else ["--html", str(out / "r.html")]
    )
    assert main(args) == code
    err = capsys.readouterr().err
    one_line_error(err)
    assert message in err
    assert not out.exists()


def test_corrupt_offsets_are_a_config_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = RESULT.to_dict()
    data["segments"][2]["start"] += 3
    path = tmp_path / "article.en.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert main(["export", str(path), "--out", str(tmp_path / "out")]) == EXIT_CONFIG
    one_line_error(capsys.readouterr().err)
    assert not (tmp_path / "out").exists()


def test_missing_result_and_unknown_format(
    result_json: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", str(tmp_path / "absent.json")]) == EXIT_INPUT
    one_line_error(capsys.readouterr().err)
    with pytest.raises(SystemExit) as exc:
        main(["export", str(result_json), "--format", "xliff,docx"])
    assert exc.value.code == EXIT_USAGE
    err = capsys.readouterr().err
    assert "valid formats are: xliff, xliff12, tmx, po, json, txt, md, html" in err


def test_unwritable_output_directory(
    result_json: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("")
    assert main(["export", str(result_json), "--out", str(blocker / "sub")]) == EXIT_OUTPUT
    one_line_error(capsys.readouterr().err)


def test_review_only_flagged(result_json: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["review", str(result_json), "--only-flagged", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["segments"]
    assert [r["id"] for r in rows] == [s.id for s in RESULT.segments if is_flagged(s)]
    assert all(r["flags"] for r in rows)
    assert main(["review", str(result_json), "--only-flagged"]) == 0
    out = capsys.readouterr().out
    first = next(s for s in RESULT.segments if is_flagged(s))
    assert first.id in out and "flagged" in out


def test_review_html(result_json: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "review.html"
    assert main(["review", str(result_json), "--html", str(page)]) == 0
    html = page.read_text(encoding="utf-8")
    assert html.count('<tr id="seg-') == len(RESULT.segments)


def _edited_xliff(tmp_path: Path) -> Path:
    from test_review import EDITS, cat_edit

    from translate.export import get_exporter

    path = tmp_path / "article.en.xlf"
    path.write_bytes(cat_edit(get_exporter("xliff").render(RESULT), EDITS))
    return path


def test_review_xliff_reports_effort_and_stores_approved(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    xlf = _edited_xliff(tmp_path)
    memory = tmp_path / "tm.sqlite"
    assert main(["review", str(xlf), "--json", "--memory", str(memory)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["total"]["edited"] == 2 and report["total"]["segments"] == len(RESULT.segments)
    assert report["memory"]["stored"] > 0
    with TranslationMemory(memory) as tm:
        assert tm.lookup(RESULT.segments[0].source, "en") == report["segments"][0]["final"]
    assert main(["review", str(xlf), "--memory", str(memory)]) == 0
    out = capsys.readouterr().out
    assert "2 of" in out and "segments edited" in out and "stored 0" in out


def test_review_xliff_no_memory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    xlf = _edited_xliff(tmp_path)
    memory = tmp_path / "tm.sqlite"
    monkeypatch.setenv("TRANSLATE_MEMORY", str(memory))
    assert main(["review", str(xlf), "--no-memory"]) == 0
    assert not memory.exists()


def test_review_missing_xliff(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["review", str(tmp_path / "absent.xlf")]) == EXIT_INPUT
    one_line_error(capsys.readouterr().err)


def test_memory_commands(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRANSLATE_MEMORY", str(tmp_path / "env.sqlite"))
    with TranslationMemory(tmp_path / "a.sqlite") as tm:
        tm.add("Bonjour.", "Hello.", "en")
        tm.add("Bonjour.", "Hallo.", "de")
    tmx = tmp_path / "a.tmx"
    assert main(["memory", "--memory", str(tmp_path / "a.sqlite"), "export", str(tmx)]) == 0
    assert "exported 2" in capsys.readouterr().out
    assert main(["memory", "import", str(tmx), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["added"] == 2
    assert TranslationMemory().lookup("Bonjour.", "de") == "Hallo."
    assert main(["memory", "info"]) == 0
    out = capsys.readouterr().out
    assert "env.sqlite" in out and "de\t1" in out
    assert main(["memory", "import", str(tmp_path / "absent.tmx")]) == EXIT_INPUT
    one_line_error(capsys.readouterr().err)


def test_export_and_review_do_not_import_torch(result_json: Path, tmp_path: Path) -> None:
    code = (
        "import sys, contextlib, io\n"
        "from translate.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main(['export', {str(result_json)!r}, '--out', {str(tmp_path / 'o')!r}])\n"
        f"    main(['review', {str(result_json)!r}])\n"
        "print(' '.join(m for m in ('torch', 'transformers') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_review_table_prints_text_literally(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from dataclasses import replace

    from translate.units import replace_segments

    seg = replace(RESULT.segments[0], target="[red]boom[/red]", reference="[b]ref[/b]")
    path = tmp_path / "r.json"
    path.write_text(replace_segments(RESULT, [seg]).to_json(), encoding="utf-8")
    assert main(["review", str(path)]) == 0
    out = capsys.readouterr().out
    assert "[red]boom[/red]" in out and "[b]ref[/b]" in out


def test_cat_edit_to_memory_to_valid_tmx(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The whole loop a translator runs: edit the XLIFF, review it, export the memory as TMX."""
    from schemas import tmx_errors

    xlf = _edited_xliff(tmp_path)
    memory = tmp_path / "tm.sqlite"
    argv = ["review", str(xlf), "--json", "--only-flagged", "--memory", str(memory)]
    assert main(argv) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["segments"] and all(row["edited"] for row in report["segments"])
    assert len(report["segments"]) == report["total"]["edited"] == 2
    tmx = tmp_path / "tm.tmx"
    assert main(["memory", "--memory", str(memory), "export", str(tmx)]) == 0
    assert tmx_errors(tmx.read_bytes()) == []
    with TranslationMemory(memory) as tm:
        assert tm.lookup(RESULT.segments[0].source, "en") is not None


def test_review_corpus_line_gives_the_gate_verdict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from dataclasses import replace

    summary = {
        "segments": 3,
        "terms_required": 4,
        "terms_found": 3,
        "term_accuracy": 0.75,
        "metrics": {"n_segments": 3, "bleu": 31.25},
        "checks": {"critical": 1, "major": 0, "minor": 2},
        "gate": {
            "passed": False,
            "checks": [{"metric": "qa_critical", "status": "fail", "message": "critical 1 > 0"}],
        },
    }
    path = tmp_path / "r.en.json"
    path.write_text(replace(RESULT, summary=summary).to_json(), encoding="utf-8")
    assert main(["review", str(path), "--only-flagged"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "BLEU 31.25" in out and "terms 3/4 (75.0%)" in out
    assert "QA 1 critical, 0 major, 2 minor" in out and "gate FAILED: critical 1 > 0" in out
    assert "n_segments" not in out
