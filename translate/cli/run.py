"""``translate run``: translate a French document, check, score and gate it, export what passed.

For each target language it writes ``OUT/<stem>.<lang>.<ext>`` for each export format (default
``json,xliff,txt,html,doc``) when the language passes its quality gate. Thin: parsing, progress
display and rendering; the work, in order, is :meth:`translate.pipeline.Pipeline.run`. Several
documents (folders, globs) are a batch: :mod:`translate.cli._batch` over :mod:`translate.batch`.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from translate._io import check_name, check_output_dir, public_path, read_document
from translate.cli._engine import (
    add_engine_arguments,
    add_glossary_argument,
    language_list,
    positive_int,
)
from translate.cli.export import add_formats_argument, export_options
from translate.engine.registry import split_languages
from translate.errors import EXIT_OK, GateFailed, InputError
from translate.localize.locales import target_tags

DEFAULT_OUT = "out"
MAX_WARNINGS = 20  # reader warnings shown for one input (malformed HTML can have thousands)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "run",
        help="translate a French document into several languages, gate and export it",
        description="Segment a French document, take approved translations from the "
        "translation memory, translate the rest into each target language with MarianMT "
        "(pivoting through English where needed, glossary terms enforced), QA-check every "
        "segment, score against references when they exist, apply the quality gate and write "
        "OUT/<stem>.<lang>.<ext> for each format of each language that passed. Exit status 6 "
        "when a language missed its gate (its files are not written unless --force). Several "
        "files, folders or glob patterns make one resumable batch with the models loaded once "
        "(OUT mirrors the input tree; --jobs N worker processes; --ray on a Ray cluster).",
    )
    p.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="UTF-8 French document: text, Markdown (.md) or HTML (.html); or several, folders "
        "(their documents at any depth) and quoted glob patterns: a batch (README, 'Many "
        "documents')",
    )
    p.add_argument(
        "--input-format",
        choices=("text", "markdown", "html"),
        help="how to read each PATH (default: from its extension: .md Markdown, .html/.htm HTML, "
        "anything else plain text)",
    )
    p.add_argument(
        "--to",
        required=True,
        action="append",
        type=language_list,
        metavar="LANGS",
        help="target languages or locales, comma-separated (e.g. en,de-CH,pt-BR); see "
        "'translate models list'",
    )
    p.add_argument("--out", default=DEFAULT_OUT, help="output directory (default: %(default)s/)")
    add_formats_argument(p, "; html is the review page")
    add_glossary_argument(p, "glossary file whose terms are enforced; repeatable")
    p.add_argument(
        "--no-protect",
        dest="protect",
        action="store_false",
        help="let the model translate URLs, e-mail addresses, @handles, `code` and versions "
        "inside sentences (default: kept verbatim, see translate/data/protect.json)",
    )
    p.add_argument(
        "--no-localize",
        dest="localize",
        action="store_false",
        help="keep the model's number, date, quotation and spacing conventions (default: "
        "rewritten the target locale's way, see 'translate localize')",
    )
    p.add_argument("--encoding", help="input encoding (default: UTF-8, BOM allowed)")
    mem = p.add_argument_group("translation memory").add_mutually_exclusive_group()
    mem.add_argument(
        "--memory",
        metavar="PATH",
        help="translation memory to take exact matches from (default: $TRANSLATE_MEMORY or "
        "memory.sqlite in the user data dir)",
    )
    mem.add_argument(
        "--no-memory", dest="use_memory", action="store_false", help="do not use the memory"
    )
    q = p.add_argument_group("quality gate")
    q.add_argument(
        "--refs",
        metavar="DIR",
        help="folder of references <lang>/<stem>.jsonl (default: next to the source's folder, "
        "as articles/<lang>/<stem>.jsonl for articles/fr/<stem>.txt)",
    )
    gate = q.add_mutually_exclusive_group()
    gate.add_argument(
        "--thresholds",
        metavar="FILE",
        help="thresholds file (default: the bundled translate/data/thresholds.json)",
    )
    gate.add_argument(
        "--no-gate",
        dest="gate",
        action="store_false",
        help="check and score, but export every language whatever the figures",
    )
    q.add_argument(
        "--force",
        action="store_true",
        help="export languages that missed the gate too, with a warning (exit status 0)",
    )
    q.add_argument(
        "--dnt",
        action="append",
        default=[],
        metavar="NAME",
        help="do-not-translate name for the QA check, beside the glossary's (repeatable)",
    )
    p.add_argument("--json", action="store_true", help="print a JSON summary on stdout")
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    add_engine_arguments(p)
    b = p.add_argument_group("many documents")
    b.add_argument(
        "--jobs",
        type=positive_int,
        metavar="N",
        help="worker processes, each loading the models once (default 1: this process); "
        "with --ray, the number of actors",
    )
    b.add_argument(
        "--ray",
        metavar="auto|ADDRESS",
        help="run the batch on a Ray cluster: 'auto' (the cluster of this machine) or its "
        "address (needs the 'ray' extra)",
    )
    b.add_argument(
        "--rerun",
        action="store_true",
        help="translate documents the manifest in --out says are finished too",
    )
    b.add_argument(
        "--fail-fast",
        action="store_true",
        help="stop at the first bad document (default: report it and go on)",
    )
    p.set_defaults(func=run)


def is_batch(args: argparse.Namespace) -> bool:
    """Several paths, a folder, a glob, or a batch option: the batch mode with its manifest."""
    path = Path(args.paths[0])
    return (
        len(args.paths) > 1
        or path.is_dir()
        or (not path.exists() and bool(set("*?[") & set(args.paths[0])))
        or bool(args.jobs or args.ray or args.rerun or args.fail_fast)
    )


def run(args: argparse.Namespace) -> int:
    from rich.console import Console

    from translate.batch.workers import default_threads, use_threads
    from translate.cli._batch import ArgsPipeline, load_gate_and_glossary, progress_bars, run_many
    from translate.export import output_names
    from translate.markup import format_for
    from translate.markup import read_document as read_markup
    from translate.memory import TranslationMemory
    from translate.pipeline import find_references, located_references

    if is_batch(args):
        return run_many(args)
    console = Console(stderr=True)
    show = not args.quiet and not args.json
    live = show and console.is_terminal
    source = Path(args.paths[0])
    check_name(source)
    fmt = format_for(source, args.input_format)
    document, warnings = read_markup(read_document(source, encoding=args.encoding), fmt)
    if not document.segments:
        raise InputError(f"{source}: no translatable text in this {fmt} document; check the file.")
    for warning in warnings[:MAX_WARNINGS]:
        print(f"translate: warning: {source}: {warning}", file=sys.stderr)
    if len(warnings) > MAX_WARNINGS:
        more = len(warnings) - MAX_WARNINGS
        print(f"translate: warning: {source}: {more} more markup defects", file=sys.stderr)
    targets = target_tags(split_languages(args.to))
    loaded = load_gate_and_glossary(args)  # bad files fail before the models load
    references = {
        lang: located_references(document, find_references(source, lang, args.refs), lang)
        for lang in targets
    }
    check_output_dir(args.out, output_names(source.stem, targets, args.formats))
    if args.use_memory:  # a directory or a file that is no memory fails before the models load
        with TranslationMemory(args.memory) as memory:
            memory.check()

    started = time.perf_counter()
    if args.threads is None:
        use_threads(default_threads(1))
    make = ArgsPipeline.from_args(args, show=show, loaded=loaded, release_engines=True)
    with make() as pipeline:
        kwargs: dict[str, Any] = {
            "formats": args.formats,
            "references": references,
            "force": args.force,
            "source_path": public_path(source),
            "export_options": export_options(args),
        }
        if live:
            with progress_bars(console) as bars:
                tasks = {
                    lang: bars.add_task(lang, total=len(document.segments)) for lang in targets
                }
                report = pipeline.run(
                    document,
                    args.out,
                    source.stem,
                    progress=lambda lang, done, total: bars.update(
                        tasks[lang], completed=done, total=total
                    ),
                    **kwargs,
                )
        else:
            report = pipeline.run(document, args.out, source.stem, **kwargs)
    summary = {"source": str(source), "out": str(args.out), **report.to_dict()}
    summary["seconds"] = round(time.perf_counter() - started, 3)
    if args.json:
        sys.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
    elif not args.quiet:
        _render(summary)
    failed = report.failed
    for lang_run in failed:
        for check in lang_run.gate.failures if lang_run.gate else ():
            if args.force:
                if not args.quiet:
                    print(f"translate: warning: {lang_run.lang}: {check.message}", file=sys.stderr)
            else:
                print(f"translate: {lang_run.lang}: {check.message}", file=sys.stderr)
    langs = ", ".join(r.lang for r in failed)
    if failed and args.force:
        if not args.quiet:
            print(
                f"translate: warning: quality gate missed for {langs}; exported anyway (--force).",
                file=sys.stderr,
            )
    elif failed:
        raise GateFailed(
            f"quality gate failed for {langs}: no file was written for "
            f"{'it' if len(failed) == 1 else 'them'}; pass --force to export anyway, or "
            "--thresholds FILE to gate with other thresholds."
        )
    return EXIT_OK


def _fmt(x: object, spec: str = ".1f") -> str:
    return "—" if x is None else format(x, spec)


def _render(summary: dict[str, Any]) -> None:
    from rich.console import Console

    from translate.cli._tables import compact_table, short_col
    from translate.cli._terminal import cell

    # ten short columns: they fit in 80 (CI logs) only without vertical rules
    table = compact_table(
        short_col("lang"),
        short_col("segs", justify="right"),
        short_col("origins"),
        *(short_col(name, justify="right") for name in ("terms", "BLEU", "chrF", "TER")),
        short_col("l10n", justify="right"),
        short_col("QA"),
        short_col("gate"),
        title=cell(f"{summary['source']} → {summary['out']}/"),
        caption="origins: mt/cache/memory/passthrough; l10n: changes by the localization pass; "
        "QA: critical/major/minor",
    )
    written: dict[str, list[str]] = {}
    for lang, info in summary["languages"].items():
        o, qa, metrics = info["origins"], info["qa"], info["metrics"] or {}
        gate = info["gate"]
        if gate is None:
            verdict = "[dim]off[/]"
        else:
            verdict = "[green]pass[/]" if gate["passed"] else "[red]FAIL[/]"
        # what follows "<stem>.<lang>." in each file name, once (doc may be the txt or md file)
        exts = " ".join(
            sorted({Path(p).name.split(f".{lang}.", 1)[-1] for p in info["files"].values()})
        )
        written.setdefault(exts or "[red]nothing[/]", []).append(lang)
        table.add_row(
            lang,
            str(info["segments"]),
            f"{o.get('mt', 0)}/{o.get('cache', 0)}/{o.get('memory', 0)}/{o.get('passthrough', 0)}",
            _fmt(info["term_accuracy"], ".2f"),
            _fmt(metrics.get("bleu")),
            _fmt(metrics.get("chrf")),
            _fmt(metrics.get("ter")),
            str(info.get("localized", 0)),
            f"{qa.get('critical', 0)}/{qa.get('major', 0)}/{qa.get('minor', 0)}",
            verdict,
        )
    console = Console()
    console.print(table)
    for exts, langs in written.items():
        console.print(f"wrote {exts} for {', '.join(langs)}", highlight=False)
