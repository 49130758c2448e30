"""Glossaries: load CSV/TSV/TBX term lists, merge them, lint them, find French terms in text.

Pure Python, no model: matching builds a character trie of every French surface form (singular,
regular plural, listed variants; hyphen/space/solid spellings) and walks it from each word start,
keeping the longest match. The same records then say what the decoder must produce
(:meth:`Glossary.constraints_for`) and whether a translation did (:meth:`Glossary.verify`).

File format (README, "Glossary files"): a header naming languages (``fr,en,de,...``) plus optional
``note``, ``case_sensitive`` and ``dnt`` columns; ``|`` separates forms in a cell: singular,
plural, then alternatives accepted for either number; one form means invariable.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import json
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from translate._io import read_data
from translate.errors import GlossaryError
from translate.units import TermConstraint, TermMatch, TermResult

__all__ = [
    "OPTION_COLUMNS",
    "Glossary",
    "GlossaryEntry",
    "LintIssue",
    "lint_glossaries",
    "load_glossary",
    "read_glossary_file",
]

SOURCE_LANG = "fr"
OPTION_COLUMNS = ("note", "case_sensitive", "dnt")
_TRUE = frozenset({"true", "yes", "y", "1", "oui", "vrai", "x"})
_FALSE = frozenset({"false", "no", "n", "0", "non", "faux", ""})
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Characters folded before matching, so that the folded text keeps the original's length.
_FOLD = {
    "’": "'",
    "‘": "'",
    "ʼ": "'",
    "‐": "-",
    "‑": "-",
    "\u00a0": " ",
    "\u202f": " ",
    "\u2009": " ",
}
_HYPHEN = "\x01"  # trie symbol: a hyphen, a run of spaces, or nothing (crypto-monnaie/ crypto monnaie/ cryptomonnaie)
_SPACE = "\x02"  # trie symbol: a run of spaces
#: Kana, CJK ideographs and Hangul: scripts written without spaces, so with no word boundaries.
CJK_RANGES = "\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff"
CJK = re.compile(f"[{CJK_RANGES}]")


# ---------------------------------------------------------------------------------------------
# Data files


@cache
def _data_lines(name: str) -> tuple[str, ...]:
    text = read_data(f"glossary/{name}")
    words: list[str] = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        words.extend(line.split())
    return tuple(words)


@cache
def _plural_rules() -> dict[str, Any]:
    return dict(json.loads(read_data("glossary/french_plural.json")))


@cache
def _verbatim_rules() -> tuple[tuple[re.Pattern[str], ...], frozenset[str], str]:
    """Spans never searched for terms, name particles and sentence openers (``verbatim.json``)."""
    data = json.loads(read_data("glossary/verbatim.json"))
    spans = tuple(re.compile(p) for p in data["spans"].values())
    particles = frozenset(w.replace("’", "'").casefold() for w in data["name_particles"])
    return spans, particles, str(data["sentence_openers"])


@cache
def _everyday_phrases() -> tuple[re.Pattern[str], ...]:
    """Set phrases where a term has its everyday sense (``everyday_senses.json``)."""
    data = json.loads(read_data("glossary/everyday_senses.json"))
    return tuple(
        re.compile(rf"(?<!\w)(?:{p})(?!\w)", re.IGNORECASE)
        for group in data["phrases"].values()
        for p in group
    )


def known_languages() -> frozenset[str]:
    """Language codes accepted as glossary columns (``translate/data/glossary/languages.txt``)."""
    return frozenset(_data_lines("languages.txt"))


def _is_language(column: str) -> bool:
    return bool(re.fullmatch(r"[a-z]{2,3}(-[a-z0-9]{2,8})*", column)) and (
        column.split("-")[0] in known_languages()
    )


# ---------------------------------------------------------------------------------------------
# Records


@dataclass(frozen=True)
class GlossaryEntry:
    """One concept: its forms per language (singular, plural, alternatives) and its flags."""

    id: str
    terms: Mapping[str, tuple[str, ...]]
    note: str = ""
    case_sensitive: bool = False
    dnt: bool = False
    source: str = ""
    line: int = 0

    @property
    def headword(self) -> str:
        """The French singular, as written in the glossary."""
        return self.terms[SOURCE_LANG][0]

    def forms(self, lang: str, *, plural: bool) -> tuple[str, ...]:
        """Forms acceptable in ``lang`` for a source in that number: the form, then alternatives.

        A do-not-translate entry gives its French name where the language's cell is empty.
        """
        cell = self.terms.get(lang, ())
        if not cell and self.dnt:
            cell = self.terms[SOURCE_LANG]
        if not cell:
            return ()
        number = cell[1] if plural and len(cell) > 1 else cell[0]
        return tuple(dict.fromkeys((number, *cell[2:])))


@dataclass(frozen=True)
class LintIssue:
    """One finding of :func:`lint_glossaries`; ``severity`` is ``error``, ``warning`` or
    ``info`` (a note that needs no action, such as a consistent nested term)."""

    severity: str
    code: str
    message: str
    source: str = ""
    line: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "source": self.source,
            "line": self.line,
        }


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
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise GlossaryError(
            f"glossary {path} looks like a binary file; give a UTF-8 .csv, .tsv or .tbx file."
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
    header = [h.strip().lower() for h in rows[0]]
    if SOURCE_LANG not in header:
        raise GlossaryError(
            f"glossary {path} has no 'fr' column (header: {','.join(header)}); "
            "the first line must name the languages, e.g. fr,en,de."
        )
    languages = tuple(h for h in header if h not in OPTION_COLUMNS and _is_language(h))
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
    return code.strip().lower().replace("_", "-").split("-")[0]


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
            if _is_language(lang):
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


# ---------------------------------------------------------------------------------------------
# Normalisation and French inflection


def _fold_char(c: str, *, lower: bool, accents: bool) -> str:
    c = _FOLD.get(c, c)
    if lower:
        low = c.lower()
        if len(low) == 1:
            c = low
    if accents:
        base = unicodedata.normalize("NFD", c)[0]
        if base.isalpha():
            c = base
    return c


def _fold(text: str, *, lower: bool, accents: bool) -> str:
    """Fold ``text`` character by character, so offsets into the result are offsets into ``text``."""
    return "".join(_fold_char(c, lower=lower, accents=accents) for c in text)


def _pluralise_word(word: str) -> str:
    rules = _plural_rules()
    low = word.lower()
    if not any(c.isalpha() for c in word) or (word.isupper() and len(word) > 1):
        return word  # numbers and acronyms
    if low.endswith(tuple(rules["invariable_endings"])):
        return word
    if low in rules["x_words"] or (
        low.endswith(tuple(rules["x_endings"])) and low not in rules["x_ending_exceptions"]
    ):
        return word + "x"
    if low.endswith("al") and low not in rules["al_exceptions"]:
        return word[:-2] + "aux"
    return word + "s"


def _is_acronym(form: str) -> bool:
    """One word in capitals (NFT, GPU): French keeps it invariable, but copy often adds an -s."""
    return len(form) > 1 and form.isupper() and form.isalnum()


def _pluralise_token(token: str) -> str:
    """Pluralise a word; in a hyphenated compound only its last part (crypto-monnaies)."""
    head, sep, last = token.rpartition("-")
    return head + sep + _pluralise_word(last)


def french_plurals(form: str) -> tuple[str, ...]:
    """Regular plurals of a French term: every word before the first stop word, or the head only."""
    words = form.split(" ")
    stops = set(_plural_rules()["stop_words"])
    stop_at = next(
        (i for i, w in enumerate(words) if i > 0 and (w.lower() in stops or "'" in w)), len(words)
    )
    every = [_pluralise_token(w) if i < stop_at else w for i, w in enumerate(words)]
    head = [_pluralise_token(words[0]), *words[1:]]
    found = dict.fromkeys((" ".join(every), " ".join(head), *_plural_mixes(form, " ".join(every))))
    found.pop(form, None)
    return tuple(found) or (form,)


def _plural_mixes(singular: str, plural: str) -> list[str]:
    """Spellings that inflect only some words of a plural (``cloud publics``, ``clouds public``).

    Copy often leaves an English loanword invariable or misses an agreement; these mixes are
    plurals too. Only for forms with the same number of words; neither form itself is returned.
    """
    sing, plur = singular.split(" "), plural.split(" ")
    if len(sing) != len(plur) or len(sing) < 2:
        return []
    mixes = (
        " ".join(choice)
        for choice in itertools.product(*(dict.fromkeys(p) for p in zip(sing, plur, strict=True)))
    )
    return [m for m in mixes if m not in (singular, plural)]


def _trie_key(form: str, *, lower: bool, accents: bool) -> str:
    folded = _fold(" ".join(form.split()), lower=lower, accents=accents)
    return folded.replace("-", _HYPHEN).replace(" ", _SPACE)


# ---------------------------------------------------------------------------------------------
# The glossary


@dataclass(frozen=True)
class _Hit:
    entry: int
    plural: bool


class _Trie:
    """Character trie of folded French forms; ``_HYPHEN``/``_SPACE`` edges match flexible gaps."""

    def __init__(self) -> None:
        self.root: dict[str, Any] = {}

    def add(self, key: str, hit: _Hit) -> None:
        node = self.root
        for ch in key:
            node = node.setdefault(ch, {})
        hits = node.setdefault("", [])
        if all(h.entry != hit.entry for h in hits):
            hits.append(hit)

    def longest(self, s: str, start: int, end_ok: Callable[[int], bool]) -> tuple[int, _Hit] | None:
        """The longest match starting at ``start`` that ends on a word boundary."""
        best: tuple[int, _Hit] | None = None
        stack: list[tuple[dict[str, Any], int]] = [(self.root, start)]
        n = len(s)
        while stack:
            node, pos = stack.pop()
            hits = node.get("")
            if hits and pos > start and end_ok(pos):
                hit = min(hits, key=lambda h: h.entry)
                if best is None or pos > best[0] or (pos == best[0] and hit.entry < best[1].entry):
                    best = (pos, hit)
            if pos < n:
                child = node.get(s[pos])
                if child is not None:
                    stack.append((child, pos + 1))
            for sym in (_SPACE, _HYPHEN):
                child = node.get(sym)
                if child is None:
                    continue
                gap = pos
                while gap < n and s[gap].isspace():
                    gap += 1
                if gap > pos:
                    stack.append((child, gap))
                if sym == _HYPHEN:
                    stack.append((child, pos))
                    if pos < n and s[pos] == "-":
                        stack.append((child, pos + 1))
        return best


class Glossary:
    """Merged glossary entries with a French matcher.

    Args:
        entries: entries in precedence order (earlier wins where two match the same text).
        accent_insensitive: match French terms ignoring accents (``cryptomonnaie`` also matches
            ``cryptomonnaîe``); off by default because accents distinguish French words.
    """

    def __init__(self, entries: Sequence[GlossaryEntry], *, accent_insensitive: bool = False):
        self.entries: tuple[GlossaryEntry, ...] = tuple(entries)
        self.accent_insensitive = accent_insensitive
        langs: dict[str, None] = {SOURCE_LANG: None}
        for e in self.entries:
            langs.update(dict.fromkeys(e.terms))
        self.languages: tuple[str, ...] = tuple(langs)
        self._elisions = frozenset(_data_lines("elisions.txt"))
        self._tries = {True: _Trie(), False: _Trie()}  # keyed by case-sensitivity
        for i, entry in enumerate(self.entries):
            trie = self._tries[entry.case_sensitive]
            for form, plural in self._french_surfaces(entry):
                key = _trie_key(form, lower=not entry.case_sensitive, accents=accent_insensitive)
                trie.add(key, _Hit(i, plural))
        payload = {
            "accent_insensitive": accent_insensitive,
            "entries": [
                [
                    {k: list(v) for k, v in sorted(e.terms.items())},
                    e.case_sensitive,
                    e.dnt,
                ]
                for e in self.entries
            ],
        }
        blob = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
        self.digest: str = hashlib.sha256(blob).hexdigest()

    def __len__(self) -> int:
        return len(self.entries)

    @staticmethod
    def _french_surfaces(entry: GlossaryEntry) -> list[tuple[str, bool]]:
        forms = entry.terms[SOURCE_LANG]
        surfaces: list[tuple[str, bool]] = [(forms[0], False)]
        if len(forms) > 1:
            surfaces.append((forms[1], True))
            if not entry.dnt:
                surfaces.extend((m, True) for m in _plural_mixes(forms[0], forms[1]))
        for alt in forms[2:]:
            surfaces.append((alt, False))
        if not entry.dnt:
            regular = [forms[0]] if len(forms) == 1 else []
            suffix = str(_plural_rules().get("acronym_plural", ""))
            for base in regular + list(forms[2:]):
                surfaces.extend((p, True) for p in french_plurals(base) if p != base)
                if suffix and _is_acronym(base):
                    surfaces.append((base + suffix, True))
        seen: dict[str, bool] = {}
        for form, plural in surfaces:
            seen.setdefault(form, plural)
        return list(seen.items())

    # -- matching -------------------------------------------------------------------------------

    def _start_ok(self, s: str, i: int) -> bool:
        if not s[i].isalnum() or i == 0:
            return True
        prev = s[i - 1]
        if prev.isalnum():
            return False
        if prev == "-":
            return not (i >= 2 and s[i - 2].isalnum())
        if prev == "'":
            j = i - 1
            while j > 0 and s[j - 1].isalnum():
                j -= 1
            word = s[j : i - 1].lower()
            return word in self._elisions and (j == 0 or not s[j - 1].isalnum())
        return True

    @staticmethod
    def _end_ok(s: str, j: int) -> bool:
        if j >= len(s) or not s[j - 1].isalnum():
            return True
        nxt = s[j]
        if nxt.isalnum():
            return False
        return not (nxt == "-" and j + 1 < len(s) and s[j + 1].isalnum())

    def _standalone(
        self, text: str, start: int, found: tuple[int, _Hit], verbatim: list[tuple[int, int]]
    ) -> bool:
        """Whether a trie match is the term itself, not part of a link or of a longer name.

        A match strictly inside a URL, e-mail address, @handle or domain name (``OKX.com``) or
        inside a set phrase with the word's everyday sense (``marché aux puces``) is rejected, as is a lower-case term written with a capital inside a run of capitalised
        words (``Le Journal du Cloud``, ``London Stock Exchange``, ``Cloud Act``): both are
        copied verbatim, not translated.
        """
        end, hit = found
        for s, e in verbatim:
            if s < end and start < e and (s, e) != (start, end):
                return False
        entry = self.entries[hit.entry]
        if entry.case_sensitive or not text[start].isupper() or not entry.headword[:1].islower():
            return True
        if _is_shouted(text[start:end]):
            return True  # all capitals (a headline): capitals say nothing about names
        _, particles, openers = _verbatim_rules()
        before = _words_before(text, start, openers)
        while before and before[-1][0].casefold() in particles:
            before.pop()
        if before and before[-1][0][:1].isupper() and not before[-1][1]:
            return False  # preceded by a capitalised word that does not open the sentence
        after = re.match(r"[ \t\u00a0\u202f]+(\w)", text[end:])
        return not (after and after.group(1).isupper())

    def match(self, text: str) -> list[TermMatch]:
        """Every glossary term in ``text``: leftmost-longest, non-overlapping, in text order.

        Case-insensitive unless an entry is ``case_sensitive``; plural forms, elided articles
        (``l'``, ``d'``, ``qu'`` with ``'`` or ``’``) and hyphen/space/solid spellings match;
        a term never matches inside a longer word (hyphenated compounds count as one word).
        """
        if not self.entries or not text:
            return []
        folded = {
            False: _fold(text, lower=True, accents=self.accent_insensitive),
            True: _fold(text, lower=False, accents=self.accent_insensitive),
        }
        firsts = {cs: set(self._tries[cs].root) for cs in (False, True)}
        verbatim = [
            m.span()
            for rx in (*_verbatim_rules()[0], *_everyday_phrases())
            for m in rx.finditer(text)
        ]
        matches: list[TermMatch] = []
        i, n = 0, len(text)
        while i < n:
            best: tuple[int, _Hit] | None = None
            for cs in (False, True):
                s = folded[cs]
                if s[i] not in firsts[cs] or not self._start_ok(s, i):
                    continue
                found = self._tries[cs].longest(s, i, lambda j, s=s: self._end_ok(s, j))  # type: ignore[misc]
                if found and (
                    best is None
                    or found[0] > best[0]
                    or (found[0] == best[0] and found[1].entry < best[1].entry)
                ):
                    best = found
            if best is not None and not self._standalone(text, i, best, verbatim):
                best = None
            if best is None:
                i += 1
                continue
            end, hit = best
            entry = self.entries[hit.entry]
            matches.append(
                TermMatch(
                    start=i,
                    end=end,
                    text=text[i:end],
                    headword=entry.headword,
                    entry_id=entry.id,
                    plural=hit.plural,
                    dnt=entry.dnt,
                )
            )
            i = end
        return matches

    def entry(self, entry_id: str) -> GlossaryEntry:
        """The entry with this id.

        Raises:
            GlossaryError: no entry has this id.
        """
        for e in self.entries:
            if e.id == entry_id:
                return e
        raise GlossaryError(f"no glossary entry {entry_id!r}; match with this glossary first.")

    # -- constraints and verification -----------------------------------------------------------

    def constraints_for(self, text: str, matches: Sequence[TermMatch]) -> list[TermConstraint]:
        """What a translation of ``text`` must contain: one constraint per match, in order.

        Forms agree in number with the match and keep the glossary's casing (acronyms and names
        stay as written); where the match opens the sentence, a capitalised form of each
        lower-case form is added (not for do-not-translate names), so that the decoder may start
        the sentence with it.
        """
        by_id = {e.id: e for e in self.entries}
        out: list[TermConstraint] = []
        for m in matches:
            entry = by_id.get(m.entry_id)
            if entry is None:
                raise GlossaryError(
                    f"match {m.text!r} refers to entry {m.entry_id!r}, not in this glossary."
                )
            starts = not any(c.isalnum() for c in text[: m.start])
            targets: dict[str, tuple[str, ...]] = {}
            for lang in self.languages:
                if lang == SOURCE_LANG and not entry.dnt:
                    continue
                forms = entry.forms(lang, plural=m.plural)
                if starts and not entry.dnt:  # a name keeps its casing, even a lower-case one
                    forms = tuple(dict.fromkeys(forms + tuple(_capitalise(f) for f in forms)))
                if forms:
                    targets[lang] = forms
            out.append(TermConstraint(headword=entry.headword, targets=targets, dnt=entry.dnt))
        return out

    def verify(
        self,
        target: str,
        constraints: Sequence[TermConstraint],
        matches: Sequence[TermMatch],
        lang: str,
    ) -> tuple[TermResult, ...]:
        """Whether each required term appears in ``target`` (exact match, as in WMT 2021).

        A form containing a capital letter (acronym, name) must appear exactly; a lower-case form
        matches in any case. A Latin/Cyrillic form must stand as a whole word; a CJK form may
        appear anywhere. Two constraints sharing a form need two separate occurrences.
        Constraints without forms in ``lang`` are not required and not reported.
        """
        results: list[TermResult] = []
        used: dict[str, list[tuple[int, int]]] = {}  # form → spans taken by a constraint with it
        for i, c in enumerate(constraints):
            required = c.variants(lang)
            if not required:
                continue
            source = matches[i].text if i < len(matches) else c.headword
            taken = [span for form in required for span in used.get(form, [])]
            found: tuple[int, int, str] | None = None
            for start, end in sorted(
                {span for form in required for span in term_occurrences(target, form)}
            ):
                if all(end <= s or start >= e for s, e in taken):
                    found = (start, end, target[start:end])
                    break
            if found is None:
                results.append(TermResult(c.headword, source, tuple(required), None))
            else:
                for form in required:
                    used.setdefault(form, []).append(found[:2])
                results.append(
                    TermResult(c.headword, source, tuple(required), found[2], found[0], found[1])
                )
        return tuple(results)


def _words_before(text: str, start: int, openers: str) -> list[tuple[str, bool]]:
    """The words of ``text`` before ``start`` back to the last sentence opener, in order, each
    with whether it opens the sentence; elided words keep their apostrophe (``l'``)."""
    head = _fold(text[:start], lower=False, accents=False)
    cut = max(head.rfind(c) for c in openers)
    words = re.findall(r"\w+'?|&", head[cut + 1 :])
    return [(w, n == 0) for n, w in enumerate(words)]


def _is_shouted(span: str) -> bool:
    """Whether ``span`` has two or more letters, all capitals (``BANQUES CENTRALES``)."""
    letters = [c for c in span if c.isalpha()]
    return len(letters) > 1 and all(c.isupper() for c in letters)


def _capitalise(form: str) -> str:
    return form[:1].upper() + form[1:] if form[:1].islower() else form


def written_form(form: str) -> str:
    """``form`` as an MT model writes it: NFKC-normalised with single spaces, as SentencePiece's
    ``nmt_nfkc`` normaliser reads every target term (``公有云（PaaS）`` → ``公有云(PaaS)``,
    ``ＡＩ`` → ``AI``, ``…`` → ``...``). The decoder cannot write the other spelling."""
    return " ".join(unicodedata.normalize("NFKC", form).split())


def term_occurrences(text: str, form: str) -> list[tuple[int, int]]:
    """Spans where ``form`` (or its :func:`written_form`) stands in ``text`` (see
    :meth:`Glossary.verify` for the rules)."""
    spans: set[tuple[int, int]] = set()
    for spelling in dict.fromkeys((form, written_form(form))):
        if not spelling:
            continue
        flags = 0 if any(c.isupper() for c in spelling) else re.IGNORECASE
        pattern = word_pattern(spelling).replace(r"\ ", r"\s+")
        spans.update((m.start(), m.end()) for m in re.finditer(pattern, text, flags))
    return sorted(spans)


def word_pattern(form: str) -> str:
    """``form`` (not empty) as a regex that neither starts nor ends inside a word; a CJK edge
    needs no boundary."""
    pattern = re.escape(form)
    if form[0].isalnum() and not CJK.match(form[0]):
        pattern = rf"(?<![^\W{CJK_RANGES}])" + pattern
    if form[-1].isalnum() and not CJK.match(form[-1]):
        pattern += rf"(?![^\W{CJK_RANGES}])"
    return pattern


# ---------------------------------------------------------------------------------------------
# Loading, merging, linting


def _french_key(form: str, case_sensitive: bool) -> str:
    key = " ".join(_fold(form, lower=not case_sensitive, accents=False).split())
    return key.replace("-", "")


def _merge(raws: Sequence[RawGlossary]) -> list[GlossaryEntry]:
    """Merge rows: the first file (and within a file the first row) wins for each language it
    fills; a later duplicate only fills languages the winner lacks."""
    merged: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    for raw in raws:
        for row in raw.rows:
            fr = row.cells.get(SOURCE_LANG, ())
            if not fr:
                continue
            key = _french_key(fr[0], row.case_sensitive)
            if key in index:
                winner = merged[index[key]]
                for lang, forms in row.cells.items():
                    if forms and not winner["terms"].get(lang):
                        winner["terms"][lang] = forms
                continue
            index[key] = len(merged)
            merged.append(
                {
                    "id": row.entry_id,
                    "terms": {lang: forms for lang, forms in row.cells.items() if forms},
                    "note": row.note,
                    "case_sensitive": row.case_sensitive,
                    "dnt": row.dnt,
                    "source": raw.path,
                    "line": row.line,
                }
            )
    return [GlossaryEntry(**m) for m in merged]


def load_glossary(
    paths: Sequence[str | Path] | str | Path, *, accent_insensitive: bool = False
) -> Glossary:
    """Load and merge glossary files (CSV, TSV, TBX) into one :class:`Glossary`.

    Precedence: the first file given wins where two files define the same French term (and the
    first row wins within a file); later files only fill languages the winner leaves empty.

    Raises:
        GlossaryError: a file is missing or malformed (see :func:`read_glossary_file`).
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    raws = [read_glossary_file(p) for p in paths]
    return Glossary(_merge(raws), accent_insensitive=accent_insensitive)


def _overlaps(inner: str, outer: str) -> bool:
    return inner != outer and f" {inner} " in f" {outer.replace('-', ' ')} "


def _row_forms(row: RawRow, lang: str) -> tuple[str, ...]:
    return row.cells.get(lang, ()) or (row.cells[SOURCE_LANG] if row.dnt else ())


def _nested_clash(inner: RawRow, outer: RawRow) -> tuple[str, str, str] | None:
    """A language where no form of the nested term occurs in the longer term's translation.

    ``cloud`` → ``cloud`` inside ``cloud public`` → ``public cloud`` is consistent; ``plateforme
    d'échange`` → ``trading platform`` inside ``plateforme d'échange de cryptomonnaies`` →
    ``cryptocurrency exchange`` is not: the same French words get two translations.
    """
    if outer.dnt:
        return None  # a name is copied verbatim, terms inside it included
    for lang in outer.cells:
        if lang == SOURCE_LANG:
            continue
        inner_forms, outer_forms = _row_forms(inner, lang), _row_forms(outer, lang)
        if not inner_forms or not outer_forms:
            continue
        folded = [o.casefold().replace("-", " ") for o in outer_forms]
        if not any(i.casefold().replace("-", " ") in o for i in inner_forms for o in folded):
            return lang, inner_forms[0], outer_forms[0]
    return None


def lint_glossaries(
    paths: Sequence[str | Path],
    *,
    produces_unk: Callable[[str], bool] | None = None,
    unk_languages: Iterable[str] | None = None,
) -> list[LintIssue]:
    """Check glossary files for mistakes that would silently weaken enforcement.

    Errors: unknown columns, rows without a French term, the same French term with different
    targets in one file, target terms the model cannot produce (``produces_unk``). Warnings:
    duplicates, conflicts resolved by file precedence, empty target cells, one French term
    inside another whose translation the longer term's does not contain (``plateforme
    d'échange`` → trading platform inside ``plateforme d'échange de cryptomonnaies`` →
    cryptocurrency exchange), do-not-translate rows whose target differs from the name.
    Notes (``info``): consistent nested terms (``cloud`` inside ``cloud public``).

    Args:
        paths: the glossary files, in precedence order.
        produces_unk: tells whether a target term tokenizes to ``<unk>`` (from the model's
            tokenizer); omitted, that check is skipped.
        unk_languages: languages whose terms ``produces_unk`` checks (default: all targets).

    Raises:
        GlossaryError: a file is malformed (it cannot be linted at all).
    """
    issues: list[LintIssue] = []
    raws = [read_glossary_file(p) for p in paths]
    seen: dict[str, tuple[str, RawRow]] = {}
    check_langs = set(unk_languages) if unk_languages is not None else None
    for raw in raws:
        for col in raw.unknown_columns:
            issues.append(
                LintIssue(
                    "error",
                    "unknown-column",
                    f"column {col!r} is neither a known language code nor one of "
                    f"{', '.join(OPTION_COLUMNS)}; rename it (e.g. en, zh, pt-br).",
                    raw.path,
                    1,
                )
            )
        for row in raw.rows:
            fr = row.cells.get(SOURCE_LANG, ())
            if not fr:
                issues.append(
                    LintIssue(
                        "error",
                        "empty-source",
                        "row has no French term; fill the fr cell or delete the row.",
                        raw.path,
                        row.line,
                    )
                )
                continue
            for lang in raw.languages:
                if lang == SOURCE_LANG:
                    continue
                forms = row.cells.get(lang, ())
                if not forms and not row.dnt:
                    issues.append(
                        LintIssue(
                            "warning",
                            "empty-cell",
                            f"{fr[0]!r} has no {lang} term; it is not enforced in {lang}.",
                            raw.path,
                            row.line,
                        )
                    )
                if row.dnt and forms and set(forms) - set(fr):
                    issues.append(
                        LintIssue(
                            "warning",
                            "dnt-target",
                            f"do-not-translate {fr[0]!r} has a different {lang} term "
                            f"{forms[0]!r}; the name is kept verbatim, so empty the cell.",
                            raw.path,
                            row.line,
                        )
                    )
                if produces_unk and (check_langs is None or lang in check_langs):
                    for form in forms:
                        if produces_unk(form):
                            issues.append(
                                LintIssue(
                                    "error",
                                    "unk",
                                    f"{lang} term {form!r} tokenizes to <unk> with this model; "
                                    "the decoder cannot produce it: respell it.",
                                    raw.path,
                                    row.line,
                                )
                            )
            key = _french_key(fr[0], row.case_sensitive)
            if key in seen:
                first_path, first = seen[key]
                same = {k: v for k, v in first.cells.items() if v} == {
                    k: v for k, v in row.cells.items() if v
                } and (first.dnt, first.case_sensitive) == (row.dnt, row.case_sensitive)
                where = f"line {first.line}" + (
                    "" if first_path == raw.path else f" of {first_path}"
                )
                if same:
                    issues.append(
                        LintIssue(
                            "warning",
                            "duplicate",
                            f"{fr[0]!r} repeats {where}; delete one.",
                            raw.path,
                            row.line,
                        )
                    )
                elif first_path == raw.path:
                    issues.append(
                        LintIssue(
                            "error",
                            "conflict",
                            f"{fr[0]!r} is also at {where} with different targets; keep one.",
                            raw.path,
                            row.line,
                        )
                    )
                else:
                    issues.append(
                        LintIssue(
                            "warning",
                            "overridden",
                            f"{fr[0]!r} differs from {where}, which wins (first file first).",
                            raw.path,
                            row.line,
                        )
                    )
            else:
                seen[key] = (raw.path, row)
    keys = sorted(seen)
    for inner in keys:
        for outer in keys:
            if _overlaps(inner, outer):
                path, row = seen[outer]
                inner_row = seen[inner][1]
                clash = _nested_clash(inner_row, row)
                head = (
                    f"{inner_row.cells[SOURCE_LANG][0]!r} occurs inside "
                    f"{row.cells[SOURCE_LANG][0]!r}; the longer term wins where both match"
                )
                if clash:
                    lang, inner_form, outer_form = clash
                    issues.append(
                        LintIssue(
                            "warning",
                            "overlap",
                            f"{head}, but its {lang} term {inner_form!r} does not occur in "
                            f"{outer_form!r}: check that this is meant (another sense, a "
                            "compound), else make the two agree.",
                            path,
                            row.line,
                        )
                    )
                else:
                    issues.append(LintIssue("info", "overlap", f"{head}.", path, row.line))
    return issues
