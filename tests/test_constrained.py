"""Constrained beam search: every term appears, whatever the (random) model prefers."""

from __future__ import annotations

import random
import re
import warnings
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from translate.glossary import Glossary, load_glossary
from translate.segment import segment
from translate.units import TermConstraint

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).resolve().parent.parent

torch = pytest.importorskip("torch")


def _load(path: Path) -> tuple[Any, Any]:
    from transformers import MarianMTModel, MarianTokenizer
    from transformers.utils import logging

    logging.set_verbosity_error()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tok = MarianTokenizer.from_pretrained(path)
    model = MarianMTModel.from_pretrained(path).eval()
    return model, tok


@pytest.fixture(scope="module", params=[1, 2, 3], ids=lambda s: f"seed{s}")
def tiny(request: pytest.FixtureRequest, make_tiny_model: Callable[..., Path]) -> tuple[Any, Any]:
    torch.set_num_threads(1)
    return _load(make_tiny_model(f"opus-mt-fr-en-seed{request.param}", seed=request.param))


@pytest.fixture(scope="module")
def property_model(make_tiny_model: Callable[..., Path]) -> tuple[Any, Any]:
    return _load(make_tiny_model("opus-mt-fr-en-seed1", seed=1))


@lru_cache(maxsize=4)
def french_sentences(limit: int = 80) -> list[str]:
    """Sentences of the bundled articles, plus their first clauses, to have many inputs."""
    out: list[str] = []
    for path in sorted((REPO / "articles" / "fr").glob("*.txt")):
        for seg in segment(path.read_text(encoding="utf-8")).segments:
            out.append(seg.text)
            clause = re.split(r"[,;:]\s", seg.text)[0]
            if clause != seg.text and len(clause.split()) >= 3:
                out.append(clause)
    return list(dict.fromkeys(out))[:limit]


def C(*forms: str, lang: str = "en", dnt: bool = False) -> TermConstraint:
    return TermConstraint(headword=forms[0], targets={lang: forms}, dnt=dnt)


# Synthetic terms, each a disjunction; all spellable with the tiny models' vocabulary.
POOL = [
    C("public cloud", "public clouds"),
    C("cryptocurrency exchange", "cryptocurrency exchanges"),
    C("AWS"),
    C("Alibaba Cloud", dnt=True),
    C("mining"),
    C("large model", "large models"),
    C("Tokyo"),
    C("cloud"),
    C("clouds"),
    C("exchange"),
    C("stablecoin", "Stablecoin"),
]


def check(outputs: list[str], constraints: list[list[TermConstraint]], lang: str) -> None:
    verifier = Glossary([])
    for out, cons in zip(outputs, constraints, strict=True):
        results = verifier.verify(out, cons, [], lang)
        assert all(r.satisfied for r in results), (out, results)


def run(
    model: Any, tok: Any, texts: list[str], cons: list[list[TermConstraint]], **kw: Any
) -> list[str]:
    from translate.engine.constrained import constrained_generate

    kw.setdefault("target_lang", "en")
    kw.setdefault("num_beams", 4)
    kw.setdefault("max_new_tokens", [24] * len(texts))
    return constrained_generate(model, tok, texts, cons, device="cpu", **kw)


def test_pool_is_spellable(tiny: tuple[Any, Any]) -> None:
    from translate.engine.constrained import term_alternatives

    _, tok = tiny
    for c in POOL:
        for form in c.variants("en"):
            assert term_alternatives(tok, form), form


def test_guarantee_on_many_sentences_with_synthetic_terms(tiny: tuple[Any, Any]) -> None:
    model, tok = tiny
    texts = french_sentences()
    assert len(texts) >= 60
    rng = random.Random(len(texts))
    cons = [rng.sample(POOL, rng.randint(1, 3)) for _ in texts]
    outputs = run(model, tok, texts, cons)
    assert len(outputs) == len(texts)
    check(outputs, cons, "en")


