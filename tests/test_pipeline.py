"""The pipeline with fake engines and a fake glossary: pass-through, layout, terms, origins."""

from __future__ import annotations

import re
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from translate.pipeline import Pipeline, summarize, translate_document
from translate.units import Document, DocumentResult, Segment, TermConstraint, TermMatch, TermResult


class Upper:
    """A fake engine that upper-cases and records the constraints it was given."""

    source_lang = "fr"

    def __init__(self, target_lang: str = "en") -> None:
        self.target_lang = target_lang
        self.seen: list[tuple[str, list[TermConstraint]]] = []

    def translate(
        self, texts: Sequence[str], constraints: Sequence[Sequence[TermConstraint]] | None = None
    ) -> list[str]:
        cons = constraints or [[] for _ in texts]
        self.seen.extend((t, list(c)) for t, c in zip(texts, cons, strict=True))
        out = []
        for t, c in zip(texts, cons, strict=True):
            forms = [x.variants(self.target_lang)[0] for x in c if x.variants(self.target_lang)]
            out.append(" ".join([t.upper(), *forms]))
        return out

    def provenance(self):  # type: ignore[no-untyped-def]
        return {"engine": "upper", "legs": [{"model": "upper", "target_lang": self.target_lang}]}


class FakeGlossary:
    """``nuage`` → cloud (en) / Wolke (de); ``minage`` → mining (en only)."""

    digest = "fake0001"
    terms = {"nuage": {"en": ("cloud",), "de": ("Wolke",)}, "minage": {"en": ("mining",)}}

    def match(self, text: str) -> list[TermMatch]:
        return [
            TermMatch(m.start(), m.end(), m.group(), head, head)
            for head in self.terms
            for m in re.finditer(head, text)
        ]

    def constraints_for(self, text: str, matches: Sequence[TermMatch]) -> list[TermConstraint]:
        return [TermConstraint(m.headword, self.terms[m.headword]) for m in matches]

    def verify(
        self,
        target: str,
        constraints: Sequence[TermConstraint],
        matches: Sequence[TermMatch],
        lang: str,
    ) -> tuple[TermResult, ...]:
        out = []
        for c, m in zip(constraints, matches, strict=True):
            req = c.variants(lang)
            if req:
                found = next((f for f in req if f in target), None)
                out.append(TermResult(c.headword, m.text, req, found))
        return tuple(out)


SENTENCES = [
    "Titre du nuage",
    "Le nuage et le minage.",
    "Voir https://example.com",
    "2024",
    "@handle, contact@x.fr",
]
TEXT = "Titre du nuage\n\nLe nuage et le minage.  Voir https://example.com\n\n2024\n\n@handle, contact@x.fr\n"


def fixed_segments(text: str = TEXT, sentences: Sequence[str] = SENTENCES) -> Document:
    """The test document with known segments, independent of the segmenter's rules."""
    segs, pos = [], 0
    for n, sentence in enumerate(sentences, 1):
        start = text.index(sentence, pos)
        pos = start + len(sentence)
        segs.append(Segment(f"s{n}", text.count("\n\n", 0, start) + 1, sentence, start, pos))
    return Document(text, tuple(segs))


def test_layout_is_kept_and_passthrough_copied() -> None:
    results = translate_document(fixed_segments(), {"en": Upper("en"), "de": Upper("de")})
    en = results["en"]
    assert (
        en.translated_text()
        == "TITRE DU NUAGE\n\nLE NUAGE ET LE MINAGE.  VOIR HTTPS://EXAMPLE.COM https://example.com"
        "\n\n2024\n\n@handle, contact@x.fr\n"
    )
    origins = {s.source: s.origin for s in en.segments}
    assert origins == {
        "Titre du nuage": "mt",
        "Le nuage et le minage.": "mt",
        "Voir https://example.com": "mt",
        "2024": "passthrough",
        "@handle, contact@x.fr": "passthrough",
    }
    assert list(results) == ["en", "de"] and results["de"].target_lang == "de"


