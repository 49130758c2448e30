"""Verbatim spans inside a segment (URLs, e-mail addresses, @handles, code, versions) are protected.

A segment that mixes words and a URL is translated, and a model may mangle the URL, a critical
QA failure. Before decoding, :meth:`ProtectRules.find` locates such spans with the patterns of
``translate/data/protect.json`` (which reuses ``spans.json``'s and ``passthrough.json``'s by name); each span becomes a
do-not-translate :class:`~translate.units.TermConstraint` that the constrained decoder must
produce verbatim, through every leg of a pivot chain; :func:`verify` then reports, per span,
whether the translation kept it. Pure: no model, no torch.

A span the target tokenizer cannot spell (a character outside its vocabulary) cannot be
enforced; the decoder leaves it out, as it does glossary terms, and :func:`verify` reports it
missing if the model did not copy it on its own.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from translate._io import read_data
from translate.errors import ConfigError
from translate.passthrough import PassthroughRules
from translate.spans import SpanFinder, default_trim, span_patterns
from translate.terms import verify as verify_constraints
from translate.units import TermConstraint, TermMatch, TermResult

__all__ = ["RULES_FILE", "ProtectRules", "constraints_for", "verify"]

RULES_FILE = "protect.json"
SOURCE_LANG = "fr"  # a span is required in its source spelling whatever the language
#: ``TermMatch.entry_id`` of a protected span is this prefix and the name of its pattern.
ENTRY_PREFIX = "protect:"


class ProtectRules:
    """Named search patterns for verbatim spans; :meth:`find` returns them as :class:`TermMatch`.

    Args:
        patterns: name → Python regular expression.
        trim: trailing characters cut off a match (closing brackets only when unbalanced).
        origin: where the rules came from, for error messages.

    Raises:
        ConfigError: a pattern is not a valid regular expression.
    """

    def __init__(
        self, patterns: Mapping[str, str], trim: str = "", *, origin: str = RULES_FILE
    ) -> None:
        # A span is a whole token: never glued to a word character on either side.
        self._finder = SpanFinder(patterns, trim, origin=origin, what="protect")
        self.patterns = self._finder.patterns
        self.trim = self._finder.trim
        canon = json.dumps([dict(sorted(patterns.items())), self.trim], ensure_ascii=False)
        self.digest = hashlib.sha256(canon.encode("utf-8")).hexdigest()[:16]

    @classmethod
    def load(cls, path: str | os.PathLike[str] | None = None) -> ProtectRules:
        """The bundled rules, or those in the JSON file at ``path``.

        The file holds ``{"spans": [names], "passthrough": [names], "patterns": {name: regex},
        "trim": chars}``; names in ``spans`` refer to the bundled ``spans.json`` patterns, those
        in ``passthrough`` to ``passthrough.json``'s; ``trim`` defaults to ``spans.json``'s.

        Raises:
            ConfigError: the file cannot be read, is malformed, or names an unknown pattern.
        """
        origin = str(path) if path is not None else RULES_FILE
        try:
            text = read_data(RULES_FILE) if path is None else Path(path).read_text("utf-8")
            data = json.loads(text)
            shared = list(data.get("spans", []))
            reused = list(data.get("passthrough", []))
            own = dict(data.get("patterns", {}))
            trim = str(data.get("trim", default_trim()))
            known = PassthroughRules.bundled_patterns()
        except OSError as err:
            raise ConfigError(f"{origin}: cannot read protect rules ({err}).") from None
        except (json.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError) as err:
            raise ConfigError(
                f'{origin}: malformed protect rules ({err}); expected {{"spans": [names], '
                '"passthrough": [names], "patterns": {name: regex}, "trim": chars}.'
            ) from None
        unknown = [n for n in reused if n not in known]
        if unknown:
            raise ConfigError(
                f"{origin}: unknown pass-through pattern {unknown[0]!r}; "
                f"valid names: {', '.join(known)}."
            )
        patterns = span_patterns(shared, origin=origin)
        patterns.update({name: known[name] for name in reused})
        patterns.update(own)
        return cls(patterns, trim, origin=origin)

    def find(self, text: str) -> list[TermMatch]:
        """Protected spans of ``text``: leftmost-longest, non-overlapping, in text order."""
        out: list[TermMatch] = []
        for start, end, name in self._finder.find(text):
            span = text[start:end]
            out.append(TermMatch(start, end, span, span, ENTRY_PREFIX + name, dnt=True))
        return out


def constraints_for(spans: Iterable[TermMatch]) -> list[TermConstraint]:
    """One do-not-translate constraint per span: the exact span, in every language."""
    return [
        TermConstraint(s.text, targets={"fr": (s.text,)}, dnt=True, match=s, verbatim=True)
        for s in spans
    ]


def verify(target: str, spans: Sequence[TermMatch]) -> tuple[TermResult, ...]:
    """Whether each span appears verbatim in ``target``, one occurrence per span (spans with
    the same text need separate occurrences; different spans may overlap, ``x.com`` inside
    ``x.com/a``, as the decoder counts them).

    An occurrence must be a whole token (:func:`translate._text.token_occurrences`): not glued
    to a letter or digit where the span starts or ends with one (``@binance`` is not kept by
    ``@binances``), nor run on into a longer URL or address (``https://okx.com/fr`` is not kept
    by ``https://okx.com/fris`` or ``.../fr/en``), unless it lies inside a kept occurrence of
    another span that contains it, as the decoder counts them; CJK characters, written without
    spaces, may touch it. The routine is :func:`translate.terms.verify`, which glossary terms
    share.
    """
    return verify_constraints(target, constraints_for(spans), SOURCE_LANG)
