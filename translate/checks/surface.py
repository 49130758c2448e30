"""Surface checks that Translate Toolkit's pofilter also runs: punctuation, spacing, case, loops.

Each compares the target with its source, so a property the source has itself (a doubled word,
a double space, a lowercase start) is never a finding. The tables they use (punctuation
equivalents, words that may be doubled, loop lengths) live in ``checks.json``'s ``surface``.
"""

from __future__ import annotations

import json
import re
from functools import cache

from translate._io import read_data
from translate._text import CJK
from translate.checks.config import Context, base_lang

__all__ = ["SURFACE_CHECKS"]

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_LEADING = re.compile(r"[\s«“\"‘'(\[{¿¡—–\-•*]*")


def _final_marks(text: str, closers: str, classes: dict[str, str]) -> list[tuple[str, str]]:
    """``(class, mark)`` of the punctuation ending ``text``, innermost last, through closing
    quotes and brackets: ``liquidez?».`` ends with a question mark and a period."""
    marks = sorted(classes, key=len, reverse=True)
    found: list[tuple[str, str]] = []
    core = text.rstrip()
    while core:
        stripped = core.rstrip(closers)
        mark = next((m for m in marks if stripped.endswith(m)), None)
        if mark is None:
            break
        found.append((classes[mark], mark))
        core = stripped[: -len(mark)]
    return found


def _check_end_punctuation(ctx: Context) -> list[str]:
    rules = ctx.cfg.data["surface"]["end_punctuation"]
    classes = {mark: name for name, marks in rules["classes"].items() for mark in marks}
    closers = rules["closers"]
    src = _final_marks(ctx.source, closers, classes)
    if not src or not ctx.target.strip():
        return []
    tgt = _final_marks(ctx.target, closers, classes)
    if {c for c, _ in src} & {c for c, _ in tgt}:
        return []
    if not tgt:
        return [f"the final {src[0][1]!r} of the source is lost"]
    return [f"the final {src[0][1]!r} of the source became {tgt[0][1]!r}"]


def _edges(text: str) -> tuple[str, str]:
    core = text.strip()
    if not core:
        return text, ""
    start = text.index(core)
    return text[:start], text[start + len(core) :]


def _check_whitespace(ctx: Context) -> list[str]:
    if not ctx.target.strip():
        return []
    (s_lead, s_trail), (t_lead, t_trail) = _edges(ctx.source), _edges(ctx.target)
    problems = []
    if s_lead != t_lead:
        problems.append(f"leading whitespace {t_lead!r} differs from the source's {s_lead!r}")
    if s_trail != t_trail:
        problems.append(f"trailing whitespace {t_trail!r} differs from the source's {s_trail!r}")
    return problems


def _doubled(text: str, allowed: set[str]) -> list[str]:
    """Words written twice in a row: ``the the``, and ``April, April,`` (same punctuation)."""
    words = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]
    found = []
    for n, ((a, _, a_end), (b, b_start, b_end)) in enumerate(zip(words, words[1:], strict=False)):
        around = [w for w, _, _ in (words[n - 1 : n] + words[n + 2 : n + 3])]
        if any(w.casefold() == a.casefold() for w in around):
            continue  # three or more in a row: the repetition check's loop
        gap = text[a_end:b_start]
        mark = gap.strip()
        same = not mark or (mark in ",;:" and text[b_end : b_end + 1] == mark)
        doubled = a.casefold() == b.casefold() and same and gap[-1:].isspace()
        if doubled and a.casefold() not in allowed:
            found.append(a)
    return found


def _check_doubled_word(ctx: Context) -> list[str]:
    table = ctx.cfg.data["surface"]["doubled_word_allowed"]
    allowed = {w.casefold() for w in table.get(base_lang(ctx.lang), [])}
    # the source's own doublings ("non non") may be translated as doublings
    words = _doubled(ctx.target, allowed)[len(_doubled(ctx.source, set())) :]
    return [f"the word {w!r} is doubled ({w} {w})" for w in dict.fromkeys(words)]


