"""Document structure: paragraphs, line breaks, segment kinds, ids, and the bundled article."""

from __future__ import annotations

from pathlib import Path

import pytest

from translate.segment import KINDS, segment, segment_file


def layout(text: str) -> list[tuple[int, str, str]]:
    return [(s.paragraph, s.kind, s.text) for s in segment(text).segments]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Titre de l'article\nRédaction : Leek, Foresight News\nLe texte commence. Il continue.",
            [
                (1, "title", "Titre de l'article"),
                (2, "byline", "Rédaction : Leek, Foresight News"),
                (3, "sentence", "Le texte commence."),
                (3, "sentence", "Il continue."),
            ],
            id="title-byline-paragraph",
        ),
        pytest.param(
            "Par Jean Dupont\n\nLa grève continue.",
            [(1, "byline", "Par Jean Dupont"), (2, "sentence", "La grève continue.")],
            id="byline-par",
        ),
        pytest.param(
            "Par ailleurs, la grève continue.",
            [(1, "sentence", "Par ailleurs, la grève continue.")],
            id="par-is-not-a-byline",
        ),
        pytest.param(
            "Groupe Telegram :https://t.me/TechFlowDaily\nContact : presse@exemple.fr",
            [
                (1, "link", "Groupe Telegram :https://t.me/TechFlowDaily"),
                (2, "link", "Contact : presse@exemple.fr"),
            ],
            id="link-lines",
        ),
        pytest.param(
            "Recevoir la newsletter Énergie & Numérique : https://exemple.fr/nl\n"
            "Suivez-nous : @JournalDuCloud · https://www.linkedin.com/company/jdc",
            [
                (1, "link", "Recevoir la newsletter Énergie & Numérique : https://exemple.fr/nl"),
                (2, "link", "Suivez-nous : @JournalDuCloud · https://www.linkedin.com/company/jdc"),
            ],
            id="link-lines-separators-are-not-words",
        ),
        pytest.param(
            "Écrivez à redaction@exemple.fr. Merci.",
            [
                (1, "sentence", "Écrivez à redaction@exemple.fr."),
                (1, "sentence", "Merci."),
            ],
            id="two-short-sentences-with-an-address-are-not-a-link-line",
        ),
        pytest.param(
            "Les mesures :\n- une baisse de TVA ;\n- un chèque. Il sera versé en mai.\n• le gel des loyers",
            [
                (1, "sentence", "Les mesures :"),
                (2, "list", "une baisse de TVA ;"),
                (3, "list", "un chèque."),
                (3, "list", "Il sera versé en mai."),
                (4, "list", "le gel des loyers"),
            ],
            id="bullets",
        ),
        pytest.param(
            "Deux volets.\n1. Une aide aux ménages.\n2) Un soutien aux entreprises.",
            [
                (1, "sentence", "Deux volets."),
                (2, "list", "Une aide aux ménages."),
                (3, "list", "Un soutien aux entreprises."),
            ],
            id="numbered-list",
        ),
        pytest.param(
            "— Vous partez déjà ?\n— oui, mon train est à 18 h.",
            [
                (1, "sentence", "— Vous partez déjà ?"),
                (2, "sentence", "— oui, mon train est à 18 h."),
            ],
            id="dialogue-dash-ends-segment",
        ),
        pytest.param(
            "Les grandes entreprises visent les exchanges\net déclenchent une guerre.\nIl le dit.",
            [
                (
                    1,
                    "sentence",
                    "Les grandes entreprises visent les exchanges\net déclenchent une guerre.",
                ),
                (2, "sentence", "Il le dit."),
            ],
            id="soft-wrap-lowercase",
        ),
        pytest.param(
            "Après un long débat au Parlement et deux recours devant le Conseil,\nEmmanuel"
            " Macron a promulgué la réforme.",
            [
                (
                    1,
                    "sentence",
                    "Après un long débat au Parlement et deux recours devant le Conseil,\nEmmanuel"
                    " Macron a promulgué la réforme.",
                )
            ],
            id="soft-wrap-after-comma",
        ),
        pytest.param(
            "La réforme, adoptée au printemps,\nentre en vigueur en mai.",
            [(1, "sentence", "La réforme, adoptée au printemps,\nentre en vigueur en mai.")],
            id="soft-wrap-after-comma-lowercase",
        ),
        pytest.param(
            "Madame, Monsieur,\nNous avons bien reçu votre demande.",
            [
                (1, "sentence", "Madame, Monsieur,"),
                (2, "sentence", "Nous avons bien reçu votre demande."),
            ],
            id="salutation-line-ends",
        ),
        pytest.param(
            "Vu le code de l'environnement ;\nVu la demande du 3 mars ;\nArrête :",
            [
                (1, "sentence", "Vu le code de l'environnement ;"),
                (2, "sentence", "Vu la demande du 3 mars ;"),
                (3, "sentence", "Arrête :"),
            ],
            id="capital-after-semicolon-line-ends",
        ),
        pytest.param(
            "Il a cité trois villes ;\nla première est Lyon.",
            [(1, "sentence", "Il a cité trois villes ;\nla première est Lyon.")],
            id="soft-wrap-after-semicolon",
        ),
        pytest.param(
            "Le maire a répondu\nUne réunion est prévue jeudi",
            [(1, "title", "Le maire a répondu"), (2, "title", "Une réunion est prévue jeudi")],
            id="hard-break-before-capital",
        ),
        pytest.param(
            "Le contrat a été signé par M.\nDupont et J.-P.\nMartin, p.\n12 du rapport.\nIl a fini.",
            [
                (
                    1,
                    "sentence",
                    "Le contrat a été signé par M.\nDupont et J.-P.\nMartin, p.\n12 du rapport.",
                ),
                (2, "sentence", "Il a fini."),
            ],
            id="wrap-after-abbreviation-is-soft",
        ),
        pytest.param(
            "Il a vendu des fruits, etc.\nLe marché a fermé.",
            [(1, "sentence", "Il a vendu des fruits, etc."), (2, "sentence", "Le marché a fermé.")],
            id="line-end-after-final-abbreviation",
        ),
        pytest.param(
            "Il a fini.\nensuite il est parti.",
            [(1, "sentence", "Il a fini."), (2, "sentence", "ensuite il est parti.")],
            id="hard-break-after-final-punctuation",
        ),
        pytest.param(
            "Une phrase sans fin\n\net une autre après un blanc",
            [(1, "title", "Une phrase sans fin"), (2, "title", "et une autre après un blanc")],
            id="blank-line-always-ends",
        ),
        pytest.param("", [], id="empty"),
        pytest.param(" \n\t\n  ", [], id="only-whitespace"),
    ],
)
def test_layout(text: str, expected: list[tuple[int, str, str]]) -> None:
    assert layout(text) == expected


