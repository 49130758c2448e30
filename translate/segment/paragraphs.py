"""The structure pass: a document's paragraphs and the kind of each (list, byline, link, title).

Blank lines and hard line breaks make paragraphs, unless a line break is a soft wrap (see
:mod:`translate.segment`); each paragraph is then classified and split into sentences by
:mod:`translate.segment.sentences`.
"""

from __future__ import annotations

import functools
import re

from translate.segment.rules import SegmentRules
from translate.segment.sentences import never_ends, split_sentences, token_before
from translate.spans import span_patterns, token_pattern

__all__ = ["KINDS", "classify_block", "split_paragraphs"]

#: The values of :attr:`Segment.kind` this segmenter produces.
KINDS = ("title", "byline", "link", "list", "sentence")

_TERMINAL = ".!?…"
_LINE = re.compile(r"[^\n]+")
#: The spans that make a short paragraph a ``link`` (names of ``spans.json`` patterns).
_LINKS = ("url", "email", "handle")


def split_paragraphs(text: str, rules: SegmentRules) -> list[tuple[int, int, bool]]:
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
        return never_ends(token_before(text, prev_end - 1, prev_end - 64), rules)
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


def classify_block(
    text: str, start: int, end: int, is_list: bool, rules: SegmentRules
) -> tuple[list[tuple[int, int]], str]:
    """Sentence spans and kind of ``text[start:end]``, one paragraph (found by
    :func:`split_paragraphs`, or a Markdown or HTML block a reader found): line breaks inside it
    never end it."""
    if is_list:
        return split_sentences(text, start, end, rules), "list"
    byline = rules.byline.match(text, start, end)
    # "Rédaction : Leek" may end with a period; "Par Jean Dupont" must not (it would be a sentence).
    if (
        byline
        and len(text[start:end].split()) <= rules.byline_max_words
        and (text[end - 1] not in _TERMINAL or ":" in byline.group() or "：" in byline.group())
    ):
        return [(start, end)], "byline"
    spans = split_sentences(text, start, end, rules)
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
