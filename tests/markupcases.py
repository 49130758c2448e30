"""Marked segments for the placeholder-order tests and eval: Markdown and HTML sentences with
nested and sibling inline tags, the engines that translate them, and which outputs needed
:func:`translate.markup.placeholders.restore`'s fallback."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from test_constrained import french_sentences

from translate.engine.base import DecodeOptions, translate_detailed
from translate.engine.chain import build_engines
from translate.markup import read_document
from translate.markup.placeholders import constraints_for, restore
from translate.units import SegmentMarkup

__all__ = ["copy_lines", "engine", "fallbacks", "marked_sentences"]

# Inline markup around word spans: (Markdown open, close), (HTML open, close); link and span
# targets carry attributes restore must give back.
_MD_PAIRS = [("**", "**"), ("*", "*"), ("[", "](https://exemple.fr/{n})")]
_HTML_PAIRS = [
    ("<b>", "</b>"),
    ("<i>", "</i>"),
    ('<a href="https://exemple.fr/{n}">', "</a>"),
    ('<span class="c{n}">', "</span>"),
]
_MD_PH, _HTML_PH = "`x{n}`", "<br>"


def _wrap(words: list[str], rng: random.Random, pairs: Sequence[tuple[str, str]], ph: str) -> str:
    """``words`` with two or three tag spans: siblings, one nested in another, and sometimes a
    standalone element (Markdown code, an HTML line break) inside or beside them."""
    n = len(words)
    a, b = sorted(rng.sample(range(n), 2))
    c = rng.randrange(b, n)
    spans = [(a, b)]  # outer pair [a, b]
    if b - a >= 2:  # a pair nested inside it
        i = rng.randrange(a + 1, b)
        spans.append((i, rng.randrange(i, b)))
    if c > b:  # a sibling after it
        spans.append((c, rng.randrange(c, n)))
    opens: dict[int, list[str]] = {}
    closes: dict[int, list[str]] = {}
    used: list[tuple[str, str]] = []
    for k, (s, e) in enumerate(spans):
        # nested emphasis of one kind reads differently in Markdown: never the same pair twice
        o, cl = next(p for p in rng.sample(list(pairs), len(pairs)) if p not in used)
        used.append((o, cl))
        opens.setdefault(s, []).append(o.format(n=k))
        closes.setdefault(e, []).insert(0, cl.format(n=k))
    out = []
    for i, w in enumerate(words):
        out.append("".join(opens.get(i, [])) + w + "".join(closes.get(i, [])))
    if rng.random() < 0.5:
        out.insert(rng.randrange(1, len(out) + 1), ph.format(n=9))
    return " ".join(out)


def marked_sentences(count: int, seed: int = 0) -> list[SegmentMarkup]:
    """``count`` segments with inline tags, half read from Markdown and half from HTML: bundled
    article sentences with word spans wrapped (see :func:`_wrap`)."""
    rng = random.Random(seed)
    pool = [s.rstrip(".") for s in french_sentences(400) if 4 <= len(s.split()) <= 18]
    out: list[SegmentMarkup] = []
    while len(out) < count:
        words = rng.choice(pool).split()
        if rng.random() < 0.5:
            text = _wrap(words, rng, _MD_PAIRS, _MD_PH) + ".\n"
            doc, _ = read_document(text, "markdown")
        else:
            text = "<p>" + _wrap(words, rng, _HTML_PAIRS, _HTML_PH) + ".</p>\n"
            doc, _ = read_document(text, "html")
        out += [m for m in doc.segment_markup.values() if len(m.tags) >= 2][: count - len(out)]
    return out


def fallbacks(
    engine: Any, marks: Sequence[SegmentMarkup]
) -> list[tuple[str, str, tuple[str, ...]]]:
    """The segments whose translation needed restore's fallback: (source, output, issues)."""
    outs = translate_detailed(
        engine, [m.source for m in marks], [constraints_for(m) for m in marks]
    )
    bad = []
    for m, out in zip(marks, outs, strict=True):
        issues = restore(m, out.text).markup.issues
        if issues:
            bad.append((m.source, out.text, issues))
    return bad


_ENGINES: dict[tuple[Any, ...], Any] = {}


def engine(paths: dict[str, str], beams: int, backend: str) -> Any:
    """The engine of ``paths`` (``fr-en``, and ``en-zh`` for a pivot through English), built
    once per process (a CTranslate2 model is converted once)."""
    key = (tuple(sorted(paths.items())), beams, backend)
    if key not in _ENGINES:
        opts = DecodeOptions(
            num_beams=beams,
            max_length_a=1.0,
            max_length_b=8,
            device="cpu",
            engine=backend,
            threads=1,
        )
        target = "zh" if "en-zh" in paths else "en"
        _ENGINES[key] = build_engines([target], models=paths, options=opts)[target]
    return _ENGINES[key]


def copy_lines(count: int = 300) -> list[str]:
    """Training text for a copy model that writes placeholders itself: marked segments (other
    sentences than the tests translate) and plain sentences, shuffled."""
    lines = [m.source for m in marked_sentences(count, seed=100)] + french_sentences(400)[::2]
    random.Random(0).shuffle(lines)
    return lines
