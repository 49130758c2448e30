"""French-aware segmentation into paragraphs and sentences with exact character offsets.

A document is split in two passes. First its structure: blank lines and hard line breaks make
paragraphs, and each paragraph is classified as a list item, byline, link line, title or prose.
Then the sentences inside each prose or list paragraph, with French rules: abbreviations (from
data files a user can extend), initials, ellipses, guillemets, spaced ``? ! : ;``, decimal
commas, URLs and domains. Every segment is an exact slice of the source, without surrounding
whitespace, so :meth:`translate.units.Document.rebuild` returns the input unchanged.

Line breaks: a blank line always ends a paragraph. A single line break also ends one, unless it
is a soft wrap: the next line does not start with a list bullet or dialogue dash, and either the
line before ends with an abbreviation or initial that never ends a sentence ("M.", "J.-P."), or
it does not end with ``. ! ? …`` and the next line starts with a lowercase letter (or the line
before ends with an opening quote/bracket, or with ``;`` and the next line does not start with a
capital, or with ``,`` unless a capital follows a short line: "Madame, Monsieur,\nNous…"). A sentence joined across a soft wrap keeps
the ``\\n`` inside its text. Most files with one paragraph per line thus keep their lines.
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
from translate.spans import span_patterns, token_pattern
from translate.units import Document, Segment

__all__ = [
    "DATA_DIR",
    "KINDS",
    "SegmentRules",
    "classify_block",
    "load_abbreviations",
    "load_rules",
    "segment",
    "segment_file",
]

DATA_DIR = Path(__file__).parent / "data" / "segment" / "fr"
ABBREVIATIONS_FILE = DATA_DIR / "abbreviations.txt"
RULES_FILE = DATA_DIR / "rules.json"

#: The values of :attr:`Segment.kind` this segmenter produces.
KINDS = ("title", "byline", "link", "list", "sentence")

_TERMINAL = ".!?…"
# A run of sentence-final punctuation, then closing quotes/brackets (» and ” may follow a space, as
# French typography puts a no-break space inside guillemets), then whitespace or the paragraph end.
# Starts only where a run of sentence punctuation starts: tried from inside a run, a match that
# cannot end there would be retried at every position of it (quadratic on a 100,000-dot leader).
_CANDIDATE = re.compile(r"(?<![.!?…])([.!?…]+)((?:[^\S\n]*[»”)\]]|[’\"])*)(?=\s|\Z)")
_SPACES = re.compile(r"\s*")
_OPENERS = '«“"‘([{'
_LINE = re.compile(r"[^\n]+")
#: The spans that make a short paragraph a ``link`` (names of ``spans.json`` patterns).
_LINKS = ("url", "email", "handle")
# Initials of a first name ("J.-P.", "J.P."); a single initial ("E.") is checked directly. Three
# or more dotted capitals are an acronym ("O.N.U.") and may end a sentence.
_NAME_INITIALS = re.compile(r"[A-ZÀ-ÖØ-Þ]\.-?[A-ZÀ-ÖØ-Þ]\.")
# Dotted initialisms and short dotted words: "LL.AA.II.RR.", "Ph.D.", "JD.com.", "p.ex.".
_DOTTED = re.compile(r"(?:[^\W\d_]{1,3}\.-?)+[^\W\d_]{1,3}\.")
_ELISION = re.compile(r"(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|quoiqu)['’]", re.IGNORECASE)
_ENUMERATOR = r"\d{1,3}[.)]|[a-zA-Z]\)"
# The number of a legal article heading, as in "Art. 1er. – Le présent arrêté…", "Article 12 bis. —".
_ARTICLE_NUMBER = re.compile(r"\d+(?:er|re|e)?|bis|ter|quater|quinquies|sexies|[IVXLC]+")

# Classes of the token that follows a candidate boundary.
_UPPER, _LOWER, _DIGIT, _OTHER = range(4)


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
    candidate: re.Pattern[str] = _CANDIDATE
    #: Finds an emoticon or emoji, so that paragraphs without one use the faster ``_CANDIDATE``.
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
    pattern = _CANDIDATE.pattern
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


def segment(
    text: str,
    *,
    abbreviations: Iterable[str | os.PathLike[str]] = (),
    rules: SegmentRules | None = None,
) -> Document:
    """Split decoded text into paragraphs and sentences; ``Document.rebuild`` restores it exactly.

    Args:
        text: the decoded document (see :func:`translate._io.decode_text`).
        abbreviations: extra abbreviation files, in the format of the bundled
            ``data/segment/fr/abbreviations.txt``.
        rules: precompiled rules (from :func:`load_rules`); overrides ``abbreviations``.

    Returns:
        A :class:`Document` whose segments have ids ``p<paragraph>.s<n>`` and a ``kind`` among
        :data:`KINDS`.

    Raises:
        SegmentationError: an abbreviation file is missing or malformed.
    """
    rules = rules or load_rules(abbreviations)
    segments: list[Segment] = []
    for number, (start, end, is_list) in enumerate(_paragraphs(text, rules), 1):
        spans, kind = _classify(text, start, end, is_list, rules)
        for n, (s, e) in enumerate(spans, 1):
            segments.append(Segment(f"p{number}.s{n}", number, text[s:e], s, e, kind))
    return Document(text, tuple(segments))


def segment_file(
    path: str | os.PathLike[str],
    *,
    encoding: str | None = None,
    abbreviations: Iterable[str | os.PathLike[str]] = (),
) -> Document:
    """Read a document (UTF-8 with optional BOM unless ``encoding``) and segment it.

    Raises:
        InputError: the file is missing, a directory, empty, binary or badly encoded.
        SegmentationError: an abbreviation file is missing or malformed.
    """
    from translate._io import read_document

    return segment(read_document(path, encoding=encoding), abbreviations=abbreviations)


def _paragraphs(text: str, rules: SegmentRules) -> list[tuple[int, int, bool]]:
    """Paragraph spans ``(start, end, is_list_item)`` without surrounding whitespace or bullets."""
    paras: list[list[int]] = []  # [start, end, is_list]
    prev_end = -1  # end of the previous non-blank line, -1 after a blank line
    line_end = -1
    for m in _LINE.finditer(text):
        if m.start() > line_end + 1:  # an empty line in between
            prev_end = -1
        line_end = m.end()
        line = m.group()
        lead = len(line) - len(line.lstrip())
        if lead == len(line):
            prev_end = -1
            continue
        start = m.start() + lead
        end = m.start() + len(line.rstrip())
        bullet = rules.bullet.match(text, start, end)
        is_list = bullet is not None
        if is_list:
            start = bullet.end()  # type: ignore[union-attr]
        if prev_end >= 0 and not is_list and _soft_break(text, prev_end, start, rules):
            paras[-1][1] = end
        else:
            paras.append([start, end, is_list])
        prev_end = end
    return [(s, e, bool(li)) for s, e, li in paras]


def _soft_break(text: str, prev_end: int, start: int, rules: SegmentRules) -> bool:
    last, first = text[prev_end - 1], text[start]
    if rules.dialogue.match(text, start):
        return False
    if last == ".":
        # A wrap right after "M." or "J.-P." cannot be a paragraph end.
        return _never_ends(_token_before(text, prev_end - 1, prev_end - 64), rules)
    if last in _TERMINAL:
        return False
    if first.islower() or last in "«“‘([":
        return True
    if last == ";":  # "Vu la loi… ;\nVu le décret… ;": a capital after ";" starts an item
        return not first.isupper()
    if last == ",":  # "Madame, Monsieur,\nNous…": a short line is a salutation, not a full wrap
        if not first.isupper():
            return True
        line_start = text.rfind("\n", 0, prev_end) + 1
        return len(text[line_start:prev_end].split()) > rules.salutation_max_words
    return False


def _lowered(abbr: str) -> str:
    """The sentence-initial form's list entry: "Cf." is looked up as "cf."."""
    return abbr[0].lower() + abbr[1:]


