"""`translate run` and `translate eval` wired end to end: memory, QA, scores, gate, exports."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path

import pytest
from schemas import tmx_errors, xliff_errors

from translate.cli import main
from translate.errors import EXIT_GATE, EXIT_INPUT, EXIT_OK, EXIT_USAGE
from translate.memory import MemoryEntry, TranslationMemory
from translate.pipeline import DEFAULT_THRESHOLDS, Pipeline
from translate.units import TermConstraint

REPO = Path(__file__).resolve().parent.parent
SENTENCES = [
    "Le 25 août, Web X s'est tenu à Tokyo.",
    "Les exchanges visent le cloud public.",
    "La régulation reste floue.",
]
ARTICLE = f"{SENTENCES[0]}\n\n{SENTENCES[1]} {SENTENCES[2]}\n"
REFERENCES = {
    "en": [
        "On 25 August, Web X was held in Tokyo.",
        "Exchanges are targeting the public cloud.",
        "Regulation remains unclear.",
    ],
    "zh": ["8月25日，Web X在东京举行。", "交易所瞄准公有云。", "监管仍不明确。"],
}
APPROVED = "Regulation is still vague."


def write_refs(root: Path, lang: str, stem: str = "article") -> Path:
    path = root / lang / f"{stem}.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "".join(
            json.dumps({"source": s, "target": t}, ensure_ascii=False) + "\n"
            for s, t in zip(SENTENCES, REFERENCES[lang], strict=True)
        ),
        encoding="utf-8",
    )
    return path


@pytest.fixture()
def article(tmp_path: Path) -> Path:
    """``articles/fr/article.txt`` with Chinese references in ``articles/zh/``."""
    path = tmp_path / "articles" / "fr" / "article.txt"
    path.parent.mkdir(parents=True)
    path.write_text(ARTICLE, encoding="utf-8")
    write_refs(tmp_path / "articles", "zh")
    return path


@pytest.fixture()
def memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private memory (also the default one) holding an approved English sentence."""
    path = tmp_path / "memory.sqlite"
    monkeypatch.setenv("TRANSLATE_MEMORY", str(path))
    with TranslationMemory(path) as tm:
        tm.add(SENTENCES[2], APPROVED, "en")
    return path


@pytest.fixture()
def thresholds(tmp_path: Path) -> Path:
    """A gate no random model passes where references exist (BLEU ≥ 50), lax on QA."""
    path = tmp_path / "thresholds.json"
    path.write_text(
        json.dumps({"default": {"bleu_min": 50.0, "qa_max": {"critical": None, "major": None}}}),
        encoding="utf-8",
    )
    return path


def run(
    article: Path,
    out: Path,
    models: tuple[Path, Path],
    *extra: str,
    capsys: pytest.CaptureFixture[str],
) -> tuple[int, str, str]:
    argv = [
        "run", str(article), "--to", "en,zh", "--out", str(out), "--no-cache",
        "--model", f"fr-en={models[0]}", "--model", f"en-zh={models[1]}",
        "--max-length-a", "0.5", "--max-length-b", "6", *extra,
    ]  # fmt: skip
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# --------------------------------------------------------------------------- memory


