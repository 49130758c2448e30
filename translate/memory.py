"""Translation memory: approved translations in SQLite, keyed by source text and target language.

``translate review FILE.xlf`` stores the segments a translator marked ``reviewed`` or ``final``;
later runs look each source sentence up before calling the model and take exact matches
(``origin="memory"``). The memory imports and exports TMX 1.4b, so it can be shared with CAT
tools. Its file is ``$TRANSLATE_MEMORY`` if set, else ``memory.sqlite`` in the user data
directory (``$XDG_DATA_HOME/translate``, ``~/.local/share/translate`` by default; the usual
application data folder on macOS and Windows). Nothing is created until something is stored.
"""

from __future__ import annotations

import os
import sqlite3
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType

from translate._io import atomic_write, user_dir
from translate.errors import ConfigError, OutputError
from translate.langtags import tag_key
from translate.units import one_line

ENV_VAR = "TRANSLATE_MEMORY"
FILENAME = "memory.sqlite"
SOURCE_LANG = "fr"
SCHEMA_VERSION = 1
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


def _now() -> str:
    """A TMX date (``20260127T081500Z``)."""
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


@dataclass(frozen=True)
class MemoryEntry:
    """One approved translation of a French sentence."""

    source: str
    target_lang: str
    target: str
    origin: str = ""
    changed: str = ""


class TranslationMemory:
    """An SQLite translation memory; use as a context manager or call :meth:`close`.

    Args:
        path: the database file; default :func:`default_memory_path`.

    Lookups are exact on the NFC-normalised source text and the lower-cased target language
    (``en-US`` and ``en`` are different languages). Reading a memory that does not exist yet is
    not an error: it is empty.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path is not None else default_memory_path()
        self._conn: sqlite3.Connection | None = None

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

    def _reader(self) -> sqlite3.Connection | None:
        """The open database, or None while it does not exist (an empty memory)."""
        if self._conn is None and not self.path.exists():
            return None
        return self._open()

    def _open(self) -> sqlite3.Connection:
        """Open (creating it and its folder if needed) the database."""
        if self._conn is not None:
            return self._conn
        if self.path.is_dir():
            raise ConfigError(
                f"translation memory {self.path} is a directory; "
                f"give a file with --memory or in ${ENV_VAR}."
            )
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
        try:
            conn = sqlite3.connect(self.path)
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                conn.close()
                raise ConfigError(
                    f"translation memory {self.path} has schema {version}, newer than this version "
                    f"of translate ({SCHEMA_VERSION}); upgrade translate."
                )
            with conn:
                conn.execute(_SCHEMA)
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except sqlite3.DatabaseError as err:
            raise ConfigError(
                f"{self.path} is not a translation memory ({err}); move it away or give another "
                f"file with --memory or in ${ENV_VAR}."
            ) from None
        except sqlite3.Error as err:
            raise OutputError(f"cannot open translation memory {self.path} ({err}).") from None
        self._conn = conn
        return conn

    def lookup(self, source: str, target_lang: str) -> str | None:
        """The approved translation of exactly ``source`` into ``target_lang``, if any."""
        conn = self._reader()
        if conn is None:
            return None
        row = conn.execute(
            "SELECT target FROM units WHERE source = ? AND target_lang = ?",
            (_key(source), _lang(target_lang)),
        ).fetchone()
        return None if row is None else str(row[0])

    def lookup_many(self, sources: Sequence[str], target_lang: str) -> dict[str, str]:
        """Exact matches for several sentences at once: ``{source: target}`` for those found."""
        found = {}
        for source in dict.fromkeys(sources):
            target = self.lookup(source, target_lang)
            if target is not None:
                found[source] = target
        return found

    def add(self, source: str, target: str, target_lang: str, *, origin: str = "review") -> None:
        """Store (or replace) the approved translation of ``source``."""
        self.add_many([MemoryEntry(source, target_lang, target, origin)])

    def add_many(self, entries: Iterable[MemoryEntry]) -> int:
        """Store entries in one transaction (all or none); returns how many were new or changed.

        Of several entries for the same source and language, the last one is kept.
        """
        latest = {
            (_key(e.source), _lang(e.target_lang)): (e.target, e.origin, e.changed or _now())
            for e in entries
            if e.source.strip() and e.target.strip()
        }
        rows = [(*key, *value) for key, value in latest.items()]
        conn = self._open()
        before = conn.total_changes
        try:
            with conn:
                conn.executemany(
                    "INSERT INTO units (source, target_lang, target, origin, changed) "
                    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (source, target_lang) DO UPDATE SET "
                    "target = excluded.target, origin = excluded.origin, changed = excluded.changed "
                    "WHERE units.target != excluded.target",
                    rows,
                )
        except sqlite3.Error as err:
            raise OutputError(f"cannot write translation memory {self.path} ({err}).") from None
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
        rows = conn.execute(sql + " ORDER BY target_lang, source", args).fetchall()
        return [MemoryEntry(*map(str, row)) for row in rows]

    def __len__(self) -> int:
        conn = self._reader()
        return 0 if conn is None else int(conn.execute("SELECT COUNT(*) FROM units").fetchone()[0])

    def import_tmx(self, path: str | os.PathLike[str]) -> int:
        """Add every French → other-language pair of a TMX file; returns how many were new or changed.

        Raises:
            InputError: the file is not TMX, or none of its units has a French variant.
        """
        from translate.export.tmx import read_tmx

        units = read_tmx(path, source_lang=SOURCE_LANG, require_source=True)
        return self.add_many(
            MemoryEntry(u.source, u.target_lang, u.target, "tmx", u.changedate or "") for u in units
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
