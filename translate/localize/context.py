"""What every localization rule reads (the segment pair and the locale) and what it proposes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from translate.localize.cldr import LocaleData
from translate.localize.reader import SpanSet

__all__ = ["Context", "Edit"]


class Edit(NamedTuple):
    """Replace ``target[start:end]`` with ``text``; ``rule`` names the rule that asked."""

    start: int
    end: int
    text: str
    rule: str


@dataclass(frozen=True)
class Context:
    """A French source, its translation, the locale it is for, and the target spans no rule may
    touch (URLs, code, glossary terms...)."""

    source: str
    target: str
    locale: LocaleData
    protected: SpanSet = field(default_factory=SpanSet)
