"""Verbatim-span patterns (URL, e-mail, @handle, #hashtag, domain name): one home, reused by name.

``translate/data/spans.json`` holds each pattern once. The pass-through filter (whole segments
left untranslated), protection (spans the decoder must copy), the QA ``urls`` check, the glossary
matcher (no term inside a link) and the segmenter (``link`` segments) read them from here by
name, so that they agree on what a URL or a handle is. Searched in a text, a span is a whole
token and loses trailing punctuation (:class:`SpanFinder`). Pure: no model.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from translate._io import read_data
from translate.errors import ConfigError

__all__ = ["SPANS_FILE", "SpanFinder", "default_trim", "span_patterns", "token_pattern"]

SPANS_FILE = "spans.json"
_OPENERS = {")": "(", "]": "[", "}": "{"}


@cache
def _data() -> dict[str, Any]:
    return dict(json.loads(read_data(SPANS_FILE)))


def span_patterns(names: Iterable[str], *, origin: str = SPANS_FILE) -> dict[str, str]:
    """The ``spans.json`` patterns called ``names``, in that order (name → regex).

    Raises:
        ConfigError: a name is not in ``spans.json`` (``origin`` names the file that asked).
    """
    known: Mapping[str, str] = _data()["patterns"]
    if isinstance(names, str):
        names = [names]
    try:
        wanted = list(names)
        unknown = [n for n in wanted if n not in known]
    except TypeError:
        raise ConfigError(f"{origin}: 'spans' must be a list of pattern names.") from None
    if unknown:
        raise ConfigError(
            f"{origin}: unknown span pattern {unknown[0]!r}; valid names: {', '.join(known)}."
        )
    return {name: known[name] for name in wanted}


def default_trim() -> str:
    """Characters cut off the end of a span found in a text (``spans.json``'s ``trim``)."""
    return str(_data()["trim"])


def token_pattern(pattern: str) -> str:
    """``pattern`` as a whole token: never glued to a word character or ``@`` before it, nor to
    a word character after it (``@binance`` is not inside ``x@binance.com`` or ``@binances``)."""
    return rf"(?<![\w@])(?:{pattern})(?!\w)"


class SpanFinder:
    """Named span patterns searched in a text: leftmost-longest, non-overlapping, trimmed.

    Args:
        patterns: name → Python regular expression (searched as a whole token).
        trim: trailing characters cut off a match (closing brackets only when unbalanced).
        origin: where the patterns came from, for error messages.
        flags: :mod:`re` flags for every pattern.
        what: what the patterns are, for error messages.

    Raises:
        ConfigError: a pattern is not a valid regular expression.
    """

    def __init__(
        self,
        patterns: Mapping[str, str],
        trim: str = "",
        *,
        origin: str = SPANS_FILE,
        flags: int = 0,
        what: str = "span",
    ) -> None:
        try:
            self.patterns = {
                name: re.compile(token_pattern(p), flags) for name, p in patterns.items()
            }
        except (re.error, TypeError) as err:
            raise ConfigError(f"{origin}: bad {what} pattern ({err}); fix the regex.") from None
        self.trim = str(trim)

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """``(start, end, pattern name)`` of each span of ``text``, in text order."""
        found: list[tuple[int, int, str]] = []
        for name, pattern in self.patterns.items():
            for m in pattern.finditer(text):
                end = self._trimmed_end(text, m.start(), m.end())
                if end > m.start():
                    found.append((m.start(), end, name))
        found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
        out: list[tuple[int, int, str]] = []
        last = 0
        for start, end, name in found:
            if start >= last:
                out.append((start, end, name))
                last = end
        return out

    def _trimmed_end(self, text: str, start: int, end: int) -> int:
        while end > start and text[end - 1] in self.trim:
            ch = text[end - 1]
            opener = _OPENERS.get(ch)
            span = text[start:end]
            if opener is not None and span.count(opener) >= span.count(ch):
                break  # a balanced bracket belongs to the span: https://x.org/Foo_(bar)
            end -= 1
        return end
