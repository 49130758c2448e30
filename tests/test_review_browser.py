"""The review page in a real browser (headless Chromium driven by Selenium and chromedriver).

One browser session serves the whole module. Covered: the page loads without console errors and
filters from the URL hash; an editor edits, approves, rejects, comments, reloads (the work
survives), exports XLIFF, and ``translate review`` of that file stores exactly the approved edit,
which a later run reuses; keyboard, undo, diff and discard; hostile text stays inert; pages with
zero and with one flagged segment; the term rules ported to JavaScript agree with Python's; and
the 2,000-segment page's open and filter times (reported, see the ``-rP`` output).

Skipped when Chromium or chromedriver is absent, unless ``TRANSLATE_REQUIRE_BROWSER=1`` (CI),
where it fails.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from resultfixtures import make_result
from schemas import xliff_errors

from translate._text import span_occurrences, term_occurrences
from translate.cli import main
from translate.export import export_result
from translate.export.base import is_flagged
from translate.export.xliff import read_xliff
from translate.memory import TranslationMemory
from translate.units import CheckResult, DocumentResult, TermResult, replace_segments

webdriver = pytest.importorskip("selenium.webdriver")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402

RESULT = make_result()
BROWSERS = ("chromium", "chromium-browser", "google-chrome")
DRIVERS = ("chromedriver",)


def _missing(what: str) -> None:
    if os.environ.get("TRANSLATE_REQUIRE_BROWSER") == "1":
        pytest.fail(
            f"TRANSLATE_REQUIRE_BROWSER=1 but {what} is not installed "
            "(Debian: apt-get install chromium chromium-driver)"
        )
    pytest.skip(f"{what} is not installed")


@pytest.fixture(scope="module")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(downloads: Path) -> Iterator[Any]:
    binary = next((p for p in map(shutil.which, BROWSERS) if p), None)
    driver_path = next((p for p in map(shutil.which, DRIVERS) if p), None)
    if binary is None:
        _missing("Chromium")
    if driver_path is None:
        _missing("chromedriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(arg)
    options.add_argument("--window-size=1400,1000")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    options.add_experimental_option(
        "prefs",
        {"download.default_directory": str(downloads), "download.prompt_for_download": False},
    )
    driver = webdriver.Chrome(options=options, service=Service(driver_path))
    try:
        yield driver
    finally:
        driver.quit()


def open_page(driver: Any, path: Path, fragment: str = "", *, fresh: bool = True) -> None:
    """Load the page (after about:blank, so a new fragment reloads it); ``fresh`` forgets edits."""
    driver.get_log("browser")  # drop what earlier pages logged
    driver.get("about:blank")
    driver.get(path.as_uri() + fragment)
    if fresh:
        driver.execute_script("localStorage.clear()")
        driver.get("about:blank")
        driver.get(path.as_uri() + fragment)
    assert driver.execute_script("return document.documentElement.dataset.ready") == "1"


def console_errors(driver: Any) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def page_of(result: DocumentResult, tmp_path: Path, name: str = "review.html") -> Path:
    return export_result(result, "html", tmp_path / name)


def row(driver: Any, seg_id: str) -> Any:
    return driver.find_element(By.CSS_SELECTOR, f'tr[data-seg-id="{seg_id}"]')


def field(driver: Any, seg_id: str, role: str) -> Any:
    return row(driver, seg_id).find_element(By.CSS_SELECTOR, f'[data-role="{role}"]')


def click(driver: Any, seg_id: str, action: str) -> None:
    row(driver, seg_id).find_element(By.CSS_SELECTOR, f'[data-action="{action}"]').click()


def retype(element: Any, text: str) -> None:
    """Replace the text of an editable field as a user does: select all, delete, type."""
    element.click()
    element.send_keys(Keys.CONTROL, "a")
    element.send_keys(Keys.DELETE)
    element.send_keys(text)


def wait_download(folder: Path, name: str, timeout: float = 10.0) -> Path:
    path = folder / name
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.is_file() and not (folder / f"{name}.crdownload").exists():
            return path
        time.sleep(0.05)
    raise AssertionError(f"{name} was not downloaded; folder holds {os.listdir(folder)}")


def shown(driver: Any) -> list[str]:
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('#segments tbody tr.seg'))"
        ".filter(r => !r.hidden).map(r => r.dataset.segId)"
    )


# --------------------------------------------------------------------------- loading, filters


def test_console_capture_catches_errors(browser: Any, tmp_path: Path) -> None:
    broken = tmp_path / "broken.html"
    broken.write_text("<p>x</p><script>null.f();</script>", encoding="utf-8")
    browser.get(broken.as_uri())
    assert any("TypeError" in line for line in console_errors(browser))


def _order_by_chrf(ids: list[str]) -> list[str]:
    return [s.id for s in sorted(RESULT.segments, key=lambda s: -s.scores["chrf"]) if s.id in ids]


SEVERITIES = {c.severity for s in RESULT.segments for c in s.checks}
CASES = [
    ("", [s.id for s in RESULT.segments]),
    ("#flag=any", [s.id for s in RESULT.segments if is_flagged(s)]),
    ("#filter=flagged", [s.id for s in RESULT.segments if is_flagged(s)]),
    (
        "#flag=numbers",
        [s.id for s in RESULT.segments if any(c.check == "numbers" for c in s.checks)],
    ),
    (
        "#sev=cosmetic",
        [s.id for s in RESULT.segments if any(c.severity == "cosmetic" for c in s.checks)],
    ),
    ("#terms=bad", [s.id for s in RESULT.segments if any(not t.satisfied for t in s.terms)]),
    ("#metric=chrf&max=50", [s.id for s in RESULT.segments if s.scores["chrf"] <= 50]),
    ("#sort=-chrf&flag=none", _order_by_chrf([s.id for s in RESULT.segments if not is_flagged(s)])),
]


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return page_of(RESULT, tmp_path_factory.mktemp("html"))


@pytest.mark.parametrize(("fragment", "expected"), CASES, ids=[c[0] or "all" for c in CASES])
def test_page_loads_and_filters(
    browser: Any, page: Path, fragment: str, expected: list[str]
) -> None:
    assert expected, "every case must select something"
    open_page(browser, page, fragment)
    assert console_errors(browser) == []
    assert sorted(
        browser.execute_script(
            "return Array.from(document.querySelectorAll('tr.seg')).map(r => r.dataset.segId)"
        )
    ) == sorted(s.id for s in RESULT.segments)
    assert shown(browser) == expected
    count = browser.find_element(By.ID, "count").text
    assert count == f"Showing {len(expected)} of {len(RESULT.segments)} segments"


# --------------------------------------------------------------------------- the editor's loop


def _unique(result: DocumentResult) -> list[int]:
    """Indices of segments whose source appears once (the memory is keyed by source)."""
    sources = [s.source for s in result.segments]
    return [i for i, s in enumerate(sources) if sources.count(s) == 1]


class Echo:
    """An engine that upper-cases; a memory match is the only way to get another target."""

    def translate(self, texts: Sequence[str], constraints: object = None) -> list[str]:
        return [t.upper() for t in texts]

    def provenance(self) -> dict[str, object]:
        return {"engine": "echo", "legs": [{"model": "echo"}]}


def test_edit_approve_reject_comment_reload_export_review_and_reuse(
    browser: Any, page: Path, downloads: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    unique = _unique(RESULT)
    a, b, c = (RESULT.segments[i] for i in unique[:3])
    edit_a, edit_b = "An edited translation, approved.", "A wrong edit <to> rework & see."
    open_page(browser, page)
    retype(field(browser, a.id, "target"), edit_a)
    retype(field(browser, b.id, "target"), edit_b)
    click(browser, a.id, "approve")
    click(browser, b.id, "reject")
    field(browser, b.id, "comment").send_keys("term & <tone> wrong")
    field(browser, c.id, "comment").send_keys("fine as is")
    progress = browser.find_element(By.ID, "progress").text
    total = len(RESULT.segments)
    assert progress == f"2 edited · 1 approved · 1 rejected · {total - 2} remaining"

    open_page(browser, page, fresh=False)  # a reload keeps everything
    assert field(browser, a.id, "target").get_attribute("textContent") == edit_a
    assert field(browser, b.id, "target").get_attribute("textContent") == edit_b
    assert field(browser, b.id, "comment").get_attribute("textContent") == "term & <tone> wrong"
    assert row(browser, a.id).get_attribute("data-state") == "edited approved"
    assert row(browser, b.id).get_attribute("data-state") == "edited rejected"
    assert browser.find_element(By.ID, "progress").text == progress
    open_page(browser, page, "#state=rejected", fresh=False)
    assert shown(browser) == [b.id]

    browser.find_element(By.CSS_SELECTOR, '[data-action="export-xliff"]').click()
    browser.find_element(By.CSS_SELECTOR, '[data-action="export-json"]').click()
    assert console_errors(browser) == []
    xlf = wait_download(downloads, "article.en.edited.xlf")
    edited_json = wait_download(downloads, "article.en.edited.json")
    data = xlf.read_bytes()
    assert xliff_errors(data) == []
    doc = read_xliff(xlf)
    assert doc.review_page and doc.source_text() == RESULT.source_text
    states = {s.id: s.state for s in doc.segments}
    assert states[a.id] == "final" and states[b.id] == "translated"
    assert {states[s.id] for s in RESULT.segments if s.id not in (a.id, b.id)} == {"initial"}
    assert "reviewed" not in states.values()
    assert b'subState="translate:rejected"' in data and b"term &amp; &lt;tone&gt; wrong" in data
    assert b"fine as is" in data
    by_id = {s.id: s for s in doc.segments}
    assert by_id[b.id].target == edit_b and by_id[b.id].mt == b.target

    memory = tmp_path / "tm.sqlite"
    assert main(["review", str(xlf), "--memory", str(memory), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["total"]["approved"] == 1 and report["total"]["edited"] == 2
    assert report["memory"]["stored"] == 1
    with TranslationMemory(memory) as tm:
        assert [(e.source, e.target) for e in tm.entries("en")] == [(a.source, edit_a)]
        from translate.pipeline import Pipeline

        again = Pipeline({"en": Echo()}, memory=tm).translate(RESULT.source_text)["en"]
    reused = {s.id: s for s in again.segments}
    assert reused[a.id].origin == "memory" and reused[a.id].target == edit_a
    assert reused[b.id].origin != "memory"

    out = tmp_path / "again"
    assert main(["export", str(edited_json), "--formats", "xliff", "--out", str(out)]) == 0
    (exported,) = out.glob("*.xlf")
    assert {s.id: s.target for s in read_xliff(exported).segments}[a.id] == edit_a
    saved = json.loads(edited_json.read_text(encoding="utf-8"))
    seg_b = next(s for s in saved["segments"] if s["id"] == b.id)
    assert seg_b["target"] == edit_b and seg_b["origin"] == "edited"
    assert seg_b["review"] == {
        "status": "rejected",
        "comment": "term & <tone> wrong",
        "mt": b.target,
    }


def test_keyboard_terms_undo_diff_and_discard(browser: Any, page: Path) -> None:
    i = next(i for i in _unique(RESULT) if any(t.satisfied for t in RESULT.segments[i].terms))
    seg, after = RESULT.segments[i], RESULT.segments[i + 1]
    term = next(t for t in seg.terms if t.satisfied)
    open_page(browser, page)
    target = field(browser, seg.id, "target")
    retype(target, "Nothing of the sort here")  # the edit removes the term: red at once
    assert row(browser, seg.id).get_attribute("data-terms") == "bad"
    missing = row(browser, seg.id).find_element(By.CSS_SELECTOR, ".missing").text
    assert f"{term.source} → {' / '.join(term.required)}" in missing
    source_mark = row(browser, seg.id).find_element(
        By.CSS_SELECTOR, f'.src mark[data-term="{seg.terms.index(term)}"]'
    )
    assert source_mark.get_attribute("class") == "term bad"
    retype(target, f"Here the {term.required[0]} stay")
    assert row(browser, seg.id).get_attribute("data-terms") == (
        "ok" if len(seg.terms) == 1 else "bad"
    )
    assert source_mark.get_attribute("class") == "term ok"
    marks = row(browser, seg.id).find_elements(By.CSS_SELECTOR, ".hl mark.term.ok")
    assert [m.get_attribute("textContent") for m in marks] == [term.required[0]]

    browser.find_element(By.ID, "f-diff").click()
    diff = row(browser, seg.id).find_element(By.CSS_SELECTOR, ".diff")
    assert diff.is_displayed() and diff.find_elements(By.TAG_NAME, "ins")
    assert (
        "".join(
            e.get_attribute("textContent") for e in diff.find_elements(By.CSS_SELECTOR, "span, ins")
        )
        == f"Here the {term.required[0]} stay"
    )

    target.send_keys(Keys.CONTROL, Keys.ENTER)  # approve and go to the next segment
    assert row(browser, seg.id).get_attribute("data-state") == "edited approved"
    active = browser.switch_to.active_element
    assert active.get_attribute("data-role") == "target"
    assert active.find_element(By.XPATH, "ancestor::tr").get_attribute("data-seg-id") == after.id
    active.send_keys(Keys.ALT, "z")  # undo the approval, then the edit
    assert row(browser, seg.id).get_attribute("data-state") == "edited"
    browser.switch_to.active_element.send_keys(Keys.ALT, "z")
    assert row(browser, seg.id).get_attribute("data-state") == "untouched"
    assert target.get_attribute("textContent") == seg.target
    retype(target, "Again")
    target.send_keys(Keys.ESCAPE)  # back to the MT
    assert target.get_attribute("textContent") == seg.target

    retype(field(browser, after.id, "target"), "Kept until discarded")
    click(browser, after.id, "reject")
    browser.find_element(By.CSS_SELECTOR, '[data-action="discard"]').click()
    browser.switch_to.alert.accept()
    assert field(browser, after.id, "target").get_attribute("textContent") == after.target
    open_page(browser, page, fresh=False)
    assert field(browser, after.id, "target").get_attribute("textContent") == after.target
    assert browser.find_element(By.CSS_SELECTOR, '[data-count="remaining"]').text == str(
        len(RESULT.segments)
    )
    assert console_errors(browser) == []


# --------------------------------------------------------------------------- safety, edge pages

PAYLOADS = (
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=2">',
    "</script><script>window.__pwned=3</script>",
    "javascript:window.__pwned=4",
    '<svg onload="window.__pwned=5"></svg>',
)
INERT = (
    "return [window.__pwned === undefined, "
    "document.querySelectorAll('main img, main svg, main script, main a, main iframe').length]"
)


def test_hostile_text_stays_inert(browser: Any, downloads: Path, tmp_path: Path) -> None:
    text = f"Le cloud {PAYLOADS[0]} et {PAYLOADS[1]}\n\nPuis {PAYLOADS[2]} avec {PAYLOADS[3]} {PAYLOADS[4]}"
    base = make_result(text, path="/home/editor/private/hostile.txt")
    segs = [
        replace(
            s,
            reference=PAYLOADS[n % 5],
            checks=(CheckResult(PAYLOADS[4], "major", PAYLOADS[1]),),
            terms=(TermResult(PAYLOADS[0], PAYLOADS[2], (PAYLOADS[3],), None),),
        )
        for n, s in enumerate(base.segments)
    ]
    result = replace(
        replace_segments(base, segs),
        provenance={"models": [{"id": PAYLOADS[2]}], "glossary": {"path": "/home/editor/g.csv"}},
    )
    path = page_of(result, tmp_path)
    html = path.read_text(encoding="utf-8")
    assert "/home/editor" not in html
    open_page(browser, path)
    assert browser.execute_script(INERT) == [True, 0]
    first = result.segments[0].id
    retype(field(browser, first, "target"), PAYLOADS[1] + PAYLOADS[2])
    field(browser, first, "comment").send_keys(PAYLOADS[0] + PAYLOADS[4])
    # A control character, which XML cannot carry, travels as <cp/>; a lone surrogate, which
    # no text can hold, as U+FFFD (translate review refuses it).
    second = result.segments[1].id
    browser.execute_script(  # `value` works as on a form field
        "arguments[0].value = 'a\\u0001b\\ud800c'", field(browser, second, "target")
    )
    assert browser.execute_script(
        "return arguments[0].value === 'a\\u0001b\\ud800c'", field(browser, second, "target")
    )
    assert field(browser, first, "target").get_attribute("value") == PAYLOADS[1] + PAYLOADS[2]
    browser.find_element(By.ID, "f-diff").click()
    browser.find_element(By.CSS_SELECTOR, '[data-action="export-xliff"]').click()
    assert browser.execute_script(INERT) == [True, 0]
    assert console_errors(browser) == []
    xlf = wait_download(downloads, "hostile.en.edited.xlf")
    data = xlf.read_bytes()
    assert xliff_errors(data) == [] and b"/home/editor" not in data
    edited = {s.id: s.target for s in read_xliff(xlf).segments}
    assert edited[first] == PAYLOADS[1] + PAYLOADS[2]
    assert edited[second] == "a\x01b\ufffdc" and b'<cp hex="0001"/>' in data
    assert (PAYLOADS[0] + PAYLOADS[4]).replace("<", "&lt;").replace(">", "&gt;").encode() in data


@pytest.mark.parametrize("text", ["", "Le 10 000 cloud reste."], ids=["zero", "one-flagged"])
def test_empty_and_single_flagged_pages(
    browser: Any, downloads: Path, tmp_path: Path, text: str
) -> None:
    name = "zero" if not text else "single"
    result = make_result(text, path=f"articles/fr/{name}.txt")
    n = len(result.segments)
    assert n == (1 if text else 0) and all(is_flagged(s) for s in result.segments)
    path = page_of(result, tmp_path)
    open_page(browser, path, "#flag=any")
    assert shown(browser) == [s.id for s in result.segments]
    assert browser.find_element(By.ID, "empty").is_displayed() == (n == 0)
    assert (
        browser.find_element(By.ID, "progress").text
        == f"0 edited · 0 approved · 0 rejected · {n} remaining"
    )
    if n:
        click(browser, result.segments[0].id, "approve")
    browser.find_element(By.CSS_SELECTOR, '[data-action="export-xliff"]').click()
    xlf = wait_download(downloads, f"{name}.en.edited.xlf")
    assert xliff_errors(xlf.read_bytes()) == []
    assert [s.state for s in read_xliff(xlf).segments] == ["final"] * n
    open_page(browser, path, "#flag=none")
    assert shown(browser) == [] and browser.find_element(By.ID, "empty").is_displayed()
    assert console_errors(browser) == []


# --------------------------------------------------------------------------- JS ports, speed

TERM_CASES = [
    ("Les exchanges visent le cloud public.", "cloud", "term"),
    ("Cloud computing, CLOUD and cloud", "cloud", "term"),
    ("The EU and eu", "EU", "term"),
    ("cloudy clouds cloud_x _cloud cloud", "cloud", "term"),
    ("公有云和私有云，公有云", "公有云", "term"),
    ("ＡＩ and AI", "ＡＩ", "term"),
    ("public  cloud and public\\ncloud", "public cloud", "term"),
    ("naïve naïveté naïve", "naïve", "term"),
    ("😀cloud cloud😀 😀 cloud", "cloud", "term"),
    ("visit x.com/a and x.com", "x.com", "span"),
    ("@binances @binance_ @binance", "@binance", "span"),
    ("ｘ.com x.com", "ｘ.com", "span"),
]


def test_javascript_term_rules_match_python(browser: Any, page: Path) -> None:
    open_page(browser, page)
    got = browser.execute_script(
        "return arguments[0].map(c => Review.terms.occurrences(c[0], c[1], c[2])"
        ".map(s => [Review.terms.toCodePoints(c[0], s[0]), Review.terms.toCodePoints(c[0], s[1])]));",
        [list(c) for c in TERM_CASES],
    )
    want = [
        [list(s) for s in (term_occurrences if rule == "term" else span_occurrences)(text, form)]
        for text, form, rule in TERM_CASES
    ]
    assert got == want


def test_two_thousand_segments_open_and_filter(
    browser: Any, tmp_path: Path, record_property: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    article = RESULT.source_text.strip()
    copies = -(-2000 // len(RESULT.segments))
    result = make_result("\n\n".join([article] * copies), path="articles/fr/big.txt")
    assert len(result.segments) >= 2000
    path = page_of(result, tmp_path)
    open_page(browser, path)
    opened = browser.execute_script(
        "return performance.getEntriesByName('review-ready')[0].startTime"
    )
    timings = browser.execute_script(
        """
        const out = {};
        for (const [id, value] of [["f-flag", "any"], ["f-sev", arguments[0]], ["f-terms", "bad"]]) {
          const el = document.getElementById(id);
          const t0 = performance.now();
          el.value = value;
          el.dispatchEvent(new Event("change"));
          document.body.getBoundingClientRect();
          out[id + "=" + value] = performance.now() - t0;
          el.value = el.options[0].value;
          el.dispatchEvent(new Event("change"));
        }
        return out;
        """,
        sorted(SEVERITIES)[0],
    )
    figures = {"segments": len(result.segments), "bytes": path.stat().st_size, "open_ms": opened}
    figures.update({f"filter {k} ms": v for k, v in timings.items()})
    record_property("review_page_2000", figures)
    with capsys.disabled():
        print("\nreview page, 2,000 segments:", json.dumps(figures))
    assert console_errors(browser) == []
    # A sanity ceiling against quadratic work, not a benchmark: the figures are printed above.
    assert opened + max(timings.values()) < 5000, figures
