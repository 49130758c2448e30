"""The review page's markup and embedded data, without a browser: hooks, directions, local paths
redacted, safe script data, localization changes, and what ``translate review`` keeps from a
review-page export. The browser side is tests/test_review_browser.py."""

from __future__ import annotations

import base64
import gzip
import json
from dataclasses import replace
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from lxml import html
from resultfixtures import make_result

from translate.export import get_exporter
from translate.export.htmlpage import render_review_html
from translate.export.pagedata import (
    download_names,
    file_name,
    page_data,
    public_result,
    script_json,
    text_direction,
)
from translate.export.xliff import MDA, REVIEW_PAGE, XLF, parse_xliff
from translate.memory import TranslationMemory
from translate.review import approved_segments, post_edit_effort, store_approved
from translate.units import LocalizedChange, replace_segments

RESULT = make_result()


def test_every_row_carries_the_automation_hooks() -> None:
    root = html.fromstring(render_review_html(RESULT))
    rows = root.xpath("//table[@id='segments']/tbody/tr")
    assert [r.get("data-seg-id") for r in rows] == [s.id for s in RESULT.segments]
    for r in rows:
        assert len(r.xpath('.//*[@data-role="target"][@contenteditable]')) == 1
        assert len(r.xpath('.//*[@data-role="comment"][@contenteditable]')) == 1
        assert len(r.xpath('.//button[@data-action="approve"]')) == 1
        assert len(r.xpath('.//button[@data-action="reject"]')) == 1
        assert r.get("data-state") == "untouched"
    assert len(root.xpath('//button[@data-action="export-xliff"]')) == 1
    # TER is a cost: its header says so.
    page = render_review_html(
        replace_segments(RESULT, [replace(s, scores={"ter": 40.0}) for s in RESULT.segments])
    )
    assert 'title="lower is better">TER ↓</th>' in page and 'class="score lower"' in page


@pytest.mark.parametrize(
    ("lang", "direction"),
    [
        ("ar", "rtl"),
        ("he", "rtl"),
        ("fa-AF", "rtl"),
        ("az-Arab", "rtl"),
        ("ks-Deva", "ltr"),
        ("ur_PK", "rtl"),
        ("en", "ltr"),
        ("zh-Hans", "ltr"),
        ("ja", "ltr"),
        ("", "ltr"),
    ],
)
def test_text_direction(lang: str, direction: str) -> None:
    assert text_direction(lang) == direction


def test_cells_carry_lang_and_dir() -> None:
    root = html.fromstring(render_review_html(replace(RESULT, target_lang="ar")))
    cell = root.xpath("//td[@class='tgt']")[0]
    assert (cell.get("lang"), cell.get("dir")) == ("ar", "rtl")
    src = root.xpath("//td[@class='src']")[0]
    assert (src.get("lang"), src.get("dir")) == ("fr", "ltr")


LOCAL = {
    "models": [{"id": "Helsinki-NLP/opus-mt-fr-en"}, {"id": "/home/ana/models/opus-mt-fr-de"}],
    "glossary": {"path": "glossaries/private/crypto.csv", "sha256": "9f86"},
    "memory": "C:\\Users\\ana\\tm.sqlite",
    "cache": "~/cache/x",
    "reference": "file:///srv/refs/en.jsonl",
}


def test_local_paths_become_file_names_everywhere() -> None:
    result = replace(make_result(path="/home/ana/articles/fr/article.txt"), provenance=LOCAL)
    public = public_result(result)
    assert public.source_path == "article.txt"
    assert public.provenance == {
        "models": [{"id": "Helsinki-NLP/opus-mt-fr-en"}, {"id": "opus-mt-fr-de"}],
        "glossary": {"path": "crypto.csv", "sha256": "9f86"},
        "memory": "tm.sqlite",
        "cache": "x",
        "reference": "en.jsonl",
    }
    page = render_review_html(result)
    data = page_data(public)
    unpacked = gzip.decompress(base64.b64decode(data["pack"])).decode("utf-8")
    for secret in ("/home/ana", "Users", "/srv/refs", "~/cache", "glossaries/private"):
        assert secret not in page and secret not in unpacked
    assert "Helsinki-NLP/opus-mt-fr-en" in page
    assert download_names(result) == {
        "xlf": "article.en.edited.xlf",
        "json": "article.en.edited.json",
    }
    assert file_name("C:\\a\\b.txt") == "b.txt" and file_name("") == ""


