"""Constraints as the decoder reads them: token sequences, KMP automata and padded tensors.

Each constraint is a disjunction of token sequences (all forms of a term, each tokenised as it
reads after a space, and for CJK also glued to the previous character); :func:`build_tables`
lays out every sentence's alternatives, their KMP transition tables and what each constraint
needs, as the tensors :func:`translate.engine.constrained.constrained_generate` steps through.

A constraint with an order rule (``once``, ``closes``: :mod:`translate.engine.order`) is also
watched in every other spelling the target vocabulary allows (:func:`spellings`: glued to the
previous word, other piece boundaries), so that no way of writing it a second time, or out of
order, goes unseen; those spellings count when the model writes them, but only the tokenizer's
own (``alt_forced``) are forced, and they alone set the length a constraint needs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from translate._text import CJK
from translate.engine.order import openers
from translate.units import TermConstraint

__all__ = [
    "ConstraintTables",
    "build_tables",
    "kmp_table",
    "needs_boundary",
    "spellings",
    "term_alternatives",
]

_WORD_START = "▁"


def _is_glue_piece(piece: str) -> bool:
    """A piece that continues the previous word (no ``▁``, starts with a non-CJK letter, digit
    or ``_``: a regex word character, as :func:`translate._text.word_pattern` reads them)."""
    return bool(piece) and (piece[0].isalnum() or piece[0] == "_") and not CJK.match(piece[0])


def needs_boundary(form: str) -> bool:
    return bool(form) and form[-1].isalnum() and not CJK.match(form[-1])


#: Bounds of :func:`spellings`: longer forms are watched in the tokenizer's spelling only.
_MAX_SPELLED_CHARS = 24
_MAX_SPELLINGS = 8


@dataclass(frozen=True)
class _Alt:
    constraint: int
    ids: tuple[int, ...]
    boundary: bool
    forced: bool = True


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


def spellings(tokenizer: Any, form: str) -> list[tuple[int, ...]]:
    """Every token sequence of the target vocabulary that writes ``form``, after a space and
    glued to what precedes it, including a first piece that ends with its start (``([``) and a
    last one that runs past its end (``].``): :func:`term_alternatives` first, then exact
    spellings, then those; at most ``_MAX_SPELLINGS`` (a form longer than ``_MAX_SPELLED_CHARS``
    gets the tokenizer's own alone)."""
    return list(_every_spelling(tokenizer, form))


@lru_cache(maxsize=1024)
def _every_spelling(tokenizer: Any, form: str) -> tuple[tuple[int, ...], ...]:
    own = term_alternatives(tokenizer, form)
    spelled = "".join(tokenizer.spm_target.encode(form, out_type=str))  # ▁ for word starts
    if not own or len(spelled) > _MAX_SPELLED_CHARS:
        return tuple(own)
    vocab = _target_vocab(tokenizer)
    # spelling -> 0 (pieces of the form only), 1 (a last piece past its end), 2 (a first piece
    # with text before it): the likelier first when the bound cuts
    found: dict[tuple[int, ...], int] = {}
    texts = [spelled, spelled[1:]] if spelled.startswith(_WORD_START) else [spelled]
    for text in filter(None, texts):
        n = len(text)
        heads = [(p, i) for p, i in vocab.items() if text[0] in p and not text.startswith(p)]
        tails = [(p, i) for p, i in vocab.items() if text[-1] in p and not text.endswith(p)]
        edges: list[list[tuple[int, int, int]]] = []  # per position: (end, piece, kind)
        for pos in range(n):
            pieces = [(e, text[pos:e]) for e in range(pos + 1, n + 1)]
            edges.append([(e, vocab[p], 0) for e, p in pieces if p in vocab])
            edges[pos] += [(n, i, 1) for p, i in tails if p.startswith(text[pos:])]
        edges[0] += [(k, i, 2) for p, i in heads for k in range(1, n + 1) if p.endswith(text[:k])]
        stack: list[tuple[int, tuple[int, ...], int]] = [(0, (), 0)]
        budget = 64 * _MAX_SPELLINGS  # paths tried: bounded whatever the vocabulary
        while stack and budget:
            budget -= 1
            pos, ids, kind = stack.pop()
            if pos == n:
                found[ids] = min(kind, found.get(ids, kind))
                continue
            stack += [(end, (*ids, i), max(kind, k)) for end, i, k in edges[pos]]
    ranked = sorted(found, key=lambda ids: (found[ids], len(ids)))
    return tuple(dict.fromkeys([*own, *ranked]))[:_MAX_SPELLINGS]


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


@dataclass
class _Sentence:
    """One sentence's enforceable constraints (identical ones merged into a count): their
    alternatives, counts, ``once`` flags and the merged index each closes (-1: none)."""

    alts: list[_Alt]
    counts: list[int]
    once: list[bool]
    opener: list[int]


def _sentence_alternatives(
    tokenizer: Any, constraints: Sequence[TermConstraint], lang: str
) -> _Sentence:
    """Alternatives of the enforceable constraints; identical constraints merge into a count."""
    groups: dict[tuple[Any, ...], int] = {}
    counts: list[int] = []
    boundaries: list[dict[tuple[int, ...], tuple[bool, bool]]] = []
    merged: dict[int, int] = {}  # constraint index -> merged index
    rules: list[tuple[bool, int]] = []  # (once, constraint index it closes)
    opener_of = openers(constraints)
    for k, c in enumerate(constraints):
        seqs: dict[tuple[int, ...], tuple[bool, bool]] = {}
        for form in c.variants(lang):
            own = term_alternatives(tokenizer, form)
            watched = spellings(tokenizer, form) if c.once or c.closes is not None else own
            for ids in watched:
                boundary, forced = seqs.get(ids, (False, False))
                seqs[ids] = (boundary or needs_boundary(form), forced or ids in own)
        if not seqs:
            continue
        key: tuple[Any, ...] = tuple(sorted(seqs))
        if c.once or opener_of[k] >= 0:
            key = (key, c.once, c.closes)
        if key in groups:
            counts[groups[key]] += 1
        else:
            groups[key] = len(counts)
            counts.append(1)
            boundaries.append(seqs)
            rules.append((c.once, opener_of[k]))
        merged[k] = groups[key]
    alts = [
        _Alt(ci, ids, boundary, forced)
        for ci, seqs in enumerate(boundaries)
        for ids, (boundary, forced) in seqs.items()
    ]
    once = [o for o, _ in rules]
    opener = [merged.get(k, -1) if k >= 0 else -1 for _, k in rules]
    return _Sentence(alts, counts, once, opener)


@dataclass(frozen=True)
class ConstraintTables:
    """Every sentence's constraint automata as padded tensors (on the CPU).

    ``A`` alternatives, ``C`` constraints, ``L`` tokens per alternative and ``U`` distinct
    tokens per alternative at most; ``steps`` is each sentence's length limit, raised to fit
    its terms; ``tensors`` holds ``alt_*`` (per alternative), ``con_*`` (per constraint),
    ``max_steps``, ``total_need`` and ``glue`` (the pieces that continue a word). ``ordered``:
    some constraint has an order rule (``con_once``, ``con_opener``, ``alt_forced`` apply).
    """

    A: int
    C: int
    L: int
    U: int
    steps: list[int]
    tensors: dict[str, Any]
    ordered: bool = False


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
    A = max(1, max(len(s.alts) for s in per_sentence))
    C = max(1, max(len(s.counts) for s in per_sentence))
    L = max([1] + [len(alt.ids) for s in per_sentence for alt in s.alts])
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
    con_once = torch.zeros((B, C), dtype=torch.bool)
    con_opener = torch.full((B, C), -1, dtype=torch.long)
    alt_forced = torch.zeros((B, A), dtype=torch.bool)
    for b, sentence in enumerate(per_sentence):
        alts = sentence.alts
        for c, n in enumerate(sentence.counts):
            con_need[b, c] = n
            con_lmin[b, c] = min(len(a.ids) for a in alts if a.constraint == c and a.forced)
            con_once[b, c] = sentence.once[c]
            con_opener[b, c] = sentence.opener[c]
        for a, alt in enumerate(alts):
            alt_forced[b, a] = alt.forced
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
    ordered = bool(con_once.any() or (con_opener >= 0).any())
    if ordered:
        tensors |= {"con_once": con_once, "con_opener": con_opener, "alt_forced": alt_forced}
    return ConstraintTables(A, C, L, U, steps, tensors, ordered)
