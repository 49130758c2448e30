"""``translate eval``: score and gate a suite of articles × languages; JSON and JUnit reports.

Hypotheses come from ``--hyp-dir`` or, without it, from translating each article live with the
same engine options as ``translate run`` (:func:`translate.evalsuite.suite_provider`).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from translate._io import atomic_write, check_output_dir
from translate.cli._engine import (
    add_engine_arguments,
    add_glossary_argument,
    build_from_args,
    load_glossary_files,
)

DEFAULT_SUITE = "evals/suite.json"


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "eval",
        help="score and gate an evaluation suite; exit 6 when a threshold is missed",
        description="Score, QA-check and gate every article × language of a suite against its "
        "references and thresholds. Hypotheses are read from --hyp-dir: <stem>.<lang>.json "
        "(a result from 'translate run') or <stem>.<lang>.txt (one line per reference sentence); "
        "without --hyp-dir each article is translated now, with the engine options below "
        "(glossary terms enforced).",
    )
    p.add_argument("suite", nargs="?", default=DEFAULT_SUITE, help=f"suite file ({DEFAULT_SUITE})")
    p.add_argument(
        "--hyp-dir", help="folder of hypothesis files (default: translate each article now)"
    )
    p.add_argument("--thresholds", help="thresholds file overriding the suite's")
    add_glossary_argument(
        p,
        "glossary file(s): term accuracy and do-not-translate names, enforced when "
        "translating live (repeatable)",
        "G",
    )
    p.add_argument("--dnt", action="append", default=[], help="do-not-translate name (repeatable)")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--junit", help="write a JUnit XML report to this file")
    p.add_argument("--out", help="folder for report.json, junit.xml and the scored results")
    add_engine_arguments(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from translate.errors import EXIT_GATE, EXIT_OK
    from translate.evalsuite import hypotheses_from_dir, load_suite, run_suite

    suite = load_suite(args.suite, thresholds=args.thresholds)
    glossary = load_glossary_files(args.glossary)
    if args.out:
        check_output_dir(args.out)
    if args.hyp_dir is not None:
        report = run_suite(
            suite, hypotheses_from_dir(args.hyp_dir), dnt=args.dnt, glossary=glossary
        )
    else:
        report = _run_live(args, suite, glossary)
    junit = report.to_junit()
    payload = json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"
    if args.out:
        out = Path(args.out)
        atomic_write(out / "report.json", payload)
        atomic_write(out / "junit.xml", junit)
        for o in report.outcomes:
            atomic_write(out / f"{o.item.name}.json", o.result.to_json())
    if args.junit:
        atomic_write(args.junit, junit)
    if args.json:
        sys.stdout.write(payload)
    else:
        _render(report)
    if not report.passed:
        failed = sum(not o.report.passed for o in report.outcomes)
        print(
            f"translate: gate failed: {report.failures} threshold(s) missed in {failed} of "
            f"{len(report.outcomes)} item(s).",
            file=sys.stderr,
        )
        return EXIT_GATE
    return EXIT_OK


def _run_live(args: argparse.Namespace, suite: Any, glossary: Any) -> Any:
    """Translate every suite item now, then score and gate it like a hypothesis file."""
    from rich.console import Console

    from translate.evalsuite import run_suite, suite_provider
    from translate.pipeline import Pipeline

    console = Console(stderr=True)
    show = not args.json and console.is_terminal
    langs = list(dict.fromkeys(item.lang for item in suite.items))
    engines, options, cache = build_from_args(args, langs, console=console if show else None)
    try:
        pipeline = Pipeline(engines, glossary=glossary, options=options)
        if not show:
            return run_suite(suite, suite_provider(pipeline), dnt=args.dnt, glossary=glossary)
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

        with Progress(
            "[bold]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
        ) as bars:
            current: list[Any] = []  # the task of the item being translated

            def advance(lang: str, done: int, total: int) -> None:
                bars.update(current[-1], completed=done, total=total)

            inner = suite_provider(pipeline, progress=advance)

            def provide(item: Any, refs: Any) -> Any:
                current.append(bars.add_task(item.name, total=None))
                return inner(item, refs)

            return run_suite(suite, provide, dnt=args.dnt, glossary=glossary)
    finally:
        if cache is not None:
            cache.close()


def _fmt(x: object, spec: str = ".1f") -> str:
    return "—" if x is None else format(x, spec)


def _render(report) -> None:  # type: ignore[no-untyped-def]
    from rich.console import Console

    from translate.cli._tables import compact_table, short_col, text_col
    from translate.cli._terminal import cell

    console = Console()
    console.print(cell(report.suite), style="bold")
    # one table per article, titled by its slug: a slug in a column of its own would fold
    # over lines at 80 columns (CI logs); the scores stay whole, the gate's reasons wrap
    tables: dict[str, Any] = {}
    for o in report.outcomes:
        article = o.item.article.stem
        if article not in tables:
            tables[article] = compact_table(
                short_col("lang"),
                *(short_col(name, justify="right") for name in ("BLEU", "chrF", "TER", "terms")),
                short_col("QA c/M/m"),
                text_col("gate", min_width=20),
                title=cell(article),
                expand=True,  # the tables of a suite line up
            )
        d = o.to_dict()
        qa = d["qa"] or {}
        terms = (d["terms"] or {}).get("accuracy")
        verdict = (
            "[green]pass[/]"
            if o.report.passed
            else "[red]FAIL[/] " + "; ".join(c.message for c in o.report.failures)
        )
        tables[article].add_row(
            o.item.lang,
            _fmt(d["bleu"]),
            _fmt(d["chrf"]),
            _fmt(d["ter"]),
            _fmt(terms, ".2f"),
            f"{qa.get('critical', 0)}/{qa.get('major', 0)}/{qa.get('minor', 0)}",
            verdict,
        )
    for rows in tables.values():
        console.print(rows)
