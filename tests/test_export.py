"""Exports: registry, file naming, provenance in every format, schema/DTD/msgfmt validity, layout."""

from __future__ import annotations

import base64
import gettext
import gzip
import json
import os
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from resultfixtures import PROVENANCE, SIGNATURES, make_result
from schemas import tmx_errors, xliff_errors

from translate.errors import ConfigError
from translate.export import (
    DEFAULT_FORMATS,
    EXPORTERS,
    UnknownFormatError,
    export_all,
    export_result,
    get_exporter,
    parse_formats,
)
from translate.export.markdown import escape_markdown
from translate.export.tmx import read_tmx
from translate.export.xliff import parse_xliff
from translate.units import SegmentResult, one_line, replace_segments

# Skipped where gettext is absent, unless TRANSLATE_REQUIRE_MSGFMT is set (CI), then it must run.
needs_msgfmt = pytest.mark.skipif(
    shutil.which("msgfmt") is None and not os.environ.get("TRANSLATE_REQUIRE_MSGFMT"),
    reason="msgfmt (gettext) is not installed",
)

RESULT = make_result()
ALL = tuple(EXPORTERS)


def render(fmt: str, result=RESULT) -> str:  # type: ignore[no-untyped-def]
    out = get_exporter(fmt).render(result)
    return out.decode("utf-8") if isinstance(out, bytes) else out


def test_registry_error_lists_valid_names() -> None:
    with pytest.raises(UnknownFormatError) as exc:
        get_exporter("docx")
    for name in ALL:
        assert name in str(exc.value)


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("xliff", ("xliff",)),
        ("XLIFF, tmx ,xliff", ("xliff", "tmx")),
        (["po", "md"], ("po", "md")),
        ("json,txt,md,html,po,tmx,xliff", ("json", "txt", "md", "html", "po", "tmx", "xliff")),
    ],
)
def test_parse_formats(spec: str | list[str], expected: tuple[str, ...]) -> None:
    assert parse_formats(spec) == expected


@pytest.mark.parametrize("spec", ["", " , ", "xliff,pdf"])
def test_parse_formats_rejects(spec: str) -> None:
    with pytest.raises(UnknownFormatError):
        parse_formats(spec)


def test_default_formats_are_registered() -> None:
    assert set(DEFAULT_FORMATS) <= set(EXPORTERS)


def test_export_all_names_files_stem_lang_ext(tmp_path: Path) -> None:
    paths = export_all(RESULT, ALL, tmp_path, "article")
    assert [p.name for p in paths] == [f"article.en.{EXPORTERS[f].extension}" for f in ALL]
    assert all(p.stat().st_size > 0 for p in paths)
    # doc of a text input is the txt file: written once
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted({p.name for p in paths})


def test_export_all_writes_nothing_when_a_format_is_unknown(tmp_path: Path) -> None:
    with pytest.raises(UnknownFormatError):
        export_all(RESULT, ["xliff", "docx"], tmp_path, "article")
    assert list(tmp_path.iterdir()) == []


