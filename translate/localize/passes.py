"""The localization pass: apply every rule to one target segment and record each change.

Rules run in a fixed order (dates and times first, then figures, then typography); a rule's edit
is dropped where it touches a protected span (URL, e-mail, code, version; glossary terms and
do-not-translate names given as ``keep``) or an earlier rule's edit. All edits are read off the
original target and applied together, so every change's offsets are into the final target.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache

from translate.errors import MisalignedError
from translate.localize.cldr import locale_data
from translate.localize.context import Context, Edit
from translate.localize.figures import amounts_and_figures, dates, times
from translate.localize.reader import overlaps
from translate.localize.typography import cjk_punctuation, french_spacing, quotes
from translate.protect import ProtectRules
from translate.units import LocalizedChange

__all__ = ["RULES", "Localized", "localize", "localize_lines"]

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
    ctx = Context(source, target, locale_data(locale), tuple(spans))
    taken: list[tuple[int, int]] = list(spans)
    edits: list[Edit] = []
    for _name, rule in RULES:
        for edit in rule(ctx):
            span = (edit.start, edit.end)
            if target[edit.start : edit.end] == edit.text or overlaps(span, taken):
                continue
            taken.append(span)
            edits.append(edit)
    return _apply(target, edits)


def _apply(target: str, edits: list[Edit]) -> Localized:
    out: list[str] = []
    changes: list[LocalizedChange] = []
    pos = 0
    length = 0
    for e in sorted(edits, key=lambda e: e.start):
        kept = target[pos : e.start]
        out.append(kept)
        length += len(kept)
        out.append(e.text)
        changes.append(
            LocalizedChange(e.rule, target[e.start : e.end], e.text, length, length + len(e.text))
        )
        length += len(e.text)
        pos = e.end
    out.append(target[pos:])
    return Localized("".join(out), tuple(changes))


def localize_lines(
    sources: Sequence[str], targets: Sequence[str], locale: str, *, origin: str = "the files"
) -> list[Localized]:
    """:func:`localize` over line-aligned sources and translations (``translate localize``).

    Raises:
        MisalignedError: the two sequences differ in length.
    """
    if len(sources) != len(targets):
        raise MisalignedError(
            f"{origin} are not line-aligned ({len(sources)} source lines, {len(targets)} "
            "translation lines); give one translation per source line."
        )
    return [localize(s, t, locale) for s, t in zip(sources, targets, strict=True)]
