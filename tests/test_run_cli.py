"""`translate run` end to end through the CLI with tiny models, and the offline failure modes."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from translate.cli import main
from translate.errors import EXIT_MODEL
from translate.units import RESULT_SCHEMA, DocumentResult

REPO = Path(__file__).resolve().parent.parent
SOURCE = (
    "Les grandes entreprises visent les exchanges\n"
    "\n"
    "Le 25 août, Web X s'est tenu à Tokyo. Les exchanges de cryptomonnaies visent le cloud public.\n"
    "\n"
    "https://example.com/rapport\n"
    "\n"
    "La régulation reste floue. Les banques hésitent encore.\n"
)


@pytest.fixture(autouse=True)
def private_memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Never read the user's own translation memory."""
    path = tmp_path / "memory" / "memory.sqlite"
    monkeypatch.setenv("TRANSLATE_MEMORY", str(path))
    return path


@pytest.fixture()
def doc(tmp_path: Path) -> Path:
    path = tmp_path / "article.txt"
    path.write_text(SOURCE, encoding="utf-8")
    return path


def run_cli(
    doc: Path, out: Path, models: tuple[Path, Path], *extra: str, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    fr_en, en_de = models
    argv = [
        "run", str(doc), "--to", "en,zh", "--out", str(out),
        "--model", f"fr-en={fr_en}", "--model", f"en-zh={en_de}",
        "--max-length-a", "0.5", "--max-length-b", "6", "--no-gate", *extra,
    ]  # fmt: skip
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_run_writes_every_default_format_per_language(
    doc: Path, tmp_path: Path, tiny_pivot: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    code, stdout, _ = run_cli(doc, out, tiny_pivot, "--no-cache", "--json", capsys=capsys)
    assert code == 0, stdout
    assert sorted(p.name for p in out.iterdir()) == [
        f"article.{lang}.{ext}"
        for lang in ("en", "zh")
        for ext in ("json", "review.html", "txt", "xlf")
    ]
    summary = json.loads(stdout)
    assert set(summary["languages"]) == {"en", "zh"}
    de = summary["languages"]["zh"]
    assert de["segments"] == 6
    assert de["origins"] == {"mt": 5, "cache": 0, "memory": 0, "passthrough": 1}
    assert de["files"] == {
        fmt: str(out / f"article.zh.{ext}")
        for fmt, ext in (
            ("json", "json"),
            ("xliff", "xlf"),
            ("txt", "txt"),
            ("html", "review.html"),
            ("doc", "txt"),
        )
    }
    # a local model is named by its folder: no path of this machine in any output
    assert de["models"] == [tiny_pivot[0].name, tiny_pivot[1].name]
    assert de["term_accuracy"] is None
    data = json.loads((out / "article.zh.json").read_text(encoding="utf-8"))
    assert data["schema"] == RESULT_SCHEMA and data["target_lang"] == "zh"
    assert data["source"] == {"path": doc.name, "lang": "fr", "text": SOURCE}
    legs = data["provenance"]["engine"]["legs"]
    assert [leg["key"] for leg in legs] == ["fr-en", "en-zh"]
    assert all(set(leg) >= {"model", "revision", "commit", "decode"} for leg in legs)
    assert (
        data["provenance"]["decode"]["max_length_b"] == 6 and data["provenance"]["glossary"] is None
    )
    for seg in data["segments"]:
        assert set(seg) >= {
            "id",
            "paragraph",
            "source",
            "target",
            "start",
            "end",
            "origin",
            "terms",
        }
        assert SOURCE[seg["start"] : seg["end"]] == seg["source"]
    result = DocumentResult.from_dict(data)
    # the document and nothing else: ready to publish, provenance lives in the other files
    text = (out / "article.zh.txt").read_text(encoding="utf-8")
    assert text == result.translated_text()
    for path in out.iterdir():
        assert str(tmp_path) not in path.read_text(encoding="utf-8"), path.name
    # the layout survives: same paragraph breaks, the URL line untouched
    assert text.count("\n\n") == SOURCE.count("\n\n") and text.endswith("\n")
    assert "https://example.com/rapport" in text.split("\n")


def test_two_runs_give_identical_files(
    doc: Path, tmp_path: Path, tiny_pivot: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    assert run_cli(doc, a, tiny_pivot, "--no-cache", "-q", capsys=capsys)[0] == 0
    assert run_cli(doc, b, tiny_pivot, "--no-cache", "-q", capsys=capsys)[0] == 0
    assert (
        run_cli(doc, c, tiny_pivot, "--no-cache", "-q", "--batch-tokens", "16", capsys=capsys)[0]
        == 0
    )
    assert sorted(p.name for p in a.iterdir()) == sorted(p.name for p in b.iterdir())
    for path in a.iterdir():
        assert path.read_bytes() == (b / path.name).read_bytes(), path.name
    # other batching: same translations (only the recorded batch_tokens differs)
    for lang in ("en", "zh"):
        ta, tc = ((d / f"article.{lang}.txt").read_text("utf-8") for d in (a, c))
        assert ta == tc
        ja, jc = (
            json.loads((d / f"article.{lang}.json").read_text(encoding="utf-8")) for d in (a, c)
        )
        assert ja["segments"] == jc["segments"]


def test_rerun_after_editing_one_paragraph_translates_only_it(
    doc: Path, tmp_path: Path, tiny_pivot: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    cache = ["--cache-dir", str(tmp_path / "cache"), "--json"]
    code, stdout, _ = run_cli(doc, tmp_path / "o1", tiny_pivot, *cache, capsys=capsys)
    first = json.loads(stdout)["languages"]
    assert first["en"]["origins"]["mt"] == 5
    doc.write_text(
        SOURCE.replace("La régulation reste floue.", "La régulation change."), encoding="utf-8"
    )
    code, stdout, _ = run_cli(doc, tmp_path / "o2", tiny_pivot, *cache, capsys=capsys)
    second = json.loads(stdout)["languages"]
    for lang in ("en", "zh"):
        assert second[lang]["origins"] == {"mt": 1, "cache": 4, "memory": 0, "passthrough": 1}
    data = json.loads((tmp_path / "o2" / "article.zh.json").read_text(encoding="utf-8"))
    assert [s["source"] for s in data["segments"] if s["origin"] == "mt"] == [
        "La régulation change."
    ]
    # cached translations are the same text as fresh ones
    fresh = json.loads((tmp_path / "o1" / "article.zh.json").read_text(encoding="utf-8"))
    same = {s["source"]: s["target"] for s in fresh["segments"]}
    assert all(same[s["source"]] == s["target"] for s in data["segments"] if s["origin"] == "cache")


def test_human_output_is_a_table_per_language(
    doc: Path, tmp_path: Path, tiny_pivot: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code, stdout, _ = run_cli(doc, tmp_path / "o", tiny_pivot, "--no-cache", capsys=capsys)
    assert code == 0
    # one row per language, its first cell the tag (no vertical rules: it fits in 80 columns)
    rows = {
        row.split()[0]: row for row in stdout.splitlines() if row.split()[:1] in (["en"], ["zh"])
    }
    assert all(len(line) <= 80 for line in stdout.splitlines())
    assert {"en", "zh"} <= set(rows)
    for lang in ("en", "zh"):
        assert "5/0/0/1" in rows[lang] and "off" in rows[lang], rows[lang]
    assert "json review.html txt xlf" in stdout


def test_unknown_language_is_one_line(
    doc: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["run", str(doc), "--to", "en,xx", "--out", str(tmp_path / "o")]) == EXIT_MODEL
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "'xx'" in err and "known languages: ar, de, en" in err
    assert not (tmp_path / "o").exists()


def test_bad_model_option_is_a_usage_error(doc: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["run", str(doc), "--to", "en", "--model", "nonsense"])
    assert exc.value.code == 2 and "KEY=PATH_OR_ID" in capsys.readouterr().err


@pytest.fixture()
def dead_hub() -> Iterator[tuple[str, list[int]]]:
    """A hub address that accepts connections and drops them at once, counting them."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    count = [0]

    def serve() -> None:
        while True:
            try:
                conn, _ = server.accept()
            except OSError:  # closed at teardown
                return
            count[0] += 1
            conn.close()

    threading.Thread(target=serve, daemon=True).start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}", count
    server.close()


@pytest.mark.parametrize("offline", [True, False], ids=["offline", "unreachable"])
def test_missing_model_fails_fast_with_one_line(
    doc: Path, tmp_path: Path, dead_hub: tuple[str, list[int]], offline: bool
) -> None:
    """Fast, counted rather than timed: no heavy import before the failure and no retry loop."""
    endpoint, connections = dead_hub
    full = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "TRANSFORMERS_"))}
    full.update(HF_HOME=str(tmp_path / "hf"), TRANSLATE_CACHE_DIR=str(tmp_path / "cache"))
    if offline:
        full.update(HF_HUB_OFFLINE="1")
    else:
        full.update(HF_HUB_OFFLINE="0", TRANSFORMERS_OFFLINE="0", HF_ENDPOINT=endpoint)
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "translate", "run", str(doc), "--to", "zh",
         "--out", str(tmp_path / "o")],
        capture_output=True, text=True, env=full, cwd=REPO, timeout=120,
    )  # fmt: skip
    assert proc.returncode == EXIT_MODEL, proc.stderr
    lines = proc.stderr.splitlines()
    imported = {line.rsplit("|", 1)[-1].strip() for line in lines if line.startswith("import time")}
    assert not imported & {"torch", "transformers", "ctranslate2"}
    err = [line for line in lines if not line.startswith("import time")]
    assert len(err) == 1 and "Traceback" not in err[0], err
    reason = "offline mode is on" if offline else "cannot be reached"
    assert "Helsinki-NLP/opus-mt-fr-en" in err[0] and reason in err[0]
    assert "translate models pull zh" in err[0] and "--model fr-en=PATH" in err[0]
    # The first missing model ends the run: one request (a dropped connection is retried once by
    # the HTTP client), never a back-off loop over the hub.
    assert (connections[0] == 0) if offline else (1 <= connections[0] <= 2)
    assert not (tmp_path / "o").exists()


def test_pull_refuses_in_offline_mode(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["models", "pull", "en"]) == EXIT_MODEL
    assert "offline mode is on" in capsys.readouterr().err


def fake_hub_cache(
    root: Path, repo_id: str, model_dir: Path, commit: str, ref: str = "main"
) -> Path:
    """Lay out ``model_dir`` as the Hugging Face cache stores a downloaded snapshot."""
    repo = root / ("models--" + repo_id.replace("/", "--"))
    snap = repo / "snapshots" / commit
    (repo / "blobs").mkdir(parents=True)
    snap.mkdir(parents=True)
    for f in model_dir.iterdir():
        blob = repo / "blobs" / f"{f.name}.blob"
        blob.write_bytes(f.read_bytes())
        (snap / f.name).symlink_to(os.path.relpath(blob, snap))
    (repo / "refs").mkdir()
    (repo / "refs" / ref).write_text(commit)
    return snap


@pytest.mark.parametrize("pin", ["", "@main", "@0123456789abcdef0123456789abcdef01234567"])
def test_hub_id_is_loaded_from_the_cache_offline(
    doc: Path,
    tmp_path: Path,
    tiny_pivot: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    pin: str,
) -> None:
    commit = "0123456789abcdef0123456789abcdef01234567"
    fake_hub_cache(tmp_path / "hub", "Helsinki-NLP/opus-mt-fr-en", tiny_pivot[0], commit)
    monkeypatch.setattr("huggingface_hub.constants.HF_HUB_CACHE", str(tmp_path / "hub"))
    argv = [
        "run",
        str(doc),
        "--to",
        "en",
        "--out",
        str(tmp_path / "o"),
        "--no-cache",
        "--max-length-b",
        "4",
        "--no-gate",  # random weights fail the QA gate; this test is about loading
        "-q",
    ]
    if pin:
        argv += ["--model", f"en=Helsinki-NLP/opus-mt-fr-en{pin}"]
    assert main(argv) == 0, capsys.readouterr().err
    leg = json.loads((tmp_path / "o" / "article.en.json").read_text(encoding="utf-8"))[
        "provenance"
    ]["engine"]["legs"][0]
    assert (
        leg["model"] == "Helsinki-NLP/opus-mt-fr-en"
        and leg["commit"] == commit
        and leg["local"] is False
    )
    assert leg["revision"] == (pin[1:] or None)


def test_pinned_revision_missing_from_the_cache_fails(
    doc: Path,
    tmp_path: Path,
    tiny_pivot: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    fake_hub_cache(tmp_path / "hub", "Helsinki-NLP/opus-mt-fr-en", tiny_pivot[0], "a" * 40)
    monkeypatch.setattr("huggingface_hub.constants.HF_HUB_CACHE", str(tmp_path / "hub"))
    argv = [
        "run",
        str(doc),
        "--to",
        "en",
        "--out",
        str(tmp_path / "o"),
        "--model",
        "en=Helsinki-NLP/opus-mt-fr-en@v2",
    ]
    assert main(argv) == EXIT_MODEL
    err = capsys.readouterr().err
    assert (
        "Helsinki-NLP/opus-mt-fr-en@v2 is not in the local Hugging Face cache" in err
        and err.count("\n") == 1
    )


def test_api_builds_engines_from_language_codes(tiny_pivot: tuple[Path, Path]) -> None:
    from translate import translate_document

    results = translate_document(
        SOURCE, ["en", "zh"], models={"fr-en": str(tiny_pivot[0]), "en-zh": str(tiny_pivot[1])}
    )
    assert [leg["key"] for leg in results["zh"].provenance["engine"]["legs"]] == ["fr-en", "en-zh"]
    assert results["en"].translated_text().count("\n\n") == SOURCE.count("\n\n")


@pytest.mark.parametrize(
    "argv", [["run", "--help"], ["models", "--help"], ["models", "list", "--help"]]
)
def test_help_does_not_import_torch(argv: list[str]) -> None:
    code = (
        "import sys, contextlib, io\n"
        "from translate.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n"
        f"        main({argv!r})\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print(' '.join(m for m in ('torch', 'transformers') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert out.stdout.strip() == ""


def test_glossary_terms_are_enforced_through_a_pivot(
    doc: Path, tmp_path: Path, tiny_pivot: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    glossary = REPO / "glossaries" / "crypto-cloud.csv"
    code, stdout, err = run_cli(
        doc, tmp_path / "o", tiny_pivot, "--no-cache", "--json", "-g", str(glossary), capsys=capsys
    )
    assert code == 0, err
    summary = json.loads(stdout)["languages"]
    for lang in ("en", "zh"):
        assert summary[lang]["terms_required"] >= 2
        assert summary[lang]["term_accuracy"] == 1.0, summary[lang]
    data = json.loads((tmp_path / "o" / "article.zh.json").read_text(encoding="utf-8"))
    assert len(data["provenance"]["glossary"]["digest"]) >= 16
    found = [t["found"] for s in data["segments"] for t in s["terms"]]
    assert "加密货币交易所" in found


def test_pull_fetches_each_leg_once(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from translate.engine import hub

    fetched: list[tuple[str, str]] = []

    def fake_download(spec, *, pull, progress=True, pulling=False):  # type: ignore[no-untyped-def]
        fetched.append((spec.key, pull))
        return hub.ResolvedModel(spec, Path("/cache") / spec.key, commit="c0ffee")

    monkeypatch.setattr(hub, "is_offline", lambda: False)
    monkeypatch.setattr(hub, "download", fake_download)
    assert main(["models", "pull", "zh,it", "en", "en-ja"]) == 0
    assert fetched == [("fr-en", "zh"), ("en-zh", "zh"), ("en-it", "it"), ("en-ja", "en-ja")]
    assert "en-zh: Helsinki-NLP/opus-mt-en-zh @ c0ffee" in capsys.readouterr().out
