"""Casing of a constrained output for its sentence: where an enforced term landed decides its capital.

The decoders force a term in the form the glossary gives; that form was capitalised for the
start of a sentence or not, and the decoder may put it elsewhere. Shared by the exact decoder
(:mod:`translate.engine.constrained`) and the check-then-repair path
(:mod:`translate.engine.ct2_terms`).
"""

from __future__ import annotations

from collections.abc import Sequence

from translate._text import CJK, term_occurrences
from translate.engine.constraint_tables import needs_boundary
from translate.units import TermConstraint

__all__ = ["fit_case"]


def _first_letter(text: str) -> int:
    return next((i for i, c in enumerate(text) if c.isalnum()), -1)


def fit_case(source: str, target: str, constraints: Sequence[TermConstraint], lang: str) -> str:
    """Case the enforced terms for their place in ``target``.

    A term that opens a target sentence whose source opens with a capital gets a capital
    (``cryptocurrency exchanges are...`` → ``Cryptocurrency exchanges are...``); a form that the
    glossary capitalised only because the term opened the source sentence is lower-cased where
    the decoder put it elsewhere. Do-not-translate names, forms with other capitals (acronyms,
    names, German nouns) and the rest of the text are left as decoded.
    """
    first_src, first_tgt = _first_letter(source), _first_letter(target)
    if first_tgt < 0:
        return target
    forms = [f for c in constraints if not c.dnt for f in c.variants(lang) if f]
    lower = {f for f in forms if f == f.lower() and f[:1].isalpha()}
    start_only = {
        f
        for c in constraints
        if not c.dnt
        for f in c.variants(lang)
        if f[:1].isupper() and f[:1].lower() + f[1:] in c.variants(lang)
    }
    # Spans that a form must keep exactly as written (names, protected spans, acronyms,
    # capitalised terms of other constraints) are never re-cased.
    exact = {
        f
        for c in constraints
        for f in c.variants(lang)
        if f and (c.dnt or (f != f.lower() and f not in start_only))
    }
    kept = [span for f in exact for span in term_occurrences(target, f)]
    chars = list(target)
    head = target[first_tgt:]
    if (
        first_src >= 0
        and not any(a <= first_tgt < b for a, b in kept)
        and source[first_src].isupper()
        and head[:1].islower()
        and any(_starts_with_word(head, f) for f in lower)
    ):
        chars[first_tgt] = chars[first_tgt].upper()
    for form in start_only:
        for start, end in term_occurrences(target, form):
            if (
                start > first_tgt
                and not _opens_sentence(target, start)
                and not any(a < end and start < b for a, b in kept)
            ):
                chars[start] = chars[start].lower()
    return "".join(chars)


def _starts_with_word(text: str, form: str) -> bool:
    if not text.lower().startswith(form):
        return False
    rest = text[len(form) :]
    return not (rest[:1].isalnum() and not CJK.match(rest[:1]) and needs_boundary(form))


def _opens_sentence(text: str, pos: int) -> bool:
    """Whether ``pos`` follows sentence-final punctuation (and spaces or quotes)."""
    before = text[:pos].rstrip(" \u00a0\u202f\"'«“‘(")
    return not before or before[-1] in ".!?…:\n。！？"
