"""``translate review``: side-by-side review of a result, or post-edit effort of an edited XLIFF.

``RESULT.json`` → a table in the terminal (or ``--html`` page) of source, MT, reference, score and
flags with glossary terms highlighted. ``FILE.xlf`` (edited in a CAT tool) → post-edit effort per
segment and in total, and the approved segments stored in the translation memory.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from translate.cli._terminal import cell, json_text, visible

if TYPE_CHECKING:
    from rich.text import Text

    from translate.reconcile import Reconciled
    from translate.units import DocumentResult, SegmentResult

XLIFF_SUFFIXES = (".xlf", ".xliff", ".xlf2", ".sdlxliff")
_LEVEL_STYLE = {"high": "bold red", "medium": "yellow", "low": "dim"}


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "review",
        help="review a result side by side (RESULT.json) or measure post-editing (FILE.xlf)",
        description="RESULT.json: table (or --html page) of source, MT, reference, score and flags. "
        "FILE.xlf edited in a CAT tool: post-edit effort (chrF, TER between MT and edit) and "
        "approved (reviewed/final) segments stored in the translation memory.",
    )
    p.add_argument("file", metavar="RESULT.json|FILE.xlf")
    p.add_argument(
        "--only-flagged",
        action="store_true",
        help="only segments with QA flags or violated terms (XLIFF: only edited segments)",
    )
    p.add_argument(
        "--html", metavar="OUT.html", help="write the self-contained review page instead"
    )
    p.add_argument("--json", action="store_true", help="machine-readable output")
    mem = p.add_mutually_exclusive_group()
    mem.add_argument("--memory", metavar="PATH", help="translation memory file (XLIFF review)")
    mem.add_argument(
        "--no-memory", action="store_true", help="do not store approved segments (XLIFF review)"
    )
    p.add_argument(
        "--result",
        metavar="RESULT.json",
        help="result with the MT, for an XLIFF whose CAT tool dropped the MT candidates",
    )
    p.set_defaults(func=run)


def _kind(path: Path) -> str:
    """``xliff`` or ``result``, by suffix, else by the file's first character.

    Raises:
        InputError: neither (a TMX, PO or text file given by mistake names the accepted types).
    """
    from translate.errors import InputError

    if path.suffix.lower() in XLIFF_SUFFIXES:
        return "xliff"
    if path.suffix.lower() == ".json":
        return "result"
    try:
        with path.open("rb") as fh:
            head = fh.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError:
        return "result"  # read_result reports the missing or unreadable file
    if head.startswith(b"{"):
        return "result"
    if head.startswith(b"<") and b"<xliff" in head:
        return "xliff"
    raise InputError(
        f"{path}: review reads a RESULT.json written by 'translate run' or an XLIFF file (.xlf, "
        ".xliff, XLIFF 2 or 1.2) edited in a CAT tool; this file is neither."
    )


def run(args: argparse.Namespace) -> int:
    from translate.errors import UsageError

    path = Path(args.file)
    if _kind(path) == "xliff":
        return _review_xliff(args, path)
    xliff_only = [
        name
        for name, given in (
            ("--memory", args.memory),
            ("--no-memory", args.no_memory),
            ("--result", args.result),
        )
        if given
    ]
    if xliff_only:
        raise UsageError(
            f"{', '.join(xliff_only)} applies to an edited XLIFF (FILE.xlf), not to {path.name}; "
            "drop it, or review the XLIFF."
        )
    from translate.export.jsonfile import read_result

    result = read_result(path)
    if args.html:
        from translate.export.htmlpage import HtmlExporter

        written = HtmlExporter().export(result, args.html)
        sys.stdout.write(f"wrote {written}\n")
        return 0
    _side_by_side(result, only_flagged=args.only_flagged, as_json=args.json)
    return 0


def _styled(seg: SegmentResult, side: str) -> Text:
    from rich.text import Text

    from translate.export.base import term_spans

    text = Text(visible(seg.source if side == "source" else seg.target))  # same offsets
    for span in term_spans(seg, side):
        text.stylize("bold green" if span.satisfied else "bold red reverse", span.start, span.end)
    return text


def _side_by_side(result: DocumentResult, *, only_flagged: bool, as_json: bool) -> None:
    from rich.console import Console
    from rich.text import Text

    from translate.cli._tables import compact_table, short_col, text_col
    from translate.export.base import (
        corpus_metrics,
        document_path,
        is_flagged,
        metric_label,
        segment_flags,
    )

    segs = [s for s in result.segments if is_flagged(s) or not only_flagged]
    keys = list(dict.fromkeys(k for s in result.segments for k in s.scores))
    metric = "chrf" if "chrf" in keys else (keys[0] if keys else None)
    if as_json:
        rows = [
            {
                "id": s.id,
                "source": s.source,
                "target": s.target,
                "reference": s.reference,
                "scores": dict(s.scores),
                "flags": [
                    {"name": f.name, "level": f.level, "message": f.message}
                    for f in segment_flags(s)
                ],
                "localized": [asdict(c) for c in s.localized],
            }
            for s in segs
        ]
        # the figures the table's last line shows
        skip = {"n_segments", "segments", "terms_required", "terms_found", "term_accuracy"}
        totals = {
            "segments": len(result.segments),
            "shown": len(segs),
            "flagged": sum(is_flagged(s) for s in result.segments),
            "metrics": {k: v for k, v in corpus_metrics(result).items() if k not in skip},
            "terms": {
                k: result.summary.get(k) for k in ("terms_required", "terms_found", "term_accuracy")
            },
            "checks": result.summary.get("checks") or {},
            "gate": result.summary.get("gate"),
        }
        sys.stdout.write(json_text({"segments": rows, "summary": totals}) + "\n")
        return
    console = Console()
    has_ref = any(s.reference is not None for s in result.segments)
    title = visible(f"{document_path(result)} ({result.source_lang} → {result.target_lang})")
    columns = [short_col("id", style="dim"), text_col("source", ratio=3), text_col("MT", ratio=3)]
    if has_ref:
        columns.append(text_col("reference", ratio=3))
    if metric:
        columns.append(short_col(metric_label(metric), justify="right"))
    # at 80 columns (CI logs) the flags column must not cut its words: it is at least as wide as
    # the longest flag name and the longest word of the messages it shows (within reason)
    words = [f"{f.name}:" for s in segs for f in segment_flags(s)]
    words += [w for s in segs for f in segment_flags(s) for w in f.message.split()]
    widest = min(max((len(w) for w in words), default=5), 16)
    columns.append(text_col("flags", min_width=widest, max_width=widest + 4))
    table = compact_table(*columns, title=Text(title), gap=2, show_lines=True, expand=True)
    for s in segs:
        flags = Text()
        for f in segment_flags(s):
            flags.append(f.name, style=_LEVEL_STYLE.get(f.level, ""))
            flags.append(visible(f": {f.message}\n"), style="dim")
        for c in s.localized:  # what the localization pass changed, before → after
            flags.append(visible(f"{c.rule}"), style="cyan")
            flags.append(visible(f": {c.before} → {c.after}\n"), style="dim")
        cells: list[Text | str] = [Text(visible(s.id)), _styled(s, "source"), _styled(s, "target")]
        if has_ref:
            cells.append(Text(visible(s.reference or "")))
        if metric:
            cells.append(f"{s.scores[metric]:.1f}" if metric in s.scores else "—")
        flags.rstrip()
        cells.append(flags if flags.plain else Text("—", style="dim"))
        table.add_row(*cells)
    console.print(table)
    skip = {"n_segments", "segments", "terms_required", "terms_found", "term_accuracy"}
    parts = [
        f"{metric_label(k)} {v:.2f}" for k, v in corpus_metrics(result).items() if k not in skip
    ]
    summary = result.summary
    if summary.get("terms_required"):
        acc = summary.get("term_accuracy")
        share = f" ({acc:.1%})" if isinstance(acc, int | float) else ""
        parts.append(f"terms {summary.get('terms_found')}/{summary['terms_required']}{share}")
    if summary.get("localized"):
        parts.append(f"localized {summary['localized']} changes")
    checks = summary.get("checks")
    if isinstance(checks, dict) and checks:
        parts.append("QA " + ", ".join(f"{v} {k}" for k, v in checks.items()))
    gate = summary.get("gate")
    if isinstance(gate, dict) and "passed" in gate:
        fails = [
            str(c.get("message", ""))
            for c in gate.get("checks") or ()
            if isinstance(c, dict) and c.get("status") == "fail"
        ]
        parts.append("gate " + ("passed" if gate["passed"] else "FAILED: " + "; ".join(fails)))
    metrics = "; ".join(parts)
    flagged = sum(is_flagged(s) for s in result.segments)
    console.print(
        f"{len(segs)} of {len(result.segments)} segments shown; {flagged} flagged."
        + (f" Corpus: {metrics}." if metrics else ""),
        markup=False,
    )


def _warn_repairs(fixed: Reconciled) -> None:
    """One warning line per kind of repair the CAT tool's rewriting needed."""
    for ids, what in (
        (fixed.padded, "targets padded with whitespace by the CAT tool, stored trimmed"),
        (fixed.renumbered, "segments renumbered by the CAT tool, matched by their source text"),
        (fixed.unmatched, "segments match no segment of --result by id or source; kept as read"),
    ):
        if ids:
            shown = ", ".join(ids[:5]) + (", ..." if len(ids) > 5 else "")
            print(f"translate: warning: {len(ids)} {what} ({shown}).", file=sys.stderr)


