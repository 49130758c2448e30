"""Placeholder order under real decoding: Markdown and HTML sentences with nested and sibling
inline tags, through tiny random and trained models on the hf and ct2 paths and on a pivot, beams
1 to 4 (segments: ``markupcases.py``): every output's placeholders are once each and well nested;
the order rules themselves (:mod:`translate.engine.order`) and the spellings the decoder watches."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from markupcases import copy_lines, engine, fallbacks, marked_sentences

from translate.engine.base import translate_detailed
from translate.engine.order import in_order, openers, ordered
from translate.markup.placeholders import constraints_for
from translate.units import SegmentMarkup, TermConstraint


@pytest.fixture(scope="module")
def tiny_trained(make_tiny_model: Callable[..., Path]) -> Path:
    """A small model briefly trained to copy French with placeholders (it has learnt to end
    early, so the decoder places every placeholder)."""
    from tinymodels import train_copy

    path = make_tiny_model("copy-order", d_model=32, ffn=64, layers=1, heads=2, seed=3)
    if not (path / "trained").exists():
        train_copy(path, copy_lines(), steps=80)
        (path / "trained").write_text("", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def tiny_brackets(make_tiny_model: Callable[..., Path]) -> Path:
    """A random model biased towards the pieces of placeholders: left alone it writes them
    again and again, in every order and spelling (``[``, ``▁``, digits, ``/``, ``]``)."""
    import torch
    from transformers import MarianMTModel, MarianTokenizer

    path = make_tiny_model("brackets", seed=21, init_std=0.5)
    if not (path / "biased").exists():
        tok = MarianTokenizer.from_pretrained(str(path))
        model = MarianMTModel.from_pretrained(str(path))
        ids = tok.convert_tokens_to_ids(["[", "]", "/", "▁", "1", "2", "3"])
        with torch.no_grad():
            model.final_logits_bias[0, ids] += 6.0
        model.save_pretrained(str(path))
        (path / "biased").write_text("", encoding="utf-8")
    return path


def _order_issues(engine: Any, marks: Sequence[SegmentMarkup]) -> list[Any]:
    """Fallbacks for anything but an empty pair (a pair written with nothing inside is kept in
    order, and restore still moves it around the sentence)."""
    return [b for b in fallbacks(engine, marks) if any(" empty:" not in i for i in b[2])]


def P(headword: str, closes: str | None = None) -> TermConstraint:
    return TermConstraint(headword, {"fr": (headword,)}, dnt=True, once=True, closes=closes)


PAIRS = [P("[1]"), P("[/1]", "[1]"), P("[2]"), P("[/2]", "[2]"), P("[3/]")]


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("[1]a[/1] b [2]c[/2] [3/]", True),
        ("[2]c[/2] [3/] [1]a[/1]", True),  # siblings in any order
        ("[1]a [2]b[/2] c[/1]", True),  # nested
        ("[1]a", True),  # missing is not disorder
        ("[1]a [2]b[/1] c[/2]", False),  # crossing
        ("[/1]a[1]", False),  # closed before opened
        ("[1]a[/1] [1]b", False),  # twice
        ("[3/] a [3/]", False),
        ("[1]a [2]b [/1]", False),  # [2] left open inside [1]
    ],
)
def test_in_order_reads_once_each_and_nesting(text: str, ok: bool) -> None:
    assert in_order(text, PAIRS, "en") is ok


def test_openers_by_headword_and_plain_constraints_keep_no_rule() -> None:
    assert openers([*PAIRS, P("[/9]", "[9]")]) == [-1, 0, -1, 2, -1, -1]
    plain = [TermConstraint("cloud", {"en": ("cloud",)})]
    assert not ordered(plain) and in_order("cloud cloud", plain, "en")


def test_placeholders_are_constraints_with_order_rules() -> None:
    (mark,) = marked_sentences(1)
    cons = constraints_for(mark)
    assert all(c.once for c in cons)
    closers = {c.headword: c.closes for c in cons if c.closes is not None}
    assert closers and all(k == f"[/{v[1:-1]}]" for k, v in closers.items())


def test_every_spelling_of_a_placeholder_is_watched(tiny_fr_en: Path) -> None:
    from transformers import MarianTokenizer

    from translate.engine.constraint_tables import spellings, term_alternatives

    tok = MarianTokenizer.from_pretrained(str(tiny_fr_en))
    for form in ("[1]", "[/12]", "[3/]"):
        own, every = term_alternatives(tok, form), spellings(tok, form)
        assert every[: len(own)] == own and len(every) > len(own)
        assert {tok.decode(list(ids)).strip() for ids in every} == {form}


@pytest.mark.parametrize("beams", [1, 2, 3, 4])
def test_placeholders_nest_on_the_hf_and_ct2_paths_and_a_pivot(
    beams: int,
    tiny_fr_en: Path,
    tiny_pivot: tuple[Path, Path],
    tiny_trained: Path,
    tiny_brackets: Path,
) -> None:
    marks = marked_sentences(4, seed=beams)
    for backend in ("hf", "ct2"):
        for paths in (
            {"fr-en": str(tiny_fr_en)},
            {"fr-en": str(tiny_pivot[0]), "en-zh": str(tiny_pivot[1])},
            {"fr-en": str(tiny_trained)},
            {"fr-en": str(tiny_brackets), "en-zh": str(tiny_brackets)},
        ):
            assert _order_issues(engine(paths, beams, backend), marks) == [], (backend, paths)


def test_batching_does_not_change_ordered_outputs(tiny_pivot: tuple[Path, Path]) -> None:
    marks = marked_sentences(4, seed=7)
    eng = engine({"fr-en": str(tiny_pivot[0])}, 3, "hf")
    cons = [constraints_for(m) for m in marks]
    batched = [t.text for t in translate_detailed(eng, [m.source for m in marks], cons)]
    alone = [
        translate_detailed(eng, [m.source], [c])[0].text for m, c in zip(marks, cons, strict=True)
    ]
    assert batched == alone
    assert all(in_order(t, c, "en") for t, c in zip(batched, cons, strict=True))


def test_ct2_sends_what_breaks_the_order_to_the_exact_decoder(
    tiny_fr_en: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The order predicate decides: a hypothesis or repair judged out of order is not kept."""
    import translate.engine.ct2_terms as ct2_terms

    marks = marked_sentences(4, seed=3)
    eng = engine({"fr-en": str(tiny_fr_en)}, 2, "ct2")
    monkeypatch.setattr(ct2_terms, "in_order", lambda *a: False)
    outs = translate_detailed(eng, [m.source for m in marks], [constraints_for(m) for m in marks])
    assert all(set(o.methods) == {"constrained"} for o in outs)


