"""Many documents at once: ``translate run PATH...`` over files, folders and globs.

Models are loaded once per worker, finished documents are recorded in a manifest in the output
folder and skipped by the next identical run, a bad document is reported and the batch goes on,
and the work can be spread over local worker processes (``jobs``) or a Ray cluster (``ray``)::

    from translate.batch import run_batch
    report = run_batch(["articles/fr"], "out", make_pipeline, languages=["en", "de"], jobs=2)
    report.exit_code, report.to_dict()["documents"]

:meth:`translate.pipeline.Pipeline.run_many` does the same with a pipeline already built.
"""

from translate.batch.discover import BatchItem, discover
from translate.batch.manifest import MANIFEST_NAME, Manifest
from translate.batch.report import BatchReport, DocumentError, DocumentReport
from translate.batch.runner import BatchProgress, run_batch
from translate.batch.workers import PipelineFactory, default_threads

__all__ = [
    "MANIFEST_NAME",
    "BatchItem",
    "BatchProgress",
    "BatchReport",
    "DocumentError",
    "DocumentReport",
    "Manifest",
    "PipelineFactory",
    "default_threads",
    "discover",
    "run_batch",
]
