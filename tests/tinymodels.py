"""Build tiny MarianMT models in the exact Helsinki-NLP on-disk layout, for offline tests.

The hub cannot be reached in tests or CI, so the real loading code is exercised on models built
here in seconds: SentencePiece models trained on text from the repository, a joint ``vocab.json``,
``tokenizer_config.json``, ``config.json``, ``generation_config.json`` and safetensors weights.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from translate.engine.demo import SAMPLE_LINES, train_spm
from translate.engine.demo import build_marian as _build_marian

REPO = Path(__file__).resolve().parent.parent

#: Helsinki-NLP/opus-mt-fr-en's dimensions, for benchmarks that need a model of real size.
OPUS_MT_FR_EN = {"d_model": 512, "layers": 6, "heads": 8, "ffn": 2048, "full_vocab": 59514}


def corpus_lines() -> list[str]:
    """French and other text shipped in the repository, used to train the tiny tokenizers."""
    lines: list[str] = []
    for path in sorted((REPO / "articles").rglob("*.txt")):
        lines.extend(line for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    for path in sorted((REPO / "glossaries").glob("*.csv")):
        for row in path.read_text(encoding="utf-8").splitlines()[1:]:
            lines.extend(cell for cell in row.replace("|", ",").split(",") if cell.strip())
    lines += SAMPLE_LINES[1:]  # Latin, Cyrillic and CJK samples: every script tokenizes
    return lines


def build_marian(out: Path, **kwargs: Any) -> Path:
    """:func:`translate.engine.demo.build_marian` with tokenizers trained on the repository's text."""
    return _build_marian(out, lines=corpus_lines(), **kwargs)


__all__ = ["OPUS_MT_FR_EN", "build_marian", "corpus_lines", "train_spm"]
