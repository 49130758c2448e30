"""The batch driver: plan (discover, digest, skip what is finished), dispatch, export, record.

The driver alone reads inputs and writes outputs: workers (this process, local processes or Ray
actors, see :mod:`translate.batch.workers`) get a document's text and references and give back
its evaluated translations. Each document is exported as :meth:`Pipeline.run` exports one (all
its languages gated before its first file is written, atomically), then recorded in the
manifest, so a batch stopped at any point resumes with the next document.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from translate._io import check_output_dir, public_path, read_document
from translate.batch.discover import BatchItem, discover
from translate.batch.manifest import Manifest, options_digest, sha256_bytes
from translate.batch.report import BatchReport, DocumentError, DocumentReport
from translate.batch.workers import (
    DOCUMENT_ERRORS,
    Backend,
    InlineBackend,
    PipelineFactory,
    ProcessBackend,
    Task,
    default_threads,
)
from translate.errors import InputError
from translate.export import DEFAULT_FORMATS, ExportOptions, parse_formats
from translate.pipeline import Pipeline, find_references
from translate.runreport import EvaluatedLanguage, export_evaluated

#: ``progress(completed, total, current)``: documents × languages done (fractions while a
#: document is under way in this process) out of those to do; ``current`` names the document.
BatchProgress = Callable[[float, int, str], None]


@dataclass(frozen=True)
class _Planned:
    index: int
    digest: str
    references: dict[str, Path | None]
    reference_digests: dict[str, str]


def _digest_file(path: Path) -> str:
    try:
        return sha256_bytes(path.read_bytes())
    except OSError as err:
        raise InputError(f"{path}: cannot read ({err.strerror}); check its permissions.") from None


def _plan(
    item: BatchItem,
    index: int,
    languages: Sequence[str],
    refs_dir: str | os.PathLike[str] | None,
    encoding: str | None,
) -> _Planned:
    text = read_document(item.path, encoding=encoding)
    refs = {lang: find_references(item.path, lang, refs_dir) for lang in languages}
    ref_digests = {lang: _digest_file(p) for lang, p in refs.items() if p is not None}
    return _Planned(index, sha256_bytes(text.encode("utf-8")), refs, ref_digests)


def _task(
    item: BatchItem, plan: _Planned, encoding: str | None, input_format: str | None
) -> Task | DocumentError:
    """Read and segment the document again (nothing is kept between planning and work), and
    load its references, for a worker: workers never read the driver's files."""
    from translate.markup import format_for
    from translate.markup import read_document as read_markup
    from translate.score import load_references

    try:
        fmt = format_for(item.path, input_format)
        document, _ = read_markup(read_document(item.path, encoding=encoding), fmt)
        if not document.segments:
            raise InputError(
                f"{item.path}: no translatable text in this {fmt} document; check the file."
            )
        refs = {
            lang: None if p is None else load_references(p, lang)
            for lang, p in plan.references.items()
        }
    except DOCUMENT_ERRORS as err:
        return DocumentError(str(err), err.exit_code)
    return Task(plan.index, public_path(item.path), document, refs)


def _languages_from_entry(entry: Mapping[str, Any], out: Path) -> dict[str, dict[str, Any]]:
    """A finished document's language summaries, with its files' paths as this run names them."""
    languages: dict[str, dict[str, Any]] = {}
    for lang, info in (entry.get("languages") or {}).items():
        files = entry["files"].get(lang, {})
        languages[lang] = {**info, "files": {f: str(out / name) for f, name in files.items()}}
    return languages


