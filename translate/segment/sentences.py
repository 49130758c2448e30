"""Sentence boundaries inside one paragraph, with French rules.

A candidate boundary is a run of final punctuation (or an emoticon of ``rules.json``) followed by
space; it is kept when what follows and what precedes say so: abbreviations that may or never end
a sentence, initials ("J.-P."), labels ("le plan B."), ellipses, guillemets and incises, spaced
``? !``, brackets still open, legal article headings ("Art. 2. –"). One left-to-right scan, with
the bracket depth kept incrementally, so a paragraph is split in linear time.
"""

from __future__ import annotations

import re

from translate.segment.rules import CANDIDATE, SegmentRules

__all__ = ["never_ends", "split_sentences", "token_before"]

_SPACES = re.compile(r"\s*")
_OPENERS = '«“"‘([{'
# Initials of a first name ("J.-P.", "J.P."); a single initial ("E.") is checked directly. Three
# or more dotted capitals are an acronym ("O.N.U.") and may end a sentence.
_NAME_INITIALS = re.compile(r"[A-ZÀ-ÖØ-Þ]\.-?[A-ZÀ-ÖØ-Þ]\.")
# Dotted initialisms and short dotted words: "LL.AA.II.RR.", "Ph.D.", "JD.com.", "p.ex.".
_DOTTED = re.compile(r"(?:[^\W\d_]{1,3}\.-?)+[^\W\d_]{1,3}\.")
_ELISION = re.compile(r"(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu|quoiqu)['’]", re.IGNORECASE)
# The number of a legal article heading, as in "Art. 1er. – Le présent arrêté…", "Article 12 bis. —".
_ARTICLE_NUMBER = re.compile(r"\d+(?:er|re|e)?|bis|ter|quater|quinquies|sexies|[IVXLC]+")

# Classes of the token that follows a candidate boundary.
_UPPER, _LOWER, _DIGIT, _OTHER = range(4)


def _lowered(abbr: str) -> str:
    """The sentence-initial form's list entry: "Cf." is looked up as "cf."."""
    return abbr[0].lower() + abbr[1:]


def never_ends(token: str, rules: SegmentRules) -> bool:
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


def token_before(text: str, pos: int, lo: int) -> str:
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
    return token_before(text, end, lo)


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
    if punct == "!" and token_before(text, cs, sent_start) + "!" in rules.bang_names:
        return False  # "Yahoo! Finance a publié…": the "!" belongs to the name
    if "?" in punct or "!" in punct:
        return nxt in (_UPPER, _DIGIT)
    if len(punct) > 1 or "…" in punct:  # ellipsis: a pause when lowercase follows
        return nxt == _UPPER
    token = token_before(text, cs, sent_start)
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
    if never_ends(token, rules):
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


def split_sentences(text: str, start: int, end: int, rules: SegmentRules) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    sent_start = start
    # Bracket depth since sent_start, kept incrementally so long sentences stay linear.
    depth, counted = 0, start
    emoticon = rules.emoticon and rules.emoticon.search(text, start, end)
    for m in (rules.candidate if emoticon else CANDIDATE).finditer(text, start, end):
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
