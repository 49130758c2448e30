"""CLI contract: every subcommand has help, --version works, user errors give one line and a code."""

from __future__ import annotations

import subprocess
import sys

import pytest

from translate.cli import COMMANDS, build_parser, main
from translate.errors import EXIT_INPUT


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.startswith("translate ")


@pytest.mark.parametrize("command", COMMANDS)
def test_every_subcommand_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main([command, "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: translate " + command.split()[0]), out


def test_help_lists_every_command() -> None:
    text = build_parser().format_help()
    for command in COMMANDS:
        assert command in text


def test_help_and_segment_do_not_import_torch(article_path) -> None:  # type: ignore[no-untyped-def]
    code = (
        "import sys\n"
        "from translate.cli import main\n"
        "import contextlib, io\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main(['segment', {str(article_path)!r}])\n"
        "print(' '.join(m for m in ('torch', 'transformers') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_missing_file_is_one_line(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["segment", str(tmp_path / "absent.txt")]) == EXIT_INPUT
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no such file" in err and "Traceback" not in err
