"""`translate run PATH...` over many documents: discovery, layout, resume, errors, --jobs, API."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from translate.batch import MANIFEST_NAME, discover
from translate.cli import main
from translate.errors import EXIT_GATE, EXIT_INPUT, EXIT_INTERRUPTED, EXIT_MODEL, InputError

REPO = Path(__file__).resolve().parent.parent

TEXTS = [
    "Les grandes entreprises visent les exchanges.\n\nLa régulation reste floue.\n",
    "Le cloud public progresse. Les banques hésitent encore.\n",
    "Le 25 août, Web X s'est tenu à Tokyo.\n\nhttps://example.com/rapport\n",
    "Les mineurs cherchent de l'électricité bon marché.\n",
]


def make_tree(root: Path) -> Path:
    """src/a.txt, src/sub/b.txt, src/sub/deeper/c.txt, src/d.txt and files that are not taken."""
    files = {"a.txt": 0, "sub/b.txt": 1, "sub/deeper/c.txt": 2, "d.txt": 3}
    for name, i in files.items():
        path = root / "src" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(TEXTS[i], encoding="utf-8")
    (root / "src" / "notes.docx").write_text("# not read from a folder\n", encoding="utf-8")
    (root / "src" / ".hidden.txt").write_text("Caché.\n", encoding="utf-8")
    (root / "src" / ".git").mkdir()
    (root / "src" / ".git" / "x.txt").write_text("Caché.\n", encoding="utf-8")
    return root / "src"


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != MANIFEST_NAME
    }


def batch(
    paths: list[Path | str], out: Path, model: Path, *extra: str, capsys: pytest.CaptureFixture[str]
) -> tuple[int, dict, str]:
    argv = [
        "run", *map(str, paths), "--to", "en", "--out", str(out), "--model", f"en={model}",
        "--max-length-a", "0.5", "--max-length-b", "6", "--no-gate", "--no-cache",
        "--formats", "json,txt", "--json", *extra,
    ]  # fmt: skip
    code = main(argv)
    captured = capsys.readouterr()
    return code, json.loads(captured.out) if captured.out.strip() else {}, captured.err


def test_discover_folders_globs_and_files(tmp_path: Path) -> None:
    src = make_tree(tmp_path)
    names = [str(i.relative) for i in discover([src])]
    assert names == ["a.txt", "d.txt", "sub/b.txt", "sub/deeper/c.txt"]
    # a glob keeps paths relative to its fixed leading folder; ** reaches any depth
    assert [str(i.relative) for i in discover([f"{src}/**/*.txt"])] == [
        "a.txt",
        "d.txt",
        "sub/b.txt",
        "sub/deeper/c.txt",
    ]
    assert [str(i.relative) for i in discover([f"{src}/sub/*"])] == ["b.txt", "deeper/c.txt"]
    # a file named explicitly is read whatever its type, at the top of --out; each document once
    found = discover([src / "notes.docx", src, src / "a.txt"])
    assert [str(i.relative) for i in found][:2] == ["notes.docx", "a.txt"]
    assert len(found) == 5
    # the output folder inside an input folder is not read back
    (src / "out").mkdir()
    (src / "out" / "a.en.txt").write_text("The big.\n", encoding="utf-8")
    assert "out/a.en.txt" not in [str(i.relative) for i in discover([src], exclude=src / "out")]


@pytest.mark.parametrize(
    "paths",
    [
        ["{src}/nope"],
        ["{src}/*.docx"],
        ["{src}/a.txt", "{src}/sub/../a.txt", "{src}/sub/b.txt", "{other}/b.txt"],
    ],
    ids=["missing", "glob-nothing", "clash"],
)
def test_discover_refuses(paths: list[str], tmp_path: Path) -> None:
    src = make_tree(tmp_path)
    other = tmp_path / "other"
    other.mkdir()
    (other / "b.txt").write_text("Autre.\n", encoding="utf-8")
    with pytest.raises(InputError):
        discover([p.format(src=src, other=other) for p in paths])


def test_batch_layout_summary_and_resume(
    tmp_path: Path, tiny_fr_en: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = make_tree(tmp_path)
    out = tmp_path / "out"
    code, summary, _ = batch([src], out, tiny_fr_en, capsys=capsys)
    assert code == 0
    assert sorted(tree(out)) == sorted(
        f"{stem}.en.{ext}"
        for stem in ("a", "d", "sub/b", "sub/deeper/c")
        for ext in ("json", "txt")
    )
    assert summary["counts"] == {
        "documents": 4, "translated": 4, "skipped": 0, "errors": 0, "failed_gate": 0,
    }  # fmt: skip
    docs = summary["documents"]
    assert [d["relative"] for d in docs] == ["a.txt", "d.txt", "sub/b.txt", "sub/deeper/c.txt"]
    assert docs[2]["languages"]["en"]["files"]["json"] == str(out / "sub" / "b.en.json")
    assert all(d["status"] == "translated" and d["passed"] for d in docs)
    before = tree(out)

    # the same command again: every document is recognised and skipped, files untouched
    code, again, _ = batch([src], out, tiny_fr_en, capsys=capsys)
    assert code == 0 and again["counts"]["skipped"] == 4 and again["workers"] == 0
    assert [d["languages"]["en"]["files"] for d in again["documents"]] == [
        d["languages"]["en"]["files"] for d in docs
    ]
    assert tree(out) == before
    # the table: one row per document
    argv = ["run", str(src), "--to", "en", "--out", str(out), "--model", f"en={tiny_fr_en}"]
    argv += ["--max-length-a", "0.5", "--max-length-b", "6", "--no-gate", "--no-cache"]
    assert main([*argv, "--formats", "json,txt"]) == 0
    table = capsys.readouterr().out
    assert "4 documents" in table and table.count("skipped") >= 4 and "sub/deeper/c.txt" in table
    # an edited input is redone, the others are not; other options redo everything
    (src / "d.txt").write_text(TEXTS[0], encoding="utf-8")
    code, edited, _ = batch([src], out, tiny_fr_en, capsys=capsys)
    assert [d["status"] for d in edited["documents"]] == [
        "skipped", "translated", "skipped", "skipped",
    ]  # fmt: skip
    code, other, _ = batch([src], out, tiny_fr_en, "--max-length-b", "4", capsys=capsys)
    assert other["counts"]["translated"] == 4
    code, rerun, _ = batch([src], out, tiny_fr_en, "--max-length-b", "4", "--rerun", capsys=capsys)
    assert rerun["counts"]["translated"] == 4
    # a deleted output is noticed
    (out / "sub" / "b.en.txt").unlink()
    code, fixed, _ = batch([src], out, tiny_fr_en, "--max-length-b", "4", capsys=capsys)
    assert [d["status"] for d in fixed["documents"]][2] == "translated"
    assert (out / "sub" / "b.en.txt").is_file()


def test_resume_after_a_kill(
    tmp_path: Path,
    tiny_fr_en: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Interrupted at the third document, with the manifest's last line cut short as by a power
    loss: the next run redoes only what was not finished, and writes what a clean run writes."""
    import translate.batch.runner as runner

    src = make_tree(tmp_path)
    clean, out = tmp_path / "clean", tmp_path / "out"
    assert batch([src], clean, tiny_fr_en, capsys=capsys)[0] == 0
    real = runner.export_evaluated
    calls = []

    def dying(*args: object, **kwargs: object) -> object:
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(runner, "export_evaluated", dying)
    code, _, err = batch([src], out, tiny_fr_en, capsys=capsys)
    assert code == EXIT_INTERRUPTED and "interrupted" in err
    monkeypatch.setattr(runner, "export_evaluated", real)
    manifest = out / MANIFEST_NAME
    lines = manifest.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    with manifest.open("a", encoding="utf-8") as fh:
        fh.write('{"v": 1, "input": "sub/b.txt", "dig')  # cut short
    assert not list(out.rglob("*.tmp"))
    code, summary, _ = batch([src], out, tiny_fr_en, capsys=capsys)
    assert code == 0
    assert [d["status"] for d in summary["documents"]] == [
        "skipped", "skipped", "translated", "translated",
    ]  # fmt: skip
    assert tree(out) == tree(clean)
    code, summary, _ = batch([src], out, tiny_fr_en, capsys=capsys)
    assert summary["counts"]["skipped"] == 4