def test_export_result_to_unwritable_path_leaves_nothing(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    from translate.errors import OutputError

    with pytest.raises(OutputError):
        export_result(RESULT, "xliff", blocker / "out.xlf")
    assert [p.name for p in tmp_path.iterdir()] == ["file"]


#: The published documents hold the document only; every other format records the provenance.
DOCUMENTS = ("txt", "md", "doc")


@pytest.mark.parametrize("fmt", [f for f in ALL if f not in DOCUMENTS])
def test_every_format_records_provenance(fmt: str) -> None:
    text = render(fmt)
    model = PROVENANCE["models"][0]
    for needle in (
        model["id"],
        model["revision"],
        PROVENANCE["glossary"]["sha256"],
        SIGNATURES["chrf"],
        "num_beams",
    ):
        assert needle in text, (fmt, needle)


def test_corrupt_offsets_are_a_config_error() -> None:
    seg = RESULT.segments[3]
    bad = replace_segments(
        RESULT, [*RESULT.segments[:3], replace(seg, start=seg.start + 1), *RESULT.segments[4:]]
    )
    with pytest.raises(ConfigError, match=seg.id):
        render("xliff", bad)


# --- XLIFF ----------------------------------------------------------------------------------------

TRICKY = (
    "\n\n  Titre <b>&amp;</b> « cité »\n\tLigne\x0bavec\x01contrôle.  Deuxième phrase ?\n \nFin\r"
)


@pytest.mark.parametrize(
    "text", [None, TRICKY, "Une seule phrase."], ids=["article", "tricky", "one"]
)
def test_xliff_is_valid_and_rebuilds_the_document_exactly(text: str | None) -> None:
    result = make_result(text)
    data = get_exporter("xliff").render(result)
    assert isinstance(data, bytes)
    assert xliff_errors(data) == []
    doc = parse_xliff(data)
    assert doc.source_text() == result.source_text
    assert doc.target_text() == result.translated_text()
    assert [s.id for s in doc.segments] == [s.id for s in result.segments]
    assert [s.mt for s in doc.segments] == [s.target for s in result.segments]
    assert (doc.src_lang, doc.trg_lang) == ("fr", "en")


def test_xliff_states_units_and_modules() -> None:
    from xml.etree import ElementTree as ET

    root = ET.fromstring(get_exporter("xliff").render(RESULT))
    ns = {
        "x": "urn:oasis:names:tc:xliff:document:2.0",
        "gls": "urn:oasis:names:tc:xliff:glossary:2.0",
    }
    assert root.get("version") == "2.1" and root.get("srcLang") == "fr"
    units = root.findall(".//x:unit", ns)
    assert len(units) == len({s.paragraph for s in RESULT.segments})
    states = [s.get("state") for s in root.iterfind(".//x:segment", ns)]
    assert states == ["reviewed" if s.origin == "memory" else "translated" for s in RESULT.segments]
    terms = [t.text for t in root.iterfind(".//gls:term", ns)]
    assert terms == [t.source for s in RESULT.segments for t in s.terms]
    notes = " ".join(n.text or "" for n in root.iterfind(".//x:note", ns))
    assert "numbers: number 10 000 missing" in notes and "chrf" in notes


@pytest.mark.parametrize(
    ("seg_id", "target", "origin", "state"),
    [
        ("p1.s1", "", "mt", "initial"),
        ("with space", "x", "mt", "translated"),
        ("p1.s1", "x", "memory", "reviewed"),
        ("p1.s1", "x", "passthrough", "translated"),
    ],
)
def test_xliff_edge_segments_stay_valid(seg_id: str, target: str, origin: str, state: str) -> None:
    text = "Bonjour le monde."
    seg = SegmentResult(seg_id, 1, text, target, 0, len(text), origin=origin)
    result = replace_segments(make_result(text), [seg])
    data = get_exporter("xliff").render(result)
    assert xliff_errors(data) == []
    doc = parse_xliff(data)
    assert doc.segments[0].id == seg_id and doc.segments[0].state == state


_TEXT = (
    st.lists(
        st.sampled_from(list("ab é.?!«» \n\t<>&\"'\x0b\x01\ufffe") + ["M. ", "Le ", "\n\n"]),
        min_size=1,
        max_size=40,
    )
    .map("".join)
    .filter(lambda t: t.strip())
)


@settings(max_examples=60, deadline=None)
@given(_TEXT)
def test_xliff_round_trip_property(text: str) -> None:
    result = make_result(text)
    doc = parse_xliff(get_exporter("xliff").render(result))
    assert doc.source_text() == text
    assert doc.target_text() == result.translated_text()


# --- TMX -----------------------------------------------------------------------------------------


def test_tmx_is_valid_and_reads_back(tmp_path: Path) -> None:
    data = get_exporter("tmx").render(RESULT)
    assert isinstance(data, bytes)
    assert tmx_errors(data) == []
    path = tmp_path / "a.tmx"
    path.write_bytes(data)
    units = read_tmx(path)
    assert [(u.source, u.target, u.target_lang) for u in units] == [
        (s.source, s.target, "en") for s in RESULT.segments if s.target
    ]


# --- PO ------------------------------------------------------------------------------------------

PO_CASES = [
    ("Il dit « bonjour ».", 'He says "hello".'),
    ("Chemin C:\\dossier", "Path C:\\folder"),
    ("Deux\tcolonnes", "Two\tcolumns"),
    ("Ligne un\nligne deux", "Line one\nline two"),
    ("Sans retour", "With return\n"),
    ("Contrôle\x01ici", "Control\x01here"),
    ("Emoji 🚀 et 𝔘", "Emoji 🚀 and 𝔘"),
    ("%s et %d restent", "%s and %d stay"),
]


@needs_msgfmt
def test_po_passes_msgfmt_check_and_compiles_to_the_same_strings(tmp_path: Path) -> None:
    text = "\n".join(src for src, _ in PO_CASES)
    segs = []
    pos = 0
    for n, (src, tgt) in enumerate(PO_CASES, 1):
        segs.append(SegmentResult(f"p{n}.s1", n, src, tgt, pos, pos + len(src)))
        pos += len(src) + 1
    result = replace_segments(make_result(text), segs)
    po = tmp_path / "cases.po"
    po.write_text(render("po", result), encoding="utf-8")
    mo = tmp_path / "cases.mo"
    run = subprocess.run(["msgfmt", "-c", "-o", str(mo), str(po)], capture_output=True, text=True)
    assert run.returncode == 0 and run.stderr == "", run.stderr
    with mo.open("rb") as fh:
        catalog = gettext.GNUTranslations(fh)
    for src, tgt in PO_CASES:  # one line each: soft-wrap newlines folded
        assert catalog.gettext(one_line(src)) == one_line(tgt)


@needs_msgfmt
def test_po_of_the_article_is_msgfmt_clean(tmp_path: Path) -> None:
    po = tmp_path / "article.po"
    po.write_text(render("po"), encoding="utf-8")
    run = subprocess.run(
        ["msgfmt", "-c", "--statistics", "-o", os.devnull, str(po)], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    assert "translated message" in run.stderr


def test_po_duplicates_get_the_segment_id_as_context() -> None:
    text = render("po")
    sources = [s.source for s in RESULT.segments]
    dupes = [s for s in RESULT.segments if sources.count(s.source) > 1]
    assert dupes, "the article has a repeated title"
    assert text.count("\nmsgctxt ") == len(dupes)
    for seg in dupes:
        assert f'msgctxt "{seg.id}"' in text


def test_po_marks_high_flags_fuzzy() -> None:
    entries = render("po").split("\n\n")[1:]
    fuzzy = sum("#, fuzzy" in e for e in entries)
    from translate.export.base import segment_flags

    assert fuzzy == sum(any(f.level == "high" for f in segment_flags(s)) for s in RESULT.segments)
    assert fuzzy > 0


# --- txt / md / json ------------------------------------------------------------------------------


def test_txt_and_md_hold_the_document_only() -> None:
    assert render("txt") == RESULT.translated_text()
    md = render("md")
    assert "Helsinki-NLP" not in md and "signature" not in md and "---" not in md
    assert (
        md.rstrip("\n").split("\n\n")[-1]
        == "Compte Twitter anglais :<https://x.com/BlockFlow_News>"
    )


@pytest.mark.parametrize("fmt", ALL)
def test_no_absolute_path_of_the_machine_in_any_export(fmt: str) -> None:
    """Older results recorded absolute paths: every export names the file and model folder only."""
    legs = [{"model": "/home/me/models/opus-mt-fr-en", "local": True}]
    result = replace(
        RESULT,
        source_path="/home/me/articles/fr/doc.txt",
        provenance={"engine": {"legs": legs}, "glossary": "C:\\Users\\me\\g.csv"},
    )
    text = render(fmt, result)
    assert "/home/me" not in text and "Users" not in text
    if fmt not in DOCUMENTS:
        assert "opus-mt-fr-en" in text


def test_md_has_title_heading_paragraphs_and_autolinks() -> None:
    md = render("md")
    blocks = md.split("\n\n")
    assert blocks[0] == "# " + RESULT.segments[0].target
    assert "<https://t.me/TechFlowDaily>" in md
    assert len(blocks) >= len({s.paragraph for s in RESULT.segments})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain text", "plain text"),
        ("a *b* _c_", "a \\*b\\* \\_c\\_"),
        ("# not a heading", "\\# not a heading"),
        ("1. not a list", "\\1. not a list"),
        ("<b>x</b> & y &amp;", "\\<b\\>x\\</b\\> & y \\&amp;"),
        ("see https://x.com/Block_Flow.", "see <https://x.com/Block_Flow>."),
        ("[link](x)", "\\[link\\](x)"),
    ],
)
def test_escape_markdown(text: str, expected: str) -> None:
    assert escape_markdown(text) == expected


