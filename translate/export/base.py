"""The exporter base class (template method) and the helpers every format shares.

:meth:`Exporter.export` does the common work (check the result, render, write atomically); a
format only implements :meth:`Exporter.render`. The helpers below give every format the same view
of provenance, QA flags and glossary-term spans, so an XLIFF note, a PO comment and the review
page never disagree about what is flagged.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar

from translate import __version__
from translate._io import atomic_write, is_absolute, public_path, read_data
from translate._text import word_pattern
from translate.errors import EXIT_USAGE, ConfigError, ExportError
from translate.langtags import is_tag
from translate.units import DocumentResult, SegmentResult

TOOL = "translate"


class UnknownFormatError(ExportError):
    """An export format name is not in the registry; the message lists the valid names."""

    exit_code = EXIT_USAGE


#: How XLIFF files cut the document into units: one per paragraph (its sentences as segments) or
#: one per sentence, for tools that keep only one segment of a unit.
XLIFF_UNITS = ("paragraph", "segment")


@dataclass(frozen=True)
class ExportOptions:
    """Choices a user makes about a format's layout; every format reads the ones it has."""

    xliff_units: str = "paragraph"

    def __post_init__(self) -> None:
        if self.xliff_units not in XLIFF_UNITS:
            raise ExportError(
                f"unknown XLIFF unit layout {self.xliff_units!r}; use one of: {', '.join(XLIFF_UNITS)}."
            )


class Exporter:
    """Turns a :class:`DocumentResult` into one file format.

    Subclasses set ``name`` (the registry key), ``extension`` and ``description``, and implement
    :meth:`render`; everything else (validation, atomic write, file naming) lives here.
    """

    name: ClassVar[str]
    extension: ClassVar[str]
    description: ClassVar[str] = ""

    def __init__(self, options: ExportOptions | None = None) -> None:
        self.options = options or ExportOptions()

    def render(self, result: DocumentResult) -> str | bytes:
        """Return the file's complete content; text is written as UTF-8."""
        raise NotImplementedError

    def filename(self, result: DocumentResult, stem: str) -> str:
        """``<stem>.<target lang>.<extension>``: one file per language and format.

        Raises:
            ConfigError: the language code is not a plain tag (``en``, ``pt-BR``), so it could
                point outside the output directory.
        """
        if not is_tag(result.target_lang):
            raise ConfigError(
                f"target language {result.target_lang!r} is not a language code such as en or "
                "pt-BR; fix target_lang in the result."
            )
        return f"{stem}.{result.target_lang}.{self.extension}"

    def export(self, result: DocumentResult, path: str | os.PathLike[str]) -> Path:
        """Render ``result`` and write it to ``path`` atomically.

        Raises:
            ExportError: the result cannot be represented in this format.
            OutputError: ``path`` cannot be written (no partial file is left behind).
        """
        if not isinstance(result, DocumentResult):
            raise ExportError(
                f"{self.name} export needs a DocumentResult, not {type(result).__name__}."
            )
        return atomic_write(path, self.render(result))


# --- provenance ------------------------------------------------------------------------------


