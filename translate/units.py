"""Frozen records that flow through the pipeline: segments, term matches, checks, results.

Every stage takes and returns these, so each stage can be used and tested on its own, and the JSON
result written by ``translate run`` is exactly :meth:`DocumentResult.to_dict`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from typing import Any, TypedDict, cast

from translate._jsontypes import type_problem

RESULT_SCHEMA = "translate.result/2"
#: The schemas :meth:`DocumentResult.from_dict` reads (``/1``: see :func:`_upgraded`).
READABLE_SCHEMAS = ("translate.result/1", RESULT_SCHEMA)
_SOFT_WRAP = re.compile(r"[ \t]*(?:\r\n|\r|\n)[ \t]*")


def one_line(text: str) -> str:
    """``text`` with each soft-wrap newline (and the blanks around it) folded to one space, and
    newlines at either end dropped.

    A segment never spans a blank line, but a source wrapped at 80 columns carries newlines
    inside sentences. Formats whose entries are one line to their tools (PO ``msgid``, TMX
    ``<seg>``) and the translation memory's keys use this form; the document rebuild keeps the
    layout.
    """
    return _SOFT_WRAP.sub(" ", text.strip("\r\n"))


@dataclass(frozen=True)
class Segment:
    """A sentence (or title, byline, link or list line) of the source with exact offsets.

    ``text == document.text[start:end]`` always holds.
    """

    id: str
    paragraph: int
    text: str
    start: int
    end: int
    kind: str = "sentence"


@dataclass(frozen=True)
class InlineTag:
    """An inline element of a Markdown or HTML sentence, carried through the engine as a
    placeholder (see :mod:`translate.markup.placeholders`).

    ``kind`` is ``pc`` (a pair: ``open`` and ``close`` wrap translated text, as ``<b>…</b>`` or
    ``[…](url)``) or ``ph`` (standalone, copied whole: inline code, an image, ``<br>``);
    ``open``/``close`` are the original markup, attributes and URLs included. ``text`` is what a
    ``ph`` reads as in the plain text (the code, the autolink's URL).
    """

    id: int
    kind: str
    name: str
    open: str
    close: str = ""
    text: str = ""


@dataclass(frozen=True)
class SegmentMarkup:
    """Where a segment lies in a Markdown/HTML original, and its inline markup as placeholders.

    ``start``/``end`` are offsets into the original document; ``source`` is the segment's text
    with placeholders (what the engine translates), ``target`` the translation with placeholders
    once restored (well nested, each once); ``issues`` says what had to be moved by the fallback
    rule and how.
    """

    start: int
    end: int
    source: str
    tags: tuple[InlineTag, ...] = ()
    target: str = ""
    issues: tuple[str, ...] = ()


@dataclass(frozen=True)
class MarkupSource:
    """The original of a Markdown or HTML input: its format name and decoded text."""

    format: str
    text: str


@dataclass(frozen=True)
class Document:
    """A decoded source text and its segments; the text between segments is the layout.

    For Markdown/HTML input, ``text`` is the document's plain text (blocks separated by blank
    lines, inline markup removed), ``markup`` holds the original and ``segment_markup`` each
    segment's place in it.
    """

    text: str
    segments: tuple[Segment, ...]
    markup: MarkupSource | None = None
    segment_markup: Mapping[str, SegmentMarkup] = field(default_factory=dict)

    def rebuild(self, targets: Mapping[str, str]) -> str:
        """Replace each segment by its target (source text where absent), keeping the layout."""
        parts: list[str] = []
        pos = 0
        for seg in self.segments:
            parts.append(self.text[pos : seg.start])
            parts.append(targets.get(seg.id, seg.text))
            pos = seg.end
        parts.append(self.text[pos:])
        return "".join(parts)


@dataclass(frozen=True)
class TermMatch:
    """A glossary term found in French text; offsets are into the text that was searched."""

    start: int
    end: int
    text: str
    headword: str
    entry_id: str
    plural: bool = False
    dnt: bool = False


@dataclass(frozen=True)
class TermConstraint:
    """What the decoder must produce for one source match: any of the variants of its language.

    ``targets`` maps a language code to the acceptable surface forms, already agreed in number
    with the source match; a pivot chain reads the English forms for its first leg. ``match`` is
    the source match the constraint comes from (its text is reported as the term's source);
    ``verbatim`` marks a protected span, which must be copied exactly (see
    :func:`translate.terms.verify`). Order rules (inline markup placeholders): ``once``, written
    no more often than required; ``closes``, the headword of the constraint this one closes, as
    a bracket pair: written after it, and only while it is the innermost open pair (see
    :mod:`translate.engine.order`).
    """

    headword: str
    targets: Mapping[str, tuple[str, ...]]
    dnt: bool = False
    match: TermMatch | None = field(default=None, compare=False)
    verbatim: bool = False
    once: bool = False
    closes: str | None = None

    def variants(self, lang: str) -> tuple[str, ...]:
        """The acceptable forms in ``lang`` (empty when the glossary has none for it).

        A do-not-translate name is acceptable in every language, listed in the glossary or not.
        A locale (``en-GB``) without forms of its own takes its language's (``en``).
        """
        forms = tuple(self.targets.get(lang, ()) or self.targets.get(lang.split("-")[0], ()))
        if not forms and self.dnt:
            forms = tuple(self.targets.get("fr", ())) or (self.headword,)
        return forms


@dataclass(frozen=True)
class TermResult:
    """Whether a required target term appears in a translated segment."""

    headword: str
    source: str
    required: tuple[str, ...]
    found: str | None
    start: int = -1
    end: int = -1
    method: str | None = None  # free | repair | constrained (translate.engine.base.METHODS)

    @property
    def satisfied(self) -> bool:
        return self.found is not None


@dataclass(frozen=True)
class CheckResult:
    """One QA finding on one target segment."""

    check: str
    severity: str
    message: str


@dataclass(frozen=True)
class LocalizedChange:
    """One edit of the localization pass: ``rule`` turned ``before`` into ``after``, which sits
    at ``target[start:end]`` of the final target."""

    rule: str
    before: str
    after: str
    start: int
    end: int


@dataclass(frozen=True)
class SegmentResult:
    """A source segment with its translation and everything learned about it."""

    id: str
    paragraph: int
    source: str
    target: str
    start: int
    end: int
    kind: str = "sentence"
    origin: str = "mt"  # mt | cache | memory | passthrough | edited (in the review page)
    terms: tuple[TermResult, ...] = ()
    checks: tuple[CheckResult, ...] = ()
    reference: str | None = None
    scores: Mapping[str, float] = field(default_factory=dict)
    protected: tuple[TermResult, ...] = ()  # verbatim spans (URLs, e-mails...), apart from terms
    localized: tuple[LocalizedChange, ...] = ()  # what the localization pass changed
    markup: SegmentMarkup | None = None  # Markdown/HTML input: placement and inline tags

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        if self.markup is None:
            data.pop("markup")
        data["terms"] = [dict(asdict(t), satisfied=t.satisfied) for t in self.terms]
        data["protected"] = [dict(asdict(t), satisfied=t.satisfied) for t in self.protected]
        data["scores"] = dict(self.scores)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SegmentResult:
        known = {f.name for f in fields(cls)}
        kwargs = {k: v for k, v in data.items() if k in known}
        kwargs["terms"] = tuple(_term_result(t) for t in data.get("terms", ()))
        kwargs["protected"] = tuple(_term_result(t) for t in data.get("protected", ()))
        kwargs["checks"] = tuple(CheckResult(**c) for c in data.get("checks", ()))
        kwargs["localized"] = tuple(LocalizedChange(**c) for c in data.get("localized", ()))
        kwargs["scores"] = dict(data.get("scores", {}))
        markup = data.get("markup")
        if markup is not None:
            tags = tuple(InlineTag(**t) for t in markup.get("tags", ()))
            kwargs["markup"] = SegmentMarkup(
                **{**markup, "tags": tags, "issues": tuple(markup.get("issues", ()))}
            )
        return cls(**kwargs)


def _term_result(t: Mapping[str, Any]) -> TermResult:
    return TermResult(
        headword=t["headword"],
        source=t["source"],
        required=tuple(t["required"]),
        found=t.get("found"),
        start=t.get("start", -1),
        end=t.get("end", -1),
        method=t.get("method"),
    )


class ProtectedSummary(TypedDict):
    """Protected spans kept verbatim (``summary["protected"]``)."""

    required: int
    found: int
    accuracy: float | None
    missing: list[str]
    methods: dict[str, int]


class ResultSummary(TypedDict, total=False):
    """Corpus figures of a :class:`DocumentResult`; each key has one owner, the stage that
    writes it (later stages only read it):

    * ``segments``, ``origins``, ``terms_required``, ``terms_found``, ``term_accuracy``,
      ``term_methods`` (how the engine met the terms), ``protected``, ``localized`` (changes of the localization pass), ``markup`` (inline tags
      and fallbacks, for Markdown/HTML input): :func:`translate.summary.summarize`, from the
      segments' records;
    * ``metrics``: :func:`translate.score.score_result` (corpus BLEU, chrF++, TER, signatures);
    * ``checks``: :func:`translate.checks.check_result` (QA findings per severity);
    * ``gate``: :func:`translate.gate.evaluate_result` (the verdict; it refreshes the term
      counts through :func:`translate.summary.term_summary` when it verified terms itself).

    Keys absent until their stage ran; a file may hold more (they are kept as read).
    """

    segments: int
    origins: dict[str, int]
    terms_required: int
    terms_found: int
    term_accuracy: float | None
    term_methods: dict[str, int]
    protected: ProtectedSummary
    localized: int
    markup: dict[str, Any]
    metrics: dict[str, Any]
    checks: dict[str, int]
    gate: dict[str, Any]


class Provenance(TypedDict, total=False):
    """What produced a translation, written once by :meth:`translate.pipeline.Pipeline.provenance`:
    tool version, the engine's model chain (``engine["legs"]``: one entry per model), decoding
    options, the digests of the glossary, pass-through and protect rules (None: not used), and
    the localization pass's signature (locale, Babel and CLDR releases; None: off)."""

    tool: str
    engine: dict[str, Any]
    decode: dict[str, Any] | None
    glossary: dict[str, str] | None
    passthrough: dict[str, str] | None
    protect: dict[str, str] | None
    localize: dict[str, str] | None


@dataclass(frozen=True)
class DocumentResult:
    """A translated document: the source, its segments' translations and their provenance.

    ``provenance`` records model ids and revisions, decoding options and the glossary hash;
    ``summary`` holds corpus figures (term accuracy, metrics, gate outcome) added by later stages.
    """

    source_path: str
    source_lang: str
    target_lang: str
    source_text: str
    segments: tuple[SegmentResult, ...]
    provenance: Provenance = field(default_factory=lambda: Provenance())
    summary: ResultSummary = field(default_factory=lambda: ResultSummary())
    markup: MarkupSource | None = None  # the Markdown/HTML original, when the input had markup

    @property
    def document(self) -> Document:
        return Document(
            self.source_text,
            tuple(
                Segment(s.id, s.paragraph, s.source, s.start, s.end, s.kind) for s in self.segments
            ),
            self.markup,
            {s.id: s.markup for s in self.segments if s.markup is not None},
        )

    def translated_text(self) -> str:
        """The translated document with the source's layout."""
        return self.document.rebuild({s.id: s.target for s in self.segments})

    def to_dict(self) -> dict[str, Any]:
        source: dict[str, Any] = {
            "path": self.source_path,
            "lang": self.source_lang,
            "text": self.source_text,
        }
        if self.markup is not None:
            source["format"] = self.markup.format
            source["original"] = self.markup.text
        return {
            "schema": RESULT_SCHEMA,
            "source": source,
            "target_lang": self.target_lang,
            "provenance": dict(self.provenance),
            "summary": dict(self.summary),
            "segments": [s.to_dict() for s in self.segments],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DocumentResult:
        from translate.errors import ConfigError

        if data.get("schema") not in READABLE_SCHEMAS:
            raise ConfigError(
                f"not a translation result (schema {data.get('schema')!r}, expected {RESULT_SCHEMA!r}); "
                "give a .json file written by 'translate run'."
            )
        try:
            src = data["source"]
            return cls(
                source_path=src["path"],
                source_lang=src["lang"],
                target_lang=data["target_lang"],
                source_text=src["text"],
                segments=tuple(SegmentResult.from_dict(s) for s in data["segments"]),
                provenance=cast(Provenance, dict(data.get("provenance", {}))),
                summary=_upgraded(data.get("schema"), data.get("summary", {})),
                markup=MarkupSource(src["format"], src["original"]) if "format" in src else None,
            )
        except (KeyError, TypeError) as err:
            raise ConfigError(
                f"translation result is missing field {err}; re-create it with 'translate run'."
            ) from None

    @classmethod
    def from_json(cls, text: str, origin: str = "the result") -> DocumentResult:
        """Parse :meth:`to_json`'s output; every defect is one :class:`ConfigError` naming ``origin``.

        Raises:
            ConfigError: not valid JSON, not a translation result, or malformed segments.
        """
        from translate.errors import ConfigError

        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise ConfigError(
                f"{origin} is not valid JSON ({err.msg} at line {err.lineno}); give a result .json "
                "written by 'translate run'."
            ) from None
        if not isinstance(data, dict):
            raise ConfigError(
                f"{origin} is not a translation result; give a .json written by 'translate run'."
            )
        try:
            result = cls.from_dict(data)
        except ConfigError as err:  # from_dict's own messages do not know the file's name
            raise ConfigError(f"{origin}: {err}") from None
        except (AttributeError, TypeError, ValueError) as err:
            raise ConfigError(
                f"{origin} is not a valid translation result ({err}); re-create it with "
                "'translate run'."
            ) from None
        problem = type_problem(result)
        if problem:
            raise ConfigError(
                f"{origin} is not a valid translation result ({problem}); re-create it with "
                "'translate run'."
            )
        return result


def _upgraded(schema: Any, summary: Mapping[str, Any]) -> ResultSummary:
    """The summary; a ``/1`` file's ``summary["terms"]`` (the gate's, newest) replaces its counts."""
    out = dict(summary)
    old = out.pop("terms", None) if schema == "translate.result/1" else None
    n, found = (old.get("total"), old.get("satisfied")) if isinstance(old, Mapping) else (0, 0)
    if type(n) is int and type(found) is int and n:
        out.update(terms_required=n, terms_found=found, term_accuracy=round(found / n, 6))
    return cast(ResultSummary, out)


def replace_segments(result: DocumentResult, segments: Sequence[SegmentResult]) -> DocumentResult:
    """A copy of ``result`` with new segment records (records are frozen)."""
    from dataclasses import replace

    return replace(result, segments=tuple(segments))
