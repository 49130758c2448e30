"""``translate segment``: show how a document is split, as text, JSON lines or a table."""

from __future__ import annotations

import argparse
import sys

from translate.cli._terminal import cell, for_stream, json_text
from translate.segment import segment_file


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "segment",
        help="split a French document into paragraphs and sentences",
        description="Split a French document into paragraphs and sentences with exact offsets.",
    )
    p.add_argument("file", help="UTF-8 text document (a BOM and CRLF line ends are accepted)")
    p.add_argument(
        "--format",
        choices=("text", "jsonl", "table"),
        default="text",
        help="text: one segment a line (a line break inside a segment shown as a space); "
        "jsonl: one JSON object a segment, exact text and offsets; table: a rich table",
    )
    p.add_argument("--encoding", help="input encoding (default: UTF-8, BOM allowed), e.g. latin-1")
    p.add_argument(
        "--abbreviations",
        action="append",
        default=[],
        metavar="PATH",
        help="extra abbreviation file (same format as translate/data/segment/fr/abbreviations.txt);"
        " repeatable",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    doc = segment_file(args.file, encoding=args.encoding, abbreviations=args.abbreviations)
    out = sys.stdout
    if args.format == "jsonl":
        for s in doc.segments:
            record = {
                "id": s.id,
                "paragraph": s.paragraph,
                "text": s.text,
                "start": s.start,
                "end": s.end,
                "kind": s.kind,
            }
            out.write(json_text(record) + "\n")
    elif args.format == "table":
        from rich.console import Console
        from rich.table import Table

        table = Table("id", "¶", "kind", "start", "end", "text")
        for s in doc.segments:
            table.add_row(
                cell(s.id), str(s.paragraph), s.kind, str(s.start), str(s.end), cell(s.text)
            )
        Console().print(table)
    else:
        # One line per segment, so that line counts and `paste` work; jsonl keeps the exact text.
        for s in doc.segments:
            out.write(for_stream(" ".join(s.text.splitlines()), out) + "\n")
    return 0
