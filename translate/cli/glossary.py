"""``translate glossary check|match``: lint glossary files, and show where their terms occur."""

from __future__ import annotations

import argparse
import itertools
import json
import re
import shutil
import sys
import textwrap
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from translate._io import read_document
from translate.cli._engine import language
from translate.cli._terminal import cell, for_stream, json_text
from translate.errors import EXIT_GLOSSARY, EXIT_OK
from translate.glossary import LintIssue, lint_glossaries, load_glossary
from translate.segment import segment


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "glossary",
        help="check glossary files, or show the glossary terms found in a document",
        description="Lint glossaries (check) or list every glossary term in a French document "
        "(match).",
    )
    gsub = p.add_subparsers(dest="glossary_command", metavar="ACTION", required=True)

    check = gsub.add_parser(
        "check",
        help="lint glossary files: duplicates, conflicts, empty cells, overlaps, unknown columns",
        description="Lint glossary files. Exits with status 4 when errors are found "
        "(warnings alone exit 0, unless --strict).",
    )
    check.add_argument("files", nargs="+", metavar="FILE", help="CSV, TSV or TBX glossaries")
    check.add_argument(
        "--model",
        metavar="DIR_OR_ID",
        help="also report target terms that this Marian model's tokenizer turns into <unk> "
        "(loads the tokenizer only)",
    )
    check.add_argument(
        "--lang",
        action="append",
        type=language,
        metavar="LANG",
        help="with --model: the target language(s) it produces (default: read from an "
        "opus-mt-fr-LANG name, else every glossary language)",
    )
    check.add_argument(
        "--strict", action="store_true", help="exit with status 4 on warnings too (for CI)"
    )
    check.add_argument(
        "--all",
        action="store_true",
        help="also list notes that need no action (consistent nested terms)",
    )
    check.add_argument("--json", action="store_true", help="print a JSON report")
    check.set_defaults(func=run_check)

    match = gsub.add_parser(
        "match",
        help="show every glossary term found in a French document",
        description="Find glossary terms in a French document, sentence by sentence; offsets "
        "are character offsets into the decoded document.",
    )
    match.add_argument("article", metavar="ARTICLE", help="UTF-8 French text document")
    match.add_argument(
        "-g",
        "--glossary",
        action="append",
        required=True,
        metavar="FILE",
        help="glossary file (repeat to merge several; the first given wins on conflicts)",
    )
    match.add_argument(
        "--accent-insensitive", action="store_true", help="match French terms ignoring accents"
    )
    match.add_argument("--encoding", help="input encoding (default: UTF-8, BOM allowed)")
    match.add_argument("--json", action="store_true", help="print one JSON object per match")
    match.set_defaults(func=run_match)


def _unk_checker(model: str) -> Any:
    """A ``form -> bool`` test telling whether the model's target tokenizer yields only <unk>."""
    from translate.engine.constrained import term_alternatives
    from translate.engine.marian import load_tokenizer

    tokenizer = load_tokenizer(model)
    return lambda form: not term_alternatives(tokenizer, form)


