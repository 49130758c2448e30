"""Glossary files (CSV/TSV/TBX), merging, linting, French matching, constraints and verification."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from growth import assert_about_linear
from hypothesis import given, settings
from hypothesis import strategies as st

from translate.errors import EXIT_GLOSSARY, GlossaryError
from translate.glossary import Glossary, french_plurals, lint_glossaries, load_glossary
from translate.units import TermConstraint, TermMatch

DATA = Path(__file__).parent / "data"
SMALL = DATA / "glossary-small.csv"
BUNDLED = Path(__file__).parent.parent / "glossaries" / "crypto-cloud.csv"


@pytest.fixture(scope="module")
def small() -> Glossary:
    return load_glossary([SMALL])


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    p = tmp_path / name
    if isinstance(content, bytes):
        p.write_bytes(content)
    else:
        p.write_text(content, encoding="utf-8")
    return p


# --- parsing ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, content, expected",
    [
        ("a.csv", "fr,en\ncloud,cloud|clouds\n", {"fr": ("cloud",), "en": ("cloud", "clouds")}),
        ("a.tsv", "fr\ten\nminage\tmining\n", {"fr": ("minage",), "en": ("mining",)}),
        ("a.csv", "fr;de\nminage;Mining\n", {"fr": ("minage",), "de": ("Mining",)}),
        (
            "a.csv",
            "# comment\n\nFR , EN\n  grand  modèle | grands modèles ,large model\n",
            {"fr": ("grand modèle", "grands modèles"), "en": ("large model",)},
        ),
        ("a.csv", '\ufefffr,en\n"a, b",c\n', {"fr": ("a, b",), "en": ("c",)}),
        ("a.csv", "fr,en\r\ncloud,cloud\r\n", {"fr": ("cloud",), "en": ("cloud",)}),
    ],
)
def test_parse_cells(tmp_path: Path, name: str, content: str, expected: dict) -> None:
    g = load_glossary([write(tmp_path, name, content)])
    assert len(g) == 1
    assert dict(g.entries[0].terms) == expected


@pytest.mark.parametrize(
    "row, case_sensitive, dnt",
    [("x,y,,", False, False), ("x,y,true,yes", True, True), ("x,,1,oui", True, True)],
)
def test_parse_flags(tmp_path: Path, row: str, case_sensitive: bool, dnt: bool) -> None:
    g = load_glossary([write(tmp_path, "f.csv", f"fr,en,case_sensitive,dnt\n{row}\n")])
    assert (g.entries[0].case_sensitive, g.entries[0].dnt) == (case_sensitive, dnt)


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("a.csv", "en,de\ncloud,Cloud\n", "no 'fr' column"),
        ("a.csv", b"fr,en\ncaf\xe9,coffee\n", "not valid UTF-8"),
        ("a.csv", "fr,en\ncloud,cloud,extra\n", "line 2: 3 cells but the header has 2"),
        ("a.csv", "fr,en,dnt\ncloud,cloud,maybe\n", "line 2: dnt is 'maybe'"),
        ("a.csv", "\n# only a comment\n", "is empty"),
        ("a.tbx", "<tbx><text><body><conceptEntry>", "not well-formed TBX/XML"),
        ("a.tbx", "<tbx><conceptEntry><langSec xml:lang='en'/></conceptEntry></tbx>", "no French"),
    ],
)
def test_malformed_files_raise_one_clear_error(
    tmp_path: Path, name: str, content: str | bytes, message: str
) -> None:
    with pytest.raises(GlossaryError) as err:
        load_glossary([write(tmp_path, name, content)])
    assert message in str(err.value)
    assert "\n" not in str(err.value)
    assert err.value.exit_code == EXIT_GLOSSARY


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(GlossaryError, match="no such file"):
        load_glossary([tmp_path / "absent.csv"])


def test_tbx_2019_with_numbers_and_notes() -> None:
    g = load_glossary([DATA / "glossary-small.tbx"])
    crypto, minage = g.entries
    assert crypto.terms["fr"] == ("cryptomonnaie", "cryptomonnaies")
    # en-US is read as en, and the singular is put first whatever the file order.
    assert crypto.terms["en"] == ("cryptocurrency", "cryptocurrencies")
    assert crypto.note.startswith("Digital currency")
    assert minage.terms == {"fr": ("minage",), "en": ("mining",)}
    assert g.languages == ("fr", "en", "de")
    assert crypto.id == "glossary-small.tbx#c1"


def test_tbx_basic_legacy_layout(tmp_path: Path) -> None:
    tbx = (
        "<martif type='TBX-Basic'><text><body><termEntry id='t1'>"
        "<langSet xml:lang='fr'><tig><term>nuage</term></tig></langSet>"
        "<langSet xml:lang='es'><ntig><termGrp><term>nube</term></termGrp></ntig></langSet>"
        "</termEntry></body></text></martif>"
    )
    g = load_glossary([write(tmp_path, "old.tbx", tbx)])
    assert dict(g.entries[0].terms) == {"fr": ("nuage",), "es": ("nube",)}


def test_merge_first_file_wins_and_later_files_fill_gaps(tmp_path: Path) -> None:
    first = write(tmp_path, "first.csv", "fr,en\ncloud,cloud\nminage,mining\n")
    second = write(tmp_path, "second.csv", "fr,en,de\ncloud,nuage,Cloud\nchaîne,chain,Kette\n")
    g = load_glossary([first, second])
    by_head = {e.headword: e for e in g.entries}
    assert by_head["cloud"].terms == {"fr": ("cloud",), "en": ("cloud",), "de": ("Cloud",)}
    assert by_head["chaîne"].terms["en"] == ("chain",)
    assert [e.headword for e in g.entries] == ["cloud", "minage", "chaîne"]
    assert load_glossary([second, first]).entry("second.csv:2").terms["en"] == ("nuage",)


def test_digest_depends_on_content_not_file_name(tmp_path: Path) -> None:
    a = write(tmp_path, "a.csv", "fr,en\ncloud,cloud\n")
    b = write(tmp_path, "b.csv", "fr,en\ncloud,cloud\n")
    c = write(tmp_path, "c.csv", "fr,en\ncloud,clouds\n")
    assert load_glossary([a]).digest == load_glossary([b]).digest
    assert load_glossary([a]).digest != load_glossary([c]).digest
    assert load_glossary([a]).digest != load_glossary([a], accent_insensitive=True).digest
    assert re.fullmatch(r"[0-9a-f]{64}", load_glossary([a]).digest)


# --- lint ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content, expected",
    [
        ("fr,en\ncloud,cloud\n", []),
        ("fr,en\ncloud,cloud\ncloud,cloud\n", [("warning", "duplicate")]),
        ("fr,en\ncloud,cloud\nCloud,nuage\n", [("error", "conflict")]),
        ("fr,en\ncrypto-monnaie,crypto\ncryptomonnaie,cryptocurrency\n", [("error", "conflict")]),
        ("fr,en\ncloud,\n", [("warning", "empty-cell")]),
        ("fr,en\n,cloud\n", [("error", "empty-source")]),
        ("fr,en,xx\ncloud,cloud,nube\n", [("error", "unknown-column")]),
        ("fr,en,pt-br\ncloud,cloud,nuvem\n", []),
        ("fr,en\ncloud,cloud\ncloud public,public cloud\n", [("info", "overlap")]),
        ("fr,en,dnt\nAWS,,true\nAWS Chine,AWS China,\n", [("info", "overlap")]),
        (
            "fr,en\nplateforme d'échange,trading platform\n"
            "plateforme d'échange de cryptomonnaies,cryptocurrency exchange\n",
            [("warning", "overlap")],
        ),
        (
            "fr,en,de\ncloud,cloud,Cloud\ncloud public,public cloud,\n",
            [("info", "overlap"), ("warning", "empty-cell")],
        ),
        ("fr,en,dnt\nAlibaba Cloud,,true\n", []),
        ("fr,en,dnt\nAlibaba Cloud,Ali Cloud,true\n", [("warning", "dnt-target")]),
    ],
)
def test_lint_cases(tmp_path: Path, content: str, expected: list[tuple[str, str]]) -> None:
    issues = lint_glossaries([write(tmp_path, "g.csv", content)])
    assert sorted((i.severity, i.code) for i in issues) == sorted(expected), issues


def test_lint_across_files_reports_overridden_as_warning(tmp_path: Path) -> None:
    a = write(tmp_path, "a.csv", "fr,en\ncloud,cloud\n")
    b = write(tmp_path, "b.csv", "fr,en\ncloud,nuage\n")
    issues = lint_glossaries([a, b])
    assert [(i.severity, i.code, Path(i.source).name) for i in issues] == [
        ("warning", "overridden", "b.csv")
    ]


def test_lint_unk_checker_only_for_chosen_languages(tmp_path: Path) -> None:
    g = write(tmp_path, "g.csv", "fr,en,de\nbourse,exchange,Börse\n")
    issues = lint_glossaries([g], produces_unk=lambda form: "ö" in form, unk_languages=["de"])
    assert [(i.severity, i.code) for i in issues] == [("error", "unk")]
    assert lint_glossaries([g], produces_unk=lambda form: "ö" in form, unk_languages=["en"]) == []


# --- French matching ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Le cloud public.", [("cloud public", "cloud public", False)]),
        ("Les clouds publics.", [("clouds publics", "cloud public", True)]),
        ("Les CLOUDS PUBLICS.", [("CLOUDS PUBLICS", "cloud public", True)]),
        (
            "l'exchange de cryptomonnaies",
            [("exchange de cryptomonnaies", "exchange de cryptomonnaies", False)],
        ),
        (
            "d’exchanges de cryptomonnaies",
            [("exchanges de cryptomonnaies", "exchange de cryptomonnaies", True)],
        ),
        ("qu'une cryptomonnaie", [("cryptomonnaie", "cryptomonnaie", False)]),
        ("la crypto-monnaie", [("crypto-monnaie", "cryptomonnaie", False)]),
        ("la crypto monnaie", [("crypto monnaie", "cryptomonnaie", False)]),
        ("les crypto-monnaies", [("crypto-monnaies", "cryptomonnaie", True)]),
        ("les cryptomonnaies", [("cryptomonnaies", "cryptomonnaie", True)]),
        ("des réseaux sociaux", [("réseaux sociaux", "réseau social", True)]),
        ("des grands modèles", [("grands modèles", "grand modèle", True)]),
        ("le minage\u00a0; aws et AWS", [("minage", "minage", False), ("AWS", "AWS", False)]),
        (
            "Alibaba Cloud et le cloud",
            [("Alibaba Cloud", "Alibaba Cloud", False), ("cloud", "cloud", False)],
        ),
        # Never inside a longer word, a hyphenated compound, or after a non-elided apostrophe.
        ("nuageux, cloudy, surcloud, cloud-native, e-cloud", []),
        ("aujourd'cloud", []),
        ("le minages", [("minages", "minage", True)]),
        # Never inside a link, an e-mail, a handle or a domain name, unless the term is all of it.
        ("voir https://x.fr/cloud et www.minage.fr/aws ou https://t.me/AWS", []),
        ("écrire à cloud@minage.fr, @cloud, #minage", []),
        ("sur AWS.com et aws.cloud.fr", []),
        ("le cloud. Minage", [("cloud", "cloud", False), ("Minage", "minage", False)]),
        # A lower-case term written with a capital inside a name belongs to the name.
        ("le Journal du Cloud et la London Cloud Week", []),
        ("le Cloud Act américain", []),
        (
            "Cloud public : le Cloud de Foresight News",
            [
                ("Cloud public", "cloud public", False),
                ("Cloud", "cloud", False),
                ("Foresight News", "Foresight News", False),
            ],
        ),
        (
            "Le Cloud, le Minage et le Cloud",
            [
                ("Cloud", "cloud", False),
                ("Minage", "minage", False),
                ("Cloud", "cloud", False),
            ],
        ),
        (
            "AWS, Cloud et Minage",
            [
                ("AWS", "AWS", False),
                ("Cloud", "cloud", False),
                ("Minage", "minage", False),
            ],
        ),
        # A headline in capitals: capitals say nothing about names there.
        (
            "LES GRANDS MODÈLES ET LE MINAGE",
            [("GRANDS MODÈLES", "grand modèle", True), ("MINAGE", "minage", False)],
        ),
        (
            "CLOUD PUBLIC : LE CLOUD",
            [("CLOUD PUBLIC", "cloud public", False), ("CLOUD", "cloud", False)],
        ),
        # Plurals inflected only in part (a loanword left invariable, a missed agreement).
        ("les cloud publics", [("cloud publics", "cloud public", True)]),
        ("des réseau sociaux", [("réseau sociaux", "réseau social", True)]),
        ("", []),
    ],
)
def test_match_cases(small: Glossary, text: str, expected: list[tuple[str, str, bool]]) -> None:
    got = small.match(text)
    assert [(m.text, m.headword, m.plural) for m in got] == expected
    for m in got:
        assert text[m.start : m.end] == m.text


@pytest.mark.parametrize(
    "row, text, expected",
    [
        # An acronym term also matches with the English-style plural -s, as a plural.
        ("NFT,NFT|NFTs,true,", "des NFTs, des NFT", [("NFTs", True), ("NFT", False)]),
        ("GPU,GPU|GPUs,true,", "les GPUs de Nvidia", [("GPUs", True)]),
        ("GPU,GPU|GPUs,true,", "les GPUS et GPUss", []),
        # ... but not a do-not-translate name, which stays as written.
        ("AWS,,true,true", "les AWSs", []),
        # A listed plural also matches when only some of its words are inflected.
        (
            "cloud public|clouds publics,public cloud|public clouds,,",
            "les cloud publics",
            [("cloud publics", True)],
        ),
        (
            "cloud public|clouds publics,public cloud|public clouds,,",
            "les clouds public",
            [("clouds public", True)],
        ),
        (
            "clé privée|clés privées,private key|private keys,,",
            "la clés privée",
            [("clés privée", True)],
        ),
    ],
)
def test_acronym_and_mixed_plurals(tmp_path: Path, row: str, text: str, expected: list) -> None:
    g = load_glossary([write(tmp_path, "g.csv", f"fr,en,case_sensitive,dnt\n{row}\n")])
    assert [(m.text, m.plural) for m in g.match(text)] == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # Everyday senses inside set phrases (translate/data/glossary/everyday_senses.json) ...
        ("Un mineur de 16 ans et des mineurs non accompagnés.", []),
        ("Une mise à jour mineure corrige un incident mineur.", []),
        ("Il chine au marché aux puces ; ça m’a mis la puce à l’oreille.", []),
        ("Le gestionnaire de portefeuille réduit son portefeuille d'actions.", []),
        ("Un ministre sans portefeuille porte un nœud papillon.", []),
        ("Les jetons de présence des administrateurs augmentent.", []),
        ("Une licence de droit et un voyage d'agrément.", []),
        # ... while the domain senses still match, next to them too.
        (
            "Les mineurs de bitcoin et leur portefeuille.",
            [("mineurs", "mineur"), ("bitcoin", "bitcoin"), ("portefeuille", "portefeuille")],
        ),
        (
            "Un mineur de 16 ans a volé un portefeuille matériel.",
            [("portefeuille matériel", "portefeuille matériel")],
        ),
        (
            "Des puces d'IA, pas des puces de marché aux puces.",
            [("puces", "puce"), ("IA", "IA"), ("puces", "puce")],
        ),
        (
            "La licence MiCA et l'agrément de l'AMF.",
            [("licence", "licence"), ("MiCA", "MiCA"), ("agrément", "agrément"), ("AMF", "AMF")],
        ),
    ],
)
def test_everyday_senses_are_not_terms(text: str, expected: list[tuple[str, str]]) -> None:
    g = load_glossary([BUNDLED])
    assert [(m.text, m.headword) for m in g.match(text)] == expected


def test_longest_match_wins(small: Glossary) -> None:
    (m,) = small.match("Le cloud public d'AWS")[:1]
    assert m.headword == "cloud public"


def test_case_sensitive_entry(tmp_path: Path) -> None:
    g = load_glossary(
        [write(tmp_path, "g.csv", "fr,en,case_sensitive\nSOL,SOL,true\nsol,ground,\n")]
    )
    assert [(m.text, m.headword) for m in g.match("SOL et sol")] == [
        ("SOL", "SOL"),
        ("sol", "sol"),
    ]


@pytest.mark.parametrize("accent_insensitive, expected", [(False, []), (True, ["reseau social"])])
def test_accent_insensitive_option(
    small: Glossary, accent_insensitive: bool, expected: list
) -> None:
    g = load_glossary([SMALL], accent_insensitive=accent_insensitive)
    assert [m.text for m in g.match("un reseau social")] == expected


@pytest.mark.parametrize(
    "form, plurals",
    [
        ("cloud public", ("clouds publics", "clouds public", "cloud publics")),
        ("réseau social", ("réseaux sociaux", "réseaux social", "réseau sociaux")),
        (
            "grand modèle de langage",
            ("grands modèles de langage", "grands modèle de langage", "grand modèles de langage"),
        ),
        ("exchange de cryptomonnaies", ("exchanges de cryptomonnaies",)),
        ("crypto-monnaie", ("crypto-monnaies",)),
        ("prix", ("prix",)),
        ("festival", ("festivals",)),
        ("AWS", ("AWS",)),
    ],
)
def test_french_plurals(form: str, plurals: tuple[str, ...]) -> None:
    assert french_plurals(form) == plurals


# Hypothesis: matches are exact slices, never overlap, never start or end inside a word.
_WORDS = [
    "le",
    "la",
    "les",
    "des",
    "cloud",
    "clouds",
    "public",
    "publics",
    "cryptomonnaie",
    "crypto-monnaies",
    "minage",
    "AWS",
    "aws",
    "Alibaba",
    "Cloud",
    "surcloud",
    "réseau",
    "réseaux",
    "sociaux",
    "social",
    "de",
    "exchange",
    "exchanges",
    "grand",
    "modèle",
]
_GLUE = [" ", "  ", "\u00a0", ", ", "-", "'", "’", " l'", " d’", " qu'", "\n", ". "]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_GLUE), st.sampled_from(_WORDS)), max_size=14))
def test_match_properties(parts: list[tuple[str, str]]) -> None:
    g = _small_glossary()
    text = "".join(glue + word for glue, word in parts)
    matches = g.match(text)
    pos = 0
    for m in matches:
        assert text[m.start : m.end] == m.text
        assert m.start >= pos  # sorted, no overlaps
        pos = m.end
        assert not (m.start > 0 and text[m.start - 1].isalnum())
        assert not (m.end < len(text) and text[m.end].isalnum())


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(["", "l'", "d'", "l’", "qu'", "s'", "L'"]),
    st.sampled_from(["cryptomonnaie", "crypto-monnaie", "crypto monnaie", "Cryptomonnaie"]),
    st.booleans(),
    st.sampled_from([".", " ", ",", ""]),
)
def test_inflection_and_elision_found(prefix: str, form: str, plural: bool, end: str) -> None:
    g = _small_glossary()
    word = form + ("s" if plural else "")
    text = f"Voici {prefix}{word}{end}"
    (m,) = g.match(text)
    assert (m.text, m.plural, m.headword) == (word, plural, "cryptomonnaie")


_CACHE: dict[str, Glossary] = {}


def _small_glossary() -> Glossary:
    if "g" not in _CACHE:
        _CACHE["g"] = load_glossary([SMALL])
    return _CACHE["g"]


def test_matching_grows_linearly_on_real_text(small: Glossary, article_path: Path) -> None:
    article = article_path.read_text(encoding="utf-8")
    assert len(small.match(article * 20)) > 500
    assert_about_linear(small.match, lambda n: article * n, 20, "glossary matching")


# --- constraints and verification ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text, lang, expected",
    [
        ("Le cloud public est là.", "en", [("public cloud",)]),
        ("Les clouds publics sont là.", "en", [("public clouds",)]),
        ("Les clouds publics sont là.", "de", [("Public Clouds",)]),
        # A term opening the sentence may be capitalised; acronyms and names are kept.
        (
            "Cryptomonnaies et minage.",
            "en",
            [("cryptocurrencies", "crypto", "Cryptocurrencies", "Crypto"), ("mining",)],
        ),
        ("AWS et les cryptomonnaies.", "en", [("AWS",), ("cryptocurrencies", "crypto")]),
        # Languages without a form give no constraint; do-not-translate names go everywhere.
        ("Le minage.", "ja", [()]),
        ("Selon Foresight News, le minage.", "ja", [("Foresight News",), ()]),
        ("Selon Foresight News.", "zh", [("Foresight News",)]),
    ],
)
def test_constraints_for(small: Glossary, text: str, lang: str, expected: list) -> None:
    matches = small.match(text)
    cons = small.constraints_for(text, matches)
    assert [c.variants(lang) for c in cons] == expected


def test_lower_case_name_opening_a_sentence_is_not_capitalised(tmp_path: Path) -> None:
    g = load_glossary([write(tmp_path, "g.csv", "fr,en,dnt\nuniswap,,true\ncloud,cloud,\n")])
    text = "uniswap et le cloud."
    assert [c.variants("en") for c in g.constraints_for(text, g.match(text))] == [
        ("uniswap",),
        ("cloud",),
    ]
    text = "cloud et uniswap."
    assert [c.variants("en") for c in g.constraints_for(text, g.match(text))] == [
        ("cloud", "Cloud"),
        ("uniswap",),
    ]


def test_constraint_records_every_language_for_pivots(small: Glossary) -> None:
    text = "Le cloud public."
    (c,) = small.constraints_for(text, small.match(text))
    assert set(c.targets) == {"en", "de", "es", "zh"}
    assert c.variants("en") == ("public cloud",) and c.variants("zh") == ("公有云",)


def test_dnt_variants_without_glossary_language() -> None:
    c = TermConstraint(headword="Web X", targets={}, dnt=True)
    assert c.variants("ko") == ("Web X",)


@pytest.mark.parametrize(
    "source, target, lang, found",
    [
        ("Le cloud public.", "The public cloud.", "en", ["public cloud"]),
        ("Le cloud public.", "Public cloud is here.", "en", ["Public cloud"]),
        ("Le cloud public.", "The public clouds.", "en", [None]),
        ("Le cloud public.", "The publiccloud.", "en", [None]),
        ("Le cloud public.", "The public\u00a0cloud.", "en", ["public\u00a0cloud"]),
        ("AWS et aws.", "aws", "en", [None]),
        ("AWS et AWS.", "AWS or AWS", "en", ["AWS", "AWS"]),
        ("AWS et AWS.", "AWS only", "en", ["AWS", None]),
        ("Le cloud public.", "这是公有云服务", "zh", ["公有云"]),
        ("Selon Foresight News.", "据Foresight News报道", "zh", ["Foresight News"]),
        ("Le minage.", "Mining.", "en", ["Mining"]),
    ],
)
def test_verify(small: Glossary, source: str, target: str, lang: str, found: list) -> None:
    matches = small.match(source)
    results = small.verify(target, small.constraints_for(source, matches), matches, lang)
    assert [r.found for r in results] == found
    for r in results:
        assert r.satisfied == (r.found is not None)
        if r.found:
            assert target[r.start : r.end] == r.found


def test_unknown_entry_in_constraints(small: Glossary) -> None:
    bogus = TermMatch(0, 5, "cloud", "cloud", "other.csv:9")
    with pytest.raises(GlossaryError, match="not in this glossary"):
        small.constraints_for("cloud", [bogus])


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=80))
def test_match_never_fails_on_arbitrary_text(text: str) -> None:
    g = _small_glossary()
    pos = 0
    for m in g.match(text + " cloud"):
        assert (text + " cloud")[m.start : m.end] == m.text and m.start >= pos
        pos = m.end
