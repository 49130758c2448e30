"""Inline markup as placeholders: what the engine sees, what it must give back, how it comes back.

A sentence ``Les <b>bourses</b> de <a href="…">Binance</a>`` goes to the engine as
``Les [1]bourses[/1] de [2]Binance[/2]``: a pair (:class:`~translate.units.InlineTag` of kind
``pc``) becomes ``[N]`` … ``[/N]``, a standalone element (``ph``: inline code, an image, a line
break) becomes ``[N/]``. Brackets, a slash and digits are in every MarianMT vocabulary, so each
form can be spelled by the decoder. Every form is a do-not-translate
:class:`~translate.units.TermConstraint` (:func:`constraints_for`), the same kind as a protected
URL, with order rules: written once, ``[/N]`` closing ``[N]``. The constrained decoder writes
each, on every leg of a pivot, once each and well nested (siblings in any order; see
:mod:`translate.engine.order`); an engine that checks then repairs required forms keeps only
hypotheses that hold them so, else hands the segment to that decoder. Numbering skips forms the
sentence already contains.

:func:`restore` reads the engine's output back. Each placeholder must appear once, opens before
closes, well nested. The decoder guarantees that of the forms it sees as tokens; ``restore``
reads the text, so it still catches what it does not see (a placeholder written with spaces
inside, ``[ 1 ]``), a pair written empty, and the output of engines without the guarantee. What
is not once each and well nested (a pair lost, half lost, duplicated or crossing another, or
empty) falls back to a fixed rule, reported per segment in ``SegmentMarkup.issues``:

* a duplicated placeholder keeps its first occurrence;
* a pair that is lost, half lost, reversed, crossing or empty (nothing but spaces between its
  two placeholders) is put around the whole sentence
  (outermost, in source order), so its text and attributes (a link's URL) are never dropped;
* a lost standalone element is appended at the end of the sentence.

Whitespace just inside a pair moves outside it (``[1] mot [/1]`` → `` [1]mot[/1] ``): Markdown
emphasis does not allow it there, and HTML renders it the same.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from translate.units import InlineTag, SegmentMarkup, SegmentResult, TermConstraint, TermMatch

__all__ = [
    "ENTRY_PREFIX",
    "Restored",
    "constraints_for",
    "form",
    "matching_source",
    "matching_text",
    "number_tags",
    "pieces",
    "render",
    "restore",
    "spans_for",
]

#: ``TermMatch.entry_id`` of a placeholder: this prefix and the tag's name.
ENTRY_PREFIX = "markup:"
# A placeholder as a model may write it back, spaces inside allowed: [1] [/1] [1/] [ / 1 ].
_ANY = re.compile(r"\[\s*(/?)\s*(\d{1,4})\s*(/?)\s*\]")


def form(tag_id: int, role: str) -> str:
    """The placeholder of tag ``tag_id`` in role ``open``, ``close`` or ``ph``."""
    if role == "open":
        return f"[{tag_id}]"
    if role == "close":
        return f"[/{tag_id}]"
    return f"[{tag_id}/]"


def number_tags(count: int, plain: str) -> int:
    """The first id for ``count`` tags such that no placeholder form occurs in ``plain`` (a
    sentence that cites ``[1]`` gets its tags numbered from 2, or further)."""
    taken = sorted({int(m.group(2)) for m in _ANY.finditer(plain)})
    first = 1
    for n in taken:  # the first gap of ``count`` free numbers
        if n >= first + count:
            break
        if n >= first:
            first = n + 1
    return first


def _events(text: str, ids: set[int]) -> list[tuple[int, int, int, str]]:
    """``(start, end, id, role)`` of each placeholder of ``ids`` in ``text``, in order."""
    out = []
    for m in _ANY.finditer(text):
        tag_id = int(m.group(2))
        if tag_id not in ids or (m.group(1) and m.group(3)):
            continue
        role = "close" if m.group(1) else "ph" if m.group(3) else "open"
        out.append((m.start(), m.end(), tag_id, role))
    return out


#: Stands for a standalone element in :func:`matching_text`: no term or protected span runs
#: through it, and none is found inside it.
OBJECT = "\ufffc"


def matching_text(markup: SegmentMarkup) -> str:
    """The segment as glossary matching and span protection read it: pairs removed (a term may
    run across ``<b>bourse</b> de``), each standalone element one U+FFFC (inline code is never
    matched, nothing matches across it)."""
    out: list[str] = []
    pos = 0
    for start, end, _, role in _events(markup.source, {t.id for t in markup.tags}):
        out.append(markup.source[pos:start])
        if role == "ph":
            out.append(OBJECT)
        pos = end
    out.append(markup.source[pos:])
    return "".join(out)


def matching_source(segment: SegmentResult) -> str:
    """What glossary matching reads of a translated segment: :func:`matching_text` for one
    with markup, else its source (so every stage that re-matches terms agrees with the decoder)."""
    return segment.source if segment.markup is None else matching_text(segment.markup)


def spans_for(markup: SegmentMarkup) -> list[TermMatch]:
    """The placeholders of a segment's engine text as do-not-translate spans, in text order."""
    names = {t.id: t.name for t in markup.tags}
    return [
        TermMatch(a, b, markup.source[a:b], markup.source[a:b], ENTRY_PREFIX + names[i], dnt=True)
        for a, b, i, _ in _events(markup.source, set(names))
    ]