@pytest.mark.parametrize("lang", ["en", "es", "zh"])
def test_guarantee_with_glossary_matches(tiny: tuple[Any, Any], lang: str) -> None:
    from translate.engine.constrained import term_alternatives

    model, tok = tiny
    glossary = load_glossary([DATA / "glossary-small.csv"])
    texts, cons = [], []
    for text in french_sentences():
        matches = glossary.match(text)
        if matches:
            texts.append(text)
            cons.append(glossary.constraints_for(text, matches))
    assert len(texts) >= 20
    outputs = run(model, tok, texts, cons, target_lang=lang)
    # Only terms the model can spell are enforceable (``glossary check --model`` flags the rest).
    spellable = [
        [c for c in cs if any(term_alternatives(tok, f) for f in c.variants(lang))] for cs in cons
    ]
    assert sum(map(len, spellable)) >= len(texts)
    check(outputs, spellable, lang)


def test_disjunction_uses_a_spellable_form_and_skips_impossible_terms(
    tiny: tuple[Any, Any],
) -> None:
    from translate.engine.constrained import term_alternatives

    model, tok = tiny
    # 'ꙮ' is in no training text of the tiny tokenizers: such forms can only be <unk>.
    assert not term_alternatives(tok, "Kryptoꙮ")
    impossible = C("Kryptoꙮ")
    either = C("Kryptoꙮen", "crypto")
    (out,) = run(model, tok, ["Les cryptomonnaies."], [[either, impossible]])
    check([out], [[C("crypto")]], "en")


def test_dnt_names_verbatim_in_any_language(tiny: tuple[Any, Any]) -> None:
    model, tok = tiny
    names = [C("Foresight News", lang="fr", dnt=True), C("Alibaba Cloud", lang="fr", dnt=True)]
    outputs = run(
        model,
        tok,
        ["Selon Foresight News, Alibaba Cloud grandit."] * 2,
        [names, names[:1]],
        target_lang="ja",
    )
    assert "Foresight News" in outputs[0] and "Alibaba Cloud" in outputs[0]
    assert "Foresight News" in outputs[1]


def test_pivot_reads_constraints_per_language(tiny: tuple[Any, Any]) -> None:
    model, tok = tiny
    term = TermConstraint(
        headword="cloud public",
        targets={"en": ("public cloud",), "zh": ("公有云",), "de": ("Public Cloud",)},
    )
    text = ["Le cloud public progresse."]
    # the term opens the sentence: it may be capitalised
    assert "public cloud" in run(model, tok, text, [[term]], target_lang="en")[0].lower()
    assert "公有云" in run(model, tok, text, [[term]], target_lang="zh")[0]


@pytest.mark.parametrize("max_new", [1, 3, 6])
def test_length_limit_is_raised_to_fit_the_terms(tiny: tuple[Any, Any], max_new: int) -> None:
    model, tok = tiny
    cons = [[POOL[0], POOL[1], POOL[5]]]
    (out,) = run(
        model, tok, ["Le cloud public et les grands modèles."], cons, max_new_tokens=[max_new]
    )
    check([out], cons, "en")


def test_repeated_term_needs_two_occurrences(tiny: tuple[Any, Any]) -> None:
    model, tok = tiny
    cons = [[C("mining"), C("mining"), C("cloud"), C("clouds")]]
    (out,) = run(model, tok, ["Le minage, le minage et le cloud."], cons)
    assert out.count("mining") >= 2, out
    check([out], cons, "en")


def test_deterministic_and_batch_independent(tiny: tuple[Any, Any]) -> None:
    model, tok = tiny
    texts = french_sentences(12)
    cons = [[POOL[i % len(POOL)]] for i in range(len(texts))]
    first = run(model, tok, texts, cons)
    assert run(model, tok, texts, cons) == first
    assert run(model, tok, texts[3:4], cons[3:4]) == first[3:4]


