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
    "copy_chunks",
    "corpus_lines",
    "fake_hub_snapshot",
    "train_copy",
    "train_spm",
]


def copy_chunks(lines: Iterable[str], *, max_words: int = 8, seed: int = 0) -> list[str]:
    """``lines`` cut into runs of 2 to ``max_words`` words (lengths drawn with ``seed``): short
    inputs that a tiny model learns to copy in a few hundred steps."""
    import random

    rng = random.Random(seed)
    out: list[str] = []
    for line in lines:
        words, i = line.split(), 0
        while i < len(words):
            k = rng.randint(2, max(2, max_words))
            if len(words[i : i + k]) >= 2:
                out.append(" ".join(words[i : i + k]))
            i += k
    return out


def train_copy(
    path: Path,
    lines: Iterable[str],
    *,
    steps: int,
    seed: int = 0,
    lr: float = 1.5e-3,
    batch_size: int = 32,
) -> Path:
    """Train the model at ``path`` (from :func:`build_marian`) for ``steps`` steps to copy its
    input, and save it in place: it then writes real text (its source's words, mostly) rather
    than noise, which lets tests compare backends on outputs a trained model would give.

    Dropout is off and the learning rate warms up for 30 steps then decays linearly: on the
    chunks of :func:`copy_chunks` a 2-layer, 64-wide model copies held-out text (chrF about 65
    against its input) after 1,200 steps, under three minutes on one CPU thread. The ``<pad>``
    embedding, which starts the decoder, is held at zero, as in the Helsinki-NLP models
    (converted from Marian, whose decoder starts from a zero embedding): CTranslate2's converter
    relies on it, and a trained model that moved it would decode differently there.
    """
    import random

    import torch
    from transformers import MarianMTModel, MarianTokenizer

    torch.manual_seed(seed)
    tok = MarianTokenizer.from_pretrained(str(path))
    model = MarianMTModel.from_pretrained(
        str(path), dropout=0.0, attention_dropout=0.0, activation_dropout=0.0
    )
    model.train()
    texts = [t for t in lines if 2 <= len(t.split()) <= 25]
    random.Random(seed).shuffle(texts)
    pad = model.get_input_embeddings().weight[tok.pad_token_id]  # a view of the shared row
    with torch.no_grad():
        pad.zero_()
    optim = torch.optim.AdamW(model.parameters(), lr=lr)
    sched = torch.optim.lr_scheduler.LambdaLR(
        optim, lambda step: min(1.0, (step + 1) / 30) * max(0.05, 1 - step / max(1, steps))
    )
    for step in range(steps):
        start = (step * batch_size) % max(1, len(texts))
        batch = texts[start : start + batch_size] or texts[:batch_size]
        enc = tok(batch, text_target=batch, return_tensors="pt", padding=True, truncation=True)
        labels = enc["labels"]
        labels[labels == tok.pad_token_id] = -100
        loss = model(
            input_ids=enc["input_ids"], attention_mask=enc["attention_mask"], labels=labels
        ).loss
        loss.backward()
        optim.step()
        sched.step()
        optim.zero_grad()
        with torch.no_grad():
            pad.zero_()
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
