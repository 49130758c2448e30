"""Read the numbers, dates and clock times written in a text, whatever convention wrote them.

One reader for the localization pass and the numbers QA check: a figure such as ``1,234`` is
ambiguous (one point two three four in French, twelve hundred and thirty-four in English), so
:func:`read_numbers` returns every reading a figure allows, each with the separators it assumes;
callers pick the reading the source licenses. Dates are read with the month names of any CLDR
locale asked for, clock times in French notation (``14 h 30``). Linear time: each pattern is a
single left-to-right scan without nested quantifiers.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from translate._text import CJK_RANGES
from translate.localize.cldr import SPACES, as_decimal, locale_data

__all__ = [
    "Date",
    "Figure",
    "Reading",
    "SpanSet",
    "Time",
    "french_values",
    "read_dates",
    "read_french_times",
    "read_numbers",
    "scale_after",
]

_SEPS = ".,'’" + SPACES
# A figure: digit groups of three after a first group of one to three, joined by one repeated
# separator, with an optional fraction; or plain digits with an optional fraction. Never glued
# to a letter or to another figure (versions 2.5.1, codes A320, lists 1,5,7 are not figures);
# CJK characters, written without spaces, may touch it (达948.2亿).
_FIGURE = re.compile(
    r"(?<![^\W" + CJK_RANGES + r"])(?<![.,'’])(?<!\d:)"
    r"(?:\d{1,3}(?P<g>[" + re.escape(_SEPS) + r"])\d{3}(?:(?P=g)\d{3})*(?:[.,]\d+)?"
    r"|\d+(?:[.,]\d+)?)"
    r"(?![\d]|[.,'’:]\d|[" + SPACES + r"]\d{3}(?!\d))"
)


@dataclass(frozen=True)
class Reading:
    """One way to read a figure: its value, the group and decimal separators it assumes, and the
    digits as written (so a rewrite keeps ``13,80``'s two decimals)."""

    value: Decimal
    group: str | None
    decimal: str | None
    digits: str
    frac: str


@dataclass(frozen=True)
class Figure:
    """A figure in a text with its span and every reading it allows."""

    start: int
    end: int
    raw: str
    readings: tuple[Reading, ...]

    @property
    def values(self) -> frozenset[Decimal]:
        return frozenset(r.value for r in self.readings)

    @property
    def plain(self) -> bool:
        """Digits only: nothing a convention could have changed (a year, a count, an id)."""
        return self.raw.isdigit()


def _readings(raw: str) -> tuple[Reading, ...]:
    parts = re.split(r"([^\d])", raw)
    groups, seps = parts[0::2], parts[1::2]
    if not seps:
        return (Reading(as_decimal(raw, ""), None, None, raw, ""),)
    out: list[Reading] = []
    last = seps[-1]
    # the last separator as a decimal mark (earlier ones, all alike and other, as groups)
    if last in ".," and (len(seps) == 1 or (seps[0] != last and len(set(seps[:-1])) == 1)):
        digits = "".join(groups[:-1])
        group = seps[0] if len(seps) > 1 else None
        out.append(Reading(as_decimal(digits, groups[-1]), group, last, digits, groups[-1]))
    # every separator a group mark: groups of three after the first
    if len(set(seps)) == 1 and len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:]):
        digits = "".join(groups)
        out.append(Reading(as_decimal(digits, ""), seps[0], None, digits, ""))
    return tuple(out)


def read_numbers(text: str) -> list[Figure]:
    """Every figure of ``text``, in order, with all the readings its separators allow."""
    out = []
    for m in _FIGURE.finditer(text):
        readings = _readings(m.group())
        if readings and not (m.group()[0] == "0" and m.group("g")):  # "06 123 456" is a phone
            out.append(Figure(m.start(), m.end(), m.group(), readings))
    return out


@cache
def _scale_regex(tag: str) -> re.Pattern[str] | None:
    words = [w for w, _ in locale_data(tag).scales]
    if not words:
        return None
    alts = "|".join(re.escape(w).replace(r"\ ", f"[{SPACES}]") for w in words)
    return re.compile(rf"[{SPACES}]?(?:de[{SPACES}])?({alts})(?![^\W{CJK_RANGES}])")


def scale_after(text: str, end: int, tag: str) -> tuple[Decimal, int] | None:
    """The factor of a CLDR scale word of locale ``tag`` right after ``text[:end]`` (``94,82
    milliards``: 10⁹; ``948.2亿``: 10⁸) and where the word ends, or None."""
    rx = _scale_regex(tag)
    m = rx.match(text, end) if rx is not None else None
    if m is None:
        return None
    factors = dict(locale_data(tag).scales)
    word = re.sub(f"[{SPACES}]", " ", m.group(1))
    factor = factors.get(m.group(1)) or next(
        (f for w, f in factors.items() if re.sub(f"[{SPACES}]", " ", w) == word), None
    )
    return None if factor is None else (factor, m.end())


