"""Build tiny MarianMT models in the exact Helsinki-NLP on-disk layout, for offline tests.

The hub cannot be reached in tests or CI, so the real loading code is exercised on models built
here in seconds: SentencePiece models trained on text from the repository, a joint ``vocab.json``,
``tokenizer_config.json``, ``config.json``, ``generation_config.json`` and safetensors weights.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from pathlib import Path

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
    # Latin, Cyrillic and CJK samples so that every target script tokenizes without <unk>.
    lines += [
        "The quick brown fox jumps over the lazy dog. Cryptocurrency exchange, cloud, mining.",
        "Die großen Internetunternehmen zielen auf Kryptobörsen. Öffentliche Cloud, Stablecoin.",
        "Las grandes empresas apuntan a los exchanges de criptomonedas. ¿Nube pública? ¡Sí!",
        "Крупные интернет-компании нацелены на криптобиржи. Облако, майнинг, блокчейн.",
        "大型互联网公司瞄准加密货币交易所。公有云，稳定币，挖矿，区块链，大模型。",
        "大手インターネット企業は暗号資産取引所を狙う。クラウド、ステーブルコイン。",
        "تستهدف شركات الإنترنت الكبرى منصات تداول العملات المشفرة. السحابة العامة.",
        "0 1 2 3 4 5 6 7 8 9 % € $ ( ) [ ] « » “ ” ' ’ - – — : ; ! ? . , / @ # & + = _",
    ]
    return lines


def train_spm(lines: Iterable[str], vocab_size: int) -> bytes:
    """Train a unigram SentencePiece model in memory, with Marian's special-token ids."""
    import sentencepiece as spm

    lines = list(lines)
    # Full character coverage needs one piece per distinct character (CJK text has many).
    vocab_size = max(vocab_size, len(set("".join(lines))) + 64)
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=model,
        vocab_size=vocab_size,
        model_type="unigram",
        character_coverage=1.0,
        byte_fallback=False,
        hard_vocab_limit=False,
        unk_id=2,
        bos_id=-1,
        eos_id=0,
        pad_id=1,
        unk_piece="<unk>",
        eos_piece="</s>",
        pad_piece="<pad>",
        minloglevel=2,
        num_threads=1,
    )
    return model.getvalue()


def build_marian(
    out: Path,
    *,
    vocab_size: int = 600,
    d_model: int = 32,
    layers: int = 2,
    heads: int = 2,
    ffn: int = 64,
    seed: int = 0,
    num_beams: int = 2,
    max_length: int = 64,
    init_std: float = 0.02,
    eos_bias: float = 0.0,
    full_vocab: int | None = None,
    target_lang: str = "xx",
) -> Path:
    """Save a random-weight MarianMT model and tokenizer under ``out`` in Helsinki-NLP layout.

    ``init_std`` above the default makes outputs depend on the input; ``eos_bias`` raises the
    end-of-sentence logit so that outputs have varied lengths instead of always hitting the cap.
    ``full_vocab`` pads the vocabulary (and so the embedding table) with unused pieces up to that
    size, as in a real model whose SentencePiece model is larger than ``vocab_size`` here.
    """
    import torch
    from transformers import MarianConfig, MarianMTModel

    out.mkdir(parents=True, exist_ok=True)
    spm_bytes = train_spm(corpus_lines(), vocab_size)
    (out / "source.spm").write_bytes(spm_bytes)
    (out / "target.spm").write_bytes(spm_bytes)

    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_proto=spm_bytes)
    pieces = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    vocab = {"</s>": 0, "<unk>": 1}
    for piece in pieces:
        if piece not in vocab and piece != "<pad>":
            vocab[piece] = len(vocab)
    while full_vocab is not None and len(vocab) < full_vocab - 1:
        vocab[f"<unused{len(vocab)}>"] = len(vocab)
    vocab["<pad>"] = len(vocab)
    (out / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    (out / "tokenizer_config.json").write_text(
        json.dumps(
            {
                "source_lang": "fr",
                "target_lang": target_lang,
                "unk_token": "<unk>",
                "eos_token": "</s>",
                "pad_token": "<pad>",
                "model_max_length": 512,
                "separate_vocabs": False,
                "tokenizer_class": "MarianTokenizer",
            }
        ),
        encoding="utf-8",
    )
    pad_id = vocab["<pad>"]
    config = MarianConfig(
        vocab_size=len(vocab),
        decoder_vocab_size=len(vocab),
        d_model=d_model,
        encoder_layers=layers,
        decoder_layers=layers,
        encoder_attention_heads=heads,
        decoder_attention_heads=heads,
        encoder_ffn_dim=ffn,
        decoder_ffn_dim=ffn,
        max_position_embeddings=512,
        pad_token_id=pad_id,
        eos_token_id=0,
        decoder_start_token_id=pad_id,
        forced_eos_token_id=0,
        scale_embedding=True,
        share_encoder_decoder_embeddings=True,
        num_beams=num_beams,
        max_length=max_length,
        bad_words_ids=[[pad_id]],
        init_std=init_std,
    )
    torch.manual_seed(seed)
    model = MarianMTModel(config)
    model.eval()
    if eos_bias:
        with torch.no_grad():
            model.final_logits_bias[0, 0] = eos_bias
    model.generation_config.num_beams = num_beams
    model.generation_config.max_length = max_length
    model.generation_config.bad_words_ids = [[pad_id]]
    model.save_pretrained(out)
    return out


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