def _review_xliff(args: argparse.Namespace, path: Path) -> int:
    from translate.errors import InputError
    from translate.export.xliff import read_xliff
    from translate.memory import TranslationMemory
    from translate.reconcile import Original, reconcile
    from translate.review import approved_segments, post_edit_effort, store_approved

    doc = read_xliff(path)
    originals = None
    if args.result:
        from translate.export.jsonfile import read_result

        originals = [Original(s.id, s.source, s.target) for s in read_result(args.result).segments]
    fixed = reconcile(doc, originals)
    doc = fixed.doc
    if not args.result and not any(s.mt is not None for s in doc.segments):
        raise InputError(
            f"{path} has no machine-translation candidates (the CAT tool dropped them); "
            "pass --result RESULT.json, the result the XLIFF was exported from."
        )
    _warn_repairs(fixed)
    report = post_edit_effort(doc)
    stored = 0
    memory_path = None
    if not args.no_memory and approved_segments(doc):
        with TranslationMemory(args.memory) as memory:
            stored = store_approved(doc, memory)
            memory_path = str(memory.path)
    if args.json:
        data = report.to_dict()
        if args.only_flagged:  # the totals still cover the whole document
            data["segments"] = [row for row in data["segments"] if row["edited"]]
        data["memory"] = {"path": memory_path, "stored": stored}
        sys.stdout.write(json_text(data) + "\n")
        return 0
    from rich.console import Console
    from rich.text import Text

    from translate.cli._tables import compact_table, short_col, text_col

    console = Console()
    rows = compact_table(
        short_col("id", style="dim"),
        short_col("state"),
        short_col("chrF", justify="right"),
        short_col("TER", justify="right"),
        text_col("MT", ratio=3),
        text_col("final", ratio=3),
        title=Text(visible(f"Post-edit effort: {path.name}")),
        gap=2,
        expand=True,
    )
    for s in report.segments:
        if s.edited or not args.only_flagged:
            style = "" if s.edited else "dim"
            rows.add_row(
                *map(cell, (s.id, s.state)),
                f"{s.chrf:.1f}",
                f"{s.ter:.1f}",
                cell(s.mt),
                cell(s.final),
                style=style,
            )
    console.print(rows)
    if report.segments:
        console.print(
            f"{report.edited} of {len(report.segments)} segments edited; document chrF "
            f"{report.chrf:.1f}, TER {report.ter:.1f} (MT against the edit: chrF 100 and TER 0 mean "
            "no change).",
            markup=False,
        )
    if report.unknown_mt:
        console.print(
            f"{report.unknown_mt} segments have no MT candidate in the file; pass --result RESULT.json.",
            markup=False,
        )
    if memory_path:
        console.print(
            f"stored {stored} new or changed approved segments in {memory_path}", markup=False
        )
    elif not args.no_memory:
        what = "approved (final)" if doc.review_page else "marked reviewed or final"
        console.print(f"no segment is {what}: nothing stored in the memory.", markup=False)
    return 0
