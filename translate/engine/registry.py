"""The model registry (``translate/data/models.json``): which model chain translates French into each language.

A chain is one direct model (``fr-de``) or a pivot through English (``fr-en`` then ``en-zh``). Each
leg can be replaced from the command line with ``--model KEY=PATH_OR_ID[@REVISION]``, where KEY is
a target language (the whole chain becomes that one model) or a leg such as ``fr-en`` / ``en-zh``
(that leg, wherever it appears). This module is pure data: it imports neither torch nor the hub.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from translate._io import read_data
from translate.errors import ConfigError, EngineError, UnknownLanguageError

REGISTRY_FILE = "models.json"


@dataclass(frozen=True)
class ModelSpec:
    """Where one leg's model comes from: a hub id (optionally pinned) or a local directory.

    ``prefix`` is the sentence-initial target-language token (``>>pt<<``) that multi-target
    OPUS-MT models need; it is prepended to every source text of that leg.
    """

    key: str
    source_lang: str
    target_lang: str
    model: str
    revision: str | None = None
    prefix: str | None = None
    local: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "model": self.model,
            "revision": self.revision,
            "prefix": self.prefix,
            "local": self.local,
        }


@dataclass(frozen=True)
class Chain:
    """The legs that take French to ``lang``, in order."""

    lang: str
    name: str
    legs: tuple[ModelSpec, ...]

    @property
    def is_pivot(self) -> bool:
        return len(self.legs) > 1


def parse_model_option(text: str) -> tuple[str, str]:
    """Split a ``--model KEY=PATH_OR_ID[@REV]`` value; raises ValueError with the expected form."""
    key, sep, value = text.partition("=")
    key, value = key.strip(), value.strip()
    if not sep or not key or not value:
        raise ValueError(
            f"expected KEY=PATH_OR_ID[@REVISION] (e.g. en=./my-model or fr-en=Helsinki-NLP/opus-mt-fr-en@main), got {text!r}"
        )
    return key, value


def model_source(key: str, value: str) -> tuple[str, str | None, bool]:
    """Interpret an override value as ``(model, revision, is_local_directory)``.

    An existing directory is a local model. Anything else must look like a hub id
    (``owner/name``, optionally ``@revision``); a path that does not exist is an error rather than
    a hub lookup that would fail later with a confusing message.
    """
    path = Path(value).expanduser()
    if path.is_dir():
        return str(path.resolve()), None, True
    looks_like_path = (
        value.startswith((".", "/", "~", "\\"))
        or value.count("/") > 1
        or "\\" in value
        or path.exists()
    )
    if looks_like_path:
        raise EngineError(
            f"--model {key}={value}: no such model directory; give a directory holding config.json "
            "and the tokenizer files, or a hub id such as Helsinki-NLP/opus-mt-fr-en."
        )
    model, _, revision = value.partition("@")
    return model, (revision or None), False


class Registry:
    """Language → chain table loaded from a JSON file a user can read and extend."""

    def __init__(self, data: Mapping[str, Any], *, origin: str = REGISTRY_FILE) -> None:
        try:
            self.source: str = data["source"]
            self.pivot: str = data["pivot"]
            self._legs: dict[str, ModelSpec] = {
                key: self._leg(key, dict(spec)) for key, spec in data["legs"].items()
            }
            self._languages: dict[str, tuple[str, tuple[str, ...]]] = {
                lang: (entry.get("name", lang), tuple(entry["chain"]))
                for lang, entry in data["languages"].items()
            }
        except (KeyError, TypeError, AttributeError, ValueError) as err:
            raise ConfigError(
                f"{origin}: malformed model registry ({err!r}); it needs 'source', 'pivot', 'legs' "
                "and 'languages' as in translate/data/models.json."
            ) from None
        for lang, (_, chain) in self._languages.items():
            for key in chain:
                if key not in self._legs:
                    raise ConfigError(
                        f"{origin}: language {lang!r} uses leg {key!r}, which 'legs' does not define."
                    )

    @staticmethod
    def _leg(key: str, spec: dict[str, Any]) -> ModelSpec:
        src, _, tgt = key.partition("-")
        if not src or not tgt:
            raise ValueError(f"leg key {key!r} is not SRC-TGT")
        return ModelSpec(
            key=key,
            source_lang=src,
            target_lang=tgt,
            model=spec["model"],
            revision=spec.get("revision"),
            prefix=spec.get("prefix"),
        )

    @classmethod
    def load(cls, path: str | os.PathLike[str] | None = None) -> Registry:
        """Load the bundled registry, or the JSON file at ``path``."""
        if path is None:
            text = read_data(REGISTRY_FILE)
            origin = REGISTRY_FILE
        else:
            origin = str(path)
            try:
                text = Path(path).read_text(encoding="utf-8")
            except OSError as err:
                raise ConfigError(f"{path}: cannot read model registry ({err.strerror}).") from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as err:
            raise ConfigError(f"{origin}: invalid JSON ({err}); fix the model registry.") from None
        return cls(data, origin=origin)

    def languages(self) -> list[str]:
        return sorted(self._languages)

    def name(self, lang: str) -> str:
        return self._languages.get(lang, (lang, ()))[0]

    def legs(self) -> dict[str, ModelSpec]:
        return dict(self._legs)

    def _unknown(self, lang: str) -> UnknownLanguageError:
        return UnknownLanguageError(
            f"no model for target language {lang!r}; known languages: {', '.join(self.languages())} "
            f"(or give one with --model {lang}=PATH_OR_ID)."
        )

    def _override(self, spec: ModelSpec, value: str) -> ModelSpec:
        model, revision, local = model_source(spec.key, value)
        return replace(spec, model=model, revision=revision, local=local)

    def chain(self, lang: str, overrides: Mapping[str, str] | None = None) -> Chain:
        """The chain for ``lang`` after applying ``--model`` overrides.

        Raises:
            UnknownLanguageError: no registered chain and no override that builds one.
        """
        overrides = overrides or {}
        name = self.name(lang)
        direct_key = f"{self.source}-{lang}"
        if lang in overrides:
            base = self._legs.get(direct_key) or ModelSpec(direct_key, self.source, lang, "")
            return Chain(lang, name, (self._override(base, overrides[lang]),))
        if lang in self._languages:
            keys: tuple[str, ...] = self._languages[lang][1]
        elif direct_key in overrides:
            keys = (direct_key,)
        elif f"{self.pivot}-{lang}" in overrides and lang != self.pivot:
            keys = (f"{self.source}-{self.pivot}", f"{self.pivot}-{lang}")
        else:
            raise self._unknown(lang)
        legs = []
        for key in keys:
            src, _, tgt = key.partition("-")
            spec = self._legs.get(key) or ModelSpec(key, src, tgt, "")
            if key in overrides:
                spec = self._override(spec, overrides[key])
            elif not spec.model:
                raise self._unknown(lang)
            legs.append(spec)
        return Chain(lang, name, tuple(legs))

    def chains(
        self, langs: Iterable[str], overrides: Mapping[str, str] | None = None
    ) -> dict[str, Chain]:
        """Chains for several languages; every override key must be used by one of them."""
        overrides = overrides or {}
        chains = {lang: self.chain(lang, overrides) for lang in langs}
        used = set(chains) | {leg.key for c in chains.values() for leg in c.legs}
        unused = sorted(set(overrides) - used)
        if unused:
            raise EngineError(
                f"--model {unused[0]}=... matches none of the requested languages or their legs "
                f"({', '.join(sorted(used))}); use a target language or a leg such as fr-en."
            )
        return chains


def split_languages(text: str | Sequence[str]) -> list[str]:
    """``"en,de, es"`` → ``["en", "de", "es"]``, keeping order and dropping duplicates."""
    items = text.split(",") if isinstance(text, str) else [p for t in text for p in t.split(",")]
    seen: dict[str, None] = {}
    for item in items:
        if item.strip():
            seen.setdefault(item.strip(), None)
    return list(seen)
