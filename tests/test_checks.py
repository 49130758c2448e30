"""Each QA check fires on its positive cases and stays quiet on its negative ones."""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from translate.checks import (
    CHECKS,
    _localize,
    check_result,
    describe_checks,
    load_checks,
    parse_numbers,
    run_checks,
)
from translate.errors import ConfigError
from translate.units import DocumentResult, InlineTag, SegmentMarkup, SegmentResult, TermMatch

S_NUM = "Le marché pèse 94,82 milliards de yuans, en hausse de 13,8 %."
S_PEOPLE = "Plus de 10 000 personnes ont participé à cet événement en 2025."
S_LINK = "Groupe Telegram :https://t.me/TechFlowDaily"
S_PLAIN = "Les grandes entreprises visent les exchanges de cryptomonnaies."
S_RANGE = "La mise en conformité coûterait entre 2,5 et 5 millions d'euros."
S_TIME = "Publié le 3 mars 2025 à 14 h 30."
S_IDIOM = "Les bourses fonctionnent 24 h/24, 7 j/7 depuis 2019."
S_ORDINAL = "Le 2e trimestre 2025 a duré 3 mois."
S_TRILLION = "Le marché vaut 1 000 milliards de dollars."
S_BYLINE = "Rédaction : Camille Rouvier, avec M.-L. Ferrand (Dublin)"

# (check, source, target, lang, fires, kwargs)
_MARKUP_OK = SegmentMarkup(0, 9, "Un [1]mot[/1].", (InlineTag(1, "pc", "b", "<b>", "</b>"),))
_MARKUP_MOVED = replace(_MARKUP_OK, issues=("<b> [1] lost: put around the whole segment",))

