"""Corpus metrics (BLEU, chrF++, TER) with sacrebleu signatures, reference alignment, term accuracy.

Scores are computed with sacrebleu's own metric classes configured exactly as its command line
would be for the target language, so ``translate score`` and ``sacrebleu REF -i HYP -m bleu chrf
ter --chrf-word-order 2`` agree to the last digit and print the same signatures.

References for an article ``articles/fr/<slug>.txt`` live in ``articles/<lang>/<slug>.jsonl``, one
``{"source": ..., "target": ...}`` object per French sentence. They are aligned to whatever the
current segmenter produced by locating each ``source`` in the article, so scoring keeps working
when segmentation changes.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, cast

from translate._io import read_data, read_document
from translate.errors import ConfigError, ScoreError
from translate.units import Document, DocumentResult, TermConstraint, TermMatch, TermResult

if TYPE_CHECKING:
    from sacrebleu.metrics.base import Metric
    from sacrebleu.significance import Result

__all__ = [
    "METRIC_NAMES",
    "AlignedUnit",
    "Comparison",
    "MetricComparison",
    "Reference",
    "References",
    "Scores",
    "SegmentScore",
    "TermScore",
    "align_references",
    "align_units",
    "bleu_tokenizer",
    "compare",
    "corpus_scores",
    "join_sentences",
    "load_hypotheses",
    "load_lines",
    "load_references",
    "locate_references",
    "make_metrics",
    "read_pairs",
    "reference_path",
    "score_result",
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


def _base_lang(lang: str | None) -> str | None:
    return lang.lower().replace("_", "-").split("-")[0] if lang else None


@cache
def bleu_tokenizer(lang: str | None) -> str:
    """The BLEU tokenizer for a target language: the first one in ``data/metrics.json`` available.

    Japanese and Korean prefer MeCab (as sacrebleu does) but fall back to ``char`` when the
    ``sacrebleu[ja]``/``sacrebleu[ko]`` extras are not installed; the signature records the choice.
    """
    from sacrebleu.metrics import BLEU

    table = _config()["bleu_tokenize"]
    choices = table.get(_base_lang(lang) or "default", table["default"])
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
    asian = _base_lang(lang) in cfg["ter_asian_support"]
    return {
        "bleu": BLEU(tokenize=bleu_tokenizer(lang)),
        "chrf": CHRF(word_order=int(cfg["chrf_word_order"])),
        "ter": TER(asian_support=asian),
    }


def join_sentences(parts: Iterable[str], lang: str | None) -> str:
    """Join sentences of one segment: with a space, or without one for Chinese and Japanese."""
    sep = "" if _base_lang(lang) in _config()["no_space_join"] else " "
    return sep.join(p.strip() for p in parts if p.strip())


# --------------------------------------------------------------------------- references


@dataclass(frozen=True)
class Reference:
    """One reference sentence: its French source (a substring of the article) and translation."""

    source: str
    target: str
    line: int = 0


@dataclass(frozen=True)
class References:
    """The reference translations of one article into one language."""

    lang: str
    path: str
    entries: tuple[Reference, ...]


@dataclass(frozen=True)
class AlignedUnit:
    """Segments scored together against one reference string.

    Usually one segment; several when a reference sentence straddles a segment boundary.
    """

    segment_ids: tuple[str, ...]
    reference: str


def reference_path(article: str | os.PathLike[str], lang: str) -> Path:
    """``articles/fr/<slug>.txt`` → ``articles/<lang>/<slug>.jsonl``."""
    p = Path(article)
    return p.parent.parent / lang / f"{p.stem}.jsonl"


def load_references(article_or_path: str | os.PathLike[str], lang: str) -> References:
    """Read the references of an article in ``lang``.

    Args:
        article_or_path: the French article (``articles/fr/<slug>.txt``), whose references are
            looked up in ``articles/<lang>/<slug>.jsonl``, or a ``.jsonl`` reference file itself.
        lang: target language code.

    Raises:
        InputError: the reference file is missing or unreadable.
        ConfigError: a line is not a JSON object with string ``source`` and ``target``.
    """
    p = Path(article_or_path)
    path = p if p.suffix == ".jsonl" else reference_path(p, lang)
    text = read_document(path)
    entries: list[Reference] = []
    for n, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as err:
            raise ConfigError(
                f"{path}:{n}: not valid JSON ({err.msg}); write one "
                '{"source": ..., "target": ...} object per line.'
            ) from None
        if (
            not isinstance(obj, dict)
            or not isinstance(obj.get("source"), str)
            or not isinstance(obj.get("target"), str)
            or not obj["source"].strip()
        ):
            raise ConfigError(
                f"{path}:{n}: expected an object with non-empty string fields 'source' and "
                "'target'; fix that line."
            )
        entries.append(Reference(obj["source"], obj["target"], n))
    return References(lang=lang, path=str(path), entries=tuple(entries))


def _find(text: str, needle: str, pos: int) -> tuple[int, int] | None:
    """Exact match first; then one that only differs in the kind or amount of whitespace."""
    i = text.find(needle, pos)
    if i >= 0:
        return i, i + len(needle)
    words = needle.split()
    if not words:
        return None
    m = re.compile(r"\s+".join(re.escape(w) for w in words)).search(text, pos)
    return (m.start(), m.end()) if m else None


def locate_references(text: str, refs: References) -> list[tuple[int, int]]:
    """The span of each reference's source in the article, searching forward in document order.

    Raises:
        ScoreError: a source cannot be found (the first one is named, with its line).
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    for ref in refs.entries:
        span = _find(text, ref.source.strip(), pos)
        if span is None:
            where = f"{refs.path}:{ref.line}" if ref.line else refs.path
            raise ScoreError(
                f"{where}: reference source not found in the article after offset {pos}: "
                f"{ref.source.strip()[:80]!r}; copy the sentence exactly from the article and keep "
                "the references in document order."
            )
        spans.append(span)
        pos = span[1]
    return spans


