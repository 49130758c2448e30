"""Segmentation rule data: the bundled French rule files, compiled into :class:`SegmentRules`.

``data/segment/fr/rules.json`` holds the structural patterns (list bullets, dialogue dashes,
byline prefixes, word limits, emoticons, emoji ranges) and ``abbreviations.txt`` the
abbreviations; a user adds abbreviation files of the same format. This module reads and checks
them and compiles the patterns once per set of files; the scanners in
:mod:`translate.segment.paragraphs` and :mod:`translate.segment.sentences` only read the result.
"""

from __future__ import annotations

import functools
import json
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from translate.errors import SegmentationError

__all__ = [
    "ABBREVIATIONS_FILE",
    "CANDIDATE",
    "DATA_DIR",
    "RULES_FILE",
    "SegmentRules",
    "load_abbreviations",
    "load_rules",
]

DATA_DIR = Path(__file__).parent.parent / "data" / "segment" / "fr"
ABBREVIATIONS_FILE = DATA_DIR / "abbreviations.txt"
RULES_FILE = DATA_DIR / "rules.json"

# A run of sentence-final punctuation, then closing quotes/brackets (» and ” may follow a space, as
# French typography puts a no-break space inside guillemets), then whitespace or the paragraph end.
# Starts only where a run of sentence punctuation starts: tried from inside a run, a match that
# cannot end there would be retried at every position of it (quadratic on a 100,000-dot leader).
CANDIDATE = re.compile(r"(?<![.!?…])([.!?…]+)((?:[^\S\n]*[»”)\]]|[’\"])*)(?=\s|\Z)")
_ENUMERATOR = r"\d{1,3}[.)]|[a-zA-Z]\)"


@dataclass(frozen=True)
class SegmentRules:
    """Compiled segmentation rules: abbreviations and the structural patterns of ``rules.json``.

    ``abbreviations`` maps an abbreviation with its final period to whether it may end a sentence
    (split only before a capitalised word) or never does.
    """

    abbreviations: Mapping[str, bool]
    bullet: re.Pattern[str]
    dialogue: re.Pattern[str]
    byline: re.Pattern[str]
    byline_max_words: int
    link_max_words: int
    title_max_words: int
    salutation_max_words: int = 6
    label_nouns: frozenset[str] = frozenset()
    #: Last words of multi-word abbreviations ("al." for "et al."), checked before single ones.
    phrase_tails: frozenset[str] = frozenset()
    #: Where a sentence may end: final punctuation, or an emoticon of ``rules.json`` (":)").
    candidate: re.Pattern[str] = CANDIDATE
    #: Finds an emoticon or emoji, so that paragraphs without one use the faster ``CANDIDATE``.
    emoticon: re.Pattern[str] | None = None
    #: A run of emoji (and the spaces between them) after final punctuation.
    emoji: re.Pattern[str] | None = None
    #: Names whose "!" belongs to the name ("Yahoo!").
    bang_names: frozenset[str] = frozenset()


def load_abbreviations(path: str | os.PathLike[str]) -> dict[str, bool]:
    """Read an abbreviation file: one abbreviation a line, optionally followed by ``final``.

    An abbreviation may span words ("et al."): it then applies only after those words.

    Raises:
        SegmentationError: the file is missing or a line is malformed (the message names it).
    """
    p = Path(path)
    try:
        lines = p.read_text(encoding="utf-8-sig").splitlines()
    except FileNotFoundError:
        raise SegmentationError(f"abbreviation file {p} not found; check the path.") from None
    except (OSError, UnicodeDecodeError) as err:
        raise SegmentationError(
            f"cannot read abbreviation file {p} ({err}); give a UTF-8 text file."
        ) from None
    table: dict[str, bool] = {}
    for n, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        final = len(parts) > 1 and parts[-1] == "final"
        words = parts[:-1] if final else parts
        if len(words) > 1 and not words[-1].endswith("."):
            raise SegmentationError(
                f"{p}:{n}: expected 'ABBREVIATION' or 'ABBREVIATION final', got {line!r}; "
                "fix or remove the line."
            )
        if not words[-1].endswith(".") or len(words[-1]) < 2:
            raise SegmentationError(
                f"{p}:{n}: abbreviation {words[-1]!r} must end with its period (e.g. 'env.'); "
                "fix the line."
            )
        table[" ".join(words)] = final
    return table


def _alternation(items: Iterable[str]) -> str:
    return "|".join(re.escape(i) for i in sorted(set(items), key=len, reverse=True))


