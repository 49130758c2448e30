"""The glossary matcher: every French term of a text, and what a translation must then contain.

Pure Python, no model: matching builds a character trie of every French surface form (singular,
regular plural, listed variants; hyphen/space/solid spellings) and walks it from each word start,
keeping the longest match. The same records then say what the decoder must produce
(:meth:`Glossary.constraints_for`) and whether a translation did (:meth:`Glossary.verify`).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from translate._io import read_data
from translate.errors import GlossaryError
from translate.glossary.french import fold, french_plurals, is_acronym, plural_mixes, plural_rules
from translate.glossary.io import SOURCE_LANG, data_lines
from translate.spans import SpanFinder, default_trim, span_patterns
from translate.terms import verify
from translate.units import TermConstraint, TermMatch, TermResult

__all__ = ["Glossary", "GlossaryEntry"]

_HYPHEN = "\x01"  # trie symbol: a hyphen, a run of spaces, or nothing (crypto-monnaie/ crypto monnaie/ cryptomonnaie)
_SPACE = "\x02"  # trie symbol: a run of spaces


@cache
def _verbatim_rules() -> tuple[SpanFinder, frozenset[str], str]:
    """Spans never searched for terms, name particles and sentence openers (``verbatim.json``)."""
    data = json.loads(read_data("glossary/verbatim.json"))
    origin = "translate/data/glossary/verbatim.json"
    spans = SpanFinder(span_patterns(data["spans"], origin=origin), default_trim(), origin=origin)
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


def _trie_key(form: str, *, lower: bool, accents: bool) -> str:
    folded = fold(" ".join(form.split()), lower=lower, accents=accents)
    return folded.replace("-", _HYPHEN).replace(" ", _SPACE)


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
        self._elisions = frozenset(data_lines("elisions.txt"))
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
                surfaces.extend((m, True) for m in plural_mixes(forms[0], forms[1]))
        for alt in forms[2:]:
            surfaces.append((alt, False))
        if not entry.dnt:
            regular = [forms[0]] if len(forms) == 1 else []
            suffix = str(plural_rules().get("acronym_plural", ""))
            for base in regular + list(forms[2:]):
                surfaces.extend((p, True) for p in french_plurals(base) if p != base)
                if suffix and is_acronym(base):
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
            False: fold(text, lower=True, accents=self.accent_insensitive),
            True: fold(text, lower=False, accents=self.accent_insensitive),
        }
        firsts = {cs: set(self._tries[cs].root) for cs in (False, True)}
        verbatim = [(start, end) for start, end, _ in _verbatim_rules()[0].find(text)]
        verbatim += [m.span() for rx in _everyday_phrases() for m in rx.finditer(text)]
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
            out.append(TermConstraint(entry.headword, targets=targets, dnt=entry.dnt, match=m))
        return out

    def verify(
        self,
        target: str,
        constraints: Sequence[TermConstraint],
        matches: Sequence[TermMatch],
        lang: str,
    ) -> tuple[TermResult, ...]:
        """Whether each required term appears in ``target`` (exact match, as in WMT 2021).

        ``matches[i]`` is the source match of ``constraints[i]`` (its text is reported as the
        term's source). The rules are :func:`translate.terms.verify`'s, which protected spans
        share: a form with a capital letter (acronym, name) must appear exactly, a lower-case
        form in any case; a Latin/Cyrillic form must stand as a whole word, a CJK form may
        appear anywhere; two constraints sharing a form need two separate occurrences.
        Constraints without forms in ``lang`` are not required and not reported.
        """
        paired = [
            replace(c, match=matches[i]) if i < len(matches) else c
            for i, c in enumerate(constraints)
        ]
        return verify(target, paired, lang)


def _words_before(text: str, start: int, openers: str) -> list[tuple[str, bool]]:
    """The words of ``text`` before ``start`` back to the last sentence opener, in order, each
    with whether it opens the sentence; elided words keep their apostrophe (``l'``)."""
    head = fold(text[:start], lower=False, accents=False)
    cut = max(head.rfind(c) for c in openers)
    words = re.findall(r"\w+'?|&", head[cut + 1 :])
    return [(w, n == 0) for n, w in enumerate(words)]


def _is_shouted(span: str) -> bool:
    """Whether ``span`` has two or more letters, all capitals (``BANQUES CENTRALES``)."""
    letters = [c for c in span if c.isalpha()]
    return len(letters) > 1 and all(c.isupper() for c in letters)


def _capitalise(form: str) -> str:
    return form[:1].upper() + form[1:] if form[:1].islower() else form
