"""The localization stage in the pipeline: one translation per language, a pass per locale, the
changes recorded in the result and carried to exports; memory matches and --no-localize untouched."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import pytest

from translate.export import export_all
from translate.pipeline import Pipeline, find_references
from translate.segment import segment
from translate.units import DocumentResult, TermConstraint

SOURCE = "Le 30 avril 2025, 13,8 % des 10 000 personnes ont dit « oui » !"
MT = "On 30 April 2025, 13,8 % of the 10 000 people said « yes » !"
OTHER = "Rien ne change."


class Canned:
    """An engine that returns fixed translations and counts what it is asked."""

    source_lang, target_lang = "fr", "en"

    def __init__(self) -> None:
        self.asked: Counter[str] = Counter()

    def translate(
        self, texts: Sequence[str], constraints: Sequence[Sequence[TermConstraint]] | None = None
    ) -> list[str]:
        self.asked.update(texts)
        return [MT if t == SOURCE else "Nothing changes." for t in texts]

    def provenance(self) -> dict[str, object]:
        return {"engine": "canned", "legs": []}


class Memory:
    def __init__(self, approved: dict[str, str]) -> None:
        self.approved = approved

    def lookup_many(self, sources: Sequence[str], target_lang: str) -> dict[str, str]:
        return {s: self.approved[s] for s in sources if s in self.approved}


def _run(**kwargs: object) -> tuple[dict[str, DocumentResult], Canned]:
    engine = Canned()
    pipeline = Pipeline({"en-GB": engine, "en-US": engine, "en": engine}, **kwargs)  # type: ignore[arg-type]
    return pipeline.translate(segment(f"{SOURCE}\n\n{OTHER}\n")), engine


def test_sibling_locales_share_one_translation_and_are_localized_apart() -> None:
    results, engine = _run()
    assert set(engine.asked.values()) == {1}  # each sentence translated once for three tags
    us, gb, bare = (results[t].segments[0] for t in ("en-US", "en-GB", "en"))
    assert us.target == "On April 30, 2025, 13.8% of the 10,000 people said “yes”!"
    assert gb.target == "On 30 April 2025, 13.8% of the 10,000 people said “yes”!"
    assert bare.target == us.target  # a bare language is localized as its default locale
    for seg in (us, gb):
        for c in seg.localized:
            assert seg.target[c.start : c.end] == c.after
    assert results["en-GB"].summary["localized"] == len(gb.localized) == 5
    assert results["en-GB"].provenance["localize"]["locale"] == "en-GB"
    assert results["en"].provenance["localize"]["locale"] == "en-US"
    record = results["en-US"].to_dict()["segments"][0]["localized"][0]
    assert set(record) == {"rule", "before", "after", "start", "end"}
    loaded = DocumentResult.from_json(results["en-US"].to_json())
    assert loaded.segments[0].localized == us.localized


def test_no_localize_keeps_the_model_output() -> None:
    results, _ = _run(localize=False)
    seg = results["en-GB"].segments[0]
    assert (seg.target, seg.localized) == (MT, ())
    assert results["en-GB"].provenance["localize"] is None


def test_memory_matches_are_never_localized() -> None:
    approved = "On 30 April 2025, 13,8 % of the 10 000 people said « yes » !"
    results, engine = _run(memory=Memory({SOURCE: approved}))
    seg = results["en-US"].segments[0]
    assert (seg.origin, seg.target, seg.localized) == ("memory", approved, ())
    assert SOURCE not in engine.asked


def test_the_locale_is_written_to_every_export(tmp_path: Path) -> None:
    results, _ = _run()
    paths = export_all(results["en-GB"], ["xliff", "tmx", "po"], tmp_path, "doc")
    xlf, tmx, po = (p.read_text(encoding="utf-8") for p in paths)
    root = ET.fromstring(xlf)
    assert root.get("trgLang") == "en-GB"
    assert "localized (percent): 13,8 % → 13.8%" in xlf
    tuvs = ET.fromstring(tmx).iter("tuv")
    langs = {t.get("{http://www.w3.org/XML/1998/namespace}lang") for t in tuvs}
    assert "en-GB" in langs
    assert '"Language: en_GB\\n"' in po
    assert [p.name for p in paths] == ["doc.en-GB.xlf", "doc.en-GB.tmx", "doc.en-GB.po"]


@pytest.mark.parametrize(
    ("folders", "expected"),
    [(["en-GB", "en"], "en-GB"), (["en"], "en"), (["en-US"], None), ([], None)],
)
def test_references_of_a_locale(tmp_path: Path, folders: list[str], expected: str | None) -> None:
    article = tmp_path / "articles" / "fr" / "a.txt"
    article.parent.mkdir(parents=True)
    article.write_text(SOURCE, encoding="utf-8")
    for folder in folders:
        ref = tmp_path / "articles" / folder / "a.jsonl"
        ref.parent.mkdir(parents=True)
        ref.write_text(json.dumps({"source": SOURCE, "target": MT}) + "\n", encoding="utf-8")
    found = find_references(article, "en-GB")
    assert (found.parent.name if found else None) == expected
