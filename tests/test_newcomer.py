"""Rough edges a newcomer hit (issue 12, point 10): each is one small promise of the CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from resultfixtures import make_result

from translate.cli import main
from translate.export import get_exporter

RESULT = make_result()


def test_review_json_carries_the_corpus_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "a.en.json"
    path.write_text(RESULT.to_json(), encoding="utf-8")
    assert main(["review", str(path), "--json", "--only-flagged"]) == 0
    data = json.loads(capsys.readouterr().out)
    summary = data["summary"]
    assert summary["segments"] == len(RESULT.segments)
    assert summary["shown"] == len(data["segments"]) == summary["flagged"]
    assert summary["metrics"]["bleu"] == 31.4 and "term_accuracy" not in summary["metrics"]
    assert summary["terms"]["term_accuracy"] == RESULT.summary.get("term_accuracy")


def test_po_dates_follow_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first = get_exporter("po").render(RESULT)
    assert "POT-Creation-Date: 2023-11-14 22:13+0000" in str(first)
    assert get_exporter("po").render(RESULT) == first


def test_score_warns_when_languages_differ(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    zh, en = tmp_path / "zh.txt", tmp_path / "en.txt"
    zh.write_text("大型互联网公司瞄准加密货币交易所。\n", encoding="utf-8")
    en.write_text("Internet giants target exchanges.\n", encoding="utf-8")
    assert main(["score", "--hyp", str(zh), "--ref", str(en), "--json"]) == 0
    assert "translate: warning:" in capsys.readouterr().err
    assert main(["score", "--hyp", str(en), "--ref", str(en), "--json"]) == 0
    assert capsys.readouterr().err == ""
    german = make_result(lang="de")
    result = tmp_path / "a.de.json"
    result.write_text(german.to_json(), encoding="utf-8")
    ref = tmp_path / "en" / "a.jsonl"  # an English reference file, by its folder
    ref.parent.mkdir()
    seg = german.segments[3]
    ref.write_text(json.dumps({"source": seg.source, "target": "Some English."}) + "\n", "utf-8")
    assert main(["score", "--hyp", str(result), "--ref", str(ref), "--json"]) == 0
    assert "is in de but" in capsys.readouterr().err


def test_half_precision_is_not_recorded_on_cpu() -> None:
    from translate.engine.base import DecodeOptions
    from translate.pipeline import Pipeline

    class Cpu:
        source_lang, target_lang = "fr", "en"

        def provenance(self) -> dict[str, object]:
            return {"engine": "marian", "legs": [{"decode": {"device": "cpu"}}]}

    class Gpu(Cpu):
        def provenance(self) -> dict[str, object]:
            return {"engine": "marian", "legs": [{"decode": {"device": "cuda"}}]}

    options = DecodeOptions()
    assert "half" not in Pipeline({"en": Cpu()}, options=options).provenance("en")["decode"]  # type: ignore[dict-item]
    assert Pipeline({"en": Gpu()}, options=options).provenance("en")["decode"]["half"] is True  # type: ignore[dict-item]


def test_live_eval_reports_progress(tmp_path: Path) -> None:
    """`translate eval` draws its progress bars from the provider's callback."""
    from translate.evalsuite import SuiteItem, suite_provider

    article = tmp_path / "a.txt"
    article.write_text("Bonjour. Au revoir.\n", encoding="utf-8")
    calls: list[tuple[str, int, int]] = []

    class Pipeline:
        def translate_into(self, doc, lang, *, source_path="", progress=None):  # type: ignore[no-untyped-def]
            for n in range(1, len(doc.segments) + 1):
                progress(lang, n, len(doc.segments))
            return source_path

    provide = suite_provider(Pipeline(), progress=lambda *a: calls.append(a))  # type: ignore[arg-type]
    provide(SuiteItem(article, "en", tmp_path / "r.jsonl"), None)  # type: ignore[arg-type]
    assert calls == [("en", 1, 2), ("en", 2, 2)]


def test_review_table_at_80_columns_keeps_short_columns_words_whole(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    path = tmp_path / "a.en.json"
    path.write_text(RESULT.to_json(), encoding="utf-8")
    assert main(["review", str(path), "--only-flagged"]) == 0
    out = capsys.readouterr().out
    assert max(len(line) for line in out.splitlines()) <= 80
    from translate.export.base import segment_flags

    names = {f.name for s in RESULT.segments for f in segment_flags(s)}
    shown = set(re.findall(r"(?<!\S)([\w-]+):(?!\S)", out))  # each flag name whole, with its ":"
    assert names and names <= shown, (names, out)
    assert "reference" in out and "chrF" in out  # headers whole


def test_glossary_check_asks_for_the_language_it_cannot_infer(
    tmp_path: Path, tiny_fr_en: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import shutil

    from translate.errors import EXIT_USAGE

    model = tmp_path / "my-model"
    shutil.copytree(tiny_fr_en, model)
    glossary = Path(__file__).resolve().parent / "data" / "glossary-small.csv"
    assert main(["glossary", "check", str(glossary), "--model", str(model)]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert "cannot infer" in err and "--lang" in err and err.count("\n") == 1


def test_models_demo_builds_an_offline_model(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from translate.errors import EXIT_OUTPUT

    out = tmp_path / "demo"
    assert main(["models", "demo", str(out), "--lang", "de"]) == 0
    assert {p.name for p in out.iterdir()} >= {"config.json", "source.spm", "vocab.json"}
    config = json.loads((out / "tokenizer_config.json").read_text(encoding="utf-8"))
    assert config["target_lang"] == "de"
    assert f"--model de={out}" in capsys.readouterr().out
    assert main(["models", "demo", str(out)]) == EXIT_OUTPUT  # never overwrites a folder
