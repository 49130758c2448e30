"""The quality gate: per-language thresholds on metrics, term accuracy and QA findings.

Thresholds live in a JSON file (``evals/thresholds.json``): a ``default`` block and per-language
overrides. :func:`gate` compares a scored result with them and says, metric by metric, by how much
each passed or missed; :func:`evaluate_result` is the one call the pipeline needs before export.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from translate._io import read_json
from translate.checks import SEVERITIES, ChecksConfig, check_result, count_by_severity
from translate.errors import ConfigError
from translate.langtags import base_or_none
from translate.score import References, Scores, load_references, score_result, verify_terms
from translate.score import term_score_from_results as _term_score
from translate.summary import term_summary
from translate.terms import SegmentTerms, find_terms
from translate.units import DocumentResult, ResultSummary

if TYPE_CHECKING:
    from translate.score import GlossaryLike

__all__ = [
    "GateCheck",
    "GateReport",
    "Thresholds",
    "evaluate_result",
    "gate",
    "gate_values",
    "load_thresholds",
]

#: threshold key → (metric, display name, direction): ``min`` passes when value ≥ threshold.
_METRIC_KEYS = {
    "bleu_min": ("bleu", "BLEU", "min"),
    "chrf_min": ("chrf", "chrF", "min"),
    "ter_max": ("ter", "TER", "max"),
    "term_accuracy_min": ("term_accuracy", "term accuracy", "min"),
}
_KNOWN = {*_METRIC_KEYS, "qa_max"}
#: the values each metric can take (TER has no upper bound): a threshold outside is a typo.
_RANGES = {
    "bleu_min": (0.0, 100.0),
    "chrf_min": (0.0, 100.0),
    "ter_max": (0.0, float("inf")),
    "term_accuracy_min": (0.0, 1.0),
}


@dataclass(frozen=True)
class Thresholds:
    """A parsed thresholds file."""

    default: Mapping[str, Any]
    languages: Mapping[str, Mapping[str, Any]]
    path: str = ""

    def for_lang(self, lang: str) -> dict[str, Any]:
        """The default thresholds with ``lang``'s overrides applied (``qa_max`` merged by key)."""
        merged = dict(self.default)
        override = self.languages.get(lang) or self.languages.get(base_or_none(lang) or lang) or {}
        for key, value in override.items():
            if key == "qa_max" and isinstance(value, Mapping):
                merged["qa_max"] = {**dict(merged.get("qa_max") or {}), **value}
            else:
                merged[key] = value
        return merged


def _validate_block(block: Any, where: str) -> dict[str, Any]:
    if not isinstance(block, dict):
        raise ConfigError(f"{where} must be a JSON object of thresholds.")
    for key, value in block.items():
        if key.startswith("_"):
            continue
        if key not in _KNOWN:
            raise ConfigError(
                f"{where}: unknown threshold {key!r}; known ones are: {', '.join(sorted(_KNOWN))}."
            )
        if key == "qa_max":
            if value is None:
                continue
            if not isinstance(value, dict):
                raise ConfigError(f"{where}: qa_max must map a severity to a maximum count.")
            for sev, limit in value.items():
                if sev not in SEVERITIES:
                    raise ConfigError(
                        f"{where}: qa_max has unknown severity {sev!r}; use {', '.join(SEVERITIES)}."
                    )
                if limit is not None and (not isinstance(limit, int) or limit < 0):
                    raise ConfigError(f"{where}: qa_max.{sev} must be a count ≥ 0 or null.")
        elif value is not None and (not isinstance(value, (int, float)) or isinstance(value, bool)):
            raise ConfigError(f"{where}: {key} must be a number or null, not {value!r}.")
        elif value is not None and not _RANGES[key][0] <= value <= _RANGES[key][1]:
            low, high = _RANGES[key]
            span = f"between {low:g} and {high:g}" if high < float("inf") else f"≥ {low:g}"
            raise ConfigError(
                f"{where}: {key} is {value!r}, but {_METRIC_KEYS[key][1]} is {span}; fix the "
                "threshold (term accuracy is a fraction: 0.9, not 90)."
            )
    return {k: v for k, v in block.items() if not k.startswith("_")}


