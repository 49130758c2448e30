"""``translate run PATH...`` over many documents: the CLI side of :mod:`translate.batch`.

:class:`ArgsPipeline` turns the parsed ``run`` options into a pipeline (also for the single-file
run); it is picklable, so worker processes and Ray actors build the same pipeline from it,
whatever engine options the parser has. The rest parses nothing: it calls
:func:`translate.batch.run_batch`, shows one progress bar and renders the summary.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from translate.cli._engine import build_from_args, load_glossary_files
from translate.engine.registry import split_languages
from translate.localize.locales import language_of, target_tags

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress

    from translate.batch import BatchReport
    from translate.gate import Thresholds
    from translate.glossary import Glossary
    from translate.pipeline import Pipeline

#: ``run`` options that do not change what is written: left out of the manifest's fingerprint.
NOT_SHAPING = frozenset(
    {"func", "command", "paths", "out", "json", "quiet", "jobs", "ray", "rerun", "fail_fast"}
    | {"threads", "workers", "batch_tokens", "cache", "cache_dir", "offline"}
    # run_batch adds these itself, normalised (``--to en,de`` and ``--to en --to de`` are one)
    | {"to", "formats", "force", "refs", "encoding"}
)


@dataclass(frozen=True)
class ArgsPipeline:
    """``make_pipeline`` for :func:`translate.batch.run_batch` from ``translate run``'s options."""

    options: dict[str, Any]  # vars(args) without the handler
    show: bool = False  # "loading" lines and download bars on stderr
    loaded: tuple[Any, Any] | None = None  # (glossary, thresholds) already loaded, in-process
    release_engines: bool = False  # one document: free each language's models when it is done

    @classmethod
    def from_args(
        cls,
        args: argparse.Namespace,
        *,
        show: bool = False,
        loaded: tuple[Any, Any] | None = None,
        release_engines: bool = False,
    ) -> ArgsPipeline:
        options = {k: v for k, v in vars(args).items() if k != "func"}
        return cls(options, show, loaded, release_engines)

    @contextlib.contextmanager
    def __call__(self) -> Iterator[Pipeline]:
        from rich.console import Console

        from translate.memory import TranslationMemory
        from translate.pipeline import Pipeline

        args = argparse.Namespace(**self.options)
        glossary, thresholds = self.loaded or load_gate_and_glossary(args)
        console = Console(stderr=True) if self.show else None
        targets = target_tags(split_languages(args.to))
        languages = list(dict.fromkeys(language_of(t) for t in targets))
        built, options, cache = build_from_args(args, languages, console=console)
        engines = {t: built[language_of(t)] for t in targets}  # sibling locales share one engine
        memory = TranslationMemory(args.memory) if args.use_memory else None
        try:
            yield Pipeline(
                engines,
                glossary=glossary,
                options=options,
                memory=memory,
                thresholds=thresholds,
                dnt=tuple(args.dnt),
                protect=args.protect,
                localize=args.localize,
                release_engines=self.release_engines,
            )
        finally:
            if cache is not None:
                cache.close()
            if memory is not None:
                memory.close()


