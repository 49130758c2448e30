"""Segments that need no translation (URLs, e-mail addresses, @handles, numbers, code) pass through.

The rules are regular expressions in ``translate/data/passthrough.json`` (the URL, e-mail, handle
and hashtag ones named from ``spans.json``); a segment passes through
when, trimmed, it is one of them or a list of them separated by spaces, commas, semicolons,
bullets or slashes. Such segments keep their source text and get ``origin="passthrough"``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Mapping
from pathlib import Path

from translate._io import read_data
from translate.errors import ConfigError
from translate.spans import span_patterns

RULES_FILE = "passthrough.json"
_SEPARATOR = re.compile(r"\s*[,;|/\u00b7\u2022]\s*|\s+")
# Whitespace runs and separator characters: the places where a list item may end.
_ATOM = re.compile(r"(\s+|[,;|/\u00b7\u2022])")
# The most chunks one list item or separator may span ("10 000 000 €" spans four).
_MAX_SPAN = 8


class PassthroughRules:
    """Named full-match patterns; :meth:`rule_for` names the rule a segment satisfies."""

    def __init__(self, patterns: Mapping[str, str], *, origin: str = RULES_FILE) -> None:
        try:
            self.patterns = {name: re.compile(p) for name, p in patterns.items()}
        except (re.error, TypeError, AttributeError) as err:
            raise ConfigError(
                f"{origin}: bad pass-through pattern ({err}); fix the regex."
            ) from None
        canon = json.dumps(dict(sorted(patterns.items())), ensure_ascii=False)
        self.digest = hashlib.sha256(canon.encode("utf-8")).hexdigest()[:16]

    @classmethod
    def load(cls, path: str | os.PathLike[str] | None = None) -> PassthroughRules:
        """The bundled rules, or those in the JSON file at ``path``: ``{"spans": [names],
        "patterns": {name: regex}}``, ``spans`` naming patterns of the bundled ``spans.json``
        (URL, e-mail, handle, hashtag), matched before the file's own."""
        origin = str(path) if path is not None else RULES_FILE
        try:
            text = read_data(RULES_FILE) if path is None else Path(path).read_text("utf-8")
            data = json.loads(text)
            own = data["patterns"]
            shared = data.get("spans", [])
        except OSError as err:
            raise ConfigError(f"{origin}: cannot read pass-through rules ({err}).") from None
        except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as err:
            raise ConfigError(
                f'{origin}: malformed pass-through rules ({err}); expected {{"patterns": {{name: regex}}}}.'
            ) from None
        if not isinstance(own, dict):
            return cls(own, origin=origin)  # the constructor names the problem
        return cls({**span_patterns(shared, origin=origin), **own}, origin=origin)

    @staticmethod
    def bundled_patterns() -> dict[str, str]:
        """Name → regex of the bundled rules (``passthrough.json``, with its ``spans.json`` ones)."""
        data = json.loads(read_data(RULES_FILE))
        return {**span_patterns(data.get("spans", [])), **data["patterns"]}

    def rule_for(self, text: str) -> str | None:
        """The name of the rule that makes ``text`` untranslatable, or None to translate it."""
        stripped = text.strip()
        if not stripped:
            return "no_letters"
        for name, pattern in self.patterns.items():
            if pattern.fullmatch(stripped):
                return name
        return "list" if self._is_list(stripped) else None

    def _is_list(self, text: str) -> bool:
        """Whether ``text`` is several patterns joined by separators.

        Dynamic programming over the chunks between whitespace runs and separator characters
        keeps the time linear: one regular expression alternating the patterns with separators
        backtracks exponentially on a long run of numbers followed by a word.
        """
        parts = _ATOM.split(text)
        chunks, atoms = parts[0::2], parts[1::2]  # atoms[k] lies between chunks k and k + 1
        n = len(chunks)
        if n < 2 or not self.patterns:
            return False
        starts = [True] + [False] * n  # an item may start at chunk i
        ends = [False] * (n + 1)  # an item may end just before atom j - 1 (after chunk j - 1)
        for i in range(n + 1):
            if ends[i] and i < n:
                # A separator: atoms i-1, i, ... with only empty chunks between them.
                sep, m = atoms[i - 1], i
                while m < min(n, i + _MAX_SPAN):
                    if _SEPARATOR.fullmatch(sep):
                        starts[m] = True
                    if chunks[m] or m + 1 >= n:
                        break
                    sep, m = sep + atoms[m], m + 1
            if starts[i] and i < n:
                item = chunks[i]
                for j in range(i + 1, min(n, i + _MAX_SPAN) + 1):
                    if j > i + 1:
                        item += atoms[j - 2] + chunks[j - 1]
                    if not ends[j] and any(p.fullmatch(item) for p in self.patterns.values()):
                        ends[j] = True
        return ends[n]
