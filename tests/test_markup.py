"""Markdown and HTML input: readers, placeholders, fallback, writer (no model needed)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from translate.markup import EXTENSIONS, format_for, read_document, readable_extensions
from translate.markup.placeholders import constraints_for, matching_text, restore
from translate.markup.writer import render_translation
from translate.pipeline import Pipeline
from translate.units import DocumentResult, InlineTag, SegmentMarkup, TermConstraint

REPO = Path(__file__).resolve().parent.parent

MARKDOWN = """---
title: Les bourses
tags: [crypto, cloud]
---
# Les *grandes* entreprises visent les bourses #

Le 25 août, **Binance** a ouvert une [bourse](https://exemple.fr/a?b=1 "titre") au Japon. Le
cloud public grandit&nbsp;: voir `pip install x` et ![logo](logo.png) ici.

> Une citation *sur deux
> lignes.* Fin de citation.

- premier point avec <span class="x">du HTML</span> ;
- second point <https://exemple.org/p>
  1. sous-point\\* échappé

| Société | Part |
|---|---|
| *OKX* | 12 % |

```python
print("Ne pas traduire.")
```

    code indenté

<div>bloc HTML brut</div>

**Tout en gras. Deux phrases.**
Ligne avec saut dur\
et suite.
"""

HTML = """<!DOCTYPE html>
<html lang="fr">
<head><meta charset="utf-8"><title>Les bourses de cryptomonnaies</title>
<style>p { color: red; }</style><script>var x = "Ne pas traduire.";</script></head>
<body>
<!-- commentaire -->
<h1 class="titre">Les <em>grandes</em> entreprises</h1>
<p>Le 25 août, <b>Binance</b> a ouvert une <a href="https://exemple.fr/a?b=1&amp;c=2" title="Bourse">bourse</a>
au Japon. Il a d&eacute;clar&#233; :<br>« <i>Nous</i> arrivons. »</p>
<ul><li>premier point<li><strong>second</strong> point</ul>
<blockquote><p>Une citation.</p></blockquote>
<table><tr><th>Société</th><td>12&nbsp;%</td></tr></table>
<pre>Ne pas traduire.</pre>
<p translate="no">Ne pas traduire non plus.</p>
<p>Lancez <code>pip <b>install</b></code> puis <span class="notranslate">Nom Propre</span> fin.</p>
</body>
</html>
"""


class Identity:
    """Gives every segment back as it came (placeholders included)."""

    source_lang = "fr"
    target_lang = "fr"

    def __init__(self) -> None:
        self.seen: list[tuple[str, list[TermConstraint]]] = []

    def translate(
        self, texts: Sequence[str], constraints: Sequence[Sequence[TermConstraint]] | None = None
    ) -> list[str]:
        cons = constraints or [[] for _ in texts]
        self.seen.extend((t, list(c)) for t, c in zip(texts, cons, strict=True))
        return list(texts)

    def provenance(self) -> dict[str, Any]:
        return {"engine": "identity", "legs": [{"model": "identity"}]}


class Upper(Identity):
    """Upper-cases the text (placeholders are unchanged by it)."""

    target_lang = "en"

    def translate(
        self, texts: Sequence[str], constraints: Sequence[Sequence[TermConstraint]] | None = None
    ) -> list[str]:
        return [t.upper() for t in super().translate(texts, constraints)]


def translate(text: str, fmt: str, engine: Identity) -> DocumentResult:
    doc, _ = read_document(text, fmt)
    # localize=False: the round trip judges the markup; the localization pass rewrites figures
    return Pipeline({engine.target_lang: engine}, localize=False).translate(doc)[engine.target_lang]


# --------------------------------------------------------------------------- structure


def md_structure(text: str) -> list[tuple[str, str]]:
    """Block and inline token types of a Markdown text with link targets and code, no words."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.front_matter import front_matter_plugin

    md = MarkdownIt("commonmark").enable(["table", "strikethrough"]).use(front_matter_plugin)
    out: list[tuple[str, str]] = []
    for tok in md.parse(text):
        if tok.type == "inline":
            for c in tok.children or []:
                if c.type in ("text", "softbreak"):
                    continue
                detail = str(c.attrs.get("href") or c.attrs.get("src") or "")
                out.append((c.type, detail + (c.content if c.type == "code_inline" else "")))
        else:
            keep = (
                tok.content
                if tok.type in ("fence", "code_block", "html_block", "front_matter")
                else ""
            )
            out.append((tok.type, keep))
    return out


def html_structure(text: str) -> list[tuple[str, str]]:
    """Elements of an HTML text in document order with their attributes (lxml)."""
    import lxml.html

    root = lxml.html.document_fromstring(text)
    out = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        attrs = dict(el.attrib)
        attrs.pop("lang", None)
        kept = el.text_content() if el.tag in ("pre", "code", "script", "style") else ""
        out.append((el.tag, repr(sorted(attrs.items())) + kept))
    return out


# --------------------------------------------------------------------------- readers


def test_readers_are_chosen_by_extension_in_one_registry() -> None:
    assert format_for("a/b.md") == "markdown" and format_for("x.HTML") == "html"
    assert format_for("x.txt") == "text" and format_for("x.unknown") == "text"
    assert format_for("x.txt", "html") == "html"
    assert set(readable_extensions()) == set(EXTENSIONS) >= {".txt", ".md", ".html"}


def test_markdown_blocks_and_what_is_never_translated() -> None:
    doc, warnings = read_document(MARKDOWN, "markdown")
    assert warnings == []
    texts = [s.text for s in doc.segments]
    assert texts[0] == "Les grandes entreprises visent les bourses"
    assert doc.segments[0].kind == "title"
    assert "Le\ncloud public grandit\u00a0: voir pip install x et  ici." in texts
    assert "sous-point* échappé" in texts
    assert {"OKX", "12 %", "Société"} <= set(texts)
    for never in ("Ne pas traduire", "code indenté", "bloc HTML brut", "title: Les", "crypto"):
        assert not any(never in t for t in texts), never
    kinds = {s.text: s.kind for s in doc.segments}
    assert kinds["premier point avec du HTML ;"] == "list"
    # every segment lies exactly where its markup says, in the original
    for seg in doc.segments:
        m = doc.segment_markup[seg.id]
        assert MARKDOWN[m.start : m.end].replace("*", "") != ""
        assert doc.text[seg.start : seg.end] == seg.text


def test_html_blocks_and_what_is_never_translated() -> None:
    doc, warnings = read_document(HTML, "html")
    assert warnings == []
    texts = [s.text for s in doc.segments]
    assert texts[0] == "Les bourses de cryptomonnaies"  # <title>
    assert "Les grandes entreprises" in texts
    assert "Il a déclaré :\n« Nous arrivons. »" in texts
    assert {"premier point", "second point", "Une citation.", "Société", "12\u00a0%"} <= set(texts)
    for never in ("Ne pas traduire", "color", "var x", "commentaire"):
        assert not any(never in t for t in texts), never
    seg = next(s for s in doc.segments if s.text.startswith("Lancez"))
    tags = doc.segment_markup[seg.id].tags
    assert [(t.kind, t.name, t.open) for t in tags] == [
        ("ph", "code", "<code>pip <b>install</b></code>"),
        ("ph", "span", '<span class="notranslate">Nom Propre</span>'),
    ]


def test_a_sentence_inside_inline_markup_keeps_its_placeholders() -> None:
    doc, _ = read_document(HTML, "html")
    seg = next(s for s in doc.segments if s.text.startswith("Le 25 août"))
    m = doc.segment_markup[seg.id]
    assert m.source == "Le 25 août, [1]Binance[/1] a ouvert une [2]bourse[/2]\nau Japon."
    assert m.tags[1].open == '<a href="https://exemple.fr/a?b=1&amp;c=2" title="Bourse">'
    assert HTML[m.start : m.end].startswith("Le 25 août, <b>Binance</b>")


def test_pairs_wrapping_whole_sentences_stay_in_the_layout() -> None:
    doc, _ = read_document("**Tout en gras. Deux phrases.**\n", "markdown")
    assert [doc.segment_markup[s.id].source for s in doc.segments] == [
        "Tout en gras.",
        "Deux phrases.",
    ]


def test_a_pair_across_a_sentence_boundary_joins_the_sentences() -> None:
    doc, _ = read_document("Un *deux. Trois* quatre. Cinq.\n", "markdown")
    assert [s.text for s in doc.segments] == ["Un deux. Trois quatre.", "Cinq."]
    assert doc.segment_markup["p1.s1"].source == "Un [1]deux. Trois[/1] quatre."


def test_numbering_skips_forms_the_sentence_already_holds() -> None:
    doc, _ = read_document("Voir [1] et *ceci*.\n", "markdown")
    m = doc.segment_markup["p1.s1"]
    assert m.source == "Voir [1] et [2]ceci[/2]."


def test_malformed_html_is_read_with_warnings_and_nothing_lost() -> None:
    broken = "<p>Un <b>texte <i>non fermé</p><p>Puis</span> une <em>autre</p>\n<div>fin"
    doc, warnings = read_document(broken, "html")
    assert len(warnings) == 3 and any("stray </span>" in w for w in warnings)
    assert [s.text for s in doc.segments] == ["Un texte non fermé", "Puis une autre", "fin"]
    result = translate(broken, "html", Identity())
    assert render_translation(result) == broken
    upper = render_translation(translate(broken, "html", Upper()))
    assert upper == "<p>UN <b>TEXTE <i>NON FERMÉ</p><p>PUIS</span> UNE <em>AUTRE</p>\n<div>FIN"


# --------------------------------------------------------------------------- placeholders


def _markup(source: str, *tags: InlineTag) -> SegmentMarkup:
    return SegmentMarkup(0, 0, source, tags)


B = InlineTag(1, "pc", "b", "<b>", "</b>")
A = InlineTag(2, "pc", "a", '<a href="u">', "</a>")
CODE = InlineTag(3, "ph", "code", "<code>x</code>", "", "x")
SRC = _markup("Le [1]gras[/1] et [2]lien[/2] avec [3/].", B, A, CODE)


@pytest.mark.parametrize(
    ("translation", "target", "issues"),
    [
        ("The [1]bold[/1] and [2]link[/2] with [3/].", None, []),
        (
            "The [ 1 ]bold[/ 1] and [2]link[/2] with [3/].",
            "The [1]bold[/1] and [2]link[/2] with [3/].",
            [],
        ),
        (
            "The [1] bold [/1]and [2]link[/2] with [3/].",
            "The [1]bold[/1] and [2]link[/2] with [3/].",
            [],
        ),
        (
            "The bold and [2]link[/2] with [3/].",
            "[1]The bold and [2]link[/2] with [3/].[/1]",
            ["<b> [1] lost: put around the whole segment"],
        ),
        (
            "The [/1]bold[1] and [2]link[/2] with [3/] [3/].",
            "[1]The bold and [2]link[/2] with [3/].[/1]",
            [
                "<code> [3/] duplicated: the first kept",
                "<b> [1] reordered: put around the whole segment",
            ],
        ),
        (
            "The [1]bold [2]and[/1] link[/2].",
            "[2]The [1]bold and[/1] link.[3/][/2]",  # one pair out of the crossing is enough
            [
                "<a> [2] reordered: put around the whole segment",
                "<code> [3/] lost: put at the end of the segment",
            ],
        ),
        (
            "The [1]bold[/1] and [2]link with [3/].",
            "[2]The [1]bold[/1] and link with [3/].[/2]",
            ["<a> [2] half lost: put around the whole segment"],
        ),
    ],
)
def test_restore_checks_each_placeholder_and_falls_back(
    translation: str, target: str | None, issues: list[str]
) -> None:
    restored = restore(SRC, translation)
    assert restored.markup.target == (target or translation)
    assert list(restored.markup.issues) == issues
    assert "[" not in restored.plain and restored.plain.endswith("x.") or "x" in restored.plain


def test_placeholders_are_verbatim_constraints_and_hidden_from_matching() -> None:
    cons = constraints_for(SRC)
    assert [c.variants("zh") for c in cons] == [("[1]",), ("[/1]",), ("[2]",), ("[/2]",), ("[3/]",)]
    assert all(c.dnt for c in cons)
    assert matching_text(SRC) == "Le gras et lien avec \ufffc."


# --------------------------------------------------------------------------- pipeline


@pytest.mark.parametrize(("text", "fmt"), [(MARKDOWN, "markdown"), (HTML, "html")])
def test_identity_engine_gives_the_file_back_byte_for_byte(text: str, fmt: str) -> None:
    assert render_translation(translate(text, fmt, Identity())) == text


@pytest.mark.parametrize(("text", "fmt"), [(MARKDOWN, "markdown"), (HTML, "html")])
def test_a_translation_keeps_structure_links_code_and_untranslated_parts(
    text: str, fmt: str
) -> None:
    result = translate(text, fmt, Upper())
    out = render_translation(result)
    structure = md_structure if fmt == "markdown" else html_structure
    assert structure(out) == structure(text)
    assert not any(s.markup and s.markup.issues for s in result.segments)
    if fmt == "html":
        assert '<html lang="en">' in out and "<pre>Ne pas traduire.</pre>" in out
        assert "<title>LES BOURSES DE CRYPTOMONNAIES</title>" in out
    else:
        assert out.startswith("---\ntitle: Les bourses\n") and 'print("Ne pas traduire.")' in out
        assert '[BOURSE](https://exemple.fr/a?b=1 "titre")' in out


def test_the_engine_reads_placeholders_which_it_must_write() -> None:
    engine = Identity()
    translate("Les *bourses* de `code`.\n", "markdown", engine)
    [(text, cons)] = engine.seen
    assert text == "Les [1]bourses[/1] de [2/]."
    assert [c.headword for c in cons] == ["[1]", "[/1]", "[2/]"]


def test_glossary_terms_match_across_inline_markup() -> None:
    class Glossary:
        digest = "g"

        def match(self, text: str) -> list[Any]:
            from translate.units import TermMatch

            i = text.find("bourse de cryptomonnaies")
            return (
                []
                if i < 0
                else [TermMatch(i, i + 24, text[i : i + 24], "bourse de cryptomonnaies", "e1")]
            )

        def constraints_for(self, text: str, matches: Sequence[Any]) -> list[TermConstraint]:
            return [TermConstraint(m.headword, {"en": ("crypto exchange",)}) for m in matches]

        def verify(self, target: str, constraints: Any, matches: Any, lang: str) -> list[Any]:
            return []

    engine = Upper()
    doc, _ = read_document("Une <b>bourse</b> de cryptomonnaies.", "html")
    Pipeline({"en": engine}, glossary=Glossary()).translate(doc)  # type: ignore[arg-type]
    [(_, cons)] = engine.seen
    assert cons[0].targets["en"] == ("crypto exchange",)


def test_results_carry_markup_and_survive_json() -> None:
    result = translate(MARKDOWN, "markdown", Upper())
    again = DocumentResult.from_json(result.to_json())
    assert again == result
    assert render_translation(again) == render_translation(result)
    assert result.summary["markup"]["fallbacks"] == 0


def test_a_lost_placeholder_is_reported_per_segment_and_markup_kept() -> None:
    class Drop(Identity):
        target_lang = "de"

        def translate(self, texts: Sequence[str], constraints: Any = None) -> list[str]:
            return [re.sub(r"\[/?\d+/?\]", "", t) for t in texts]

    text = 'Un <a href="https://x.org">lien</a> ici.'
    result = translate(text, "html", Drop())
    [seg] = result.segments
    assert seg.markup is not None and seg.markup.issues == (
        "<a> [1] lost: put around the whole segment",
    )
    assert render_translation(result) == '<a href="https://x.org">Un lien ici.</a>'
    assert result.summary["markup"]["segments_with_fallback"] == ["p1.s1"]


# --------------------------------------------------------------------------- generated documents

_WORD = st.sampled_from(
    ["le", "cloud", "bourse", "été", "Binance", "à", "cryptomonnaies", "marché", "l'IA", "10 %"]
)
_WORDS = st.lists(_WORD, min_size=1, max_size=4).map(" ".join)


@st.composite
def _md_inline(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 4))):
        words = draw(_WORDS)
        kind = draw(
            st.sampled_from(["plain", "em", "strong", "link", "code", "img", "html", "esc"])
        )
        parts.append(
            {
                "plain": words,
                "em": f"*{words}*",
                "strong": f"**{words}**",
                "link": f"[{words}](https://x.org/{len(words)})",
                "code": f"`{words}`",
                "img": f"![{words}](i.png)",
                "html": f'<span class="c">{words}</span>',
                "esc": f"{words} \\* &amp;",
            }[kind]
        )
    end = draw(st.sampled_from([".", " !", "", ". Puis encore."]))
    return " ".join(parts) + end