def test_json_export_is_the_result() -> None:
    import json

    from translate.units import DocumentResult

    assert DocumentResult.from_dict(json.loads(render("json"))) == RESULT


# --- HTML ----------------------------------------------------------------------------------------

HOSTILE = '</script><script>alert("x")</script> <img src=x onerror=alert(1)> & "q" \'s\''


def test_html_escapes_everything_and_is_self_contained() -> None:
    from lxml import html

    from translate.units import CheckResult, TermResult

    text = "Le cloud <b>public</b> & « privé »."
    seg = SegmentResult(
        'p1.s1"><script>',
        1,
        text,
        HOSTILE,
        0,
        len(text),
        origin="mt<x>",
        terms=(TermResult("cloud", "cloud", ("cloud",), None),),
        checks=(CheckResult('num"bers', "error", HOSTILE),),
        reference=HOSTILE,
        scores={"chrf": 12.5, 'x"y': 3.0},
    )
    result = replace_segments(make_result(text, path=HOSTILE), [seg])
    result = replace(result, provenance={"models": [{"id": HOSTILE}]})
    page = render("html", result)
    root = html.fromstring(page)
    # One script runs; the other holds the page's data as JSON, where no "<" can close it.
    assert len(root.xpath("//script[not(@type)]")) == 1 and not root.xpath("//img")
    (data,) = root.xpath('//script[@type="application/json"]')
    assert "<" not in data.text and ">" not in data.text
    embedded = json.loads(data.text)
    assert embedded["segments"][0]["target"] == HOSTILE
    packed = json.loads(gzip.decompress(base64.b64decode(embedded["pack"])))
    assert packed["result"]["segments"][0]["target"] == HOSTILE
    assert parse_xliff(packed["xliff"].encode()).segments[0].target == HOSTILE
    row = root.xpath("//table[@id='segments']/tbody/tr")[0]
    assert row.get("data-id") == row.get("data-seg-id") == seg.id
    (target,) = row.xpath('.//*[@data-role="target"]')
    assert target.text_content() == HOSTILE
    assert row.xpath('.//div[@class="hl"]')[0].text_content() == ""  # nothing to mark
    assert row.xpath('td[@class="ref"]')[0].text_content() == HOSTILE
    assert row.xpath('td[@class="src"]')[0].text_content() == text
    assert row.xpath('.//mark[contains(@class, "bad")]')[0].text_content() == "cloud"
    assert HOSTILE in root.xpath("//table[@class='kv']")[0].text_content()
    # Nothing is fetched: no links, no external sources.
    assert not root.xpath("//link | //*[@src] | //*[@href]")
    assert "http://" not in page and "https://" not in page


