"""Typography rules: quotation marks, French spacing, CJK full-width punctuation.

Quotation marks come from CLDR's delimiters for the locale (outer marks for the first level,
alternate marks for a quotation inside a quotation); the space French puts before ``; : ! ?`` and
inside guillemets is removed where the locale does not write it; Chinese and Japanese take their
full-width punctuation after their own characters. Which languages space their punctuation and
which write full-width marks is data (``translate/data/localize/locales.json``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from translate._text import CJK_RANGES
from translate.localize.cldr import SPACES
from translate.localize.context import Context, Edit
from translate.localize.locales import typography

__all__ = ["cjk_punctuation", "french_spacing", "quotes"]

_GUILLEMETS = {"«": "»", "‹": "›"}
_QUOTE_CHARS = re.compile('["«»‹›“”„‚‘「」『』]')
_APOSTROPHES = "’'"


def _marks(ctx: Context) -> dict[str, str]:
    """Opening mark → closing mark for the pairs that can be read without ambiguity: French
    guillemets, the locale's own marks, and English curly quotes where the locale does not use
    ``“`` as a closing mark (German ``„…“``); never a pair closed by an apostrophe."""
    q_open, q_close, a_open, a_close = ctx.locale.quotes
    pairs = dict(_GUILLEMETS)
    for o, c in ((q_open, q_close), (a_open, a_close), ("“", "”")):
        if o == c or c in _APOSTROPHES or o in pairs.values() or c in pairs:
            continue
        pairs.setdefault(o, c)
    return pairs


def quotes(ctx: Context) -> Iterator[Edit]:
    """Balanced quotation pairs in the locale's CLDR delimiters, nested ones in its alternate
    delimiters; a segment whose marks do not pair up, or nest three deep, is left alone."""
    text, loc = ctx.target, ctx.locale
    pairs = _marks(ctx)
    closers = set(pairs.values())
    # straight quotes the source writes too may be code ("name": "x"): only the model's are
    straight = text.count('"') % 2 == 0 and '"' not in ctx.source
    spaced = loc.language in typography().spaced
    stack: list[tuple[str, int]] = []
    found: list[tuple[int, int, int]] = []  # open index, close index, level
    for m in _QUOTE_CHARS.finditer(text):
        i, ch = m.start(), m.group()
        if ctx.protected.overlaps(i, i + 1):
            continue
        if ch == '"' and straight:
            if stack and stack[-1][0] == '"':
                found.append((stack.pop()[1], i, len(stack)))
            else:
                stack.append((ch, i))
        elif ch in pairs and not (ch in closers and stack and pairs[stack[-1][0]] == ch):
            stack.append((ch, i))
        elif ch in closers:
            if not stack or pairs.get(stack[-1][0]) != ch:
                return
            found.append((stack.pop()[1], i, len(stack)))
    if stack or any(level > 1 for *_, level in found):
        return  # unbalanced, or a quotation three deep: left to the translator
    for start, end, level in found:
        new_open, new_close = loc.quotes[2 * (level % 2) : 2 * (level % 2) + 2]
        open_end, close_start = start + 1, end
        if not spaced:
            while open_end < end and text[open_end] in SPACES:
                open_end += 1
            while close_start > open_end and text[close_start - 1] in SPACES:
                close_start -= 1
        else:
            new_open += text[start + 1 : open_end]
            new_close = text[close_start:end] + new_close
        if text[start:open_end] != new_open:
            yield Edit(start, open_end, new_open, "quotes")
        if text[close_start : end + 1] != new_close:
            yield Edit(close_start, end + 1, new_close, "quotes")


_AFTER_MARK = "»”“’\"')]}!?.…;:"
_SPACED_MARK = re.compile(rf"(?<=[^{SPACES}\s])[{SPACES}]+(?P<mark>[;:!?])")


def french_spacing(ctx: Context) -> Iterator[Edit]:
    """The space or no-break space French puts before ``; : ! ?``, removed where the locale
    does not write it (a ratio such as ``3 : 2`` keeps its spaces)."""
    if ctx.locale.language in typography().spaced:
        return
    text = ctx.target
    for m in _SPACED_MARK.finditer(text):
        if ctx.protected.overlaps(m.start() - 1, m.start()):
            continue  # "https://x.org ?" must not become "https://x.org?": a longer URL
        before, nxt = text[m.start() - 1], text[m.end() : m.end() + 1]
        if nxt and not (nxt.isspace() or nxt in _AFTER_MARK):
            continue  # not punctuation French spaces: "a :b", "x ?y"
        after = text[m.end() : m.end() + 2].lstrip(SPACES)[:1]
        if before.isdigit() and after.isdigit():
            continue
        yield Edit(m.start(), m.end(), m.group("mark"), "spacing")


_CJK_BEFORE = re.compile(rf"(?<=[{CJK_RANGES}”’」』）])[{SPACES}]*(?P<mark>[,.:;?!])[{SPACES}]*")


def cjk_punctuation(ctx: Context) -> Iterator[Edit]:
    """ASCII punctuation written after a Chinese or Japanese character in its full-width form
    (``，。：；？！``), without the spaces around it; a point before a letter or digit stays
    (``Node.js``)."""
    table = typography().fullwidth.get(ctx.locale.language)
    if not table:
        return
    text = ctx.target
    for m in _CJK_BEFORE.finditer(text):
        mark, nxt = m.group("mark"), text[m.end() : m.end() + 1]
        if ctx.protected.overlaps(m.start() - 1, m.start()) or (
            nxt and ctx.protected.overlaps(m.end(), m.end() + 1)
        ):
            continue  # spaces around a protected span stay: they delimit it
        if mark not in table or (nxt and nxt.isascii() and nxt.isalnum() and mark in ".:"):
            continue
        if nxt.isdigit():
            continue
        yield Edit(m.start(), m.end(), table[mark], "punctuation")
