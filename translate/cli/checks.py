"""``translate checks``: list the QA checks with their severity and what each looks for."""

from __future__ import annotations

import argparse
import json
import sys


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("checks", help="list the QA checks run on every translated segment")
    p.add_argument("--config", help="a checks.json to read instead of the bundled one")
    p.add_argument("--json", action="store_true", help="print the list as JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from translate.checks import describe_checks, load_checks

    rows = describe_checks(load_checks(args.config))
    if args.json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return 0
    from rich.console import Console
    from rich.table import Table

    table = Table("check", "severity", "description")
    for row in rows:
        sev = row["severity"] + ("" if row["enabled"] else " (off)")
        table.add_row(row["check"], sev, row["description"])
    Console().print(table)
    return 0