def _overlaps(document: Document, refs: References) -> list[list[tuple[int, int]]]:
    """For each reference, the (segment index, overlap length) pairs it covers."""
    spans = locate_references(document.text, refs)
    out: list[list[tuple[int, int]]] = []
    for a, b in spans:
        hits = []
        for i, seg in enumerate(document.segments):
            overlap = min(b, seg.end) - max(a, seg.start)
            if overlap > 0:
                hits.append((i, overlap))
        out.append(hits)
    return out


def align_units(document: Document, refs: References) -> tuple[AlignedUnit, ...]:
    """Group segments and references into units that can be scored against each other.

    Each reference goes to the segments its source overlaps; segments sharing a reference are
    merged into one unit. Segments without any reference are left out (nothing to score them
    against); references that overlap no segment are ignored.

    Raises:
        ScoreError: a reference source cannot be found in the article (the first one is named).
    """
    overlaps = _overlaps(document, refs)
    groups: list[tuple[int, int, list[str]]] = []  # first seg, last seg, reference texts
    for ref, hits in zip(refs.entries, overlaps, strict=True):
        if not hits:
            continue
        lo, hi = hits[0][0], hits[-1][0]
        if groups and lo <= groups[-1][1]:
            g_lo, g_hi, texts = groups[-1]
            groups[-1] = (g_lo, max(g_hi, hi), [*texts, ref.target])
        else:
            groups.append((lo, hi, [ref.target]))
    segs = document.segments
    return tuple(
        AlignedUnit(
            tuple(s.id for s in segs[lo : hi + 1]),
            join_sentences(texts, refs.lang),
        )
        for lo, hi, texts in groups
    )