def progress_bars(console: Console) -> Progress:
    """The progress display of ``translate run`` (a bar per language, or one for a batch)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    return Progress(
        "[bold]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )


def load_gate_and_glossary(args: argparse.Namespace) -> tuple[Glossary | None, Thresholds | None]:
    """The ``-g`` glossary and the quality gate the options ask for (None: none)."""
    from translate.gate import load_thresholds
    from translate.pipeline import load_default_thresholds

    thresholds = None
    if args.gate:
        thresholds = (
            load_thresholds(args.thresholds) if args.thresholds else load_default_thresholds()
        )
    return load_glossary_files(args.glossary), thresholds


def fingerprint(args: argparse.Namespace) -> dict[str, Any]:
    """The options that shape the outputs, with the content digests of the files they name."""
    from translate._io import read_document
    from translate.batch.manifest import sha256_bytes

    shaping = {k: v for k, v in sorted(vars(args).items()) if k not in NOT_SHAPING}
    glossary = load_glossary_files(args.glossary)  # also checks it before any model is loaded
    shaping["glossary"] = None if glossary is None else glossary.digest
    if args.gate and args.thresholds:
        text = read_document(args.thresholds)
        shaping["thresholds"] = sha256_bytes(text.encode("utf-8"))
    return shaping


def run_many(args: argparse.Namespace) -> int:
    """``translate run`` with several documents, a folder or a glob."""
    from rich.console import Console

    from translate.batch import run_batch
    from translate.gate import load_thresholds

    console = Console(stderr=True)
    show = not args.quiet and not args.json
    live = show and console.is_terminal
    from translate.cli.export import export_options
    from translate.markup import format_for

    targets = target_tags(split_languages(args.to))
    if args.input_format:
        format_for("", args.input_format)  # an unknown one fails before any work
    if args.gate and args.thresholds:
        load_thresholds(args.thresholds)  # a bad file fails before any work
    kwargs: dict[str, Any] = {
        "languages": targets,
        "formats": args.formats,
        "force": args.force,
        "refs_dir": args.refs,
        "encoding": args.encoding,
        "input_format": args.input_format,
        "export_options": export_options(args),
        "rerun": args.rerun,
        "fail_fast": args.fail_fast,
        "fingerprint": fingerprint(args),
        "jobs": args.jobs,
        "threads": args.threads,
        "ray": args.ray,
    }
    make = ArgsPipeline.from_args(args, show=live and not args.jobs and not args.ray)
    if live:
        with progress_bars(console) as bars:
            bar = bars.add_task("documents × languages", total=None)

            def progress(done: float, total: int, current: str) -> None:
                bars.update(bar, completed=done, total=total, description=current)

            report = run_batch(args.paths, args.out, make, progress=progress, **kwargs)
    else:
        report = run_batch(args.paths, args.out, make, **kwargs)
    if args.json:
        sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n")
    elif not args.quiet:
        _render(report)
    _complain(report, quiet=args.quiet)
    return report.exit_code


def _complain(report: BatchReport, *, quiet: bool) -> None:
    """One stderr line per bad document and per missed threshold, then what it means."""
    for doc in report.errors:
        print(f"translate: error: {doc.error.message if doc.error else ''}", file=sys.stderr)
    for doc in report.failed:
        for lang in doc.failed_languages:
            for failure in (doc.languages[lang].get("gate") or {}).get("failures", []):
                line = f"{doc.source}: {lang}: {failure.get('message')}"
                if not report.forced:
                    print(f"translate: {line}", file=sys.stderr)
                elif not quiet:
                    print(f"translate: warning: {line}", file=sys.stderr)
    failed = ", ".join(f"{d.source} ({', '.join(d.failed_languages)})" for d in report.failed)
    if report.failed and report.forced:
        if not quiet:
            print(
                f"translate: warning: quality gate missed for {failed}; exported anyway (--force).",
                file=sys.stderr,
            )
    elif report.failed:
        print(
            f"translate: error: quality gate failed for {len(report.failed)} document(s): "
            f"{failed}; no file was written for those languages; pass --force to export anyway, "
            "or --thresholds FILE to gate with other thresholds.",
            file=sys.stderr,
        )


def _render(report: BatchReport) -> None:
    from rich.console import Console

    from translate.cli._tables import compact_table, short_col, text_col
    from translate.cli._terminal import cell

    counts = report.counts()
    table = compact_table(
        text_col("document"),
        short_col("status"),
        short_col("languages"),
        short_col("segs", justify="right"),
        short_col("s", justify="right"),
        title=cell(f"{counts['documents']} documents → {report.out}/"),
        caption=f"translated {counts['translated']}, skipped {counts['skipped']} (finished "
        f"earlier; --rerun to redo), errors {counts['errors']}, "
        f"missed gate {counts['failed_gate']}; {report.workers} worker(s), {report.seconds:.1f} s",
    )
    for doc in report.documents:
        if doc.error is not None:
            langs, segs = "[red]error[/]", "—"
        else:
            langs = " ".join(
                lang if doc.languages[lang].get("exported") else f"[red]{lang}✗[/]"
                for lang in doc.languages
            )
            segs = str(max((i.get("segments", 0) for i in doc.languages.values()), default=0))
        document = cell(Path(doc.relative).as_posix())
        table.add_row(document, doc.status, langs, segs, f"{doc.seconds:.1f}")
    Console().print(table)
