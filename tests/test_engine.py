"""The Marian backend on tiny random models: loading, batching invariance, pivot, cache, limits."""

from __future__ import annotations

import multiprocessing
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from translate.engine.base import DecodeOptions, Engine
from translate.engine.cache import CachedEngine, TranslationCache
from translate.engine.marian import MarianEngine
from translate.engine.pivot import PivotEngine
from translate.engine.registry import ModelSpec
from translate.segment import segment
from translate.units import TermConstraint


def spec(path: Path, key: str = "fr-en", prefix: str | None = None) -> ModelSpec:
    src, _, tgt = key.partition("-")
    return ModelSpec(key, src, tgt, str(path), prefix=prefix, local=True)


@pytest.fixture(scope="module")
def sentences(article_path: Path) -> list[str]:
    return [s.text for s in segment(article_path.read_text(encoding="utf-8")).segments]


@pytest.fixture(scope="module")
def fr_en(tiny_pivot: tuple[Path, Path]) -> MarianEngine:
    return MarianEngine.load(spec(tiny_pivot[0]), DecodeOptions(max_length_a=0.5, max_length_b=8))


def test_loads_from_a_directory_with_generation_defaults(
    fr_en: MarianEngine, tiny_pivot: tuple[Path, Path]
) -> None:
    assert isinstance(fr_en, Engine)
    assert (fr_en.source_lang, fr_en.target_lang) == ("fr", "en")
    assert fr_en.num_beams == 3  # from generation_config.json
    leg = fr_en.provenance()["legs"][0]
    assert leg["model"] == tiny_pivot[0].name and leg["local"] and len(leg["fingerprint"]) == 16
    assert leg["decode"] == {
        "num_beams": 3,
        "max_length_a": 0.5,
        "max_length_b": 8,
        "device": "cpu",
        "dtype": "float32",
    }


@pytest.mark.parametrize(
    "text",
    [
        "Les exchanges de cryptomonnaies visent le cloud public.",
        "Le 25 août, Web X s'est tenu à Tokyo.",
    ],
)
def test_tokenizer_round_trip(fr_en: MarianEngine, text: str) -> None:
    ids = fr_en._encode([text])[0]
    assert ids[-1] == fr_en.eos_id
    assert fr_en.tokenizer.decode(ids, skip_special_tokens=True) == text


@pytest.mark.parametrize("beams", [1, 3])
@pytest.mark.parametrize("batch_tokens", [64, 4096])
def test_batched_equals_one_by_one(
    tiny_pivot: tuple[Path, Path], sentences: list[str], beams: int, batch_tokens: int
) -> None:
    engine = MarianEngine.load(
        spec(tiny_pivot[0]),
        DecodeOptions(num_beams=beams, batch_tokens=batch_tokens, max_length_a=0.5, max_length_b=8),
    )
    texts = sentences[:24]
    assert len({len(x) for x in engine._encode(texts)}) > 5  # real padding inside batches
    batched = engine.translate(texts)
    assert batched == [engine.translate([t])[0] for t in texts]
    assert engine.translate(list(reversed(texts))) == list(reversed(batched))
    assert len(set(batched)) > len(texts) // 2  # the output depends on the input


def test_output_cap_follows_source_length(fr_en: MarianEngine) -> None:
    assert [fr_en.max_new_tokens(n) for n in (1, 10, 100)] == [9, 13, 58]
    assert fr_en.max_new_tokens(10_000) == fr_en.max_positions - 1
    long = "Les grandes entreprises d'Internet visent les exchanges de cryptomonnaies. " * 3
    n = len(fr_en._encode([long])[0])
    out = fr_en.tokenizer(text_target=fr_en.translate([long])[0])["input_ids"]
    assert len(out) - 1 <= fr_en.max_new_tokens(n)


def test_batches_respect_the_token_budget(fr_en: MarianEngine) -> None:
    lengths = [5, 9, 17, 3, 16, 8, 30]
    batches = fr_en.batches(lengths, range(len(lengths)))
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))
    for b in batches:
        assert len({fr_en.bucket(lengths[i]) for i in b}) == 1
        assert len(b) == 1 or len(b) * fr_en.bucket(lengths[b[0]]) <= fr_en.options.batch_tokens


def test_target_token_is_prepended(tiny_pivot: tuple[Path, Path]) -> None:
    plain = MarianEngine.load(spec(tiny_pivot[1], "en-pt"))
    tagged = MarianEngine.load(spec(tiny_pivot[1], "en-pt", prefix=">>pt<<"))
    a, b = plain._encode(["Hello."])[0], tagged._encode(["Hello."])[0]
    assert b[-len(a) :] == a and len(b) > len(a)


