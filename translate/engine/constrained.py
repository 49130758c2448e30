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
* order rules (inline markup placeholders: ``once``, and pairs that nest): a completion the
  rules forbid is masked before the top-k, as described in :mod:`translate.engine.order`;
* the decoded text is then cased for its sentence (:func:`~translate.engine.casing.fit_case`): a term that opens the
  output of a capitalised source sentence gets a capital, a capital added only for that place is
  removed where the term lands mid-sentence.

A term whose every form tokenises to ``<unk>`` cannot be produced and is left out (``translate
glossary check --model`` reports such terms).
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from translate.engine.casing import fit_case
from translate.engine.constraint_tables import build_tables, term_alternatives
from translate.engine.constraint_tables import kmp_table as _kmp_table  # noqa: F401 (tests)
from translate.engine.order import completing, forbidden_now
from translate.errors import EngineError
from translate.units import TermConstraint

__all__ = ["constrained_generate", "fit_case", "term_alternatives"]


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
    if not (len(texts) == len(constraints) == len(max_new_tokens)):
        raise EngineError("constrained decoding needs one constraint list and one length per text.")
    if not texts:
        return []
    batch = _Batch(texts, constraints, target_lang, max(1, int(num_beams)), max_new_tokens)
    search = _ConstrainedSearch(model, tokenizer, batch, device)
    return search.run()


