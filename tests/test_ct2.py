"""The CTranslate2 backend: conversion cache, batching invariance, the term guarantee (check, then
repair, then exact fallback) on plain and pivot chains and protected spans, engine selection."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from translate.engine.base import DecodeOptions, translate_detailed
from translate.engine.chain import build_engines
from translate.engine.registry import ModelSpec
from translate.errors import EngineError
from translate.units import TermConstraint

pytest.importorskip("ctranslate2")

from tests.test_constrained import french_sentences  # noqa: E402
from tests.test_constrained_stress import EN_POOL, ZH_POOL, missing, spellable  # noqa: E402


def ct2(path: Path, lang: str = "en", **kw: Any) -> Any:
    opts = {"device": "cpu", "engine": "ct2", "threads": 1, **kw}
    return build_engines([lang], models={lang: str(path)}, options=DecodeOptions(**opts))[lang]


def resolved_of(path: Path) -> Any:
    from translate.engine.hub import ResolvedModel, fingerprint

    spec = ModelSpec("fr-en", "fr", "en", str(path), local=True)
    return ResolvedModel(spec, path, fingerprint=fingerprint(path))


@pytest.fixture(scope="module")
def unconvertible(tiny_fr_en: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A model transformers runs but CTranslate2 cannot convert (tanh activation)."""
    folder = Path(shutil.copytree(tiny_fr_en, tmp_path_factory.mktemp("tanh") / "m"))
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    config["activation_function"] = "tanh"
    (folder / "config.json").write_text(json.dumps(config), encoding="utf-8")
    return folder


def test_conversion_is_cached_and_reused(tiny_fr_en: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from translate.engine import ct2_convert

    resolved = resolved_of(tiny_fr_en)
    first = ct2_convert.convert(resolved, "int8")
    assert ct2_convert.is_converted(first)
    assert first.parent == ct2_convert.converted_root()

    def boom(*args: Any) -> None:
        raise AssertionError("converted twice")

    monkeypatch.setattr(ct2_convert, "_run_converter", boom)
    assert ct2_convert.convert(resolved, "int8") == first
    # another quantization is another conversion
    with pytest.raises(AssertionError):
        ct2_convert.convert(resolved, "float32")
    assert not list(first.parent.glob(".*"))  # no temporary folder left behind


def test_concurrent_conversions_both_succeed(tiny_fr_en: Path, tmp_path: Path) -> None:
    """Two processes converting the same model at once: both succeed, one copy remains."""
    import os
    import subprocess
    import sys

    code = (
        "import sys; from pathlib import Path; sys.path.insert(0, 'tests');"
        "from test_ct2 import resolved_of; from translate.engine.ct2_convert import convert;"
        "print(convert(resolved_of(Path(sys.argv[1])), 'int8'))"
    )
    env = {**os.environ, "TRANSLATE_CACHE_DIR": str(tmp_path / "cache")}
    root = Path(__file__).resolve().parent.parent
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, str(tiny_fr_en)],
            cwd=root,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    paths = {Path(out.strip().splitlines()[-1]) for out, _ in outs}
    assert len(paths) == 1
    (path,) = paths
    from translate.engine.ct2_convert import is_converted

    assert is_converted(path)
    assert [p.name for p in path.parent.iterdir()] == [path.name]


def test_batched_equals_one_by_one(tiny_pivot: tuple[Path, Path]) -> None:
    engine = ct2(tiny_pivot[0])
    texts = french_sentences()[:10]
    cons = [[TermConstraint("cloud", {"en": ("cloud",)})] if i % 3 == 0 else [] for i in range(10)]
    batched = engine.translate(texts, cons)
    alone = [engine.translate([t], [c])[0] for t, c in zip(texts, cons, strict=True)]
    assert batched == alone
    assert len(set(batched)) > 3  # the outputs differ: the comparison can fail


