"""Constraints as the decoder reads them: token sequences, KMP automata and padded tensors.

Each constraint is a disjunction of token sequences (all forms of a term, each tokenised as it
reads after a space, and for CJK also glued to the previous character); :func:`build_tables`
lays out every sentence's alternatives, their KMP transition tables and what each constraint
needs, as the tensors :func:`translate.engine.constrained.constrained_generate` steps through.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from translate._text import CJK
from translate.units import TermConstraint

__all__ = ["ConstraintTables", "build_tables", "kmp_table", "needs_boundary", "term_alternatives"]

_WORD_START = "▁"


def _is_glue_piece(piece: str) -> bool:
    """A piece that continues the previous word (no ``▁``, starts with a non-CJK letter, digit
    or ``_``: a regex word character, as :func:`translate._text.word_pattern` reads them)."""
    return bool(piece) and (piece[0].isalnum() or piece[0] == "_") and not CJK.match(piece[0])


def needs_boundary(form: str) -> bool:
    return bool(form) and form[-1].isalnum() and not CJK.match(form[-1])


@dataclass(frozen=True)
class _Alt:
    constraint: int
    ids: tuple[int, ...]
    boundary: bool


def term_alternatives(tokenizer: Any, form: str) -> list[tuple[int, ...]]:
    """Token sequences that spell ``form`` in the target: after a space (or at sentence start,
    where SentencePiece also writes ``▁``) and, for a CJK form, glued to the previous character.
    Sequences containing ``<unk>`` are dropped."""
    spm = tokenizer.spm_target
    pieces: list[str] = list(spm.encode(form, out_type=str))
    if not pieces:
        return []
    variants = [pieces]
    if CJK.match(form[0]):
        if pieces[0] == _WORD_START and len(pieces) > 1:
            variants.append(pieces[1:])
        elif pieces[0].startswith(_WORD_START):
            variants.append([pieces[0][1:], *pieces[1:]])
    unk = tokenizer.unk_token_id
    vocab = _target_vocab(tokenizer)
    out: list[tuple[int, ...]] = []
    for variant in variants:
        ids = tuple(vocab.get(p, unk) for p in variant)
        if unk not in ids and ids not in out:
            out.append(ids)
    return out


def _target_vocab(tokenizer: Any) -> dict[str, int]:
    """Piece → id in the decoder's vocabulary (Marian models may keep a separate one)."""
    if getattr(tokenizer, "separate_vocabs", False):
        return dict(tokenizer.target_encoder)
    return dict(tokenizer.get_vocab())


@lru_cache(maxsize=4)
def glue_ids(tokenizer: Any, vocab_size: int) -> tuple[int, ...]:
    vocab = _target_vocab(tokenizer)
    return tuple(i for p, i in vocab.items() if i < vocab_size and _is_glue_piece(p))


def kmp_table(seq: tuple[int, ...]) -> tuple[list[int], list[list[int]]]:
    """Distinct tokens of ``seq`` and the KMP transition ``state × token → state`` over them."""
    uniq = list(dict.fromkeys(seq))
    n = len(seq)
    fail = [0] * (n + 1)
    k = 0
    for i in range(1, n):
        while k and seq[i] != seq[k]:
            k = fail[k]
        if seq[i] == seq[k]:
            k += 1
        fail[i + 1] = k
    table = []
    for state in range(n):
        row = []
        for tok in uniq:
            s = state
            while s and seq[s] != tok:
                s = fail[s]
            row.append(s + 1 if seq[s] == tok else 0)
        table.append(row)
    return uniq, table


def _sentence_alternatives(
    tokenizer: Any, constraints: Sequence[TermConstraint], lang: str
) -> tuple[list[_Alt], list[int]]:
    """Alternatives of the enforceable constraints; identical constraints merge into a count."""
    groups: dict[tuple[tuple[int, ...], ...], int] = {}
    counts: list[int] = []
    boundaries: list[dict[tuple[int, ...], bool]] = []
    for c in constraints:
        seqs: dict[tuple[int, ...], bool] = {}
        for form in c.variants(lang):
            for ids in term_alternatives(tokenizer, form):
                seqs[ids] = seqs.get(ids, False) or needs_boundary(form)
        if not seqs:
            continue
        key = tuple(sorted(seqs))
        if key in groups:
            counts[groups[key]] += 1
        else:
            groups[key] = len(counts)
            counts.append(1)
            boundaries.append(seqs)
    alts = [
        _Alt(ci, ids, boundary)
        for ci, seqs in enumerate(boundaries)
        for ids, boundary in seqs.items()
    ]
    return alts, counts