def align_references(document: Document, refs: References) -> dict[str, str]:
    """Each segment's reference: the references whose French source lies inside it, joined.

    A reference that straddles a segment boundary goes to the segment holding most of it.

    Raises:
        ScoreError: a reference source cannot be found in the article (the first one is named).
    """
    parts: dict[int, list[str]] = {}
    for ref, hits in zip(refs.entries, _overlaps(document, refs), strict=True):
        if hits:
            best = max(hits, key=lambda h: h[1])[0]
            parts.setdefault(best, []).append(ref.target)
    return {
        document.segments[i].id: join_sentences(texts, refs.lang)
        for i, texts in sorted(parts.items())
    }


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


def verify_terms(result: DocumentResult, glossary: GlossaryLike) -> DocumentResult:
    """Re-check every segment's glossary terms in its target (fills ``SegmentResult.terms``).

    Lets plain-text hypotheses, which carry no term checks, be gated on term accuracy.
    """
    segments = []
    for seg in result.segments:
        matches = glossary.match(seg.source)
        terms: tuple[TermResult, ...] = ()
        if matches:
            constraints = glossary.constraints_for(seg.source, matches)
            terms = tuple(glossary.verify(seg.target, constraints, matches, result.target_lang))
        segments.append(replace(seg, terms=terms))
    return replace(result, segments=tuple(segments))


def score_result(
    result: DocumentResult, references: Mapping[str, str] | References
) -> DocumentResult:
    """Fill each segment's ``reference`` and ``scores`` and ``summary["metrics"]``.

    Args:
        result: a translated document.
        references: segment id → reference (each segment scored alone), or the article's
            :class:`References`, aligned to the result's segmentation (segments that share a
            reference are scored together and carry the score of their group).

    Raises:
        ScoreError: no segment has a reference, or a reference cannot be located.
    """
    lang = result.target_lang
    by_id = {s.id: s for s in result.segments}
    if isinstance(references, References):
        units = align_units(result.document, references)
        per_segment = align_references(result.document, references)
    else:
        unknown = [k for k in references if k not in by_id]
        if unknown:
            raise ScoreError(
                f"reference given for unknown segment {unknown[0]!r}; use the segment ids of the "
                "result."
            )
        units = tuple(
            AlignedUnit((s.id,), references[s.id]) for s in result.segments if s.id in references
        )
        per_segment = dict(references)
    hyps = [join_sentences((by_id[i].target for i in u.segment_ids), lang) for u in units]
    scores = corpus_scores(
        hyps, [u.reference for u in units], lang, ids=["+".join(u.segment_ids) for u in units]
    )
    seg_figures: dict[str, dict[str, float]] = {}
    for unit, figures in zip(units, scores.segments, strict=True):
        for sid in unit.segment_ids:
            seg_figures[sid] = {"chrf": figures.chrf, "ter": figures.ter}
    new_segments = [
        replace(
            s,
            reference=per_segment.get(s.id, s.reference),
            scores={**dict(s.scores), **seg_figures.get(s.id, {})},
        )
        for s in result.segments
    ]
    covered = {sid for u in units for sid in u.segment_ids}
    metrics = scores.to_dict(segments=False)
    metrics.pop("terms", None)
    metrics["unreferenced_segments"] = [s.id for s in result.segments if s.id not in covered]
    if isinstance(references, References):
        metrics["references"] = references.path
    summary = {**dict(result.summary), "metrics": metrics}
    return replace(result, segments=tuple(new_segments), summary=summary)


# --------------------------------------------------------------------------- file input


def load_lines(path: str | os.PathLike[str]) -> list[str]:
    """Read a plain-text file of one segment per line, exactly as sacrebleu's CLI does."""
    text = read_document(path)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line.rstrip() for line in lines]


def load_hypotheses(path: str | os.PathLike[str]) -> list[str] | DocumentResult:
    """A result JSON written by ``translate run`` (``.json``) or plain lines (anything else)."""
    p = Path(path)
    if p.suffix != ".json":
        return load_lines(p)
    return DocumentResult.from_json(read_document(p), str(p))