def _never_ends(token: str, rules: SegmentRules) -> bool:
    """Whether ``token`` + "." is an abbreviation or initial after which no sentence ends."""
    if not token:
        return False
    abbr = token + "."
    may_end = rules.abbreviations.get(abbr)
    if may_end is None:
        may_end = rules.abbreviations.get(_lowered(abbr))
    if may_end is not None:
        return not may_end
    return (len(token) == 1 and token.isupper()) or bool(_NAME_INITIALS.fullmatch(abbr))


def classify_block(
    text: str, start: int, end: int, is_list: bool, rules: SegmentRules
) -> tuple[list[tuple[int, int]], str]:
    """Sentence spans and kind of ``text[start:end]``, one paragraph whose bounds a reader found
    (a Markdown or HTML block): line breaks inside it never end it."""
    return _classify(text, start, end, is_list, rules)


def _classify(
    text: str, start: int, end: int, is_list: bool, rules: SegmentRules
) -> tuple[list[tuple[int, int]], str]:
    """The segment spans of one paragraph and their kind."""
    if is_list:
        return _sentences(text, start, end, rules), "list"
    byline = rules.byline.match(text, start, end)
    # "Rédaction : Leek" may end with a period; "Par Jean Dupont" must not (it would be a sentence).
    if (
        byline
        and len(text[start:end].split()) <= rules.byline_max_words
        and (text[end - 1] not in _TERMINAL or ":" in byline.group() or "：" in byline.group())
    ):
        return [(start, end)], "byline"
    spans = _sentences(text, start, end, rules)
    if len(spans) == 1 and _may_hold_url(text, start, end) and _links().search(text, start, end):
        # A short line around a URL ("Partager sur X : https://..."), not two short sentences
        # that mention an address; separators such as ":", "&" and "·" are not words.
        rest = [
            w for w in _links().sub(" ", text[start:end]).split() if any(c.isalnum() for c in w)
        ]
        if len(rest) <= rules.link_max_words:
            return spans, "link"
    if len(spans) == 1:
        body = text[start:end].rstrip('»”’")] \u00a0\u202f')
        if (
            body
            and body[-1] not in _TERMINAL + ":;,"
            and not rules.dialogue.match(text, start)
            and len(text[start:end].split()) <= rules.title_max_words
        ):
            return spans, "title"
    return spans, "sentence"


