"""``translate segment``: show how a document is split, as text, JSON lines or a table."""

from __future__ import annotations

import argparse
import sys

from translate.cli._terminal import cell, for_stream, json_text


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "segment",
        help="split a French document into paragraphs and sentences",
        description="Split a French document into paragraphs and sentences with exact offsets.",
    )
    p.add_argument("file", help="UTF-8 document: text, Markdown (.md) or HTML (.html)")
    p.add_argument(
        "--input-format",
        choices=("text", "markdown", "html"),
        help="how to read FILE (default: from its extension, as 'translate run' does)",
    )
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
    from translate._io import read_document
    from translate.markup import format_for
    from translate.markup import read_document as read_markup

    fmt = format_for(args.file, args.input_format)
    text = read_document(args.file, encoding=args.encoding)
    doc, warnings = read_markup(text, fmt, abbreviations=args.abbreviations)
    for warning in warnings:
        print(f"translate: warning: {args.file}: {warning}", file=sys.stderr)
    out = sys.stdout
    if args.format == "jsonl":
        for s in doc.segments:
            record: dict[str, object] = {
                "id": s.id,
                "paragraph": s.paragraph,
                "text": s.text,
                "start": s.start,
                "end": s.end,
                "kind": s.kind,
            }
            markup = doc.segment_markup.get(s.id)
            if markup is not None:  # where it lies in the Markdown/HTML file, with placeholders
                record.update(
                    source_start=markup.start, source_end=markup.end, markup=markup.source
                )
            out.write(json_text(record) + "\n")
    elif args.format == "table":
        from rich.console import Console

        from translate.cli._tables import compact_table, short_col, text_col

        rows = compact_table(
            short_col("id"),
            short_col("¶", justify="right"),
            short_col("kind"),
            short_col("start", justify="right"),
            short_col("end", justify="right"),
            text_col("text"),
        )
        for s in doc.segments:
            rows.add_row(
                cell(s.id), str(s.paragraph), s.kind, str(s.start), str(s.end), cell(s.text)
            )
        Console().print(rows)
    else:
        # One line per segment, so that line counts and `paste` work; jsonl keeps the exact text.
        for s in doc.segments:
            out.write(for_stream(" ".join(s.text.splitlines()), out) + "\n")
    return 0