def _check_double_space(ctx: Context) -> list[str]:
    inner = ctx.target.strip()
    if "  " in inner and "  " not in ctx.source.strip():
        return [f"double space in the target ({inner.count('  ')}×)"]
    return []


def _first_letter(text: str) -> str:
    rest = text[_LEADING.match(text).end() :]  # type: ignore[union-attr]
    return rest[:1] if rest[:1].isalpha() else ""


def _check_start_case(ctx: Context) -> list[str]:
    src, tgt = _first_letter(ctx.source), _first_letter(ctx.target)
    if not src or not tgt or CJK.match(tgt) or tgt.upper() == tgt.lower():
        return []  # no letter, or a script without case (CJK, Arabic, Hebrew...)
    rest = ctx.target[_LEADING.match(ctx.target).end() :]  # type: ignore[union-attr]
    first = _WORD.match(rest)
    word = first.group() if first else ""
    kept = word and re.search(rf"(?<!\w){re.escape(word)}(?!\w)", ctx.source)
    if kept or (len(word) > 1 and word.isupper()):
        return []  # a name or acronym kept from the source ("GPU", "TechFlow")
    nouns = ctx.cfg.data["surface"]["capitalised_nouns"]
    if not src.isupper() and tgt.isupper() and base_lang(ctx.lang) in nouns:
        return []  # German capitalises nouns: "la bataille" -> "Der Kampf"
    if src.isupper() != tgt.isupper():
        side = "a capital" if src.isupper() else "a lowercase letter"
        return [f"the source starts with {side}, the target with {tgt!r}"]
    return []


def _char_loops(text: str, max_unit: int, repeats: int, single: int) -> list[str]:
    """Letter units repeated in a row inside a word: ``ÀÀÀÀÀ``, ``cryptocryptocrypto``."""
    found: list[str] = []
    folded = text.casefold()
    for word in _WORD.findall(folded):
        for unit in range(1, min(max_unit, len(word) // 2) + 1):
            need = single if unit == 1 else repeats
            i = 0
            while i + unit * need <= len(word):
                piece = word[i : i + unit]
                k = 1
                while word[i + k * unit : i + (k + 1) * unit] == piece:
                    k += 1
                if k >= need and piece.isalpha() and not any(piece in f for f in found):
                    found.append(piece)
                    i += k * unit
                else:
                    i += 1
    return found


def _check_char_loop(ctx: Context) -> list[str]:
    rules = ctx.cfg.data["surface"]["char_loop"]
    if base_lang(ctx.lang) in ctx.cfg.data["repetition"]["char_languages"]:
        return []  # loops of characters are the repetition check's there
    args = (int(rules["max_unit"]), int(rules["min_repeats"]), int(rules["min_single_repeats"]))
    in_source = set(_char_loops(ctx.source, *args))
    return [
        f"{unit!r} repeats in a row inside a word (character loop)"
        for unit in _char_loops(ctx.target, *args)
        if unit not in in_source
    ]


@cache
def _bullet() -> re.Pattern[str]:
    """A list bullet (the segmenter's ``list_bullets``, not enumerators: ``12. Juni`` is a date)."""
    bullets = json.loads(read_data("segment/fr/rules.json"))["list_bullets"]
    alternation = "|".join(re.escape(b) for b in sorted(bullets, key=len, reverse=True))
    return re.compile(rf"\s*(?:{alternation})[^\S\n]+(?=\S)")


def _check_leading_bullet(ctx: Context) -> list[str]:
    """The segmenter keeps a list item's bullet in the layout: a target that starts with one of
    its own renders ``- - item`` in the rebuilt document."""
    bullet = _bullet()
    m = bullet.match(ctx.target)
    if m and not bullet.match(ctx.source):
        return [f"the target starts with a list bullet {m.group().strip()!r} its source lacks"]
    return []


SURFACE_CHECKS = {
    "end_punctuation": _check_end_punctuation,
    "whitespace": _check_whitespace,
    "doubled_word": _check_doubled_word,
    "double_space": _check_double_space,
    "start_case": _check_start_case,
    "char_loop": _check_char_loop,
    "leading_bullet": _check_leading_bullet,
}
