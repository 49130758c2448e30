"""Translation memory: lookups, approved segments from review, TMX import/export, file location."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from schemas import tmx_errors

from translate.errors import ConfigError, InputError
from translate.memory import ENV_VAR, MemoryEntry, TranslationMemory, default_memory_path


@pytest.fixture
def memory(tmp_path: Path) -> TranslationMemory:
    with TranslationMemory(tmp_path / "tm.sqlite") as tm:
        yield tm  # type: ignore[misc]


def test_missing_memory_is_empty_and_not_created(tmp_path: Path) -> None:
    tm = TranslationMemory(tmp_path / "sub" / "tm.sqlite")
    assert tm.lookup("Bonjour.", "en") is None
    assert len(tm) == 0 and tm.entries() == []
    assert not (tmp_path / "sub").exists()


@pytest.mark.parametrize(
    ("stored", "lang", "query", "query_lang", "hit"),
    [
        ("Bonjour.", "en", "Bonjour.", "en", True),
        ("Bonjour.", "en", "Bonjour.", "EN", True),
        ("Bonjour.", "en_us", "Bonjour.", "en-US", True),
        ("Bonjour.", "en", "Bonjour.", "de", False),
        ("Bonjour.", "en", "Bonjour !", "en", False),
        ("Bonjour.", "en", "bonjour.", "en", False),
        ("Café.", "en", "Cafe\u0301.", "en", True),  # NFC and NFD forms are the same text
    ],
)
def test_lookup_is_exact_on_source_and_language(
    memory: TranslationMemory, stored: str, lang: str, query: str, query_lang: str, hit: bool
) -> None:
    memory.add(stored, "Hello.", lang)
    assert (memory.lookup(query, query_lang) == "Hello.") is hit


def test_add_replaces_and_counts_only_changes(memory: TranslationMemory) -> None:
    assert (
        memory.add_many([MemoryEntry("Oui.", "en", "Yes."), MemoryEntry("Non.", "en", "No.")]) == 2
    )
    assert memory.add_many([MemoryEntry("Oui.", "en", "Yes.")]) == 0
    assert (
        memory.add_many([MemoryEntry("Oui.", "en", "Yeah."), MemoryEntry("Vide.", "en", "  ")]) == 1
    )
    assert memory.lookup("Oui.", "en") == "Yeah." and memory.lookup("Vide.", "en") is None
    assert len(memory) == 2
    assert memory.lookup_many(["Oui.", "Non.", "Peut-être."], "en") == {
        "Oui.": "Yeah.",
        "Non.": "No.",
    }


def test_tmx_export_import_round_trip(memory: TranslationMemory, tmp_path: Path) -> None:
    entries = [
        MemoryEntry("Le cloud public.", "en", "The public cloud.", "review:final"),
        MemoryEntry("Le cloud public.", "de", "Die öffentliche Cloud.", "review:reviewed"),
        MemoryEntry("A <b> & « c »", "en", "A <b> & “c”", "review:final"),
    ]
    memory.add_many(entries)
    path = tmp_path / "out.tmx"
    assert memory.export_tmx(path) == 3
    assert tmx_errors(path.read_bytes()) == []
    with TranslationMemory(tmp_path / "fresh.sqlite") as fresh:
        assert fresh.import_tmx(path) == 3
        got = {(e.source, e.target_lang, e.target) for e in fresh.entries()}
        assert got == {(e.source, e.target_lang, e.target) for e in entries}
        assert fresh.entries("de")[0].target == "Die öffentliche Cloud."
        assert [e.changed for e in fresh.entries()] == [e.changed for e in memory.entries()]
    assert memory.export_tmx(tmp_path / "de.tmx", target_lang="de") == 1


def test_import_reads_foreign_tmx_with_regional_codes(
    memory: TranslationMemory, tmp_path: Path
) -> None:
    path = tmp_path / "cat.tmx"
    path.write_text(
        '<?xml version="1.0"?><tmx version="1.4"><header creationtool="x" creationtoolversion="1" '
        'segtype="sentence" o-tmf="x" adminlang="en" srclang="fr-FR" datatype="plaintext"/><body>'
        '<tu><tuv xml:lang="EN-GB"><seg>Good <bpt i="1">&lt;b&gt;</bpt>day<ept i="1">&lt;/b&gt;</ept></seg></tuv>'
        '<tuv xml:lang="fr-FR"><seg>Bonne journée</seg></tuv><tuv xml:lang="es"><seg>Buen día</seg></tuv></tu>'
        '<tu><tuv xml:lang="en"><seg>No French here</seg></tuv></tu></body></tmx>',
        encoding="utf-8",
    )
    assert memory.import_tmx(path) == 2
    assert memory.lookup("Bonne journée", "en-gb") == "Good <b>day</b>"
    assert memory.lookup("Bonne journée", "es") == "Buen día"


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (None, InputError),
        ("not xml", InputError),
        ("<xliff/>", InputError),
    ],
)
def test_import_rejects_bad_tmx(
    memory: TranslationMemory, tmp_path: Path, content: str | None, error: type
) -> None:
    path = tmp_path / "bad.tmx"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(error):
        memory.import_tmx(path)


def test_a_file_that_is_not_a_database_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "tm.sqlite"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(ConfigError, match=ENV_VAR):
        TranslationMemory(path).lookup("x", "en")


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "tm.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(ConfigError, match="upgrade"):
        TranslationMemory(path).lookup("x", "en")


def test_location_env_override_and_default(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "custom.sqlite"))
    assert default_memory_path() == tmp_path / "custom.sqlite"
    assert TranslationMemory().path == tmp_path / "custom.sqlite"
    monkeypatch.delenv(ENV_VAR)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    import sys

    if sys.platform.startswith("linux"):
        assert default_memory_path() == tmp_path / "data" / "translate" / "memory.sqlite"
