"""Segments that need no translation (URLs, e-mail addresses, @handles, numbers, code) pass through.

The rules are regular expressions in ``translate/data/passthrough.json``; a segment passes through
when, trimmed, it is one of them or a list of them separated by spaces, commas, semicolons,
bullets or slashes. Such segments keep their source text and get ``origin="passthrough"``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Mapping
from importlib import resources
from pathlib import Path

from translate.errors import ConfigError

RULES_FILE = "passthrough.json"
_SEPARATOR = r"(?:\s*[,;|/\u00b7\u2022]\s*|\s+)"


class PassthroughRules:
    """Named full-match patterns; :meth:`rule_for` names the rule a segment satisfies."""

    def __init__(self, patterns: Mapping[str, str], *, origin: str = RULES_FILE) -> None:
        try:
            self.patterns = {name: re.compile(p) for name, p in patterns.items()}
        except (re.error, TypeError, AttributeError) as err:
            raise ConfigError(
                f"{origin}: bad pass-through pattern ({err}); fix the regex."
            ) from None
        if not self.patterns:
            self._list = None
        else:
            alt = "|".join(f"(?:{p})" for p in patterns.values())
            self._list = re.compile(f"(?:{alt})(?:{_SEPARATOR}(?:{alt}))+")
        canon = json.dumps(dict(sorted(patterns.items())), ensure_ascii=False)
        self.digest = hashlib.sha256(canon.encode("utf-8")).hexdigest()[:16]

    @classmethod
    def load(cls, path: str | os.PathLike[str] | None = None) -> PassthroughRules:
        """The bundled rules, or those in the JSON file at ``path`` (``{"patterns": {name: re}}``)."""
        origin = str(path) if path is not None else RULES_FILE
        try:
            if path is None:
                text = (
                    resources.files("translate")
                    .joinpath("data")
                    .joinpath(RULES_FILE)
                    .read_text("utf-8")
                )
            else:
                text = Path(path).read_text(encoding="utf-8")
            data = json.loads(text)
            patterns = data["patterns"]
        except OSError as err:
            raise ConfigError(f"{origin}: cannot read pass-through rules ({err}).") from None
        except (json.JSONDecodeError, KeyError, TypeError) as err:
            raise ConfigError(
                f'{origin}: malformed pass-through rules ({err}); expected {{"patterns": {{name: regex}}}}.'
            ) from None
        return cls(patterns, origin=origin)

    def rule_for(self, text: str) -> str | None:
        """The name of the rule that makes ``text`` untranslatable, or None to translate it."""
        stripped = text.strip()
        if not stripped:
            return "no_letters"
        for name, pattern in self.patterns.items():
            if pattern.fullmatch(stripped):
                return name
        if self._list is not None and self._list.fullmatch(stripped):
            return "list"
        return None