def test_provenance_names_the_backend_and_compute_type(tiny_fr_en: Path) -> None:
    prov = ct2(tiny_fr_en).provenance()
    assert prov["engine"] == "ct2"
    assert prov["legs"][0]["decode"]["compute_type"] == "int8"
    assert ct2(tiny_fr_en, compute_type="float32").provenance() != prov


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    data=st.data(),
    beams=st.sampled_from([1, 2, 8]),
    max_new=st.sampled_from([1, 2, 5, 30]),
    lang=st.sampled_from(["en", "zh"]),
    which=st.sampled_from(["plain", "eager-eos"]),
)
def test_guarantee_on_crowded_constraint_sets(
    make_tiny_model: Callable[..., Path],
    data: st.DataObject,
    beams: int,
    max_new: int,
    lang: str,
    which: str,
) -> None:
    """The stress matrix of test_constrained_stress (models x en/zh x beams x caps) on ct2."""
    path = (
        make_tiny_model("opus-mt-fr-en-seed1", seed=1)
        if which == "plain"
        else make_tiny_model("stress-eager-eos", seed=5, init_std=0.3, eos_bias=2.0)
    )
    engine = _cached_engine(path, lang, beams, max_new)
    pool = EN_POOL if lang == "en" else ZH_POOL
    texts = data.draw(st.lists(st.sampled_from(french_sentences() + [""]), min_size=1, max_size=3))
    cons = []
    for _ in texts:
        picked = data.draw(st.lists(st.sampled_from(pool), max_size=8))
        cons.append(spellable(engine.tokenizer, picked + picked[:1], lang))
    outs = translate_detailed(engine, texts, cons)
    assert missing([o.text for o in outs], cons, lang) == []
    for out, cs in zip(outs, cons, strict=True):
        assert len(out.methods) == len(cs)
        assert all(m in ("free", "repair", "constrained") for m in out.methods)


_ENGINES: dict[tuple[Any, ...], Any] = {}


def _cached_engine(path: Path, lang: str, beams: int, max_new: int) -> Any:
    key = (path, lang, beams, max_new)
    if key not in _ENGINES:
        _ENGINES[key] = ct2(path, lang, num_beams=beams, max_length_a=0.0, max_length_b=max_new)
    return _ENGINES[key]