def run_batch(
    paths: Sequence[str | os.PathLike[str]],
    out_dir: str | os.PathLike[str],
    make_pipeline: PipelineFactory,
    *,
    languages: Sequence[str],
    formats: Sequence[str] | str = DEFAULT_FORMATS,
    force: bool = False,
    refs_dir: str | os.PathLike[str] | None = None,
    encoding: str | None = None,
    input_format: str | None = None,
    export_options: ExportOptions | None = None,
    rerun: bool = False,
    fail_fast: bool = False,
    fingerprint: Mapping[str, Any] | None = None,
    jobs: int | None = None,
    threads: int | None = None,
    ray: str | None = None,
    progress: BatchProgress | None = None,
) -> BatchReport:
    """Translate every document of ``paths`` into ``languages``, gate and export each, resumably.

    Args:
        paths: files, folders and glob patterns (see :func:`translate.batch.discover.discover`).
        out_dir: outputs go to ``OUT/<relative folder>/<stem>.<lang>.<ext>``, with the manifest
            ``OUT/translate-manifest.jsonl``.
        make_pipeline: builds the pipeline once per worker (see :data:`PipelineFactory`); its
            engines must cover ``languages``.
        languages: the target languages (for references and the manifest).
        formats, force: as :meth:`Pipeline.run`.
        refs_dir, encoding, input_format: as ``translate run --refs``, ``--encoding`` and
            ``--input-format`` (None: from each file's extension).
        export_options: the formats' layout options, as :meth:`Pipeline.run`.
        rerun: translate documents the manifest says are finished too.
        fail_fast: stop at the first document with an error (else it is reported, the batch
            goes on).
        fingerprint: what else shapes the outputs (models, glossary, gate...): a finished
            document is redone when its fingerprint, input or references changed.
        jobs: worker processes (None or 1: this process), or Ray actors with ``ray`` (None:
            the cluster's CPUs / ``threads``).
        threads: inference threads per worker (None: :func:`default_threads` locally, 1 per
            actor on Ray).
        ray: a Ray cluster address (``"auto"``: the running one); None: local.
        progress: see :data:`BatchProgress`.

    Raises:
        InputError: a path, folder or pattern without documents, or clashing output names (all
            before any model is loaded). OutputError, EngineError, UnknownFormatError: as
            :meth:`Pipeline.run`; they stop the batch.
    """
    started = time.perf_counter()
    names = parse_formats(formats)
    out = check_output_dir(out_dir)
    items = discover(paths, exclude=out)
    if refs_dir is not None and not Path(refs_dir).is_dir():
        find_references(items[0].path, languages[0], refs_dir)  # raises its InputError
    options = options_digest(
        {
            "languages": list(languages),
            "formats": list(names),
            "force": force,
            "encoding": encoding,
            "input_format": input_format,
            "export": export_options,
            "refs": None if refs_dir is None else os.fspath(refs_dir),
            "pipeline": dict(fingerprint or {}),
        }
    )
    reports: dict[int, DocumentReport] = {}
    manifest = Manifest(out)
    todo: list[_Planned] = []
    stopped = False
    for i, item in enumerate(items):
        rel = str(item.relative)
        try:
            plan = _plan(item, i, languages, refs_dir, encoding)
        except InputError as err:
            reports[i] = DocumentReport(str(item.path), rel, "error", error=_error(err))
            if fail_fast:
                stopped = True
                break
            continue
        entry = (
            None if rerun else manifest.finished(rel, plan.digest, options, plan.reference_digests)
        )
        if entry is not None:
            langs = _languages_from_entry(entry, out)
            reports[i] = DocumentReport(str(item.path), rel, "skipped", languages=langs)
        else:
            todo.append(plan)

    total = len(todo) * len(languages)
    plans = {p.index: p for p in todo}
    finished = 0
    backend: Backend | None = None

    def progress_for(index: int) -> Callable[[str, int, int], None] | None:
        if progress is None:
            return None
        order = {lang: n for n, lang in enumerate(languages)}
        name = str(items[index].relative)
        return lambda lang, done, n: progress(
            finished * len(languages) + order.get(lang, 0) + (done / n if n else 1.0), total, name
        )

    try:
        if todo and not stopped:
            backend = _backend(make_pipeline, jobs, threads, ray, progress_for)
            for index, outcome in _dispatch(backend, items, todo, encoding, input_format):
                item = items[index]
                finished += 1
                if isinstance(outcome, DocumentError):
                    reports[index] = DocumentReport(
                        str(item.path), str(item.relative), "error", error=outcome
                    )
                    if fail_fast:
                        stopped = True
                        break
                else:
                    reports[index] = _export(
                        item,
                        outcome,
                        plans[index],
                        (names, export_options),
                        out,
                        force,
                        manifest,
                        options,
                    )
                if progress is not None:
                    progress(finished * len(languages), total, str(item.relative))
    finally:
        manifest.close()
        if backend is not None:
            backend.close()
    return BatchReport(
        out=str(out),
        formats=names,
        documents=tuple(reports[i] for i in sorted(reports)),
        forced=force,
        stopped=stopped,
        seconds=time.perf_counter() - started,
        workers=backend.workers if backend is not None else 0,
        backend=backend.name if backend is not None else "none",
    )