class Recorder:
    """Wraps an engine and records what it was asked to translate."""

    def __init__(self, inner: Engine) -> None:
        self.inner, self.calls = inner, []  # type: ignore[var-annotated]
        self.source_lang, self.target_lang = inner.source_lang, inner.target_lang

    def translate(
        self, texts: Sequence[str], constraints: Sequence[Sequence[TermConstraint]] | None = None
    ) -> list[str]:
        self.calls.append(list(texts))
        return self.inner.translate(texts, constraints)

    def provenance(self):  # type: ignore[no-untyped-def]
        return self.inner.provenance()


def test_pivot_runs_both_models_in_order(tiny_pivot: tuple[Path, Path]) -> None:
    first = Recorder(MarianEngine.load(spec(tiny_pivot[0], "fr-en"), DecodeOptions(max_length_b=6)))
    second = Recorder(
        MarianEngine.load(spec(tiny_pivot[1], "en-de"), DecodeOptions(max_length_b=6))
    )
    pivot = PivotEngine([first, second])
    texts = ["Bonjour le monde.", "Les exchanges visent le cloud public."]
    out = pivot.translate(texts)
    english = first.inner.translate(texts)
    assert first.calls[0] == texts and second.calls[0] == english
    assert out == second.inner.translate(english)
    assert (pivot.source_lang, pivot.target_lang) == ("fr", "de")
    assert [leg["key"] for leg in pivot.provenance()["legs"]] == ["fr-en", "en-de"]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            "Les plateformes, les banques et les émetteurs de jetons multiplient les dossiers "
            "auprès des autorités nationales, car seul un agrément leur permettra de servir les "
            "habitants de l'Union ; la course aux licences bat son plein depuis des mois",
            id="run-on-with-commas",
        ),
        pytest.param(" ".join(["crypto"] * 40), id="no-punctuation"),
    ],
)
def test_a_source_longer_than_the_model_is_translated_in_parts(
    tiny_pivot: tuple[Path, Path], text: str
) -> None:
    engine = MarianEngine.load(spec(tiny_pivot[0]), DecodeOptions(num_beams=1, max_length_b=4))
    engine.max_positions = 16  # as if the model read at most 16 tokens
    parts = engine.pieces(text)
    assert len(parts) > 1 and " ".join(parts) == text
    assert all(engine._length(p) <= 16 for p in parts)
    assert engine.translate([text, "Bonjour."]) == [
        " ".join(engine.translate(parts)),
        engine.translate(["Bonjour."])[0],
    ]


def test_pivot_legs_must_connect(tiny_pivot: tuple[Path, Path]) -> None:
    a = MarianEngine.load(spec(tiny_pivot[0], "fr-en"))
    with pytest.raises(ValueError, match="do not connect"):
        PivotEngine([a, a])


class Echo:
    """A fake engine: upper-cases, counts calls."""

    source_lang, target_lang = "fr", "en"

    def __init__(self, tag: str = "v1") -> None:
        self.tag, self.seen = tag, []  # type: ignore[var-annotated]

    def translate(self, texts, constraints=None):  # type: ignore[no-untyped-def]
        self.seen.extend(texts)
        return [t.upper() for t in texts]

    def provenance(self):  # type: ignore[no-untyped-def]
        return {"engine": "echo", "legs": [{"model": "echo", "revision": self.tag}]}


def test_cache_hit_does_not_call_the_model(tmp_path: Path) -> None:
    cache = TranslationCache(tmp_path)
    inner = Echo()
    engine = CachedEngine(inner, cache)
    assert engine.translate_with_origin(["a", "b"]) == [("A", "mt"), ("B", "mt")]
    assert engine.translate_with_origin(["b", "c", "a"]) == [
        ("B", "cache"),
        ("C", "mt"),
        ("A", "cache"),
    ]
    assert inner.seen == ["a", "b", "c"]
    # Another process (a new connection) sees the same entries.
    again = Echo()
    assert CachedEngine(again, TranslationCache(tmp_path)).translate(["a", "b", "c"]) == [
        "A",
        "B",
        "C",
    ]
    assert again.seen == []


