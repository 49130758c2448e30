"""The number check: amounts, scales, ranges, times and number words, per language format.

Figures are read by :mod:`translate.localize.reader`, the reader of the localization pass, so
the check judges a localized target with the same eyes that localized it; a locale's own
separators come from CLDR (``de-CH``: ``10'000``, ``3.5``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from translate.checks.config import LATIN, ChecksConfig, Context, base_lang
from translate.localize.cldr import LocaleData, locale_data
from translate.localize.reader import Figure, read_numbers

__all__ = ["check_numbers", "parse_numbers"]


def _format(cfg: ChecksConfig, lang: str) -> Mapping[str, Any]:
    """The separators ``lang`` writes numbers with: the table's for a language, CLDR's first
    for a locale (``de-CH`` groups with an apostrophe and marks decimals with a point)."""
    numbers = cfg.data["numbers"]
    formats = numbers["formats"]
    fmt: Mapping[str, Any] = formats.get(base_lang(lang)) or formats[numbers["default"]]
    loc = _cldr(lang)
    if loc is None:
        return fmt
    return {
        "decimal": [loc.decimal, *(d for d in fmt["decimal"] if d not in (loc.decimal, loc.group))],
        "group": [loc.group, *(g for g in fmt["group"] if g not in (loc.group, loc.decimal))],
    }


def _cldr(lang: str) -> LocaleData | None:
    if "-" not in lang:
        return None
    try:
        return locale_data(lang)
    except ValueError:
        return None


def _value(fig: Figure, fmt: Mapping[str, Any]) -> Decimal | None:
    """The value of a figure read with ``fmt``'s separators: a decimal mark first (in the
    format's order), unless it is also a group mark before three digits (``1.234`` where a point
    groups is 1234); else the figure as grouped digits; None when the format reads it not."""
    readings = [
        r
        for r in fig.readings
        if (r.group is None or r.group in fmt["group"])
        and (r.decimal is None or r.decimal in fmt["decimal"])
    ]
    for sep in fmt["decimal"]:
        for r in readings:
            if r.decimal == sep and not (sep in fmt["group"] and len(r.frac) == 3):
                return r.value
    whole = [r for r in readings if r.decimal is None]
    return whole[0].value if whole else None


def _table_key(table: Mapping[str, Any], lang: str) -> str | None:
    """The key of ``table`` that serves ``lang``: its own, else ``default``, else none."""
    for key in (base_lang(lang), "default"):
        if key in table:
            return key
    return None


@dataclass(frozen=True)
class _Number:
    start: int
    end: int
    raw: str
    bare: Decimal
    scaled: Decimal | None = None

    @property
    def values(self) -> frozenset[Decimal]:
        return frozenset({self.bare} if self.scaled is None else {self.bare, self.scaled})

    def agrees(self, other: _Number) -> bool:
        """Same value; two figures that both carry a scale word must agree once scaled."""
        if self.scaled is not None and other.scaled is not None:
            return self.scaled == other.scaled
        return bool(self.values & other.values)


@cache
def _scale_regex(words: tuple[str, ...]) -> re.Pattern[str] | None:
    if not words:
        return None
    alts = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"\s?({alts})(?![{LATIN}])")


@cache
def _range_regex(connectors: tuple[str, ...]) -> re.Pattern[str] | None:
    if not connectors:
        return None
    alts = "|".join(re.escape(c) for c in sorted(connectors, key=len, reverse=True))
    # a currency sign may open the second figure: "$2.5 to $5 million"
    return re.compile(rf"\s*(?:{alts})\s*(?:[^\w\s]\s*)?")


def _scan_numbers(text: str, lang: str, cfg: ChecksConfig) -> list[_Number]:
    """The numbers in ``text`` with their spans and every value each may mean."""
    numbers = cfg.data["numbers"]
    fmt = _format(cfg, lang)
    scales = numbers["scales"].get(base_lang(lang), {})
    scale_rx = _scale_regex(tuple(scales))
    found: list[tuple[int, int, str, Decimal, Decimal | None]] = []
    for fig in read_numbers(text):  # the reader the localization pass uses
        value = _value(fig, fmt)
        if value is None:
            continue
        scaled = scale_rx.match(text, fig.end) if scale_rx else None
        factor = Decimal(int(scales[scaled.group(1)])) if scaled else None
        found.append((fig.start, fig.end, fig.raw, value, factor))
    # in a range the scale word is written once: "entre 2,5 et 5 millions", "2.5 to 5 million"
    connectors = numbers.get("range_connectors", {})
    key = _table_key(connectors, lang)
    range_rx = _range_regex(tuple(connectors[key]) if key else ())
    factors = [f for *_, f in found]
    for i in range(len(found) - 2, -1, -1):
        if factors[i] is None and factors[i + 1] is not None and range_rx is not None:
            gap = range_rx.fullmatch(text, found[i][1], found[i + 1][0])
            if gap:
                factors[i] = factors[i + 1]
    return [
        _Number(start, end, raw, value, None if factor is None else (value * factor).normalize())
        for (start, end, raw, value, _), factor in zip(found, factors, strict=True)
    ]


def parse_numbers(text: str, lang: str, config: ChecksConfig | None = None) -> list[set[Decimal]]:
    """The numbers written in ``text`` in ``lang``'s format, each as the set of values it may mean.

    A number followed by a scale word (``milliards``, ``billion``, ``亿``) may mean the bare figure
    or the scaled one, so both are in its set: ``94,82 milliards`` and ``948.2亿`` share a value.
    The first figure of a range shares the scale word of the second (``2,5 et 5 millions``).
    """
    from translate.checks.runner import load_checks  # runner imports this module

    cfg = config or load_checks()
    return [set(n.values) for n in _scan_numbers(text, lang, cfg)]


@dataclass(frozen=True)
class _Time:
    start: int
    end: int
    hour: int
    minute: int
    meridiem: bool


def _scan_times(text: str, lang: str, cfg: ChecksConfig) -> list[_Time]:
    """Clock times in ``text`` (``14 h 30``, ``2:30 pm``, ``14.30 Uhr``, ``下午2点30分``)."""
    out: list[_Time] = []
    for rx in _time_patterns(cfg, lang):
        for m in rx.finditer(text):
            # an earlier, more specific pattern ("2:30 pm") wins over a later one ("2:30")
            if any(t.start < m.end() and m.start() < t.end for t in out):
                continue
            groups = m.groupdict()
            hour = int(groups["h"])
            minute = 30 if groups.get("half") else int(groups.get("m") or 0)
            meridiem = bool(groups.get("pm") or groups.get("am"))
            if groups.get("pm") and hour < 12:
                hour += 12
            elif groups.get("am") and hour == 12:
                hour = 0
            if hour < 24 and minute < 60:
                out.append(_Time(m.start(), m.end(), hour, minute, meridiem))
    return out


def _time_patterns(cfg: ChecksConfig, lang: str) -> tuple[re.Pattern[str], ...]:
    times = cfg.data["numbers"].get("times", {})
    key = _table_key(times, lang)
    n = len(times[key]) if key else 0
    return tuple(cfg.patterns[f"times.{key}.{i}"] for i in range(n))


def _same_time(src: _Time, tgt: _Time) -> bool:
    if tgt.minute != src.minute:
        return False
    # "2:30" without am/pm may stand for 14 h 30 in a 12-hour clock
    return tgt.hour == src.hour if tgt.meridiem else tgt.hour % 12 == src.hour % 12


def _word_values(text: str, lang: str, cfg: ChecksConfig) -> set[Decimal]:
    """Values of the numbers ``text`` spells out in words (``three``, ``zweiten``, ``第二``)."""
    table = cfg.data["numbers"].get("words", {})
    key = _table_key(table, lang)
    if key is None:
        return set()
    return {
        Decimal(int(value))
        for i, value in enumerate(table[key].values())
        if cfg.patterns[f"words.{key}.{i}"].search(text)
    }


def check_numbers(ctx: Context) -> list[str]:
    cfg = ctx.cfg
    target = _scan_numbers(ctx.target, ctx.lang, cfg)
    target += [_Number(0, 0, "", v) for v in sorted(_word_values(ctx.target, ctx.lang, cfg))]
    # numbers a translation may leave out: set phrases (24 h/24 -> round the clock) and clock
    # times written another way (14 h 30 -> 2:30 pm)
    free = [m.span() for rx in _idiom_patterns(cfg) for m in rx.finditer(ctx.source)]
    target_times = _scan_times(ctx.target, ctx.lang, cfg)
    free += [
        (t.start, t.end)
        for t in _scan_times(ctx.source, "fr", cfg)
        if any(_same_time(t, u) for u in target_times)
    ]
    spaced = re.sub(r"[\u00a0\u202f\u2009]", " ", ctx.target)
    problems = []
    seen: set[tuple[Decimal, Decimal | None]] = set()
    for num in _scan_numbers(ctx.source, "fr", cfg):
        if (num.bare, num.scaled) in seen or any(num.agrees(t) for t in target):
            continue
        if any(a <= num.start and num.end <= b for a, b in free):
            continue
        seen.add((num.bare, num.scaled))
        expected = _localize(num.bare, ctx.lang, cfg)
        raw = num.raw
        if not raw.isdigit() and re.sub(r"[\u00a0\u202f\u2009]", " ", raw) in spaced:
            problems.append(
                f"number {raw} is still in French format; write {expected} in {ctx.lang}"
            )
        elif num.scaled is not None and any(
            t.bare == num.bare and t.scaled not in (None, num.scaled) for t in target
        ):
            problems.append(f"number {raw} has another scale word in the target than in French")
        else:
            problems.append(f"number {raw} is missing from the target (expected {expected})")
    return problems


def _idiom_patterns(cfg: ChecksConfig) -> tuple[re.Pattern[str], ...]:
    n = len(cfg.data["numbers"].get("idioms", {}).get("fr", []))
    return tuple(cfg.patterns[f"idioms.fr.{i}"] for i in range(n))


def _localize(value: Decimal, lang: str, cfg: ChecksConfig) -> str:
    """``value`` written the way ``lang`` writes it (first decimal and group separator)."""
    loc = _cldr(lang)
    whole, _, frac = format(value, "f").partition(".")
    if loc is not None:  # years and other 4-digit figures are not grouped in the hint
        if len(whole) > 4:
            return loc.number(whole, frac)
        return whole + (loc.decimal + frac if frac else "")
    fmt = _format(cfg, lang)
    dec, grp = fmt["decimal"][0], (fmt["group"] or [""])[0]
    if len(whole) > 4:
        whole = f"{int(whole):,}".replace(",", grp)
    return whole + (dec + frac if frac else "")
