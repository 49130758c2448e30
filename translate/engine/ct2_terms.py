"""The term guarantee on the CTranslate2 path: check, then repair, then exact constrained decoding.

CTranslate2 has no lexically constrained decoding, but its options allow a route that keeps the
guarantee at its speed:

1. **Check.** Each segment is decoded once with ``num_hypotheses = beams`` and
   ``return_attention``. The best hypothesis that already holds every required form (glossary
   terms and protected spans, counted as :meth:`translate.glossary.Glossary.verify` counts them)
   is kept: those terms are ``free`` and cost nothing beyond the plain decode. Order rules
   count too (:func:`translate.engine.order.in_order`: markup placeholders once each, nested):
   a hypothesis or repair that breaks them does not hold its terms.
2. **Repair.** Otherwise the best hypothesis is repaired. In a first round every missing term
   is written over the pieces that translate it (from the first target piece whose attention
   peaks on the term's source words, while it does, widened to whole words; a term that aligns
   nowhere follows the last one that does), the hypothesis is cut after the last term, and
   CTranslate2 continues greedily (:data:`REPAIR_BEAM`) from that ``target_prefix``: one extra
   decode, about a third of a beam-4 one's time, repairs all terms of a segment. Terms still
   missing get one round each, searched with every beam: the term alone, where it aligns and
   right after what earlier rounds fixed (never cut into); the candidates are ranked by how
   many terms they hold, then by ``score_batch``. Every round is one decode call for all
   segments; a round that adds no term ends the repair.
3. **Fallback.** What repair cannot satisfy goes to the exact constrained beam search of
   :mod:`translate.engine.constrained` on the transformers model (loaded for that call and
   freed after; int8 dynamic quantisation when the compute type is int8), which always meets
   every term.

Each output is cased for its sentence (:func:`~translate.engine.constrained.fit_case`) before it
is checked, as the constrained decoder's are, so what is checked is what is returned. Each term
records how it was met: ``free``, ``repair`` or ``constrained`` (the summary counts them). Every
step is a function of the segment alone (see :meth:`Ct2Engine.decode`), so batching does not
change any output.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from translate._text import CJK, span_occurrences, term_occurrences
from translate.engine.constrained import fit_case
from translate.engine.order import in_order
from translate.units import TermConstraint

if TYPE_CHECKING:
    from translate.engine.ct2 import Ct2Engine, Hypothesis

_WORD_START = "▁"
#: Beams of the first repair round's continuation after its forced prefix. The prefix is the
#: checked beam search's best hypothesis up to the last term, so only the rest is searched
#: greedily: about a third of a beam-4 decode's time (the output layer, most of a step, runs on
#: one row instead of four); measured in evals/README.md ("Speed: CTranslate2 engine").
REPAIR_BEAM = 1


def _spans(text: str, form: str, exact: bool) -> list[tuple[int, int]]:
    """Occurrences as the glossary's verifier sees them; for a do-not-translate name or a
    protected span (``exact``) also as the protected-span verifier does (exact case)."""
    spans = term_occurrences(text, form)
    if not exact:
        return spans
    return sorted(set(spans) & set(span_occurrences(text, form)))


def missing_terms(text: str, constraints: Sequence[TermConstraint], lang: str) -> list[int]:
    """Indices of the constraints that ``text`` does not hold, one occurrence per constraint
    (as the glossary's and protected spans' verifiers count; names and spans keep their case)."""
    used: dict[str, list[tuple[int, int]]] = {}
    out: list[int] = []
    for k, c in enumerate(constraints):
        forms = c.variants(lang)
        taken = [span for f in forms for span in used.get(f, [])]
        hit = None
        for start, end in sorted({s for f in forms for s in _spans(text, f, c.dnt)}):
            if all(end <= a or start >= b for a, b in taken):
                hit = (start, end)
                break
        if hit is None:
            out.append(k)
        else:
            for f in forms:
                used.setdefault(f, []).append(hit)
    return out


@dataclass
class _Row:
    """One segment under repair: its current best target and what repairs fixed in it."""

    source: list[str]
    text: str
    constraints: list[TermConstraint]
    limit: int
    best: Hypothesis
    missing: list[int]
    forced: set[int] = field(default_factory=set)
    locked: int = 0  # target pieces an earlier repair fixed (never cut into)
    done: bool = False


def guarantee(
    engine: Ct2Engine,
    texts: Sequence[str],
    constraints: Sequence[Sequence[TermConstraint]],
    caps: Sequence[int],
) -> list[tuple[str, list[str]]]:
    """Targets holding every constraint, each with how its constraints were met."""
    lang = engine.target_lang
    sources = engine.source_tokens(texts)
    limits = [c - 1 for c in caps]
    first = engine.decode(sources, limits, hypotheses=engine.num_beams, attention=True)
    results: list[tuple[str, list[str]] | None] = [None] * len(texts)
    rows: dict[int, _Row] = {}
    for i, hyps in enumerate(first):
        cons = list(constraints[i])
        scored = [(h, _cased(engine, texts[i], h, cons)) for h in hyps]
        free = next((ht for ht in scored if _holds(ht[1], cons, lang)), None)
        if free is not None:
            results[i] = (free[1], ["free"] * len(cons))
            engine.tokens_out += len(free[0].tokens)
            continue
        best, text = scored[0]
        missing = missing_terms(text, cons, lang)  # none: out of order, for the exact decoder
        rows[i] = _Row(sources[i], text, cons, limits[i], best, missing, done=not missing)
    rounds = max((len(r.constraints) for r in rows.values()), default=0)
    for n in range(rounds + 1):
        live = {i: r for i, r in rows.items() if r.missing and not r.done}
        if not live:
            break
        _repair_round(engine, texts, live, first=n == 0)
    failed = [i for i, r in rows.items() if not _holds(r.text, r.constraints, lang)]
    unmet = set(failed)
    for i, r in rows.items():
        if i not in unmet:
            engine.tokens_out += len(r.best.tokens)
            results[i] = (
                r.text,
                ["repair" if k in r.forced else "free" for k in range(len(r.constraints))],
            )
    if failed:
        outs = engine.fallback(
            [texts[i] for i in failed],
            [rows[i].constraints for i in failed],
            [caps[i] for i in failed],
        )
        for i, text in zip(failed, outs, strict=True):
            results[i] = (text, ["constrained"] * len(rows[i].constraints))
            engine.tokens_out += len(engine.tokenizer.spm_target.encode(text))
    return [r if r is not None else ("", []) for r in results]


def _holds(text: str, cons: Sequence[TermConstraint], lang: str) -> bool:
    """Every constraint met, and the order rules kept (markup placeholders once each, nested)."""
    return not missing_terms(text, cons, lang) and in_order(text, cons, lang)


def _cased(engine: Ct2Engine, source: str, hyp: Hypothesis, cons: Sequence[TermConstraint]) -> str:
    return fit_case(source, engine.text(hyp.tokens), cons, engine.target_lang)


def _repair_round(
    engine: Ct2Engine, texts: Sequence[str], live: dict[int, _Row], *, first: bool
) -> None:
    """Force missing terms into every live row, in one decode call (and one scoring call when a
    row has several candidates). The first round places every missing term at once, each where
    it aligns; later rounds place one term, where it aligns and right after the fixed part."""
    lang = engine.target_lang
    owners: list[tuple[int, tuple[int, ...]]] = []  # (row, terms forced by the candidate)
    sources: list[list[str]] = []
    prefixes: list[list[str]] = []
    limits: list[int] = []
    for i, r in live.items():
        places = {k: _aligned_place(engine, texts[i], r, r.constraints[k]) for k in r.missing}
        if first:
            # terms that align nowhere follow the last one that does
            placed = sorted((p, k) for k, p in places.items() if p is not None)
            tail = max((p[1] for p, _ in placed), default=r.locked)
            plans = [placed + [((tail, tail), k) for k, p in places.items() if p is None]]
        else:
            k = r.missing[0]
            at = places[k] or (r.locked, r.locked)
            plans = [[(at, k)], [((r.locked, r.locked), k)]]
        seen: set[tuple[str, ...]] = set()
        for plan in plans:
            prefix = _prefix(engine, r, plan, lang)
            if not plan or prefix in seen:
                continue
            seen.add(prefix)
            owners.append((i, tuple(k for _, k in plan)))
            sources.append(r.source)
            prefixes.append(list(prefix))
            limits.append(max(r.limit, len(prefix) + 1))
    if not owners:
        for r in live.values():
            r.done = True
        return
    # the first round, where most terms are placed, continues greedily; later rounds (the few
    # rows it left short) search with every beam, which keeps them off the exact fallback
    beam = REPAIR_BEAM if first else None
    decoded = engine.decode(sources, limits, prefixes, attention=True, beam=beam)
    candidates = [h[0] for h in decoded]
    several = [n for n, (i, _) in enumerate(owners) if sum(o[0] == i for o in owners) > 1]
    scored = engine.score([sources[n] for n in several], [candidates[n].tokens for n in several])
    scores = dict(zip(several, scored, strict=True))
    best: dict[int, tuple[tuple[int, float], Hypothesis, str, tuple[int, ...], int]] = {}
    for n, (i, forced) in enumerate(owners):
        r = live[i]
        text = _cased(engine, texts[i], candidates[n], r.constraints)
        if not in_order(text, r.constraints, lang):
            continue  # a repair that breaks the order rules is rejected
        held = len(r.constraints) - len(missing_terms(text, r.constraints, lang))
        rank = (held, scores.get(n, 0.0))
        if i not in best or rank > best[i][0]:
            best[i] = (rank, candidates[n], text, forced, len(prefixes[n]))
    for i, r in live.items():
        if i not in best or best[i][0][0] <= len(r.constraints) - len(r.missing):
            if not first:
                r.done = True  # no candidate holds more terms: left to the exact decoder
            continue
        _, hyp, text, forced, plen = best[i]
        r.best, r.text, r.locked = hyp, text, plen
        r.forced.update(forced)
        r.missing = missing_terms(text, r.constraints, lang)


def _prefix(
    engine: Ct2Engine, r: _Row, plan: Sequence[tuple[tuple[int, int], int]], lang: str
) -> tuple[str, ...]:
    """The row's best hypothesis with each planned term written over the pieces it aligns with
    (``plan``: ``((start, end), term)`` in order), cut after the last term."""
    tokens = r.best.tokens
    out: list[str] = list(tokens[: r.locked])
    pos = r.locked
    for (start, end), k in plan:
        start = max(start, pos)
        out += tokens[pos:start]
        form = next(f for f in r.constraints[k].variants(lang) if f)
        out += _form_pieces(engine, form, glued=bool(out))
        pos = max(end, start)
    return tuple(out)


def _form_pieces(engine: Ct2Engine, form: str, *, glued: bool) -> tuple[str, ...]:
    """The target pieces that write ``form`` after a space; a CJK form mid-sentence glued to
    the previous character (no word-start marker), as the constrained decoder spells it."""
    pieces = list(engine.tokenizer.spm_target.encode(form, out_type=str))
    if glued and pieces and CJK.match(form[0]):
        if pieces[0] == _WORD_START and len(pieces) > 1:
            pieces = pieces[1:]
        elif pieces[0].startswith(_WORD_START):
            pieces = [pieces[0][1:], *pieces[1:]]
    return tuple(pieces)


def _aligned_place(
    engine: Ct2Engine, source: str, row: _Row, c: TermConstraint
) -> tuple[int, int] | None:
    """Pieces ``[start, end)`` of the row's best hypothesis that translate term ``c``: from the
    first piece whose attention peaks on the term's source pieces, while it does, widened to
    whole words and kept after ``row.locked``. None without a source spelling or attention."""
    tokens, attention = row.best.tokens, row.best.attention
    span = _source_span(engine, source, c)
    if span is None or not attention:
        return None
    lo, hi = span
    peaks = [
        bool(w) and lo <= max(range(len(w)), key=w.__getitem__) < hi
        for w in attention[: len(tokens)]
    ]
    start = next((t for t in range(row.locked, len(peaks)) if peaks[t]), None)
    if start is None:
        return None
    end = start + 1
    while end < len(peaks) and peaks[end]:
        end += 1
    while start > row.locked and not tokens[start].startswith(_WORD_START):
        start -= 1
    while end < len(tokens) and not tokens[end].startswith(_WORD_START):
        end += 1
    return start, end


def _source_span(engine: Ct2Engine, source: str, c: TermConstraint) -> tuple[int, int] | None:
    """Source piece range ``[lo, hi)`` of the first spelling of ``c`` in ``source``."""
    spm = engine.tokenizer.spm_source
    offset = 1 if engine.spec.prefix else 0  # the target-language token is one piece
    folded = source.casefold()
    for form in (*c.targets.get(engine.source_lang, ()), c.headword):
        at = folded.find(form.casefold()) if form else -1
        if at >= 0:
            lo = offset + (len(spm.encode(source[:at], out_type=str)) if at else 0)
            hi = offset + len(spm.encode(source[: at + len(form)], out_type=str))
            return lo, max(hi, lo + 1)
    return None
