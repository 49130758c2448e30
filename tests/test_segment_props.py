"""Properties that hold for any text: exact offsets, trimmed non-empty segments, exact rebuild."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from translate.segment import KINDS, segment

BULLET = re.compile(r"[•◦▪▫‣►▸●○■□✓✔*+\-·]|\d{1,3}[.)]|[a-zA-Z]\)")

# Characters the rules react to, mixed with arbitrary unicode so that both rule paths and
# surprises (combining marks, other scripts, control and space separators) are exercised.
SPECIAL = list(".!?…:;,()[]«»“”\"'’-—–•*@#$%/ \u00a0\u202f\t\n\r\u2028\x0b")
WORDS = [
    "M.",
    "etc.",
    "J.-C.",
    "av.",
    "E.",
    "JD.com",
    "10 000",
    "94,82",
    "https://t.me/x",
    "Rédaction :",
    "- ",
    "1. ",
    "…",
    "...",
    "\n\n",
    "Le",
    "il",
    "Ph.D.",
]
text_strategy = st.lists(
    st.one_of(st.sampled_from(SPECIAL), st.sampled_from(WORDS), st.text(max_size=6)),
    max_size=60,
).map("".join)


def check_invariants(text: str) -> None:
    doc = segment(text)
    assert doc.text == text
    assert doc.rebuild({}) == text
    pos = 0
    for s in doc.segments:
        assert s.text, s
        assert text[s.start : s.end] == s.text
        assert s.start >= pos
        assert not s.text[0].isspace() and not s.text[-1].isspace()
        assert s.kind in KINDS
        pos = s.end
    assert len({s.id for s in doc.segments}) == len(doc.segments)
    # Everything outside segments is layout: whitespace, or list bullets / enumerators.
    gaps = doc.rebuild({s.id: " " for s in doc.segments})
    for token in gaps.split():
        assert BULLET.fullmatch(token), (token, text)


@settings(max_examples=400, deadline=None)
@given(text_strategy)
def test_offsets_rebuild_any_mixed_text(text: str) -> None:
    check_invariants(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_offsets_rebuild_any_unicode(text: str) -> None:
    check_invariants(text)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(WORDS + [" ", "\n"]), max_size=80).map("".join))
def test_targets_replace_exactly_their_segment(text: str) -> None:
    doc = segment(text)
    targets = {s.id: f"<{s.id}>" for s in doc.segments}
    rebuilt = doc.rebuild(targets)
    for s in doc.segments:
        assert f"<{s.id}>" in rebuilt


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("M. " * 60_000, id="abbreviations-without-end"),
        pytest.param("(a. b " * 40_000, id="open-brackets"),
        pytest.param("etc. a " * 30_000, id="etc-lowercase"),
        pytest.param("a" * 200_000, id="one-long-token"),
        pytest.param("." * 200_000, id="one-long-dot-run"),
        pytest.param("a. « « « " * 20_000, id="openers"),
    ],
)
def test_pathological_input_stays_linear(text: str) -> None:
    """Inputs that would make a quadratic rule hang (no timing assertion: a hang fails CI)."""
    doc = segment(text)
    assert doc.rebuild({}) == text
