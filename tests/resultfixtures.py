"""Realistic translation results for export and review tests, built from the bundled article.

Targets are a word-for-word "translation" through a small table, so glossary terms can be found
or missed, QA checks fire on some segments, and references and scores vary from segment to segment.
"""

from __future__ import annotations

from pathlib import Path

from translate.segment import segment
from translate.units import CheckResult, DocumentResult, SegmentResult, TermResult

ARTICLE = (
    Path(__file__).resolve().parent.parent
    / "articles"
    / "fr"
    / "grandes-entreprises-exchanges-crypto.txt"
)

WORDS = {
    "les": "the",
    "grandes": "big",
    "entreprises": "companies",
    "cryptomonnaies": "cryptocurrencies",
    "exchanges": "exchanges",
    "cloud": "cloud",
    "de": "of",
    "et": "and",
    "le": "the",
    "la": "the",
}
# headword, French form, required English forms; segments with an odd index miss the term.
GLOSSARY = (
    ("cryptomonnaie", "cryptomonnaies", ("cryptocurrencies",)),
    ("exchange", "exchanges", ("exchanges", "trading platforms")),
    ("cloud", "cloud", ("cloud",)),
)
PROVENANCE = {
    "models": [{"id": "Helsinki-NLP/opus-mt-fr-en", "revision": "0123abcd4567ef"}],
    "decoding": {"num_beams": 4, "max_length_a": 2.0, "max_length_b": 16},
    "glossary": {"path": "glossaries/crypto.csv", "sha256": "9f86d081884c7d65"},
}
SIGNATURES = {
    "bleu": "nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0",
    "chrf": "nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0",
}


def fake_translate(text: str) -> str:
    return " ".join(WORDS.get(w.lower(), w) for w in text.split(" "))


def make_result(
    text: str | None = None, lang: str = "en", path: str = "articles/fr/article.txt"
) -> DocumentResult:
    """A result for ``text`` (default: the bundled article) with terms, checks, refs and scores."""
    if text is None:
        # The article repeats its title line; the second copy continues on the next line, which the
        # segmenter joins to it. A blank line keeps the copy a sentence of its own, so the fixture
        # always holds two segments with the same source (indices 0 and 2).
        source = ARTICLE.read_text(encoding="utf-8").replace(
            "cryptomonnaies\net a", "cryptomonnaies\n\nEt a", 1
        )
    else:
        source = text
    segs = []
    for i, s in enumerate(segment(source).segments):
        target = fake_translate(s.text)
        terms = []
        for headword, form, required in GLOSSARY:
            if form in s.text:
                if i % 2:
                    terms.append(TermResult(headword, form, required, None))
                else:
                    at = target.find(required[0])
                    found = target[at : at + len(required[0])] if at >= 0 else None
                    terms.append(
                        TermResult(headword, form, required, found, at, at + len(required[0]))
                    )
        checks = []
        if any(c.isdigit() for c in s.text) and i % 3 == 0:
            checks.append(CheckResult("numbers", "error", "number 10 000 missing in the target"))
        if i % 5 == 4:
            checks.append(CheckResult("doublespacing", "cosmetic", "double space <b>&amp;</b>"))
        segs.append(
            SegmentResult(
                id=s.id,
                paragraph=s.paragraph,
                source=s.text,
                target=target,
                start=s.start,
                end=s.end,
                kind=s.kind,
                origin="memory" if i % 7 == 6 else "mt",
                terms=tuple(terms),
                checks=tuple(checks),
                reference=f'Reference {i} <i>"quoted"</i>' if i % 2 == 0 else None,
                scores={
                    "chrf": round(20 + (i * 37) % 75 + 0.25, 2),
                    "bleu": round((i * 13) % 60 + 0.5, 2),
                },
            )
        )
    return DocumentResult(
        source_path=path,
        source_lang="fr",
        target_lang=lang,
        source_text=source,
        segments=tuple(segs),
        provenance=PROVENANCE,
        summary={
            "metrics": {"bleu": 31.4, "chrf": 57.25, "ter": 58.1, "signatures": SIGNATURES},
            "term_accuracy": 0.5,
        },
    )
