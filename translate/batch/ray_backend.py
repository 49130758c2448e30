"""The Ray backend of a batch: one actor per model set, documents sent to the least busy actor.

Imported only for ``--ray`` (``pip install 'translate-fr[ray]'``). Each actor builds the pipeline
once (its engines stay loaded for the whole batch) and evaluates the documents it is sent; the
driver keeps reading inputs and writing every file, so a Ray run writes the bytes a local run
writes. When this module starts the Ray connection it ships the driver's ``translate`` package
to the cluster (``runtime_env.py_modules``), so every node runs the driver's code; the nodes need
the package's dependencies (torch, transformers...) and the models (their own Hugging Face
cache, or a shared folder given with ``--model``).

What is per node, what is shared: each actor opens the translation cache and memory at the
paths of *its* node (``$TRANSLATE_CACHE_DIR``, ``$TRANSLATE_MEMORY``, the defaults): SQLite in
WAL mode keeps several actors of one node correct; put those paths on a local disk of each node,
not on a network file system, where SQLite locking is not reliable.
"""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from translate.batch.workers import PipelineFactory, Task, evaluate_task, use_threads
from translate.errors import EngineError, TranslateError

if TYPE_CHECKING:
    from translate.batch.report import DocumentError
    from translate.runreport import EvaluatedLanguage


class TranslateActor:
    """Holds one pipeline (its engines loaded once) and evaluates documents with it."""

    def __init__(self, make_pipeline: PipelineFactory, threads: int) -> None:
        use_threads(threads)
        self._make = make_pipeline
        self._stack = contextlib.ExitStack()
        self._pipeline: Any = None

    def evaluate(self, task: Task) -> tuple[int, Any]:
        try:
            if self._pipeline is None:
                self._pipeline = self._stack.enter_context(self._make())
            return task.index, evaluate_task(self._pipeline, task)
        except TranslateError as err:
            return task.index, err  # stops the batch on the driver, with its exit code

    def close(self) -> None:
        self._stack.close()


def _connect(ray: Any, address: str) -> bool:
    """Connect to the cluster unless this process already is; True when this call connected."""
    if ray.is_initialized():
        return False
    import translate

    package = str(Path(translate.__file__).resolve().parent)
    try:
        ray.init(
            address=address,
            runtime_env={"py_modules": [package]},
            logging_level=logging.ERROR,
            log_to_driver=False,
        )
    except (ConnectionError, RuntimeError, ValueError) as err:
        raise EngineError(
            f"cannot connect to the Ray cluster at {address!r} ({err}); start one with "
            "'ray start --head' and pass its address (or 'auto' on one of its nodes)."
        ) from None
    return True


class RayBackend:
    """``jobs`` actors (default: the cluster's CPUs / ``threads``), each with ``threads`` CPUs."""

    name = "ray"

    def __init__(
        self, make_pipeline: PipelineFactory, address: str, jobs: int | None, threads: int | None
    ) -> None:
        try:
            import ray
        except ImportError:
            raise EngineError(
                "--ray needs Ray; install it with: pip install 'translate-fr[ray]'."
            ) from None
        self._ray = ray
        self._owns = _connect(ray, address)
        threads = threads or 1
        cpus = int(ray.cluster_resources().get("CPU", 0))
        if jobs is None:
            jobs = max(1, cpus // threads)
        if jobs * threads > cpus:  # the actors that do not fit would wait for ever
            self.close_connection()
            raise EngineError(
                f"{jobs} actors of {threads} CPU(s) need {jobs * threads} CPUs and the Ray "
                f"cluster has {cpus}; lower --jobs or --threads, or add nodes."
            )
        actor = ray.remote(num_cpus=threads)(TranslateActor)
        self._actors: list[Any] = [actor.remote(make_pipeline, threads) for _ in range(jobs)]
        self.workers = jobs
        self.slots = 2 * jobs  # one queued behind each running document
        self._load = [0] * jobs
        self._inflight: dict[Any, int] = {}

    def submit(self, task: Task) -> None:
        i = min(range(len(self._actors)), key=self._load.__getitem__)
        self._inflight[self._actors[i].evaluate.remote(task)] = i
        self._load[i] += 1

    def next_done(self) -> tuple[int, tuple[EvaluatedLanguage, ...] | DocumentError]:
        ready, _ = self._ray.wait(list(self._inflight), num_returns=1)
        self._load[self._inflight.pop(ready[0])] -= 1
        index, outcome = self._ray.get(ready[0])
        if isinstance(outcome, TranslateError):
            raise outcome
        return index, outcome

    def close_connection(self) -> None:
        if self._owns:
            self._ray.shutdown()

    def close(self) -> None:
        ray = self._ray
        if not self._inflight:
            with contextlib.suppress(Exception):
                ray.get([a.close.remote() for a in self._actors], timeout=30)
        for a in self._actors:
            ray.kill(a)
        self.close_connection()
