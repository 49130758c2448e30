"""Reliability under hostile and heavy input: one test (or table) per class of defect.

The translation memory waits for locks and names the real cause of a failure; outputs are
replaced as whole sets; crafted files and odd names end in one line with a documented code.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import shutil
import signal
import sqlite3
import string
import subprocess
import sys
import textwrap
import threading
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
from growth import assert_about_linear
from hypothesis import given
from hypothesis import strategies as st

from translate._io import check_output_dir
from translate._outputs import recover, write_set
from translate.cli import main
from translate.cli._terminal import for_stream, visible
from translate.errors import EXIT_CONFIG, EXIT_INPUT, EXIT_OUTPUT, ConfigError, OutputError
from translate.export.tmx import iter_tmx
from translate.export.xliff import parse_xliff
from translate.memory import (
    BUSY_TIMEOUT_S,
    MemoryEntry,
    TranslationMemory,
    sqlite_error,
)

REPO = Path(__file__).resolve().parent.parent

# --- translation memory -------------------------------------------------------------------------


@pytest.fixture
def stored(tmp_path: Path) -> Path:
    path = tmp_path / "tm.sqlite"
    with TranslationMemory(path) as tm:
        tm.add("Oui.", "Yes.", "en")
    return path


def test_reading_never_writes(stored: Path) -> None:
    before = (stored.read_bytes(), stored.stat().st_mtime_ns)
    with TranslationMemory(stored) as tm:
        assert tm.lookup("Oui.", "en") == "Yes." and len(tm) == 1
        assert tm.languages() == {"en": 1}
        assert tm._conn is not None
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            tm._conn.execute("CREATE TABLE x (a)")  # the connection itself is read-only
    assert (stored.read_bytes(), stored.stat().st_mtime_ns) == before
    assert sorted(p.name for p in stored.parent.iterdir()) == ["tm.sqlite"]


def test_memory_waits_for_a_lock_as_long_as_the_cache() -> None:
    assert BUSY_TIMEOUT_S == 30.0  # translate/engine/cache.py waits 30 s too


@pytest.mark.parametrize("action", ["read", "write"])
def test_a_lock_held_for_a_while_is_waited_for(stored: Path, action: str) -> None:
    other = sqlite3.connect(stored, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN EXCLUSIVE")
    threading.Timer(0.4, lambda: other.execute("COMMIT")).start()
    with TranslationMemory(stored, timeout=10) as tm:
        if action == "read":
            assert tm.lookup("Oui.", "en") == "Yes."
        else:
            assert tm.add_many([MemoryEntry("Non.", "en", "No.")]) == 1
    other.close()


@pytest.mark.parametrize("action", ["read", "write"])
def test_a_lock_held_too_long_is_named_as_a_lock(stored: Path, action: str) -> None:
    other = sqlite3.connect(stored, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with TranslationMemory(stored, timeout=0.1) as tm, pytest.raises(OutputError) as err:
            if action == "read":
                tm.lookup("Oui.", "en")
            else:
                tm.add("Non.", "No.", "en")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert "locked by another process" in str(err.value) and "retry" in str(err.value)
    assert "not a translation memory" not in str(err.value)


def test_a_full_disk_is_a_full_disk_and_keeps_the_memory(stored: Path) -> None:
    with TranslationMemory(stored) as tm:
        tm._open().execute("PRAGMA max_page_count = 3")  # SQLite's own "disk is full"
        with pytest.raises(OutputError, match="disk is full") as err:
            tm.add_many(MemoryEntry(f"Phrase {i}. " * 20, "en", "x" * 200) for i in range(500))
    assert err.value.exit_code == EXIT_OUTPUT
    with TranslationMemory(stored) as tm:
        assert len(tm) == 1  # one transaction: nothing of the failed import is kept


def test_a_read_only_database_error_is_exit_7(stored: Path) -> None:
    ro = sqlite3.connect(stored.resolve().as_uri() + "?mode=ro", uri=True)
    with pytest.raises(sqlite3.Error) as raw:
        ro.execute("INSERT INTO units VALUES ('a', 'en', 'b', '', '')")
    err = sqlite_error(stored, raw.value, "writing", 30)
    assert isinstance(err, OutputError) and "read-only" in str(err) and "--no-memory" in str(err)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"this is not sqlite" * 300, "not a translation memory or is damaged"),
        (None, r"not a translation memory \(no units table\)"),
    ],
)
def test_only_a_damaged_or_foreign_file_is_exit_8(
    tmp_path: Path, content: bytes | None, message: str
) -> None:
    path = tmp_path / "tm.sqlite"
    if content is None:
        sqlite3.connect(path).execute("CREATE TABLE other (a)").connection.close()
    else:
        path.write_bytes(content)
    with pytest.raises(ConfigError, match=message):
        TranslationMemory(path).check()
    with pytest.raises(ConfigError, match=message):
        TranslationMemory(path).add("a", "b", "en")


def test_an_empty_file_is_an_empty_memory(tmp_path: Path) -> None:
    path = tmp_path / "tm.sqlite"
    path.write_bytes(b"")
    with TranslationMemory(path) as tm:
        assert tm.lookup("a", "en") is None and len(tm) == 0
        tm.add("a", "b", "en")
        assert tm.lookup("a", "en") == "b"


# --- whole output sets ---------------------------------------------------------------------------

NAMES = [f"doc.en.{ext}" for ext in ("json", "xlf", "txt", "html", "po", "tmx", "md")]


def _set(folder: Path, tag: str) -> list[tuple[Path, bytes]]:
    return [(folder / n, f"{tag} {n}\n".encode()) for n in NAMES]


def _state(folder: Path) -> tuple[set[str], list[str]]:
    """Which sets the outputs belong to, and the hidden files of ours left in ``folder``."""
    tags = {(folder / n).read_text().split()[0] for n in NAMES}
    hidden = sorted(p.name for p in folder.iterdir() if p.name.startswith("."))
    return tags, hidden


def test_a_set_replaces_all_files(tmp_path: Path) -> None:
    write_set(_set(tmp_path, "old"))
    write_set(_set(tmp_path, "new"))
    assert _state(tmp_path) == ({"new"}, [])


@pytest.mark.parametrize("failure", ["full-disk", "bug", "interrupt"])
def test_a_failure_while_writing_leaves_the_old_set_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: str
) -> None:
    import translate._outputs as outputs

    write_set(_set(tmp_path, "old"))
    real = os.fsync
    calls = []

    def fsync(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 3:
            if failure == "full-disk":
                raise OSError(28, "No space left on device")
            raise RuntimeError("bug") if failure == "bug" else KeyboardInterrupt
        real(fd)

    monkeypatch.setattr(outputs.os, "fsync", fsync)
    expected = {"full-disk": OutputError, "bug": RuntimeError, "interrupt": KeyboardInterrupt}
    with pytest.raises(expected[failure]):
        write_set(_set(tmp_path, "new"))
    assert _state(tmp_path) == ({"old"}, [])


_KILLED_WRITER = """
import os, sys, time
from pathlib import Path
import translate._outputs as outputs
folder, stage = Path(sys.argv[1]), sys.argv[2]
real_replace, real_mkstemp = os.replace, outputs.tempfile.mkstemp
def hang():
    (folder.parent / "ready").touch()
    time.sleep(60)
