"""Corpus metrics (BLEU, chrF++, TER) with sacrebleu signatures, and exact-match term accuracy.

Scores are computed with sacrebleu's own metric classes configured exactly as its command line
would be for the target language, so ``translate score`` and ``sacrebleu REF -i HYP -m bleu chrf
ter --chrf-word-order 2`` agree to the last digit and print the same signatures.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import TYPE_CHECKING, Any, Protocol

from translate._io import read_data
from translate.errors import ScoreError
from translate.langtags import base_or_none
from translate.terms import SegmentTerms, find_terms
from translate.units import DocumentResult, TermConstraint, TermMatch, TermResult

if TYPE_CHECKING:
    from sacrebleu.metrics.base import Metric

__all__ = [
    "METRIC_NAMES",
    "GlossaryLike",
    "Scores",
    "SegmentScore",
    "TermScore",
    "bleu_tokenizer",
    "corpus_scores",
    "join_sentences",
    "make_metrics",
    "term_accuracy",
    "term_score_from_results",
    "verify_terms",
]

#: Corpus metrics in report order; keys of :attr:`Scores.signatures`.
METRIC_NAMES = ("bleu", "chrf", "ter")


class GlossaryLike(Protocol):
    """The part of :class:`translate.glossary.Glossary` that term accuracy needs."""

    def match(self, text: str) -> list[TermMatch]:
        """Glossary terms found in one French segment (offsets into ``text``)."""
        ...

    def constraints_for(self, text: str, matches: Sequence[TermMatch]) -> list[TermConstraint]:
        """What the decoder must produce for those matches."""
        ...

    def verify(
        self,
        target: str,
        constraints: Sequence[TermConstraint],
        matches: Sequence[TermMatch],
        lang: str,
    ) -> tuple[TermResult, ...]:
        """Which required target terms the translation contains."""
        ...


# --------------------------------------------------------------------------- metric configuration


@cache
def _config() -> dict[str, Any]:
    return dict(json.loads(read_data("metrics.json")))


@cache
def bleu_tokenizer(lang: str | None) -> str:
    """The BLEU tokenizer for a target language: the first one in ``data/metrics.json`` available.

    Japanese and Korean prefer MeCab (as sacrebleu does) but fall back to ``char`` when the
    ``sacrebleu[ja]``/``sacrebleu[ko]`` extras are not installed; the signature records the choice.
    """
    from sacrebleu.metrics import BLEU

    table = _config()["bleu_tokenize"]
    choices = table.get(base_or_none(lang) or "default", table["default"])
    for name in choices:
        try:
            BLEU(tokenize=name)
        except (RuntimeError, ImportError, OSError):
            continue
        return str(name)
    raise ScoreError(
        f"no BLEU tokenizer available for {lang!r} (tried {', '.join(choices)}); "
        "install the sacrebleu extra it needs or edit translate/data/metrics.json."
    )


def make_metrics(lang: str | None) -> dict[str, Metric]:
    """Fresh sacrebleu metric objects for ``lang``: BLEU, chrF++ (word order 2) and TER."""
    from sacrebleu.metrics import BLEU, CHRF, TER

    cfg = _config()
    asian = base_or_none(lang) in cfg["ter_asian_support"]
    return {
        "bleu": BLEU(tokenize=bleu_tokenizer(lang)),
        "chrf": CHRF(word_order=int(cfg["chrf_word_order"])),
        "ter": TER(asian_support=asian),
    }


def join_sentences(parts: Iterable[str], lang: str | None) -> str:
    """Join sentences of one segment: with a space, or without one for Chinese and Japanese."""
    sep = "" if base_or_none(lang) in _config()["no_space_join"] else " "
    return sep.join(p.strip() for p in parts if p.strip())


# --------------------------------------------------------------------------- scores


@dataclass(frozen=True)
class SegmentScore:
    """Sentence-level figures for one scored unit (a segment, or segments sharing a reference)."""

    index: int
    id: str
    hypothesis: str
    reference: str
    chrf: float
    ter: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "id": self.id,
            "chrf": self.chrf,
            "ter": self.ter,
            "hypothesis": self.hypothesis,
            "reference": self.reference,
        }


@dataclass(frozen=True)
class TermScore:
    """Exact-match term accuracy: the share of required target terms found in the output."""

    total: int
    satisfied: int
    details: tuple[dict[str, Any], ...] = ()

    @property
    def accuracy(self) -> float | None:
        """Satisfied / total, in 0..1; ``None`` when no glossary term occurred."""
        return self.satisfied / self.total if self.total else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "accuracy": self.accuracy,
            "total": self.total,
            "satisfied": self.satisfied,
            "details": list(self.details),
        }


@dataclass(frozen=True)
class Scores:
    """Corpus BLEU, chrF++ and TER (0–100) with their sacrebleu signatures."""

    lang: str | None
    bleu: float
    chrf: float
    ter: float
    signatures: Mapping[str, str]
    segments: tuple[SegmentScore, ...] = ()
    terms: TermScore | None = None
    bleu_detail: str = ""

    def to_dict(self, *, segments: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "lang": self.lang,
            "n_segments": len(self.segments),
            "bleu": self.bleu,
            "chrf": self.chrf,
            "ter": self.ter,
            "signature": dict(self.signatures),
            "bleu_detail": self.bleu_detail,
        }
        if segments:
            data["segments"] = [s.to_dict() for s in self.segments]
        data["terms"] = self.terms.to_dict() if self.terms else None
        return data


def corpus_scores(
    hypotheses: Sequence[str],
    references: Sequence[str],
    lang: str | None,
    *,
    ids: Sequence[str] | None = None,
    sources: Sequence[str] | None = None,
    glossary: GlossaryLike | None = None,
) -> Scores:
    """Score aligned hypothesis/reference lists.

    Args:
        hypotheses: one translation per unit.
        references: one reference per unit, same order.
        lang: target language code (chooses tokenization); ``None`` for sacrebleu's defaults.
        ids: names of the units in the per-segment report (default: line numbers).
        sources: French sources, needed with ``glossary`` for term accuracy.
        glossary: a loaded glossary; term accuracy is ``None`` without one.

    Raises:
        ScoreError: the lists are empty or of different lengths.
    """
    if len(hypotheses) != len(references):
        raise ScoreError(
            f"{len(hypotheses)} hypothesis lines but {len(references)} references; give files "
            "with one segment per line in the same order."
        )
    if not hypotheses:
        raise ScoreError("nothing to score: no segment has a reference.")
    metrics = make_metrics(lang)
    refs = [list(references)]
    corpus = {name: m.corpus_score(list(hypotheses), refs) for name, m in metrics.items()}
    names = list(ids) if ids is not None else [str(i + 1) for i in range(len(hypotheses))]
    seg_scores = tuple(
        SegmentScore(
            i,
            names[i],
            hyp,
            ref,
            metrics["chrf"].sentence_score(hyp, [ref]).score,
            metrics["ter"].sentence_score(hyp, [ref]).score,
        )
        for i, (hyp, ref) in enumerate(zip(hypotheses, references, strict=True))
    )
    terms = None
    if glossary is not None:
        if sources is None:
            raise ScoreError("term accuracy needs the French sources; pass --src.")
        terms = term_accuracy(sources, hypotheses, glossary, lang or "")
    bleu_score = corpus["bleu"]
    return Scores(
        lang=lang,
        bleu=corpus["bleu"].score,
        chrf=corpus["chrf"].score,
        ter=corpus["ter"].score,
        signatures={name: str(m.get_signature().format()) for name, m in metrics.items()},
        segments=seg_scores,
        terms=terms,
        bleu_detail=str(getattr(bleu_score, "_verbose", "")),
    )


def _term_detail(index: int, r: TermResult) -> dict[str, Any]:
    return {
        "segment": index,
        "headword": r.headword,
        "source": r.source,
        "required": list(r.required),
        "found": r.found,
        "satisfied": r.satisfied,
    }


def term_accuracy(
    sources: Sequence[str], hypotheses: Sequence[str], glossary: GlossaryLike, lang: str
) -> TermScore:
    """Exact-match term accuracy of ``hypotheses`` against the glossary terms found in ``sources``.

    Raises:
        ScoreError: sources and hypotheses differ in length.
    """
    if len(sources) != len(hypotheses):
        raise ScoreError(
            f"{len(sources)} source lines but {len(hypotheses)} hypothesis lines; give a source "
            "file with one segment per line, aligned with the hypotheses."
        )
    details: list[dict[str, Any]] = []
    for i, (src, hyp) in enumerate(zip(sources, hypotheses, strict=True)):
        matches = glossary.match(src)
        if not matches:
            continue
        constraints = glossary.constraints_for(src, matches)
        details.extend(_term_detail(i, r) for r in glossary.verify(hyp, constraints, matches, lang))
    return TermScore(len(details), sum(d["satisfied"] for d in details), tuple(details))


def term_score_from_results(result: DocumentResult) -> TermScore | None:
    """Term accuracy from the term checks the pipeline already stored on each segment."""
    details = [_term_detail(i, t) for i, seg in enumerate(result.segments) for t in seg.terms]
    if not details:
        return None
    return TermScore(len(details), sum(d["satisfied"] for d in details), tuple(details))


def verify_terms(
    result: DocumentResult, glossary: GlossaryLike, found: Sequence[SegmentTerms] | None = None
) -> DocumentResult:
    """Check every segment's glossary terms in its target (fills ``SegmentResult.terms``).

    Lets plain-text hypotheses, which carry no term checks, be gated on term accuracy.
    ``found`` gives each segment's terms when they were matched already
    (:func:`translate.terms.find_terms`); otherwise they are matched here, once.
    """
    if found is None:
        found = find_terms(result.document, glossary=glossary)
    segments = []
    for seg, t in zip(result.segments, found, strict=True):
        terms: tuple[TermResult, ...] = ()
        if t.terms:
            terms = tuple(glossary.verify(seg.target, t.terms, t.matches, result.target_lang))
        segments.append(replace(seg, terms=terms))
    return replace(result, segments=tuple(segments))
