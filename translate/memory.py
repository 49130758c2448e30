"""Translation memory: approved translations in SQLite, keyed by source text and target language.

``translate review FILE.xlf`` stores the segments a translator marked ``reviewed`` or ``final``;
later runs look each source sentence up before calling the model and take exact matches
(``origin="memory"``). The memory imports and exports TMX 1.4b, so it can be shared with CAT
tools. Its file is ``$TRANSLATE_MEMORY`` if set, else ``memory.sqlite`` in the user data
directory (``$XDG_DATA_HOME/translate``, ``~/.local/share/translate`` by default; the usual
application data folder on macOS and Windows). Nothing is created until something is stored.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import sqlite3
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType

from translate._io import atomic_write, user_dir
from translate.errors import ConfigError, InputError, OutputError, TranslateError
from translate.langtags import base_or_none, normalize_tag, tag_key
from translate.units import one_line

ENV_VAR = "TRANSLATE_MEMORY"
FILENAME = "memory.sqlite"
SOURCE_LANG = "fr"
SCHEMA_VERSION = 1
BUSY_TIMEOUT_S = 30.0  # as long as the translation cache waits for a lock
_SCHEMA = """
CREATE TABLE IF NOT EXISTS units (
    source TEXT NOT NULL,
    target_lang TEXT NOT NULL,
    target TEXT NOT NULL,
    origin TEXT NOT NULL DEFAULT '',
    changed TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (source, target_lang)
)
"""


def default_memory_path() -> Path:
    """``$TRANSLATE_MEMORY`` if set, else ``<user data dir>/memory.sqlite``."""
    env = os.environ.get(ENV_VAR)
    return Path(env).expanduser() if env else user_dir("data") / FILENAME


def _key(source: str) -> str:
    """NFC with soft-wrap newlines folded, as TMX stores sentences (one line each)."""
    return one_line(unicodedata.normalize("NFC", source))


def _lang(lang: str) -> str:
    return tag_key(lang)


def _base(lang: str) -> str:
    return base_or_none(lang) or _lang(lang)


def _fallbacks(lang: str) -> list[str]:
    """``lang`` then its language (``en-GB`` → ``en``), or a bare language then its default
    locale (``en`` → ``en-US``), as memory keys."""
    from translate.localize.locales import default_locale

    base = _base(lang)
    other = default_locale(base) if _lang(lang) == base else base
    return list(dict.fromkeys((_lang(lang), _lang(other))))


def _shown(key: str) -> str:
    try:
        return normalize_tag(key)
    except ValueError:
        return key


def _now() -> str:
    """A TMX date (``20260127T081500Z``)."""
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


# SQLite primary result codes (https://sqlite.org/rescode.html) that name a cause a user can fix.
_BUSY, _LOCKED, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = 5, 6, 8, 10, 11, 13, 14, 26
_WHERE = f"give another file with --memory or in ${ENV_VAR}"


def sqlite_error(path: Path, err: sqlite3.Error, doing: str, timeout: float) -> TranslateError:
    """The error a user should see for ``err``, naming its real cause.

    A lock held too long is not damage, and neither is a full disk: only a file SQLite cannot
    read as a database is called "not a translation memory" (exit 8); the others are exit 7.
    """
    code = getattr(err, "sqlite_errorcode", None)
    text = str(err).lower()
    primary = code & 0xFF if isinstance(code, int) else None
    if primary in (_BUSY, _LOCKED) or "locked" in text:
        return OutputError(
            f"translation memory {path} is locked by another process (waited {timeout:g} s while "
            f"{doing}); wait for that process (an import or a review) to finish, then retry."
        )
    if primary == _FULL or "full" in text:
        return OutputError(
            f"cannot write translation memory {path}: the disk is full; free some space or {_WHERE}."
        )
    if primary == _READONLY or "readonly" in text:
        return OutputError(
            f"cannot write translation memory {path}: the file or its folder is read-only; "
            f"{_WHERE}, or pass --no-memory."
        )
    if primary in (_CORRUPT, _NOTADB) or (
        primary is None and isinstance(err, sqlite3.DatabaseError)
    ):
        return ConfigError(
            f"{path} is not a translation memory or is damaged ({err}); move it away or {_WHERE}."
        )
    if primary == _CANTOPEN:
        return OutputError(
            f"cannot open translation memory {path} for {doing} ({err}): check the permissions of "
            f"the file and its folder, or {_WHERE}."
        )
    return OutputError(f"translation memory {path}: {doing} failed ({err}); {_WHERE}.")


@contextlib.contextmanager
def sqlite_errors(path: Path, doing: str, timeout: float = BUSY_TIMEOUT_S) -> Iterator[None]:
    """Turn any :class:`sqlite3.Error` raised inside into :func:`sqlite_error`'s error."""
    try:
        yield
    except sqlite3.Error as err:
        raise sqlite_error(path, err, doing, timeout) from None


@dataclass(frozen=True)
class MemoryEntry:
    """One approved translation of a French sentence."""

    source: str
    target_lang: str
    target: str
    origin: str = ""
    changed: str = ""


