"""Evaluation suites: score and gate many articles × languages, report as JSON and JUnit XML.

A suite file (``evals/suite.json``) lists French articles, the languages to evaluate each in and a
thresholds file. Hypotheses come from a *provider*, a callable that returns the translated
:class:`DocumentResult` of one suite item: :func:`hypotheses_from_dir` reads files written earlier;
the one that translates on the fly is :func:`suite_provider`.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from translate._io import public_path, read_document, read_json
from translate.errors import ConfigError, InputError, ScoreError
from translate.gate import GateReport, Thresholds, evaluate_result, load_thresholds
from translate.score import (
    References,
    load_hypotheses,
    load_references,
    locate_references,
    reference_path,
    verify_terms,
)
from translate.segment import segment
from translate.terms import find_terms
from translate.units import Document, DocumentResult, ResultSummary, SegmentResult

if TYPE_CHECKING:
    from translate.pipeline import Pipeline

__all__ = [
    "Outcome",
    "Suite",
    "SuiteItem",
    "SuiteReport",
    "hypotheses_from_dir",
    "load_suite",
    "result_from_lines",
    "run_suite",
    "suite_provider",
]


@dataclass(frozen=True)
class SuiteItem:
    """One article in one target language, with its reference file."""

    article: Path
    lang: str
    references: Path

    @property
    def name(self) -> str:
        return f"{self.article.stem}.{self.lang}"


@dataclass(frozen=True)
class Suite:
    """A parsed suite file."""

    path: str
    thresholds: Thresholds
    items: tuple[SuiteItem, ...]


def load_suite(path: str | os.PathLike[str], *, thresholds: str | None = None) -> Suite:
    """Read a suite file; relative paths in it are relative to the file's folder.

    Format: ``{"thresholds": "thresholds.json", "items": [{"article": "...txt", "langs": ["en"],
    "references": {"en": "...jsonl"}}]}``; ``references`` is optional per language (default
    ``articles/<lang>/<slug>.jsonl`` next to ``articles/fr/<slug>.txt``).

    Raises:
        InputError: the suite file is missing.
        ConfigError: it is malformed.
    """
    p = Path(path)
    data = read_json(p)
    base = p.parent
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise ConfigError(f"{p}: expected an object with a list of 'items'; see evals/suite.json.")
    th_path = thresholds or data.get("thresholds")
    if not isinstance(th_path, str):
        raise ConfigError(f"{p}: name a thresholds file ('thresholds') or pass --thresholds.")
    th = load_thresholds(th_path if thresholds else base / th_path)
    items: list[SuiteItem] = []
    for n, entry in enumerate(data["items"], 1):
        if (
            not isinstance(entry, dict)
            or not isinstance(entry.get("article"), str)
            or not isinstance(entry.get("langs"), list)
            or not all(isinstance(x, str) for x in entry["langs"])
        ):
            raise ConfigError(
                f"{p}: item {n} needs 'article' (a path) and 'langs' (a list of language codes)."
            )
        article = Path(os.path.normpath(base / entry["article"]))
        refs = entry.get("references") or {}
        if not isinstance(refs, dict):
            raise ConfigError(f"{p}: item {n}: 'references' must map a language to a file.")
        for lang in entry["langs"]:
            ref = (
                Path(os.path.normpath(base / refs[lang]))
                if lang in refs
                else reference_path(article, lang)
            )
            items.append(SuiteItem(article, lang, ref))
    return Suite(str(p), th, tuple(items))


def result_from_lines(
    article: str | os.PathLike[str], refs: References, lines: list[str]
) -> DocumentResult:
    """A result whose segments are the reference sentences and whose targets are ``lines``.

    Plain-text hypotheses hold one line per reference sentence, so they are segmented the way the
    references are.

    Raises:
        ScoreError: the number of lines differs from the number of references.
    """
    text = read_document(article)
    if len(lines) != len(refs.entries):
        raise ScoreError(
            f"{len(lines)} hypothesis lines for {len(refs.entries)} reference sentences in "
            f"{refs.path}; write one line per reference sentence."
        )
    spans = locate_references(text, refs)
    segments = tuple(
        SegmentResult(f"r{n}", 0, text[a:b], line, a, b)
        for n, ((a, b), line) in enumerate(zip(spans, lines, strict=True), 1)
    )
    return DocumentResult(str(article), "fr", refs.lang, text, segments)


Provider = Callable[[SuiteItem, References], DocumentResult]


def hypotheses_from_dir(directory: str | os.PathLike[str]) -> Provider:
    """A provider reading ``<stem>.<lang>.json`` (a result) or ``<stem>.<lang>.txt`` (lines)."""
    root = Path(directory)
    if not root.is_dir():
        raise InputError(f"{root}: not a directory; pass --hyp-dir a folder of hypotheses.")

    def provide(item: SuiteItem, refs: References) -> DocumentResult:
        for suffix in (".json", ".txt"):
            path = root / f"{item.name}{suffix}"
            if path.exists():
                hyp = load_hypotheses(path)
                if isinstance(hyp, DocumentResult):
                    return hyp
                return result_from_lines(item.article, refs, hyp)
        raise InputError(
            f"no hypothesis for {item.name}: expected {root / (item.name + '.json')} or "
            f"{root / (item.name + '.txt')}."
        )

    return provide


def suite_provider(
    pipeline: Pipeline, progress: Callable[[str, int, int], None] | None = None
) -> Provider:
    """A :func:`translate.evalsuite.run_suite` provider that translates each item on the fly.

    Each article is read and segmented once; ``pipeline.engines`` needs every language of the
    suite. Scoring and gating stay with ``run_suite``. ``progress(lang, done, total)`` is called
    as segments are translated (a progress bar).
    """
    documents: dict[Path, Document] = {}

    def provide(item: SuiteItem, references: References) -> DocumentResult:
        if item.article not in documents:
            documents[item.article] = segment(read_document(item.article))
        return pipeline.translate_into(
            documents[item.article],
            item.lang,
            source_path=public_path(item.article),
            progress=progress,
        )

    return provide


def _terms(summary: ResultSummary) -> dict[str, Any] | None:
    """The report's ``terms`` entry (None without glossary terms), read from the result's term
    figures (:func:`translate.summary.term_summary`)."""
    required = summary.get("terms_required") or 0
    if not required:
        return None
    found = summary.get("terms_found", 0)
    return {"accuracy": summary.get("term_accuracy"), "total": required, "satisfied": found}


@dataclass(frozen=True)
class Outcome:
    """One suite item scored, checked and gated."""

    item: SuiteItem
    result: DocumentResult
    report: GateReport

    def to_dict(self) -> dict[str, Any]:
        summary = self.result.summary
        metrics = dict(summary.get("metrics") or {})
        return {
            "name": self.item.name,
            "article": str(self.item.article),
            "lang": self.item.lang,
            "references": str(self.item.references),
            "bleu": metrics.get("bleu"),
            "chrf": metrics.get("chrf"),
            "ter": metrics.get("ter"),
            "signature": metrics.get("signature"),
            "terms": _terms(summary),
            "qa": summary.get("checks"),
            "gate": self.report.to_dict(),
        }


@dataclass(frozen=True)
class SuiteReport:
    """Every outcome of a suite run."""

    suite: str
    outcomes: tuple[Outcome, ...]

    @property
    def passed(self) -> bool:
        return all(o.report.passed for o in self.outcomes)

    @property
    def failures(self) -> int:
        return sum(len(o.report.failures) for o in self.outcomes)

    def to_dict(self) -> dict[str, Any]:
        return {
            "suite": self.suite,
            "passed": self.passed,
            "failures": self.failures,
            "items": [o.to_dict() for o in self.outcomes],
        }

    def to_junit(self) -> str:
        """JUnit XML: one test suite per item, one test case per gate threshold."""
        root = ET.Element("testsuites", name="translate eval")
        total = fails = skips = 0
        for o in self.outcomes:
            checks = o.report.checks
            f = sum(c.status == "fail" for c in checks)
            s = sum(c.status == "skipped" for c in checks)
            total, fails, skips = total + len(checks), fails + f, skips + s
            suite = ET.SubElement(
                root,
                "testsuite",
                name=o.item.name,
                tests=str(len(checks)),
                failures=str(f),
                errors="0",
                skipped=str(s),
            )
            for c in checks:
                case = ET.SubElement(suite, "testcase", classname=o.item.name, name=c.metric)
                if c.status == "fail":
                    ET.SubElement(case, "failure", message=c.message, type="gate").text = c.message
                elif c.status == "skipped":
                    ET.SubElement(case, "skipped", message=c.message)
                else:
                    ET.SubElement(case, "system-out").text = c.message
        root.set("tests", str(total))
        root.set("failures", str(fails))
        root.set("errors", "0")
        root.set("skipped", str(skips))
        ET.indent(root)
        return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def run_suite(
    suite: Suite,
    provider: Provider,
    *,
    dnt: Iterable[str] = (),
    glossary: Any = None,
) -> SuiteReport:
    """Score, QA-check and gate every item of ``suite`` with hypotheses from ``provider``.

    Raises:
        InputError: a reference or hypothesis file is missing.
        ScoreError: a hypothesis does not align with its references.
    """
    outcomes = []
    names = tuple(dnt)
    for item in suite.items:
        refs = load_references(item.references, item.lang)
        hyp = provider(item, refs)
        if hyp.target_lang != item.lang:
            raise ScoreError(
                f"hypothesis for {item.name} is in {hyp.target_lang!r}, not {item.lang!r}; "
                "check the file names."
            )
        found = None
        if glossary is not None:
            # matched once; verified here unless the hypothesis was translated with this glossary
            found = find_terms(hyp.document, glossary=glossary)
            used = (hyp.provenance.get("glossary") or {}).get("digest")
            if used is None or used != getattr(glossary, "digest", None):
                hyp = verify_terms(hyp, glossary, found)
        result, report = evaluate_result(hyp, refs, suite.thresholds, dnt=names, found=found)
        outcomes.append(Outcome(item, result, report))
    return SuiteReport(suite.path, tuple(outcomes))
