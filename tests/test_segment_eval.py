"""The segmentation evaluation: the scorer works, the gold set is well formed, our F1 holds."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SCORE = REPO / "evals" / "segmentation" / "score.py"


@pytest.fixture(scope="module")
def score():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("seg_score", SCORE)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop(spec.name, None)


TWO_CASES = [
    {
        "id": "a",
        "text": "M. Dupont arrive. Il part.",
        "sentences": ["M. Dupont arrive.", "Il part."],
    },
    {"id": "b", "text": "Il a 10 000 €.  Bien.", "sentences": ["Il a 10 000 €.", "Bien."]},
]


@pytest.mark.parametrize(
    ("spans", "expected"),
    [
        ([(0, 17), (18, 26)], {15}),  # whitespace between sentences is not counted
        ([(0, 18), (18, 26)], {15}),  # a span that keeps the trailing space ends at the same place
        ([(0, 26)], set()),  # the text end is not a boundary
        ([(0, 2), (3, 17), (18, 26)], {2, 15}),
    ],
)
def test_boundaries_ignore_whitespace(score, spans, expected) -> None:  # type: ignore[no-untyped-def]
    assert score.boundaries(TWO_CASES[0]["text"], spans) == expected


def test_score_counts(score) -> None:  # type: ignore[no-untyped-def]
    result, wrong = score.score("split-all", lambda t: [(0, 2), (3, len(t))], TWO_CASES[:1])
    assert (result.tp, result.fp, result.fn, result.exact) == (0, 1, 1, 0)
    assert result.f1 == 0.0 and len(wrong) == 1
    result, wrong = score.score("ours", score.ours(), TWO_CASES)
    assert (result.tp, result.fp, result.fn, result.exact, result.f1) == (2, 0, 0, 2, 1.0)
    assert "| ours | 2 | 2 | 1.000 | 1.000 | 1.000 | 2/2 (1.000) |" in score.markdown("t", [result])


@pytest.mark.parametrize("system", ["pysbd", "spacy"])
def test_peer_systems_run(score, system: str) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip(system)
    result, _ = score.score(system, score.SYSTEMS[system](), TWO_CASES)
    assert result.cases == 2 and result.tp + result.fn == 2


def test_cli_on_a_small_file(score, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    cases = tmp_path / "cases.jsonl"
    cases.write_text("".join(json.dumps(c) + "\n" for c in TWO_CASES), encoding="utf-8")
    assert score.main([str(cases), "--systems", "ours"]) == 0
    assert "| ours | 2 | 2 |" in capsys.readouterr().out


@pytest.mark.parametrize(("name", "minimum"), [("GOLD", 150), ("BLIND", 80)])
def test_case_set_is_well_formed(score, name: str, minimum: int) -> None:  # type: ignore[no-untyped-def]
    cases = score.load_cases(getattr(score, name))  # every sentence a substring, in order
    assert len(cases) >= minimum
    assert len({c["id"] for c in cases}) == len(cases)
    for case in cases:
        assert {"id", "text", "sentences"} <= set(case)
        assert all(s == s.strip() and s for s in case["sentences"])
        ends = [0]
        for span_start, span_end in score.gold_spans(case):
            assert not case["text"][ends[-1] : span_start].strip(), case["id"]  # only whitespace
            ends.append(span_end)
        assert not case["text"][ends[-1] :].strip(), case["id"]


@pytest.mark.parametrize("name", ["GOLD", "BLIND"])
def test_f1_stays_high(score, name: str) -> None:  # type: ignore[no-untyped-def]
    result, wrong = score.score("ours", score.ours(), score.load_cases(getattr(score, name)))
    assert result.f1 >= 0.98, [w["id"] for w in wrong]
    assert result.accuracy >= 0.95, [w["id"] for w in wrong]
