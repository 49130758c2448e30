"""``translate segment`` contract: jsonl schema, formats, encodings, and one-line input errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from translate._io import decode_text
from translate.cli import main
from translate.errors import EXIT_CONFIG, EXIT_INPUT

FRENCH = (
    "Le 25 août, M. Dupont a vu 10 000 personnes. Elles étaient « ravies » !\nRédaction : Leek\n"
)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["segment", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def jsonl(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines()]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        pytest.param(lambda d: d / "absent.txt", "no such file", id="missing"),
        pytest.param(lambda d: d, "is a directory", id="directory"),
        pytest.param(lambda d: _write(d / "empty.txt", b""), "is empty", id="empty"),
        pytest.param(
            lambda d: _write(d / "blank.txt", b" \n\r\n\t"), "is empty", id="whitespace-only"
        ),
        pytest.param(
            lambda d: _write(d / "bom-only.txt", b"\xef\xbb\xbf"), "is empty", id="bom-only"
        ),
        pytest.param(
            lambda d: _write(d / "image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
            "binary",
            id="binary",
        ),
        pytest.param(
            lambda d: _write(d / "latin1.txt", FRENCH.encode("latin-1", "replace")),
            "not valid UTF-8",
            id="latin-1",
        ),
    ],
)
def test_bad_input_is_one_line(tmp_path: Path, capsys, make, message: str) -> None:  # type: ignore[no-untyped-def]
    path = make(tmp_path)
    code, out, err = run(capsys, str(path), "--format", "jsonl")
    assert code == EXIT_INPUT, err
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("translate: error: ") and message in err, err
    assert "Traceback" not in err


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_latin1_hint_and_encoding_override(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = _write(tmp_path / "latin1.txt", "Le café a été fermé. Il a rouvert.".encode("latin-1"))
    code, _, err = run(capsys, str(path))
    assert code == EXIT_INPUT and "--encoding" in err
    code, out, _ = run(capsys, str(path), "--encoding", "latin-1")
    assert code == 0 and out == "Le café a été fermé.\nIl a rouvert.\n"
    code, _, err = run(capsys, str(path), "--encoding", "no-such-codec")
    assert code == EXIT_INPUT and "unknown encoding" in err and err.count("\n") == 1


def test_jsonl_schema_and_offsets(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = _write(tmp_path / "doc.txt", FRENCH.encode("utf-8"))
    code, out, _ = run(capsys, str(path), "--format", "jsonl")
    assert code == 0
    records = jsonl(out)
    assert [r["text"] for r in records] == [
        "Le 25 août, M. Dupont a vu 10 000 personnes.",
        "Elles étaient « ravies » !",
        "Rédaction : Leek",
    ]
    for r in records:
        assert set(r) == {"id", "paragraph", "text", "start", "end", "kind"}
        assert isinstance(r["id"], str) and isinstance(r["paragraph"], int)
        assert FRENCH[r["start"] : r["end"]] == r["text"]
    assert [r["id"] for r in records] == ["p1.s1", "p1.s2", "p2.s1"]
    assert [r["kind"] for r in records] == ["sentence", "sentence", "byline"]


def test_bom_and_crlf_are_transparent(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    raw = b"\xef\xbb\xbf" + FRENCH.replace("\n", "\r\n").encode("utf-8")
    path = _write(tmp_path / "windows.txt", raw)
    code, out, _ = run(capsys, str(path), "--format", "jsonl")
    assert code == 0
    decoded = decode_text(raw)
    assert decoded == FRENCH
    records = jsonl(out)
    assert records[0]["start"] == 0
    assert all(
        decoded[r["start"] : r["end"]] == r["text"] and "\r" not in r["text"] for r in records
    )


@pytest.mark.parametrize("fmt", ["text", "table"])
def test_text_and_table_formats(article_path: Path, capsys, fmt: str) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(capsys, str(article_path), "--format", fmt)
    assert code == 0 and err == ""
    assert "Rédaction : Leek, Foresight News" in out


def test_text_format_is_one_segment_a_line(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = _write(
        tmp_path / "doc.txt", "Un titre coupé\nen deux lignes\n\nUne phrase. Une autre.".encode()
    )
    code, out, _ = run(capsys, str(path))
    assert code == 0
    assert out.splitlines() == ["Un titre coupé en deux lignes", "Une phrase.", "Une autre."]


def test_abbreviations_option(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    doc = _write(tmp_path / "doc.txt", "Le Gén. Leclerc est arrivé. Il a salué.".encode())
    abbr = _write(tmp_path / "abbr.txt", b"Gen.\nG\xc3\xa9n.\n")
    code, out, _ = run(capsys, str(doc), "--abbreviations", str(abbr))
    assert code == 0 and out.splitlines() == ["Le Gén. Leclerc est arrivé.", "Il a salué."]
    code, out, err = run(capsys, str(doc), "--abbreviations", str(tmp_path / "absent.txt"))
    assert code == EXIT_CONFIG and out == "" and err.count("\n") == 1 and "not found" in err


def test_real_process_has_no_traceback(tmp_path: Path) -> None:
    path = _write(tmp_path / "latin1.txt", "Été.".encode("latin-1"))
    proc = subprocess.run(
        [sys.executable, "-m", "translate", "segment", str(path)],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert proc.returncode == EXIT_INPUT
    assert proc.stdout == "" and proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_bom_are_read(tmp_path: Path, capsys, codec: str) -> None:  # type: ignore[no-untyped-def]
    data = FRENCH.encode(codec)
    if not codec.endswith(("16", "32")):  # the -le/-be codecs write no mark: add it
        data = "\ufeff".encode(codec) + data
    path = _write(tmp_path / "unicode.txt", data)
    code, out, err = run(capsys, str(path), "--format", "jsonl")
    assert code == 0, err
    assert [r["text"] for r in jsonl(out)][-1] == "Rédaction : Leek"
    assert all(FRENCH[r["start"] : r["end"]] == r["text"] for r in jsonl(out))