def test_script_data_cannot_close_its_element() -> None:
    text = script_json({"x": "</script><!-- <b>&amp;\u2028"})
    assert not any(c in text for c in "<>&\u2028")
    assert json.loads(text) == {"x": "</script><!-- <b>&amp;\u2028"}


def test_packed_result_and_xliff_round_trip() -> None:
    data = page_data(public_result(RESULT))
    packed = json.loads(gzip.decompress(base64.b64decode(data["pack"])))
    assert packed["result"] == json.loads(public_result(RESULT).to_json())
    assert parse_xliff(packed["xliff"].encode()).source_text() == RESULT.source_text
    assert [s["id"] for s in data["segments"]] == [s.id for s in RESULT.segments]
    assert data["segments"][0]["terms"] == [
        {"source": t.source, "required": list(t.required)} for t in RESULT.segments[0].terms
    ]


def test_localization_changes_are_shown_when_present() -> None:
    change = LocalizedChange("date", "25 août", "August <25>", 0, 11)
    seg = replace(RESULT.segments[0], localized=(change,))
    page = render_review_html(replace_segments(RESULT, [seg, *RESULT.segments[1:]]))
    li = html.fromstring(page).xpath("//ul[@class='loc']/li")
    assert [e.text_content() for e in li] == ["date 25 août → August <25>"]
    assert "<ul class" not in render_review_html(RESULT)  # absent: nothing shown


def _page_export(states: dict[int, str]) -> bytes:
    """The XLIFF as the page writes it: states set, the review-page marker in the file metadata."""
    ET.register_namespace("", XLF)
    ET.register_namespace("mda", MDA)
    root = ET.fromstring(get_exporter("xliff").render(RESULT))
    segments = list(root.iter(f"{{{XLF}}}segment"))
    for seg in segments:
        seg.set("state", "initial")
    for index, state in states.items():
        segments[index].set("state", state)
        segments[index].find(f"{{{XLF}}}target").text = f"edit {index}"  # type: ignore[union-attr]
    metadata = root.find(f"{{{XLF}}}file/{{{MDA}}}metadata")
    assert metadata is not None
    ET.SubElement(metadata, f"{{{MDA}}}metaGroup", category=REVIEW_PAGE)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def test_review_page_exports_store_only_final_segments(tmp_path: Path) -> None:
    doc = parse_xliff(_page_export({3: "final", 4: "translated", 5: "reviewed"}))
    assert doc.review_page
    assert [s.id for s in approved_segments(doc)] == [RESULT.segments[3].id]
    assert post_edit_effort(doc).approved == 1
    with TranslationMemory(tmp_path / "tm.sqlite") as tm:
        assert store_approved(doc, tm) == 1
        assert [e.target for e in tm.entries("en")] == ["edit 3"]
    # The same states in a CAT tool's file: reviewed counts too.
    cat = parse_xliff(get_exporter("xliff").render(RESULT))
    assert not cat.review_page
    assert {s.state for s in approved_segments(cat)} == {"reviewed"}


def test_an_empty_result_still_makes_a_valid_xliff() -> None:
    from schemas import xliff_errors

    data = get_exporter("xliff").render(make_result(""))
    assert xliff_errors(data) == []
    doc = parse_xliff(data)
    assert doc.segments == () and doc.source_text() == ""


def test_cli_says_when_a_page_export_has_nothing_approved(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from translate.cli import main

    path = tmp_path / "article.en.edited.xlf"
    path.write_bytes(_page_export({4: "translated", 5: "reviewed"}))
    assert main(["review", str(path), "--memory", str(tmp_path / "tm.sqlite")]) == 0
    assert "no segment is approved (final): nothing stored" in capsys.readouterr().out
    assert not (tmp_path / "tm.sqlite").exists()