@st.composite
def markdown_documents(draw: st.DrawFn) -> str:
    blocks = []
    if draw(st.booleans()):
        blocks.append("---\ntitle: x\n---")
    for _ in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(["h", "p", "list", "quote", "table", "fence"]))
        line = draw(_md_inline())
        if kind == "h":
            blocks.append("#" * draw(st.integers(1, 3)) + " " + line)
        elif kind == "p":
            blocks.append(line + ("\n" + draw(_md_inline()) if draw(st.booleans()) else ""))
        elif kind == "list":
            marker = draw(st.sampled_from(["-", "*", "1."]))
            items = draw(st.lists(_md_inline(), min_size=1, max_size=3))
            blocks.append("\n".join(f"{marker} {i}" for i in items))
        elif kind == "quote":
            blocks.append("> " + line + "\n> " + draw(_md_inline()))
        elif kind == "table":
            blocks.append(f"| a | b |\n|---|---|\n| {draw(_WORDS)} | {draw(_WORDS)} |")
        else:
            blocks.append(f"```\n{line}\n```")
    return "\n\n".join(blocks) + "\n"


@st.composite
def html_documents(draw: st.DrawFn) -> str:
    def inline() -> str:
        parts = []
        for _ in range(draw(st.integers(1, 4))):
            w = draw(_WORDS)
            kind = draw(st.sampled_from(["plain", "b", "a", "code", "br", "ent", "nest"]))
            parts.append(
                {
                    "plain": w,
                    "b": f"<b>{w}</b>",
                    "a": f'<a href="https://x.org/?a=1&amp;b={len(w)}">{w}</a>',
                    "code": f"<code>{w}</code>",
                    "br": f"{w}<br>",
                    "ent": f"{w} &eacute;t&#233; &amp;",
                    "nest": f"<em>{w} <span class='s'>{w}</span></em>",
                }[kind]
            )
        return " ".join(parts) + draw(st.sampled_from([".", " ?", ". Et la suite."]))

    blocks = []
    for _ in range(draw(st.integers(1, 5))):
        tag = draw(st.sampled_from(["p", "h2", "li", "blockquote", "td", "pre", "div"]))
        body = inline()
        if tag == "li":
            blocks.append(f"<ul>\n  <li>{body}</li>\n</ul>")
        elif tag == "td":
            blocks.append(f"<table><tr><td>{body}</td></tr></table>")
        else:
            blocks.append(f"<{tag}>{body}</{tag}>")
    return "<body>\n" + "\n".join(blocks) + "\n</body>\n"


