"""French normalisation and inflection: length-keeping folding, regular plurals, plural mixes."""

from __future__ import annotations

import itertools
import json
import unicodedata
from functools import cache
from typing import Any

from translate._io import read_data

__all__ = ["fold", "french_plurals", "is_acronym", "plural_mixes", "plural_rules"]

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


@cache
def plural_rules() -> dict[str, Any]:
    return dict(json.loads(read_data("glossary/french_plural.json")))


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


def fold(text: str, *, lower: bool, accents: bool) -> str:
    """Fold ``text`` character by character, so offsets into the result are offsets into ``text``."""
    return "".join(_fold_char(c, lower=lower, accents=accents) for c in text)


def _pluralise_word(word: str) -> str:
    rules = plural_rules()
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


def is_acronym(form: str) -> bool:
    """One word in capitals (NFT, GPU): French keeps it invariable, but copy often adds an -s."""
    return len(form) > 1 and form.isupper() and form.isalnum()


def _pluralise_token(token: str) -> str:
    """Pluralise a word; in a hyphenated compound only its last part (crypto-monnaies)."""
    head, sep, last = token.rpartition("-")
    return head + sep + _pluralise_word(last)


def french_plurals(form: str) -> tuple[str, ...]:
    """Regular plurals of a French term: every word before the first stop word, or the head only."""
    words = form.split(" ")
    stops = set(plural_rules()["stop_words"])
    stop_at = next(
        (i for i, w in enumerate(words) if i > 0 and (w.lower() in stops or "'" in w)), len(words)
    )
    every = [_pluralise_token(w) if i < stop_at else w for i, w in enumerate(words)]
    head = [_pluralise_token(words[0]), *words[1:]]
    found = dict.fromkeys((" ".join(every), " ".join(head), *plural_mixes(form, " ".join(every))))
    found.pop(form, None)
    return tuple(found) or (form,)


def plural_mixes(singular: str, plural: str) -> list[str]:
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