@pytest.mark.parametrize(
    ("summary", "signatures", "metrics"),
    [
        ({}, [], {}),
        (
            {
                "metrics": {"bleu": 30.5, "signatures": {"bleu": "nrefs:1|tok:13a"}},
                "term_accuracy": 0.9,
            },
            [("signature.bleu", "nrefs:1|tok:13a")],
            {"bleu": 30.5, "term_accuracy": 0.9},
        ),
        (
            {
                "metrics": {"chrf": {"score": 55.0, "signature": "nrefs:1|nc:6"}},
                "gate": {"passed": True},
            },
            [("signature.chrf", "nrefs:1|nc:6")],
            {"chrf": 55.0},
        ),
        (
            {"signatures": {"ter": "t"}, "metrics": {"ter": 60}},
            [("signature.ter", "t")],
            {"ter": 60.0},
        ),
    ],
)
def test_provenance_and_metrics_from_either_summary_shape(
    summary: dict, signatures: list[tuple[str, str]], metrics: dict[str, float]
) -> None:
    from translate.export.base import corpus_metrics, provenance_items

    result = replace(RESULT, summary=summary)
    items = provenance_items(result)
    assert [i for i in items if i[0].startswith("signature.")] == signatures
    assert ("models.0.revision", PROVENANCE["models"][0]["revision"]) in items
    assert corpus_metrics(result) == metrics


