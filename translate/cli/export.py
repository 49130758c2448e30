"""``translate export``: write a translation result in other formats without translating again."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from translate._io import check_output_dir
from translate.errors import TranslateError

if TYPE_CHECKING:
    from translate.export import ExportOptions


def _formats(value: str) -> tuple[str, ...]:
    from translate.export import parse_formats

    try:
        return parse_formats(value)
    except TranslateError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def add_formats_argument(p: argparse.ArgumentParser, more_help: str = "") -> None:
    """``--formats/--format/-f FMT[,FMT]``, checked against the export registry (also for run)."""
    from translate.export import DEFAULT_FORMATS, EXPORTERS, XLIFF_UNITS

    p.add_argument(
        "--formats",
        "--format",
        "-f",
        dest="formats",
        type=_formats,
        default=DEFAULT_FORMATS,
        metavar="FMT[,FMT]",
        help=f"export formats among {', '.join(EXPORTERS)} (default: "
        f"{','.join(DEFAULT_FORMATS)}){more_help}",
    )
    p.add_argument(
        "--xliff-units",
        choices=XLIFF_UNITS,
        default="paragraph",
        help="XLIFF files: one unit per paragraph with a segment per sentence (default), or one "
        "unit per sentence for tools that keep one segment per unit",
    )


def export_options(args: argparse.Namespace) -> ExportOptions:
    """The format layout options given on the command line."""
    from translate.export import ExportOptions

    return ExportOptions(xliff_units=args.xliff_units)


def result_stem(path: Path, target_lang: str) -> str:
    """``article`` for ``article.en.json`` (result of language en) or ``article.json``."""
    name = path.name.removesuffix(".json")
    return name.removesuffix(f".{target_lang}") or name


def _check_result_type(path: Path) -> None:
    """A file that is plainly not JSON (an XLIFF, TMX or PO given by mistake) names what export
    reads, before anything is written."""
    from translate.errors import InputError

    if path.suffix.lower() == ".json":
        return  # a broken result JSON is read_result's to report
    try:
        with path.open("rb") as fh:
            head = fh.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError:
        return  # read_result reports the missing or unreadable file
    if head and not head.startswith((b"{", b"[")):
        raise InputError(
            f"{path}: export reads a RESULT.json written by 'translate run' (<stem>.<lang>.json); "
            "this file is not JSON. Re-export from the result JSON."
        )


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "export",
        help="re-export a translation result (RESULT.json) as XLIFF, TMX, PO, text, Markdown, HTML",
        description="Write <stem>.<lang>.<ext> for each format from a result JSON written by "
        "'translate run', without translating again.",
    )
    p.add_argument("results", nargs="+", metavar="RESULT.json", help="translation result(s)")
    add_formats_argument(p)
    p.add_argument("--out", "-o", type=Path, help="output directory (default: beside each result)")
    p.add_argument("--json", action="store_true", help="print the written paths as JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from translate.export import export_all
    from translate.export.jsonfile import read_result

    written: list[str] = []
    for p in args.results:
        _check_result_type(Path(p))
    loaded = [(Path(p), read_result(p)) for p in args.results]
    if args.out is not None:
        check_output_dir(args.out)
    for path, result in loaded:
        out = args.out if args.out is not None else path.parent
        stem = result_stem(path, result.target_lang)
        written += [
            str(p) for p in export_all(result, args.formats, out, stem, export_options(args))
        ]
    if args.json:
        sys.stdout.write(json.dumps({"written": written}) + "\n")
    else:
        for p in written:
            sys.stdout.write(f"wrote {p}\n")
    return 0