def run_check(args: argparse.Namespace) -> int:
    produces_unk = None
    langs: list[str] | None = args.lang
    if args.model:
        produces_unk = _unk_checker(args.model)  # a broken model is reported first
        if not langs:
            name = Path(args.model.rstrip("/")).name
            found = re.search(r"opus-mt-fr-([a-z]{2,3})$", name)
            if not found:
                from translate.errors import UsageError

                raise UsageError(
                    f"--model {args.model}: cannot infer the model's target language from its "
                    f"name {name!r} (expected opus-mt-fr-LANG); give it with --lang LANG."
                )
            langs = [found.group(1)]
    issues = lint_glossaries(args.files, produces_unk=produces_unk, unk_languages=langs)
    errors = sum(i.severity == "error" for i in issues)
    warnings = sum(i.severity == "warning" for i in issues)
    notes = len(issues) - errors - warnings
    if args.json:
        report = {
            "files": list(args.files),
            "errors": errors,
            "warnings": warnings,
            "notes": notes,
            "issues": [i.to_dict() for i in issues],
        }
        sys.stdout.write(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    else:
        shown = issues if args.all else [i for i in issues if i.severity != "info"]
        _print_issues(shown, errors, warnings, notes, hidden=not args.all)
    return EXIT_GLOSSARY if errors or (args.strict and warnings) else EXIT_OK


_RANK = {"error": 0, "warning": 1, "info": 2}
_STYLE = {"error": "bold red", "warning": "yellow", "info": "dim"}


def _print_issues(
    issues: list[LintIssue], errors: int, warnings: int, notes: int, *, hidden: bool
) -> None:
    from rich.console import Console

    from translate.cli._tables import compact_table, short_col, text_col

    console = Console()
    if issues:
        rows = compact_table(
            short_col("severity"), short_col("where"), short_col("check"), text_col("message")
        )
        for i in sorted(issues, key=lambda i: (_RANK.get(i.severity, 3), i.source, i.line)):
            rows.add_row(
                f"[{_STYLE.get(i.severity, '')}]{i.severity}[/]",
                cell(f"{Path(i.source).name}:{i.line}"),
                i.code,
                cell(i.message),
            )
        console.print(rows)
    tail = " (--all lists them)" if hidden and notes else ""
    console.print(
        f"{errors} error(s), {warnings} warning(s), {notes} note(s){tail}", highlight=False
    )


def run_match(args: argparse.Namespace) -> int:
    glossary = load_glossary(args.glossary, accent_insensitive=args.accent_insensitive)
    doc = segment(read_document(args.article, encoding=args.encoding))
    rows = _match_rows(glossary, doc)
    if args.json:
        for row in rows:
            sys.stdout.write(json_text(row) + "\n")
        return EXIT_OK
    # A table streamed row by row: its widths are fixed from what is known before matching (ids,
    # offsets, headwords), so neither the rows nor a rendered table are ever held in memory. It
    # fits the terminal (80 columns in a pipe or CI log): ids, offsets and flags stay whole on
    # one line, the matched text and the headword wrap at spaces within their columns.
    digits = max(5, len(str(len(doc.text))))
    ids = max((len(s.id) for s in doc.segments), default=0)
    short = (("segment", max(7, ids), "<"), ("start", digits, ">"), ("end", digits, ">"))
    flags = (("number", 8, "<"), ("dnt", 3, "<"))
    # seven columns, six gaps of two spaces
    room = shutil.get_terminal_size((80, 24)).columns - sum(w for _, w, _ in short + flags) - 12
    words = min(40, max((len(e.headword) for e in glossary.entries), default=4) + 2, room // 2)
    words = max(words, 10)
    columns = (*short, ("text", words, "<"), ("headword", words, "<"), *flags)
    out = sys.stdout

    def line(cells: Sequence[str]) -> str:
        wrapped = [  # a line break inside a match is shown as a space
            (textwrap.wrap(c, w, break_on_hyphens=False) or [""]) if len(c) > w else [c]
            for c, (_, w, _) in zip((" ".join(c.split()) for c in cells), columns, strict=True)
        ]
        return "\n".join(
            "  ".join(f"{c:{a}{w}}" for c, (_, w, a) in zip(row, columns, strict=True)).rstrip()
            for row in itertools.zip_longest(*wrapped, fillvalue="")
        )

    out.write(line([name for name, _, _ in columns]) + "\n")
    out.write("  ".join("-" * w for _, w, _ in columns) + "\n")
    count, entries = 0, set()
    for r in rows:
        count += 1
        entries.add(r["entry"])
        cells = [r["segment"], str(r["start"]), str(r["end"]), r["text"], r["headword"]]
        cells += ["plural" if r["plural"] else "singular", "yes" if r["dnt"] else ""]
        out.write(for_stream(line(cells), out) + "\n")
    n = len(entries)
    total = (
        f"{count} match(es) of {n} entr{'y' if n == 1 else 'ies'} "
        f"in {len(doc.segments)} segment(s); glossary {glossary.digest[:12]}"
    )
    out.write(textwrap.fill(total, shutil.get_terminal_size((80, 24)).columns) + "\n")
    return EXIT_OK


def _match_rows(glossary: Any, doc: Any) -> Iterator[dict[str, Any]]:
    """One row per term occurrence, in document order, produced as the segments are matched."""
    for seg in doc.segments:
        for m in glossary.match(seg.text):
            yield {
                "segment": seg.id,
                "start": seg.start + m.start,
                "end": seg.start + m.end,
                "text": m.text,
                "headword": m.headword,
                "entry": m.entry_id,
                "plural": m.plural,
                "dnt": m.dnt,
            }