@dataclass(frozen=True)
class Pairs:
    """Aligned hypotheses, references and (when known) sources, ready for scoring."""

    hypotheses: tuple[str, ...]
    references: tuple[str, ...]
    lang: str | None
    ids: tuple[str, ...] | None = None
    sources: tuple[str, ...] | None = None
    result: DocumentResult | None = field(default=None, compare=False)


_LANG_DIR = re.compile(r"[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*")


def _lang_of_reference(path: Path) -> str | None:
    """``articles/<lang>/<slug>.jsonl`` → ``<lang>`` when the folder is named like a language."""
    name = path.parent.name
    return name if path.suffix == ".jsonl" and _LANG_DIR.fullmatch(name) else None


def guess_script_lang(texts: Sequence[str]) -> str | None:
    """``zh``, ``ja`` or ``ko`` when most letters of ``texts`` are in that script, else None.

    Used only when no language is given or recorded, so that Chinese, Japanese or Korean
    references are never scored with the 13a tokenizer by mistake (sacrebleu's CLI only warns).
    """
    counts = {"han": 0, "kana": 0, "hangul": 0, "other": 0}
    for text in texts:
        for c in text:
            if not c.isalpha():
                continue
            o = ord(c)
            if 0x3040 <= o <= 0x30FF:
                counts["kana"] += 1
            elif 0xAC00 <= o <= 0xD7AF or 0x1100 <= o <= 0x11FF:
                counts["hangul"] += 1
            elif 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF:
                counts["han"] += 1
            else:
                counts["other"] += 1
    cjk = counts["han"] + counts["kana"] + counts["hangul"]
    if cjk == 0 or cjk < counts["other"]:
        return None
    if counts["hangul"] > counts["han"] + counts["kana"]:
        return "ko"
    return "ja" if counts["kana"] > 0.05 * cjk else "zh"


def read_pairs(
    hyp_path: str | os.PathLike[str],
    ref_path: str | os.PathLike[str],
    *,
    src_path: str | os.PathLike[str] | None = None,
    lang: str | None = None,
) -> Pairs:
    """Load a hypothesis and a reference file in any supported combination and align them.

    Hypotheses are plain lines or a result JSON; references are plain lines or a ``.jsonl``
    reference file. A result JSON with a ``.jsonl`` reference is aligned by locating the reference
    sources in the article; every other combination is aligned line by line. The language is
    ``lang``, else the result's target language, else the ``.jsonl`` file's folder name, else
    ``zh``/``ja``/``ko`` when the references are mostly in that script
    (:func:`guess_script_lang`).

    Raises:
        ScoreError: the files do not align.
    """
    hyp = load_hypotheses(hyp_path)
    rp = Path(ref_path)
    refs_obj: References | None = None
    if rp.suffix == ".jsonl":
        lang = lang or (hyp.target_lang if isinstance(hyp, DocumentResult) else None)
        lang = lang or _lang_of_reference(rp)
        refs_obj = load_references(rp, lang or "")
    elif isinstance(hyp, DocumentResult):
        lang = lang or hyp.target_lang
    sources: list[str] | None = load_lines(src_path) if src_path else None
    if isinstance(hyp, DocumentResult):
        if refs_obj is not None:
            units = align_units(hyp.document, refs_obj)
            by_id = {s.id: s for s in hyp.segments}
            hyps = [join_sentences((by_id[i].target for i in u.segment_ids), lang) for u in units]
            refs = [u.reference for u in units]
            ids = ["+".join(u.segment_ids) for u in units]
            src = [join_sentences((by_id[i].source for i in u.segment_ids), "fr") for u in units]
        else:
            hyps = [s.target for s in hyp.segments]
            refs = load_lines(rp)
            lang = lang or guess_script_lang(refs)
            ids = [s.id for s in hyp.segments]
            src = [s.source for s in hyp.segments]
        return Pairs(tuple(hyps), tuple(refs), lang, tuple(ids), tuple(sources or src), hyp)
    if refs_obj is not None:
        refs = [r.target for r in refs_obj.entries]
        if sources is None:
            sources = [r.source for r in refs_obj.entries]
    else:
        refs = load_lines(rp)
    lang = lang or guess_script_lang(refs)
    if len(hyp) != len(refs):
        raise ScoreError(
            f"{hyp_path} has {len(hyp)} lines but {ref_path} has {len(refs)} references; give "
            "one hypothesis line per reference, in the same order."
        )
    return Pairs(
        tuple(hyp), tuple(refs), lang, None, tuple(sources) if sources is not None else None
    )


