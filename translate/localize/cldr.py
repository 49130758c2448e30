"""A target locale's conventions, read from CLDR: Babel's data plus the few fields Babel lacks.

Separators, percent and currency patterns, long date and short time formats, month names and
scale words come from Babel; quotation delimiters and minimum grouping digits from
``translate/data/localize/cldr.json``, copied from the CLDR release it names. Nothing here is
written by hand per locale: a new locale works as soon as CLDR knows it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

import babel
import babel.core
import babel.dates
import babel.numbers
from babel.core import get_global

from translate._io import read_data
from translate._text import CJK_RANGES
from translate.errors import ConfigError

__all__ = ["CLDR_FILE", "LocaleData", "cldr_version", "locale_data", "provenance"]

CLDR_FILE = "localize/cldr.json"
SPACES = " \u00a0\u202f\u2009"


@cache
def _extra() -> Mapping[str, Any]:
    try:
        data = json.loads(read_data(CLDR_FILE))
        data["delimiters"], data["minimum_grouping_digits"], data["cldr_version"]
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise ConfigError(f"{CLDR_FILE}: malformed CLDR data ({err}).") from None
    return data  # type: ignore[no-any-return]


def cldr_version() -> str:
    """The CLDR release of the bundled extra data (Babel reports its own)."""
    return str(_extra()["cldr_version"])


def provenance(tag: str) -> dict[str, str]:
    """What localized into ``tag``: the locale, Babel's version and CLDR release, and the
    release of the bundled extra data (a reproducibility signature, as sacrebleu's)."""
    return {
        "locale": tag,
        "babel": babel.__version__,
        "cldr": str(babel.core.get_cldr_version()),
        "extra_cldr": cldr_version(),
    }


def _chain(loc: babel.Locale) -> list[str]:
    """``loc``'s CLDR inheritance chain as BCP 47 tags: de_CH → de-CH, de; es_MX → es-419, es."""
    parents = get_global("parent_exceptions")
    out: list[str] = []
    ident: str | None = str(loc)
    while ident:
        out.append(ident.replace("_", "-"))
        if ident.count("_") == 2 and ident.split("_")[1] in ("Hans", "Hant"):
            out.append("-".join(ident.split("_")[:2]))  # zh_Hant_TW → zh-Hant
        ident = parents.get(ident) or (ident.rpartition("_")[0] or None)
    return [*dict.fromkeys(out), "root"]


def _lookup(table: Mapping[str, Any], chain: list[str]) -> Any:
    for tag in chain:
        if tag in table:
            return table[tag]
    raise ConfigError(f"{CLDR_FILE}: no 'root' row; restore the bundled file.")


def _affixes(pattern: str) -> tuple[str, str]:
    """Prefix and suffix around the digits of a CLDR number pattern (positive part)."""
    positive = pattern.split(";")[0]
    m = re.search(r"[#0][#0,.]*", positive)
    if m is None:
        return "", ""
    return positive[: m.start()], positive[m.end() :]


@dataclass(frozen=True)
class LocaleData:
    """What the pass needs to know about one locale, all from CLDR."""

    tag: str
    language: str
    decimal: str
    group: str
    grouping: int
    min_grouping: int
    percent: tuple[str, str]
    currency: tuple[str, str]
    quotes: tuple[str, str, str, str]
    months: tuple[tuple[str, ...], ...]  # 12 tuples of spellings (wide, abbreviated, ...)
    scales: tuple[tuple[str, Decimal], ...]  # scale word → factor, longest word first
    babel_locale: babel.Locale

    @property
    def scale_words(self) -> tuple[str, ...]:
        return tuple(word for word, _ in self.scales)

    def number(self, digits: str, frac: str) -> str:
        """Digits written the locale's way: grouped from CLDR's sizes, unless too short."""
        whole = digits.lstrip("0") or "0"
        size = self.grouping
        if size and len(whole) >= size + self.min_grouping:
            head = len(whole) % size or size
            parts = [whole[:head]] + [whole[i : i + size] for i in range(head, len(whole), size)]
            whole = self.group.join(parts)
        return whole + (self.decimal + frac if frac else "")

    def percent_text(self, number: str) -> str:
        prefix, suffix = self.percent
        return prefix + number + suffix

    def currency_text(self, number: str, symbol: str) -> str:
        """``symbol`` placed and spaced as the locale's currency pattern says (CLDR's
        currencySpacing: a no-break space between digits and a symbol that ends in a letter)."""
        prefix, suffix = self.currency
        if "¤" in prefix:
            before = prefix.replace("¤", symbol)
            if symbol[-1:].isalpha() and not before[-1:].isspace():
                before += "\u00a0"
            return before + number + suffix.replace("¤", "")
        after = suffix.replace("¤", symbol)
        if symbol[:1].isalpha() and not after[:1].isspace():
            after = "\u00a0" + after
        return prefix + number + after

    def long_date(self, date: dt.date, with_year: bool = True) -> str:
        if with_year:
            return babel.dates.format_date(date, "long", locale=self.babel_locale)
        return babel.dates.format_skeleton("MMMMd", date, locale=self.babel_locale)

    def short_time(self, time: dt.time) -> str:
        return babel.dates.format_time(time, "short", locale=self.babel_locale)

    def uses_24_hours(self) -> bool:
        pattern = babel.dates.get_time_format("short", locale=self.babel_locale).pattern
        return "H" in pattern


def _months(loc: babel.Locale) -> tuple[tuple[str, ...], ...]:
    out = []
    for i in range(1, 13):
        forms = []
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                name = loc.months.get(context, {}).get(width, {}).get(i)
                if name:
                    forms.append(str(name))
        out.append(tuple(dict.fromkeys(forms)))
    return tuple(out)


def _scales(loc: babel.Locale) -> tuple[tuple[str, Decimal], ...]:
    """Scale words of the locale's compact formats with the factor each stands for
    (``milliards`` 10⁹, ``mil millones`` 10⁹, ``亿`` 10⁸), longest word first; one-letter
    abbreviations (``K``, ``M``) are left out, as too easily something else."""
    found: dict[str, Decimal] = {}
    for width in ("long", "short"):
        for plural in loc.compact_decimal_formats.get(width, {}).values():
            for magnitude, pattern in plural.items():
                positive = pattern.pattern.split(";")[0]
                zeros = positive.count("0")
                word = re.sub(r"[0#]+", "", positive).replace("'", "").strip(SPACES)
                if not zeros or not word or word.isdigit():
                    continue
                if len(word) < 2 and not re.match(f"[{CJK_RANGES}]", word):
                    continue
                found.setdefault(word, Decimal(int(magnitude)) / Decimal(10) ** (zeros - 1))
    return tuple(sorted(found.items(), key=lambda item: len(item[0]), reverse=True))


@cache
def locale_data(tag: str) -> LocaleData:
    """The conventions of the CLDR locale ``tag`` (``en-GB``, ``zh-TW``).

    Raises:
        ValueError: CLDR does not know the locale.
    """
    try:
        loc = babel.Locale.parse(tag.replace("-", "_"))
    except (ValueError, babel.UnknownLocaleError) as err:
        raise ValueError(f"CLDR has no locale {tag!r} ({err})") from None
    extra = _extra()
    chain = _chain(loc)
    number = babel.numbers.get_decimal_symbol(loc)
    group = babel.numbers.get_group_symbol(loc)
    pattern = babel.numbers.parse_pattern(loc.decimal_formats[None].pattern)
    percent_sign = loc.number_symbols[loc.default_numbering_system].get("percentSign", "%")
    p_prefix, p_suffix = _affixes(loc.percent_formats[None].pattern)
    c_prefix, c_suffix = _affixes(loc.currency_formats["standard"].pattern)
    quotes = tuple(_lookup(extra["delimiters"], chain))
    return LocaleData(
        tag=tag,
        language=loc.language,
        decimal=number,
        group=group,
        grouping=int(pattern.grouping[0]) if pattern.grouping[0] < 100 else 0,
        min_grouping=int(_lookup(extra["minimum_grouping_digits"], chain)),
        percent=(p_prefix.replace("%", percent_sign), p_suffix.replace("%", percent_sign)),
        currency=(c_prefix, c_suffix),
        quotes=(quotes[0], quotes[1], quotes[2], quotes[3]),
        months=_months(loc),
        scales=_scales(loc),
        babel_locale=loc,
    )


def as_decimal(digits: str, frac: str) -> Decimal:
    """The value of a number read as integer digits and fraction digits."""
    return Decimal(f"{digits or '0'}.{frac}" if frac else (digits or "0")).normalize()