@pytest.mark.parametrize("beams", [1, 2, 5])
def test_beam_sizes(tiny: tuple[Any, Any], beams: int) -> None:
    model, tok = tiny
    texts = french_sentences(10)
    cons = [[POOL[(i * 3) % len(POOL)], POOL[(i * 5 + 1) % len(POOL)]] for i in range(len(texts))]
    check(run(model, tok, texts, cons, num_beams=beams), cons, "en")


def test_no_constraints_and_mismatched_inputs(tiny: tuple[Any, Any]) -> None:
    from translate.engine.constrained import constrained_generate
    from translate.errors import EngineError

    model, tok = tiny
    assert run(model, tok, [], []) == []
    (out,) = run(model, tok, ["Bonjour."], [[]], max_new_tokens=[8])
    assert isinstance(out, str)
    with pytest.raises(EngineError):
        constrained_generate(
            model,
            tok,
            ["a", "b"],
            [[]],
            target_lang="en",
            num_beams=2,
            max_new_tokens=[4, 4],
            device="cpu",
        )


@pytest.mark.parametrize(
    "seq, feed, state",
    [
        ((1, 2, 3), (1, 2), 2),
        ((1, 1, 2), (1, 1, 1), 2),  # a repeated prefix keeps its progress
        ((1, 2, 1, 3), (1, 2, 1, 2, 1), 3),
        ((1, 2, 1, 3), (1, 2, 1, 1), 1),
        ((5,), (4,), 0),
    ],
)
def test_kmp_progress(seq: tuple[int, ...], feed: tuple[int, ...], state: int) -> None:
    from translate.engine.constrained import _kmp_table

    uniq, table = _kmp_table(seq)
    s = 0
    for tok in feed:
        s = table[s][uniq.index(tok)] if tok in uniq else 0
        if s == len(seq):
            break
    assert s == state


def test_term_is_not_met_inside_a_longer_word(tiny: tuple[Any, Any]) -> None:
    """A model that always continues the current word ("cloud" → "clouds...") still yields the
    whole word "cloud": the term only counts once a new word or the end follows."""
    import copy

    model, tok = tiny
    glue_piece = next(p for p in ("s", "ing", "ed", "e") if p in tok.get_vocab())
    biased = copy.deepcopy(model)
    biased.final_logits_bias[0, tok.get_vocab()[glue_piece]] += 30.0
    cons = [[C("cloud")], [C("mining"), C("Tokyo")]]
    outputs = run(biased, tok, ["Le cloud.", "Le minage à Tokyo."], cons, max_new_tokens=[12, 12])
    check(outputs, cons, "en")


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    picks=st.lists(st.integers(0, len(POOL) - 1), min_size=1, max_size=4),
    beams=st.integers(1, 4),
    max_new=st.integers(1, 20),
    sentence=st.integers(0, 59),
)
def test_guarantee_property(
    picks: list[int], beams: int, max_new: int, sentence: int, property_model: tuple[Any, Any]
) -> None:
    model, tok = property_model
    cons = [[POOL[i] for i in picks]]
    text = [french_sentences()[sentence]]
    check(run(model, tok, text, cons, num_beams=beams, max_new_tokens=[max_new]), cons, "en")


# --- through the engine and the pipeline, with the bundled glossary -----------------------------


@pytest.fixture(scope="module")
def glossary_run(tiny_fr_en: Path) -> tuple[Any, Any, Glossary]:
    """The bundled articles' first sentences translated by the real engine, with and without the
    bundled glossary (the constrained decoder is not faked)."""
    from translate.engine.base import DecodeOptions
    from translate.engine.marian import MarianEngine
    from translate.engine.registry import ModelSpec
    from translate.pipeline import Pipeline
    from translate.units import Document

    torch.set_num_threads(1)
    glossary = load_glossary([REPO / "glossaries" / "crypto-cloud.csv"])
    spec = ModelSpec("fr-en", "fr", "en", str(tiny_fr_en), local=True)
    engine = MarianEngine.load(spec, DecodeOptions(max_length_a=0.6, max_length_b=6))
    texts = french_sentences(80)
    with_terms = [t for t in texts if glossary.match(t)][:14]
    without = [t for t in texts if not glossary.match(t)][:10]
    assert len(with_terms) == 14 and len(without) >= 6
    picked = [
        t for pair in zip(with_terms, (without + [""] * 14)[:14], strict=True) for t in pair if t
    ]
    doc = segment("\n\n".join(picked))
    assert isinstance(doc, Document)
    enforced = Pipeline({"en": engine}, glossary=glossary, passthrough=None).translate(doc)["en"]
    plain = Pipeline({"en": engine}, passthrough=None).translate(doc)["en"]
    return enforced, plain, glossary