@pytest.mark.parametrize(
    ("lang", "ok"),
    [
        ("de", True),
        ("pt-BR", True),
        ("zh_Hant", True),
        ("../x", False),
        ("", False),
        ("en/fr", False),
    ],
)
def test_file_names_only_take_language_codes(tmp_path: Path, lang: str, ok: bool) -> None:
    result = replace(RESULT, target_lang=lang)
    if ok:
        assert [p.name for p in export_all(result, "txt", tmp_path, "a")] == [f"a.{lang}.txt"]
    else:
        with pytest.raises(ConfigError):
            export_all(result, "txt", tmp_path, "a")
        assert list(tmp_path.iterdir()) == []


# --- audit: real pipeline shapes --------------------------------------------------------------


def _seg_with_terms(source: str, target: str, terms: list[tuple[str, str, int]]) -> SegmentResult:
    from translate.units import TermResult

    return SegmentResult(
        id="p1.s1",
        paragraph=0,
        source=source,
        target=target,
        start=0,
        end=len(source),
        terms=tuple(
            TermResult(
                src, src, (found,), found, target.find(found), target.find(found) + len(found)
            )
            for src, found, _ in terms
        ),
    )


@pytest.mark.parametrize(
    ("source", "terms", "expected"),
    [
        # "Japon" is the term in "le Japon", never the start of "japonais"
        (
            "Le ministre japonais dit que le Japon investit.",
            [("Japon", "Japan", 0)],
            ["Japon@32"],
        ),
        # terms come in source order: the second "cloud" is the second term
        (
            "Le cloud et le cloud.",
            [("cloud", "cloud", 0), ("cloud", "cloud", 0)],
            ["cloud@3", "cloud@15"],
        ),
        # an elided term still matches after its apostrophe
        ("Le marché de l'IA.", [("IA", "AI", 0)], ["IA@15"]),
    ],
)
def test_source_term_spans_are_whole_words_in_order(
    source: str, terms: list[tuple[str, str, int]], expected: list[str]
) -> None:
    from translate.export.base import term_spans

    seg = _seg_with_terms(source, " ".join(t[1] for t in terms), terms)
    spans = term_spans(seg, "source")
    assert [f"{source[s.start : s.end]}@{s.start}" for s in spans] == expected


def test_pipeline_provenance_keeps_one_tool_and_names_the_model() -> None:
    from translate.export.base import provenance_items
    from translate.export.htmlpage import render_review_html

    prov = {
        "tool": "translate 9.9",
        "engine": {
            "legs": [{"key": "fr-en", "model": "Helsinki-NLP/opus-mt-fr-en", "revision": "abc"}]
        },
    }
    result = replace(RESULT, provenance=prov)
    items = provenance_items(result)
    assert [k for k, _ in items].count("tool") == 1
    assert "Helsinki-NLP/opus-mt-fr-en" in render_review_html(result).split("</header>")[0]


def test_html_header_shows_the_gate_verdict_term_accuracy_and_qa_counts() -> None:
    from translate.export.htmlpage import render_review_html

    summary = {
        "segments": 47,
        "terms_required": 146,
        "terms_found": 140,
        "term_accuracy": 140 / 146,
        "metrics": {
            "n_segments": 47,
            "bleu": 31.2,
            "signature": {"bleu": "nrefs:1|tok:13a"},
        },
        "checks": {"critical": 1, "major": 2, "minor": 0},
        "gate": {
            "passed": False,
            "checks": [
                {
                    "metric": "bleu",
                    "threshold": 25.0,
                    "direction": "min",
                    "status": "pass",
                    "message": "BLEU 31.2 ≥ 25.0 (margin 6.2)",
                },
                {
                    "metric": "qa_critical",
                    "threshold": 0.0,
                    "direction": "max",
                    "status": "fail",
                    "message": "critical QA findings 1 > 0 (missed by 1)",
                },
            ],
        },
    }
    header = render_review_html(replace(RESULT, summary=summary)).split("</header>")[0]
    assert 'class="gate-verdict gate-failed"' in header
    assert "critical QA findings 1 &gt; 0 (missed by 1)" in header
    assert "95.9%" in header and "140/146 terms" in header
    assert "1 critical · 2 major · 0 minor" in header
    assert "nrefs:1|tok:13a" in header and "gate ≥ 25" in header
    assert "N segments" not in header and ">Segments<" not in header


def test_po_comments_name_the_check_severity() -> None:
    text = render("po")
    assert "#. [high]" not in text
    assert any(f"#. [{sev}]" in text for sev in ("critical", "major", "minor"))
