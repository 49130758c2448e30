"""Terms and protected spans: found once per segment before the engine, verified once per language.

The glossary/protect stage of the pipeline. :func:`find_terms` matches each segment's glossary
terms and protected spans (URLs, e-mail addresses, handles...) once, language-independently, and
turns them into :class:`~translate.units.TermConstraint` records that carry their source match;
the engine enforces them, and :func:`verify` (the one verification routine, for glossary terms
and protected spans alike) tells which the translation contains. Score, checks and gate then read
the stored :class:`~translate.units.TermResult` records and these :class:`SegmentTerms`, never
the glossary. Pure: no model.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Protocol

from translate._text import span_occurrences, term_occurrences, token_occurrences
from translate.markup.placeholders import matching_text
from translate.spans import default_trim
from translate.units import Document, TermConstraint, TermMatch, TermResult

if TYPE_CHECKING:
    from translate.passthrough import PassthroughRules
    from translate.protect import ProtectRules

__all__ = ["Matcher", "SegmentTerms", "find_terms", "verify"]


class Matcher(Protocol):
    """What finding terms needs from a glossary (:class:`translate.glossary.Glossary`)."""

    def match(self, text: str) -> list[TermMatch]:
        """Glossary terms found in one French segment (offsets into ``text``)."""
        ...

    def constraints_for(self, text: str, matches: Sequence[TermMatch]) -> list[TermConstraint]:
        """What the decoder must produce for those matches."""
        ...


@dataclass(frozen=True)
class SegmentTerms:
    """One segment's glossary constraints and protected spans, each with its source match.

    ``passthrough`` names the pass-through rule that copies the segment unchanged (the segment
    is not translated; its glossary terms are still reported, its spans are not protected).
    """

    terms: tuple[TermConstraint, ...] = ()
    spans: tuple[TermConstraint, ...] = ()
    passthrough: str | None = None

    @property
    def matches(self) -> tuple[TermMatch, ...]:
        """The glossary matches, in text order."""
        return tuple(c.match for c in self.terms if c.match is not None)

    @property
    def forced(self) -> list[TermConstraint]:
        """What the decoder must produce: the glossary's constraints, then the spans."""
        return [*self.terms, *self.spans]

    @property
    def dnt_names(self) -> tuple[str, ...]:
        """Do-not-translate names of the source, as written there (for the QA ``dnt`` check)."""
        return tuple(m.text for m in self.matches if m.dnt)


def find_terms(
    document: Document,
    *,
    glossary: Matcher | None = None,
    protect: ProtectRules | None = None,
    passthrough: PassthroughRules | None = None,
) -> tuple[SegmentTerms, ...]:
    """Match every segment of ``document`` once: its pass-through rule, glossary terms and
    protected spans (matching does not depend on the target language)."""
    from translate.protect import constraints_for as span_constraints

    out: list[SegmentTerms] = []
    for seg in document.segments:
        rule = passthrough.rule_for(seg.text) if passthrough is not None else None
        # a Markdown/HTML segment is read without its tags (inline code never matches)
        markup = document.segment_markup.get(seg.id)
        text = seg.text if markup is None else matching_text(markup)
        terms: tuple[TermConstraint, ...] = ()
        if glossary is not None:
            matches = list(glossary.match(text))
            constraints = glossary.constraints_for(text, matches) if matches else []
            terms = tuple(_with_matches(constraints, matches))
        spans: tuple[TermConstraint, ...] = ()
        if protect is not None and not rule:
            found = protect.find(text)
            spans = tuple(span_constraints(found))
        out.append(SegmentTerms(terms, spans, rule or None))
    return tuple(out)


def _with_matches(
    constraints: Sequence[TermConstraint], matches: Sequence[TermMatch]
) -> list[TermConstraint]:
    return [
        c if c.match is not None or i >= len(matches) else replace(c, match=matches[i])
        for i, c in enumerate(constraints)
    ]


def verify(target: str, constraints: Sequence[TermConstraint], lang: str) -> tuple[TermResult, ...]:
    """Whether each constraint's required form appears in ``target`` (exact match, as in WMT 2021).

    A glossary form containing a capital letter (acronym, name) must appear exactly, a lower-case
    form in any case; a Latin/Cyrillic form must stand as a whole word, a CJK form may appear
    anywhere. A protected span (``verbatim``) must appear exactly as a whole token
    (:func:`translate._text.token_occurrences`: not glued to a letter or digit, not run on into
    a longer URL or address), unless it lies inside a kept occurrence of another span that
    contains it (``x.com`` inside ``x.com/a``). Constraints sharing a form need separate
    occurrences (glossary terms and spans are counted apart, as the decoder meets them).
    Constraints without forms in ``lang`` are not required and not reported. A do-not-translate
    name glued to more letters (``TechFlowP``) or re-cased is not found, as the QA checks read it
    (``dnt_altered`` reports such a near miss, ``dnt`` a name missing).
    """
    trim = default_trim()
    whole = {
        form: token_occurrences(target, form, trim)
        for c in constraints
        if c.verbatim
        for form in c.variants(lang)
    }

    def occurrences(c: TermConstraint, form: str) -> list[tuple[int, int]]:
        return (
            _span_occurrences(target, form, whole) if c.verbatim else term_occurrences(target, form)
        )

    results: list[TermResult] = []
    # (verbatim?, form) → spans taken by a constraint with that form
    used: dict[tuple[bool, str], list[tuple[int, int]]] = {}
    for c in constraints:
        required = c.variants(lang)
        if not required:
            continue
        source = c.match.text if c.match is not None else c.headword
        taken = [span for form in required for span in used.get((c.verbatim, form), [])]
        found: tuple[int, int] | None = None
        for start, end in sorted({s for form in required for s in occurrences(c, form)}):
            if all(end <= a or start >= b for a, b in taken):
                found = (start, end)
                break
        if found is None:
            results.append(TermResult(c.headword, source, tuple(required), None))
            continue
        for form in required:
            used.setdefault((c.verbatim, form), []).append(found)
        text = target[found[0] : found[1]]
        results.append(TermResult(c.headword, source, tuple(required), text, *found))
    return tuple(results)


def _span_occurrences(
    target: str, form: str, whole: Mapping[str, list[tuple[int, int]]]
) -> list[tuple[int, int]]:
    """Whole-token occurrences of ``form``, and those inside a whole occurrence of another
    protected span of the segment that contains it (``x.com`` inside a kept ``x.com/a``)."""
    around = [
        occ for other, occs in whole.items() if other != form and form in other for occ in occs
    ]
    inside = [
        (a, b)
        for a, b in span_occurrences(target, form)
        if any(x <= a and b <= y for x, y in around)
    ]
    return sorted({*whole[form], *inside})
