"""Every command's table at 80 columns (a CI log, a pipe): no short value broken or cut.

Each command runs for real on the bundled article, glossary and references (a tiny model where it
translates) with ``COLUMNS=80``. The rich tables it prints are caught and rendered again at width
80, and every short value (each line of a cell of a short column, and any one-word cell of up to
48 characters: numbers, codes, ids, slugs, severities, status words) must appear whole in what
is shown, as many times as the table holds it, with no "…" and no line over 80. Free text may
wrap.
"""

from __future__ import annotations

import io
import json
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from resultfixtures import make_result
from rich.console import Console
from rich.table import Table
from rich.text import Text

from translate.cli import main

REPO = Path(__file__).resolve().parent.parent
SLUG = "grandes-entreprises-exchanges-crypto"
ARTICLE = REPO / "articles" / "fr" / f"{SLUG}.txt"
GLOSSARY = REPO / "glossaries" / "crypto-cloud.csv"
WIDTH = 80
_PRINT = Console.print  # the real one: the fixture below spies on the commands' calls


def _refs(lang: str) -> list[dict[str, str]]:
    path = REPO / "articles" / lang / f"{SLUG}.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _faulty(pairs: list[dict[str, str]]) -> list[str]:
    """The reference targets with a fault in every third line (figures changed, a copy, a
    do-not-translate name glued), so that the checks and the gate have something to say."""
    out = []
    for i, p in enumerate(pairs):
        target = p["target"]
        if i % 3 == 1:
            target = re.sub(r"\d", "7", target) if re.search(r"\d", target) else p["source"]
        elif i % 3 == 2:
            target = target.replace("TechFlow", "TechFlowP") + " "
        out.append(target)
    return out


