"""Rules for what the source licenses: figures, percentages, amounts, dates and clock times.

Each rule reads the target with :mod:`translate.localize.reader`, keeps only what matches a
value, date or time of the French source, and proposes the locale's CLDR spelling of it. A
figure the source does not have is left alone (the numbers QA check flags it); a target already
in the locale's form gives no edit, so the pass is idempotent.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from decimal import Decimal
from functools import cache

import babel.numbers

from translate.localize.cldr import SPACES, LocaleData
from translate.localize.context import Context, Edit
from translate.localize.reader import (
    Figure,
    Reading,
    french_values,
    read_dates,
    read_french_times,
    read_numbers,
    scale_after,
)

__all__ = ["amounts_and_figures", "dates", "symbol_regex", "times"]


@cache
def _symbols() -> str:
    """Currency symbols (every Unicode currency sign, the ISO codes and CLDR's multi-character
    symbols such as ``US$`` or ``R$``) as one alternation, longest first."""
    symbols = {chr(c) for c in range(0x20A0, 0x20D0) if unicodedata.category(chr(c)) == "Sc"}
    symbols |= {"$", "£", "¥", "¢", "₹", "₩", "₽"}
    symbols |= set(babel.numbers.list_currencies())
    for tag in ("en", "fr", "de", "es", "pt", "pt_PT", "zh", "ja"):
        loc = babel.Locale.parse(tag)
        symbols |= {s for s in loc.currency_symbols.values() if s and not s.isalpha()}
    alts = "|".join(re.escape(s) for s in sorted(symbols, key=len, reverse=True))
    return alts or r"(?!)"


def symbol_regex() -> str:
    """A currency symbol as a token of its own (not inside a word: ``EURO`` is no ``EUR``)."""
    return rf"(?<![^\W\d_])(?:{_symbols()})(?![^\W\d_])"


def _choose(
    fig: Figure, loc: LocaleData, licensed: set[Decimal], factor: Decimal | None
) -> Reading | None:
    """The reading of ``fig`` the source licenses, bare or scaled by the scale word after it:
    the locale's own reading when it does (the figure is then already right), else the only
    licensed one, unless that one would read the locale's group mark before three digits as a
    decimal point (``380.000 millones`` in Spanish is grouped, whatever the source)."""

    def ok(r: Reading) -> bool:
        return r.value in licensed or (
            factor is not None and (r.value * factor).normalize() in licensed
        )

    own = [
        r
        for r in fig.readings
        if r.group in (None, loc.group) and r.decimal in (None, loc.decimal) and ok(r)
    ]
    if own:
        return own[0]
    others = {r.value: r for r in fig.readings if ok(r)}
    if len(others) != 1:
        return None
    (reading,) = others.values()
    if reading.decimal == loc.group and len(reading.frac) == 3:
        return None
    return reading


def _scale(loc: LocaleData) -> str:
    if not loc.scale_words:
        return r"(?!)"
    return "(?:" + "|".join(re.escape(w) for w in loc.scale_words) + r")(?![\w])"


def amounts_and_figures(ctx: Context) -> Iterator[Edit]:
    """Figures in the locale's separators and grouping, percentages with its percent pattern,
    amounts with its currency pattern (the model's symbol and words are kept)."""
    loc = ctx.locale
    licensed = french_values(ctx.source)
    if not licensed:
        return
    text = ctx.target
    sp = f"[{SPACES}]"
    # a symbol between two figures (1,5 €10) belongs to neither: the amounts are left as written
    sym = symbol_regex()
    symbol_after = re.compile(
        rf"(?P<scale>{sp}?{_scale(loc)})?{sp}?(?P<sym>{sym})(?!{sp}?(?:\d|%|{_symbols()}))"
    )
    symbol_before = re.compile(rf"(?P<sym>{sym}){sp}?$")
    symbol_end = re.compile(rf"(?:\d|{sym}){sp}?$")
    percent = re.compile(rf"{sp}?%")
    for fig in read_numbers(text):
        magnitude = scale_after(text, fig.end, loc.tag)
        reading = _choose(fig, loc, licensed, magnitude[0] if magnitude else None)
        if reading is None:
            continue
        number = fig.raw if fig.plain else loc.number(reading.digits, reading.frac)
        pct = percent.match(text, fig.end)
        after = symbol_after.match(text, fig.end)
        before = symbol_before.search(text, max(0, fig.start - 8), fig.start)
        if before and symbol_end.search(text, max(0, before.start() - 9), before.start()):
            before = None  # the symbol follows a figure or another symbol: not this one's
        if pct:
            yield Edit(fig.start, pct.end(), loc.percent_text(number), "percent")
            continue
        # a symbol between two figures belongs to the one the locale's pattern puts it with
        if before and (not after or "¤" in loc.currency[0]):
            start, end, sym, scale = before.start(), fig.end, before.group("sym"), ""
            tail = re.compile(rf"{sp}?{_scale(loc)}").match(text, fig.end)
            if tail:
                scale, end = tail.group(), tail.end()
            yield Edit(start, end, loc.currency_text(number + scale, sym), "amount")
        elif after:
            scale = after.group("scale") or ""
            amount = loc.currency_text(number + scale, after.group("sym"))
            yield Edit(fig.start, after.end(), amount, "amount")
        else:
            yield Edit(fig.start, fig.end, number, "number")


def dates(ctx: Context) -> Iterator[Edit]:
    """Dates the source has, left in French form or another order, in the locale's CLDR long
    date format (``le 30 avril 2025`` → ``April 30, 2025`` in en-US)."""
    source = {(d.day, d.month, d.year) for d in read_dates(ctx.source, ("fr",))}
    tags = tuple(dict.fromkeys((ctx.locale.tag, "fr")))
    for d in read_dates(ctx.target, tags):
        date = d.as_date()
        if date is None or (d.day, d.month, d.year) not in source:
            # a date the source does not have stays, and so do its figures (its year)
            yield Edit(d.start, d.end, ctx.target[d.start : d.end], "date")
            continue
        yield Edit(d.start, d.end, ctx.locale.long_date(date, d.year is not None), "date")


def times(ctx: Context) -> Iterator[Edit]:
    """Clock times of the source left in French notation (``14 h 30``), in the locale's CLDR
    short time format (``14:30`` where it counts 24 hours, ``2:30 PM`` in en-US)."""
    source = {(t.hour, t.minute) for t in read_french_times(ctx.source)}
    for t in read_french_times(ctx.target):
        if (t.hour, t.minute) in source:
            yield Edit(t.start, t.end, ctx.locale.short_time(dt.time(t.hour, t.minute)), "time")
        else:  # a time the source does not have stays, figures included
            yield Edit(t.start, t.end, ctx.target[t.start : t.end], "time")