CASES = [
    # empty
    ("empty", S_PLAIN, "", "en", True, {}),
    ("empty", S_PLAIN, "   ", "de", True, {}),
    ("empty", S_PLAIN, "Big companies target crypto exchanges.", "en", False, {}),
    ("empty", "", "", "en", False, {}),
    # untranslated
    ("untranslated", S_PLAIN, S_PLAIN, "en", True, {}),
    ("untranslated", S_PLAIN, S_PLAIN.upper(), "de", True, {}),
    ("untranslated", S_PLAIN, "Big companies target crypto exchanges.", "en", False, {}),
    ("untranslated", "https://x.com/TechFlowPost", "https://x.com/TechFlowPost", "en", False, {}),
    ("untranslated", "Foresight News", "Foresight News", "en", False, {}),
    ("untranslated", "94,82 %", "94,82 %", "de", False, {}),
    ("untranslated", S_PLAIN, S_PLAIN, "en", False, {"origin": "passthrough"}),
    ("untranslated", "Le Journal du Cloud", "Le Journal du Cloud", "de", False, {}),
    ("untranslated", "© 2025 Le Journal du Cloud.", "© 2025 Le Journal du Cloud.", "es", False, {}),
    ("untranslated", "Le marché du Cloud", "Le marché du Cloud", "en", True, {}),
    ("untranslated", "la bourse de Paris", "la bourse de Paris", "en", True, {}),
    # numbers
    ("numbers", S_NUM, "The market is worth 94.82 billion yuan, up 13.8%.", "en", False, {}),
    # k for thousand, as crypto copy writes it (300k users, 500 k€, $100K)
    ("numbers", S_PEOPLE, "More than 10k people took part in this event in 2025.", "en", False, {}),
    ("numbers", S_PEOPLE, "More than 10K people took part in this event in 2025.", "en", False, {}),
    ("numbers", S_PEOPLE, "More than 100k people took part in this event in 2025.", "en", True, {}),
    ("numbers", "Un budget de 500 k€.", "A budget of €500,000.", "en", False, {}),
    ("numbers", "Un budget de 500 k€.", "Ein Budget von 500 Tsd. €.", "de", False, {}),
    ("numbers", "Un budget de 500 k€.", "A budget of €50,000.", "en", True, {}),
    ("numbers", S_NUM, "The market is worth 94,82 billion yuan, up 13.8%.", "en", True, {}),
    ("numbers", S_NUM, "The market is worth 95 billion yuan, up 13.8%.", "en", True, {}),
    ("numbers", S_NUM, "Der Markt ist 94,82 Milliarden Yuan wert, plus 13,8 %.", "de", False, {}),
    ("numbers", S_NUM, "Der Markt ist 94.82 Milliarden Yuan wert, plus 13,8 %.", "de", True, {}),
    (
        "numbers",
        S_NUM,
        "El mercado vale 94,82 mil millones de yuanes, un 13,8 % más.",
        "es",
        False,
        {},
    ),
    ("numbers", S_NUM, "市场规模达948.2亿元，同比增长13.8%。", "zh", False, {}),
    ("numbers", S_NUM, "市场规模达94,82亿元，同比增长13.8%。", "zh", True, {}),
    ("numbers", S_PEOPLE, "More than 10,000 people attended this event in 2025.", "en", False, {}),
    ("numbers", S_PEOPLE, "More than 10000 people attended this event in 2025.", "en", False, {}),
    ("numbers", S_PEOPLE, "More than 10 000 people attended this event in 2025.", "en", True, {}),
    ("numbers", S_PEOPLE, "Mehr als 10.000 Menschen nahmen 2025 teil.", "de", False, {}),
    ("numbers", S_PEOPLE, "Mehr als 10 000 Menschen nahmen 2025 teil.", "de", False, {}),
    ("numbers", S_PEOPLE, "Más de 10.000 personas participaron en 2025.", "es", False, {}),
    ("numbers", S_PEOPLE, "2025年，超过1万人参加了这次活动。", "zh", False, {}),
    ("numbers", S_PEOPLE, "2025年，超过10,000人参加了这次活动。", "zh", False, {}),
    ("numbers", S_PEOPLE, "More than ten thousand people attended.", "en", True, {}),
    ("numbers", "Le Web3 et le H100.", "Web3 and the H100.", "en", False, {}),
    # a range writes its scale word once
    ("numbers", S_RANGE, "合规成本将在250万至500万欧元之间。", "zh", False, {}),
    ("numbers", S_RANGE, "合规成本将在350万至500万欧元之间。", "zh", True, {}),
    ("numbers", S_RANGE, "Compliance would cost between €2.5m and €5m.", "en", False, {}),
    ("numbers", S_RANGE, "Compliance would cost between 25 and 5 million euros.", "en", True, {}),
    ("numbers", S_RANGE, "Kosten zwischen 2,5 und 5 Millionen Euro.", "de", False, {}),
    ("numbers", "Entre 250 et 500 millions.", "2.5至5亿。", "zh", False, {}),
    ("numbers", "Entre 250 et 500 millions.", "2.5亿至5亿。", "zh", False, {}),
    ("numbers", "Entre 250 et 500 millions.", "3.5至5亿。", "zh", True, {}),
    # scale words above a billion (German Billion and Spanish billón are 10^12)
    ("numbers", S_TRILLION, "The market is worth $1 trillion.", "en", False, {}),
    ("numbers", S_TRILLION, "Der Markt ist 1 Billion Dollar wert.", "de", False, {}),
    ("numbers", S_TRILLION, "El mercado vale 1 billón de dólares.", "es", False, {}),
    ("numbers", S_TRILLION, "El mercado vale 1.000 millones de dólares.", "es", True, {}),
    ("numbers", S_TRILLION, "市场价值1万亿美元。", "zh", False, {}),
    ("numbers", S_TRILLION, "The market is worth $1 billion.", "en", True, {}),
    # clock times in each language's notation
    ("numbers", S_TIME, "Published on 3 March 2025 at 2:30 pm.", "en", False, {}),
    ("numbers", S_TIME, "Published on March 3, 2025 at 14:30.", "en", False, {}),
    ("numbers", S_TIME, "Published on 3 March 2025 at 4:30 pm.", "en", True, {}),
    ("numbers", S_TIME, "Published on 3 March 2025 at 2:30 a.m.", "en", True, {}),
    ("numbers", S_TIME, "Veröffentlicht am 3. März 2025 um 14.30 Uhr.", "de", False, {}),
    ("numbers", S_TIME, "Veröffentlicht am 3. März 2025 um 14.45 Uhr.", "de", True, {}),
    ("numbers", S_TIME, "Publicado el 3 de marzo de 2025 a las 14.30.", "es", False, {}),
    ("numbers", S_TIME, "Publicado el 3 de marzo de 2025 a las 2.30 de la tarde.", "es", False, {}),
    ("numbers", S_TIME, "发布于2025年3月3日下午2点30分。", "zh", False, {}),
    ("numbers", S_TIME, "发布于2025年3月3日下午2点半。", "zh", False, {}),
    ("numbers", S_TIME, "发布于2025年3月3日上午2点30分。", "zh", True, {}),
    ("numbers", S_TIME, "发布于2025年3月3日14:30。", "zh", False, {}),
    ("numbers", "Le 28 février à 23 h 45.", "On 28 February at 11:45 p.m.", "en", False, {}),
    ("numbers", "Le 28 février à 23 h 45.", "On 28 February at 11.45pm.", "en", False, {}),
    # set phrases, small numbers and ordinals spelt out
    ("numbers", S_IDIOM, "Die Börsen laufen seit 2019 rund um die Uhr.", "de", False, {}),
    ("numbers", S_IDIOM, "Exchanges have run 24/7 since 2019.", "en", False, {}),
    ("numbers", S_IDIOM, "Exchanges have run around the clock since 2018.", "en", True, {}),
    ("numbers", S_ORDINAL, "The second quarter of 2025 lasted three months.", "en", False, {}),
    ("numbers", S_ORDINAL, "The third quarter of 2025 lasted three months.", "en", True, {}),
    ("numbers", S_ORDINAL, "The second quarter of 2025 lasted four months.", "en", True, {}),
    ("numbers", S_ORDINAL, "Das zweite Quartal 2025 dauerte drei Monate.", "de", False, {}),
    ("numbers", S_ORDINAL, "El segundo trimestre de 2025 duró tres meses.", "es", False, {}),
    ("numbers", S_ORDINAL, "2025年第二季度持续了3个月。", "zh", False, {}),
    ("numbers", S_ORDINAL, "2025年第三季度持续了3个月。", "zh", True, {}),
    ("numbers", "Au 1er juillet 2026.", "By 1 July 2026.", "en", False, {}),
    # urls, e-mails, handles
    ("urls", S_LINK, "Telegram group: https://t.me/TechFlowDaily", "en", False, {}),
    ("urls", S_LINK, "Telegram group: https://t.me/techflowdaily", "en", True, {}),
    ("urls", S_LINK, "Telegram group", "en", True, {}),
    ("urls", "Écrivez à contact@techflow.io.", "Write to contact@techflow.io.", "en", False, {}),
    ("urls", "Écrivez à contact@techflow.io.", "Write to contact @ techflow.io.", "en", True, {}),
    ("urls", "Suivez @TechFlowPost sur X.", "Follow @TechFlowPost on X.", "en", False, {}),
    ("urls", "Suivez @TechFlowPost sur X.", "Follow TechFlowPost on X.", "en", True, {}),
    # do-not-translate names
    (
        "dnt",
        "Alibaba Cloud arrive en tête.",
        "Alibaba Cloud ranks first.",
        "en",
        False,
        {"dnt": ["Alibaba Cloud"]},
    ),
    (
        "dnt",
        "Alibaba Cloud arrive en tête.",
        "阿里云排名第一。",
        "zh",
        True,
        {"dnt": ["Alibaba Cloud"]},
    ),
    (
        "dnt",
        "Alibaba Cloud arrive en tête.",
        "Alibaba Cloud排名第一。",
        "zh",
        False,
        {"dnt": ["Alibaba Cloud"]},
    ),
    (
        "dnt",
        "Le cloud arrive en tête.",
        "The cloud ranks first.",
        "en",
        False,
        {"dnt": ["Alibaba Cloud"]},
    ),
    ("dnt", "TechFlow publie.", "The outlet publishes.", "en", True, {"dnt": ["TechFlow"]}),
    ("dnt", "TechFlow publie.", "TechFlowP publishes.", "en", False, {"dnt": ["TechFlow"]}),
    # a name altered (a near miss) rather than missing: critical, and not also a dnt finding
    ("dnt_altered", "TechFlow publie.", "TechFlowP publishes.", "en", True, {"dnt": ["TechFlow"]}),
    ("dnt_altered", "TechFlow publie.", "MyTechFlow publishes.", "en", True, {"dnt": ["TechFlow"]}),
    ("dnt_altered", "TechFlow publie.", "TechFlow2 publishes.", "en", True, {"dnt": ["TechFlow"]}),
    ("dnt_altered", "TechFlow publie.", "Techflow publishes.", "en", True, {"dnt": ["TechFlow"]}),
    ("dnt_altered", "TechFlow publie.", "TechFlowP发布。", "zh", True, {"dnt": ["TechFlow"]}),
    (
        "dnt_altered",
        "Alibaba Cloud arrive en tête.",
        "AlibabaCloud ranks first.",
        "en",
        True,
        {"dnt": ["Alibaba Cloud"]},
    ),
    ("dnt_altered", "TechFlow publie.", "TechFlow publishes.", "en", False, {"dnt": ["TechFlow"]}),
    ("dnt_altered", "TechFlow publie.", "TechFlow's piece.", "en", False, {"dnt": ["TechFlow"]}),
    ("dnt_altered", "TechFlow publie.", "TechFlow发布。", "zh", False, {"dnt": ["TechFlow"]}),
    (
        "dnt_altered",
        "TechFlow publie.",
        "The outlet publishes.",
        "en",
        False,
        {"dnt": ["TechFlow"]},
    ),
    ("dnt_altered", "Selon X, il part.", "According to Xi, he goes.", "en", False, {"dnt": ["X"]}),
    (
        "dnt_altered",  # the link is the urls check's
        "Voir https://x.com/TechFlow.",
        "See https://x.com/TechFlowP.",
        "en",
        False,
        {"dnt": ["TechFlow"]},
    ),
    # length ratio
    ("length_ratio", S_PLAIN, "Big firms.", "en", True, {}),
    ("length_ratio", S_PLAIN, "Big companies target crypto exchanges. " * 4, "en", True, {}),
    (
        "length_ratio",
        S_PLAIN,
        "Big internet companies are targeting cryptocurrency exchanges.",
        "en",
        False,
        {},
    ),
    ("length_ratio", S_PLAIN, "大型企业瞄准加密货币交易所。", "zh", False, {}),
    ("length_ratio", "Oui.", "Yes indeed, absolutely, without any doubt.", "en", False, {}),
    (
        "length_ratio",
        "TechFlow SélectionTechFlow Sélection",
        "TechFlow 精选TechFlow 精选",
        "zh",
        False,
        {},
    ),
    (
        "length_ratio",
        "Compte Twitter officiel :https://x.com/TechFlowPost",
        "官方推特账号：https://x.com/TechFlowPost",
        "zh",
        False,
        {},
    ),
    (
        "length_ratio",
        S_BYLINE,
        "撰文：Camille Rouvier，M.-L. Ferrand（都柏林）参与报道",
        "zh",
        False,
        {},
    ),
    # a concise translation of a short sentence: under min_gap_letters from the expected length,
    # and a name that only gains a capital (bitcoin → Bitcoin) counts as kept
    (
        "length_ratio",
        "Le bitcoin a progressé de 4,5 % à 94 820 dollars.",
        "Bitcoin rose 4.5% to $94,820.",
        "en",
        False,
        {},
    ),
    (
        "length_ratio",
        "Le cours du bitcoin a chuté de 5 % en une journée.",
        "Bitcoin fell 5% in a day.",
        "en",
        False,
        {},
    ),
    (
        "length_ratio",
        "Les autorités de régulation de Hong Kong ont publié de nouvelles règles sur les "
        "émetteurs de stablecoins, qui devront publier des audits mensuels.",
        "Hong Kong regulators published rules.",
        "en",
        True,
        {},
    ),
    ("length_ratio", S_PLAIN, "大型企业瞄准加密货币交易所。" * 4, "zh", True, {}),
    ("length_ratio", S_PLAIN, "大型企业。", "zh", True, {}),
    (
        "length_ratio",
        "Écrivez à redaction@cryptoveille.fr ou sur X (@CryptoVeilleFR).",
        "请发送邮件至 redaction@cryptoveille.fr，或在 X 上联系我们（@CryptoVeilleFR）。",
        "zh",
        False,
        {},
    ),
    # repetition loops
    ("repetition", S_PLAIN, "The big big big big companies target exchanges.", "en", True, {}),
    ("repetition", S_PLAIN, "The cloud and the cloud and the cloud and the cloud.", "en", True, {}),
    ("repetition", S_PLAIN, "大型企业瞄准加密货币交易所交易所交易所交易所。", "zh", True, {}),
    ("repetition", S_PLAIN, "Big companies target crypto exchanges.", "en", False, {}),
    ("repetition", "Il a répété : non, non, non.", "He repeated: no, no, no.", "en", False, {}),
    ("repetition", "Les chiffres 1 1 1 1.", "The figures 1 1 1 1.", "en", False, {}),
    # brackets and quotes
    ("brackets", "Un rapport (second semestre).", "A report (second half.", "en", True, {}),
    ("brackets", "Un rapport (second semestre).", "A report (second half).", "en", False, {}),
    ("brackets", "Son rapport « Suivi du marché ».", "Its report “Market Tracker.", "en", True, {}),
    (
        "brackets",
        "Son rapport « Suivi du marché ».",
        "Its report “Market Tracker”.",
        "en",
        False,
        {},
    ),
    (
        "brackets",
        "Son rapport « Suivi du marché ».",
        "Sein Bericht „Marktbeobachtung“.",
        "de",
        False,
        {},
    ),
    ("brackets", "Son rapport « Suivi du marché ».", 'Its report "Market Tracker.', "en", True, {}),
    ("brackets", "Un rapport (second semestre.", "A report (second half.", "en", False, {}),
    # French spacing carried over
    ("fr_spacing", "Vraiment ?", "Really ?", "en", True, {}),
    ("fr_spacing", "Rédaction : Leek", "Editor : Leek", "en", True, {}),
    ("fr_spacing", "Rédaction : Leek", "Redaktion\u00a0: Leek", "de", True, {}),
    ("fr_spacing", "Vraiment ?", "Really?", "en", False, {}),
    ("fr_spacing", "Vraiment ?", "Vraiment ?", "fr", False, {}),
    ("fr_spacing", S_LINK, "Telegram group: https://t.me/TechFlowDaily", "en", False, {}),
    ("markup", "Un mot.", "A word.", "en", False, {"markup": _MARKUP_OK}),
    ("markup", "Un mot.", "A word.", "en", False, {}),
    ("markup", "Un mot.", "A word.", "en", True, {"markup": _MARKUP_MOVED}),
]