def _lines(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def _plain(cell: object) -> str:
    if isinstance(cell, Text):
        return cell.plain
    return Text.from_markup(str(cell)).plain


def _short_values(table: Table) -> Counter[str]:
    """Each short value the table holds, with how many times it holds it."""
    values: Counter[str] = Counter()
    for column in table.columns:
        for cell in column.cells:
            for line in _plain(cell).splitlines():
                line = line.strip()
                one_word = line and len(line) <= 48 and not re.search(r"\s", line)
                if line and (column.no_wrap or one_word):
                    values[line] += 1
    return values


def _render(table: Table) -> str:
    console = Console(width=WIDTH, file=io.StringIO(), color_system=None, legacy_windows=False)
    _PRINT(console, table)
    return console.file.getvalue()  # type: ignore[attr-defined, no-any-return]


def assert_tables_fit(tables: list[Table], shown: str) -> None:
    assert tables and any(t.row_count for t in tables), shown
    assert all(len(line) <= WIDTH for line in shown.splitlines()), shown
    for table in tables:
        out = _render(table)
        held = sum(_plain(c).count("…") for col in table.columns for c in col.cells)
        assert out.count("…") <= held, f"a cell is cut to '…':\n{out}"
        assert all(len(line) <= WIDTH for line in out.splitlines()), out
        for value, count in _short_values(table).items():
            whole = len(re.findall(rf"(?<!\S){re.escape(value)}(?!\S)", out))
            assert whole >= count, f"{value!r} is broken at {WIDTH} columns:\n{out}"


@pytest.fixture
def tables(monkeypatch: pytest.MonkeyPatch) -> list[Table]:
    """The rich tables the commands print, at ``COLUMNS=80``."""
    monkeypatch.setenv("COLUMNS", str(WIDTH))
    caught: list[Table] = []

    def spy(self: Console, *objects: object, **kwargs: object) -> None:
        caught.extend(o for o in objects if isinstance(o, Table))
        _PRINT(self, *objects, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Console, "print", spy)
    return caught


def _suite(tmp: Path) -> list[str]:
    suite = tmp / "suite.json"
    item = {"article": str(ARTICLE), "langs": ["en", "de", "zh"]}
    suite.write_text(
        json.dumps({"thresholds": str(REPO / "evals" / "thresholds.json"), "items": [item]})
    )
    hyps = tmp / "hyps"
    hyps.mkdir()
    for lang in ("en", "zh"):
        _lines(hyps / f"{SLUG}.{lang}.txt", [p["target"] for p in _refs(lang)])
    _lines(hyps / f"{SLUG}.de.txt", _faulty(_refs("de")))  # misses the gate: reasons shown
    return ["eval", str(suite), "--hyp-dir", str(hyps)]


def _checks_files(tmp: Path) -> list[str]:
    pairs = _refs("en")
    src = _lines(tmp / "src.txt", [p["source"] for p in pairs])
    hyp = _lines(tmp / "hyp.txt", _faulty(pairs))
    return ["checks", "--src", str(src), "--hyp", str(hyp), "--lang", "en", "-g", str(GLOSSARY)]


def _score(tmp: Path) -> list[str]:
    hyp = _lines(tmp / "hyp.txt", _faulty(_refs("zh")))
    ref = REPO / "articles" / "zh" / f"{SLUG}.jsonl"
    return ["score", "--hyp", str(hyp), "--ref", str(ref), "-g", str(GLOSSARY)]


def _compare(tmp: Path) -> list[str]:
    a = _lines(tmp / "a.txt", [p["target"] for p in _refs("en")])
    b = _lines(tmp / "b.txt", _faulty(_refs("en")))
    ref = REPO / "articles" / "en" / f"{SLUG}.jsonl"
    return ["compare", str(a), str(b), "--ref", str(ref), "--samples", "20"]


def _result(tmp: Path) -> Path:
    path = tmp / "article.en.json"
    path.write_text(make_result().to_json(), encoding="utf-8")
    return path


def _review_xliff(tmp: Path) -> list[str]:
    assert main(["export", str(_result(tmp)), "--formats", "xliff", "--out", str(tmp)]) == 0
    return ["review", str(tmp / "article.en.xlf"), "--no-memory"]


COMMANDS: dict[str, Callable[[Path], list[str]]] = {
    "models list": lambda tmp: ["models", "list"],
    "checks": lambda tmp: ["checks"],
    "checks --src --hyp": _checks_files,
    "glossary check": lambda tmp: ["glossary", "check", str(GLOSSARY), "--all"],
    "segment --format table": lambda tmp: ["segment", str(ARTICLE), "--format", "table"],
    "score": _score,
    "compare": _compare,
    "eval": _suite,
    "review RESULT.json": lambda tmp: ["review", str(_result(tmp))],
    "review FILE.xlf": _review_xliff,
}


@pytest.mark.parametrize("command", COMMANDS)
def test_command_tables_keep_short_values_whole_at_80_columns(
    command: str,
    tmp_path: Path,
    tables: list[Table],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr("huggingface_hub.constants.HF_HUB_CACHE", str(tmp_path / "hub"))
    argv = COMMANDS[command](tmp_path)
    capsys.readouterr()
    assert main(argv) in (0, 6), capsys.readouterr().err  # 6: a gate or --fail-on missed
    assert_tables_fit(tables, capsys.readouterr().out)


def test_run_and_batch_tables_keep_short_values_whole_at_80_columns(
    tmp_path: Path,
    tiny_fr_en: Path,
    tables: list[Table],
    capsys: pytest.CaptureFixture[str],
) -> None:
    docs = tmp_path / "docs"
    (docs / "sub").mkdir(parents=True)
    text = "Le marché pèse 94,82 milliards de yuans.\n\nTechFlow publie 10 000 articles."
    for name in ("a.txt", "sub/b.txt"):
        (docs / name).write_text(text, encoding="utf-8")
    common = ["--to", "en", "--model", f"en={tiny_fr_en}", "--max-length-a", "0.5"]
    common += ["--max-length-b", "6", "--no-cache", "--force", "-g", str(GLOSSARY)]
    for target in (docs / "a.txt", docs):  # one document, then a folder (a batch)
        assert main(["run", str(target), "--out", str(tmp_path / "out"), *common]) in (0, 6)
        assert_tables_fit(tables, capsys.readouterr().out)
        tables.clear()


def test_glossary_match_lines_fit_80_columns(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The streamed match table: ids, offsets and flags whole on the row's first line."""
    monkeypatch.setenv("COLUMNS", str(WIDTH))
    argv = ["glossary", "match", str(ARTICLE), "-g", str(GLOSSARY)]
    assert main([*argv, "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert all(len(line) <= WIDTH for line in out.splitlines()), out
    firsts = [line.split() for line in out.splitlines()[2:-1] if not line.startswith(" ")]
    assert len(firsts) == len(rows)
    for row, words in zip(rows, firsts, strict=True):
        assert words[:3] == [row["segment"], str(row["start"]), str(row["end"])], words
        flags = ["plural" if row["plural"] else "singular", *(["yes"] if row["dnt"] else [])]
        assert words[-len(flags) :] == flags, words
    assert any("Royal Prince Grand" in line for line in out.splitlines())  # wrapped at a space