def replace(src, dst):
    real_replace(src, dst)
    if stage == "rename":
        hang()  # killed after the first rename
def mkstemp(*args, **kwargs):
    made = real_mkstemp(*args, **kwargs)
    if stage == "temp":
        hang()  # killed between mkstemp and the rename
    return made
outputs.os.replace = replace
outputs.tempfile.mkstemp = mkstemp
names = {names!r}
outputs.write_set([(folder / n, ("new " + n + "\\n").encode()) for n in names])
"""


@pytest.mark.parametrize("stage", ["temp", "rename"])
def test_a_killed_writer_is_finished_or_swept_by_the_next_write(tmp_path: Path, stage: str) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    write_set(_set(folder, "old"))
    script = tmp_path / "writer.py"
    script.write_text(_KILLED_WRITER.replace("{names!r}", repr(NAMES)), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child = subprocess.Popen([sys.executable, str(script), str(folder), stage], env=env)
    deadline = time.monotonic() + 60
    while not (tmp_path / "ready").exists():
        assert child.poll() is None and time.monotonic() < deadline, "writer did not start"
        time.sleep(0.02)
    child.send_signal(signal.SIGKILL)
    child.wait()
    tags, hidden = _state(folder)
    assert hidden  # the kill left a temporary (and, after a rename, the journal)
    if stage == "rename":
        assert tags == {"old", "new"}
    recover(folder, NAMES)  # what the next write into the folder does first
    assert _state(folder) == ({"new"} if stage == "rename" else {"old"}, [])


def test_a_live_writers_temporary_is_not_swept(tmp_path: Path) -> None:
    import fcntl

    live = tmp_path / ".doc.en.json.abcd1234.tmp"
    fd = os.open(live, os.O_CREAT | os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        recover(tmp_path, NAMES)
        assert live.exists()
    finally:
        os.close(fd)
    recover(tmp_path, NAMES)
    assert not live.exists()


# --- fail before the work ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["dangling", "loop", "long-name"])
def test_output_folder_defects_are_found_first(tmp_path: Path, kind: str) -> None:
    out = tmp_path / "out"
    names = ["doc.en.json"]
    if kind == "dangling":
        out.symlink_to(tmp_path / "nowhere")
    elif kind == "loop":
        out.symlink_to(out)
    else:
        names = ["x" * 250 + ".en.json"]
    with pytest.raises(OutputError) as err:
        check_output_dir(out, names)
    assert ("symbolic link" in str(err.value)) is (kind != "long-name")
    assert list(tmp_path.iterdir()) == ([out] if kind != "long-name" else [])


# --- crafted files -------------------------------------------------------------------------------


def _xliff(target: str, mt: str = "") -> bytes:
    matches = (
        '<mtc:matches xmlns:mtc="urn:oasis:names:tc:xliff:matches:2.0"><mtc:match ref="#s" '
        f'type="mt"><source>Bonjour.</source><target>{mt}</target></mtc:match></mtc:matches>'
        if mt
        else ""
    )
    return textwrap.dedent(
        f"""\
        <?xml version="1.0"?>
        <xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="fr"
            trgLang="en"><file id="f"><unit id="u">{matches}<segment id="s" state="final">
        <source>Bonjour.</source><target>{target}</target></segment></unit></file></xliff>
        """
    ).encode()


@pytest.mark.parametrize("hex_value", ["D800", "DFFF", "110000", "zz"])
def test_a_cp_that_is_no_character_is_an_input_error(hex_value: str) -> None:
    from translate.errors import InputError

    with pytest.raises(InputError, match="cp hex"):
        parse_xliff(_xliff(f'A<cp hex="{hex_value}"/>B'), name="f.xlf")


@pytest.mark.parametrize("tag", ["mrk", "pc"])
def test_deeply_nested_markers_are_read(tag: str) -> None:
    depth = 20_000
    target = f'<{tag} id="m">' * depth + 'd<cp hex="E9"/>ep' + f"</{tag}>x" * depth
    doc = parse_xliff(_xliff(target))
    assert doc.segments[0].target == "déep" + "x" * depth


def test_crafted_review_files_end_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "sur.xlf"
    bad.write_bytes(_xliff('A<cp hex="D800"/>B'))
    assert main(["review", str(bad), "--memory", str(tmp_path / "m.sqlite")]) == EXIT_INPUT
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "lone surrogate" in err
    deep = tmp_path / "deep.xlf"
    deep.write_bytes(_xliff('<mrk id="m">' * 5000 + "Hello." + "</mrk>" * 5000, mt="Hi."))
    assert main(["review", str(deep), "--json", "--memory", str(tmp_path / "m.sqlite")]) == 0
    assert json.loads(capsys.readouterr().out)["memory"]["stored"] == 1


def test_an_undecodable_file_name_is_refused_before_any_model(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = os.fsdecode(b"caf\xe9.txt")
    (tmp_path / name).write_text("Bonjour.\n", encoding="utf-8")
    argv = ["run", str(tmp_path / name), "--to", "en", "--model", "en=/nonexistent", "--no-cache"]
    assert main([*argv, "--out", str(tmp_path / "o")]) == EXIT_INPUT
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not valid UTF-8 (byte 0xe9)" in err
    assert not (tmp_path / "o").exists()


def _tmx(path: Path, units: int, tail: str = "</body></tmx>") -> None:
    with path.open("w", encoding="utf-8") as fh:
        fh.write('<?xml version="1.0"?><tmx version="1.4"><header srclang="fr"/><body>\n')
        for i in range(units):
            fh.write(
                f'<tu><tuv xml:lang="fr"><seg>Phrase numéro {i} du texte.</seg></tuv>'
                f'<tuv xml:lang="en"><seg>Sentence number {i} of the text.</seg></tuv></tu>\n'
            )
        fh.write(tail)


def test_tmx_is_read_in_bounded_memory(tmp_path: Path) -> None:
    peaks = []
    for units in (5_000, 40_000):  # 0.7 MB and 5.8 MB
        path = tmp_path / f"{units}.tmx"
        _tmx(path, units)
        tracemalloc.start()
        count = sum(1 for _ in iter_tmx(path))
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        assert count == units
    assert peaks[1] < 1.25 * peaks[0], peaks  # 8 times the file, the same memory


def test_a_tmx_broken_at_the_end_imports_nothing(tmp_path: Path) -> None:
    path = tmp_path / "broken.tmx"
    _tmx(path, 12_000, tail="<tu><tuv xml:lang='fr'><seg>x</tuv>")
    with TranslationMemory(tmp_path / "m.sqlite") as tm:
        tm.add("Oui.", "Yes.", "en")
        from translate.errors import InputError

        with pytest.raises(InputError, match="not well-formed"):
            tm.import_tmx(path)
        assert len(tm) == 1


def test_memory_errors_reach_the_cli_with_their_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "m.sqlite"
    path.write_bytes(b"garbage" * 1000)
    assert main(["memory", "--memory", str(path), "info"]) == EXIT_CONFIG
    assert capsys.readouterr().err.count("\n") == 1


# --- terminal safety -----------------------------------------------------------------------------

HOSTILE = "Voir [/] ici. Titre \x1b]0;pwned\x07 et \x1b[2J fin \u202eà l'envers.\n"


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_control_characters_become_visible_symbols() -> None:
    assert visible("a\x1b[2Jb\x07\x7f\x9b\u202e\tc\n") == "a␛[2Jb␇␡\ufffd\ufffd\tc\n"
    assert for_stream("\x1b[2J", _Tty()) == "␛[2J" and for_stream("\x1b[2J", io.StringIO()) == (
        "\x1b[2J"
    )


@pytest.mark.parametrize("fmt", ["text", "table", "jsonl"])
def test_segment_never_sends_controls_to_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    doc = tmp_path / "hostile.txt"
    doc.write_text(HOSTILE, encoding="utf-8")
    tty = _Tty()
    monkeypatch.setattr(sys, "stdout", tty)
    assert main(["segment", str(doc), "--format", fmt]) == 0
    out = tty.getvalue()
    # (rich styles the table with its own escapes: the document's must not get through)
    assert "\x1b]0" not in out and "\x1b[2J" not in out and "\x07" not in out
    assert "\u202e" not in out
    assert "[/]" in out or fmt == "jsonl"  # markup-like text is shown as text
    if fmt == "jsonl":  # JSON keeps the exact text, escaped
        assert "\x1b]0;pwned\x07" in "".join(json.loads(x)["text"] for x in out.splitlines())


def test_segment_text_to_a_pipe_is_exact(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = tmp_path / "hostile.txt"
    doc.write_text(HOSTILE, encoding="utf-8")
    assert main(["segment", str(doc)]) == 0
    assert "\x1b]0;pwned\x07" in capsys.readouterr().out


def test_review_shows_hostile_targets_safely(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    xlf = tmp_path / "h.xlf"
    xlf.write_bytes(_xliff('Titre [/] <cp hex="1B"/>]0;pwned<cp hex="07"/>', mt="Hello [b]."))
    tty = _Tty()
    monkeypatch.setattr(sys, "stdout", tty)
    assert main(["review", str(xlf), "--no-memory"]) == 0
    out = tty.getvalue()
    assert "\x1b]0" not in out and "[/]" in out and "␛]0;pwned␇" in out


def test_error_messages_on_a_terminal_are_visible(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tty = _Tty()
    monkeypatch.setattr(sys, "stderr", tty)
    assert main(["segment", str(tmp_path / "a\x1b[2Jb.txt")]) == EXIT_INPUT
    assert "a␛[2Jb.txt" in tty.getvalue() and "\x1b" not in tty.getvalue()


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="msgfmt (gettext) is not installed")
def test_a_newline_in_the_file_name_keeps_the_po_valid(tmp_path: Path) -> None:
    from resultfixtures import make_result

    from translate.export import export_result

    po = export_result(make_result(path="articles/fr/new\nline.txt"), "po", tmp_path / "x.po")
    run = subprocess.run(
        ["msgfmt", "-c", "-o", os.devnull, str(po)], capture_output=True, text=True
    )
    assert run.returncode == 0 and run.stderr == "", run.stderr


# --- glossary match table -----------------------------------------------------------------------


def test_glossary_match_table_streams_rows(tmp_path: Path) -> None:
    """The table's memory does not grow with the number of matches (as the JSON lines')."""
    from translate.cli.glossary import run_match

    glossary = tmp_path / "g.csv"
    glossary.write_text("fr,en\nblockchain,blockchain\nmonde,world\n", encoding="utf-8")
    peaks = []
    for paragraphs in (500, 4000):
        doc = tmp_path / f"{paragraphs}.txt"
        doc.write_text("La blockchain du monde change.\n\n" * paragraphs, encoding="utf-8")
        args = argparse.Namespace(
            glossary=[str(glossary)], article=str(doc), accent_insensitive=False, encoding=None,
            json=False,
        )  # fmt: skip
        sink = io.StringIO()
        real, sys.stdout = sys.stdout, sink
        tracemalloc.start()
        try:
            run_match(args)
            peaks.append(tracemalloc.get_traced_memory()[1] - len(sink.getvalue()) * 4)
        finally:
            tracemalloc.stop()
            sys.stdout = real
        assert f"{2 * paragraphs} match(es) of 2 entries" in sink.getvalue()
    # the document and its segments grow 8 times; what the table adds on top of them does not
    assert peaks[1] < 8 * peaks[0], peaks


# --- ranges and empties --------------------------------------------------------------------------


def test_a_glossary_with_only_a_header_fails_strict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from translate.errors import EXIT_GLOSSARY

    path = tmp_path / "g.csv"
    path.write_text("fr,en\n", encoding="utf-8")
    assert main(["glossary", "check", str(path), "--json"]) == 0  # a warning only
    report = json.loads(capsys.readouterr().out)
    assert report["warnings"] == 1 and report["issues"][0]["code"] == "empty"
    assert main(["glossary", "check", "--strict", str(path)]) == EXIT_GLOSSARY


# --- linear time ---------------------------------------------------------------------------------


@given(st.lists(st.lists(st.sampled_from(["a", "b", "c-d", "e", "a b"]), min_size=1, max_size=5)))
def test_nested_pairs_are_those_of_the_double_loop(rows: list[list[str]]) -> None:
    from translate.glossary.lint import _nested_pairs

    keys = sorted({" ".join(r) for r in rows})
    naive = [
        (inner, outer)
        for inner in keys
        for outer in keys
        if inner != outer and f" {inner} " in f" {outer.replace('-', ' ')} "
    ]
    assert _nested_pairs(keys) == naive


# Hostile tokens that real articles hold (base64 blobs, hashes, dot leaders, minified code): each
# a function of the length n. A pattern retried from every position of one is quadratic.
_RNG = random.Random(11)
HOSTILE_TOKENS: dict[str, Callable[[int], str]] = {
    "word": lambda n: "a" * n,
    "periods": lambda n: "." * n,
    "periods-at": lambda n: "." * n + "@",
    "dotted": lambda n: "a." * (n // 2),
    "at-dotted": lambda n: "a@" + "a." * (n // 2),
    "base64": lambda n: "".join(_RNG.choice(string.ascii_letters + "+/=") for _ in range(n)),
    "digits-spaced": lambda n: "1 " * (n // 2) + "x",
    "digits-dotted": lambda n: "v1." + "1." * (n // 2),
    "dashes": lambda n: "a-." * (n // 3),
}


def _stages() -> dict[str, Callable[[str], object]]:
    from translate.checks import load_checks
    from translate.checks.rules import CHECKS
    from translate.checks.runner import Context
    from translate.glossary import load_glossary
    from translate.passthrough import PassthroughRules
    from translate.protect import ProtectRules
    from translate.segment import segment

    glossary = load_glossary([REPO / "tests" / "data" / "glossary-small.csv"])
    protect, passthrough, cfg = ProtectRules.load(), PassthroughRules.load(), load_checks()
    stages: dict[str, Callable[[str], object]] = {
        "segment": segment,
        "glossary-match": glossary.match,
        "protect": protect.find,
        "passthrough": passthrough.rule_for,
    }
    for name, check in CHECKS.items():
        stages[f"check-{name}"] = lambda t, check=check: check(
            Context(f"Le texte {t} fin.", f"The text {t} end.", "en", (), "mt", cfg)
        )
    return stages


STAGES = _stages()


@pytest.mark.parametrize("token", list(HOSTILE_TOKENS))
@pytest.mark.parametrize("stage", list(STAGES))
def test_doubling_a_hostile_token_about_doubles_the_work(stage: str, token: str) -> None:
    assert_about_linear(STAGES[stage], HOSTILE_TOKENS[token], 20_000, f"{stage} on {token}")
