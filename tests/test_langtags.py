"""One language-tag parser: normal form, base language, clear errors."""

from __future__ import annotations

import pytest

from translate.errors import EXIT_USAGE, LanguageTagError
from translate.langtags import base_language, base_or_none, is_known, normalize_tag, tag_key

# written → normal form
NORMAL = {
    "EN": "en",
    " en ": "en",
    "en_us": "en-US",
    "EN-us": "en-US",
    "pt-br": "pt-BR",
    "zh-hant": "zh-Hant",
    "ZH_HANT_tw": "zh-Hant-TW",
    "es-419": "es-419",
    "de-CH-1996": "de-CH-1996",
    "fil": "fil",
}


@pytest.mark.parametrize(("tag", "normal"), NORMAL.items())
def test_tags_are_normalised_case_insensitively(tag: str, normal: str) -> None:
    assert normalize_tag(tag) == normal
    assert base_language(tag) == normal.split("-")[0]
    assert tag_key(tag) == normal.lower()


@pytest.mark.parametrize(
    "bad", ["", " ", "e", "en--us", "en us", "../x", "en/fr", "1en", "en-toolongsubtag"]
)
def test_malformed_tags_raise_one_clear_error(bad: str) -> None:
    with pytest.raises(LanguageTagError, match="not a language tag"):
        normalize_tag(bad)
    assert base_or_none(bad) is None and not is_known(bad)
    assert LanguageTagError.exit_code == EXIT_USAGE


def test_known_languages_are_those_of_the_bundled_list() -> None:
    assert is_known("pt_BR") and is_known("zh-Hant") and not is_known("xx")