def test_glossary_constraints_reach_the_engine_and_are_verified() -> None:
    engines = {"en": Upper("en"), "de": Upper("de")}
    results = Pipeline(engines, glossary=FakeGlossary()).translate(
        fixed_segments(), source_path="a.txt"
    )
    seen = dict(engines["de"].seen)
    assert [c.headword for c in seen["Le nuage et le minage."]] == ["nuage", "minage"]
    en, de = results["en"], results["de"]
    seg = next(s for s in en.segments if s.source == "Le nuage et le minage.")
    assert [(t.headword, t.found) for t in seg.terms] == [("nuage", "cloud"), ("minage", "mining")]
    # German has no form for "minage": only one required term there
    seg_de = next(s for s in de.segments if s.source == "Le nuage et le minage.")
    assert [t.headword for t in seg_de.terms] == ["nuage"]
    assert en.summary["term_accuracy"] == 1.0 and en.summary["terms_required"] == 3
    assert en.provenance["glossary"] == {"digest": "fake0001"}
    assert en.source_path == "a.txt"


def test_term_accuracy_counts_missing_terms() -> None:
    class Forgetful(Upper):
        def translate(self, texts, constraints=None):  # type: ignore[no-untyped-def]
            return [t.upper() for t in texts]

    result = Pipeline({"en": Forgetful()}, glossary=FakeGlossary()).translate(fixed_segments())[
        "en"
    ]
    assert result.summary["terms_found"] == 0 and result.summary["term_accuracy"] == 0.0


def test_without_glossary_the_engine_gets_no_constraints() -> None:
    engine = Upper()
    result = Pipeline({"en": engine}, protect=False).translate(fixed_segments())["en"]
    assert all(c == [] for _, c in engine.seen)
    assert result.summary["term_accuracy"] is None
    assert result.provenance["glossary"] is None


def test_result_round_trips_through_json() -> None:
    result = translate_document(TEXT, {"en": Upper()}, source_path="x.txt")["en"]
    again = DocumentResult.from_dict(result.to_dict())
    assert again.to_dict() == result.to_dict()
    assert again.translated_text() == result.translated_text()


def test_progress_reports_every_chunk() -> None:
    seen: list[tuple[str, int, int]] = []
    text = "\n".join(f"Phrase numéro {'un ' * i}." for i in range(1, 8))
    Pipeline({"en": Upper()}, chunk_size=3).translate(text, progress=lambda *a: seen.append(a))
    assert seen[0] == ("en", 0, 7) and seen[-1] == ("en", 7, 7)
    assert [d for _, d, _ in seen] == sorted(d for _, d, _ in seen) and len(seen) == 4


@pytest.mark.parametrize(
    ("origins", "expected"),
    [
        (
            ["mt", "cache", "passthrough", "mt", "memory"],
            {"mt": 2, "cache": 1, "memory": 1, "passthrough": 1},
        ),
        ([], {"mt": 0, "cache": 0, "memory": 0, "passthrough": 0}),
    ],
)
def test_summary_counts_origins(origins: list[str], expected: dict[str, int]) -> None:
    from translate.units import SegmentResult

    segs = [SegmentResult(str(i), 1, "s", "t", 0, 1, origin=o) for i, o in enumerate(origins)]
    assert summarize(segs)["origins"] == expected


def test_import_translate_is_light() -> None:
    import subprocess
    import sys

    code = "import sys, translate\ntranslate.Pipeline, translate.build_engines, translate.DecodeOptions\nprint('torch' in sys.modules, 'transformers' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


class Identity:
    source_lang, target_lang = "fr", "en"

    def translate(self, texts, constraints=None):  # type: ignore[no-untyped-def]
        return list(texts)

    def provenance(self):  # type: ignore[no-untyped-def]
        return {"engine": "identity", "legs": []}


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab cdé.!?\n\t«»:;,’'-0123456789@/")), max_size=200))
def test_identity_engine_rebuilds_any_text(text: str) -> None:
    result = translate_document(text, {"en": Identity()}, localize=False)["en"]
    assert result.translated_text() == text
    assert all(s.origin in {"mt", "passthrough"} for s in result.segments)
