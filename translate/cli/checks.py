"""``translate checks``: list the QA checks, or run them on line-aligned files made elsewhere."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from translate.cli._engine import add_glossary_argument, language
from translate.errors import EXIT_GATE, EXIT_OK, UsageError

if TYPE_CHECKING:
    from translate.checks import ChecksConfig
    from translate.units import CheckResult


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "checks",
        help="list the QA checks, or run them on line-aligned source and translation files",
        description="Without --src/--hyp: list the QA checks run on every translated segment. "
        "With --src SRC --hyp HYP --lang LANG: run every check on each line pair of two "
        "line-aligned files (any MT or human translation). Exit status 6 with --fail-on when a "
        "finding of that severity or worse exists.",
    )
    p.add_argument("--config", help="a checks.json to read instead of the bundled one")
    p.add_argument("--json", action="store_true", help="print JSON (one object a line with --src)")
    p.add_argument("--src", metavar="SRC", help="French source, one segment a line")
    p.add_argument("--hyp", metavar="HYP", help="its translation, line-aligned with SRC")
    p.add_argument("--lang", type=language, help="the translation's language (en, de, pt-BR...)")
    add_glossary_argument(
        p, "glossary whose do-not-translate entries join the dnt check; repeatable", "G"
    )
    p.add_argument(
        "--dnt",
        action="append",
        default=[],
        metavar="NAME",
        help="do-not-translate name; repeatable",
    )
    p.add_argument(
        "--fail-on",
        choices=("critical", "major", "minor"),
        help="exit 6 when a finding of this severity or worse exists",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from translate.checks import load_checks

    config = load_checks(args.config)
    if args.src is None and args.hyp is None:
        if args.lang or args.glossary or args.dnt or args.fail_on:
            raise UsageError(
                "--lang, -g, --dnt and --fail-on need --src SRC --hyp HYP; give both files."
            )
        return _list(config, as_json=args.json)
    if args.src is None or args.hyp is None or args.lang is None:
        raise UsageError(
            "checking files needs --src SRC, --hyp HYP and --lang LANG; give all three."
        )
    return _check(args, config)


def _list(config: ChecksConfig, *, as_json: bool) -> int:
    from translate.checks import describe_checks

    rows = describe_checks(config)
    if as_json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return EXIT_OK
    from rich.console import Console

    from translate.cli._tables import compact_table, short_col, text_col

    out = compact_table(short_col("check"), short_col("severity"), text_col("description"))
    for row in rows:
        sev = row["severity"] + ("" if row["enabled"] else " (off)")
        out.add_row(row["check"], sev, row["description"])
    Console().print(out)
    return EXIT_OK


def _check(args: argparse.Namespace, config: ChecksConfig) -> int:
    from translate.checks import count_by_severity
    from translate.checks.files import check_files, worst_at_least
    from translate.cli._engine import load_glossary_files

    glossary = load_glossary_files(args.glossary)
    findings = check_files(
        args.src,
        args.hyp,
        args.lang,
        dnt=args.dnt,
        glossary=glossary,
        config=config,
    )
    every: list[CheckResult] = []
    lines = 0
    table = None
    if not args.json:
        from translate.cli._tables import compact_table, short_col, text_col
        from translate.cli._terminal import cell

        table = compact_table(
            short_col("line", justify="right"),
            short_col("check"),
            short_col("severity"),
            text_col("message"),
            title=cell(f"QA of {args.hyp}"),
        )
    for index, checks in findings:
        lines += 1
        every.extend(checks)
        if args.json:
            row = {
                "index": index,
                "findings": [
                    {"check": c.check, "severity": c.severity, "message": c.message} for c in checks
                ],
            }
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        elif table is not None:
            for c in checks:
                table.add_row(str(index + 1), c.check, c.severity, cell(c.message))
    counts = count_by_severity(every)
    if table is not None:
        from rich.console import Console

        console = Console()
        if table.row_count:
            console.print(table)
        summary = ", ".join(f"{n} {sev}" for sev, n in counts.items())
        console.print(f"{lines} lines checked: {summary}.", markup=False, highlight=False)
    if args.fail_on and worst_at_least(every, args.fail_on):
        worse = sum(1 for c in every if worst_at_least([c], args.fail_on))
        print(
            f"translate: {worse} findings of severity {args.fail_on} or worse (--fail-on {args.fail_on}).",
            file=sys.stderr,
        )
        return EXIT_GATE
    return EXIT_OK
