"""Localization: a translation rewritten in a target locale's conventions, every change recorded.

MarianMT copies French conventions into its output (``94,82``, ``13,8 %``, ``« »``, ``le 30 avril
2025``, a space before ``?``). :func:`localize` rewrites those forms the way CLDR says the target
locale writes them, touching only what the French source licenses, never protected spans or
glossary terms, and returns the new text with one :class:`~translate.units.LocalizedChange` per
edit. Running it twice changes nothing more. Pure: no model, no torch.
"""

from translate.localize.cldr import LocaleData, cldr_version, locale_data
from translate.localize.cldr import provenance as _cldr_provenance
from translate.localize.locales import (
    default_locale,
    language_of,
    locale_for,
    normalise_tag,
    parse_locale,
)
from translate.localize.passes import RULES, Localized, is_locale_neutral, localize, localize_lines

__all__ = [
    "RULES",
    "LocaleData",
    "Localized",
    "cldr_version",
    "default_locale",
    "is_locale_neutral",
    "language_of",
    "locale_data",
    "locale_for",
    "localize_provenance",
    "localize",
    "localize_lines",
    "normalise_tag",
    "parse_locale",
]


def localize_provenance(tag: str) -> dict[str, str]:
    """The signature of the pass for a target tag (its locale, Babel and CLDR releases)."""
    return _cldr_provenance(locale_for(tag))
