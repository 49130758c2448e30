"""Lexically constrained beam search for MarianMT: every glossary term is guaranteed in the output.

transformers v5 dropped ``force_words_ids``/``constraints``, so the loop is written here, on the
model's encoder and its decoder with a key/value cache. The algorithm is dynamic beam allocation
(Post & Vilar 2018) vectorised over the beam as in Hu et al. (2019):

* each constraint is a disjunction of token sequences (all forms of a term, each tokenised as it
  reads after a space, and for CJK also glued to the previous character); each hypothesis tracks,
  per alternative, how much of it the output currently ends with (a KMP automaton, so progress
  is never lost by a repeated prefix), and how many times each constraint was met;
* candidates for the next beam are each hypothesis's top-k tokens plus every token that advances
  an alternative; they are grouped in banks by the number of constraint tokens met and the beam
  is filled round-robin from the fullest bank, so partially constrained hypotheses survive;
* end of sentence is allowed only once every constraint is met, and a hypothesis is only kept if
  it can still meet the rest before the length limit (the limit is raised to fit the terms), so
  the remaining tokens are forced when the limit nears and unfinished hypotheses never win;
* one occurrence meets one constraint: where the same tokens complete alternatives of several
  constraints (``public cloud`` twice in the source, once capitalised at its start), only the
  first is credited, as :meth:`translate.glossary.Glossary.verify` counts them;
* a term ending in a letter only counts once the next token starts a new word (or the sentence
  ends), so ``cloud`` is never "met" by ``clouds``;
* the decoded text is then cased for its sentence (:func:`fit_case`): a term that opens the
  output of a capitalised source sentence gets a capital, a capital added only for that place is
  removed where the term lands mid-sentence.

A term whose every form tokenises to ``<unk>`` cannot be produced and is left out (``translate
glossary check --model`` reports such terms).
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from translate._text import CJK, term_occurrences
from translate.errors import EngineError
from translate.units import TermConstraint

__all__ = ["constrained_generate", "fit_case", "term_alternatives"]

_WORD_START = "▁"


def _is_glue_piece(piece: str) -> bool:
    """A piece that continues the previous word (no ``▁``, starts with a non-CJK letter, digit
    or ``_``: a regex word character, as :func:`translate._text.word_pattern` reads them)."""
    return bool(piece) and (piece[0].isalnum() or piece[0] == "_") and not CJK.match(piece[0])


def _needs_boundary(form: str) -> bool:
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
def _glue_ids(tokenizer: Any, vocab_size: int) -> tuple[int, ...]:
    vocab = _target_vocab(tokenizer)
    return tuple(i for p, i in vocab.items() if i < vocab_size and _is_glue_piece(p))


def _kmp_table(seq: tuple[int, ...]) -> tuple[list[int], list[list[int]]]:
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
                seqs[ids] = seqs.get(ids, False) or _needs_boundary(form)
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


def constrained_generate(
    model: Any,
    tokenizer: Any,
    texts: Sequence[str],
    constraints: Sequence[Sequence[TermConstraint]],
    *,
    target_lang: str,
    num_beams: int,
    max_new_tokens: Sequence[int],
    device: Any,
) -> list[str]:
    """Translate ``texts`` with beam search, each output containing its segment's terms.

    Args:
        model: a MarianMTModel (eval mode, on ``device``).
        tokenizer: its MarianTokenizer.
        texts: source segments.
        constraints: per segment, the terms its translation must contain (read in
            ``target_lang``; a pivot chain passes its first leg's language).
        target_lang: the language whose forms to enforce.
        num_beams: beam size.
        max_new_tokens: per segment, the most tokens to generate (end of sentence included);
            raised where the terms alone need more.
        device: the torch device of the model.

    Returns:
        The decoded translations, special tokens removed, in order.

    Raises:
        EngineError: inputs disagree in length, or (a bug) no hypothesis met the constraints.
    """
    import torch

    if not (len(texts) == len(constraints) == len(max_new_tokens)):
        raise EngineError("constrained decoding needs one constraint list and one length per text.")
    if not texts:
        return []
    K = max(1, int(num_beams))
    B = len(texts)
    cfg = model.config
    gen = model.generation_config
    eos = int(gen.eos_token_id if gen.eos_token_id is not None else cfg.eos_token_id)
    if isinstance(gen.eos_token_id, list):
        eos = int(gen.eos_token_id[0])
    start = int(cfg.decoder_start_token_id)
    length_penalty = float(getattr(gen, "length_penalty", 1.0) or 1.0)
    vocab_size = int(getattr(cfg, "decoder_vocab_size", None) or cfg.vocab_size)
    banned = sorted(
        {i for i in (tokenizer.pad_token_id, tokenizer.unk_token_id, start) if i is not None}
        - {eos}
    )

    # --- constraint tensors -------------------------------------------------------------------
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
            uniq, table = _kmp_table(alt.ids)
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
    glue_ids = _glue_ids(tokenizer, vocab_size)
    if glue_ids:
        glue[list(glue_ids)] = True

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
    T = {k: v.to(device) for k, v in tensors.items()}

    # --- encoder and beam set-up -------------------------------------------------------------
    enc = tokenizer(list(texts), return_tensors="pt", padding=True, truncation=True)
    input_ids = enc["input_ids"].to(device)
    attention = enc["attention_mask"].to(device)
    H = B * K
    row_sentence = torch.arange(B, device=device).repeat_interleave(K)  # H
    with torch.inference_mode():
        encoder_out = model.get_encoder()(input_ids=input_ids, attention_mask=attention)
        encoder_out.last_hidden_state = encoder_out.last_hidden_state.repeat_interleave(K, 0)
        attention = attention.repeat_interleave(K, 0)
        cache_kw = (
            "cache" if "cache" in inspect.signature(model.forward).parameters else "past_key_values"
        )
        cache: Any = None
        scores = torch.full((H,), float("-inf"), device=device)
        scores[::K] = 0.0
        last = torch.full((H,), start, dtype=torch.long, device=device)
        history = torch.empty((H, 0), dtype=torch.long, device=device)
        prog = torch.zeros((H, A), dtype=torch.long, device=device)
        count = torch.zeros((H, C), dtype=torch.long, device=device)
        pend = torch.zeros((H, C), dtype=torch.long, device=device)
        finished: list[list[tuple[float, list[int]]]] = [[] for _ in range(B)]
        done = [False] * B
        arange_h = torch.arange(H, device=device)

        step = 0
        while not all(done):
            out = model(
                encoder_outputs=encoder_out,
                attention_mask=attention,
                decoder_input_ids=last[:, None],
                use_cache=True,
                **{cache_kw: cache},
            )
            cache = getattr(out, "cache", None) or out.past_key_values
            logp = torch.log_softmax(out.logits[:, -1, :vocab_size].float(), dim=-1)
            eos_logp = logp[:, eos].clone()
            logp[:, banned] = float("-inf")
            logp[:, eos] = float("-inf")
            base = scores[:, None] + logp
            top_scores, top_tok = base.topk(K, dim=-1)  # H,K

            seq_h = T["alt_seq"][row_sentence]  # H,A,L
            len_h = T["alt_len"][row_sentence]
            valid_h = T["alt_valid"][row_sentence]
            onehot_h = T["con_onehot"][row_sentence]  # H,A,C
            need_h = T["con_need"][row_sentence]
            lmin_h = T["con_lmin"][row_sentence]
            unmet_now = (need_h - count - pend) > 0  # H,C
            alt_unmet = (onehot_h & unmet_now[:, None, :]).any(-1) & valid_h  # H,A
            next_tok = seq_h.gather(2, prog.clamp(max=L - 1)[..., None]).squeeze(-1)
            first_tok = seq_h[:, :, 0]
            adv_tok = torch.cat(
                [
                    torch.where(alt_unmet, next_tok, -1),
                    torch.where(alt_unmet, first_tok, -1),
                ],
                dim=1,
            )  # H,2A
            adv_scores = torch.where(
                adv_tok >= 0, base.gather(1, adv_tok.clamp(min=0)), float("-inf")
            )
            cand_tok = torch.cat([top_tok, adv_tok, torch.full((H, 1), eos, device=device)], 1)
            all_met = ~unmet_now.any(-1)
            eos_score = torch.where(all_met, scores + eos_logp, float("-inf"))
            cand_score = torch.cat([top_scores, adv_scores, eos_score[:, None]], 1)  # H,N
            N = cand_tok.shape[1]
            is_eos = torch.zeros((H, N), dtype=torch.bool, device=device)
            is_eos[:, -1] = True
            dup = ((cand_tok[:, :, None] == cand_tok[:, None, :]).tril(-1)).any(-1)
            valid = torch.isfinite(cand_score) & ~dup & (cand_tok >= 0)

            # New constraint state for every candidate (EOS rows are ignored below).
            tok = cand_tok.clamp(min=0)
            glue_tok = T["glue"][tok]  # H,N
            count2 = count[:, None, :] + torch.where(glue_tok[..., None], 0, pend[:, None, :])
            pend2 = torch.zeros_like(count2)
            utok_h = T["alt_utok"][row_sentence]  # H,A,U
            trans_h = T["alt_trans"][row_sentence]  # H,A,L,U
            trans_now = trans_h.gather(2, prog[:, :, None, None].expand(-1, -1, 1, U)).squeeze(
                2
            )  # H,A,U
            hit = tok[:, :, None, None] == utok_h[:, None, :, :]  # H,N,A,U
            new_prog = (hit * trans_now[:, None]).sum(-1)  # H,N,A
            completed = (new_prog == len_h[:, None, :]) & valid_h[:, None, :]
            comp_c = (completed[..., None] & onehot_h[:, None]).any(2)  # H,N,C
            # One occurrence meets one constraint: where the same token sequence completes
            # alternatives of several open constraints, only the first is credited (as verify()
            # wants separate occurrences for constraints sharing a form).
            open_c = (need_h[:, None, :] - count2 - pend2) > 0
            eligible = completed & (onehot_h[:, None] & open_c[:, :, None, :]).any(-1)  # H,N,A
            shadowed = (eligible[:, :, None, :] & T["alt_same_before"][row_sentence][:, None]).any(
                -1
            )
            credited = eligible & ~shadowed
            add = (credited[..., None] & onehot_h[:, None]).any(2)  # H,N,C
            comp_free = (
                (credited & ~T["alt_boundary"][row_sentence][:, None])[..., None]
                & onehot_h[:, None]
            ).any(2)
            count2 = count2 + (add & comp_free).long()
            pend2 = pend2 + (add & ~comp_free).long()
            reset = (comp_c[:, :, None, :] & onehot_h[:, None]).any(-1)  # H,N,A
            new_prog = torch.where(reset, 0, new_prog)

            rem_count = (need_h[:, None, :] - count2 - pend2).clamp(min=0)  # H,N,C
            S = (rem_count * lmin_h[:, None, :]).sum(-1)  # H,N
            alt_open = ((rem_count > 0)[:, :, None, :] & onehot_h[:, None]).any(-1) & valid_h[
                :, None
            ]  # H,N,A
            alt_lmin = (onehot_h.long() * lmin_h[:, None, :]).sum(-1)  # H,A
            saving = (alt_lmin[:, None] - (len_h[:, None] - new_prog)).clamp(min=0)
            nxt = (
                seq_h[:, None]
                .expand(-1, N, -1, -1)
                .gather(3, new_prog.clamp(max=L - 1)[..., None])
                .squeeze(-1)
            )  # H,N,A
            # A term met just before (pending its word boundary) is undone if the next token
            # glues onto it: continuing an alternative whose next token is a glue piece costs
            # the pending terms again.
            pending = pend2.sum(-1) > 0  # H,N
            pend_cost = (pend2 * lmin_h[:, None, :]).sum(-1)  # H,N
            blocked = pending[..., None] & T["glue"][nxt.clamp(min=0)]
            usable = alt_open & (new_prog > 0)
            free_saving = torch.where(usable & ~blocked, saving, 0).max(-1).values
            glued_saving = torch.where(usable & blocked, saving, 0).max(-1).values
            need_new = torch.minimum(S - free_saving, S + pend_cost - glued_saving)  # H,N
            remaining = T["max_steps"][row_sentence] - (step + 1)  # H
            feasible = is_eos | (need_new <= (remaining[:, None] - 1))
            valid = valid & feasible
            bank = torch.where(is_eos, T["total_need"][row_sentence][:, None], 0) + torch.where(
                is_eos, 0, T["total_need"][row_sentence][:, None] - need_new
            )

            # Dynamic beam allocation, per sentence: round-robin over banks, fullest bank first.
            flat_score = torch.where(valid, cand_score, float("-inf")).view(B, K * N)
            flat_valid = valid.view(B, K * N)
            flat_bank = bank.view(B, K * N)
            order = torch.sort(flat_score, dim=1, descending=True, stable=True).indices
            s_bank = flat_bank.gather(1, order)
            s_valid = flat_valid.gather(1, order)
            nb = int(T["total_need"].max().item()) + 1
            onehot_bank = (
                torch.nn.functional.one_hot(s_bank.clamp(0, nb - 1), nb) & s_valid[..., None]
            )
            rank = (onehot_bank.cumsum(1) * onehot_bank).sum(-1) - 1
            key = rank * nb + (nb - 1 - s_bank)
            key = torch.where(s_valid, key, torch.iinfo(torch.long).max)
            pick = torch.sort(key, dim=1, stable=True).indices[:, : 2 * K]
            chosen = order.gather(1, pick)  # B,2K indices into K*N
            chosen_valid = s_valid.gather(1, pick)

            chosen_l = chosen.tolist()
            valid_l = chosen_valid.tolist()
            eos_l = is_eos.view(B, K * N).gather(1, chosen).tolist()
            score_l = flat_score.gather(1, chosen).tolist()
            beam_rows: list[int] = []
            beam_cols: list[int] = []
            new_scores: list[float] = []
            hist_len = history.shape[1]
            for b in range(B):
                rows: list[tuple[int, int, float]] = []
                if not done[b]:
                    for pos, (idx, ok, is_e, sc) in enumerate(
                        zip(chosen_l[b], valid_l[b], eos_l[b], score_l[b], strict=True)
                    ):
                        if not ok or len(rows) >= K:
                            continue
                        h = b * K + idx // N
                        if is_e:
                            if pos < K:
                                tokens = history[h].tolist() + [eos]
                                norm = sc / (len(tokens) ** length_penalty)
                                finished[b].append((norm, tokens))
                            continue
                        rows.append((h, idx % N, sc))
                if done[b] or not rows:
                    rows = [(b * K, N - 1, float("-inf"))]
                while len(rows) < K:
                    rows.append((rows[0][0], rows[0][1], float("-inf")))
                for h, col, sc in rows:
                    beam_rows.append(h)
                    beam_cols.append(col)
                    new_scores.append(sc)
                if not done[b]:
                    best_live = max(sc for _, _, sc in rows)
                    fin = sorted((f[0] for f in finished[b]), reverse=True)
                    exhausted = step + 1 >= steps[b] or best_live == float("-inf")
                    # As transformers' beam search: stop once no live hypothesis can beat
                    # the num_beams-th finished one.
                    settled = (
                        len(fin) >= K
                        and best_live / ((hist_len + 1) ** length_penalty) <= fin[K - 1]
                    )
                    done[b] = exhausted or settled
            idx_rows = torch.tensor(beam_rows, device=device)
            idx_cols = torch.tensor(beam_cols, device=device)
            last = cand_tok[idx_rows, idx_cols].clamp(min=0)
            prog = new_prog[idx_rows, idx_cols]
            count = count2[idx_rows, idx_cols]
            pend = pend2[idx_rows, idx_cols]
            scores = torch.tensor(new_scores, device=device)
            history = torch.cat([history[idx_rows], last[:, None]], 1)
            if not torch.equal(idx_rows, arange_h):
                cache.reorder_cache(idx_rows)
            step += 1

    results: list[str] = []
    for b in range(B):
        if not finished[b]:
            raise EngineError(
                "constrained decoding ended without a hypothesis meeting every term; "
                "please report this with the sentence."
            )
        best = max(finished[b], key=lambda f: f[0])[1]
        decoded = tokenizer.decode(best, skip_special_tokens=True)
        results.append(fit_case(texts[b], decoded, constraints[b], target_lang))
    return results


def _first_letter(text: str) -> int:
    return next((i for i, c in enumerate(text) if c.isalnum()), -1)


def fit_case(source: str, target: str, constraints: Sequence[TermConstraint], lang: str) -> str:
    """Case the enforced terms for their place in ``target``.

    A term that opens a target sentence whose source opens with a capital gets a capital
    (``cryptocurrency exchanges are...`` → ``Cryptocurrency exchanges are...``); a form that the
    glossary capitalised only because the term opened the source sentence is lower-cased where
    the decoder put it elsewhere. Do-not-translate names, forms with other capitals (acronyms,
    names, German nouns) and the rest of the text are left as decoded.
    """
    first_src, first_tgt = _first_letter(source), _first_letter(target)
    if first_tgt < 0:
        return target
    forms = [f for c in constraints if not c.dnt for f in c.variants(lang) if f]
    lower = {f for f in forms if f == f.lower() and f[:1].isalpha()}
    start_only = {
        f
        for c in constraints
        if not c.dnt
        for f in c.variants(lang)
        if f[:1].isupper() and f[:1].lower() + f[1:] in c.variants(lang)
    }
    # Spans that a form must keep exactly as written (names, protected spans, acronyms,
    # capitalised terms of other constraints) are never re-cased.
    exact = {
        f
        for c in constraints
        for f in c.variants(lang)
        if f and (c.dnt or (f != f.lower() and f not in start_only))
    }
    kept = [span for f in exact for span in term_occurrences(target, f)]
    chars = list(target)
    head = target[first_tgt:]
    if (
        first_src >= 0
        and not any(a <= first_tgt < b for a, b in kept)
        and source[first_src].isupper()
        and head[:1].islower()
        and any(_starts_with_word(head, f) for f in lower)
    ):
        chars[first_tgt] = chars[first_tgt].upper()
    for form in start_only:
        for start, end in term_occurrences(target, form):
            if (
                start > first_tgt
                and not _opens_sentence(target, start)
                and not any(a < end and start < b for a, b in kept)
            ):
                chars[start] = chars[start].lower()
    return "".join(chars)


def _starts_with_word(text: str, form: str) -> bool:
    if not text.lower().startswith(form):
        return False
    rest = text[len(form) :]
    return not (rest[:1].isalnum() and not CJK.match(rest[:1]) and _needs_boundary(form))


def _opens_sentence(text: str, pos: int) -> bool:
    """Whether ``pos`` follows sentence-final punctuation (and spaces or quotes)."""
    before = text[:pos].rstrip(" \u00a0\u202f\"'«“‘(")
    return not before or before[-1] in ".!?…:\n。！？"