@dataclass(frozen=True)
class ConstraintTables:
    """Every sentence's constraint automata as padded tensors (on the CPU).

    ``A`` alternatives, ``C`` constraints, ``L`` tokens per alternative and ``U`` distinct
    tokens per alternative at most; ``steps`` is each sentence's length limit, raised to fit
    its terms; ``tensors`` holds ``alt_*`` (per alternative), ``con_*`` (per constraint),
    ``max_steps``, ``total_need`` and ``glue`` (the pieces that continue a word).
    """

    A: int
    C: int
    L: int
    U: int
    steps: list[int]
    tensors: dict[str, Any]


def build_tables(
    tokenizer: Any,
    constraints: Sequence[Sequence[TermConstraint]],
    target_lang: str,
    max_new_tokens: Sequence[int],
    vocab_size: int,
) -> ConstraintTables:
    """The tensors of :class:`ConstraintTables` for a batch of sentences."""
    import torch

    B = len(constraints)
    per_sentence = [_sentence_alternatives(tokenizer, cs, target_lang) for cs in constraints]
    A = max(1, max(len(a) for a, _ in per_sentence))
    C = max(1, max(len(c) for _, c in per_sentence))
    L = max([1] + [len(alt.ids) for a, _ in per_sentence for alt in a])
    U = L
    alt_seq = torch.full((B, A, L), -1, dtype=torch.long)
    alt_len = torch.zeros((B, A), dtype=torch.long)
    alt_con = torch.zeros((B, A), dtype=torch.long)
    alt_valid = torch.zeros((B, A), dtype=torch.bool)
    alt_boundary = torch.zeros((B, A), dtype=torch.bool)
    alt_utok = torch.full((B, A, U), -1, dtype=torch.long)
    alt_trans = torch.zeros((B, A, L, U), dtype=torch.long)
    con_need = torch.zeros((B, C), dtype=torch.long)
    con_lmin = torch.zeros((B, C), dtype=torch.long)
    for b, (alts, counts) in enumerate(per_sentence):
        for c, n in enumerate(counts):
            con_need[b, c] = n
            con_lmin[b, c] = min(len(a.ids) for a in alts if a.constraint == c)
        for a, alt in enumerate(alts):
            n = len(alt.ids)
            alt_seq[b, a, :n] = torch.tensor(alt.ids)
            alt_len[b, a] = n
            alt_con[b, a] = alt.constraint
            alt_valid[b, a] = True
            alt_boundary[b, a] = alt.boundary
            uniq, table = kmp_table(alt.ids)
            alt_utok[b, a, : len(uniq)] = torch.tensor(uniq)
            alt_trans[b, a, :n, : len(uniq)] = torch.tensor(table)
    # alt_same_before[b, a, a2]: alternative a2 < a spells the same tokens (another constraint).
    same = (alt_seq[:, :, None, :] == alt_seq[:, None, :, :]).all(-1) & alt_valid[:, :, None]
    alt_same_before = same & alt_valid[:, None, :] & torch.ones(A, A, dtype=torch.bool).tril(-1)
    con_onehot = torch.nn.functional.one_hot(alt_con, C).bool() & alt_valid[..., None]  # B,A,C
    total_need = (con_need * con_lmin).sum(-1)  # B
    steps = [
        max(int(m), int(t) + 1) for m, t in zip(max_new_tokens, total_need.tolist(), strict=True)
    ]
    max_steps = torch.tensor(steps)
    glue = torch.zeros(vocab_size + 1, dtype=torch.bool)
    glue_pieces = glue_ids(tokenizer, vocab_size)
    if glue_pieces:
        glue[list(glue_pieces)] = True

    tensors = {
        "alt_seq": alt_seq,
        "alt_len": alt_len,
        "alt_valid": alt_valid,
        "alt_boundary": alt_boundary,
        "alt_same_before": alt_same_before,
        "alt_utok": alt_utok,
        "alt_trans": alt_trans,
        "con_need": con_need,
        "con_lmin": con_lmin,
        "con_onehot": con_onehot,
        "max_steps": max_steps,
        "total_need": total_need,
        "glue": glue,
    }
    return ConstraintTables(A, C, L, U, steps, tensors)