_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(markdown_documents())
def test_generated_markdown_round_trips_and_keeps_structure(text: str) -> None:
    assert render_translation(translate(text, "markdown", Identity())) == text
    result = translate(text, "markdown", Upper())
    assert md_structure(render_translation(result)) == md_structure(text)


@_SETTINGS
@given(html_documents())
def test_generated_html_round_trips_and_keeps_structure(text: str) -> None:
    assert render_translation(translate(text, "html", Identity())) == text
    result = translate(text, "html", Upper())
    assert html_structure(render_translation(result)) == html_structure(text)


# --------------------------------------------------------------------------- exports


@pytest.mark.parametrize(("text", "fmt"), [(MARKDOWN, "markdown"), (HTML, "html")])
def test_xliff_carries_inline_markup_as_pc_and_ph(text: str, fmt: str) -> None:
    from schemas import xliff_errors

    from translate.export import get_exporter
    from translate.export.xliff import parse_xliff

    result = translate(text, fmt, Upper())
    data = get_exporter("xliff").render(result)
    xml = data.decode("utf-8")
    assert "<pc " in xml and "<ph " in xml and "<originalData>" in xml
    assert 'type="link"' in xml
    if fmt == "html":
        assert '&lt;a href="https://exemple.fr/a?b=1&amp;amp;c=2" title="Bourse"&gt;' in xml
    read = parse_xliff(data)
    by_id = {s.id: s for s in read.segments}
    for seg in result.segments:  # pairs keep their text; codes are read as nothing
        assert by_id[seg.id].target is not None
        if seg.markup is not None and not any(t.kind == "ph" for t in seg.markup.tags):
            assert by_id[seg.id].source == seg.source
    assert xliff_errors(data) == []