def load_thresholds(source: str | os.PathLike[str] | Mapping[str, Any]) -> Thresholds:
    """Read and validate a thresholds file (or an already parsed mapping).

    Raises:
        InputError: the file is missing or unreadable.
        ConfigError: it is not valid JSON or names an unknown threshold or severity.
    """
    if isinstance(source, Mapping):
        data: Any = source
        name = "thresholds"
    else:
        name = str(Path(source))
        data = read_json(source, fix="fix the thresholds file")
    if not isinstance(data, Mapping) or "default" not in data:
        raise ConfigError(
            f"{name}: expected an object with a 'default' block; see evals/thresholds.json."
        )
    default = _validate_block(data["default"], f"{name}: default")
    langs = data.get("languages", {})
    if not isinstance(langs, Mapping):
        raise ConfigError(f"{name}: 'languages' must map a language code to thresholds.")
    languages = {
        lang: _validate_block(block, f"{name}: languages.{lang}") for lang, block in langs.items()
    }
    return Thresholds(default, languages, name)


#: The quality gate ``translate run`` applies unless told otherwise (package data, so it ships
#: with the package; ``evals/thresholds.json`` is the project's own CI gate for ``translate eval``).
DEFAULT_THRESHOLDS = Path(__file__).resolve().parent / "data" / "thresholds.json"
#: Thresholds with nothing to check: results are scored and checked, never gated.
NO_GATE = Thresholds(default={}, languages={}, path="")


def load_default_thresholds() -> Thresholds:
    """The bundled quality gate (``translate/data/thresholds.json``)."""
    return load_thresholds(DEFAULT_THRESHOLDS)


@dataclass(frozen=True)
class GateCheck:
    """One threshold compared with one measured value."""

    metric: str
    name: str
    value: float | None
    threshold: float
    direction: str  # "min" | "max"

    @property
    def status(self) -> str:
        """``pass``, ``fail`` or ``skipped`` (the value was not measured)."""
        if self.value is None:
            return "skipped"
        ok = (
            self.value >= self.threshold
            if self.direction == "min"
            else self.value <= self.threshold
        )
        return "pass" if ok else "fail"

    @property
    def passed(self) -> bool:
        return self.status != "fail"

    @property
    def margin(self) -> float | None:
        """How far inside (positive) or outside (negative) the threshold the value is."""
        if self.value is None:
            return None
        diff = self.value - self.threshold
        return diff if self.direction == "min" else -diff

    @property
    def message(self) -> str:
        """``chrF 41.2 < 45.0 (missed by 3.8)`` or ``chrF 48.0 ≥ 45.0 (margin 3.0)``."""
        if self.value is None:
            return f"{self.name} not measured (threshold {self._fmt(self.threshold)})"
        if self.status == "pass":
            op = "≥" if self.direction == "min" else "≤"
            return (
                f"{self.name} {self._fmt(self.value)} {op} {self._fmt(self.threshold)} "
                f"(margin {self._fmt(abs(self.margin or 0.0))})"
            )
        op = "<" if self.direction == "min" else ">"
        return (
            f"{self.name} {self._fmt(self.value)} {op} {self._fmt(self.threshold)} "
            f"(missed by {self._fmt(abs(self.margin or 0.0))})"
        )

    def _fmt(self, x: float) -> str:
        if self.metric.startswith("qa_"):
            return str(int(x))
        if self.metric == "term_accuracy":
            return f"{x:.2f}"
        return f"{x:.1f}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "metric": self.metric,
            "value": self.value,
            "threshold": self.threshold,
            "direction": self.direction,
            "status": self.status,
            "margin": self.margin,
            "message": self.message,
        }


@dataclass(frozen=True)
class GateReport:
    """The gate's verdict for one document in one language."""

    lang: str
    checks: tuple[GateCheck, ...]

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)

    @property
    def failures(self) -> tuple[GateCheck, ...]:
        return tuple(c for c in self.checks if c.status == "fail")

    def to_dict(self) -> dict[str, Any]:
        return {
            "lang": self.lang,
            "passed": self.passed,
            "checks": [c.to_dict() for c in self.checks],
        }


