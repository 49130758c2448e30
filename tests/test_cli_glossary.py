"""``translate glossary check`` and ``translate glossary match``: exit codes, JSON, no torch."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from translate.cli import main
from translate.errors import EXIT_GLOSSARY, EXIT_INPUT, EXIT_MODEL, EXIT_OK, EXIT_USAGE

DATA = Path(__file__).parent / "data"
SMALL = DATA / "glossary-small.csv"


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    p = tmp_path / name
    if isinstance(content, bytes):
        p.write_bytes(content)
    else:
        p.write_text(content, encoding="utf-8")
    return p


@pytest.mark.parametrize(
    "content, code, errors, warnings",
    [
        ("fr,en\ncloud,cloud\n", EXIT_OK, 0, 0),
        ("fr,en\ncloud,cloud\ncloud,cloud\n", EXIT_OK, 0, 1),
        ("fr,en\ncloud,cloud\ncloud,nuage\n", EXIT_GLOSSARY, 1, 0),
        ("fr,en,klingon\ncloud,cloud,x\n", EXIT_GLOSSARY, 1, 0),
        ("fr,en\n,cloud\nminage,\n", EXIT_GLOSSARY, 1, 1),
    ],
)
def test_check_json(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    content: str,
    code: int,
    errors: int,
    warnings: int,
) -> None:
    path = write(tmp_path, "g.csv", content)
    assert main(["glossary", "check", str(path), "--json"]) == code
    report = json.loads(capsys.readouterr().out)
    assert (report["errors"], report["warnings"]) == (errors, warnings), report
    assert all(i["severity"] in ("error", "warning", "info") for i in report["issues"])


def test_check_human_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["glossary", "check", str(SMALL), str(DATA / "glossary-small.tbx")]) == EXIT_OK
    out = capsys.readouterr().out
    assert "overlap" not in out and "0 error(s)" in out and "--all lists them" in out
    assert main(["glossary", "check", "--all", str(SMALL)]) == EXIT_OK
    assert "overlap" in capsys.readouterr().out


@pytest.mark.parametrize(
    "content, strict, code",
    [
        ("fr,en\ncloud,cloud\ncloud public,public cloud\n", True, EXIT_OK),  # a note only
        ("fr,en\ncloud,\n", False, EXIT_OK),
        ("fr,en\ncloud,\n", True, EXIT_GLOSSARY),
    ],
)
def test_check_strict_fails_on_warnings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, strict: bool, code: int
) -> None:
    path = write(tmp_path, "g.csv", content)
    assert main(["glossary", "check", str(path), *(["--strict"] if strict else [])]) == code


def test_shipped_glossary_has_no_errors(capsys: pytest.CaptureFixture[str]) -> None:
    shipped = Path(__file__).parents[1] / "glossaries" / "crypto-cloud.csv"
    assert main(["glossary", "check", str(shipped), "--json"]) == EXIT_OK
    report = json.loads(capsys.readouterr().out)
    assert report["errors"] == 0 and report["warnings"] < 20, report


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("bad.csv", "en,de\na,b\n", "no 'fr' column"),
        ("bad.csv", b"fr,en\n\xff\xfe,x\n", "not valid UTF-8"),
        ("bad.csv", "fr,en\na,b,c\n", "line 2"),
        ("bad.tbx", "<tbx><body>", "not well-formed"),
    ],
)
@pytest.mark.parametrize("command", ["check", "match"])
def test_malformed_glossary_is_one_line(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    article_path: Path,
    name: str,
    content: str | bytes,
    message: str,
    command: str,
) -> None:
    path = write(tmp_path, name, content)
    argv = (
        ["glossary", "check", str(path)]
        if command == "check"
        else ["glossary", "match", str(article_path), "-g", str(path)]
    )
    assert main(argv) == EXIT_GLOSSARY
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and message in captured.err, captured.err


def test_check_with_model_reports_unk(
    tmp_path: Path, make_tiny_model: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    # 'ꙮ' is in no training text of the tiny tokenizers, so these terms can only be <unk>.
    glossary = write(tmp_path, "g.csv", "fr,en,de\nbourse,exchange,Bꙮrse\nminage,mꙮning,Mining\n")
    model = make_tiny_model("opus-mt-fr-de", seed=4)
    assert (
        main(["glossary", "check", str(glossary), "--model", str(model), "--json"]) == EXIT_GLOSSARY
    )
    report = json.loads(capsys.readouterr().out)
    # The language is read from the model's name: only German terms are checked.
    assert [i["message"].split("'")[1] for i in report["issues"] if i["code"] == "unk"] == ["Bꙮrse"]
    argv = ["glossary", "check", str(glossary), "--model", str(model), "--lang", "en"]
    assert main(argv) == EXIT_GLOSSARY
    assert "mꙮning" in capsys.readouterr().out
    assert main(["glossary", "check", str(SMALL), "--model", str(model), "--lang", "en"]) == EXIT_OK


def test_check_with_missing_model(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["glossary", "check", str(SMALL), "--model", str(tmp_path / "nope")]) == EXIT_MODEL
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot load the tokenizer" in err


def test_match_json_offsets_are_document_offsets(
    article_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["glossary", "match", str(article_path), "-g", str(SMALL), "--json"]) == EXIT_OK
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    text = article_path.read_text(encoding="utf-8")
    assert len(rows) > 20
    for row in rows:
        assert text[row["start"] : row["end"]] == row["text"]
        assert {"start", "end", "text", "headword"} <= set(row)
    assert {"cryptomonnaie", "Foresight News"} <= {r["headword"] for r in rows}


def test_match_table_and_merge(
    tmp_path: Path, article_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    extra = write(tmp_path, "extra.csv", "fr,en\nsommet,summit\n")
    assert main(["glossary", "match", str(article_path), "-g", str(SMALL), "-g", str(extra)]) == 0
    out = capsys.readouterr().out
    assert "sommet" in out and "cryptomonnaies" in out and "match(es)" in out


@pytest.mark.parametrize(
    "argv, code",
    [
        (["glossary"], EXIT_USAGE),
        (["glossary", "match", "ARTICLE"], EXIT_USAGE),
    ],
)
def test_usage_errors(argv: list[str], code: int) -> None:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == code


def test_match_missing_article(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["glossary", "match", str(tmp_path / "a.txt"), "-g", str(SMALL)]) == EXIT_INPUT
    assert "no such file" in capsys.readouterr().err


@pytest.mark.parametrize("action", ["check", "match"])
def test_glossary_commands_do_not_import_torch(action: str, article_path: Path) -> None:
    argv = (
        ["glossary", "check", str(SMALL)]
        if action == "check"
        else ["glossary", "match", str(article_path), "-g", str(SMALL), "--json"]
    )
    code = (
        "import sys, contextlib, io\n"
        "from translate.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main({argv!r})\n"
        "print(' '.join(m for m in ('torch', 'transformers') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