@pytest.mark.parametrize(
    ("change", "hit"),
    [
        ({}, True),
        ({"tag": "v2"}, False),  # another model revision
        ({"constraints": [[TermConstraint("cloud", {"en": ("cloud",)})]]}, False),
    ],
)
def test_cache_key_covers_model_and_constraints(tmp_path: Path, change: dict, hit: bool) -> None:  # type: ignore[type-arg]
    cache = TranslationCache(tmp_path)
    CachedEngine(Echo(), cache).translate(["x"])
    inner = Echo(change.get("tag", "v1"))
    out = CachedEngine(inner, cache).translate_with_origin(["x"], change.get("constraints"))
    assert (out[0][1] == "cache") is hit


def test_cache_key_depends_on_decoding_options(
    tiny_pivot: tuple[Path, Path], tmp_path: Path
) -> None:
    cache = TranslationCache(tmp_path)
    a = CachedEngine(MarianEngine.load(spec(tiny_pivot[0]), DecodeOptions(num_beams=1)), cache)
    b = CachedEngine(MarianEngine.load(spec(tiny_pivot[0]), DecodeOptions(num_beams=2)), cache)
    c = CachedEngine(
        MarianEngine.load(spec(tiny_pivot[0]), DecodeOptions(num_beams=1, batch_tokens=7)), cache
    )
    assert a.key("x") != b.key("x")
    assert a.key("x") == c.key("x")  # batching does not change the output, so it is not in the key


def _writer(args: tuple[str, int]) -> int:
    directory, n = args
    cache = TranslationCache(directory)
    engine = CachedEngine(Echo(), cache)
    for i in range(40):
        engine.translate([f"w{n}-{i}", f"shared-{i}"])
    return len(cache)


def test_cache_is_safe_under_concurrent_writers(tmp_path: Path) -> None:
    with multiprocessing.get_context("spawn").Pool(3) as pool:
        pool.map(_writer, [(str(tmp_path), n) for n in range(3)])
    assert len(TranslationCache(tmp_path)) == 3 * 40 + 40


def test_cache_location_follows_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from translate.engine.cache import default_cache_dir

    monkeypatch.setenv("TRANSLATE_CACHE_DIR", str(tmp_path / "c"))
    assert default_cache_dir() == tmp_path / "c"
    assert TranslationCache().path == tmp_path / "c" / "translations.sqlite3"


def test_constrained_segments_go_to_the_constrained_decoder(
    fr_en: MarianEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys
    import types

    calls = []

    def constrained_generate(
        model, tokenizer, texts, constraints, *, target_lang, num_beams, max_new_tokens, device
    ):  # type: ignore[no-untyped-def]
        calls.append(
            (list(texts), constraints, target_lang, num_beams, list(max_new_tokens), device)
        )
        return [f"<{c[0].variants(target_lang)[0]}>" for c in constraints]

    fake = types.ModuleType("translate.engine.constrained")
    fake.constrained_generate = constrained_generate  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "translate.engine.constrained", fake)
    cloud = TermConstraint("cloud", {"en": ("cloud",), "de": ("Cloud",)})
    german_only = TermConstraint("minage", {"de": ("Mining",)})
    texts = ["Le cloud public.", "Bonjour.", "Le minage."]
    out = fr_en.translate(texts, [[cloud], [], [german_only]])
    assert out[0] == "<cloud>"
    # no English variant: decoded exactly as without a glossary
    assert out[1:] == fr_en.translate(texts[1:])
    assert len(calls) == 1
    sent, cons, lang, beams, caps, device = calls[0]
    assert (
        sent == ["Le cloud public."]
        and cons == [[cloud]]
        and lang == "en"
        and beams == 3
        and device == "cpu"
    )
    assert caps == [fr_en.max_new_tokens(len(fr_en._encode(sent)[0]))]


@settings(max_examples=200, deadline=None)
@given(
    lengths=st.lists(st.integers(min_value=1, max_value=600), min_size=1, max_size=60),
    budget=st.integers(min_value=1, max_value=5000),
)
def test_batching_partitions_by_width_within_budget(
    fr_en: MarianEngine, lengths: list[int], budget: int
) -> None:
    from dataclasses import replace

    engine = MarianEngine(
        fr_en.model,
        fr_en.tokenizer,
        fr_en.resolved,
        replace(fr_en.options, batch_tokens=budget),
        "cpu",
    )
    batches = engine.batches(lengths, range(len(lengths)))
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))
    for b in batches:
        width = engine.bucket(lengths[b[0]])
        assert {engine.bucket(lengths[i]) for i in b} == {width}
        assert width >= max(min(lengths[i], engine.max_positions) for i in b)
        assert len(b) == 1 or len(b) * width <= budget
