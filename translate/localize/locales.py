"""Target locales: BCP 47 tags with a region (``en-GB``), normalised, and their defaults.

A locale picks its model chain by its language (``en-GB`` and ``en-US`` share one translation)
and drives the localization pass. Tags are case-insensitive and may use ``_`` (``EN_us`` is
``en-US``); a bare language takes its default locale from ``translate/data/localize/locales.json``
(CLDR's likely region: ``en`` → ``en-US``). A tag in the source language (``fr-CA``) is refused.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import babel

from translate._io import read_data
from translate.errors import ConfigError, LocaleError
from translate.langtags import base_language, parse_tag

__all__ = [
    "LOCALES_FILE",
    "Typography",
    "default_locale",
    "language_of",
    "locale_for",
    "locales_of",
    "normalise_tag",
    "parse_locale",
    "target_tags",
]

LOCALES_FILE = "localize/locales.json"
SOURCE_LANGUAGE = "fr"


@dataclass(frozen=True)
class Typography:
    """Languages that space their punctuation, and the full-width marks of CJK languages."""

    spaced: frozenset[str]
    fullwidth: Mapping[str, Mapping[str, str]]


@cache
def _data() -> Mapping[str, Any]:
    try:
        data = json.loads(read_data(LOCALES_FILE))
        if not isinstance(data.get("defaults"), dict) or not isinstance(
            data.get("typography"), dict
        ):
            raise ValueError("'defaults' and 'typography' must be objects")
    except (OSError, ValueError) as err:
        raise ConfigError(f"{LOCALES_FILE}: malformed locale data ({err}).") from None
    return data  # type: ignore[no-any-return]


@cache
def typography() -> Typography:
    """The typography table of the bundled locale data."""
    table = _data()["typography"]
    return Typography(frozenset(table.get("spaced_punctuation", ())), table.get("fullwidth", {}))


def locales_of(language: str) -> list[str]:
    """The locales ``translate models list`` shows for a language: its default first, then the
    others of the data file (any other region CLDR knows is a target too)."""
    shown = [str(t) for t in _data().get("shown", {}).get(language, ())]
    return list(dict.fromkeys([default_locale(language), *shown]))


def normalise_tag(text: str) -> str:
    """``text`` as a canonical BCP 47 tag (``EN_us`` → ``en-US``, ``zh-hant-tw`` → ``zh-Hant-TW``),
    through the toolkit's one tag parser (:mod:`translate.langtags`).

    Raises:
        LanguageTagError: ``text`` is not a language tag.
        LocaleError: it carries variants or extensions, which no locale here has.
    """
    tag = parse_tag(text)
    if tag.rest:
        raise LocaleError(
            f"{text!r} is not a locale; write a language and a region, e.g. en-GB or pt-BR"
        )
    return str(tag)


def default_locale(language: str) -> str:
    """The documented default locale of a bare language (``en`` → ``en-US``), else the
    language itself."""
    defaults = _data()["defaults"]
    return str(defaults.get(language, language))


def locale_for(tag: str) -> str:
    """The locale that localizes a target tag: the tag itself, or a bare language's default."""
    return default_locale(tag) if "-" not in tag else tag


def language_of(tag: str) -> str:
    """The language subtag of a locale tag: ``en-GB`` → ``en``."""
    return base_language(tag)


def target_tags(texts: Iterable[str]) -> list[str]:
    """``--to`` values as target tags: a bare language stays bare (``en``: files ``.en.``,
    localized as its default locale), a locale is normalised (``EN_gb`` → ``en-GB``) and
    checked; duplicates after normalisation are dropped.

    Raises:
        LocaleError: a tag is malformed, in the source language, or unknown to CLDR.
    """
    out: dict[str, None] = {}
    for text in texts:
        tag = normalise_tag(text)
        if "-" in tag:
            parse_locale(tag)
        elif tag == SOURCE_LANGUAGE:
            parse_locale(tag)  # raises: French is the source
        out.setdefault(tag, None)
    return list(out)


def parse_locale(text: str, languages: Iterable[str] | None = None) -> str:
    """The normalised target locale ``text`` names (a bare language → its default locale).

    Args:
        text: a tag such as ``en-GB``, ``EN_us`` or ``de``.
        languages: the languages a locale may be in (those with a model chain); any if None.

    Raises:
        LanguageTagError: not a tag.
        LocaleError: in the source language, no model for its language, or a locale CLDR
            does not know.
    """
    tag = normalise_tag(text)
    lang = language_of(tag)
    if lang == SOURCE_LANGUAGE:
        raise LocaleError(
            f"{text} is not a target locale: French is the source language; "
            "choose a target such as en-GB or de-CH"
        )
    allowed = sorted(languages) if languages is not None else None
    if allowed is not None and lang not in allowed:
        raise LocaleError(
            f"no model chain for the language of {text!r}; "
            f"valid languages: {', '.join(allowed)} (with a region, e.g. en-GB)"
        )
    if tag == lang:
        tag = default_locale(lang)
    region = tag.rpartition("-")[2] if "-" in tag else None
    try:
        known = babel.Locale.parse(tag.replace("-", "_"))
        if region and region[:1].isupper() and len(region) == 2 and known.territory != region:
            raise ValueError(region)  # Babel falls back to another region (en-ZZ → en_US)
    except (ValueError, babel.UnknownLocaleError):
        raise LocaleError(
            f"CLDR has no locale {tag}; use a locale CLDR knows, e.g. en-GB, de-CH or pt-BR"
        ) from None
    return tag