def _load_json_rules(path: Path) -> dict[str, object]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SegmentationError(f"segmentation rules {path} not found; reinstall.") from None
    except (OSError, ValueError) as err:
        raise SegmentationError(f"segmentation rules {path} unreadable ({err}).") from None
    if not isinstance(data, dict):
        raise SegmentationError(f"segmentation rules {path} must hold a JSON object.")
    return data


@functools.lru_cache(maxsize=16)
def _cached_rules(extra: tuple[tuple[str, int], ...]) -> SegmentRules:
    data = _load_json_rules(RULES_FILE)
    try:
        bullets = [str(b) for b in data["list_bullets"]]  # type: ignore[attr-defined]
        dashes = [str(d) for d in data["dialogue_dashes"]]  # type: ignore[attr-defined]
        prefixes = [str(b) for b in data["byline_prefixes"]]  # type: ignore[attr-defined]
        labels = frozenset(str(w).lower() for w in data.get("label_nouns", []))  # type: ignore[attr-defined]
        emoticons = [str(e) for e in data.get("emoticons", [])]  # type: ignore[attr-defined]
        emoji = "".join(_char_range(str(r)) for r in data.get("emoji", []))  # type: ignore[attr-defined]
        bang_names = frozenset(str(n) for n in data.get("bang_names", []))  # type: ignore[attr-defined]
        limits = [
            int(data[k])  # type: ignore[call-overload]
            for k in ("byline_max_words", "link_max_words", "title_max_words")
        ]
    except (KeyError, TypeError, ValueError) as err:
        raise SegmentationError(f"segmentation rules {RULES_FILE}: bad or missing {err}.") from None
    abbreviations = load_abbreviations(ABBREVIATIONS_FILE)
    for path, _mtime in extra:
        abbreviations.update(load_abbreviations(path))
    return SegmentRules(
        abbreviations=abbreviations,
        bullet=re.compile(rf"(?:{_alternation(bullets)}|{_ENUMERATOR})[^\S\n]+(?=\S)"),
        dialogue=re.compile(rf"(?:{_alternation(dashes)})"),
        byline=re.compile(
            rf"(?:{_alternation(prefixes)})(?:[^\S\n]*[:：][^\S\n]*(?=\S)|[^\S\n]+(?=[A-ZÀ-ÖØ-Þ]))"
        ),
        byline_max_words=limits[0],
        link_max_words=limits[1],
        title_max_words=limits[2],
        salutation_max_words=int(data.get("salutation_max_words", 6)),  # type: ignore[call-overload, attr-defined]
        label_nouns=labels,
        phrase_tails=frozenset(a.rsplit(" ", 1)[1] for a in abbreviations if " " in a),
        candidate=re.compile(_candidates(emoticons, emoji)),
        emoticon=re.compile(
            "|".join(
                ([rf"\s(?:{_alternation(emoticons)})(?=\s|\Z)"] if emoticons else [])
                + ([f"[{emoji}]"] if emoji else [])
            )
        )
        if emoticons or emoji
        else None,
        emoji=re.compile(rf"[{emoji}]+(?:[^\S\n]*[{emoji}]+)*") if emoji else None,
        bang_names=bang_names,
    )


def _char_range(spec: str) -> str:
    """``"1F300-1FAFF"`` → a regex character-class range (``"FE0F"`` → one character)."""
    try:
        bounds = [chr(int(part, 16)) for part in spec.split("-")]
    except ValueError:
        raise SegmentationError(
            f"segmentation rules {RULES_FILE}: bad emoji range {spec!r}."
        ) from None
    return "-".join(re.escape(b) for b in bounds)


def _candidates(emoticons: list[str], emoji: str) -> str:
    """The candidate-boundary pattern: final punctuation (also right before an emoji), or an
    emoticon after a space."""
    pattern = CANDIDATE.pattern
    if emoji:
        pattern = pattern.replace(r"(?=\s|\Z)", rf"(?=\s|\Z|[{emoji}])")
    if emoticons:
        pattern += rf"|(?<=\s)({_alternation(emoticons)})(?=\s|\Z)"
    return pattern


def load_rules(abbreviations: Iterable[str | os.PathLike[str]] = ()) -> SegmentRules:
    """The bundled French rules, plus extra abbreviation files (later files win).

    Compiled rules are cached per set of files (and their modification times).
    """
    extra = []
    for path in abbreviations:
        p = Path(path)
        try:
            mtime = p.stat().st_mtime_ns
        except OSError:
            raise SegmentationError(f"abbreviation file {p} not found; check the path.") from None
        extra.append((str(p), mtime))
    return _cached_rules(tuple(extra))