@pytest.mark.parametrize(("check", "source", "target", "lang", "fires", "kwargs"), CASES)
def test_check_cases(check, source, target, lang, fires, kwargs) -> None:  # type: ignore[no-untyped-def]
    found = [c for c in run_checks(source, target, lang, **kwargs) if c.check == check]
    assert bool(found) == fires, found
    cfg = load_checks()
    assert all(c.severity == cfg.severity(check) and c.message for c in found)


def test_every_check_has_cases_both_ways() -> None:
    from test_checks_surface import CASES as SURFACE_CASES  # the pofilter-like checks' table

    for name in CHECKS:
        outcomes = {fires for check, *_, fires, _ in CASES if check == name}
        outcomes |= {fires for check, *_, fires in SURFACE_CASES if check == name}
        assert outcomes == {True, False}, name


@pytest.mark.parametrize(
    ("source", "target", "lang", "needle"),
    [
        (S_NUM, "The market is worth 94,82 billion yuan, up 13.8%.", "en", "write 94.82 in en"),
        (S_PEOPLE, "More than 10 000 people attended in 2025.", "en", "write 10,000 in en"),
        (S_NUM, "Der Markt ist 94.82 Milliarden Yuan wert, plus 13,8 %.", "de", "expected 94,82"),
        ("Il y a 13 personnes.", "In 2013 there were people.", "en", "13 is missing"),
        (S_TRILLION, "Vale 1.000 millones.", "es", "1 000 has another scale word"),
        (S_TIME, "Published on 3 March 2025 at 4:30 pm.", "en", "14 is missing"),
    ],
)
def test_number_messages_say_how_to_localize(
    source: str, target: str, lang: str, needle: str
) -> None:
    messages = [c.message for c in run_checks(source, target, lang) if c.check == "numbers"]
    assert any(needle in m for m in messages), messages


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("entre 2,5 et 5 millions", "fr", [{"2.5", "2500000"}, {"5", "5000000"}]),
        ("de 6,25 à 3,125 BTC", "fr", [{"6.25"}, {"3.125"}]),
        ("2,5, 3 et 5 millions", "fr", [{"2.5"}, {"3", "3000000"}, {"5", "5000000"}]),
        ("250万至500万", "zh", [{"250", "2500000"}, {"500", "5000000"}]),
        ("2.5至5亿", "zh", [{"2.5", "250000000"}, {"5", "500000000"}]),
        ("$2.5 to $5 million", "en", [{"2.5", "2500000"}, {"5", "5000000"}]),
        ("1 Billion Euro", "de", [{"1", "1000000000000"}]),
        ("140.000 millones", "es", [{"140000", "140000000000"}]),
    ],
)
def test_parse_numbers_scales_and_ranges(text: str, lang: str, expected: list[set[str]]) -> None:
    assert parse_numbers(text, lang) == [{Decimal(v) for v in vals} for vals in expected]


