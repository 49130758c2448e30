"""The README's thresholds excerpt and gate-failure examples match the shipped thresholds file."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SHIPPED = json.loads((REPO / "translate" / "data" / "thresholds.json").read_text(encoding="utf-8"))
README = (REPO / "README.md").read_text(encoding="utf-8")
LABELS = {"BLEU": "bleu_min", "chrF": "chrf_min", "TER": "ter_max"}


def _threshold(lang: str, key: str) -> Any:
    return SHIPPED["languages"].get(lang, {}).get(key, SHIPPED["default"].get(key))


def test_the_excerpt_is_the_shipped_file() -> None:
    section = README.split("### Thresholds file", 1)[1]
    excerpt = json.loads(re.search(r"```json\n(.+?)\n```", section, re.S).group(1))  # type: ignore[union-attr]
    assert excerpt["default"] == SHIPPED["default"]
    for lang, block in excerpt["languages"].items():
        assert block == SHIPPED["languages"][lang], lang


def test_gate_failure_examples_use_the_shipped_thresholds() -> None:
    examples = re.findall(r"translate: (\w+): (BLEU|chrF|TER) [\d.]+ [<>] ([\d.]+)", README)
    assert examples
    for lang, label, value in examples:
        assert float(value) == _threshold(lang, LABELS[label]), (lang, label, value)
    names = {"German": "de", "English": "en", "Spanish": "es", "Chinese": "zh"}
    for label, value, name in re.findall(
        r"`(BLEU|chrF|TER) [\d.]+ < ([\d.]+) \(missed by [\d.]+\)` for (\w+)", README
    ):
        assert float(value) == _threshold(names[name], LABELS[label]), (label, value, name)


def test_the_comment_speaks_to_users() -> None:
    comment = SHIPPED["_comment"]
    assert "--thresholds FILE" in comment and "exit 6" in comment