class _ConstrainedSearch:
    """The state of one batched constrained beam search, advanced one token at a time.

    As transformers' own beam search helpers, each step is a few named stages:
    :meth:`_candidates` (each hypothesis's top-k tokens, every token that advances an
    alternative, and end of sentence), :meth:`_constraint_state` (the automata after each
    candidate, whether it can still meet every term in time, and its bank),
    :meth:`_allocate` (dynamic beam allocation: round-robin over banks, fullest first) and
    :meth:`_update_beams` (finished hypotheses, the next beam, stopping); :meth:`finish` decodes
    the best finished hypothesis of each sentence.
    """

    def __init__(self, model: Any, tokenizer: Any, batch: _Batch, device: Any) -> None:
        import torch

        self.model, self.tokenizer, self.device = model, tokenizer, device
        texts, constraints, target_lang = batch.texts, batch.constraints, batch.target_lang
        self.texts, self.constraints, self.target_lang = texts, constraints, target_lang
        self.K = K = batch.num_beams
        self.B = B = len(texts)
        cfg = model.config
        gen = model.generation_config
        eos = int(gen.eos_token_id if gen.eos_token_id is not None else cfg.eos_token_id)
        if isinstance(gen.eos_token_id, list):
            eos = int(gen.eos_token_id[0])
        self.eos = eos
        start = int(cfg.decoder_start_token_id)
        self.length_penalty = float(getattr(gen, "length_penalty", 1.0) or 1.0)
        self.vocab_size = int(getattr(cfg, "decoder_vocab_size", None) or cfg.vocab_size)
        self.banned = sorted(
            {i for i in (tokenizer.pad_token_id, tokenizer.unk_token_id, start) if i is not None}
            - {eos}
        )
        tables = build_tables(
            tokenizer, constraints, target_lang, batch.max_new_tokens, self.vocab_size
        )
        self.A, self.C, self.L, self.U = tables.A, tables.C, tables.L, tables.U
        self.steps = tables.steps
        self.ordered = tables.ordered
        self.T = {k: v.to(device) for k, v in tables.tensors.items()}

        # encoder and beam set-up
        enc = tokenizer(list(texts), return_tensors="pt", padding=True, truncation=True)
        input_ids = enc["input_ids"].to(device)
        attention = enc["attention_mask"].to(device)
        H = B * K
        self.row_sentence = torch.arange(B, device=device).repeat_interleave(K)  # H
        with torch.inference_mode():
            encoder_out = model.get_encoder()(input_ids=input_ids, attention_mask=attention)
            encoder_out.last_hidden_state = encoder_out.last_hidden_state.repeat_interleave(K, 0)
            self.encoder_out = encoder_out
            self.attention = attention.repeat_interleave(K, 0)
            self.cache_kw = (
                "cache"
                if "cache" in inspect.signature(model.forward).parameters
                else "past_key_values"
            )
            self.cache: Any = None
            self.scores = torch.full((H,), float("-inf"), device=device)
            self.scores[::K] = 0.0
            self.last = torch.full((H,), start, dtype=torch.long, device=device)
            self.history = torch.empty((H, 0), dtype=torch.long, device=device)
            self.prog = torch.zeros((H, self.A), dtype=torch.long, device=device)
            self.count = torch.zeros((H, self.C), dtype=torch.long, device=device)
            self.pend = torch.zeros((H, self.C), dtype=torch.long, device=device)
            # the step (from 1) at which each constraint was met, 0 while it is not: which
            # bracket pair opened last (order rules only)
            self.opened = torch.zeros((H, self.C), dtype=torch.long, device=device)
            self.finished: list[list[tuple[float, list[int]]]] = [[] for _ in range(B)]
            self.done = [False] * B
            self.arange_h = torch.arange(H, device=device)
            self.step = 0

    def run(self) -> list[str]:
        """Step until every sentence is done, then decode."""
        import torch

        with torch.inference_mode():
            while not all(self.done):
                self._step()
        return self.finish()

    def _step(self) -> None:
        out = self.model(
            encoder_outputs=self.encoder_out,
            attention_mask=self.attention,
            decoder_input_ids=self.last[:, None],
            use_cache=True,
            **{self.cache_kw: self.cache},
        )
        self.cache = getattr(out, "cache", None) or out.past_key_values
        cand = self._candidates(out.logits)
        state = self._constraint_state(cand)
        chosen = self._allocate(cand, state)
        self._update_beams(cand, state, chosen)
        self.step += 1

    def _candidates(self, logits: Any) -> _Candidates:
        """Each hypothesis's top-k tokens, the tokens that advance an unmet alternative (its next
        token, or its first one to start over) and end of sentence (once every term is met)."""
        import torch

        T, K, L, H = self.T, self.K, self.L, self.B * self.K
        logp = torch.log_softmax(logits[:, -1, : self.vocab_size].float(), dim=-1)
        eos_logp = logp[:, self.eos].clone()
        logp[:, self.banned] = float("-inf")
        logp[:, self.eos] = float("-inf")
        rows = self.row_sentence
        forbidden = None
        if self.ordered:
            forbidden = forbidden_now(self.T, rows, self.count + self.pend, self.opened)
            logp[completing(self.T, rows, self.prog, forbidden, self.vocab_size)] = float("-inf")
        base = self.scores[:, None] + logp
        top_scores, top_tok = base.topk(K, dim=-1)  # H,K

        seq_h = T["alt_seq"][rows]  # H,A,L
        onehot_h = T["con_onehot"][rows]  # H,A,C
        need_h = T["con_need"][rows]
        valid_h = T["alt_valid"][rows]
        unmet_now = (need_h - self.count - self.pend) > 0  # H,C
        alt_unmet = (onehot_h & unmet_now[:, None, :]).any(-1) & valid_h  # H,A
        alt_next = alt_first = alt_unmet
        if forbidden is not None:
            # no steering towards a form that may not be written now; a spelling that is not
            # the tokenizer's own is only continued, once the model has started it
            ready = alt_unmet & ~(onehot_h & forbidden[:, None, :]).any(-1)
            alt_first = ready & T["alt_forced"][rows]
            alt_next = ready & (T["alt_forced"][rows] | (self.prog > 0))
        next_tok = seq_h.gather(2, self.prog.clamp(max=L - 1)[..., None]).squeeze(-1)
        first_tok = seq_h[:, :, 0]
        adv_tok = torch.cat(
            [
                torch.where(alt_next, next_tok, -1),
                torch.where(alt_first, first_tok, -1),
            ],
            dim=1,
        )  # H,2A
        if forbidden is not None:  # watched spellings leave many columns that no row uses
            adv_tok = adv_tok[:, (adv_tok >= 0).any(0)]
        adv_scores = torch.where(adv_tok >= 0, base.gather(1, adv_tok.clamp(min=0)), float("-inf"))
        cand_tok = torch.cat(
            [top_tok, adv_tok, torch.full((H, 1), self.eos, device=self.device)], 1
        )
        all_met = ~unmet_now.any(-1)
        eos_score = torch.where(all_met, self.scores + eos_logp, float("-inf"))
        cand_score = torch.cat([top_scores, adv_scores, eos_score[:, None]], 1)  # H,N
        N = cand_tok.shape[1]
        is_eos = torch.zeros((H, N), dtype=torch.bool, device=self.device)
        is_eos[:, -1] = True
        dup = ((cand_tok[:, :, None] == cand_tok[:, None, :]).tril(-1)).any(-1)
        valid = torch.isfinite(cand_score) & ~dup & (cand_tok >= 0)
        return _Candidates(cand_tok, cand_score, is_eos, valid, N)

    def _constraint_state(self, cand: _Candidates) -> _Advance:
        """The constraint state after each candidate (EOS rows are ignored later): automata
        progress, terms met or pending their word boundary, whether the rest still fits before
        the length limit, and the candidate's bank (constraint tokens met)."""
        import torch

        T, L, U, rows, N = self.T, self.L, self.U, self.row_sentence, cand.N
        seq_h = T["alt_seq"][rows]  # H,A,L
        len_h = T["alt_len"][rows]
        valid_h = T["alt_valid"][rows]
        onehot_h = T["con_onehot"][rows]  # H,A,C
        need_h = T["con_need"][rows]
        lmin_h = T["con_lmin"][rows]
        prog, count, pend = self.prog, self.count, self.pend
        tok = cand.tok.clamp(min=0)
        glue_tok = T["glue"][tok]  # H,N
        count2 = count[:, None, :] + torch.where(glue_tok[..., None], 0, pend[:, None, :])
        pend2 = torch.zeros_like(count2)
        utok_h = T["alt_utok"][rows]  # H,A,U
        trans_h = T["alt_trans"][rows]  # H,A,L,U
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
        shadowed = (eligible[:, :, None, :] & T["alt_same_before"][rows][:, None]).any(-1)
        credited = eligible & ~shadowed
        add = (credited[..., None] & onehot_h[:, None]).any(2)  # H,N,C
        comp_free = (
            (credited & ~T["alt_boundary"][rows][:, None])[..., None] & onehot_h[:, None]
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
        opened = None
        if self.ordered:
            # a closer is not counted as satisfiable while its pair is not the innermost open
            met_before = (count + pend)[:, None, :] >= need_h[:, None, :]
            met_after = (count2 + pend2) >= need_h[:, None, :]
            opened = torch.where(
                met_after,
                torch.where(met_before, self.opened[:, None, :], self.step + 1),
                0,
            )  # H,N,C
            shut = forbidden_now(T, rows[:, None].expand(-1, N), count2 + pend2, opened)
            alt_open = alt_open & ~(shut[:, :, None, :] & onehot_h[:, None]).any(-1)
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
        remaining = T["max_steps"][rows] - (self.step + 1)  # H
        feasible = cand.is_eos | (need_new <= (remaining[:, None] - 1))
        valid = cand.valid & feasible
        total_need = T["total_need"][rows][:, None]
        bank = torch.where(cand.is_eos, total_need, 0) + torch.where(
            cand.is_eos, 0, total_need - need_new
        )
        return _Advance(new_prog, count2, pend2, valid, bank, opened)

    def _allocate(self, cand: _Candidates, state: _Advance) -> tuple[Any, Any, Any]:
        """Dynamic beam allocation, per sentence: round-robin over banks, fullest bank first.

        Returns the chosen candidates (indices into ``K * N`` per sentence, best first, twice
        the beam so that finished ones can be set aside), whether each is valid, and the
        candidates' scores flattened per sentence."""
        import torch

        B, K, N = self.B, self.K, cand.N
        flat_score = torch.where(state.valid, cand.score, float("-inf")).view(B, K * N)
        flat_valid = state.valid.view(B, K * N)
        flat_bank = state.bank.view(B, K * N)
        order = torch.sort(flat_score, dim=1, descending=True, stable=True).indices
        s_bank = flat_bank.gather(1, order)
        s_valid = flat_valid.gather(1, order)
        nb = int(self.T["total_need"].max().item()) + 1
        onehot_bank = torch.nn.functional.one_hot(s_bank.clamp(0, nb - 1), nb) & s_valid[..., None]
        rank = (onehot_bank.cumsum(1) * onehot_bank).sum(-1) - 1
        key = rank * nb + (nb - 1 - s_bank)
        key = torch.where(s_valid, key, torch.iinfo(torch.long).max)
        pick = torch.sort(key, dim=1, stable=True).indices[:, : 2 * K]
        chosen = order.gather(1, pick)  # B,2K indices into K*N
        return chosen, s_valid.gather(1, pick), flat_score

    def _update_beams(self, cand: _Candidates, state: _Advance, allocation: Any) -> None:
        """Set finished hypotheses aside, take the next beam and decide which sentences are done
        (as transformers' beam search: once no live hypothesis can beat the ``num_beams``-th
        finished one, or the length limit is reached)."""
        import torch

        B, K, N, device = self.B, self.K, cand.N, self.device
        chosen, chosen_valid, flat_score = allocation
        chosen_l = chosen.tolist()
        valid_l = chosen_valid.tolist()
        eos_l = cand.is_eos.view(B, K * N).gather(1, chosen).tolist()
        score_l = flat_score.gather(1, chosen).tolist()
        beam_rows: list[int] = []
        beam_cols: list[int] = []
        new_scores: list[float] = []
        hist_len = self.history.shape[1]
        length_penalty, finished, done = self.length_penalty, self.finished, self.done
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
                            tokens = self.history[h].tolist() + [self.eos]
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
                exhausted = self.step + 1 >= self.steps[b] or best_live == float("-inf")
                settled = (
                    len(fin) >= K and best_live / ((hist_len + 1) ** length_penalty) <= fin[K - 1]
                )
                done[b] = exhausted or settled
        idx_rows = torch.tensor(beam_rows, device=device)
        idx_cols = torch.tensor(beam_cols, device=device)
        self.last = cand.tok[idx_rows, idx_cols].clamp(min=0)
        self.prog = state.prog[idx_rows, idx_cols]
        self.count = state.count[idx_rows, idx_cols]
        self.pend = state.pend[idx_rows, idx_cols]
        if state.opened is not None:
            self.opened = state.opened[idx_rows, idx_cols]
        self.scores = torch.tensor(new_scores, device=device)
        self.history = torch.cat([self.history[idx_rows], self.last[:, None]], 1)
        if not torch.equal(idx_rows, self.arange_h):
            self.cache.reorder_cache(idx_rows)

    def finish(self) -> list[str]:
        """The best finished hypothesis of each sentence, decoded and cased for its place."""
        results: list[str] = []
        for b in range(self.B):
            if not self.finished[b]:
                raise EngineError(
                    "constrained decoding ended without a hypothesis meeting every term; "
                    "please report this with the sentence."
                )
            best = max(self.finished[b], key=lambda f: f[0])[1]
            decoded = self.tokenizer.decode(best, skip_special_tokens=True)
            results.append(fit_case(self.texts[b], decoded, self.constraints[b], self.target_lang))
        return results


@dataclass(frozen=True)
class _Batch:
    """What to translate: the segments, their constraints (read in ``target_lang``), the beam
    size and each segment's token limit."""

    texts: Sequence[str]
    constraints: Sequence[Sequence[TermConstraint]]
    target_lang: str
    num_beams: int
    max_new_tokens: Sequence[int]


@dataclass
class _Candidates:
    """One step's candidates, per hypothesis: ``tok`` and ``score`` (H×N), which is end of
    sentence, which are valid (finite, not a duplicate)."""

    tok: Any
    score: Any
    is_eos: Any
    valid: Any
    N: int


@dataclass
class _Advance:
    """The constraint state each candidate leads to (H×N×…), its validity and bank; ``opened``
    only under order rules."""

    prog: Any
    count: Any
    pend: Any
    valid: Any
    bank: Any
    opened: Any = None