def gate_values(result_or_scores: DocumentResult | Scores | Mapping[str, Any]) -> dict[str, Any]:
    """The measured values the gate reads: bleu, chrf, ter, term_accuracy and qa counts.

    A :class:`DocumentResult` gives ``summary["metrics"]`` (from :func:`score_result`), term
    accuracy from its segments' term checks and QA counts from their findings.
    """
    if isinstance(result_or_scores, DocumentResult):
        metrics = result_or_scores.summary.get("metrics") or {}
        terms = _term_score(result_or_scores)
        return {
            "bleu": metrics.get("bleu"),
            "chrf": metrics.get("chrf"),
            "ter": metrics.get("ter"),
            "term_accuracy": terms.accuracy if terms else None,
            "qa": count_by_severity(c for s in result_or_scores.segments for c in s.checks),
        }
    if isinstance(result_or_scores, Scores):
        return {
            "bleu": result_or_scores.bleu,
            "chrf": result_or_scores.chrf,
            "ter": result_or_scores.ter,
            "term_accuracy": result_or_scores.terms.accuracy if result_or_scores.terms else None,
            "qa": None,
        }
    values = dict(result_or_scores)
    if "term_accuracy" not in values and isinstance(values.get("terms"), Mapping):
        values["term_accuracy"] = values["terms"].get("accuracy")
    return values


def gate(
    result_or_scores: DocumentResult | Scores | Mapping[str, Any],
    thresholds: Thresholds | Mapping[str, Any] | str | os.PathLike[str],
    lang: str,
) -> GateReport:
    """Compare measured values with ``lang``'s thresholds.

    A threshold whose value was not measured (no reference, no glossary term) is ``skipped``, not
    failed; QA counts are only checked when the findings are known (a result, or a mapping with a
    ``qa`` entry).
    """
    th = thresholds if isinstance(thresholds, Thresholds) else load_thresholds(thresholds)
    limits = th.for_lang(lang)
    values = gate_values(result_or_scores)
    checks: list[GateCheck] = []
    for key, (metric, name, direction) in _METRIC_KEYS.items():
        if limits.get(key) is not None:
            value = values.get(metric)
            checks.append(
                GateCheck(
                    metric,
                    name,
                    None if value is None else float(value),
                    float(limits[key]),
                    direction,
                )
            )
    qa = values.get("qa")
    for sev in SEVERITIES:
        limit = (limits.get("qa_max") or {}).get(sev)
        if limit is None:
            continue
        count = None if qa is None else float(qa.get(sev, 0))
        checks.append(GateCheck(f"qa_{sev}", f"{sev} QA findings", count, float(limit), "max"))
    return GateReport(lang, tuple(checks))


def evaluate_result(
    result: DocumentResult,
    references: str | os.PathLike[str] | References | None,
    thresholds: Thresholds | Mapping[str, Any] | str | os.PathLike[str],
    *,
    dnt: tuple[str, ...] = (),
    glossary: GlossaryLike | None = None,
    found: Sequence[SegmentTerms] | None = None,
    checks_config: ChecksConfig | None = None,
) -> tuple[DocumentResult, GateReport]:
    """Score (when references exist), QA-check and gate one translated document.

    Args:
        result: the pipeline's result for one target language.
        references: a ``.jsonl`` reference file, the French article path (references looked up
            in ``articles/<lang>/``), loaded :class:`References`, or ``None`` to gate on terms
            and QA only.
        thresholds: a thresholds file, its parsed content or :class:`Thresholds`.
        dnt: do-not-translate names for the QA check.
        glossary: for a result whose terms were not checked (plain-text hypotheses): its terms
            are matched once (:func:`translate.terms.find_terms`), verified, and its
            do-not-translate entries join ``dnt``. Leave it out for a pipeline result.
        found: each segment's terms as the pipeline matched them (their do-not-translate names
            join ``dnt``); the glossary is then not consulted.
        checks_config: a QA configuration (default: the bundled one).

    Returns:
        The result with references, scores, checks and ``summary["gate"]`` filled, and the report.

    Raises:
        ScoreError: a reference cannot be located in the article.
        ConfigError: the thresholds file is malformed.
    """
    th = thresholds if isinstance(thresholds, Thresholds) else load_thresholds(thresholds)
    if references is not None:
        refs = (
            references
            if isinstance(references, References)
            else load_references(references, result.target_lang)
        )
        result = score_result(result, refs)
    if found is None and glossary is not None:
        found = find_terms(result.document, glossary=glossary)
        result = verify_terms(result, glossary, found)
    result = check_result(result, dnt=dnt, found=found, config=checks_config)
    report = gate(result, th, result.target_lang)
    # the term figures of the segments as gated (re-verified above for a result without them)
    summary: ResultSummary = {
        **result.summary,
        **term_summary(result.segments),
        "gate": report.to_dict(),
    }
    return replace(result, summary=summary), report
