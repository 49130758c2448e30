"""Reading glossary files: CSV/TSV (delimiter sniffed) and TBX, into raw rows before merging.

File format (README, "Glossary files"): a header naming languages (``fr,en,de,...``) plus optional
``note``, ``case_sensitive`` and ``dnt`` columns; ``|`` separates forms in a cell: singular,
plural, then alternatives accepted for either number; one form means invariable.
"""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from translate._io import read_data
from translate.errors import GlossaryError
from translate.langtags import base_or_none, is_known, is_tag, known_languages, normalize_tag

__all__ = [
    "OPTION_COLUMNS",
    "SOURCE_LANG",
    "RawGlossary",
    "RawRow",
    "data_lines",
    "known_languages",
    "read_glossary_file",
]

SOURCE_LANG = "fr"
OPTION_COLUMNS = ("note", "case_sensitive", "dnt")
_TRUE = frozenset({"true", "yes", "y", "1", "oui", "vrai", "x"})
_FALSE = frozenset({"false", "no", "n", "0", "non", "faux", ""})
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@cache
def data_lines(name: str) -> tuple[str, ...]:
    """Words of a bundled ``glossary/`` list file, ``#`` comments removed."""
    text = read_data(f"glossary/{name}")
    words: list[str] = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        words.extend(line.split())
    return tuple(words)


def _column(header: str) -> str:
    """A header cell as a column name: an option in lower case, a language tag normalised."""
    name = header.strip()
    return (
        normalize_tag(name) if is_tag(name) and name.lower() not in OPTION_COLUMNS else name.lower()
    )


@dataclass(frozen=True)
class RawRow:
    """A row as read from a file, before merging."""

    line: int
    cells: Mapping[str, tuple[str, ...]]
    note: str = ""
    case_sensitive: bool = False
    dnt: bool = False
    entry_id: str = ""


@dataclass(frozen=True)
class RawGlossary:
    """One glossary file as read: its language columns, unknown columns and rows."""

    path: str
    languages: tuple[str, ...]
    unknown_columns: tuple[str, ...]
    rows: tuple[RawRow, ...] = field(default_factory=tuple)


# ---------------------------------------------------------------------------------------------
# Reading files


def _split_cell(value: str) -> tuple[str, ...]:
    return tuple(f for f in (" ".join(v.split()) for v in value.split("|")) if f)


def _parse_bool(value: str, path: Path, line: int, column: str) -> bool:
    v = value.strip().lower()
    if v in _TRUE:
        return True
    if v in _FALSE:
        return False
    raise GlossaryError(
        f"glossary {path}, line {line}: {column} is {value!r}; write true or false (or leave it empty)."
    )