def test_doc_files_are_named_after_the_input_and_the_review_page_apart(tmp_path: Any) -> None:
    from translate.export import export_all

    for text, fmt, ext in ((MARKDOWN, "markdown", "md"), (HTML, "html", "html")):
        result = translate(text, fmt, Upper())
        result = type(result)(**{**result.__dict__, "source_path": f"a/article.{ext}"})
        paths = export_all(result, "doc,md,html,txt", tmp_path, "article")
        names = [p.name for p in paths]
        assert names[0] == f"article.en.{ext}" and names[2] == "article.en.review.html"
        if ext == "md":  # md and doc are the same file for a Markdown input
            assert names[1] == names[0]
        assert paths[0].read_text(encoding="utf-8") == render_translation(result)
        page = paths[2].read_text(encoding="utf-8")
        assert 'class="markup"' in page and "‹a›" in page


def test_results_without_markup_keep_their_json_shape() -> None:
    from translate.segment import segment

    result = Pipeline({"en": Upper()}).translate(segment("Une phrase."))["en"]
    data = result.to_dict()
    assert "format" not in data["source"] and "markup" not in data["segments"][0]
    assert "markup" not in data["summary"]


# --------------------------------------------------------------------------- QA


def test_the_markup_check_reports_what_the_fallback_moved(tmp_path: Any) -> None:
    import json

    from translate.checks import check_result, describe_checks, load_checks

    class Drop(Identity):
        target_lang = "de"

        def translate(self, texts: Sequence[str], constraints: Any = None) -> list[str]:
            return [t.replace("[/1]", "").replace("[2/]", "") for t in texts]

    result = check_result(translate("Un *mot* et `code` ici.\n", "markdown", Drop()))
    [seg] = result.segments
    found = [(c.check, c.severity, c.message) for c in seg.checks if c.check == "markup"]
    assert found == [
        ("markup", "major", "<em> [1] half lost: put around the whole segment"),
        ("markup", "major", "<code> [2/] lost: put at the end of the segment"),
    ]
    assert "[" not in seg.target  # the other checks read the text without placeholders
    assert any(d["check"] == "markup" for d in describe_checks())
    # a configuration written before the check existed still loads, with the bundled entry
    from translate._io import read_data

    data = json.loads(read_data("checks.json"))
    del data["checks"]["markup"]
    path = tmp_path / "checks.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert load_checks(path).severity("markup") == "major"