def french_values(text: str) -> set[Decimal]:
    """The values a French text's figures may mean (groups: spaces or dots; decimals: comma,
    or a point as technical writing has it), bare and, before a scale word, scaled
    (``94,82 milliards``: 94.82 and 94 820 000 000)."""
    values: set[Decimal] = set()
    for fig in read_numbers(text):
        scale = scale_after(text, fig.end, "fr")
        for r in fig.readings:
            if r.group in (None, ".", *SPACES) and r.decimal in (None, ",", "."):
                values.add(r.value)
                if scale is not None:
                    values.add((r.value * scale[0]).normalize())
    return values


@dataclass(frozen=True)
class Date:
    """A calendar date in a text: day, month and, when written, year."""

    start: int
    end: int
    day: int
    month: int
    year: int | None

    def as_date(self) -> dt.date | None:
        try:
            return dt.date(self.year or 2000, self.month, self.day)
        except ValueError:
            return None


@cache
def _date_patterns(tags: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    names: dict[str, int] = {}  # as CLDR spells them, and capitalised (not in capitals)
    for tag in tags:
        for i, spellings in enumerate(locale_data(tag).months, start=1):
            for name in spellings:
                names.setdefault(name, i)
                names.setdefault(name[:1].upper() + name[1:], i)
    month = "(?P<m>" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + ")"
    day = r"(?P<d>[12]\d|3[01]|0?[1-9])"
    year = r"(?P<y>\d{4})(?!\d)"  # a year glued to letters is still a year: 2025CHF
    ordinal = r"(?:\.|er|ᵉʳ|st|nd|rd|th|º|°)?"
    sep = r"[ \u00a0\u202f]+"
    link = rf"(?:{sep}(?:de|del|of){sep}|,?{sep})"
    word_end = r"(?![\w])"
    pats = [
        # day month [year]: 30 avril 2025, 30. April 2025, 30 de abril de 2025, 30th of April
        rf"(?<![\w.,])(?:[Tt]he{sep})?{day}{ordinal}{link}{month}\.?(?:{link}{year}|{word_end})",
        # month day[,] [year]: April 30, 2025
        rf"(?<![\w]){month}\.?{sep}{day}{ordinal}(?:,?{sep}{year}|{word_end})",
        # CJK: 2025年4月30日, 4月30日
        r"(?:(?P<y>\d{4})\s*年\s*)?(?P<mn>1[0-2]|0?[1-9])\s*月\s*(?P<d>[12]\d|3[01]|0?[1-9])\s*[日号]",
    ]
    return tuple(re.compile(p) for p in pats)


def read_dates(text: str, tags: Sequence[str]) -> list[Date]:
    """Dates in ``text`` spelt with the month names of the CLDR locales ``tags``, or CJK-style;
    an earlier pattern wins where two overlap."""
    names = {
        name.lower(): i
        for tag in tags
        for i, spellings in enumerate(locale_data(tag).months, start=1)
        for name in spellings
    }
    out: list[Date] = []
    seen = SpanSet()
    for rx in _date_patterns(tuple(tags)):
        for m in rx.finditer(text):
            if seen.overlaps(m.start(), m.end()):
                continue
            g = m.groupdict()
            month = int(g["mn"]) if g.get("mn") else names.get(g["m"].lower(), 0)
            year = int(g["y"]) if g.get("y") else None
            date = Date(m.start(), m.end(), int(g["d"]), month, year)
            if month and date.as_date() is not None:
                out.append(date)
                seen.add(m.start(), m.end())
    return sorted(out, key=lambda d: d.start)


@dataclass(frozen=True)
class Time:
    """A clock time in a text."""

    start: int
    end: int
    hour: int
    minute: int


_FRENCH_TIME = re.compile(
    r"(?<![\w.,:])(?P<h>[01]?\d|2[0-3])[ \u00a0\u202f]?h[ \u00a0\u202f]?(?P<m>[0-5]\d)(?![\w%]|[.,]\d|[ \u00a0\u202f\u2009]%)"
)


def read_french_times(text: str) -> list[Time]:
    """Clock times in French notation with minutes (``14 h 30``, ``9h05``): ``5 h`` alone may be
    a duration, so it is not read as a time."""
    return [
        Time(m.start(), m.end(), int(m.group("h")), int(m.group("m")))
        for m in _FRENCH_TIME.finditer(text)
    ]


class SpanSet:
    """Non-overlapping spans kept sorted, so that a hostile segment with many figures or marks
    is checked in O(log n) per span rather than against every span claimed before."""

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []
        for a, b in sorted(spans):
            self.add(a, b)

    def overlaps(self, start: int, end: int) -> bool:
        """Whether ``[start, end)`` shares a character with a span of the set."""
        i = bisect_right(self._starts, start)
        if i and self._ends[i - 1] > start:
            return True
        return i < len(self._starts) and self._starts[i] < end

    def add(self, start: int, end: int) -> None:
        """Add a span; a span overlapping one already there is merged with it."""
        i = bisect_right(self._starts, start)
        if i and self._ends[i - 1] >= start:
            i -= 1
            start = self._starts[i]
            end = max(end, self._ends[i])
            del self._starts[i], self._ends[i]
        while i < len(self._starts) and self._starts[i] <= end:
            end = max(end, self._ends[i])
            del self._starts[i], self._ends[i]
        self._starts.insert(i, start)
        self._ends.insert(i, end)

    def spans(self) -> list[tuple[int, int]]:
        return list(zip(self._starts, self._ends, strict=True))
