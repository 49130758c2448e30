"""Target-side text helpers shared by the engine, protection, checks and exports.

Where a term "stands" in a translation: CJK scripts are written without spaces, so they have no
word boundaries; other scripts need a whole word. :func:`term_occurrences` is the one search for
a required form in a text (glossary terms and protected spans alike), :func:`written_form` the
spelling an MT model can write. Pure: no model, no glossary.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "CJK",
    "CJK_RANGES",
    "altered_occurrences",
    "span_occurrences",
    "term_occurrences",
    "token_occurrences",
    "word_pattern",
    "written_form",
]

#: Kana, CJK ideographs and Hangul: scripts written without spaces, so with no word boundaries.
CJK_RANGES = "\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff"
CJK = re.compile(f"[{CJK_RANGES}]")


def written_form(form: str) -> str:
    """``form`` as an MT model writes it: NFKC-normalised with single spaces, as SentencePiece's
    ``nmt_nfkc`` normaliser reads every target term (``公有云（PaaS）`` → ``公有云(PaaS)``,
    ``ＡＩ`` → ``AI``, ``…`` → ``...``). The decoder cannot write the other spelling."""
    return " ".join(unicodedata.normalize("NFKC", form).split())


def term_occurrences(text: str, form: str) -> list[tuple[int, int]]:
    """Spans where ``form`` (or its :func:`written_form`) stands in ``text`` (see
    :meth:`Glossary.verify` for the rules)."""
    spans: set[tuple[int, int]] = set()
    for spelling in dict.fromkeys((form, written_form(form))):
        if not spelling:
            continue
        flags = 0 if any(c.isupper() for c in spelling) else re.IGNORECASE
        pattern = word_pattern(spelling).replace(r"\ ", r"\s+")
        spans.update((m.start(), m.end()) for m in re.finditer(pattern, text, flags))
    return sorted(spans)


def word_pattern(form: str) -> str:
    """``form`` (not empty) as a regex that neither starts nor ends inside a word; a CJK edge
    needs no boundary."""
    pattern = re.escape(form)
    if form[0].isalnum() and not CJK.match(form[0]):
        pattern = rf"(?<![^\W{CJK_RANGES}])" + pattern
    if form[-1].isalnum() and not CJK.match(form[-1]):
        pattern += rf"(?![^\W{CJK_RANGES}])"
    return pattern


# ---------------------------------------------------------------------------------------------


_GLUED = rf"[^\W_{CJK_RANGES}]"  # a letter or digit that continues a word
_GLUED_RUN = re.compile(rf"{_GLUED}*")


def _token_start(text: str, i: int) -> int:
    """Where the run of letters and digits that ends at ``text[i]`` starts."""
    while i and re.match(_GLUED, text[i - 1]):
        i -= 1
    return i


def _token_end(text: str, i: int) -> int:
    """Where the run of letters and digits that starts at ``text[i]`` ends."""
    m = _GLUED_RUN.match(text, i)
    return m.end() if m else i


def span_occurrences(text: str, form: str) -> list[tuple[int, int]]:
    """Spans of ``form`` in ``text``, exact case, or of its :func:`written_form` (the only
    spelling an MT model can write, e.g. ``ｘ.com`` → ``x.com``); an edge that is a letter or
    digit must not be glued to another (``@binance`` is not in ``@binances``)."""
    spans: set[tuple[int, int]] = set()
    for spelling in dict.fromkeys((form, written_form(form))):
        if not spelling:
            continue
        pattern = re.escape(spelling)
        if re.match(_GLUED, spelling[0]):
            pattern = rf"(?<!{_GLUED})" + pattern
        if re.match(_GLUED, spelling[-1]):
            pattern += rf"(?!{_GLUED})"
        spans.update((m.start(), m.end()) for m in re.finditer(pattern, text))
    return sorted(spans)


def altered_occurrences(text: str, form: str, *, min_chars: int = 3) -> list[tuple[int, int]]:
    """Tokens of ``text`` that hold ``form`` altered rather than kept: a near miss of a name.

    A near miss is ``form`` (or its :func:`written_form`) in exact case glued to more letters or
    digits (``TechFlow`` in ``TechFlowP``, ``MyTechFlow``, ``TechFlow2``; the whole token is
    returned), or standing as a whole word with its case or its spacing changed (``Techflow``,
    ``TECHFLOW``, ``Alibaba-Cloud``, ``AlibabaCloud``). Forms with fewer than ``min_chars``
    letters and digits are never near misses (``X`` is in ``Xi``). Letters of scripts written
    without spaces (CJK) never glue. Which of these tokens also keep ``form`` is the caller's
    question (:func:`term_occurrences` tells): only a text without a kept occurrence has a name
    altered rather than kept or missing.
    """
    if sum(ch.isalnum() for ch in form) < min_chars:
        return []
    spans: set[tuple[int, int]] = set()
    for spelling in dict.fromkeys((form, written_form(form))):
        if not spelling:
            continue
        glue_left, glue_right = (bool(re.match(_GLUED, ch)) for ch in (spelling[0], spelling[-1]))
        last = -1
        for m in re.finditer(re.escape(spelling), text):  # exact case, glued
            if m.start() < last:
                continue  # inside the token already reported (one scan per token: linear)
            start = _token_start(text, m.start()) if glue_left else m.start()
            end = _token_end(text, m.end()) if glue_right else m.end()
            if (start, end) != m.span():
                spans.add((start, end))
                last = end
        words = [re.escape(w) for w in spelling.split()]
        if not words:
            continue
        loose = word_pattern(spelling).replace(re.escape(spelling), r"[\s\-]*".join(words))
        spans.update(  # a whole word, re-cased or re-spaced
            (m.start(), m.end())
            for m in re.finditer(loose, text, re.IGNORECASE)
            if m.group() != spelling
        )
    return sorted(spans)


# What would make a longer token of a span, by the span's shape, glued before it or after it (past
# trailing sentence punctuation for URLs): "https://x.com/fr" is not kept by "https://x.com/fris",
# ".../fr/en" or ".../fr.html", "a@b.fr" not by "a@b.frx" or "xa@b.fr", "@TechFlowPost" not by
# "@TechFlowPostX". Only ASCII counts: CJK text, written without spaces, may touch a span. These
# sets mirror the spans.json patterns, so a span found in a text is always a whole token of it.
_URL_START = re.compile(r"(?:https?|ftp)://|www\.", re.IGNORECASE)
# The whole span must have the shape: a code span holding "@" (`a@b`) is no e-mail address.
_HANDLE = re.compile(r"@[A-Za-z0-9_]+")
_EMAIL = re.compile(r"[A-Za-z0-9_.+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")
_SHAPES = (  # (is this shape, glued before, runs on after)
    (lambda f: bool(_URL_START.match(f)), r"[A-Za-z0-9_@]", r"[{trim}]*(?![{trim}])[!-~]"),
    (lambda f: bool(_HANDLE.fullmatch(f)), r"[A-Za-z0-9_@]", r"[A-Za-z0-9_]"),
    # before an address, the span finder's own start rule (after a letter, digit, _ or @ no
    # span starts), so that a span found in a text is a whole token of it ("@-1@1.1", "@.a@b.fr")
    (lambda f: bool(_EMAIL.fullmatch(f)), r"[A-Za-z0-9_@]", r"[A-Za-z0-9_\-]|\.[A-Za-z0-9_]"),
)


def token_occurrences(text: str, form: str, trim: str) -> list[tuple[int, int]]:
    """:func:`span_occurrences` of ``form`` that stand as a whole token of ``text``: a URL, e-mail
    address or @handle must not run on into a longer one (``trim``: the sentence punctuation
    that may follow a URL); other spans only must not be glued to a letter or digit."""
    found = span_occurrences(text, form)
    for is_shape, before, after in _SHAPES:
        if is_shape(form):
            glued = re.compile(before)
            runs_on = re.compile(after.replace("{trim}", re.escape(trim)))
            return [
                (start, end)
                for start, end in found
                if not (start and glued.match(text[start - 1])) and not runs_on.match(text, end)
            ]
    return found