_BATCH = 5000
_UPSERT = (
    "INSERT INTO units (source, target_lang, target, origin, changed) "
    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (source, target_lang) DO UPDATE SET "
    "target = excluded.target, origin = excluded.origin, changed = excluded.changed "
    "WHERE units.target != excluded.target"
)


def _batches(entries: Iterable[MemoryEntry], size: int) -> Iterator[list[MemoryEntry]]:
    batch: list[MemoryEntry] = []
    for entry in entries:
        batch.append(entry)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _rows(batch: Sequence[MemoryEntry]) -> list[tuple[str, ...]]:
    """Rows to store, the last entry of a (source, language) winning; blank texts skipped."""
    latest = {
        (_key(e.source), _lang(e.target_lang)): (e.target, e.origin, e.changed or _now())
        for e in batch
        if e.source.strip() and e.target.strip()
    }
    return [(*key, *value) for key, value in latest.items()]


class TranslationMemory:
    """An SQLite translation memory; use as a context manager or call :meth:`close`.

    Args:
        path: the database file; default :func:`default_memory_path`.
        timeout: seconds to wait for another process's lock before giving up (as the cache).

    Lookups are exact on the NFC-normalised source text and the case-folded target tag, then
    fall back by locale (see :meth:`lookup_many`). Reading a memory that does not exist yet is
    not an error: it is empty. Reads open the file
    read-only (a shared memory on a read-only mount works, and reading never writes); only
    :meth:`add_many` and imports open it for writing.
    """

    def __init__(
        self, path: str | os.PathLike[str] | None = None, *, timeout: float = BUSY_TIMEOUT_S
    ) -> None:
        self.path = Path(path) if path is not None else default_memory_path()
        self.timeout = timeout
        self._conn: sqlite3.Connection | None = None
        self._writable = False

    def __enter__(self) -> TranslationMemory:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def check(self) -> None:
        """Fail now (not after a long translation) if the memory cannot be read.

        Raises:
            ConfigError: the path is a directory, not a database, or of a newer schema.
            OutputError: it cannot be opened, or stays locked by another process.
        """
        self._reader()

    def _reader(self) -> sqlite3.Connection | None:
        """The open database, or None while it does not exist or holds no table yet (empty)."""
        if self._conn is not None:
            return self._conn
        self._refuse_directory()
        if not self.path.exists():
            return None
        uri = self.path.resolve().as_uri() + "?mode=ro"
        with self._sqlite("reading"):
            conn = sqlite3.connect(uri, uri=True, timeout=self.timeout)
            try:
                if not self._schema_ok(conn):
                    conn.close()
                    return None
            except BaseException:
                conn.close()
                raise
        self._conn, self._writable = conn, False
        return conn

    def _open(self) -> sqlite3.Connection:
        """The database opened for writing (creating it, its folder and its table if needed)."""
        if self._conn is not None and self._writable:
            return self._conn
        self.close()
        self._refuse_directory()
        blocker = next((a for a in self.path.parents if a.exists() and not a.is_dir()), None)
        if blocker is not None:
            raise OutputError(
                f"cannot create translation memory {self.path}: {blocker} is a file; "
                f"give a writable path with --memory or in ${ENV_VAR}."
            )
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise OutputError(
                f"cannot create {self.path.parent} ({err.strerror}); "
                f"give a writable path with --memory or in ${ENV_VAR}."
            ) from None
        with self._sqlite("opening"):
            conn = sqlite3.connect(self.path, timeout=self.timeout)
            try:
                if not self._schema_ok(conn):
                    with conn:  # only a new (or empty) file is written to here
                        conn.execute(_SCHEMA)
                        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            except BaseException:
                conn.close()
                raise
        self._conn, self._writable = conn, True
        return conn

    def _refuse_directory(self) -> None:
        if self.path.is_dir():
            raise ConfigError(
                f"translation memory {self.path} is a directory; "
                f"give a file with --memory or in ${ENV_VAR}."
            )

    def _schema_ok(self, conn: sqlite3.Connection) -> bool:
        """True when ``conn`` holds a memory; False when it is empty (no table at all yet)."""
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise ConfigError(
                f"translation memory {self.path} has schema {version}, newer than this version "
                f"of translate ({SCHEMA_VERSION}); upgrade translate."
            )
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        if "units" in tables:
            return True
        if tables:
            raise ConfigError(
                f"{self.path} is an SQLite database but not a translation memory (no units "
                f"table); give another file with --memory or in ${ENV_VAR}."
            )
        return False

    def _sqlite(self, doing: str) -> contextlib.AbstractContextManager[None]:
        return sqlite_errors(self.path, doing, self.timeout)

    def lookup(self, source: str, target_lang: str) -> str | None:
        """The approved translation of exactly ``source`` into ``target_lang``, if any."""
        conn = self._reader()
        if conn is None:
            return None
        with self._sqlite("reading"):
            row = conn.execute(
                "SELECT target FROM units WHERE source = ? AND target_lang = ?",
                (_key(source), _lang(target_lang)),
            ).fetchone()
        return None if row is None else str(row[0])

    def lookup_many(
        self,
        sources: Sequence[str],
        target_lang: str,
        *,
        neutral: Callable[[str], bool] | None = None,
    ) -> dict[str, str]:
        """Exact matches for several sentences at once: ``{source: target}`` for those found.

        A locale falls back to its language (``en-GB`` → ``en``), a bare language to its
        default locale (``en`` → ``en-US``); sentences that ``neutral`` says hold nothing
        locale-specific (see :func:`translate.localize.is_locale_neutral`) fall back to any
        sibling locale stored (``en-GB`` ← ``en-AU``). Without ``neutral``, no sibling is used.
        """
        own = _fallbacks(target_lang)
        siblings = [t for t in self.languages() if _base(t) == _base(target_lang)]
        siblings = [t for t in siblings if t not in own]
        found = {}
        for source in dict.fromkeys(sources):
            shared = siblings if neutral is not None and neutral(source) else []
            for lang in own + shared:
                target = self.lookup(source, lang)
                if target is not None:
                    found[source] = target
                    break
        return found

    def add(self, source: str, target: str, target_lang: str, *, origin: str = "review") -> None:
        """Store (or replace) the approved translation of ``source``."""
        self.add_many([MemoryEntry(source, target_lang, target, origin)])

    def add_many(self, entries: Iterable[MemoryEntry]) -> int:
        """Store entries in one transaction (all or none); returns how many were new or changed.

        Of several entries for the same source and language, the last one is kept. ``entries``
        is consumed in batches, so an import of any size holds one batch in memory at a time.

        Raises:
            InputError: a text holds a lone surrogate (U+D800–U+DFFF), which no file can store.
            OutputError: the file cannot be written (read-only, full disk, locked too long).
        """
        conn = self._open()
        before = conn.total_changes
        with self._sqlite("writing"):
            try:
                with conn:
                    for batch in _batches(entries, _BATCH):
                        conn.executemany(_UPSERT, _rows(batch))
            except UnicodeEncodeError as err:
                raise InputError(
                    f"cannot store in translation memory {self.path}: a text holds a lone "
                    f"surrogate ({err.object[err.start : err.end]!r}); fix that segment and retry."
                ) from None
        return conn.total_changes - before

    def entries(self, target_lang: str | None = None) -> list[MemoryEntry]:
        """Every stored entry (of one target language if given), sorted for stable exports."""
        conn = self._reader()
        if conn is None:
            return []
        sql = "SELECT source, target_lang, target, origin, changed FROM units"
        args: tuple[str, ...] = ()
        if target_lang:
            sql += " WHERE target_lang = ?"
            args = (_lang(target_lang),)
        with self._sqlite("reading"):
            rows = conn.execute(sql + " ORDER BY target_lang, source", args).fetchall()
        # keys are case-folded; entries show the tag in BCP 47 case (en-gb → en-GB)
        return [MemoryEntry(str(s), _shown(str(lang)), *map(str, rest)) for s, lang, *rest in rows]

    def languages(self) -> dict[str, int]:
        """How many entries each target language has, sorted by language."""
        conn = self._reader()
        if conn is None:
            return {}
        with self._sqlite("reading"):
            rows = conn.execute(
                "SELECT target_lang, COUNT(*) FROM units GROUP BY target_lang ORDER BY target_lang"
            ).fetchall()
        return {str(lang): int(n) for lang, n in rows}

    def __len__(self) -> int:
        return sum(self.languages().values())

    def import_tmx(self, path: str | os.PathLike[str]) -> int:
        """Add every French → other-language pair of a TMX file; returns how many were new or changed.

        The file is streamed (memory does not grow with it) into one transaction: a defect found
        anywhere in it stores nothing.

        Raises:
            InputError: the file is not TMX, or none of its units has a French variant.
        """
        from translate.export.tmx import iter_tmx

        units = iter(iter_tmx(path, source_lang=SOURCE_LANG, require_source=True))
        # the first French pair before the memory is opened: a file without one (refused once
        # it is read through) or without units leaves no database behind
        first = next(units, None)
        if first is None:
            return 0
        return self.add_many(
            MemoryEntry(u.source, u.target_lang, u.target, "tmx", u.changedate or "")
            for u in itertools.chain([first], units)
        )

    def export_tmx(self, path: str | os.PathLike[str], target_lang: str | None = None) -> int:
        """Write the memory (or one language of it) as TMX 1.4b, atomically; returns the unit count."""
        from translate.export.tmx import TranslationUnit, write_tmx

        entries = self.entries(target_lang)
        units = [
            TranslationUnit(
                source=e.source,
                target=e.target,
                target_lang=e.target_lang,
                props=[("origin", e.origin)] if e.origin else (),
                changedate=e.changed or None,
            )
            for e in entries
        ]
        atomic_write(path, write_tmx(units, source_lang=SOURCE_LANG, o_tmf="translate-memory"))
        return len(units)
