"""One home for verbatim-span patterns: every stage that reads URLs, e-mails and handles agrees."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from translate.checks import run_checks
from translate.errors import ConfigError
from translate.passthrough import PassthroughRules
from translate.protect import ProtectRules
from translate.segment import segment
from translate.spans import SpanFinder, span_patterns

DATA = Path(__file__).resolve().parent.parent / "translate" / "data"


def test_each_pattern_is_written_once() -> None:
    shared = json.loads((DATA / "spans.json").read_text(encoding="utf-8"))["patterns"]
    for name in ("passthrough.json", "protect.json", "checks.json", "glossary/verbatim.json"):
        text = (DATA / name).read_text(encoding="utf-8")
        assert not any(json.dumps(p)[1:-1] in text for p in shared.values()), name


def test_passthrough_and_protect_read_the_shared_patterns() -> None:
    shared = span_patterns(["url", "email", "handle", "hashtag"])
    passthrough = PassthroughRules.load().patterns
    assert {n: passthrough[n].pattern for n in shared} == shared
    assert set(ProtectRules.load().patterns) >= {"url", "email", "handle"}


@pytest.mark.parametrize("handle", ["@a", "@binance"])
def test_a_protected_handle_is_also_checked(handle: str) -> None:
    source = f"Suivez {handle} sur X pour les annonces du jour."
    assert [m.text for m in ProtectRules.load().find(source)] == [handle]
    checks = run_checks(source, "Follow us on X for the announcements of the day.", "en")
    assert [c.check for c in checks] == ["urls"] and handle in checks[0].message


def test_link_segments_use_the_shared_patterns() -> None:
    (seg,) = segment("Groupe Telegram : https://t.me/TechFlowDaily").segments
    assert seg.kind == "link"


def test_finder_trims_and_keeps_balanced_brackets() -> None:
    finder = SpanFinder(span_patterns(["url"]), ".)")
    text = "voir https://x.org/Foo_(bar). et (https://x.org/a)."
    assert [text[a:b] for a, b, _ in finder.find(text)] == [
        "https://x.org/Foo_(bar)",
        "https://x.org/a",
    ]


def test_unknown_span_name_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="unknown span pattern 'nope'"):
        span_patterns(["nope"])
