"""CLI contract: every subcommand has help, --version works, user errors give one line and a code."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

from translate.cli import COMMANDS, build_parser, main
from translate.errors import EXIT_INPUT, EXIT_OUTPUT


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.startswith("translate ")


def _command_paths(
    parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()
) -> list[tuple[str, ...]]:
    """Every command and nested subcommand (``glossary check``, ``models pull``, ...)."""
    paths = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                paths.append((*prefix, name))
                paths += _command_paths(sub, (*prefix, name))
    return paths


COMMAND_PATHS = _command_paths(build_parser())


def test_nested_subcommands_are_found() -> None:
    assert ("glossary", "check") in COMMAND_PATHS and ("models", "pull") in COMMAND_PATHS


@pytest.mark.parametrize("path", COMMAND_PATHS, ids=" ".join)
def test_every_subcommand_has_help(
    path: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        main([*path, "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: translate " + " ".join(path)), out
    assert len(out.splitlines()) > 3, out


def test_help_lists_every_command() -> None:
    text = build_parser().format_help()
    for command in COMMANDS:
        assert command in text


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["segment", "{article}"],
        ["segment", "{article}", "--format", "table"],
        ["glossary", "check", "{glossary}"],
        ["glossary", "match", "{article}", "-g", "{glossary}"],
        ["score", "--hyp", "{hyp}", "--ref", "{ref}", "--lang", "en"],
        ["models", "list"],
        ["localize", "--src", "{ref}", "--hyp", "{hyp}", "--to", "en-GB"],
    ],
    ids=lambda argv: " ".join(a for a in argv if not a.startswith("{")),
)
def test_commands_that_do_not_translate_do_not_import_torch(
    argv: list[str], article_path: Path, tmp_path: Path
) -> None:
    (tmp_path / "hyp.txt").write_text("The exchange opened.\nIt rained.\n", encoding="utf-8")
    (tmp_path / "ref.txt").write_text("The exchange opened.\nIt was raining.\n", encoding="utf-8")
    repo = Path(__file__).parent.parent
    values = {
        "{article}": str(article_path),
        "{glossary}": str(repo / "glossaries" / "crypto-cloud.csv"),
        "{hyp}": str(tmp_path / "hyp.txt"),
        "{ref}": str(tmp_path / "ref.txt"),
    }
    args = [values.get(a, a) for a in argv]
    code = (
        "import sys, contextlib, io\n"
        "from translate.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n"
        f"        rc = main({args!r})\n"
        "    except SystemExit as exit:\n"
        "        rc = exit.code\n"
        "print(rc, ' '.join(m for m in ('torch', 'transformers') if m in sys.modules))\n"
    )
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_HOME": str(tmp_path / "hf")}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=repo, env=env
    )
    assert out.stdout.strip() == "0", out.stderr


def test_missing_file_is_one_line(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["segment", str(tmp_path / "absent.txt")]) == EXIT_INPUT
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no such file" in err and "Traceback" not in err


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_full_disk_on_stdout_is_one_line(article_path) -> None:  # type: ignore[no-untyped-def]
    with open("/dev/full", "w") as full:
        run = subprocess.run(
            [sys.executable, "-m", "translate", "segment", str(article_path)],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
        )
    assert run.returncode == EXIT_OUTPUT
    assert run.stderr.count("\n") == 1 and "cannot write output" in run.stderr, run.stderr