class Counting:
    """A fake engine that records every sentence it is asked to translate."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def translate(
        self, texts: Sequence[str], constraints: Sequence[Sequence[TermConstraint]] | None = None
    ) -> list[str]:
        self.seen.extend(texts)
        return [t.upper() for t in texts]

    def provenance(self):  # type: ignore[no-untyped-def]
        return {"engine": "counting", "legs": [{"model": "counting"}]}


@pytest.mark.parametrize(
    ("approved", "engine_sees", "origins"),
    [
        ({}, SENTENCES, ["mt", "mt", "mt"]),
        ({SENTENCES[2]: APPROVED}, SENTENCES[:2], ["mt", "mt", "memory"]),
        (dict.fromkeys(SENTENCES, APPROVED), [], ["memory"] * 3),
    ],
)
def test_memory_matches_skip_the_engine(
    tmp_path: Path, approved: dict[str, str], engine_sees: list[str], origins: list[str]
) -> None:
    tm = TranslationMemory(tmp_path / "tm.sqlite")
    tm.add_many(MemoryEntry(s, "en", t) for s, t in approved.items())
    engine = Counting()
    result = Pipeline({"en": engine}, memory=tm).translate(ARTICLE)["en"]
    assert sorted(engine.seen) == sorted(engine_sees)
    assert [s.origin for s in result.segments] == origins
    for seg in result.segments:
        assert seg.target == (
            approved[seg.source] if seg.origin == "memory" else seg.source.upper()
        )
    assert result.summary["origins"]["memory"] == origins.count("memory")
    # another language has no approved translation: everything goes to the engine
    other = Counting()
    Pipeline({"de": other}, memory=tm).translate(ARTICLE)
    assert sorted(other.seen) == sorted(SENTENCES)
    tm.close()


@pytest.mark.parametrize(("flag", "origin"), [((), "memory"), (("--no-memory",), "mt")])
def test_run_takes_memory_matches_unless_told_not_to(
    article: Path,
    tmp_path: Path,
    memory: Path,
    tiny_pivot: tuple[Path, Path],
    capsys: pytest.CaptureFixture[str],
    flag: tuple[str, ...],
    origin: str,
) -> None:
    out = tmp_path / "out"
    code, stdout, err = run(article, out, tiny_pivot, "--no-gate", "--json", *flag, capsys=capsys)
    assert code == EXIT_OK, err
    en = json.loads((out / "article.en.json").read_text("utf-8"))
    seg = next(s for s in en["segments"] if s["source"] == SENTENCES[2])
    assert seg["origin"] == origin and (seg["target"] == APPROVED) == (origin == "memory")
    # only the pivot's final language has an approved translation
    zh = json.loads((out / "article.zh.json").read_text("utf-8"))
    assert all(s["origin"] == "mt" for s in zh["segments"])
    summary = json.loads(stdout)["languages"]
    assert summary["en"]["origins"]["memory"] == (1 if origin == "memory" else 0)
    if origin == "memory":
        units = (
            ET.parse(out / "article.en.xlf")
            .getroot()
            .iter("{urn:oasis:names:tc:xliff:document:2.0}segment")
        )
        states = {
            u.findtext("{urn:oasis:names:tc:xliff:document:2.0}source"): u.get("state")
            for u in units
        }
        assert states[SENTENCES[2]] == "reviewed" and states[SENTENCES[0]] == "translated"


def test_reading_a_missing_memory_does_not_create_it(
    article: Path, tmp_path: Path, tiny_pivot: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nowhere" / "memory.sqlite"
    code, _, err = run(
        article, tmp_path / "o", tiny_pivot, "--no-gate", "-q", "--memory", str(missing),
        capsys=capsys,
    )  # fmt: skip
    assert code == EXIT_OK, err
    assert not missing.parent.exists()


# --------------------------------------------------------------------------- gate


GATE_LINE = re.compile(r"^translate: zh: BLEU \d+\.\d < 50\.0 \(missed by \d+\.\d\)$")


@pytest.mark.parametrize("refs", ["auto", "dir"])
def test_gate_failure_blocks_only_that_language(
    article: Path,
    tmp_path: Path,
    thresholds: Path,
    tiny_pivot: tuple[Path, Path],
    capsys: pytest.CaptureFixture[str],
    refs: str,
) -> None:
    extra: tuple[str, ...] = ()
    if refs == "dir":
        # references elsewhere: the automatic ones are moved away
        (tmp_path / "articles" / "zh").rename(tmp_path / "zh-refs")
        (tmp_path / "refs").mkdir()
        (tmp_path / "zh-refs").rename(tmp_path / "refs" / "zh")
        extra = ("--refs", str(tmp_path / "refs"))
    out = tmp_path / "out"
    code, stdout, err = run(
        article, out, tiny_pivot, "--no-memory", "--thresholds", str(thresholds), "--json", *extra,
        capsys=capsys,
    )  # fmt: skip
    assert code == EXIT_GATE, err
    lines = err.splitlines()
    assert GATE_LINE.match(lines[0]), err
    assert lines[-1].startswith("translate: error: quality gate failed for zh") and "--force" in err
    # English has no references: BLEU is not measured, so it passes and is exported
    assert sorted(p.name for p in out.iterdir()) == [
        f"article.en.{ext}" for ext in ("json", "review.html", "txt", "xlf")
    ]
    summary = json.loads(stdout)
    assert summary["passed"] is False
    zh, en = summary["languages"]["zh"], summary["languages"]["en"]
    assert zh["files"] == {} and zh["exported"] is False
    assert zh["references"] and zh["references"].endswith("zh/article.jsonl")
    assert zh["gate"]["passed"] is False
    [failure] = zh["gate"]["failures"]
    assert failure["metric"] == "bleu" and failure["margin"] < 0
    assert en["gate"] == {"passed": True, "failures": []} and en["metrics"] is None


def test_force_exports_failed_languages_with_a_warning(
    article: Path,
    tmp_path: Path,
    thresholds: Path,
    tiny_pivot: tuple[Path, Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "out"
    code, _, err = run(
        article, out, tiny_pivot, "--no-memory", "--thresholds", str(thresholds), "--force",
        "--formats", "json", capsys=capsys,
    )  # fmt: skip
    assert code == EXIT_OK, err
    assert sorted(p.name for p in out.iterdir()) == ["article.en.json", "article.zh.json"]
    assert re.search(r"^translate: warning: zh: BLEU .* \(missed by ", err, re.M), err
    assert "exported anyway" in err
    zh = json.loads((out / "article.zh.json").read_text("utf-8"))
    assert zh["summary"]["gate"]["passed"] is False
    assert all(s["reference"] for s in zh["segments"])


def test_nothing_is_written_when_every_language_fails(
    article: Path,
    tmp_path: Path,
    thresholds: Path,
    tiny_pivot: tuple[Path, Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    write_refs(tmp_path / "articles", "en")
    code, stdout, err = run(
        article, tmp_path / "out", tiny_pivot, "--no-memory", "--thresholds", str(thresholds),
        "-q", capsys=capsys,
    )  # fmt: skip
    assert code == EXIT_GATE and stdout == ""
    assert not (tmp_path / "out").exists()
    lines = err.splitlines()
    assert [line.split(":")[1].strip() for line in lines[:2]] == ["en", "zh"], err
    assert (
        lines[-1].startswith("translate: error: quality gate failed for en, zh") and len(lines) == 3
    )


# --------------------------------------------------------------------------- formats and summary


def test_formats_write_exactly_the_named_files_and_xml_is_valid(
    article: Path, tmp_path: Path, tiny_pivot: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    code, _, err = run(
        article, out, tiny_pivot, "--no-gate", "--no-memory", "-q", "--formats", "xliff,tmx,po,md",
        capsys=capsys,
    )  # fmt: skip
    assert code == EXIT_OK, err
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"article.{lang}.{ext}" for lang in ("en", "zh") for ext in ("xlf", "tmx", "po", "md")
    )
    assert xliff_errors((out / "article.zh.xlf").read_bytes()) == []
    assert tmx_errors((out / "article.zh.tmx").read_bytes()) == []
    # the scores reached the exports: the reference of every zh segment is in the XLIFF notes
    xlf = (out / "article.zh.xlf").read_text("utf-8")
    assert all(ref in xlf for ref in REFERENCES["zh"])


def test_json_summary_contract(
    article: Path,
    tmp_path: Path,
    memory: Path,
    tiny_pivot: tuple[Path, Path],
    capsys: pytest.CaptureFixture[str],
) -> None:
    glossary = REPO / "glossaries" / "crypto-cloud.csv"
    code, stdout, err = run(
        article, tmp_path / "out", tiny_pivot, "--json", "--force", "-g", str(glossary),
        capsys=capsys,
    )  # fmt: skip
    assert code == EXIT_OK, err
    summary = json.loads(stdout)
    assert set(summary) == {"source", "out", "passed", "forced", "formats", "languages", "seconds"}
    assert (
        summary["formats"] == ["json", "xliff", "txt", "html", "doc"] and summary["forced"] is True
    )
    for lang, info in summary["languages"].items():
        assert set(info) == {
            "files", "exported", "segments", "origins", "terms_required", "terms_found",
            "term_accuracy", "term_methods", "protected", "localized", "references", "metrics",
            "qa", "gate",
            "models", "seconds",
        }  # fmt: skip
        assert set(info["origins"]) == {"mt", "cache", "memory", "passthrough"}
        assert set(info["qa"]) == {"critical", "major", "minor"}
        assert set(info["gate"]) == {"passed", "failures"}
        assert all(
            set(f) >= {"metric", "value", "threshold", "margin", "message"}
            for f in info["gate"]["failures"]
        )
        assert info["exported"] and len(info["files"]) == 5  # doc is the txt file here
        assert info["terms_required"] >= 1 and info["term_accuracy"] == 1.0, lang
    zh = summary["languages"]["zh"]
    assert set(zh["metrics"]) == {"bleu", "chrf", "ter", "signature"}
    assert zh["metrics"]["signature"]["bleu"].startswith("nrefs:1")
    assert summary["languages"]["en"]["metrics"] is None
    assert summary["languages"]["en"]["origins"]["memory"] == 1


@pytest.mark.parametrize(
    ("extra", "code", "needle"),
    [
        (("--formats", "docx"), EXIT_USAGE, "valid formats are: xliff"),
        (("--refs", "no-such-dir"), EXIT_INPUT, "pass --refs a folder"),
        (("--thresholds", "t.json", "--no-gate"), EXIT_USAGE, "not allowed with"),
    ],
)
def test_user_errors_leave_no_output(
    article: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    extra: tuple[str, ...],
    code: int,
    needle: str,
) -> None:
    argv = ["run", str(article), "--to", "en", "--out", str(tmp_path / "o"), *extra]
    try:
        got = main(argv)
    except SystemExit as exc:
        got = int(exc.code or 0)
    assert got == code
    assert needle in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_default_thresholds_ship_with_the_package_and_match_the_ci_gate() -> None:
    from translate.gate import load_thresholds

    bundled, ci = (
        load_thresholds(DEFAULT_THRESHOLDS),
        load_thresholds(REPO / "evals" / "thresholds.json"),
    )
    assert DEFAULT_THRESHOLDS.parent.name == "data"
    assert (bundled.default, bundled.languages) == (ci.default, ci.languages)


# --------------------------------------------------------------------------- eval, live


@pytest.fixture()
def suite(tmp_path: Path) -> Path:
    """A one-article suite in English and Chinese with the bundled gate's thresholds."""
    art = tmp_path / "articles" / "fr" / "demo.txt"
    art.parent.mkdir(parents=True)
    art.write_text(ARTICLE, encoding="utf-8")
    for lang in REFERENCES:
        write_refs(tmp_path / "articles", lang, "demo")
    path = tmp_path / "evals" / "suite.json"
    path.parent.mkdir()
    path.write_text(
        json.dumps(
            {
                "thresholds": str(DEFAULT_THRESHOLDS),
                "items": [{"article": "../articles/fr/demo.txt", "langs": ["en", "zh"]}],
            }
        ),
        encoding="utf-8",
    )
    return path