def test_empty_target_reports_only_empty() -> None:
    assert [c.check for c in run_checks(S_NUM, "", "en")] == ["empty"]


@given(
    st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False),
    st.sampled_from(["fr", "en", "de", "es", "zh"]),
)
def test_localized_numbers_parse_back(value: Decimal, lang: str) -> None:
    value = value.normalize()
    written = _localize(value, lang, load_checks())
    assert any(value in vals for vals in parse_numbers(f"x {written} y", lang))


# --------------------------------------------------------------------------- configuration


def _write_config(tmp_path: Path, mutate) -> Path:  # type: ignore[no-untyped-def]
    data = json.loads(
        (Path(__file__).parent.parent / "translate" / "data" / "checks.json").read_text("utf-8")
    )
    mutate(data)
    p = tmp_path / "checks.json"
    p.write_text(json.dumps(data), encoding="utf-8")
    return p


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["checks"].update(spelling={"severity": "minor"}), "unknown check 'spelling'"),
        (lambda d: d["checks"]["empty"].update(severity="fatal"), "needs a severity"),
        (lambda d: d["checks"].pop("dnt"), "'dnt' is not configured"),
        (lambda d: d["patterns"].update(url="(unclosed"), "not a valid regex"),
        (lambda d: d.pop("numbers"), "missing key 'numbers'"),
        (
            lambda d: d["numbers"]["times"].update(en=["(?P<hour>\\d+):\\d\\d"]),
            "needs a .*hour",
        ),
        (lambda d: d["numbers"]["words"]["en"].update({"one(": 1}), "not a valid regex"),
        (
            lambda d: d["length_ratio"].pop("min_source_letters"),
            "length_ratio needs 'min_source_letters'",
        ),
        (lambda d: d["dnt"].pop("near_miss_min_chars"), "dnt needs an integer"),
    ],
)
def test_bad_configuration_is_a_config_error(tmp_path, mutate, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ConfigError, match=message) as exc:
        load_checks(_write_config(tmp_path, mutate))
    assert exc.value.exit_code == 8


