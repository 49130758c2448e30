"""Language tags: the one parser for every place that reads a language code.

Tags have the BCP 47 shape (``language[-Script][-REGION][-variant...]``) and are read
case-insensitively, with ``_`` or ``-`` between subtags; they are written the BCP 47 way:
language lower case, script title case, region upper case (``EN`` → ``en``, ``en_us`` →
``en-US``, ``ZH-hant-tw`` → ``zh-Hant-TW``). The CLI, glossary columns, the translation memory
and the exports all normalise with :func:`normalize_tag`, so ``pt_br`` on the command line and
``pt-BR`` in a glossary header name the same language; :func:`known_languages` lists the
language subtags the toolkit accepts (``translate/data/glossary/languages.txt``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from translate._io import read_data
from translate.errors import LanguageTagError

__all__ = [
    "LanguageTag",
    "base_language",
    "base_or_none",
    "is_known",
    "is_tag",
    "known_languages",
    "normalize_tag",
    "parse_tag",
    "tag_key",
]

_SUBTAG = re.compile(r"[A-Za-z0-9]{1,8}")
_LANGUAGE = re.compile(r"[A-Za-z]{2,8}")
_SCRIPT = re.compile(r"[A-Za-z]{4}")
_REGION = re.compile(r"[A-Za-z]{2}|[0-9]{3}")
_MAX_LENGTH = 64


@dataclass(frozen=True)
class LanguageTag:
    """A parsed tag; ``str()`` gives its normal form."""

    language: str
    script: str | None = None
    region: str | None = None
    rest: tuple[str, ...] = ()  # variants, extensions and private use, lower case

    def __str__(self) -> str:
        parts = [self.language, self.script, self.region, *self.rest]
        return "-".join(p for p in parts if p)


def parse_tag(text: str) -> LanguageTag:
    """Parse a language tag such as ``fr``, ``en_us``, ``zh-Hant`` or ``pt-BR``.

    Raises:
        LanguageTagError: ``text`` is not a tag (empty, a character other than letters, digits,
            ``-`` and ``_``, an empty or over-long subtag, or a first subtag that is not 2 to 8
            letters).
    """
    raw = text.strip() if isinstance(text, str) else ""
    parts = raw.replace("_", "-").split("-") if raw else []
    if (
        not parts
        or len(raw) > _MAX_LENGTH
        or not _LANGUAGE.fullmatch(parts[0])
        or not all(_SUBTAG.fullmatch(p) for p in parts[1:])
    ):
        shown = text if isinstance(text, str) else type(text).__name__
        raise LanguageTagError(
            f"{shown!r} is not a language tag; write an ISO 639 code such as en, de or zh, "
            "optionally with a script or region (zh-Hant, pt-BR)."
        )
    language, script, region = parts[0].lower(), None, None
    i = 1
    if i < len(parts) and _SCRIPT.fullmatch(parts[i]):
        script, i = parts[i].title(), i + 1
    if i < len(parts) and _REGION.fullmatch(parts[i]):
        region, i = parts[i].upper(), i + 1
    return LanguageTag(language, script, region, tuple(p.lower() for p in parts[i:]))


def normalize_tag(text: str) -> str:
    """``text`` in normal form (``EN-us`` → ``en-US``).

    Raises:
        LanguageTagError: ``text`` is not a tag.
    """
    return str(parse_tag(text))


def base_language(text: str) -> str:
    """The language subtag of ``text``, lower case (``pt_BR`` → ``pt``).

    Raises:
        LanguageTagError: ``text`` is not a tag.
    """
    return parse_tag(text).language


def is_tag(text: str) -> bool:
    """Whether ``text`` parses as a language tag."""
    try:
        parse_tag(text)
    except LanguageTagError:
        return False
    return True


def base_or_none(text: str | None) -> str | None:
    """The language subtag of ``text``, or None when it is not a tag (for lookups that fall
    back to a default: metric tokenizers, QA tables, per-language thresholds)."""
    return base_language(text) if text is not None and is_tag(text) else None


def tag_key(text: str) -> str:
    """A case-insensitive key for ``text``: its normal form lower-cased (``en_US`` and
    ``EN-us`` → ``en-us``); text that is not a tag is only trimmed and lower-cased, so that
    language codes read from other tools' files still compare."""
    return normalize_tag(text).lower() if is_tag(text) else text.strip().lower()


@cache
def known_languages() -> frozenset[str]:
    """Language subtags the toolkit accepts (``translate/data/glossary/languages.txt``)."""
    words: list[str] = []
    for line in read_data("glossary/languages.txt").splitlines():
        words.extend(line.split("#", 1)[0].split())
    return frozenset(words)


def is_known(text: str) -> bool:
    """Whether ``text`` is a tag whose language subtag is in :func:`known_languages`."""
    return base_or_none(text) in known_languages()