def test_eval_translates_live_and_random_weights_fail_the_gate(
    suite: Path, tmp_path: Path, tiny_pivot: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    junit, out = tmp_path / "junit.xml", tmp_path / "report"
    argv = [
        "eval", str(suite), "--junit", str(junit), "--out", str(out), "--no-cache",
        "--model", f"fr-en={tiny_pivot[0]}", "--model", f"en-zh={tiny_pivot[1]}",
        "--max-length-a", "0.5", "--max-length-b", "6",
    ]  # fmt: skip
    assert main(argv) == EXIT_GATE
    assert "gate failed" in capsys.readouterr().err
    root = ET.parse(junit).getroot()
    failed = {
        (s.get("name"), c.get("name"))
        for s in root.iter("testsuite")
        for c in s.iter("testcase")
        if c.find("failure") is not None
    }
    assert {("demo.en", "bleu"), ("demo.en", "chrf"), ("demo.zh", "bleu")} <= failed
    scored = json.loads((out / "demo.zh.json").read_text("utf-8"))
    legs = scored["provenance"]["engine"]["legs"]
    assert [leg["model"] for leg in legs] == [tiny_pivot[0].name, tiny_pivot[1].name]
    assert scored["summary"]["gate"]["passed"] is False


def test_eval_with_the_references_as_hypotheses_passes(
    suite: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hyps = tmp_path / "hyps"
    hyps.mkdir()
    for lang, lines in REFERENCES.items():
        (hyps / f"demo.{lang}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["eval", str(suite), "--hyp-dir", str(hyps), "--json"]) == EXIT_OK
    report = json.loads(capsys.readouterr().out)
    assert report["passed"] and all(i["bleu"] == pytest.approx(100.0) for i in report["items"])
