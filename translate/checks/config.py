"""What every QA check reads: the parsed configuration and one segment's context."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from translate.langtags import base_or_none
from translate.spans import SpanFinder
from translate.units import SegmentMarkup

__all__ = ["LATIN", "SEVERITIES", "ChecksConfig", "Context", "base_lang"]

#: Severity levels from worst to mildest; the gate counts findings per level.
SEVERITIES = ("critical", "major", "minor")

LATIN = "A-Za-zÀ-ÖØ-öø-ÿ"


@dataclass(frozen=True)
class ChecksConfig:
    """The parsed ``checks.json``: which checks run, at what severity, with which tables."""

    data: Mapping[str, Any]
    path: str
    patterns: Mapping[str, re.Pattern[str]]
    #: The URL, e-mail and handle spans of the source (``spans.json``'s patterns, or the file's).
    links: SpanFinder

    @property
    def checks(self) -> Mapping[str, Mapping[str, Any]]:
        return self.data["checks"]  # type: ignore[no-any-return]

    def severity(self, name: str) -> str:
        return str(self.checks[name]["severity"])

    def enabled(self, name: str) -> bool:
        return bool(self.checks[name].get("enabled", True))


@dataclass(frozen=True)
class Context:
    """One translated segment as the checks see it."""

    source: str
    target: str
    lang: str
    dnt: tuple[str, ...]
    origin: str
    cfg: ChecksConfig
    markup: SegmentMarkup | None = None  # Markdown/HTML input: how its inline markup came back
    #: results two checks read (computed by the first that asks): ``dnt`` and ``dnt_altered``
    #: share one classification of the do-not-translate names
    shared: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


def base_lang(lang: str) -> str:
    """The language subtag that keys the per-language tables (``""`` for a malformed tag)."""
    return base_or_none(lang) or ""
