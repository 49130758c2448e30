"""The review page in headless Chromium: loads without console errors, shows every segment, filters.

The page applies filters from the URL hash (``#flag=any``, ``#metric=chrf&max=50``,
``#sort=-chrf``), so each case loads it once with ``--dump-dom`` and reads which rows are visible.
Skipped when Chromium is absent, unless ``TRANSLATE_REQUIRE_BROWSER=1`` (CI), where it fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from resultfixtures import make_result

from translate.export import export_result
from translate.export.base import is_flagged

RESULT = make_result()
BROWSERS = ("chromium", "chromium-browser", "google-chrome")


@pytest.fixture(scope="module")
def chromium() -> str:
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("TRANSLATE_REQUIRE_BROWSER") == "1":
        pytest.fail(
            "TRANSLATE_REQUIRE_BROWSER=1 but Chromium is not installed (Debian: apt-get install chromium)"
        )
    pytest.skip("Chromium is not installed")


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return export_result(RESULT, "html", tmp_path_factory.mktemp("html") / "review.html")


def load(chromium: str, url: str, profile: Path) -> tuple[str, list[str]]:
    """The DOM after the page's script ran, and the console messages it logged."""
    run = subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={profile}",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=3000",
            "--dump-dom",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    console = [line for line in run.stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]
    return run.stdout, console


def rows(dom: str) -> tuple[list[str], list[str], dict[str, str]]:
    """Ids of all rows and of the visible ones, in page order, and the <html> attributes."""
    from lxml import html

    root = html.fromstring(dom)
    trs = root.xpath('//table[@id="segments"]/tbody/tr')
    every = [r.get("data-id") for r in trs]
    return every, [r.get("data-id") for r in trs if r.get("hidden") is None], dict(root.attrib)


def test_console_capture_catches_errors(chromium: str, tmp_path: Path) -> None:
    broken = tmp_path / "broken.html"
    broken.write_text("<p>x</p><script>null.f();</script>", encoding="utf-8")
    _, console = load(chromium, broken.as_uri(), tmp_path / "profile")
    assert any("Uncaught TypeError" in line for line in console)


def _order_by_chrf(ids: list[str]) -> list[str]:
    return [s.id for s in sorted(RESULT.segments, key=lambda s: -s.scores["chrf"]) if s.id in ids]


CASES = [
    ("", [s.id for s in RESULT.segments]),
    ("#flag=any", [s.id for s in RESULT.segments if is_flagged(s)]),
    ("#filter=flagged", [s.id for s in RESULT.segments if is_flagged(s)]),
    (
        "#flag=numbers",
        [s.id for s in RESULT.segments if any(c.check == "numbers" for c in s.checks)],
    ),
    ("#metric=chrf&max=50", [s.id for s in RESULT.segments if s.scores["chrf"] <= 50]),
    ("#sort=-chrf&flag=none", _order_by_chrf([s.id for s in RESULT.segments if not is_flagged(s)])),
]


@pytest.mark.parametrize(("fragment", "expected"), CASES, ids=[c[0] or "all" for c in CASES])
def test_page_loads_and_filters(
    chromium: str, page: Path, tmp_path: Path, fragment: str, expected: list[str]
) -> None:
    assert expected, "every case must select something"
    dom, console = load(chromium, page.as_uri() + fragment, tmp_path / "profile")
    assert console == [], console
    every, shown, html_attrs = rows(dom)
    assert html_attrs.get("data-ready") == "1", "the page script did not finish"
    assert sorted(every) == sorted(s.id for s in RESULT.segments)
    assert shown == expected
    assert f"Showing {len(expected)} of {len(RESULT.segments)} segments" in dom
