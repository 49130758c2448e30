"""A persistent translation cache (SQLite in WAL mode) and the engine wrapper that uses it.

The key of a cached translation is a hash of everything that shapes the output: the engine's
provenance (model ids, revisions or commit hashes, decoding options), the target language, the
segment's glossary constraints and the segment text. Several runs may share one cache at the same
time: WAL lets readers and one writer work together and each write is one short transaction.

Location: ``$TRANSLATE_CACHE_DIR`` if set, else the user cache directory
(``$XDG_CACHE_HOME/translate`` or ``~/.cache/translate``; ``~/Library/Caches/translate`` on
macOS; ``%LOCALAPPDATA%\\translate`` on Windows), file ``translations.sqlite3``.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from translate._io import user_dir
from translate.engine.base import DetailedEngine, Engine, Translation, translate_detailed
from translate.errors import OutputError
from translate.units import TermConstraint

CACHE_ENV = "TRANSLATE_CACHE_DIR"
CACHE_FILE = "translations.sqlite3"
KEY_VERSION = 1
_CHUNK = 500  # SQLite host-parameter limit is 999 on old builds


def default_cache_dir() -> Path:
    """Where the cache lives unless told otherwise (see the module docstring)."""
    env = os.environ.get(CACHE_ENV)
    return Path(env).expanduser() if env else user_dir("cache")


def constraint_key(constraints: Sequence[TermConstraint]) -> list[Any]:
    """A canonical JSON-able form of a segment's constraints (all languages, sorted; order
    rules only where set, so keys without them stay as they were)."""
    return [
        [c.headword, c.dnt, sorted((lang, list(forms)) for lang, forms in c.targets.items())]
        + ([c.once, c.closes] if c.once or c.closes is not None else [])
        for c in constraints
    ]


class TranslationCache:
    """Key → translation store in one SQLite file; safe for concurrent processes."""

    def __init__(self, directory: str | os.PathLike[str] | None = None) -> None:
        self.directory = Path(directory) if directory is not None else default_cache_dir()
        self.path = self.directory / CACHE_FILE
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
            self._db.execute("PRAGMA busy_timeout = 30000")
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = NORMAL")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS translations ("
                "key TEXT PRIMARY KEY, target TEXT NOT NULL, created REAL NOT NULL)"
            )
            # How each term of a cached translation was met (free, repair, constrained).
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS term_methods (key TEXT PRIMARY KEY, methods TEXT NOT NULL)"
            )
        except (OSError, sqlite3.Error) as err:
            raise OutputError(
                f"cannot open the translation cache {self.path} ({err}); set {CACHE_ENV} to a "
                "writable directory or run with --no-cache."
            ) from None

    def _select(self, table: str, column: str, keys: Sequence[str]) -> list[tuple[str, str]]:
        rows: list[tuple[str, str]] = []
        unique = list(dict.fromkeys(keys))
        for start in range(0, len(unique), _CHUNK):
            chunk = unique[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            query = f"SELECT key, {column} FROM {table} WHERE key IN ({marks})"
            rows.extend(self._db.execute(query, chunk).fetchall())
        return rows

    def get_many(self, keys: Sequence[str]) -> dict[str, str]:
        return dict(self._select("translations", "target", keys))

    def get_methods(self, keys: Sequence[str]) -> dict[str, tuple[str | None, ...]]:
        """The term methods stored with these keys' translations (keys without any are absent)."""
        return {k: tuple(json.loads(m)) for k, m in self._select("term_methods", "methods", keys)}

    def put_many(
        self,
        items: Iterable[tuple[str, str]],
        methods: Mapping[str, Sequence[str | None]] | None = None,
    ) -> None:
        now = time.time()
        rows = [(k, v, now) for k, v in items]
        if not rows:
            return
        extra = [(k, json.dumps(list(m))) for k, m in (methods or {}).items() if m]
        try:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany(
                "INSERT OR REPLACE INTO translations (key, target, created) VALUES (?, ?, ?)", rows
            )
            self._db.executemany(
                "INSERT OR REPLACE INTO term_methods (key, methods) VALUES (?, ?)", extra
            )
            self._db.execute("COMMIT")
        except sqlite3.Error as err:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise OutputError(
                f"cannot write the translation cache {self.path} ({err}); run with --no-cache."
            ) from None

    def __len__(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM translations").fetchone()[0])

    def close(self) -> None:
        self._db.close()


class CachedEngine(DetailedEngine):
    """Wraps an engine: answers known segments from a :class:`TranslationCache`, asks it the rest."""

    def __init__(self, inner: Engine, cache: TranslationCache) -> None:
        self.inner = inner
        self.cache = cache
        self.source_lang = inner.source_lang
        self.target_lang = inner.target_lang
        self._identity = json.dumps(
            {"v": KEY_VERSION, "engine": inner.provenance(), "target_lang": inner.target_lang},
            sort_keys=True,
            ensure_ascii=False,
        )

    def key(self, text: str, constraints: Sequence[TermConstraint] = ()) -> str:
        payload = json.dumps(
            [self._identity, constraint_key(constraints), text], ensure_ascii=False
        )
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    def translate_detailed(
        self,
        texts: Sequence[str],
        constraints: Sequence[Sequence[TermConstraint]] | None = None,
    ) -> list[Translation]:
        cons: Sequence[Sequence[TermConstraint]] = constraints or [()] * len(texts)
        keys = [self.key(t, c) for t, c in zip(texts, cons, strict=True)]
        hits = self.cache.get_many(keys)
        how = self.cache.get_methods([k for k in keys if k in hits]) if hits else {}
        missing = [i for i, k in enumerate(keys) if k not in hits]
        fresh: dict[int, Translation] = {}
        if missing:
            outs = translate_detailed(
                self.inner,
                [texts[i] for i in missing],
                [cons[i] for i in missing] if constraints is not None else None,
            )
            fresh = dict(zip(missing, outs, strict=True))
            self.cache.put_many(
                ((keys[i], fresh[i].text) for i in missing),
                {keys[i]: fresh[i].methods for i in missing},
            )
        return [
            Translation(fresh[i].text, "mt", fresh[i].methods)
            if i in fresh
            else Translation(hits[k], "cache", how.get(k, ()))
            for i, k in enumerate(keys)
        ]

    def parts(self) -> Sequence[Engine]:
        """The cached engine (see :class:`~translate.engine.base.Composite`)."""
        return (self.inner,)

    def provenance(self) -> Mapping[str, Any]:
        return self.inner.provenance()