# --------------------------------------------------------------------------- significance


@dataclass(frozen=True)
class MetricComparison:
    """Paired bootstrap result for one metric: B against baseline A."""

    metric: str
    a: float
    b: float
    a_mean: float
    a_ci: float
    b_mean: float
    b_ci: float
    p_value: float
    higher_is_better: bool
    alpha: float = 0.05

    @property
    def delta(self) -> float:
        return self.b - self.a

    @property
    def verdict(self) -> str:
        """``B better``, ``A better`` or ``no significant difference`` at level ``alpha``."""
        if self.p_value >= self.alpha or self.delta == 0:
            return "no significant difference"
        b_wins = (self.delta > 0) == self.higher_is_better
        return "B better" if b_wins else "A better"

    def to_dict(self) -> dict[str, Any]:
        return {
            "metric": self.metric,
            "a": self.a,
            "b": self.b,
            "delta": self.delta,
            "a_mean": self.a_mean,
            "a_ci": self.a_ci,
            "b_mean": self.b_mean,
            "b_ci": self.b_ci,
            "p_value": self.p_value,
            "verdict": self.verdict,
            "b_significantly_better": self.verdict == "B better",
        }


@dataclass(frozen=True)
class Comparison:
    """Paired bootstrap resampling of two systems on the same references."""

    lang: str | None
    n_samples: int
    metrics: tuple[MetricComparison, ...]
    signatures: Mapping[str, str]

    def to_dict(self) -> dict[str, Any]:
        return {
            "lang": self.lang,
            "test": "paired bootstrap resampling",
            "n_samples": self.n_samples,
            "metrics": [m.to_dict() for m in self.metrics],
            "signature": dict(self.signatures),
        }


def compare(
    a: Sequence[str],
    b: Sequence[str],
    references: Sequence[str],
    lang: str | None,
    *,
    n_samples: int = 1000,
    alpha: float = 0.05,
) -> Comparison:
    """Is system B significantly different from (better than) baseline A, per metric?

    Runs sacrebleu's paired bootstrap resampling (the test behind ``sacrebleu --paired-bs``, same
    seed: ``SACREBLEU_SEED``, default 12345), with 95% confidence intervals of each system's mean.

    Raises:
        ScoreError: the three lists differ in length.
    """
    from sacrebleu.significance import PairedTest

    if not (len(a) == len(b) == len(references)):
        raise ScoreError(
            f"A has {len(a)} segments, B {len(b)} and the references {len(references)}; "
            "compare outputs of the same segmented document."
        )
    if not references:
        raise ScoreError("nothing to compare: no segment has a reference.")
    metrics = make_metrics(lang)
    test = PairedTest(
        [("A", list(a)), ("B", list(b))],
        metrics,
        references=[list(references)],
        test_type="bs",
        n_samples=n_samples,
    )
    signatures, results = test()
    out = []
    names = [n for n in results if n != "System"]
    for key, name in zip(metrics, names, strict=True):
        ra, rb = (cast("Result", r) for r in results[name])
        out.append(
            MetricComparison(
                key,
                float(ra.score),
                float(rb.score),
                float(ra.mean or 0.0),
                float(ra.ci or 0.0),
                float(rb.mean or 0.0),
                float(rb.ci or 0.0),
                float(rb.p_value or 0.0),
                higher_is_better=key != "ter",
                alpha=alpha,
            )
        )
    return Comparison(
        lang,
        n_samples,
        tuple(out),
        {
            key: str(signatures[name].format())
            for key, name in zip(metrics, signatures, strict=True)
        },
    )