def constraints_for(markup: SegmentMarkup) -> list[TermConstraint]:
    """One verbatim constraint per placeholder: the decoder must write each, in every language,
    once (``once``), and a pair's ``[/N]`` closes its ``[N]`` (``closes``), so pairs nest."""
    tags = {t.id for t in markup.tags}
    return [
        TermConstraint(
            headword=markup.source[a:b],
            targets={"fr": (markup.source[a:b],)},
            dnt=True,
            once=True,
            closes=form(i, "open") if role == "close" else None,
        )
        for a, b, i, role in _events(markup.source, tags)
    ]


@dataclass(frozen=True)
class Restored:
    """A translation read back: ``markup`` with its well-formed ``target`` and ``issues``; the
    ``plain`` text (placeholders removed, standalone elements read as their text)."""

    markup: SegmentMarkup
    plain: str


def restore(markup: SegmentMarkup, translation: str) -> Restored:
    """Check the placeholders of ``translation`` and apply the fallback rule where needed."""
    tags = {t.id: t for t in markup.tags}
    issues: list[str] = []
    seen: set[tuple[int, str]] = set()
    kept: list[tuple[int, int, int, str]] = []
    cut: list[tuple[int, int]] = []  # placeholders removed from the text
    for ev in _events(translation, set(tags)):
        start, end, tag_id, role = ev
        key = (tag_id, role)
        if (tags[tag_id].kind == "ph") != (role == "ph"):
            cut.append((start, end))  # [1] for a standalone tag, [2/] for a pair: noise
            continue
        if key in seen:
            issues.append(f"{_label(tags[tag_id])} duplicated: the first kept")
            cut.append((start, end))
            continue
        seen.add(key)
        kept.append(ev)
    # empty in the translation, not already in the source (*`code`* wraps no words)
    empty = _empty_pairs(kept, tags, translation) - _empty_pairs(
        _events(markup.source, set(tags)), tags, markup.source
    )
    bad = _misplaced([ev for ev in kept if ev[2] not in empty], tags) | empty
    for tag_id in sorted(bad):
        tag = tags[tag_id]
        have = {r for i, r in seen if i == tag_id}
        what = "lost" if not have else "half lost" if len(have) == 1 else "reordered"
        what = "empty" if tag_id in empty else what
        issues.append(f"{_label(tag)} {what}: put around the whole segment")
    lost_ph = [t for t in markup.tags if t.kind == "ph" and (t.id, "ph") not in seen]
    issues += [f"{_label(t)} lost: put at the end of the segment" for t in lost_ph]
    # Rebuild the text: kept placeholders in place, bad pairs around it, lost ones after.
    marks = sorted(
        [(a, b, i, r) for a, b, i, r in kept if i not in bad]
        + [_cut_space(translation, a, b) for a, b, i, _ in kept if i in bad]
        + [_cut_space(translation, a, b) for a, b in cut]
    )
    pieces: list[tuple[str, int | None, str]] = []  # (text, tag id, role)
    pos = 0
    for start, end, tag_id, role in marks:
        pieces.append((translation[pos:start], None, ""))
        if tag_id >= 0:
            pieces.append(("", tag_id, role))
        pos = end
    pieces.append((translation[pos:], None, ""))
    wrap = [t.id for t in markup.tags if t.id in bad]
    pieces = (
        [("", None, "")]
        + [("", i, "open") for i in wrap]
        + pieces
        + [("", t.id, "ph") for t in lost_ph]
        + [("", i, "close") for i in reversed(wrap)]
        + [("", None, "")]
    )
    pieces = _tidy(pieces)
    target = "".join(text if i is None else form(i, role) for text, i, role in pieces).strip()
    plain = "".join(
        text if i is None else tags[i].text if role == "ph" else "" for text, i, role in pieces
    ).strip()
    return Restored(replace(markup, target=target, issues=tuple(issues)), plain)


def _cut_space(text: str, start: int, end: int) -> tuple[int, int, int, str]:
    """A placeholder removed with the space before it when a space or punctuation follows."""
    if start > 0 and text[start - 1] == " " and (end == len(text) or text[end] in " .,;:!?"):
        start -= 1
    return start, end, -1, ""