def _error(err: InputError) -> DocumentError:
    return DocumentError(str(err), err.exit_code)


def _backend(
    make_pipeline: PipelineFactory,
    jobs: int | None,
    threads: int | None,
    ray: str | None,
    progress_for: Callable[[int], Any],
) -> Backend:
    if ray is not None:
        from translate.batch.ray_backend import RayBackend

        return RayBackend(make_pipeline, ray, jobs, threads)
    jobs = jobs or 1
    threads = threads or default_threads(jobs)
    if jobs == 1:
        return InlineBackend(make_pipeline, threads, progress_for)
    return ProcessBackend(make_pipeline, jobs, threads)


def _dispatch(
    backend: Backend,
    items: Sequence[BatchItem],
    todo: Sequence[_Planned],
    encoding: str | None,
    input_format: str | None,
) -> Iterator[tuple[int, tuple[EvaluatedLanguage, ...] | DocumentError]]:
    """Keep the backend's slots full, reading each document just before it is sent."""
    pending = 0
    plans = iter(todo)
    while True:
        while pending < backend.slots:
            plan = next(plans, None)
            if plan is None:
                break
            task = _task(items[plan.index], plan, encoding, input_format)
            if isinstance(task, DocumentError):
                yield plan.index, task
                continue
            backend.submit(task)
            pending += 1
        if not pending:
            return
        yield backend.next_done()
        pending -= 1


def _export(
    item: BatchItem,
    evaluated: tuple[EvaluatedLanguage, ...],
    plan: _Planned,
    formats: tuple[tuple[str, ...], ExportOptions | None],
    out: Path,
    force: bool,
    manifest: Manifest,
    options: str,
) -> DocumentReport:
    """Write one document's files, then its manifest line."""
    names, layout = formats
    folder = out / item.relative.parent
    run = export_evaluated(evaluated, names, folder, item.stem, force=force, options=layout)
    summary = run.to_dict()["languages"]
    files = {
        r.lang: {f: Path(p).relative_to(out).as_posix() for f, p in r.files.items()}
        for r in run.languages
    }
    manifest.record(
        {
            "input": str(item.relative),
            "digest": plan.digest,
            "options": options,
            "references": plan.reference_digests,
            "files": files,
            "languages": {
                lang: {k: v for k, v in info.items() if k != "files"}
                for lang, info in summary.items()
            },
        }
    )
    seconds = sum(r.seconds for r in run.languages)
    return DocumentReport(
        str(item.path), str(item.relative), "translated", summary, run=run, seconds=seconds
    )


def run_with_pipeline(
    pipeline: Pipeline,
    paths: Sequence[str | os.PathLike[str]],
    out_dir: str | os.PathLike[str],
    **kwargs: Any,
) -> BatchReport:
    """:func:`run_batch` in this process with a built pipeline (:meth:`Pipeline.run_many`).

    Its fingerprint is what the pipeline records in provenance, its gate and QA settings.
    """
    fingerprint = {
        "provenance": {lang: pipeline.provenance(lang) for lang in pipeline.engines},
        "thresholds": pipeline.thresholds,
        "dnt": list(pipeline.dnt),
        "checks": pipeline.checks_config,
    }
    kwargs.setdefault("fingerprint", fingerprint)
    return run_batch(
        paths,
        out_dir,
        lambda: contextlib.nullcontext(pipeline),
        languages=list(pipeline.engines),
        **kwargs,
    )
