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
