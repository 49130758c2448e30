"""Where a batch's documents are translated: in this process, in local worker processes, on Ray.

A backend receives :class:`Task` objects (a document's text and loaded references) and hands back
each one's :class:`~translate.pipeline.EvaluatedLanguage` tuple, or a
:class:`~translate.batch.report.DocumentError`; it never writes files (the driver exports, so
every backend writes the same bytes). Each worker loads its models once, when it starts.

Threads: a worker uses ``threads`` CPU threads (the caller's ``--threads``, else
:func:`default_threads`), set through ``OMP_NUM_THREADS`` before torch is imported and not
recorded in outputs, so the files do not depend on how many workers made them.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Callable, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from translate.batch.report import DocumentError
from translate.errors import ConfigError, InputError, ScoreError, TranslateError

if TYPE_CHECKING:
    from translate.pipeline import Pipeline, ProgressFn
    from translate.runreport import EvaluatedLanguage
    from translate.score import References
    from translate.units import Document

#: ``make_pipeline()``: a context manager that builds the engines and yields a ready Pipeline
#: (closing cache and memory on exit). Must be picklable for worker processes and Ray.
PipelineFactory = Callable[[], AbstractContextManager["Pipeline"]]
#: Errors that concern one document (its text or references): reported, the batch goes on.
DOCUMENT_ERRORS: tuple[type[TranslateError], ...] = (InputError, ScoreError, ConfigError)


@dataclass(frozen=True)
class Task:
    """One document for a worker, segmented, with its references: workers read no files."""

    index: int
    source_path: str
    document: Document
    references: Mapping[str, References | None]


def evaluate_task(
    pipeline: Pipeline, task: Task, progress: ProgressFn | None = None
) -> tuple[EvaluatedLanguage, ...] | DocumentError:
    """Translate, check, score and gate one document; its own errors become a DocumentError."""
    try:
        return pipeline.evaluate_document(
            task.document, task.references, source_path=task.source_path, progress=progress
        )
    except DOCUMENT_ERRORS as err:
        return DocumentError(str(err), err.exit_code)


def usable_cores() -> int:
    """CPU cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def default_threads(jobs: int = 1) -> int:
    """Threads per worker so that ``jobs`` workers do not oversubscribe the machine.

    ``$OMP_NUM_THREADS`` when set; else the cores not already busy (the 1-minute load average,
    which other programs make), shared among the workers, at least 1. Oversubscribed inference
    threads spin against each other: on a busy machine one thread per worker is as fast and
    far steadier (evals/README.md, "Batch").
    """
    env = os.environ.get("OMP_NUM_THREADS", "")
    if env.isdigit() and int(env) > 0:
        return int(env)
    cores = usable_cores()
    try:
        busy = int(os.getloadavg()[0])
    except (AttributeError, OSError):
        busy = 0
    return max(1, (cores - min(busy, cores - 1)) // max(1, jobs))


def use_threads(threads: int) -> None:
    """Make inference in this process use ``threads`` threads (torch and OpenMP-based engines)."""
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(threads)
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(threads)


class Backend(Protocol):
    """Runs tasks; at most :attr:`slots` are submitted and not yet collected."""

    name: str
    workers: int
    slots: int

    def submit(self, task: Task) -> None: ...

    def next_done(self) -> tuple[int, tuple[EvaluatedLanguage, ...] | DocumentError]:
        """Block until a submitted task is done; raise what stops the batch (EngineError...)."""
        ...

    def close(self) -> None:
        """Stop the workers (also after Ctrl-C: what runs is abandoned)."""
        ...


class InlineBackend:
    """This process: models loaded once here; per-segment progress."""

    name = "local"
    workers = 1
    slots = 1

    def __init__(
        self,
        make_pipeline: PipelineFactory,
        threads: int | None,
        progress_for: Callable[[int], ProgressFn | None],
    ) -> None:
        self._make = make_pipeline
        self._threads = threads
        self._progress_for = progress_for
        self._stack = contextlib.ExitStack()
        self._pipeline: Pipeline | None = None
        self._task: Task | None = None

    def submit(self, task: Task) -> None:
        self._task = task

    def next_done(self) -> tuple[int, tuple[EvaluatedLanguage, ...] | DocumentError]:
        assert self._task is not None
        task, self._task = self._task, None
        if self._pipeline is None:
            if self._threads:
                use_threads(self._threads)
            self._pipeline = self._stack.enter_context(self._make())
        return task.index, evaluate_task(self._pipeline, task, self._progress_for(task.index))

    def close(self) -> None:
        self._stack.close()


# --- local worker processes -------------------------------------------------------------------

_WORKER: dict[str, Any] = {}


def _init_worker(make_pipeline: PipelineFactory, threads: int | None) -> None:
    # Ctrl-C goes to the whole process group: the driver handles it and stops the workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if threads:
        use_threads(threads)
    _WORKER["make"] = make_pipeline


def _work(task: Task) -> tuple[int, Any]:
    if "pipeline" not in _WORKER:
        stack = contextlib.ExitStack()
        try:
            _WORKER["pipeline"] = stack.enter_context(_WORKER["make"]())
        except TranslateError as err:
            return task.index, err  # a model that cannot be loaded stops the batch
        from multiprocessing.util import Finalize

        Finalize(None, stack.close, exitpriority=10)  # closes cache and memory when it exits
    try:
        return task.index, evaluate_task(_WORKER["pipeline"], task)
    except TranslateError as err:
        return task.index, err


class ProcessBackend:
    """``jobs`` local worker processes (spawned: no state forked from the driver)."""

    name = "processes"

    def __init__(self, make_pipeline: PipelineFactory, jobs: int, threads: int | None) -> None:
        import multiprocessing

        self.workers = jobs
        self.slots = 2 * jobs  # one waiting per worker: no idle gap, bounded memory
        self._pool = ProcessPoolExecutor(
            max_workers=jobs,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_init_worker,
            initargs=(make_pipeline, threads),
        )
        self._futures: set[Future[tuple[int, Any]]] = set()

    def submit(self, task: Task) -> None:
        self._futures.add(self._pool.submit(_work, task))

    def next_done(self) -> tuple[int, tuple[EvaluatedLanguage, ...] | DocumentError]:
        done, _ = wait(self._futures, return_when=FIRST_COMPLETED)
        future = min(done, key=lambda f: f.result()[0])
        self._futures.discard(future)
        index, outcome = future.result()
        if isinstance(outcome, TranslateError):
            raise outcome
        return index, outcome

    def close(self) -> None:
        for future in self._futures:
            future.cancel()
        stop = getattr(self._pool, "terminate_workers", None)  # Python 3.14
        if self._futures and stop is not None:
            stop()
        elif self._futures:
            for process in list(getattr(self._pool, "_processes", {}).values()):
                process.terminate()
        self._pool.shutdown(wait=True, cancel_futures=True)
