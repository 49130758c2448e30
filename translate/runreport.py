"""What :meth:`translate.pipeline.Pipeline.run` did: per language, the evaluated result and the
files written; the export step that turns evaluated languages into files."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from translate.export import ExportOptions, export_all
from translate.gate import GateReport
from translate.units import DocumentResult


@dataclass(frozen=True)
class EvaluatedLanguage:
    """One language of a document, translated, checked, scored and gated, not yet exported."""

    lang: str
    result: DocumentResult
    gate: GateReport | None
    references: str | None
    seconds: float


def export_evaluated(
    evaluated: Sequence[EvaluatedLanguage],
    formats: Sequence[str],
    out_dir: str | os.PathLike[str],
    stem: str,
    *,
    force: bool = False,
    options: ExportOptions | None = None,
) -> RunReport:
    """Write ``OUT/<stem>.<lang>.<ext>`` for each language that passed (all with ``force``)."""
    runs = []
    for ev in evaluated:
        passed = ev.gate is None or ev.gate.passed
        paths = export_all(ev.result, formats, out_dir, stem, options) if passed or force else []
        files = dict(zip(formats, paths, strict=False))
        runs.append(LanguageRun(ev.lang, ev.result, ev.gate, ev.references, files, ev.seconds))
    return RunReport(tuple(runs), tuple(formats), forced=force)


@dataclass(frozen=True)
class LanguageRun:
    """One target language of :meth:`Pipeline.run`: the evaluated result and what was written."""

    lang: str
    result: DocumentResult
    gate: GateReport | None  # None: not gated
    references: str | None
    files: Mapping[str, Path]  # format name → file written (empty: nothing written)
    seconds: float

    @property
    def passed(self) -> bool:
        return self.gate is None or self.gate.passed

    def to_dict(self) -> dict[str, Any]:
        """The ``--json`` summary of this language."""
        summary = self.result.summary
        metrics = summary.get("metrics")
        return {
            "files": {name: str(path) for name, path in self.files.items()},
            "exported": bool(self.files),
            "segments": summary.get("segments", len(self.result.segments)),
            "origins": dict(summary.get("origins") or {}),
            "terms_required": summary.get("terms_required", 0),
            "terms_found": summary.get("terms_found", 0),
            "term_accuracy": summary.get("term_accuracy"),
            "term_methods": summary.get("term_methods"),
            "protected": summary.get("protected"),
            "localized": summary.get("localized", 0),
            "references": self.references,
            "metrics": None
            if not metrics
            else {
                "bleu": metrics.get("bleu"),
                "chrf": metrics.get("chrf"),
                "ter": metrics.get("ter"),
                "signature": metrics.get("signature"),
            },
            "qa": dict(summary.get("checks") or {}),
            "gate": None
            if self.gate is None
            else {
                "passed": self.gate.passed,
                "failures": [c.to_dict() for c in self.gate.failures],
            },
            "models": [
                leg.get("model") for leg in self.result.provenance["engine"].get("legs", [])
            ],
            "seconds": round(self.seconds, 3),
        }


@dataclass(frozen=True)
class RunReport:
    """What :meth:`Pipeline.run` did, language by language."""

    languages: tuple[LanguageRun, ...]
    formats: tuple[str, ...]
    forced: bool = False

    @property
    def passed(self) -> bool:
        """Every language passed its gate (or none was gated)."""
        return all(r.passed for r in self.languages)

    @property
    def failed(self) -> tuple[LanguageRun, ...]:
        return tuple(r for r in self.languages if not r.passed)

    def to_dict(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "forced": self.forced,
            "formats": list(self.formats),
            "languages": {r.lang: r.to_dict() for r in self.languages},
        }