class _Pieces:
    """A tokenizer stand-in with a vocabulary that has pieces across a placeholder's edges."""

    separate_vocabs = False
    unk_token_id = 2

    def __init__(self) -> None:
        pieces = ["</s>", "<pad>", "<unk>", "▁", "[", "1", "]", "].", "([", "▁[", "[1", "x"]
        self.vocab = {p: i for i, p in enumerate(pieces)}
        self.spm_target = self

    def encode(self, text: str, out_type: type) -> list[str]:
        assert text == "[1]"
        return ["▁[", "1", "]"]

    def get_vocab(self) -> dict[str, int]:
        return self.vocab


def test_spellings_include_other_boundaries_and_pieces_across_the_edges() -> None:
    from translate.engine.constraint_tables import _MAX_SPELLINGS, spellings

    tok = _Pieces()
    names = {i: p for p, i in tok.vocab.items()}
    got = [" ".join(names[i] for i in ids) for ids in spellings(tok, "[1]")]
    assert got[0] == "▁[ 1 ]"  # the tokenizer's own first: the one the decoder forces
    exact = ["▁ [ 1 ]", "▁ [1 ]", "[ 1 ]", "[1 ]"]
    assert set(exact) <= set(got[:5]) and "[1 ]." in got  # then a piece past the end
    assert len(got) == _MAX_SPELLINGS and all("x" not in g for g in got)
    few = _Pieces()  # fewer pieces: those across the start edge (``([``), ranked last, come in
    few.vocab = {p: i for p, i in few.vocab.items() if p not in ("▁", "[1", "].")}
    assert "([ 1 ]" in [" ".join(names[i] for i in ids) for ids in spellings(few, "[1]")]


@pytest.mark.parametrize("beams", [1, 2, 4])
@pytest.mark.parametrize("cap", [1, 4, 16])
def test_the_exact_decoder_nests_even_when_every_token_is_forced(
    tiny_trained: Path, beams: int, cap: int
) -> None:
    """Short length limits (every placeholder forced, the limit raised to fit them) on a model
    that writes brackets of its own: all written, once each, nested, no search left empty."""
    from test_constrained import _load

    from translate.engine.constrained import constrained_generate
    from translate.engine.ct2_terms import missing_terms

    model, tok = _load(tiny_trained)
    marks = marked_sentences(6, seed=10 + cap)
    cons = [constraints_for(m) for m in marks]
    outs = constrained_generate(
        model,
        tok,
        [m.source for m in marks],
        cons,
        target_lang="en",
        num_beams=beams,
        max_new_tokens=[cap] * len(marks),
        device="cpu",
    )
    for out, c in zip(outs, cons, strict=True):
        assert in_order(out, c, "en") and not missing_terms(out, c, "en"), out


def test_order_rules_are_part_of_the_cache_key_only_where_set() -> None:
    from translate.engine.cache import constraint_key

    plain = TermConstraint("[1]", {"fr": ("[1]",)}, dnt=True)
    assert constraint_key([plain]) == [["[1]", True, [("fr", ["[1]"])]]]
    assert constraint_key([P("[1]")]) != constraint_key([plain])
    assert constraint_key([P("[/1]", "[1]")]) != constraint_key([P("[/1]")])