def test_bad_documents_are_reported_and_the_batch_goes_on(
    tmp_path: Path, tiny_fr_en: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = make_tree(tmp_path)
    (src / "empty.txt").write_text("  \n", encoding="utf-8")
    (src / "sub" / "latin1.txt").write_bytes("Été été.\n".encode("latin-1"))
    out = tmp_path / "out"
    code, summary, err = batch([src], out, tiny_fr_en, capsys=capsys)
    assert code == EXIT_INPUT
    assert summary["counts"]["errors"] == 2 and summary["counts"]["translated"] == 4
    assert [e["source"] for e in summary["errors"]] == [
        str(src / "empty.txt"),
        str(src / "sub" / "latin1.txt"),
    ]
    lines = err.strip().splitlines()
    assert len(lines) == 2 and all(line.startswith("translate: error: ") for line in lines)
    assert "empty" in lines[0] and "UTF-8" in lines[1]
    assert (out / "sub" / "b.en.json").is_file() and not (out / "empty.en.json").exists()
    # --fail-fast: the bad document is found before any model is loaded, nothing is written
    code, summary, err = batch([src], tmp_path / "ff", tiny_fr_en, "--fail-fast", capsys=capsys)
    assert code == EXIT_INPUT and summary["stopped"] and summary["counts"]["translated"] == 0
    assert not (tmp_path / "ff").exists()


def test_gate_results_per_document(
    tmp_path: Path, tiny_fr_en: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A document with references misses a BLEU floor of 99: exit 6, that document listed."""
    src = make_tree(tmp_path)
    refs = tmp_path / "refs"
    (refs / "en").mkdir(parents=True)
    ref = {"source": "Le cloud public progresse.", "target": "The public cloud grows."}
    (refs / "en" / "b.jsonl").write_text(json.dumps(ref) + "\n", encoding="utf-8")
    thresholds = tmp_path / "thresholds.json"
    thresholds.write_text('{"default": {"bleu_min": 99}}', encoding="utf-8")
    argv = ["--thresholds", str(thresholds), "--refs", str(refs)]
    out = tmp_path / "out"
    code = main(
        ["run", str(src), "--to", "en", "--out", str(out), "--model", f"en={tiny_fr_en}"]
        + ["--no-cache", "--max-length-b", "4", "--json", *argv]
    )
    captured = capsys.readouterr()
    assert code == EXIT_GATE
    summary = json.loads(captured.out)
    assert summary["failed"] == [str(src / "sub" / "b.txt")]
    assert [d["passed"] for d in summary["documents"]] == [True, True, False, True]
    assert not list(out.glob("sub/b.*")) and (out / "a.en.json").is_file()
    assert f"{src / 'sub' / 'b.txt'}: en: BLEU" in captured.err
    assert captured.err.strip().splitlines()[-1].startswith("translate: error: quality gate")


def test_jobs_write_the_same_bytes(
    tmp_path: Path, tiny_fr_en: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two worker processes, sharing one translation memory: the files of one process."""
    from translate.memory import TranslationMemory

    src = make_tree(tmp_path)
    memory = tmp_path / "memory.sqlite"
    with TranslationMemory(memory) as tm:
        tm.add("La régulation reste floue.", "Regulation remains unclear.", "en")
    one, two = tmp_path / "one", tmp_path / "two"
    code, s1, _ = batch([src], one, tiny_fr_en, "--memory", str(memory), capsys=capsys)
    code2, s2, _ = batch(
        [src], two, tiny_fr_en, "--memory", str(memory), "--jobs", "2", capsys=capsys
    )
    assert code == code2 == 0
    assert s2["workers"] == 2 and s2["backend"] == "processes"
    assert tree(one) == tree(two)
    assert [d["relative"] for d in s1["documents"]] == [d["relative"] for d in s2["documents"]]
    assert s2["documents"][0]["languages"]["en"]["origins"]["memory"] == 1


def test_run_many_api(tmp_path: Path, tiny_fr_en: Path) -> None:
    from translate.engine.base import DecodeOptions
    from translate.engine.chain import build_engines
    from translate.pipeline import Pipeline

    src = make_tree(tmp_path)
    options = DecodeOptions(max_length_a=0.5, max_length_b=6)
    engines = build_engines(["en"], models={"en": str(tiny_fr_en)}, options=options, progress=False)
    pipeline = Pipeline(engines, options=options)
    seen: list[tuple[float, int]] = []
    report = pipeline.run_many(
        [f"{src}/**/*.txt"],
        tmp_path / "out",
        formats="json",
        progress=lambda d, t, _: seen.append((d, t)),
    )
    assert report.exit_code == 0 and len(report.documents) == 4
    assert report.documents[0].run is not None and report.documents[0].run.passed
    assert seen[-1] == (4.0, 4) and all(
        a <= b for (a, _), (b, _) in zip(seen, seen[1:], strict=False)
    )
    again = pipeline.run_many([src], tmp_path / "out", formats="json")
    assert [d.status for d in again.documents] == ["skipped"] * 4


def test_ray_writes_the_same_bytes_as_a_local_run(
    tmp_path: Path, tiny_fr_en: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """On a local Ray instance (two CPUs, started here), with two actors."""
    import ray

    src = make_tree(tmp_path)
    (src / "empty.txt").write_text("", encoding="utf-8")
    local, on_ray = tmp_path / "local", tmp_path / "ray"
    code, s1, _ = batch([src], local, tiny_fr_en, capsys=capsys)
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        code2, s2, err = batch([src], on_ray, tiny_fr_en, "--ray", "auto", capsys=capsys)
        assert ray.is_initialized()  # a connection the caller made is left to the caller
        # more actors than the cluster has CPUs would wait for ever: refused at once
        code3, _, err3 = batch(
            [src], tmp_path / "x", tiny_fr_en, "--ray", "auto", "--jobs", "3", capsys=capsys
        )
        assert code3 == EXIT_MODEL and "cluster has 2" in err3 and not (tmp_path / "x").exists()
    finally:
        ray.shutdown()
    assert code == code2 == EXIT_INPUT, err
    assert s2["backend"] == "ray" and s2["workers"] == 2
    assert tree(local) == tree(on_ray)
    assert s2["counts"] == s1["counts"]


def test_a_local_batch_never_imports_ray(tmp_path: Path, tiny_fr_en: Path) -> None:
    import subprocess
    import sys

    src = make_tree(tmp_path)
    code = (
        "import sys; from translate.cli import main; "
        f"rc = main(['run', {str(src)!r}, '--to', 'en', '--model', 'en={tiny_fr_en}', '-q', "
        f"'--no-cache', '--no-gate', '--out', {str(tmp_path / 'o')!r}]); "
        "assert rc == 0, rc; assert 'ray' not in sys.modules, 'ray imported'"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stderr