def test_user_config_changes_severity_and_disables(tmp_path: Path) -> None:
    def mutate(d):  # type: ignore[no-untyped-def]
        d["checks"]["numbers"]["severity"] = "critical"
        d["checks"]["fr_spacing"]["enabled"] = False

    cfg = load_checks(_write_config(tmp_path, mutate))
    found = run_checks(S_NUM, "Worth 95 billion ?", "en", config=cfg)
    assert [(c.check, c.severity) for c in found if c.check in ("numbers", "fr_spacing")] == [
        ("numbers", "critical"),
        ("numbers", "critical"),
    ]
    rows = {r["check"]: r for r in describe_checks(cfg)}
    assert rows["fr_spacing"]["enabled"] is False and set(rows) == set(CHECKS)


def test_an_altered_name_is_one_finding_whatever_the_configuration(tmp_path: Path) -> None:
    def found(cfg):  # type: ignore[no-untyped-def]
        checks = run_checks(
            "TechFlow publie.", "TechFlowP publishes.", "en", dnt=["TechFlow"], config=cfg
        )
        return [(c.check, c.severity) for c in checks if c.check.startswith("dnt")]

    assert found(None) == [("dnt_altered", "critical")]
    off = load_checks(
        _write_config(tmp_path, lambda d: d["checks"]["dnt_altered"].update(enabled=False))
    )
    assert found(off) == [("dnt", "major")]  # turned off, the dnt check reports it

    def before(d):  # type: ignore[no-untyped-def]  # a file written before dnt_altered existed
        d["checks"].pop("dnt_altered")
        d.pop("dnt")

    assert found(load_checks(_write_config(tmp_path, before))) == [("dnt_altered", "critical")]


