"""Order rules of constraints: written at most once, and bracket pairs that nest (inline markup).

Besides "write one of these forms", a :class:`~translate.units.TermConstraint` may carry two
rules: ``once`` (no more occurrences than required) and ``closes`` (the headword of the
constraint it closes, as a bracket pair: written after that one, and only while it is the
innermost open pair, so that pairs nest; siblings may come in any order). Markup placeholders
carry both (``[1]`` once, ``[/1]`` once and closing ``[1]``). :func:`openers` resolves the
relation over a segment's constraint list; the exact decoder enforces the rules token by token
(:mod:`translate.engine.constraint_tables`, :mod:`translate.engine.constrained`) and engines that
check then repair judge a text with :func:`in_order` (:mod:`translate.engine.ct2_terms`).

In the exact decoder, a completion the rules forbid is masked before
the top-k (the last token of each spelling whose other tokens the output ends with, as
transformers' multi-token bad-words processor does); a forbidden closer gets no advancing
candidate and its partial progress does not count as feasible; end of sentence still needs
every constraint, so no pair is left open. Such a constraint is watched in every spelling the
target vocabulary has (:func:`~translate.engine.constraint_tables.spellings`: glued to the
word before, ``▁[`` or ``▁`` + ``[``, pieces across its edges such as ``].``) but forced only
in the tokenizer's own. So the output's tokens hold each placeholder once, well nested;
:func:`translate.markup.placeholders.restore` still reads the text and catches what no token
rule sees (spaces inside, ``[ 1 ]``, or a spelling past the bound) and a pair written empty.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from translate._text import span_occurrences, term_occurrences
from translate.units import TermConstraint

__all__ = ["completing", "forbidden_now", "in_order", "openers", "ordered"]


def ordered(constraints: Sequence[TermConstraint]) -> bool:
    """Whether any constraint of the list carries an order rule."""
    return any(c.once or c.closes is not None for c in constraints)


def openers(constraints: Sequence[TermConstraint]) -> list[int]:
    """Per constraint, the index of the one it closes (the first with that headword), or -1:
    none, a headword no other constraint of the list has (its pair went elsewhere, e.g. to
    another part of a long sentence), or itself."""
    first: dict[str, int] = {}
    for k, c in enumerate(constraints):
        first.setdefault(c.headword, k)
    out = []
    for k, c in enumerate(constraints):
        opener = first.get(c.closes, -1) if c.closes is not None else -1
        out.append(-1 if opener == k else opener)
    return out


def _occurrences(text: str, c: TermConstraint, lang: str) -> set[tuple[int, int]]:
    """Where ``c`` stands in ``text``, as the verifiers read it (names and spans exact case)."""
    spans: set[tuple[int, int]] = set()
    for form in c.variants(lang):
        found = set(term_occurrences(text, form))
        spans |= found & set(span_occurrences(text, form)) if c.dnt else found
    return spans


def in_order(text: str, constraints: Sequence[TermConstraint], lang: str) -> bool:
    """Whether ``text`` keeps the order rules of ``constraints`` (read in ``lang``).

    A ``once`` constraint may occur no more often than the list requires it (identical
    constraints add up); each occurrence of a closer must close the innermost pair open there,
    its opener's. A constraint that does not occur breaks no order rule (it is missing: the term
    check says so), but an opener left open makes a later outer closer cross it.
    """
    if not ordered(constraints):
        return True
    opener = openers(constraints)
    opens = {o for o in opener if o >= 0}
    events: list[tuple[int, int]] = []
    for k, c in enumerate(constraints):
        if not (c.once or opener[k] >= 0 or k in opens):
            continue
        spans = _occurrences(text, c, lang)
        if c.once and len(spans) > sum(1 for d in constraints if d == c):
            return False
        events += [(start, k) for start, _ in spans]
    stack: list[int] = []
    for _, k in sorted(events):
        if opener[k] >= 0:
            if not stack or stack[-1] != opener[k]:
                return False
            stack.pop()
        if k in opens:
            stack.append(k)
    return True


# The decoder's side: the rules over the tensors of :mod:`translate.engine.constraint_tables`
# (``con_need``, ``con_once``, ``con_opener``, per sentence), for hypotheses (and candidates).


def forbidden_now(tables: dict[str, Any], rows: Any, met_count: Any, opened: Any) -> Any:
    """The constraints whose completion an order rule forbids now, per hypothesis (…×C): a
    ``once`` one already met, a closer whose pair is not the innermost open one (not opened
    yet, already closed, or with a pair opened inside it still open).

    Args:
        tables: the decoder's tensors; ``rows`` indexes their sentences (H, or H×N).
        met_count: occurrences met (or pending their word boundary) per constraint (…×C).
        opened: the step (from 1) at which each constraint was met, 0 while it is not (…×C).
    """
    import torch

    need, once = tables["con_need"][rows], tables["con_once"][rows]
    opener = tables["con_opener"][rows]
    met = met_count >= need
    closer = opener >= 0
    at = opener.clamp(min=0)
    open_pair = closer & met.gather(-1, at) & ~met
    open_step = torch.where(open_pair, opened.gather(-1, at), 0)
    innermost = open_pair & (open_step == open_step.max(-1, keepdim=True).values)
    return (once & met) | (closer & ~innermost)


def completing(
    tables: dict[str, Any], rows: Any, prog: Any, forbidden: Any, vocab_size: int
) -> Any:
    """H×V mask of the tokens that would complete an alternative of a ``forbidden`` constraint
    (its last token, where the output ends with all the others: KMP progress ``prog``, H×A), as
    transformers' multi-token bad-words processor masks them."""
    import torch

    seq, length = tables["alt_seq"][rows], tables["alt_len"][rows]
    alt_forbidden = (tables["con_onehot"][rows] & forbidden[:, None, :]).any(-1)  # H,A
    last = seq.gather(2, (length - 1).clamp(min=0)[..., None]).squeeze(-1)
    due = alt_forbidden & tables["alt_valid"][rows] & (prog == length - 1) & (last < vocab_size)
    mask = torch.zeros((len(rows), vocab_size + 1), dtype=torch.bool, device=prog.device)
    mask.scatter_(1, torch.where(due, last, vocab_size), True)
    return mask[:, :vocab_size]