@functools.cache
def _links() -> re.Pattern[str]:
    """URLs, e-mail addresses and @handles (``spans.json``), in any case (``WWW.``)."""
    return re.compile("|".join(map(token_pattern, span_patterns(_LINKS).values())), re.IGNORECASE)


def _may_hold_url(text: str, start: int, end: int) -> bool:
    """A cheap pre-check (C-speed substring search) before the URL regex scans a paragraph."""
    return any(text.find(mark, start, end) >= 0 for mark in ("@", "://", "www.", "WWW."))


def _next_class(text: str, q: int, end: int) -> int:
    """What the token at ``q`` looks like: a sentence start (capital), lowercase, digit or other."""
    c = text[q]
    if c in _OPENERS:
        q = _SPACES.match(text, q + 1, end).end()  # type: ignore[union-attr]
        while q < end and text[q] in _OPENERS:
            q = _SPACES.match(text, q + 1, end).end()  # type: ignore[union-attr]
        if q >= end:
            return _OTHER
        c = text[q]
    if c.isalpha():
        return _LOWER if c.islower() else _UPPER
    if c.isdigit():
        return _DIGIT
    if c in "—–―-@#$€£¿¡":
        return _UPPER
    return _OTHER


def _token_before(text: str, pos: int, lo: int) -> str:
    i = pos
    floor = max(0, lo, pos - 64)
    while i > floor and not text[i - 1].isspace():
        i -= 1
    token = text[i:pos].lstrip(_OPENERS)
    # An elided article or pronoun is not part of the word: "l'art. 3", "d'env. 20 km".
    elision = _ELISION.match(token)
    return token[elision.end() :] if elision and elision.end() < len(token) else token


def _word_before(text: str, pos: int, lo: int) -> str:
    """The word ending before the space(s) that precede ``pos``, not reaching before ``lo``."""
    end = pos
    while end > lo and text[end - 1].isspace():
        end -= 1
    return _token_before(text, end, lo)


def _is_label(text: str, sent_start: int, cs: int, token: str, rules: SegmentRules) -> bool:
    """Whether a single capital is a label after a noun such as "plan" or "annexe"."""
    if len(token) != 1 or not token.isupper() or not rules.label_nouns:
        return False
    words = text[max(sent_start, cs - 40) : cs - len(token)].split()
    if not words:
        return False
    word = words[-1].lstrip(_OPENERS)
    elision = _ELISION.match(word)
    if elision:
        word = word[elision.end() :]
    return word.lower() in rules.label_nouns


def _bracket_balance(text: str, start: int, end: int) -> int:
    return (
        text.count("(", start, end)
        + text.count("[", start, end)
        - text.count(")", start, end)
        - text.count("]", start, end)
    )