class _DntGlossary:
    def match(self, text: str) -> list[TermMatch]:
        i = text.find("Foresight News")
        return (
            [TermMatch(i, i + 14, "Foresight News", "Foresight News", "fn", dnt=True)]
            if i >= 0
            else []
        )


def test_check_result_fills_segments_and_counts() -> None:
    segs = (
        SegmentResult(
            "p1.s1",
            1,
            "Selon Foresight News, 70 % des revenus.",
            "According to Voyance, 70% of revenue.",
            0,
            39,
        ),
        SegmentResult("p1.s2", 1, S_PLAIN, S_PLAIN, 40, 40 + len(S_PLAIN)),
        SegmentResult("p1.s3", 1, "Bonjour à tous les lecteurs.", "Hello to all readers.", 0, 1),
    )
    result = DocumentResult("a.txt", "fr", "en", "", segs)
    checked = check_result(result, glossary=_DntGlossary())  # type: ignore[arg-type]
    assert [c.check for c in checked.segments[0].checks] == ["dnt"]
    assert [c.check for c in checked.segments[1].checks] == ["untranslated"]
    assert checked.segments[2].checks == ()
    assert checked.summary["checks"] == {"critical": 0, "major": 2, "minor": 0}
    assert check_result(checked, glossary=_DntGlossary()) == checked  # type: ignore[arg-type]


