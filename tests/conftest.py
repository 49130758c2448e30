"""Shared fixtures: offline mode for every test, and tiny Marian models built once per session."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

# Tests never touch the network: the hub is unreachable here and in CI.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

REPO = Path(__file__).resolve().parent.parent
ARTICLE = REPO / "articles" / "fr" / "grandes-entreprises-exchanges-crypto.txt"


@pytest.fixture(autouse=True)
def _private_user_state(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep every test away from the user's real translation cache and memory."""
    home = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("TRANSLATE_CACHE_DIR", str(home / "cache"))
    monkeypatch.setenv("TRANSLATE_MEMORY", str(home / "memory.sqlite"))


@pytest.fixture(scope="session")
def article_path() -> Path:
    return ARTICLE


@pytest.fixture(scope="session")
def make_tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Path]:
    """Build (once per distinct name) a random-weight Marian model in Helsinki-NLP layout."""
    from tinymodels import build_marian

    built: dict[str, Path] = {}
    root = tmp_path_factory.mktemp("models")

    def make(name: str = "opus-mt-fr-en", **kwargs: object) -> Path:
        if name not in built:
            built[name] = build_marian(root / name, **kwargs)  # type: ignore[arg-type]
        return built[name]

    return make


@pytest.fixture(scope="session")
def tiny_fr_en(make_tiny_model: Callable[..., Path]) -> Path:
    return make_tiny_model("opus-mt-fr-en", seed=1)


@pytest.fixture(scope="session")
def tiny_pivot(make_tiny_model: Callable[..., Path]) -> tuple[Path, Path]:
    """A fr-en and an en-de model whose outputs depend on the input and vary in length.

    Larger random weights make the output a function of the input, and an end-of-sentence bias
    makes some outputs stop early, so batching, padding and caps are all exercised.
    """
    kw = {"init_std": 0.5, "eos_bias": 3.0, "num_beams": 3}
    return (
        make_tiny_model("varied-fr-en", seed=11, **kw),
        make_tiny_model("varied-en-de", seed=12, **kw),
    )
