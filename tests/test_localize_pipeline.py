"""The localization stage in the pipeline: one translation per language, a pass per locale, the
changes recorded in the result and carried to exports; memory matches and --no-localize untouched."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import pytest
from schemas import tmx_errors, xliff_errors

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

    def lookup_many(
        self, sources: Sequence[str], target_lang: str, *, neutral: object = None
    ) -> dict[str, str]:
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
    assert xliff_errors(paths[0].read_bytes()) == []
    assert tmx_errors(paths[1].read_bytes()) == []


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


def test_memory_falls_back_by_locale(tmp_path: Path) -> None:
    from translate.localize import is_locale_neutral
    from translate.memory import TranslationMemory

    hello, rate, thanks = "Bonjour à tous.", "Le taux est de 13,8 %.", "Merci."
    with TranslationMemory(tmp_path / "m.sqlite") as tm:
        tm.add(hello, "Hello everyone.", "en-GB")
        tm.add(rate, "The rate is 13.8%.", "EN_gb")
        tm.add(thanks, "Thanks.", "en")
        sources = [hello, rate, thanks]
        gb = tm.lookup_many(sources, "en-GB", neutral=is_locale_neutral)
        assert gb == {hello: "Hello everyone.", rate: "The rate is 13.8%.", thanks: "Thanks."}
        # a sibling locale takes only what holds nothing locale-specific
        us = tm.lookup_many(sources, "en-US", neutral=is_locale_neutral)
        assert us == {hello: "Hello everyone.", thanks: "Thanks."}
        assert tm.lookup_many(sources, "en-US") == {thanks: "Thanks."}
        assert tm.lookup_many([hello], "en", neutral=is_locale_neutral) == {
            hello: "Hello everyone."
        }
        assert tm.lookup_many([hello], "de-DE", neutral=is_locale_neutral) == {}
        assert {e.target_lang for e in tm.entries()} == {"en", "en-GB"}


def test_a_tmx_tagged_en_us_serves_a_run_into_en(tmp_path: Path) -> None:
    from translate.memory import TranslationMemory

    tmx = tmp_path / "omegat.tmx"
    tmx.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header srclang="FR-FR" '
        'adminlang="EN-US" segtype="sentence" o-tmf="OmegaT" creationtool="OmegaT" '
        'creationtoolversion="6" datatype="plaintext"/><body><tu><tuv xml:lang="FR-FR">'
        '<seg>Le 30 avril 2025.</seg></tuv><tuv xml:lang="EN-US"><seg>On April 30, 2025.</seg>'
        "</tuv></tu></body></tmx>",
        encoding="utf-8",
    )
    with TranslationMemory(tmp_path / "m.sqlite") as tm:
        assert tm.import_tmx(tmx) == 1
        assert tm.lookup_many(["Le 30 avril 2025."], "en") == {
            "Le 30 avril 2025.": "On April 30, 2025."
        }
        assert tm.lookup_many(["Le 30 avril 2025."], "en-us") != {}
        assert tm.lookup_many(["Le 30 avril 2025."], "en-GB") == {}  # a date: not shared


@pytest.mark.parametrize(
    ("source", "neutral"),
    [
        ("Bonjour à tous.", True),
        ("En 2025, 300 personnes sont venues.", True),
        ("Le taux est de 13,8 %.", False),
        ("Il y avait 10 000 personnes.", False),
        ("Le 30 avril, il pleuvait.", False),
        ("Rendez-vous à 14 h 30.", False),
        ("Il a dit « oui ».", False),
        ("Cela coûte 5 €.", False),
    ],
)
def test_locale_neutral_sentences(source: str, neutral: bool) -> None:
    from translate.localize import is_locale_neutral

    assert is_locale_neutral(source) is neutral


def test_a_cat_tool_edit_stored_as_en_gb_is_reused(tmp_path: Path) -> None:
    from translate.memory import TranslationMemory

    with TranslationMemory(tmp_path / "m.sqlite") as tm:
        tm.add(SOURCE, "Edited in a CAT tool.", "en-GB")  # an XLIFF with trgLang="en-GB"
        tm.add(OTHER, "Nothing at all changes.", "en-GB")
        engine = Canned()
        engines = {"en-GB": engine, "en-US": engine}
        results = Pipeline(engines, memory=tm).translate(segment(f"{SOURCE}\n\n{OTHER}\n"))  # type: ignore[arg-type]
    gb, us = results["en-GB"].segments, results["en-US"].segments
    assert [s.origin for s in gb] == ["memory", "memory"]
    # en-US takes the sibling's edit only for the sentence with nothing locale-specific
    assert [s.origin for s in us] == ["mt", "memory"]
    assert us[1].target == "Nothing at all changes."


def test_run_into_two_english_locales(
    tmp_path: Path, tiny_fr_en: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from translate.cli import main

    article = tmp_path / "a.txt"
    article.write_text(f"{SOURCE}\n\n{OTHER}\n", encoding="utf-8")
    out = tmp_path / "out"
    argv = [
        "run", str(article), "--to", "EN_gb,en-US", "--out", str(out), "--no-cache",
        "--model", f"en={tiny_fr_en}", "--no-gate", "--formats", "json,xliff",
        "--max-length-a", "0.5", "--max-length-b", "6",
    ]  # fmt: skip
    assert main([*argv, "--json"]) == 0, capsys.readouterr().err
    summary = json.loads(capsys.readouterr().out)
    assert list(summary["languages"]) == ["en-GB", "en-US"]
    assert all("localized" in info for info in summary["languages"].values())
    gb = json.loads((out / "a.en-GB.json").read_text(encoding="utf-8"))
    us = json.loads((out / "a.en-US.json").read_text(encoding="utf-8"))
    assert gb["target_lang"] == "en-GB" and us["provenance"]["localize"]["locale"] == "en-US"
    # one translation: the two locales differ only where the pass changed something
    for a, b in zip(gb["segments"], us["segments"], strict=True):
        if not a["localized"] and not b["localized"]:
            assert a["target"] == b["target"]
    assert 'trgLang="en-GB"' in (out / "a.en-GB.xlf").read_text(encoding="utf-8")
    assert main([*argv, "--no-localize", "--json"]) == 0
    plain = json.loads((out / "a.en-GB.json").read_text(encoding="utf-8"))
    assert plain["provenance"]["localize"] is None
    assert all(s["localized"] == [] for s in plain["segments"])