def test_segments_without_terms_decode_exactly_as_without_a_glossary(
    glossary_run: tuple[Any, Any, Glossary],
) -> None:
    enforced, plain, _ = glossary_run
    free = [(a, b) for a, b in zip(enforced.segments, plain.segments, strict=True) if not a.terms]
    assert len(free) >= 6
    assert [a.target for a, _ in free] == [b.target for _, b in free]


def test_every_bundled_glossary_term_is_in_the_engine_output(
    glossary_run: tuple[Any, Any, Glossary],
) -> None:
    enforced, _, _ = glossary_run
    assert enforced.summary["terms_required"] >= 14
    assert enforced.summary["term_accuracy"] == 1.0, [
        (s.source, s.target) for s in enforced.segments if not all(t.satisfied for t in s.terms)
    ]


def test_engine_output_terms_agree_in_number_and_fit_their_place(
    glossary_run: tuple[Any, Any, Glossary],
) -> None:
    enforced, _, glossary = glossary_run
    checked = 0
    for seg in enforced.segments:
        matches = glossary.match(seg.source)
        for m, t in zip(matches, seg.terms, strict=True):
            entry = glossary.entry(m.entry_id)
            assert t.found is not None
            assert t.found.lower() in {f.lower() for f in entry.forms("en", plural=m.plural)}
            if t.start == 0 and seg.source[:1].isupper() and t.found[:1].isalpha():
                assert t.found[0].isupper(), seg.target  # opens the sentence
            elif t.found == t.found.capitalize() and t.found.lower() in t.required:
                assert seg.target[: t.start].rstrip()[-1:] in ".!?:", seg.target
            if m.dnt:
                assert t.found == m.text  # a name comes out verbatim
            checked += 1
    assert checked >= 14


@pytest.mark.parametrize(
    "source, target, forms, expected",
    [
        (
            "Les exchanges.",
            "cryptocurrency exchanges rise.",
            ["cryptocurrency exchanges"],
            "Cryptocurrency exchanges rise.",
        ),
        (
            "« Les exchanges",
            "« cryptocurrency exchanges",
            ["cryptocurrency exchanges"],
            "« Cryptocurrency exchanges",
        ),
        (
            "les exchanges",
            "cryptocurrency exchanges",
            ["cryptocurrency exchanges"],
            "cryptocurrency exchanges",
        ),
        ("Le cloud.", "clouds rise.", ["cloud"], "clouds rise."),  # not the term: left alone
        (
            "Le minage.",
            "The Mining grows. Mining too.",
            ["mining", "Mining"],
            "The mining grows. Mining too.",
        ),
        ("Le cloud.", "AWS and the Cloud.", ["Cloud"], "AWS and the Cloud."),  # glossary casing
        ("L'IA.", "iPhone AI.", ["AI"], "iPhone AI."),
        ("", "", ["x"], ""),
    ],
)
def test_fit_case(source: str, target: str, forms: list[str], expected: str) -> None:
    from translate.engine.constrained import fit_case

    assert fit_case(source, target, [C(*forms)], "en") == expected


def test_fit_case_keeps_lower_case_names() -> None:
    from translate.engine.constrained import fit_case

    name = C("uniswap", dnt=True)
    assert fit_case("Uniswap grandit.", "uniswap grows.", [name], "en") == "uniswap grows."