def _public(value: Any) -> Any:
    """``value`` with every absolute path reduced by :func:`translate._io.public_path`."""
    if isinstance(value, Mapping):
        return {key: _public(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_public(item) for item in value]
    if isinstance(value, str) and is_absolute(value):
        return public_path(value)
    return value


def document_path(result: DocumentResult) -> str:
    """The source file's name as exports show it: relative, never a path of this machine."""
    return public_path(result.source_path)


def public_result(result: DocumentResult) -> DocumentResult:
    """``result`` with no absolute path of this machine in its source path or provenance.

    Results written by ``translate run`` record public names already; this also cleans older
    results before they are exported again.
    """
    return replace(
        result, source_path=document_path(result), provenance=_public(dict(result.provenance))
    )


def _flatten(value: Any, prefix: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, Mapping):
        for key, item in value.items():
            yield from _flatten(item, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(value, list | tuple):
        for n, item in enumerate(value):
            yield from _flatten(item, f"{prefix}.{n}")
    elif isinstance(value, str):
        yield prefix, value
    else:
        yield prefix, json.dumps(value)


def provenance_items(result: DocumentResult) -> list[tuple[str, str]]:
    """Flat ``(key, value)`` pairs recording how ``result`` was made, for every output format.

    Model ids and revisions, decoding options and the glossary hash come from
    ``result.provenance`` as the pipeline recorded them; metric signatures are every
    ``signature``/``signatures`` entry of ``result.summary`` (``{"metrics": {"signatures":
    {"bleu": ...}}}`` or ``{"metrics": {"bleu": {"signature": ...}}}``), as ``signature.<metric>``;
    the tool version is added here.
    """
    recorded = list(_flatten(_public(result.provenance), ""))
    items = [] if any(k == "tool" for k, _ in recorded) else [("tool", f"{TOOL} {__version__}")]
    items += recorded
    for key, value in _flatten(result.summary, ""):
        parts = key.split(".")
        if any(p.lower() in ("signature", "signatures") for p in parts):
            rest = [p for p in parts if p.lower() not in ("metrics", "signature", "signatures")]
            items.append((".".join(["signature", *rest]), value))
    return items


def _number(value: Any) -> float | None:
    if isinstance(value, Mapping):
        value = value.get("score")
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


def corpus_metrics(result: DocumentResult) -> dict[str, float]:
    """Corpus scores worth a headline (BLEU, chrF, TER, term accuracy...), in summary order.

    Numbers directly in ``summary["metrics"]`` or ``summary``, or the ``score`` of a mapping there.
    """
    out: dict[str, float] = {}
    metrics = result.summary.get("metrics")
    sources: list[list[tuple[Any, Any]]] = (
        [list(metrics.items())] if isinstance(metrics, Mapping) else []
    )
    sources.append([(k, v) for k, v in result.summary.items() if k != "metrics"])
    for pairs in sources:
        for key, value in pairs:
            number = _number(value)
            if number is not None:
                out[str(key)] = number
    return out


_LABELS = {"bleu": "BLEU", "chrf": "chrF", "ter": "TER", "comet": "COMET"}
#: Metrics where a lower value is better (TER counts edits); the others rise with quality.
LOWER_IS_BETTER = frozenset({"ter"})


def metric_label(key: str) -> str:
    """Display name of a metric key (``chrf`` → ``chrF``, ``term_accuracy`` → ``Term accuracy``)."""
    return _LABELS.get(key.lower(), key.replace("_", " ").capitalize())


# --- QA flags ----------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _severity_levels() -> dict[str, str]:
    levels: dict[str, str] = {}
    for level, names in json.loads(read_data("review/severities.json"))["levels"].items():
        for name in names:
            levels[name.lower()] = level
    return levels


def severity_level(severity: str) -> str:
    """``high``, ``medium`` or ``low`` for a check's severity (``data/review/severities.json``)."""
    return _severity_levels().get(severity.lower(), "medium")


@dataclass(frozen=True)
class Flag:
    """One reason a segment deserves a reviewer's look: a QA finding or a violated term."""

    name: str
    level: str
    message: str
    severity: str = ""  # the check's own severity (critical, major, minor...)


#: Severity of a required glossary term missing from the target.
TERM_SEVERITY = "major"


def segment_flags(seg: SegmentResult) -> list[Flag]:
    """QA findings of ``seg`` and one ``term`` flag per required glossary term not found."""
    flags = [Flag(c.check, severity_level(c.severity), c.message, c.severity) for c in seg.checks]
    for term in seg.terms:
        if not term.satisfied:
            wanted = " / ".join(term.required) or "?"
            flags.append(
                Flag(
                    "term",
                    severity_level(TERM_SEVERITY),
                    f"glossary term {term.source!r} not rendered as {wanted!r}",
                    TERM_SEVERITY,
                )
            )
    return flags


def is_flagged(seg: SegmentResult) -> bool:
    return bool(seg.checks) or any(not t.satisfied for t in seg.terms)


# --- glossary-term spans -----------------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    """A highlighted range of a segment's text: a glossary term, satisfied or violated."""

    start: int
    end: int
    satisfied: bool
    title: str
    kind: str = "term"  # or "prot": a protected span (URL, e-mail...) kept verbatim
    term: int = -1  # index of the term in ``seg.terms`` (a term span)


def _find(text: str, needle: str, taken: list[Span], start: int = 0) -> tuple[int, int] | None:
    """The first free occurrence of ``needle`` at or after ``start``: as a whole word and in its
    case first, then as a whole word in any case, then anywhere (a word never matches inside a
    longer one while a whole-word occurrence exists: ``Japon`` is not found in ``japonais``)."""
    if not needle:
        return None
    word = word_pattern(needle)
    for pattern, flags in ((word, 0), (word, re.IGNORECASE), (re.escape(needle), re.IGNORECASE)):
        for m in re.compile(pattern, flags).finditer(text, start):
            if all(m.end() <= s.start or m.start() >= s.end for s in taken):
                return m.start(), m.end()
    return None


def term_spans(seg: SegmentResult, side: str) -> list[Span]:
    """Non-overlapping term spans in ``seg.source`` (``side="source"``) or ``seg.target``.

    Source spans are found by searching each term's source text as a whole word, in order; target
    spans use the offsets the term check recorded, or a search for the found form when they do not
    fit the text.
    """
    text = seg.source if side == "source" else seg.target
    spans: list[Span] = []
    after = 0  # terms come in source order: each is searched after the previous one
    for k, term in enumerate(seg.terms):
        if side == "source":
            title = (
                f"{term.headword} → {term.found}"
                if term.satisfied
                else f"{term.headword}: expected {' / '.join(term.required)}"
            )
            where = _find(text, term.source, spans, after) or _find(text, term.source, spans)
            if where is not None:
                after = where[1]
        else:
            if term.found is None:
                continue
            title = f"glossary: {term.headword}"
            fits = 0 <= term.start < term.end <= len(text) and (
                text[term.start : term.end].lower() == term.found.lower()
            )
            clash = any(not (term.end <= s.start or term.start >= s.end) for s in spans)
            where = (term.start, term.end) if fits and not clash else _find(text, term.found, spans)
        if where is not None:
            spans.append(Span(where[0], where[1], term.satisfied, title, term=k))
    return sorted(spans, key=lambda s: s.start)


def split_spans(text: str, spans: Iterable[Span]) -> Iterator[tuple[str, Span | None]]:
    """Cut ``text`` into pieces, each either plain (``None``) or covered by one span."""
    pos = 0
    for span in spans:
        if span.start > pos:
            yield text[pos : span.start], None
        yield text[span.start : span.end], span
        pos = span.end
    if pos < len(text):
        yield text[pos:], None


# --- layout ------------------------------------------------------------------------------------


def layout_pieces(result: DocumentResult) -> Iterator[tuple[str, SegmentResult | None]]:
    """The document in order: layout text (``None``) and segments, as ``Document.rebuild`` sees it.

    Raises:
        ConfigError: segment offsets do not fit the source text (a corrupt result).
    """
    text = result.source_text
    pos = 0
    for seg in result.segments:
        if (
            not (pos <= seg.start <= seg.end <= len(text))
            or text[seg.start : seg.end] != seg.source
        ):
            raise ConfigError(
                f"segment {seg.id} does not match the source text at {seg.start}:{seg.end}; "
                "the result JSON was edited or is corrupt, re-create it with 'translate run'."
            )
        if seg.start > pos:
            yield text[pos : seg.start], None
        yield seg.source, seg
        pos = seg.end
    if pos < len(text):
        yield text[pos:], None