def _is_boundary(
    text: str,
    sent_start: int,
    cs: int,
    punct: str,
    closers: str,
    nxt: int,
    depth: int,
    rules: SegmentRules,
) -> bool:
    """Whether ``punct`` at ``cs`` (then ``closers``) ends the sentence begun at ``sent_start``.

    ``depth`` is the number of brackets opened since ``sent_start`` and still open at ``cs``.
    """
    if depth > 0:
        # Inside brackets: only a parenthesised sentence closing here may end ("(Il part.) Le…").
        closed = closers.count(")") + closers.count("]")
        if not (closed >= depth and text[sent_start] in "([" and text[cs - 1] not in "(["):
            return False
    if punct == "!" and _token_before(text, cs, sent_start) + "!" in rules.bang_names:
        return False  # "Yahoo! Finance a publié…": the "!" belongs to the name
    if "?" in punct or "!" in punct:
        return nxt in (_UPPER, _DIGIT)
    if len(punct) > 1 or "…" in punct:  # ellipsis: a pause when lowercase follows
        return nxt == _UPPER
    token = _token_before(text, cs, sent_start)
    if not token:
        return nxt in (_UPPER, _DIGIT)
    abbr = token + "."
    if abbr in rules.phrase_tails:
        phrase = rules.abbreviations.get(
            f"{_word_before(text, cs - len(token), sent_start)} {abbr}"
        )
        if phrase is not None:
            return phrase and nxt == _UPPER  # "Dupont et al. Ils…" but never "p. ex. la"
    if (
        text[_SPACES.match(text, cs + 1).end()] in "–—"  # type: ignore[union-attr]
        and _ARTICLE_NUMBER.fullmatch(token)
        and len(text[sent_start:cs].split()) <= 3
    ):
        return False  # "Art. 2. – Le directeur…": the period belongs to the heading
    if _is_label(text, sent_start, cs, token, rules):
        return nxt == _UPPER  # "le plan B. Il…", "l'annexe A. Elle…"
    if _never_ends(token, rules):
        return False  # "M. Dupont", "p. 12", "E. Macron", "J.-P. Dupont"
    if abbr in rules.abbreviations or _lowered(abbr) in rules.abbreviations:
        return nxt == _UPPER  # "etc.", "J.-C.", "Inc.": a capital starts the next sentence
    if _DOTTED.fullmatch(abbr):
        return nxt == _UPPER
    if nxt == _LOWER:
        if any(q in closers for q in '»”"’'):
            return False  # « Je pars. » a-t-il dit: an incise continues the sentence
        # A period before a lowercase word ends the sentence, unless the token before it looks
        # like an abbreviation missing from the list (short lowercase word) or an enumerator.
        return not (token.isdigit() or (len(token) <= 3 and token.isalpha() and token.islower()))
    return nxt in (_UPPER, _DIGIT)


def _sentences(text: str, start: int, end: int, rules: SegmentRules) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    sent_start = start
    # Bracket depth since sent_start, kept incrementally so long sentences stay linear.
    depth, counted = 0, start
    emoticon = rules.emoticon and rules.emoticon.search(text, start, end)
    for m in (rules.candidate if emoticon else _CANDIDATE).finditer(text, start, end):
        ce = m.end()
        q = _SPACES.match(text, ce, end).end()  # type: ignore[union-attr]
        if q >= end:
            break
        nxt = _next_class(text, q, end)
        run = rules.emoji.match(text, q, end) if rules.emoji and m.group(1) else None
        if run:  # "Incroyable ! 🚀 Le…": the emoji close the sentence; what follows decides
            ce = run.end()
            q = _SPACES.match(text, ce, end).end()  # type: ignore[union-attr]
            if q >= end:
                break
            nxt = _next_class(text, q, end)
        if nxt == _OTHER:
            continue
        cs = m.start()
        if m.group(1) is None:  # an emoticon: "Super soirée :) On remet ça ?"
            if nxt == _UPPER:
                spans.append((sent_start, ce))
                sent_start = q
                depth, counted = 0, q
            else:  # ":(" opens nothing; ":)" may close a "(" ("(merci :) pour tout")
                depth += _bracket_balance(text, counted, cs)
                depth -= depth > 0 and ")" in m.group(3)
                counted = ce
            continue
        depth += _bracket_balance(text, counted, cs)
        counted = cs
        if _is_boundary(text, sent_start, cs, m.group(1), m.group(2), nxt, depth, rules):
            spans.append((sent_start, ce))
            sent_start = q
            depth, counted = 0, q
    spans.append((sent_start, end))
    return spans
