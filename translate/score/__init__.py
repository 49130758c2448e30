"""Scoring: corpus metrics and term accuracy, references, score input files, significance.

One module per job: :mod:`~translate.score.metrics` (sacrebleu BLEU, chrF++, TER; term
accuracy), :mod:`~translate.score.references` (finding, reading and aligning reference files;
scoring a result), :mod:`~translate.score.files` (hypothesis/reference files for ``translate
score``) and :mod:`~translate.score.significance` (paired bootstrap). The public names are
re-exported here.
"""

from __future__ import annotations

from translate.score.files import Pairs, guess_script_lang, load_hypotheses, load_lines, read_pairs
from translate.score.metrics import (
    METRIC_NAMES,
    GlossaryLike,
    Scores,
    SegmentScore,
    TermScore,
    bleu_tokenizer,
    corpus_scores,
    join_sentences,
    make_metrics,
    term_accuracy,
    term_score_from_results,
    verify_terms,
)
from translate.score.references import (
    AlignedUnit,
    Reference,
    References,
    align_references,
    align_units,
    find_references,
    load_references,
    locate_references,
    located_references,
    reference_path,
    score_result,
)
from translate.score.significance import Comparison, MetricComparison, compare

__all__ = [
    "METRIC_NAMES",
    "AlignedUnit",
    "Comparison",
    "GlossaryLike",
    "MetricComparison",
    "Pairs",
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
    "find_references",
    "guess_script_lang",
    "join_sentences",
    "load_hypotheses",
    "load_lines",
    "load_references",
    "locate_references",
    "located_references",
    "make_metrics",
    "read_pairs",
    "reference_path",
    "score_result",
    "term_accuracy",
    "term_score_from_results",
    "verify_terms",
]