def _read_text(path: Path) -> str:
    if not path.exists():
        raise GlossaryError(f"glossary {path}: no such file; check the path.")
    if path.is_dir():
        raise GlossaryError(f"glossary {path} is a directory; give a .csv, .tsv or .tbx file.")
    try:
        data = path.read_bytes()
    except OSError as err:
        raise GlossaryError(f"glossary {path}: cannot read ({err.strerror}).") from None
    nul = data.find(b"\x00")  # the whole file: a NUL after the first 8 KB is binary too
    if nul >= 0 and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise GlossaryError(
            f"glossary {path} looks like a binary file (a NUL byte at offset {nul}); give a "
            "UTF-8 .csv, .tsv or .tbx file."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise GlossaryError(
            f"glossary {path} is not valid UTF-8 (byte 0x{data[err.start]:02x} at offset "
            f"{err.start}); save it as UTF-8."
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_glossary_file(path: str | Path) -> RawGlossary:
    """Read one CSV, TSV or TBX glossary file.

    Raises:
        GlossaryError: the file is missing, not UTF-8, has no ``fr`` column, has ragged rows,
            a bad ``case_sensitive``/``dnt`` value, or is not well-formed TBX.
    """
    p = Path(path)
    text = _read_text(p)
    if p.suffix.lower() in (".tbx", ".xml"):
        return _read_tbx(p, text)
    return _read_delimited(p, text)


def _read_delimited(path: Path, text: str) -> RawGlossary:
    lines = [(n, line) for n, line in enumerate(text.split("\n"), 1)]
    body = [(n, line) for n, line in lines if line.strip() and not line.lstrip().startswith("#")]
    if not body:
        raise GlossaryError(f"glossary {path} is empty; add a header such as fr,en,de and rows.")
    header_line = body[0][1]
    if path.suffix.lower() in (".tsv", ".tab") or "\t" in header_line:
        delimiter = "\t"
    elif ";" in header_line and "," not in header_line:
        delimiter = ";"
    else:
        delimiter = ","
    rows = list(csv.reader(io.StringIO("\n".join(line for _, line in body)), delimiter=delimiter))
    if len(rows) != len(body):  # a quoted cell spanning lines
        raise GlossaryError(
            f"glossary {path}: a quoted cell spans several lines; keep each entry on one line."
        )
    header = [_column(h) for h in rows[0]]
    if SOURCE_LANG not in header:
        raise GlossaryError(
            f"glossary {path} has no 'fr' column (header: {','.join(header)}); "
            "the first line must name the languages, e.g. fr,en,de."
        )
    languages = tuple(h for h in header if h not in OPTION_COLUMNS and is_known(h))
    unknown = tuple(h for h in header if h not in OPTION_COLUMNS and h not in languages)
    raw_rows: list[RawRow] = []
    for (line_no, _), row in zip(body[1:], rows[1:], strict=True):
        if len(row) != len(header):
            raise GlossaryError(
                f"glossary {path}, line {line_no}: {len(row)} cells but the header has "
                f"{len(header)}; quote cells that contain '{delimiter}'."
            )
        values = dict(zip(header, row, strict=True))
        raw_rows.append(
            RawRow(
                line=line_no,
                cells={lang: _split_cell(values[lang]) for lang in languages},
                note=values.get("note", "").strip(),
                case_sensitive=_parse_bool(
                    values.get("case_sensitive", ""), path, line_no, "case_sensitive"
                ),
                dnt=_parse_bool(values.get("dnt", ""), path, line_no, "dnt"),
                entry_id=f"{path.name}:{line_no}",
            )
        )
    return RawGlossary(str(path), languages, unknown, tuple(raw_rows))


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _tbx_lang(code: str) -> str:
    return base_or_none(code) or code.strip().lower()


def _read_tbx(path: Path, text: str) -> RawGlossary:
    try:
        root = ET.fromstring(text)
    except ET.ParseError as err:
        line = err.position[0] if err.position else 0
        raise GlossaryError(
            f"glossary {path} is not well-formed TBX/XML (line {line}: {err.msg}); fix the XML."
        ) from None
    languages: dict[str, None] = {}
    unknown: dict[str, None] = {}
    rows: list[RawRow] = []
    concepts = [e for e in root.iter() if _local(e.tag) in ("conceptEntry", "termEntry")]
    for n, concept in enumerate(concepts, 1):
        cells: dict[str, tuple[str, ...]] = {}
        note = ""
        for child in concept.iter():
            kind = _local(child.tag)
            if (
                kind in ("descrip", "note")
                and not note
                and child.text
                and child.get("type") in (None, "definition", "context", "note")
            ):
                note = " ".join(child.text.split())
            if kind not in ("langSec", "langSet"):
                continue
            raw_lang = child.get(_XML_LANG) or child.get("lang") or ""
            lang = _tbx_lang(raw_lang)
            if not lang:
                raise GlossaryError(
                    f"glossary {path}: a langSec in concept {n} has no xml:lang; add one."
                )
            forms: list[tuple[int, str]] = []
            for term_holder in child:
                if _local(term_holder.tag) not in ("termSec", "tig", "ntig"):
                    continue
                term = next((t for t in term_holder.iter() if _local(t.tag) == "term"), None)
                if term is None or not "".join(term.itertext()).strip():
                    continue
                number = next(
                    (
                        (t.text or "").strip().lower()
                        for t in term_holder.iter()
                        if _local(t.tag) == "termNote" and t.get("type") == "grammaticalNumber"
                    ),
                    "",
                )
                rank = {"singular": 0, "plural": 1}.get(number, 2)
                forms.append((rank, " ".join("".join(term.itertext()).split())))
            if is_known(lang):
                languages.setdefault(lang, None)
                ordered = [f for _, f in sorted(forms, key=lambda rf: rf[0])]
                cells[lang] = tuple(dict.fromkeys(cells.get(lang, ()) + tuple(ordered)))
            else:
                unknown.setdefault(lang, None)
        cid = concept.get("id") or str(n)
        line = getattr(concept, "sourceline", 0) or 0
        rows.append(RawRow(line=line or n, cells=cells, note=note, entry_id=f"{path.name}#{cid}"))
    if not concepts or SOURCE_LANG not in languages:
        raise GlossaryError(
            f"glossary {path} has no French terms (no conceptEntry with a langSec "
            'xml:lang="fr"); add them or check the file is TBX.'
        )
    langs = (SOURCE_LANG, *(lang for lang in languages if lang != SOURCE_LANG))
    full_rows = tuple(
        RawRow(
            line=r.line,
            cells={lang: r.cells.get(lang, ()) for lang in langs},
            note=r.note,
            entry_id=r.entry_id,
        )
        for r in rows
    )
    return RawGlossary(str(path), langs, tuple(unknown), full_rows)
