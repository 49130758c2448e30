"""The localization pass: apply every rule to one target segment and record each change.

Rules run in a fixed order (dates and times first, then figures, then typography), each on the
text the rules before it left; a rule's edit is dropped where it touches a protected span (URL,
e-mail, code, version; glossary terms and do-not-translate names given as ``keep``) or what an
earlier rule recognised (a date already right still holds its figures). Offsets of earlier
changes move with each later edit, so every change's offsets are into the final target.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache
from itertools import accumulate

from translate.errors import MisalignedError
from translate.localize.cldr import locale_data
from translate.localize.context import Context, Edit
from translate.localize.figures import amounts_and_figures, dates, symbol_regex, times
from translate.localize.reader import SpanSet, read_dates, read_french_times, read_numbers
from translate.localize.typography import cjk_punctuation, french_spacing, quotes
from translate.protect import ProtectRules
from translate.units import LocalizedChange

__all__ = ["RULES", "Localized", "is_locale_neutral", "localize", "localize_lines"]

Rule = Callable[[Context], Iterable[Edit]]

#: The rules in the order they claim text; each change record names its rule's edit kind.
RULES: tuple[tuple[str, Rule], ...] = (
    ("dates", dates),
    ("times", times),
    ("figures", amounts_and_figures),
    ("quotes", quotes),
    ("punctuation", cjk_punctuation),
    ("spacing", french_spacing),
)


@dataclass(frozen=True)
class Localized:
    """A localized target and the changes that made it."""

    text: str
    changes: tuple[LocalizedChange, ...]


@cache
def _protect() -> ProtectRules:
    return ProtectRules.load()


def _kept(target: str, keep: Iterable[str]) -> Iterator[tuple[int, int]]:
    for form in {k for k in keep if k}:
        start = target.find(form)
        while start != -1:
            yield start, start + len(form)
            start = target.find(form, start + 1)


def localize(
    source: str,
    target: str,
    locale: str,
    *,
    keep: Sequence[str] = (),
    protect: ProtectRules | None = None,
) -> Localized:
    """``target``, a translation of the French ``source``, in the conventions of ``locale``.

    Args:
        source: the French segment (what licenses every figure, date and time changed).
        target: its translation.
        locale: a normalised target locale (``en-GB``; see :func:`parse_locale`).
        keep: target strings never to change (glossary renderings, do-not-translate names).
        protect: verbatim-span rules (the bundled ones by default).

    Raises:
        ValueError: CLDR does not know ``locale``.
    """
    rules = protect or _protect()
    spans = [(m.start, m.end) for m in rules.find(target)] + list(_kept(target, keep))
    data = locale_data(locale)
    text = target
    taken = SpanSet(spans)  # protected spans and what rules recognised, in `text`
    changes: list[LocalizedChange] = []
    for _name, rule in RULES:
        ctx = Context(source, text, data, SpanSet(spans))
        edits: list[Edit] = []
        for edit in rule(ctx):
            if edit.end <= edit.start or taken.overlaps(edit.start, edit.end):
                continue
            taken.add(edit.start, edit.end)  # what a rule recognised is claimed, changed or not
            if text[edit.start : edit.end] != edit.text:
                edits.append(edit)
        if edits:
            text, shift = _apply(text, edits)
            spans = [(shift(a), shift(b)) for a, b in spans]
            # an edit's span maps to its new text
            taken = SpanSet((shift(a), shift(b)) for a, b in taken.spans())
            changes = [replace(c, start=shift(c.start), end=shift(c.end)) for c in changes]
            for e in edits:
                start = shift(e.start)
                before = ctx.target[e.start : e.end]
                changes.append(LocalizedChange(e.rule, before, e.text, start, start + len(e.text)))
    return Localized(text, tuple(sorted(changes, key=lambda c: c.start)))


def _apply(text: str, edits: list[Edit]) -> tuple[str, Callable[[int], int]]:
    """``text`` with the non-overlapping ``edits`` made, and the map from an offset outside
    them to its offset in the new text."""
    ordered = sorted(edits, key=lambda e: e.start)
    out: list[str] = []
    pos = 0
    for e in ordered:
        out.append(text[pos : e.start])
        out.append(e.text)
        pos = e.end
    out.append(text[pos:])
    ends = [e.end for e in ordered]
    deltas = list(accumulate(len(e.text) - (e.end - e.start) for e in ordered))

    def shift(offset: int) -> int:
        i = bisect_right(ends, offset)
        return offset + (deltas[i - 1] if i else 0)

    return "".join(out), shift


def localize_lines(
    sources: Sequence[str],
    targets: Sequence[str],
    locale: str,
    *,
    origin: str = "the files",
    keep: Sequence[Sequence[str]] | None = None,
) -> list[Localized]:
    """:func:`localize` over line-aligned sources and translations (``translate localize``);
    ``keep`` gives each line's strings never to change (its glossary renderings).

    Raises:
        MisalignedError: the two sequences differ in length.
    """
    if len(sources) != len(targets):
        raise MisalignedError(
            f"{origin} are not line-aligned ({len(sources)} source lines, {len(targets)} "
            "translation lines); give one translation per source line."
        )
    kept = keep if keep is not None else [()] * len(sources)
    return [localize(s, t, locale, keep=k) for s, t, k in zip(sources, targets, kept, strict=True)]


_LOCALE_MARKS = re.compile(r"[%«»‹›“”„\"‘’‚]|\d[ \u00a0\u202f]?[;:!?]")


def is_locale_neutral(source: str) -> bool:
    """Whether a French sentence holds nothing a locale writes its own way: no figure with a
    separator, percentage, currency sign, date, clock time or quotation. The translation memory
    shares the translation of such a sentence between sibling locales (``en-GB``, ``en-US``)."""
    if any(not f.plain for f in read_numbers(source)):
        return False
    if _LOCALE_MARKS.search(source) or re.search(symbol_regex(), source):
        return False
    return not (read_dates(source, ("fr",)) or read_french_times(source))