def test_ids_offsets_and_rebuild() -> None:
    text = "\n  Titre  \n\nM. Dupont parle. Il part.  \n\n\n- un point\n"
    doc = segment(text)
    assert [s.id for s in doc.segments] == ["p1.s1", "p2.s1", "p2.s2", "p3.s1"]
    for s in doc.segments:
        assert text[s.start : s.end] == s.text
        assert s.kind in KINDS
    assert doc.rebuild({}) == text
    assert doc.rebuild({"p2.s2": "He leaves."}) == text.replace("Il part.", "He leaves.")


@pytest.fixture(scope="module")
def article(article_path: Path):  # type: ignore[no-untyped-def]
    return segment_file(article_path)


def test_article_structure(article) -> None:  # type: ignore[no-untyped-def]
    by_text = {s.text: s for s in article.segments}
    assert by_text["Rédaction : Leek, Foresight News"].kind == "byline"
    for handle in ("TechFlowDaily", "TechFlowPost", "BlockFlow_News"):
        [line] = [s for s in article.segments if s.text.endswith(handle)]
        assert line.kind == "link" and "\n" not in line.text
    assert article.segments[0].kind == "title"
    assert (
        article.segments[0].text
        == "Les grandes entreprises d'Internet visent les exchanges de cryptomonnaies"
    )
    # The title split over two lines is one segment.
    assert any(
        s.text.endswith("cryptomonnaies\net a déclenché une guerre sans fumée de poudre.")
        for s in article.segments
    )
    assert article.rebuild({}) == article.text


@pytest.mark.parametrize(
    "fragment", ["94,82 milliards", "10 000 personnes", "13,8 %", "JD.com", "OKX"]
)
def test_article_numbers_and_names_not_split(article, fragment: str) -> None:  # type: ignore[no-untyped-def]
    assert any(fragment in s.text for s in article.segments), fragment
    assert not any(s.text.endswith(fragment.split()[0]) for s in article.segments)


def test_article_sentence_ends(article) -> None:  # type: ignore[no-untyped-def]
    prose = [s for s in article.segments if s.kind == "sentence"]
    assert len(prose) >= 40
    for s in prose:
        assert s.text[0].isupper() or s.text[0] in "«—", s.text
        assert s.text.rstrip("» ")[-1] in ".!?…", s.text