def test_terms_span_markup_but_not_code_and_every_stage_agrees() -> None:
    from translate.glossary import load_glossary

    glossary = load_glossary([str(REPO / "glossaries" / "crypto-cloud.csv")])
    text = "Les <b>bourses</b> de cryptomonnaies et le <code>cloud</code> public."
    doc, _ = read_document(text, "html")
    pipeline = Pipeline({"en": Upper()}, glossary=glossary)
    result = pipeline.translate(doc)["en"]
    [seg] = result.segments
    assert [t.headword for t in seg.terms] == ["bourse de cryptomonnaies"]
    evaluated, _ = pipeline.evaluate(result, None)
    assert [t.headword for t in evaluated.segments[0].terms] == ["bourse de cryptomonnaies"]


def test_segment_command_reads_markup_and_says_where_each_segment_lies(
    tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from translate.cli import main

    path = tmp_path / "a.md"
    path.write_text("# Titre\n\nUn *mot*. Deux.\n", encoding="utf-8")
    assert main(["segment", str(path), "--format", "jsonl"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    text = path.read_text(encoding="utf-8")
    assert [r["markup"] for r in rows] == ["Titre", "Un [1]mot[/1].", "Deux."]
    assert [text[r["source_start"] : r["source_end"]] for r in rows] == [
        "Titre",
        "Un *mot*.",
        "Deux.",
    ]
    assert main(["segment", str(path), "--input-format", "text"]) == 0
    assert capsys.readouterr().out.startswith("# Titre\n")


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(["[1]", "[/1]", "[2]", "[/2]", "[3/]", "[4]", "[/4]", " mot ", "x", " "]),
        max_size=14,
    )
)
def test_any_translation_restores_each_tag_once_and_well_nested(parts: list[str]) -> None:
    from translate.markup.placeholders import pieces

    tags = (B, A, CODE, InlineTag(4, "pc", "em", "<em>", "</em>"))
    markup = _markup("[1]a[/1] [2]b[/2] [3/] [4]c[/4]", *tags)
    restored = restore(markup, "".join(parts))
    stack: list[int] = []
    seen: list[tuple[int, str]] = []
    for _, tag, role in pieces(restored.markup, restored.markup.target):
        if tag is None:
            continue
        seen.append((tag.id, role))
        if role == "open":
            stack.append(tag.id)
        elif role == "close":
            assert stack.pop() == tag.id
    assert not stack
    assert sorted(seen) == sorted(
        [(1, "open"), (1, "close"), (2, "open"), (2, "close"), (3, "ph"), (4, "open"), (4, "close")]
    )
    if any(w.strip() for w in parts if not w.startswith("[")):  # some text to wrap
        assert restore(markup, restored.markup.target).markup.issues == ()  # a fixed point
    assert "[" not in restored.plain


def test_po_names_the_line_in_the_original_and_shows_the_markup() -> None:
    from translate.export import get_exporter

    result = translate(HTML, "html", Upper())
    result = type(result)(**{**result.__dict__, "source_path": "a.html"})
    po = get_exporter("po").render(result)
    line = HTML[: HTML.index("Le 25 août")].count("\n") + 1
    assert f"#: a.html:{line}\n" in po
    assert "#. markup: Le 25 août, [1]Binance[/1] a ouvert une [2]bourse[/2] au Japon." in po


def test_localization_reaches_the_document_and_its_edits_point_into_the_plain_target() -> None:
    class Echo(Identity):
        target_lang = "en"

    doc, _ = read_document(
        "Le marché vaut **94,82 milliards** de yuans, en hausse de 13,8 %.\n", "markdown"
    )
    result = Pipeline({"en": Echo()}).translate(doc)["en"]
    [seg] = result.segments
    assert seg.localized, "the pass changed nothing"
    for change in seg.localized:
        assert seg.target[change.start : change.end] == change.after
    out = render_translation(result)
    assert "**94.82" in out and "[" not in out


@pytest.mark.parametrize("text", [":*`1`*", "a *`x`* b.", "<b><code>x</code></b> fin."])
def test_a_pair_that_wraps_only_code_is_not_empty_when_the_source_has_it(text: str) -> None:
    fmt = "html" if text.startswith("<") else "markdown"
    result = translate(text, fmt, Identity())
    assert render_translation(result) == text
    assert not any(s.markup and s.markup.issues for s in result.segments)


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        ("# Le marché monte.\n\nTexte.\n", "markdown"),
        ("<h2>Le marché monte.</h2><p>Texte.</p>", "html"),
    ],
)
def test_a_heading_is_a_title_whatever_its_punctuation(text: str, fmt: str) -> None:
    doc, _ = read_document(text, fmt)
    assert [s.kind for s in doc.segments] == ["title", "sentence"]
