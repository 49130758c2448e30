"""Data flows one way: terms are matched once per segment, and every view of a result agrees."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from translate.glossary import Glossary, load_glossary
from translate.pipeline import Pipeline
from translate.segment import segment
from translate.units import TermConstraint

REPO = Path(__file__).resolve().parent.parent
GLOSSARY = REPO / "glossaries" / "crypto-cloud.csv"
ARTICLE = REPO / "articles" / "fr" / "grandes-entreprises-exchanges-crypto.txt"
LANGS = ("en", "de", "es")


class Echo:
    """An engine that copies its input: translation stands still, the rest of the flow runs."""

    source_lang = "fr"

    def __init__(self, target_lang: str) -> None:
        self.target_lang = target_lang

    def translate(
        self, texts: Sequence[str], constraints: Sequence[Sequence[TermConstraint]] | None = None
    ) -> list[str]:
        return list(texts)

    def provenance(self) -> dict[str, object]:
        return {"engine": "echo", "legs": [{"model": "echo", "target_lang": self.target_lang}]}


def _pipeline() -> Pipeline:
    return Pipeline(
        {lang: Echo(lang) for lang in LANGS}, glossary=load_glossary(GLOSSARY), memory=None
    )


def test_glossary_is_matched_once_per_segment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    calls: list[str] = []
    real = Glossary.match

    def counting(self: Glossary, text: str):  # type: ignore[no-untyped-def]
        calls.append(text)
        return real(self, text)

    monkeypatch.setattr(Glossary, "match", counting)
    document = segment(ARTICLE.read_text(encoding="utf-8"))
    report = _pipeline().run(document, tmp_path, "a", formats="json")
    assert len(document.segments) == 47
    # matching does not depend on the target language: once per segment for all three
    assert sorted(calls) == sorted(s.text for s in document.segments)
    assert report.to_dict()["languages"]["de"]["terms_required"] > 0


def test_api_and_run_agree_on_a_passthrough_segment(tmp_path: Path) -> None:
    text = "Les exchanges de cryptomonnaies se multiplient.\n\nCrypto.com\n"
    pipeline = _pipeline()
    document = segment(text)
    translated = pipeline.translate_into(document, "en")
    evaluated, _ = pipeline.evaluate(translated, None)
    report = pipeline.run(document, tmp_path, "a", formats="json")
    written = json.loads((tmp_path / "a.en.json").read_text(encoding="utf-8"))["summary"]
    row = report.to_dict()["languages"]["en"]
    # the pass-through line is a do-not-translate term, copied: required and found; the echoed
    # French sentence lacks its English term
    assert translated.segments[1].origin == "passthrough"
    assert [t.satisfied for t in translated.segments[1].terms] == [True]
    for summary in (translated.summary, evaluated.summary, written, row):
        assert (summary["terms_required"], summary["terms_found"]) == (2, 1)


def test_term_accuracy_is_stored_once_and_a_v1_result_still_reads(tmp_path: Path) -> None:
    from translate.gate import load_thresholds
    from translate.units import RESULT_SCHEMA, DocumentResult

    document = segment("Les exchanges de cryptomonnaies se multiplient.\n\nCrypto.com\n")
    pipeline = _pipeline()
    pipeline.thresholds = load_thresholds({"default": {"term_accuracy_min": 0.9}})
    pipeline.run(document, tmp_path, "a", formats="json", force=True)
    data = json.loads((tmp_path / "a.en.json").read_text(encoding="utf-8"))
    assert data["schema"] == RESULT_SCHEMA == "translate.result/2"
    assert "terms" not in data["summary"] and data["summary"]["term_accuracy"] == 0.5
    gated = [
        c["value"] for c in data["summary"]["gate"]["checks"] if c["metric"] == "term_accuracy"
    ]
    assert gated == [0.5]
    # a /1 file held the figure twice; its "terms" (the gate's, written last) wins on reading
    v1 = {**data, "schema": "translate.result/1"}
    stale = {"terms_required": 0, "terms_found": 0, "term_accuracy": None}
    v1["summary"] = {
        **data["summary"],
        **stale,
        "terms": {"accuracy": 2 / 3, "total": 3, "satisfied": 2},
    }
    read = DocumentResult.from_json(json.dumps(v1)).summary
    assert "terms" not in read
    assert (read["terms_required"], read["terms_found"], read["term_accuracy"]) == (3, 2, 0.666667)
    for junk in (None, [], {"total": "3", "satisfied": 2}, {"total": True, "satisfied": 1}):
        v1["summary"] = {**data["summary"], "terms": junk}
        read = DocumentResult.from_json(json.dumps(v1)).summary
        assert "terms" not in read and read["term_accuracy"] == 0.5
    # a /2 file keeps any key it holds, as read
    data["summary"]["terms"] = {"total": 3, "satisfied": 2}
    assert DocumentResult.from_json(json.dumps(data)).summary["terms"] == {
        "total": 3,
        "satisfied": 2,
    }