def _label(tag: InlineTag) -> str:
    return f"<{tag.name}> {form(tag.id, 'open' if tag.kind == 'pc' else 'ph')}"


def _misplaced(events: Sequence[tuple[int, int, int, str]], tags: dict[int, InlineTag]) -> set[int]:
    """Ids of pairs not written exactly once each side, open first, well nested."""
    roles: dict[int, set[str]] = {}
    for _, _, tag_id, role in events:
        roles.setdefault(tag_id, set()).add(role)
    bad = {
        i for i, t in tags.items() if t.kind == "pc" and roles.get(i, set()) != {"open", "close"}
    }
    bad |= {i for i, r in roles.items() if tags[i].kind == "pc" and "ph" in r}
    # One pass with a stack: a close whose open is not on top closes it anyway, and the pairs
    # opened after it (they cross it) are misplaced; a close with no open is misplaced.
    stack: list[int] = []
    open_ids: set[int] = set()
    for _, _, tag_id, role in events:
        if tag_id in bad or tags[tag_id].kind != "pc":
            continue
        if role == "open":
            stack.append(tag_id)
            open_ids.add(tag_id)
        elif tag_id in open_ids:
            while stack[-1] != tag_id:
                bad.add(stack.pop())
            open_ids -= bad
            stack.pop()
            open_ids.discard(tag_id)
        else:
            bad.add(tag_id)
    return bad | set(stack)


def _empty_pairs(
    events: Sequence[tuple[int, int, int, str]], tags: dict[int, InlineTag], text: str
) -> set[int]:
    """Pairs written with nothing but spaces and placeholders between open and close: the
    model lost where the markup goes (and ``****`` is not emphasis in Markdown)."""
    opened: dict[int, int] = {}
    found: set[int] = set()
    for _start, end, tag_id, role in events:
        if tags[tag_id].kind != "pc":
            continue
        if role == "open":
            opened[tag_id] = end
        elif tag_id in opened and _start >= opened[tag_id]:
            inner = _ANY.sub("", text[opened[tag_id] : _start])
            if not inner.strip():
                found.add(tag_id)
    return found


def _tidy(pieces: list[tuple[str, int | None, str]]) -> list[tuple[str, int | None, str]]:
    """Move whitespace out of pairs: from just inside open tags to before them, from just inside
    close tags to after them (across nested tags)."""
    out: list[tuple[str, int | None, str]] = [("", None, "")]
    for piece in [*pieces, ("", None, "")]:  # adjacent text pieces as one; text at both ends
        if piece[1] is None and out[-1][1] is None:
            out[-1] = (out[-1][0] + piece[0], None, "")
        else:
            out.append(piece)
    for j, (text, tag_id, _) in enumerate(out):
        if tag_id is not None:
            continue
        k = j - 1
        while k >= 0 and out[k][2] == "open":
            k -= 1
        lead = text[: len(text) - len(text.lstrip())]
        if lead and k < j - 1 and k >= 0:
            out[j] = (text[len(lead) :], None, "")
            before = out[k][0]
            out[k] = (before if before[-1:].isspace() else before + lead, None, "")
        text = out[j][0]
        k = j + 1
        while k < len(out) and out[k][2] == "close":
            k += 1
        trail = text[len(text.rstrip()) :]
        if trail and k > j + 1 and k < len(out):
            out[j] = (text[: len(text) - len(trail)], None, "")
            after = out[k][0]
            out[k] = (after if after[:1].isspace() else trail + after, None, "")
    return out


def pieces(markup: SegmentMarkup, text: str) -> list[tuple[str, InlineTag | None, str]]:
    """``text`` (the segment's ``source`` or ``target``) cut into text and placeholders:
    ``(text, None, "")`` and ``("", tag, role)``, in order (for formats with inline codes)."""
    tags = {t.id: t for t in markup.tags}
    out: list[tuple[str, InlineTag | None, str]] = []
    pos = 0
    for start, end, tag_id, role in _events(text, set(tags)):
        if start > pos:
            out.append((text[pos:start], None, ""))
        out.append(("", tags[tag_id], role))
        pos = end
    if pos < len(text):
        out.append((text[pos:], None, ""))
    return out


def render(markup: SegmentMarkup, target: str, escape: Callable[[str, bool], str]) -> str:
    """The markup ``target`` (a well-formed placeholder text) stands for: text escaped for the
    format (``escape(text, at_start)``, true for the text that opens the segment), each
    placeholder replaced by its original markup."""
    tags = {t.id: t for t in markup.tags}
    out: list[str] = []
    pos = 0
    for start, end, tag_id, role in _events(target, set(tags)):
        out.append(escape(target[pos:start], not out))
        tag = tags[tag_id]
        out.append(tag.close if role == "close" else tag.open)
        pos = end
    out.append(escape(target[pos:], not out))
    return "".join(out)