def test_repair_meets_terms_without_the_fallback(
    tiny_fr_en: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Plain Latin terms are repaired by a forced prefix: the exact decoder is not needed."""
    engine = ct2(tiny_fr_en)
    monkeypatch.setattr(engine, "fallback", lambda *a: pytest.fail("fallback used"))
    texts = ["Les exchanges de cryptomonnaies visent le cloud public."]
    cons = [[TermConstraint("cloud public", {"en": ("public cloud",)})]]
    out = translate_detailed(engine, texts, cons)[0]
    assert "public cloud" in out.text.lower() and out.methods == ("repair",)


def test_pivot_legs_and_protected_spans_hold_on_ct2(
    tiny_pivot: tuple[Path, Path], tmp_path: Path
) -> None:
    from translate.cli import main

    doc = tmp_path / "a.txt"
    doc.write_text(
        "Les exchanges de cryptomonnaies visent le cloud public. Voir https://example.com/x.\n",
        encoding="utf-8",
    )
    gloss = tmp_path / "g.csv"
    gloss.write_text("fr,en,zh\ncloud public,public cloud,公有云\n", encoding="utf-8")
    argv = ["run", str(doc), "--to", "en,zh", "--out", str(tmp_path / "o"), "--no-gate"]
    argv += ["--model", f"fr-en={tiny_pivot[0]}", "--model", f"en-zh={tiny_pivot[1]}"]
    argv += ["-g", str(gloss), "--engine", "ct2", "--formats", "json", "-q"]
    assert main(argv) == 0
    for lang in ("en", "zh"):
        data = json.loads((tmp_path / "o" / f"a.{lang}.json").read_text(encoding="utf-8"))
        assert data["summary"]["term_accuracy"] == 1.0
        assert data["summary"]["protected"]["accuracy"] == 1.0
        terms = [t for s in data["segments"] for t in (*s["terms"], *s["protected"])]
        assert terms and all(t["method"] in ("free", "repair", "constrained") for t in terms)
        counts = data["summary"]["term_methods"]
        assert sum(counts.values()) == data["summary"]["terms_required"]
        assert data["provenance"]["engine"]["legs"][-1]["backend"] == "ct2"


def test_engine_hf_is_the_transformers_engine(tiny_fr_en: Path) -> None:
    """``--engine hf`` builds exactly the engine of before (its output is covered elsewhere)."""
    from translate.engine.marian import MarianEngine

    options = DecodeOptions(device="cpu", engine="hf")
    engine = build_engines(["en"], models={"en": str(tiny_fr_en)}, options=options)["en"]
    assert type(engine) is MarianEngine
    texts = french_sentences()[:4]
    assert engine.translate(texts) == MarianEngine.load(
        engine.spec, DecodeOptions(device="cpu")
    ).translate(texts)


def assert_refused_then_transformers(path: Path, why: str) -> None:
    """``--engine ct2`` refuses the model with ``why``; ``auto`` uses transformers, warning once."""
    with pytest.raises(EngineError, match=why):
        ct2(path)
    warned: list[str] = []
    options = DecodeOptions(device="cpu", engine="auto")
    engines = build_engines(
        ["en"], models={"en": str(path)}, options=options, on_warning=warned.append
    )
    assert engines["en"].provenance()["engine"] == "marian"
    assert len(warned) == 1 and "transformers" in warned[0] and why in warned[0]


def test_unconvertible_model(unconvertible: Path) -> None:
    assert_refused_then_transformers(unconvertible, "CTranslate2 cannot convert")


@pytest.fixture(scope="module")
def moved_start(tiny_fr_en: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A model whose decoder start embedding (``<pad>``) is not zero: CTranslate2 would start
    it from zeros and translate something else."""
    from safetensors.numpy import load_file, save_file

    folder = Path(shutil.copytree(tiny_fr_en, tmp_path_factory.mktemp("pad") / "m"))
    pad = json.loads((folder / "config.json").read_text(encoding="utf-8"))["pad_token_id"]
    weights = load_file(str(folder / "model.safetensors"))
    name = next(
        n for n in ("model.decoder.embed_tokens.weight", "model.shared.weight") if n in weights
    )
    weights[name][pad] = 0.5
    save_file(weights, str(folder / "model.safetensors"), metadata={"format": "pt"})
    return folder


def test_a_model_whose_decoder_start_is_not_zero_is_not_converted(
    tiny_fr_en: Path, moved_start: Path
) -> None:
    from translate.engine import ct2_convert

    assert ct2_convert._starts_from_zero(tiny_fr_en)
    assert not ct2_convert._starts_from_zero(moved_start)
    assert_refused_then_transformers(moved_start, "decoder start embedding")


def test_models_convert_then_list_shows_it(
    tmp_path: Path,
    tiny_fr_en: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from tinymodels import fake_hub_snapshot

    from translate.cli import main

    fake_hub_snapshot(tmp_path / "hub", "Helsinki-NLP/opus-mt-fr-de", tiny_fr_en)
    monkeypatch.setattr("huggingface_hub.constants.HF_HUB_CACHE", str(tmp_path / "hub"))
    assert main(["models", "list", "--json"]) == 0
    rows = {r["lang"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["de"]["legs"][0]["converted"] == []
    assert main(["models", "convert", "de", "--compute-type", "int8"]) == 0
    assert "fr-de" in capsys.readouterr().out
    assert main(["models", "list", "--json"]) == 0
    rows = {r["lang"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["de"]["legs"][0]["converted"] == ["int8"]
    assert rows["en"]["legs"][0]["converted"] == []


def test_a_conversion_that_loses_the_race_keeps_the_winner(
    tiny_fr_en: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from translate.engine import ct2_convert

    resolved = resolved_of(tiny_fr_en)
    final = ct2_convert.converted_path(resolved, "int8")

    def other_process_wins(res: Any, out: Path, quantization: str) -> None:
        for folder in (out, final):  # ours, and the winner's, finished first
            folder.mkdir(parents=True)
            for name in ct2_convert.CONVERTED_FILES:
                (folder / name).write_text(folder.name)

    monkeypatch.setattr(ct2_convert, "_run_converter", other_process_wins)
    assert ct2_convert.convert(resolved, "int8") == final
    assert (final / "model.bin").read_text() == final.name  # the winner's copy, untouched
    assert [p.name for p in final.parent.iterdir()] == [final.name]


@pytest.mark.parametrize(
    ("threads", "workers", "env", "plan"),
    [
        (3, None, "", (1, 3)),  # --threads is CTranslate2's intra_threads: one decoder
        (None, 3, "", (3, 1)),  # --workers is inter_threads: one-thread decoders
        (2, 3, "", (3, 2)),
        (None, None, "2", (2, 1)),  # neither: one one-thread decoder per thread of the budget
        (None, None, "64", (4, 1)),  # at most MAX_WORKERS
    ],
)
def test_thread_plan(
    threads: int | None,
    workers: int | None,
    env: str,
    plan: tuple[int, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from translate.engine.ct2 import thread_plan

    monkeypatch.setenv("OMP_NUM_THREADS", env)
    assert thread_plan(threads, workers) == plan


def test_thread_settings_do_not_change_the_output(tiny_fr_en: Path) -> None:
    texts = french_sentences()[:12]
    cons = [[TermConstraint("cloud", {"en": ("cloud",)})] if i % 4 == 0 else [] for i in range(12)]
    outs = {
        (w, t): (e.workers, e.translate(texts, cons))
        for w, t in [(1, 1), (2, 1), (1, 2)]
        for e in [ct2(tiny_fr_en, threads=t, workers=w)]
    }
    assert {k: v[0] for k, v in outs.items()} == {(1, 1): 1, (2, 1): 2, (1, 2): 1}
    assert len({tuple(v[1]) for v in outs.values()}) == 1


def test_the_exact_fallback_model_is_freed_after_use(
    tiny_fr_en: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What repair leaves goes to the exact decoder, whose model lives only for that call."""
    from translate.engine import ct2_terms

    engine = ct2(tiny_fr_en)
    loads: list[Any] = []
    load = engine._load_torch_model
    monkeypatch.setattr(engine, "_load_torch_model", lambda: loads.append(1) or load())
    monkeypatch.setattr(ct2_terms, "_repair_round", lambda e, t, live, first: None)
    texts = ["Les exchanges de cryptomonnaies visent le cloud public."]
    cons = [[TermConstraint("cloud public", {"en": ("public cloud",)})]]
    out = translate_detailed(engine, texts, cons)[0]
    assert "public cloud" in out.text.lower() and out.methods == ("constrained",)
    assert loads == [1] and engine.model is None


def test_a_released_engine_reloads_and_translates_the_same(tiny_fr_en: Path) -> None:
    engine = ct2(tiny_fr_en)
    texts = french_sentences()[:4]
    before = engine.translate(texts)
    engine.release()
    assert not engine.translator.model_is_loaded
    assert engine.translate(texts) == before and engine.translator.model_is_loaded


def test_languages_release_the_models_no_later_language_uses(tmp_path: Path) -> None:
    """en, then zh by pivot through the same fr-en leg, then de behind the cache: each leg is
    freed after the last language that uses it, never before."""
    from translate.engine.cache import CachedEngine, TranslationCache
    from translate.engine.pivot import PivotEngine
    from translate.pipeline import Pipeline

    freed: list[str] = []

    class Leg:
        def __init__(self, source: str, target: str) -> None:
            self.source_lang, self.target_lang = source, target
            self.name = f"{source}-{target}"

        def translate(self, texts: Any, constraints: Any = None) -> list[str]:
            assert self.name not in freed, "used after its release"
            return [f"[{self.target_lang}] {t}" for t in texts]

        def provenance(self) -> dict[str, Any]:
            return {"engine": "fake", "legs": [{"key": self.name}]}

        def release(self) -> None:
            freed.append(self.name)

    fr_en = Leg("fr", "en")
    cache = TranslationCache(tmp_path / "cache")
    engines: dict[str, Any] = {
        "en": fr_en,
        "zh": PivotEngine([fr_en, Leg("en", "zh")]),
        "de": CachedEngine(Leg("fr", "de"), cache),
    }
    seen: list[list[str]] = []
    pipeline = Pipeline(engines, protect=False, localize=False, release_engines=True)
    translate_into = pipeline.translate_into

    def recorded(*args: Any, **kwargs: Any) -> Any:
        seen.append(list(freed))
        return translate_into(*args, **kwargs)

    pipeline.translate_into = recorded  # type: ignore[method-assign]
    pipeline.translate("Le cloud public. Les exchanges.")
    assert seen == [[], [], ["fr-en", "en-zh"]]  # fr-en outlives en: zh needs it
    assert freed == ["fr-en", "en-zh", "fr-de"]
    cache.close()
