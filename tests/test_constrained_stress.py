"""Adversarial inputs for the term guarantee: crowded, overlapping, repeated, long, non-Latin and
NFKC-normalised terms, greedy and wide beams, tiny length caps, mixed batches; the decoder and
``verify()`` must agree on every one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from translate.glossary import Glossary
from translate.protect import ProtectRules
from translate.protect import constraints_for as protect_constraints
from translate.protect import verify as verify_protected
from translate.units import TermConstraint

torch = pytest.importorskip("torch")

from tests.test_constrained import _load, french_sentences  # noqa: E402


def C(*forms: str, lang: str = "en", dnt: bool = False) -> TermConstraint:
    return TermConstraint(headword=forms[0], targets={lang: forms}, dnt=dnt)


# Terms chosen to collide: prefixes of each other, one-token terms that occur inside longer ones,
# single glue letters, names with dots, hyphens and apostrophes, long multi-word terms, Cyrillic,
# CJK (glued to neighbours) and a capitalised form next to its lower-case one.
EN_POOL = [
    C("cloud"),
    C("clouds"),
    C("public cloud", "public clouds"),
    C("public"),
    C("cloud computing platform service provider"),
    C("s"),
    C("min"),
    C("mining pool"),
    C("the"),
    C("The"),
    C("Cloud", "cloud"),
    C("5G"),
    C("AI-based"),
    C("l’IA"),
    C("e-mail"),
    C("JD.com", dnt=True),
    C("Alibaba Cloud", dnt=True),
    C("Foresight News", dnt=True),
    C("@binance", dnt=True),
    C("Крупные интернет-компании"),
    C("公有云"),
    C("区块链"),
    C(","),
    C("."),
    C("ＡＩ"),  # written "AI" by any SentencePiece nmt_nfkc model
]
ZH_POOL = [
    C("公有云", lang="zh"),
    C("云", lang="zh"),
    C("区块链", "區塊鏈", lang="zh"),
    C("加密货币交易所", lang="zh"),
    C("交易所", lang="zh"),
    C("币", lang="zh"),
    C("稳定币", lang="zh"),
    C("公有云（PaaS）", lang="zh"),  # full-width brackets: written as ASCII
    C("AWS", lang="zh"),
    C("JD.com", lang="zh", dnt=True),
]


@pytest.fixture(scope="module", params=["plain", "eager-eos"])
def model(request: pytest.FixtureRequest, make_tiny_model: Callable[..., Path]) -> tuple[Any, Any]:
    """A default tiny model, and one with large weights and a strong end-of-sentence bias (it
    wants to stop at once and so must be forced through every term)."""
    torch.set_num_threads(1)
    if request.param == "plain":
        return _load(make_tiny_model("opus-mt-fr-en-seed1", seed=1))
    return _load(make_tiny_model("stress-eager-eos", seed=5, init_std=0.3, eos_bias=2.0))


def spellable(tok: Any, cons: list[TermConstraint], lang: str) -> list[TermConstraint]:
    from translate.engine.constrained import term_alternatives

    return [c for c in cons if all(term_alternatives(tok, f) for f in c.variants(lang))]


def generate(model: tuple[Any, Any], texts: list[str], cons: list[list[TermConstraint]], **kw: Any):
    from translate.engine.constrained import constrained_generate

    m, tok = model
    kw.setdefault("target_lang", "en")
    kw.setdefault("num_beams", 3)
    kw.setdefault("max_new_tokens", [16] * len(texts))
    return constrained_generate(m, tok, texts, cons, device="cpu", **kw)


def missing(outputs: list[str], cons: list[list[TermConstraint]], lang: str) -> list[Any]:
    verifier = Glossary([])
    bad = []
    for out, cs in zip(outputs, cons, strict=True):
        results = verifier.verify(out, cs, [], lang)
        bad += [(out, r.required) for r in results if not r.satisfied]
    return bad


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.data(),
    beams=st.sampled_from([1, 2, 8]),
    max_new=st.sampled_from([1, 2, 5, 30]),
    lang=st.sampled_from(["en", "zh"]),
)
def test_random_crowded_constraint_sets(
    model: tuple[Any, Any], data: st.DataObject, beams: int, max_new: int, lang: str
) -> None:
    pool = EN_POOL if lang == "en" else ZH_POOL
    sentences = french_sentences()
    texts = data.draw(st.lists(st.sampled_from(sentences + ["", "   "]), min_size=1, max_size=3))
    cons = []
    for _ in texts:
        picked = data.draw(st.lists(st.sampled_from(pool), max_size=10))
        repeats = data.draw(st.integers(0, 2))
        cons.append(spellable(model[1], picked + picked[:1] * repeats, lang))
    outputs = generate(
        model, texts, cons, target_lang=lang, num_beams=beams, max_new_tokens=[max_new] * len(texts)
    )
    assert missing(outputs, cons, lang) == []


@pytest.mark.parametrize("beams", [1, 2, 8])
@pytest.mark.parametrize("max_new", [1, 5])
def test_short_term_inside_a_long_one_followed_by_glue(
    model: tuple[Any, Any], beams: int, max_new: int
) -> None:
    """``s`` is met inside ``service`` and undone by the glue piece that follows: the decoder
    must not count that hypothesis as unable to finish (it raised EngineError with a greedy
    beam)."""
    cons = [[C("cloud computing platform service provider"), C("s")]]
    outputs = generate(
        model, ["Pour les mineurs."], cons, num_beams=beams, max_new_tokens=[max_new]
    )
    assert missing(outputs, cons, "en") == []


@pytest.mark.parametrize("beams", [1, 4])
def test_one_occurrence_meets_one_of_two_matches_of_a_term(
    model: tuple[Any, Any], beams: int
) -> None:
    """The sentence-initial match carries a capitalised form the other lacks; one ``public
    cloud`` used to satisfy both in the decoder and in verify()."""
    cons = [[C("public cloud", "Public cloud"), C("public cloud")]]
    (out,) = generate(
        model, ["Cloud public et cloud public."], cons, num_beams=beams, max_new_tokens=[3]
    )
    assert out.lower().count("public cloud") >= 2, out
    assert missing([out], cons, "en") == []
    once = Glossary([]).verify("Public cloud grows.", cons[0], [], "en")
    assert [r.satisfied for r in once] == [True, False]


@pytest.mark.parametrize(
    "form, written",
    [
        ("ＡＩ", "AI"),
        ("公有云（PaaS）", "公有云(PaaS)"),
        ("…", "..."),
        ("public  cloud", "public cloud"),
        ("ﬁnance", "finance"),
        ("cloud\u00a0public", "cloud public"),
        ("cloud ", "cloud"),
        ("e\u0301tat", "état"),
    ],
)
def test_verify_accepts_the_spelling_the_tokenizer_writes(form: str, written: str) -> None:
    from translate.glossary import written_form

    assert written_form(form) == written
    (result,) = Glossary([]).verify(f"x {written} y", [C(form)], [], "en")
    assert result.satisfied and result.found == written


@pytest.mark.parametrize("form", ["ＡＩ", "公有云（PaaS）", "…", "public  cloud", "ﬁnance"])
def test_normalised_forms_are_produced_and_found(model: tuple[Any, Any], form: str) -> None:
    cons = [[C(form)]]
    assert spellable(model[1], cons[0], "en"), form
    assert missing(generate(model, ["Le cloud public."], cons), cons, "en") == []


@pytest.mark.parametrize(
    "source, target, forms, expected",
    [
        # a capital that belongs to a name is not taken for a sentence-start capital
        ("Le cloud.", "The cloud Alibaba Cloud.", [("cloud", "Cloud"), ("Alibaba Cloud",)], None),
        # "The" is required as written by its own constraint (the opening "the" gets its capital)
        ("Le x.", "the x The y.", [("the",), ("The",)], "The x The y."),
        # a protected span that opens the output keeps its lower-case letter
        ("Le x.", "x.com/foo is x.", [("x",), ("x.com/foo",)], None),
        # only whole words are re-cased
        ("Le cloud.", "x Cloudflare and Cloud.", [("cloud", "Cloud")], "x Cloudflare and cloud."),
    ],
)
def test_fit_case_keeps_what_other_terms_require(
    source: str, target: str, forms: list[tuple[str, ...]], expected: str | None
) -> None:
    from translate.engine.constrained import fit_case

    cons = [C(*f, dnt=("Alibaba" in f[0] or "/" in f[0])) for f in forms]
    cased = fit_case(source, target, cons, "en")
    assert cased == (expected or target)
    assert all(r.satisfied for r in Glossary([]).verify(cased, cons, [], "en"))


@pytest.mark.parametrize(
    "target, kept",
    [
        ("See https://x.org/a and https://x.org.", [True, True]),
        ("See https://x.org/a only.", [True, True]),  # the shorter URL stands inside the longer
        ("See https://x.org.", [False, True]),
    ],
)
def test_protected_spans_may_overlap_other_spans(target: str, kept: list[bool]) -> None:
    spans = ProtectRules.load().find("Voir https://x.org/a et https://x.org.")
    assert [s.text for s in spans] == ["https://x.org/a", "https://x.org"]
    assert [r.satisfied for r in verify_protected(target, spans)] == kept
    twice = ProtectRules.load().find("https://x.org et https://x.org")
    assert [r.satisfied for r in verify_protected("https://x.org", twice)] == [True, False]


def test_protected_spans_in_crowded_sentences(model: tuple[Any, Any]) -> None:
    rules = ProtectRules.load()
    texts = [
        "Voir https://example.com/a_(b) ou écrire à info@example.org, @binance répond.",
        "Voir https://x.org/a et https://x.org, puis https://x.org.",
    ]
    spans = [rules.find(t) for t in texts]
    assert all(spans)
    outputs = generate(
        model, texts, [protect_constraints(s) for s in spans], num_beams=1, max_new_tokens=[2, 2]
    )
    for out, s in zip(outputs, spans, strict=True):
        assert all(r.satisfied for r in verify_protected(out, s)), out


def test_mixed_batch_through_the_engine(tiny_fr_en: Path) -> None:
    """Constrained and free segments of very different lengths, and empty ones, in one call: the
    free ones decode exactly as without constraints, the others carry their terms."""
    from translate.engine.base import DecodeOptions
    from translate.engine.marian import MarianEngine
    from translate.engine.registry import ModelSpec

    torch.set_num_threads(1)
    spec = ModelSpec("fr-en", "fr", "en", str(tiny_fr_en), local=True)
    engine = MarianEngine.load(spec, DecodeOptions(num_beams=2, max_length_a=0.3, max_length_b=3))
    long_text = " ".join(french_sentences()[:12])
    texts = ["", long_text, "Le cloud.", "   ", french_sentences()[3], "Le minage, le minage."]
    cons: list[list[TermConstraint]] = [
        [],
        [C("public cloud"), C("mining"), C("JD.com", dnt=True)],
        [],
        [C("AWS")],
        [],
        [C("mining"), C("mining"), C("mining")],
    ]
    outputs = engine.translate(texts, cons)
    plain = engine.translate(texts)
    assert [outputs[i] for i in (0, 2, 4)] == [plain[i] for i in (0, 2, 4)]
    assert missing(outputs, cons, "en") == []


@pytest.mark.parametrize(
    "parts, forms, expected",
    [
        (["le minage ici", "le cloud là"], ["cloud", "minage"], [["minage"], ["cloud"]]),
        (["Cloud public.", "Le cloud public."], ["cloud public"] * 2, [["cloud public"]] * 2),
        (["a", "b"], ["absent"], [["absent"], []]),
        # three occurrences placed where they are; a fourth, unplaced, goes to the first part
        (["JD.com", "JD.com et JD.com"], ["JD.com"] * 4, [["JD.com"] * 2, ["JD.com"] * 2]),
    ],
)
def test_share_constraints_gives_each_term_to_one_part(
    parts: list[str], forms: list[str], expected: list[list[str]]
) -> None:
    from translate.engine.marian import share_constraints

    cons = [TermConstraint(headword=f, targets={"en": ("x",)}) for f in forms]
    shares = share_constraints(parts, cons, "fr")
    assert [[c.headword for c in share] for share in shares] == expected


def test_long_constrained_segment_is_translated_in_parts(tiny_fr_en: Path) -> None:
    """A constrained source longer than the model's positions used to be truncated (its end
    lost); it is now cut like any other, each term enforced in one part."""
    from translate.engine.base import DecodeOptions
    from translate.engine.marian import MarianEngine, share_constraints
    from translate.engine.registry import ModelSpec

    torch.set_num_threads(1)
    spec = ModelSpec("fr-en", "fr", "en", str(tiny_fr_en), local=True)
    engine = MarianEngine.load(spec, DecodeOptions(num_beams=1, max_length_a=0.05, max_length_b=2))
    text = " ".join(french_sentences()[:12]) + " Enfin JD.com."
    parts = engine.pieces(text)
    assert len(parts) > 1
    cons = [C("public cloud"), C("JD.com", dnt=True), C("mining"), C("mining")]
    (out,) = engine.translate([text], [cons])
    shares = share_constraints(parts, cons, "fr")
    assert cons[1] in shares[-1]  # the name is enforced where the source has it
    assert out == " ".join(engine.translate(parts, shares))
    assert missing([out], [cons], "en") == []
