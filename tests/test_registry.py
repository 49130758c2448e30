"""Model registry, --model overrides, pass-through rules and `translate models` (no torch, no network)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from translate.engine.passthrough import PassthroughRules
from translate.engine.registry import Registry, model_source, parse_model_option, split_languages
from translate.errors import ConfigError, EngineError, UnknownLanguageError


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.load()


@pytest.mark.parametrize(
    ("lang", "models"),
    [
        ("en", ["Helsinki-NLP/opus-mt-fr-en"]),
        ("de", ["Helsinki-NLP/opus-mt-fr-de"]),
        ("es", ["Helsinki-NLP/opus-mt-fr-es"]),
        ("ru", ["Helsinki-NLP/opus-mt-fr-ru"]),
        ("zh", ["Helsinki-NLP/opus-mt-fr-en", "Helsinki-NLP/opus-mt-en-zh"]),
        ("it", ["Helsinki-NLP/opus-mt-fr-en", "Helsinki-NLP/opus-mt-en-it"]),
        ("ja", ["Helsinki-NLP/opus-mt-fr-en", "Helsinki-NLP/opus-tatoeba-en-ja"]),
        ("ar", ["Helsinki-NLP/opus-mt-fr-en", "Helsinki-NLP/opus-mt-en-ar"]),
        ("nl", ["Helsinki-NLP/opus-mt-fr-en", "Helsinki-NLP/opus-mt-en-nl"]),
        ("pt", ["Helsinki-NLP/opus-mt-fr-en", "Helsinki-NLP/opus-mt-en-ROMANCE"]),
    ],
)
def test_bundled_chains(registry: Registry, lang: str, models: list[str]) -> None:
    chain = registry.chain(lang)
    assert [leg.model for leg in chain.legs] == models
    assert chain.legs[0].source_lang == "fr" and chain.legs[-1].target_lang == lang
    for a, b in zip(chain.legs, chain.legs[1:], strict=False):
        assert a.target_lang == b.source_lang


@pytest.mark.parametrize(
    ("lang", "token"), [("pt", ">>pt<<"), ("zh", ">>cmn_Hans<<"), ("ar", ">>ara<<"), ("en", None)]
)
def test_multi_target_models_carry_their_token(
    registry: Registry, lang: str, token: str | None
) -> None:
    assert registry.chain(lang).legs[-1].prefix == token


def test_unknown_language_lists_the_known_ones(registry: Registry) -> None:
    with pytest.raises(UnknownLanguageError) as err:
        registry.chain("xx")
    msg = str(err.value)
    assert "'xx'" in msg and "en, es" in msg and "--model xx=" in msg and "\n" not in msg
    assert err.value.exit_code == 5


@pytest.mark.parametrize(
    ("lang", "overrides", "expected"),
    [
        # a language key replaces the whole chain with one direct model
        ("zh", {"zh": "me/fr-zh"}, [("fr-zh", "me/fr-zh", None)]),
        # a leg key replaces that leg wherever it appears
        (
            "zh",
            {"fr-en": "me/fr-en@v2"},
            [("fr-en", "me/fr-en", "v2"), ("en-zh", "Helsinki-NLP/opus-mt-en-zh", None)],
        ),
        ("en", {"fr-en": "me/fr-en"}, [("fr-en", "me/fr-en", None)]),
        (
            "zh",
            {"en-zh": "me/en-zh@abc123"},
            [("fr-en", "Helsinki-NLP/opus-mt-fr-en", None), ("en-zh", "me/en-zh", "abc123")],
        ),
        # languages outside the registry, built from overrides
        ("xx", {"xx": "me/fr-xx"}, [("fr-xx", "me/fr-xx", None)]),
        ("xx", {"fr-xx": "me/fr-xx"}, [("fr-xx", "me/fr-xx", None)]),
        (
            "xx",
            {"en-xx": "me/en-xx"},
            [("fr-en", "Helsinki-NLP/opus-mt-fr-en", None), ("en-xx", "me/en-xx", None)],
        ),
    ],
)
def test_overrides(
    registry: Registry,
    lang: str,
    overrides: dict[str, str],
    expected: list[tuple[str, str, str | None]],
) -> None:
    chain = registry.chain(lang, overrides)
    assert [(leg.key, leg.model, leg.revision) for leg in chain.legs] == expected


def test_local_directory_override_keeps_the_target_token(
    registry: Registry, tmp_path: Path
) -> None:
    leg = registry.chain("pt", {"en-pt": str(tmp_path)}).legs[1]
    assert leg.local and leg.model == str(tmp_path.resolve()) and leg.prefix == ">>pt<<"


def test_override_that_matches_nothing_is_an_error(registry: Registry) -> None:
    with pytest.raises(EngineError, match="matches none"):
        registry.chains(["en"], {"en-zh": "me/en-zh"})


@pytest.mark.parametrize("value", ["./no/such/dir", "/no/such/dir", "a/b/c"])
def test_missing_directory_is_not_sent_to_the_hub(value: str) -> None:
    with pytest.raises(EngineError, match="no such model directory"):
        model_source("en", value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("en=./m", ("en", "./m")), ("fr-en = org/m@main", ("fr-en", "org/m@main"))],
)
def test_parse_model_option(text: str, expected: tuple[str, str]) -> None:
    assert parse_model_option(text) == expected


@pytest.mark.parametrize("text", ["en", "=x", "en="])
def test_parse_model_option_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="KEY=PATH_OR_ID"):
        parse_model_option(text)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("en,de,es", ["en", "de", "es"]),
        (["en,de", "de", " es "], ["en", "de", "es"]),
        ("en,,", ["en"]),
    ],
)
def test_split_languages(given: str | list[str], expected: list[str]) -> None:
    assert split_languages(given) == expected


def test_malformed_registry_is_a_config_error(tmp_path: Path) -> None:
    bad = tmp_path / "models.json"
    bad.write_text(
        json.dumps(
            {"source": "fr", "pivot": "en", "legs": {}, "languages": {"en": {"chain": ["fr-en"]}}}
        )
    )
    with pytest.raises(ConfigError, match="fr-en"):
        Registry.load(bad)


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("https://example.com/a?b=1", "url"),
        ("www.example.org", "url"),
        ("contact@example.fr", "email"),
        ("@satoshi", "handle"),
        ("2024", "number"),
        ("1 234,56 €", "number"),
        ("12,5 %", "number"),
        ("`pip install translate`", "code_span"),
        ("max_new_tokens", "snake_case"),
        ("getElementById", "camel_case"),
        ("torch.cuda.is_available()", "call"),
        ("config.json", "dotted_name"),
        ("--no-cache", "option"),
        ("/usr/local/bin", "path"),
        ("* * *", "no_letters"),
        ("@alice, @bob · https://x.com", "list"),
    ],
)
def test_passthrough_rules(text: str, rule: str) -> None:
    assert PassthroughRules.load().rule_for(text) == rule


@pytest.mark.parametrize(
    "text",
    [
        "Le 25 août, Web X s'est tenu à Tokyo.",
        "Bitcoin",
        "Voir https://example.com pour plus de détails.",
        "Écrivez à contact@example.fr.",
        "2024 sera une année charnière",
    ],
)
def test_sentences_are_translated(text: str) -> None:
    assert PassthroughRules.load().rule_for(text) is None


_ITEMS = ["12", "10 000", "3,5 %", "@bob", "a.fr", "x_y", "f(a,b)", "/usr/bin", "mot", "Été"]
_SEPARATORS = [" ", ", ", " · ", "/", " ; ", "  "]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(_ITEMS), min_size=2, max_size=5),
    st.lists(st.sampled_from(_SEPARATORS), min_size=4, max_size=4),
)
def test_passthrough_list_agrees_with_one_alternating_regex(
    items: list[str], separators: list[str]
) -> None:
    import re

    rules = PassthroughRules.load()
    text = items[0] + "".join(sep + item for sep, item in zip(separators, items[1:], strict=False))
    alt = "|".join(f"(?:{p.pattern})" for p in rules.patterns.values())
    sep = r"(?:\s*[,;|/\u00b7\u2022]\s*|\s+)"
    reference = re.fullmatch(f"(?:{alt})(?:{sep}(?:{alt}))+", text) is not None
    single = any(p.fullmatch(text) for p in rules.patterns.values())
    assert (rules.rule_for(text) is not None) == (reference or single)


def test_passthrough_is_linear_on_a_long_run_of_numbers() -> None:
    # One alternating regex backtracked exponentially here (minutes at 20 numbers).
    code = (
        "from translate.engine.passthrough import PassthroughRules\n"
        "print(PassthroughRules.load().rule_for(' '.join(map(str, range(200))) + ' clients'))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        cwd=Path(__file__).parent.parent,
    )
    assert out.stdout.strip() == "None"


def test_models_list_json_scans_the_cache_without_torch(tmp_path: Path) -> None:
    code = (
        "import sys, contextlib, io\n"
        "from translate.cli import main\n"
        "buf = io.StringIO()\n"
        "with contextlib.redirect_stdout(buf):\n"
        "    rc = main(['models', 'list', '--json'])\n"
        "print(rc, ' '.join(m for m in ('torch', 'transformers') if m in sys.modules))\n"
        "print(buf.getvalue())\n"
    )
    env = {"HF_HOME": str(tmp_path), "HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=Path(__file__).parent.parent,
    )
    status, _, payload = out.stdout.partition("\n")
    assert status.strip() == "0"
    rows = json.loads(payload)
    assert {r["lang"] for r in rows} >= {"en", "de", "es", "ru", "zh", "it", "ja", "ar", "nl", "pt"}
    assert all(
        leg["cached"] is False and leg["size_bytes"] is None for r in rows for leg in r["legs"]
    )


def test_models_list_sees_a_cached_snapshot(
    tmp_path: Path, tiny_fr_en: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tinymodels import fake_hub_snapshot

    from translate.cli.models import inventory

    commit = fake_hub_snapshot(tmp_path / "hub", "Helsinki-NLP/opus-mt-fr-de", tiny_fr_en)
    monkeypatch.setattr("huggingface_hub.constants.HF_HUB_CACHE", str(tmp_path / "hub"))
    rows = {r["lang"]: r for r in inventory(Registry.load())}
    leg = rows["de"]["legs"][0]
    assert leg["cached"] is True and leg["commit"] == commit
    assert rows["en"]["legs"][0]["cached"] is False


@pytest.mark.parametrize("columns", ["80", "160"])
def test_models_list_table_shows_whole_model_ids(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    columns: str,
) -> None:
    from translate.cli import main

    monkeypatch.setenv("COLUMNS", columns)
    monkeypatch.setattr("huggingface_hub.constants.HF_HUB_CACHE", str(tmp_path / "hub"))
    assert main(["models", "list"]) == 0
    out = capsys.readouterr().out
    assert all(len(line) <= int(columns) for line in out.splitlines())
    for spec in Registry.load().legs().values():
        assert spec.model in out and (spec.prefix or "") in out


def test_models_pull_unknown_language_lists_what_can_be_pulled(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from translate.cli import main

    assert main(["models", "pull", "xx"]) == EngineError.exit_code
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "'xx'" in err and "en-zh" in err and "--model" not in err


@pytest.mark.parametrize("pulling", [False, True])
def test_unreachable_hub_message_fits_the_command(
    monkeypatch: pytest.MonkeyPatch, pulling: bool
) -> None:
    import huggingface_hub

    from translate.engine.hub import download
    from translate.errors import ModelNotAvailableError

    def refuse(*args: object, **kwargs: object) -> None:
        raise ConnectionError("no route to host")

    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("TRANSFORMERS_OFFLINE", raising=False)
    monkeypatch.setattr(huggingface_hub.HfApi, "model_info", refuse)
    leg = Registry.load().legs()["en-zh"]
    with pytest.raises(ModelNotAvailableError) as info:
        download(leg, pull="zh", progress=False, pulling=pulling)
    message = str(info.value)
    assert "Helsinki-NLP/opus-mt-en-zh" in message and "cannot be reached" in message
    assert "--model en-zh=" in message
    assert ("translate models pull" in message) is not pulling


def test_leg_keys_are_left_alone() -> None:
    assert split_languages("zh,it, en-ja") == ["zh", "it", "en-ja"]
