"""``translate segment``: show how a document is split, as text, JSON lines or a table."""

from __future__ import annotations

import argparse
import json
import sys

from translate._io import read_document
from translate.segment import segment


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("segment", help="split a French document into paragraphs and sentences")
    p.add_argument("file", help="UTF-8 text document")
    p.add_argument("--format", choices=("text", "jsonl", "table"), default="text")
    p.add_argument("--encoding", help="input encoding (default: UTF-8, BOM allowed)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    doc = segment(read_document(args.file, encoding=args.encoding))
    out = sys.stdout
    if args.format == "jsonl":
        for s in doc.segments:
            out.write(
                json.dumps(
                    {
                        "id": s.id,
                        "paragraph": s.paragraph,
                        "text": s.text,
                        "start": s.start,
                        "end": s.end,
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )
    elif args.format == "table":
        from rich.console import Console
        from rich.table import Table

        table = Table("id", "¶", "start", "end", "text")
        for s in doc.segments:
            table.add_row(s.id, str(s.paragraph), str(s.start), str(s.end), s.text)
        Console().print(table)
    else:
        for s in doc.segments:
            out.write(s.text + "\n")
    return 0