REFERENCE_FILES = sorted((Path(__file__).parent.parent / "articles").glob("*/*.jsonl"))


@pytest.mark.parametrize("path", REFERENCE_FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_human_references_pass_the_checks_and_score_100(path: Path) -> None:
    """The bundled reference translations are clean: no critical or major finding, BLEU 100."""
    from translate.evalsuite import result_from_lines
    from translate.score import load_references, score_result

    article = path.parent.parent / "fr" / f"{path.stem}.txt"
    refs = load_references(path, path.parent.name)
    result = result_from_lines(article, refs, [r.target for r in refs.entries])
    checked = check_result(result)
    findings = [(s.id, c.check, c.message) for s in checked.segments for c in s.checks]
    assert [f for f in findings if load_checks().severity(f[1]) != "minor"] == []
    assert score_result(checked, refs).summary["metrics"]["bleu"] == pytest.approx(100.0)


def test_references_keep_the_bundled_glossarys_names() -> None:
    """No dnt or dnt_altered finding on the bundled references with the bundled glossary's
    do-not-translate names (as the pipeline finds them in each segment)."""
    from translate.evalsuite import result_from_lines
    from translate.glossary import load_glossary
    from translate.score import load_references

    glossary = load_glossary([Path(__file__).parent.parent / "glossaries" / "crypto-cloud.csv"])
    names = 0
    for path in REFERENCE_FILES:
        refs = load_references(path, path.parent.name)
        article = path.parent.parent / "fr" / f"{path.stem}.txt"
        result = result_from_lines(article, refs, [r.target for r in refs.entries])
        checked = check_result(result, glossary=glossary)
        names += sum(1 for s in result.segments for m in glossary.match(s.source) if m.dnt)
        assert [c for s in checked.segments for c in s.checks if c.check.startswith("dnt")] == []
    assert names > 50


@pytest.mark.parametrize(
    "target, lang, loops",
    [
        ("The market market market market market market grows.", "en", 1),
        ("the cloud the cloud the cloud and mining mining mining", "en", 2),
        ("交易所交易所交易所交易所", "zh", 1),
    ],
)
def test_one_finding_per_loop(target: str, lang: str, loops: int) -> None:
    found = [c for c in run_checks("Le marché progresse.", target, lang) if c.check == "repetition"]
    assert len(found) == loops, found
