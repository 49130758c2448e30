"""Build tiny MarianMT models in the exact Helsinki-NLP on-disk layout, for offline tests.

The hub cannot be reached in tests or CI, so the real loading code is exercised on models built
here in seconds: SentencePiece models trained on text from the repository, a joint ``vocab.json``,
``tokenizer_config.json``, ``config.json``, ``generation_config.json`` and safetensors weights.
"""

from __future__ import annotations

from collections.abc import Iterable
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


__all__ = [
    "OPUS_MT_FR_EN",
    "build_marian",
    "corpus_lines",
    "fake_hub_snapshot",
    "train_copy",
    "train_spm",
]


def train_copy(path: Path, lines: Iterable[str], *, steps: int, seed: int = 0) -> Path:
    """Train the model at ``path`` (from :func:`build_marian`) for ``steps`` steps to copy its
    input, and save it in place: it then writes real text (its source's words, mostly) rather
    than noise, which lets tests compare backends on outputs a trained model would give."""
    import torch
    from transformers import MarianMTModel, MarianTokenizer

    torch.manual_seed(seed)
    tok = MarianTokenizer.from_pretrained(str(path))
    model = MarianMTModel.from_pretrained(str(path))
    model.train()
    texts = [t for t in lines if 3 <= len(t.split()) <= 25]
    optim = torch.optim.AdamW(model.parameters(), lr=3e-3)
    for step in range(steps):
        start = (step * 32) % max(1, len(texts))
        batch = texts[start : start + 32] or texts[:32]
        enc = tok(batch, text_target=batch, return_tensors="pt", padding=True, truncation=True)
        labels = enc["labels"]
        labels[labels == tok.pad_token_id] = -100
        loss = model(
            input_ids=enc["input_ids"], attention_mask=enc["attention_mask"], labels=labels
        ).loss
        loss.backward()
        optim.step()
        optim.zero_grad()
    model.eval()
    model.save_pretrained(str(path))
    return path


def fake_hub_snapshot(hub: Path, repo_id: str, model: Path) -> str:
    """Put ``model`` into a Hugging Face cache folder ``hub`` as ``repo_id``'s main snapshot
    (what a download leaves there); returns the commit hash it is filed under."""
    import shutil

    repo = hub / f"models--{repo_id.replace('/', '--')}"
    commit = "0123456789abcdef0123456789abcdef01234567"
    shutil.copytree(model, repo / "snapshots" / commit)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text(commit)
    (repo / "blobs").mkdir()
    return commit
