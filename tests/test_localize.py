"""The localization pass, per locale, as tables of cases: what it rewrites, what it must not touch.

Expected forms are CLDR's (through Babel and the bundled delimiters): a case that fails after a
CLDR update shows which convention moved. ``NB`` is a no-break space, ``NNB`` a narrow one.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from translate.cli import main
from translate.errors import LanguageTagError, LocaleError
from translate.localize import locale_data, localize, parse_locale
from translate.localize.reader import read_numbers

NB, NNB = "\u00a0", "\u202f"

# (locale, French source, translation, expected localized translation)
REWRITES: list[tuple[str, str, str, str]] = [
    # decimal and grouping separators, minimum grouping digits
    ("en-US", "94,82 milliards de yuans", "94,82 billion yuan", "94.82 billion yuan"),
    ("en-GB", "94,82 milliards de yuans", "94,82 billion yuan", "94.82 billion yuan"),
    ("en-US", "10 000 personnes", "10 000 people", "10,000 people"),
    ("en-US", "10\u202f000 personnes", "10\u202f000 people", "10,000 people"),
    ("en-US", "1 000 personnes", "1 000 people", "1,000 people"),
    ("de-DE", "10 000 personnes", "10 000 Personen", "10.000 Personen"),
    ("de-DE", "3,5 millions", "3.5 Millionen", "3,5 Millionen"),
    ("de-AT", "10 000 personnes", "10 000 Personen", "10.000 Personen"),
    ("de-CH", "10 000 personnes", "10 000 Personen", "10'000 Personen"),
    ("de-CH", "3,5 millions", "3,5 Millionen", "3.5 Millionen"),
    ("es-ES", "10 000 personnes", "10 000 personas", "10.000 personas"),
    ("es-ES", "1 000 personnes", "1 000 personas", "1000 personas"),
    ("es-ES", "1 000 personnes", "1.000 personas", "1000 personas"),
    ("es-MX", "1 000 personnes", "1 000 personas", "1,000 personas"),
    ("pt-BR", "1 234 567,5 habitants", "1 234 567,5 habitantes", "1.234.567,5 habitantes"),
    ("pt-PT", "10 000 habitants", "10.000 habitantes", f"10{NB}000 habitantes"),
    ("pt-PT", "1 000 habitants", "1 000 habitantes", "1000 habitantes"),
    ("zh-CN", "10 000 personnes", "10 000人", "10,000人"),
    ("en-US", "13,80 euros", "13,80 euros", "13.80 euros"),  # the decimals written are kept
    ("de-DE", "94,82 milliards", "94.82 Milliarden", "94,82 Milliarden"),
    ("es-ES", "2,5 milliards", "2.500 millones", "2500 millones"),
    # percent
    ("en-US", "13,8 % des voix", "13,8 % of the votes", "13.8% of the votes"),
    ("en-GB", "13,8 %", "13,8 %", "13.8%"),
    ("de-DE", "13,8 %", "13,8 %", f"13,8{NB}%"),
    ("de-DE", "13,8 %", "13.8%", f"13,8{NB}%"),
    ("de-CH", "13,8 %", "13,8 %", "13.8%"),
    ("es-ES", "13,8 %", "13.8%", f"13,8{NB}%"),
    ("pt-BR", "13,8 %", "13,8 %", "13,8%"),
    ("zh-CN", "13,8 %", "13,8%", "13.8%"),
    ("en-US", "5 %", "5 %", "5%"),
    # amounts: the model's symbol and words are kept, placed as the locale's pattern says
    ("en-US", "1 234,56 €", "1 234,56 €", "€1,234.56"),
    ("en-GB", "1 234,56 €", "1 234,56 €", "€1,234.56"),
    ("de-DE", "1 234,56 €", "€1,234.56", f"1.234,56{NB}€"),
    ("es-ES", "1 234,56 €", "1 234,56 €", f"1234,56{NB}€"),
    ("pt-BR", "1 234,56 €", "1 234,56 €", f"€{NB}1.234,56"),
    ("de-CH", "12,50 CHF", "12,50 CHF", f"CHF{NB}12.50"),
    ("en-US", "2,5 milliards $", "2,5 billion $", "$2.5 billion"),
    ("zh-CN", "1 234,56 €", "1 234,56 €", "€1,234.56"),
    # dates: the locale's CLDR long date format
    ("en-US", "le 30 avril 2025", "on 30 April 2025", "on April 30, 2025"),
    ("en-US", "le 30 avril 2025", "on 30 avril 2025", "on April 30, 2025"),
    ("en-GB", "le 30 avril 2025", "on April 30, 2025", "on 30 April 2025"),
    ("en-GB", "le 1er mai 2024", "on 1st May 2024", "on 1 May 2024"),
    ("de-DE", "le 30 avril 2025", "am 30 April 2025", "am 30. April 2025"),
    ("de-CH", "le 30 avril 2025", "am 30 avril 2025", "am 30. April 2025"),
    ("es-ES", "le 30 avril 2025", "el 30 avril 2025", "el 30 de abril de 2025"),
    ("pt-BR", "le 30 avril 2025", "em 30 abril 2025", "em 30 de abril de 2025"),
    ("zh-CN", "le 30 avril 2025", "30 avril 2025", "2025年4月30日"),
    ("en-US", "le 14 juillet", "on 14 July", "on July 14"),
    # clock times: the locale's CLDR short time format
    ("en-GB", "à 14 h 30", "at 14 h 30", "at 14:30"),
    ("de-DE", "à 9h05", "um 9h05", "um 09:05"),
    ("es-ES", "à 14 h 30", "a las 14 h 30", "a las 14:30"),
    ("en-US", "à 14 h 30", "at 14 h 30", f"at 2:30{NNB}PM"),
    # quotation marks, outer and nested, from CLDR's delimiters
    ("en-US", "Il a dit « oui ».", "He said « yes ».", "He said “yes”."),
    ("en-GB", "« a « b » c »", "« a « b » c »", "“a ‘b’ c”"),
    ("de-DE", "Il a dit « oui ».", "Er sagte « ja ».", "Er sagte „ja“."),
    ("de-DE", "« a « b » c »", "« a « b » c »", "„a ‚b‘ c“"),
    ("de-CH", "Il a dit « oui ».", "Er sagte « ja ».", "Er sagte „ja“."),
    ("es-ES", "« oui »", "« sí »", "“sí”"),
    ("pt-PT", "« oui »", "« sim »", "«sim»"),
    ("pt-BR", "« oui »", '"sim"', "“sim”"),
    ("zh-CN", "« oui »", "« 是 »", "“是”"),
    ("zh-TW", "« a « b » c »", "« a « b » c »", "「a 『b』 c」"),
    ("zh-TW", "« oui »", "“是”", "「是」"),
    ("en-US", "« un ‹ deux › trois »", "« one ‹ two › three »", "“one ‘two’ three”"),
    # French spacing before ; : ! ?
    ("en-US", "Pourquoi ?", "Why ?", "Why?"),
    ("en-US", "Note : voir", f"Note{NB}: see", "Note: see"),
    ("de-DE", "Attention !", f"Achtung{NNB}!", "Achtung!"),
    ("es-ES", "a ; b", "a ; b", "a; b"),
    # CJK full-width punctuation
    ("zh-CN", "Il a dit, nous", "他说,我们", "他说，我们"),
    ("zh-CN", "Pourquoi ?", "为什么 ?", "为什么？"),
    ("zh-CN", "Fin.", "结束.", "结束。"),
    ("zh-CN", "Attention : oui", "注意: 是", "注意：是"),
]

# (locale, French source, translation): translations the pass must leave exactly as they are
UNCHANGED: list[tuple[str, str, str]] = [
    # figures the source does not have
    (
        "en-US",
        "Il y a des gens.",
        "There are 10 000 people.",
    ),
    (
        "de-DE",
        "Le prix a augmenté.",
        "Der Preis stieg um 3.5 Prozent.",
    ),
    (
        "en-US",
        "Le taux est de 13,8 %.",
        "The rate is 12,5 %.",
    ),
    # years, plain counts, ids: nothing a convention wrote
    (
        "en-US",
        "En 2025, 1500 personnes",
        "In 2025, 1500 people",
    ),
    (
        "es-ES",
        "En 2025",
        "En 2025",
    ),
    (
        "de-DE",
        "en 2024 200 personnes",
        "2024 200 Personen",
    ),
    # versions, decimals of a version, ordinals
    (
        "en-US",
        "la version 2.5.1 de 2025",
        "version 2.5.1 of 2025",
    ),
    (
        "en-US",
        "le 3e trimestre",
        "the 3rd quarter",
    ),
    (
        "en-US",
        "la version 1,5",
        "version v1,5",
    ),
    # phone numbers
    (
        "en-US",
        "Appelez le 01 23 45 67 89",
        "Call 01 23 45 67 89",
    ),
    (
        "en-US",
        "Appelez le 06 123 456",
        "Call 06 123 456",
    ),
    (
        "de-DE",
        "Appelez le +33 1 23 45 67 89",
        "Rufen Sie +33 1 23 45 67 89 an",
    ),
    # URLs and e-mails with commas, digits and colons
    (
        "en-US",
        "Voir https://x.org/a,1,5 et 1,5",
        "See https://x.org/a,1,5 and 1.5",
    ),
    (
        "en-US",
        "Voir https://example.com/p?q=1,5 !",
        "See https://example.com/p?q=1,5!",
    ),
    (
        "en-US",
        "Écrire à a.b@x.org : merci",
        "Write to a.b@x.org: thanks",
    ),
    (
        "en-US",
        "le code `x = 1,5 ;`",
        "the code `x = 1,5 ;`",
    ),
    # glossary-like names with digits
    (
        "en-US",
        "L'Airbus A320 et le F-16",
        "The Airbus A320 and the F-16",
    ),
    (
        "en-US",
        "la 5G et le COVID-19",
        "5G and COVID-19",
    ),
    # lists and ranges of small figures
    (
        "en-US",
        "les pages 1,5,7",
        "pages 1,5,7",
    ),
    # already-correct targets
    (
        "en-US",
        "94,82 milliards de yuans",
        "94.82 billion yuan",
    ),
    (
        "en-US",
        "10 000 personnes",
        "10,000 people",
    ),
    (
        "de-DE",
        "10 000 personnes",
        "10.000 Personen",
    ),
    (
        "de-DE",
        "13,8 %",
        f"13,8{NB}%",
    ),
    (
        "es-ES",
        "1 000 personnes",
        "1000 personas",
    ),
    (
        "en-US",
        "1 234,56 €",
        "€1,234.56",
    ),
    (
        "en-US",
        "le 30 avril 2025",
        "on April 30, 2025",
    ),
    (
        "en-GB",
        "le 30 avril 2025",
        "on 30 April 2025",
    ),
    (
        "de-DE",
        "le 30 avril 2025",
        "am 30. April 2025",
    ),
    (
        "zh-CN",
        "le 30 avril 2025",
        "2025年4月30日",
    ),
    (
        "en-GB",
        "à 14 h 30",
        "at 14:30",
    ),
    (
        "en-US",
        "à 14 h 30",
        "at 2:30 pm",
    ),
    (
        "en-US",
        "« oui »",
        "“yes”",
    ),
    (
        "de-DE",
        "« oui »",
        "„ja“",
    ),
    (
        "zh-TW",
        "« oui »",
        "「是」",
    ),
    (
        "en-US",
        "Pourquoi ?",
        "Why?",
    ),
    (
        "zh-CN",
        "Pourquoi ?",
        "为什么？",
    ),
    # dates, times and durations the source does not have
    (
        "en-US",
        "le 30 avril 2025",
        "on 29 April 2025",
    ),
    (
        "en-US",
        "pendant 5 h",
        "for 5 h",
    ),
    (
        "en-GB",
        "à 14 h 30",
        "at 15 h 30",
    ),
    # unbalanced quotes, apostrophes, ratios, CJK before Latin
    (
        "en-US",
        "« oui",
        "« yes",
    ),
    (
        "en-US",
        "c'est « oui »",
        "it’s yes »",
    ),
    (
        "en-US",
        "un ratio de 3 : 2",
        "a ratio of 3 : 2",
    ),
    (
        "zh-CN",
        "Node.js",
        "使用Node.js",
    ),
    (
        "zh-CN",
        "3,5 %",
        "3.5%",
    ),
    # scale words change the figure: 380 milliards = 380.000 millones = 3800亿
    ("es-ES", "380 milliards de yuans", "380.000 millones de yuanes"),
    ("zh-CN", "94,82 milliards de yuans", "948.2亿元"),
    ("de-DE", "52 milliards de dollars", "52 Milliarden Dollar"),
    # straight quotes the source has too may be code
    ("en-US", 'Le champ "name" est requis.', 'The "name" field is required.'),
    # nothing to localize
    (
        "de-DE",
        "rien",
        "nichts",
    ),
]


@pytest.mark.parametrize(("locale", "source", "target", "expected"), REWRITES)
def test_rewrites(locale: str, source: str, target: str, expected: str) -> None:
    result = localize(source, target, locale)
    assert result.text == expected
    for change in result.changes:
        assert result.text[change.start : change.end] == change.after
        assert change.before and change.before != change.after
    assert localize(source, result.text, locale).changes == ()


@pytest.mark.parametrize(("locale", "source", "target"), UNCHANGED)
def test_must_not_change(locale: str, source: str, target: str) -> None:
    result = localize(source, target, locale)
    assert (result.text, result.changes) == (target, ())


def test_changes_carry_offsets_into_the_final_target() -> None:
    result = localize(
        "Le 30 avril 2025, 13,8 % des 10 000 personnes ont dit « oui » !",
        "On 30 April 2025, 13,8 % of the 10 000 people said « yes » !",
        "en-US",
    )
    assert result.text == "On April 30, 2025, 13.8% of the 10,000 people said “yes”!"
    rules = [c.rule for c in result.changes]
    assert rules == ["date", "percent", "number", "quotes", "quotes", "spacing"]
    for c in result.changes:
        assert result.text[c.start : c.end] == c.after


def test_kept_terms_are_never_changed() -> None:
    source = "Le fonds Alpha 1,5 gère 1,5 milliard."
    target = "The Alpha 1,5 fund manages 1,5 billion."
    result = localize(source, target, "en-US", keep=["Alpha 1,5"])
    assert result.text == "The Alpha 1,5 fund manages 1.5 billion."


def test_figure_readings_are_every_convention() -> None:
    (fig,) = read_numbers("1,234")
    assert {r.value for r in fig.readings} == {Decimal("1.234"), Decimal("1234")}
    assert read_numbers("2.5.1") == [] and read_numbers("A320") == []


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("en", "en-US"),
        ("EN-us", "en-US"),
        ("en_GB", "en-GB"),
        ("de", "de-DE"),
        ("de-ch", "de-CH"),
        ("pt", "pt-BR"),
        ("PT-pt", "pt-PT"),
        ("zh", "zh-CN"),
        ("zh-tw", "zh-TW"),
        ("es-419", "es-419"),
        ("zh-hant-tw", "zh-Hant-TW"),
    ],
)
def test_locale_tags_are_normalised(text: str, tag: str) -> None:
    assert parse_locale(text) == tag


@pytest.mark.parametrize(
    "text", ["fr-CA", "fr", "FR-fr", "en-ZZ", "xx", "e", "en-", "en--GB", "en-GB-oxendict", "en-G"]
)
def test_bad_locales_are_refused(text: str) -> None:
    with pytest.raises(LanguageTagError):
        parse_locale(text)


def test_locale_languages_can_be_restricted_to_the_model_chains() -> None:
    with pytest.raises(LocaleError, match="valid languages: de, en"):
        parse_locale("it-IT", languages=["en", "de"])


def test_locale_data_comes_from_cldr() -> None:
    es = locale_data("es-ES")
    assert (es.decimal, es.group, es.min_grouping) == (",", ".", 2)
    assert locale_data("es-MX").min_grouping == 1  # inherits es-419, not es
    assert locale_data("de-CH").decimal == "."
    assert locale_data("zh-TW").quotes[:2] == ("「", "」")
    assert locale_data("en-GB").quotes[:2] == ("“", "”")


# Pieces a translation is made of: figures in several conventions, quotes, spaced punctuation.
_PIECES = st.sampled_from(
    [
        "10 000",
        "1 000",
        "94,82",
        "13,8 %",
        "1 234,56 €",
        "€1,234.56",
        "2025",
        "1,234",
        "« ",
        " »",
        '"',
        "“",
        "”",
        "‹",
        "›",
        " ?",
        " :",
        "!",
        " ;",
        "30 avril 2025",
        "April 30, 2025",
        "14 h 30",
        "le",
        "people",
        "人",
        "他说",
        ",",
        ".",
        " ",
        "\u00a0",
        "https://x.org/a,b",
        "v2.5.1",
        "3 : 2",
        "'",
        "’",
        "%",
        "$",
        "CHF",
        "0",
        "5",
    ]
)
_TEXT = st.lists(_PIECES, max_size=12).map("".join)
_LOCALES = st.sampled_from(
    ["en-US", "en-GB", "de-DE", "de-CH", "es-ES", "pt-BR", "pt-PT", "zh-CN", "zh-TW"]
)


@settings(max_examples=300, deadline=None)
@given(source=_TEXT, target=_TEXT, locale=_LOCALES)
def test_pass_is_idempotent(source: str, target: str, locale: str) -> None:
    once = localize(source, target, locale)
    twice = localize(source, once.text, locale)
    assert twice.changes == () and twice.text == once.text
    for c in once.changes:
        assert once.text[c.start : c.end] == c.after


def test_cli_prints_localized_lines_and_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src, hyp = tmp_path / "src.txt", tmp_path / "hyp.txt"
    src.write_text("13,8 % des 10 000 personnes\nRien.\n", encoding="utf-8")
    hyp.write_text("13,8 % of the 10 000 people\nNothing.\n", encoding="utf-8")
    assert main(["localize", "--src", str(src), "--hyp", str(hyp), "--to", "EN-us"]) == 0
    assert capsys.readouterr().out == "13.8% of the 10,000 people\nNothing.\n"
    assert main(["localize", "--src", str(src), "--hyp", str(hyp), "--to", "de", "--json"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert lines[0]["text"] == f"13,8{NB}% of the 10.000 people"
    assert [c["rule"] for c in lines[0]["changes"]] == ["percent", "number"]
    assert set(lines[0]["changes"][0]) == {"rule", "before", "after", "start", "end"}
    assert lines[1] == {"text": "Nothing.", "changes": []}


@pytest.mark.parametrize(
    ("locale", "target"),
    [
        ("en-US", "94,82 billion yuan, up 13,8 %, for 10 000 people on 30 April 2025"),
        ("en-GB", "94,82 billion yuan, up 13,8 %, for 10 000 people on 30 April 2025"),
        ("de-CH", "94,82 Milliarden Yuan, plus 13,8 %, für 10 000 Personen am 30 April 2025"),
        ("de-DE", "94.82 Milliarden Yuan, plus 13.8%, für 10 000 Personen am 30 April 2025"),
        ("es-ES", "94,82 mil millones de yuanes, un 13,8 %, para 10 000 personas, 30 avril 2025"),
        ("pt-BR", "94,82 bilhões de yuans, alta de 13,8 %, para 10 000 pessoas em 30 abril 2025"),
        ("zh-CN", "94,82 billion 元，增长13,8 %，10 000人，30 avril 2025"),
    ],
)
def test_the_numbers_check_passes_what_the_pass_localized(locale: str, target: str) -> None:
    from translate.checks import run_checks

    source = "94,82 milliards de yuans, en hausse de 13,8 %, pour 10 000 personnes le 30 avril 2025"
    localized = localize(source, target, locale).text
    found = [c for c in run_checks(source, localized, locale) if c.check == "numbers"]
    assert found == [], (localized, found)


def test_cli_keeps_glossary_terms(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src, hyp, gl = tmp_path / "src.txt", tmp_path / "hyp.txt", tmp_path / "g.tsv"
    src.write_text("Le fonds Alpha 1,5 gère 1,5 milliard.\n", encoding="utf-8")
    hyp.write_text("The Alpha 1,5 fund manages 1,5 billion.\n", encoding="utf-8")
    gl.write_text("fr\ten\nAlpha 1,5\tAlpha 1,5\n", encoding="utf-8")
    argv = ["localize", "--src", str(src), "--hyp", str(hyp), "--to", "en-GB"]
    assert main([*argv, "-g", str(gl)]) == 0
    assert capsys.readouterr().out == "The Alpha 1,5 fund manages 1.5 billion.\n"
    assert main(argv) == 0
    assert capsys.readouterr().out == "The Alpha 1.5 fund manages 1.5 billion.\n"
