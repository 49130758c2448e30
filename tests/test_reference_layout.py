"""References of list items are stored without the bullet the segmenter leaves in the layout."""

from __future__ import annotations

from pathlib import Path

import pytest

from translate.score import align_references, load_references, score_result
from translate.score.references import without_layout
from translate.segment import segment
from translate.units import DocumentResult, SegmentResult

REPO = Path(__file__).resolve().parent.parent
ARTICLES = ["centres-de-donnees-ia-minage-electricite", "mica-licences-exchanges-stablecoins"]


@pytest.mark.parametrize(
    ("target", "lead", "trail", "expected"),
    [
        ("• custody of wallets;", "• ", "", "custody of wallets;"),
        ("- custody of wallets;", "- ", "", "custody of wallets;"),
        ("custody of wallets;", "- ", "", "custody of wallets;"),  # the translator left it out
        ("1. First step", "1. ", "", "First step"),
        ("Plain sentence.", "", "", "Plain sentence."),
        ("- a list item -", "- ", "", "a list item -"),
    ],
)
def test_without_layout(target: str, lead: str, trail: str, expected: str) -> None:
    assert without_layout(target, lead, trail) == expected


@pytest.mark.parametrize("stem", ARTICLES)
@pytest.mark.parametrize("lang", ["en", "de"])
def test_a_perfect_translation_of_list_items_scores_100(stem: str, lang: str) -> None:
    article = REPO / "articles" / "fr" / f"{stem}.txt"
    text = article.read_text(encoding="utf-8")
    doc = segment(text)
    refs = load_references(article, lang)
    aligned = align_references(doc, refs)
    lists = [s for s in doc.segments if s.kind == "list" and s.id in aligned]
    assert lists, "the article has list items with references"
    assert not any(aligned[s.id].lstrip()[:1] in "-•" for s in lists)
    segments = [
        SegmentResult(s.id, s.paragraph, s.text, aligned.get(s.id, s.text), s.start, s.end, s.kind)
        for s in doc.segments
    ]
    result = DocumentResult(str(article), "fr", lang, text, tuple(segments))
    scored = score_result(result, refs)
    for seg in scored.segments:
        if seg.id in {s.id for s in lists}:
            assert seg.scores["chrf"] == 100.0, (seg.id, seg.target, seg.reference)
