"""Gettext PO export: one entry per segment, clean under ``msgfmt -c``.

``msgid`` and ``msgstr`` are one line each: a soft-wrap newline inside a segment is folded to a
space (:func:`translate.units.one_line`); the document export keeps the layout.

Sources that occur more than once get their segment id as ``msgctxt`` so every entry stays unique;
scores, QA flags and glossary outcomes are extracted comments (``#.``), the source line is the
reference (``#:``), flagged entries are ``fuzzy`` so a translator looks at them first, and the
header's comments and ``X-Translate-*`` fields record the provenance.
"""

from __future__ import annotations

import bisect
import os
import re
from collections import Counter
from datetime import datetime, timezone
from pathlib import PurePath

from translate import __version__
from translate.export.base import (
    TOOL,
    Exporter,
    corpus_metrics,
    document_path,
    provenance_items,
    segment_flags,
)
from translate.units import DocumentResult, SegmentResult, one_line

_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "\n": "\\n",
    "\t": "\\t",
    "\r": "\\r",
    "\a": "\\a",
    "\b": "\\b",
    "\f": "\\f",
    "\v": "\\v",
}
_CONTROL = re.compile(r'[\\"\x00-\x1f]')
_FIELD = re.compile(r"[^A-Za-z0-9]+")


def _escape(text: str) -> str:
    def sub(m: re.Match[str]) -> str:
        char = m.group()
        if char == "\x00":
            return "\ufffd"
        return _ESCAPES.get(char, f"\\{ord(char):03o}")

    return _CONTROL.sub(sub, text)


def _quote(keyword: str, text: str) -> str:
    """``keyword "text"``, split after each newline the way gettext tools write long strings."""
    lines = text.splitlines(keepends=True)
    if len(lines) <= 1:
        return f'{keyword} "{_escape(text)}"'
    return "\n".join([f'{keyword} ""'] + [f'"{_escape(line)}"' for line in lines])


def _comment(text: str) -> str:
    return " ".join(text.split())


def _export_time() -> datetime:
    """Now, or ``$SOURCE_DATE_EPOCH`` when set (reproducible builds): the PO header's dates are
    the one part of an export that changes between two runs of the same input."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), timezone.utc)
    return datetime.now(timezone.utc)


class PoExporter(Exporter):
    """Gettext PO for translators and localization platforms (``msgfmt -c`` clean)."""

    name = "po"
    extension = "po"
    description = "gettext PO, one entry per segment; flagged entries are fuzzy"

    def render(self, result: DocumentResult) -> str:
        now = _export_time().strftime("%Y-%m-%d %H:%M+0000")
        name = PurePath(document_path(result) or "document").name
        out = [
            f"# {_comment(name)}: machine translation from {result.source_lang} into "
            f"{result.target_lang}."
        ]
        out.append(
            "# Entries marked fuzzy have a critical or major QA flag or a violated glossary term."
        )
        prov = provenance_items(result)
        out += [f"# {_comment(f'{k}: {v}')}" for k, v in prov]
        out += [f"# {k}: {v:g}" for k, v in corpus_metrics(result).items()]
        fields = [
            ("Project-Id-Version", name),
            ("POT-Creation-Date", now),
            ("PO-Revision-Date", now),
            ("Last-Translator", f"{TOOL} {__version__} (machine translation)"),
            ("Language-Team", "none"),
            ("Language", result.target_lang.replace("-", "_")),  # gettext spells en_GB
            ("MIME-Version", "1.0"),
            ("Content-Type", "text/plain; charset=UTF-8"),
            ("Content-Transfer-Encoding", "8bit"),
            ("X-Generator", f"{TOOL} {__version__}"),
        ]
        fields += [(f"X-Translate-{_FIELD.sub('-', k).strip('-')}", v) for k, v in prov[1:]]
        header = "".join(f"{k}: {' '.join(v.split())}\n" for k, v in fields)
        out += ['msgid ""', _quote("msgstr", header), ""]

        counts = Counter(one_line(s.source) for s in result.segments)
        # line numbers for the references, in one pass (counting per segment was quadratic)
        # the line in the file read: the Markdown/HTML original where there is one
        original = result.markup is not None
        text = result.markup.text if result.markup is not None else result.source_text
        newlines = [i for i, c in enumerate(text) if c == "\n"]
        for seg in result.segments:
            at = seg.markup.start if original and seg.markup is not None else seg.start
            line = bisect.bisect_left(newlines, at) + 1
            out += self._entry(result, seg, counts[one_line(seg.source)] > 1, line)
        return "\n".join(out)

    @staticmethod
    def _entry(result: DocumentResult, seg: SegmentResult, duplicate: bool, line: int) -> list[str]:
        lines: list[str] = []
        if seg.scores:
            lines.append("#. " + ", ".join(f"{k} {v:g}" for k, v in seg.scores.items()))
        flags = segment_flags(seg)
        lines += [
            f"#. [{f.severity or f.level}] {_comment(f'{f.name}: {f.message}')}" for f in flags
        ]
        if seg.reference is not None:
            lines.append(f"#. reference: {_comment(seg.reference)}")
        if seg.markup is not None and seg.markup.tags:  # inline markup, for the translator
            legend = "; ".join(f"[{t.id}] {t.open}{t.close}" for t in seg.markup.tags)
            lines.append(f"#. markup: {_comment(seg.markup.source)} ({_comment(legend)})")
        path = document_path(result)
        if path and not any(c.isspace() for c in path):
            lines.append(f"#: {path}:{line}")
        if any(f.level == "high" for f in flags):
            lines.append("#, fuzzy")
        if duplicate:
            lines.append(_quote("msgctxt", seg.id))
        # soft-wrap newlines are layout, not part of the message (pofilter, l10n linters, OmegaT)
        source = one_line(seg.source)
        lines.append(_quote("msgid", source))
        lines.append(_quote("msgstr", one_line(seg.target)))
        lines.append("")
        return lines
