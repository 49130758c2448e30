"""What a batch did, document by document: the records behind ``translate run PATH... --json``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from translate.errors import EXIT_GATE, EXIT_OK
from translate.runreport import RunReport

#: Document statuses: translated in this run, skipped (finished by an earlier run with the same
#: input and options), or not translated because of an error in the document itself.
STATUSES = ("translated", "skipped", "error")


@dataclass(frozen=True)
class DocumentError:
    """Why one document could not be translated (picklable: it comes back from workers)."""

    message: str  # a complete sentence, as the CLI prints it
    exit_code: int  # the code the error has when it stops a single-document run


@dataclass(frozen=True)
class DocumentReport:
    """One document of a batch.

    Attributes:
        source: the document's path, as found.
        relative: its path under the input folder or glob base (mirrored under ``--out``).
        status: one of :data:`STATUSES`.
        languages: target language → the ``--json`` summary of that language (as
            :meth:`translate.pipeline.LanguageRun.to_dict`; a skipped document's comes from the
            manifest); empty for an error.
        error: what was wrong with the document (status ``error`` only).
        run: this run's report (status ``translated`` only).
        seconds: time spent on the document in this run (0 when skipped).
    """

    source: str
    relative: str
    status: str
    languages: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    error: DocumentError | None = None
    run: RunReport | None = None
    seconds: float = 0.0

    @property
    def passed(self) -> bool | None:
        """Every language passed its gate (None: the document has an error)."""
        if self.error is not None:
            return None
        return all(_passed(info) for info in self.languages.values())

    @property
    def failed_languages(self) -> tuple[str, ...]:
        """The languages that missed their gate."""
        return tuple(lang for lang, info in self.languages.items() if not _passed(info))

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "relative": self.relative,
            "status": self.status,
            "passed": self.passed,
            "error": None if self.error is None else self.error.message,
            "seconds": round(self.seconds, 3),
            "languages": {lang: dict(info) for lang, info in self.languages.items()},
        }


def _passed(info: Mapping[str, Any]) -> bool:
    gate = info.get("gate")
    return gate is None or bool(gate.get("passed"))


@dataclass(frozen=True)
class BatchReport:
    """What :func:`translate.batch.run_batch` did.

    ``documents`` are in discovery order; ``stopped`` is True when ``fail_fast`` ended the batch
    at an error (the documents after it are absent).
    """

    out: str
    formats: tuple[str, ...]
    documents: tuple[DocumentReport, ...]
    forced: bool = False
    stopped: bool = False
    seconds: float = 0.0
    workers: int = 1
    backend: str = "local"

    @property
    def errors(self) -> tuple[DocumentReport, ...]:
        return tuple(d for d in self.documents if d.error is not None)

    @property
    def failed(self) -> tuple[DocumentReport, ...]:
        """Documents with a language that missed its gate."""
        return tuple(d for d in self.documents if d.passed is False)

    @property
    def passed(self) -> bool:
        """Every document was read and every language of each passed its gate."""
        return not self.errors and not self.failed and not self.stopped

    @property
    def exit_code(self) -> int:
        """The first bad document's code (3: unreadable, not UTF-8, empty; 8: its references);
        else 6 when a document missed its gate without ``force``; else 0."""
        if self.errors:
            return self.errors[0].error.exit_code  # type: ignore[union-attr]
        if self.failed and not self.forced:
            return EXIT_GATE
        return EXIT_OK

    def counts(self) -> dict[str, int]:
        return {
            "documents": len(self.documents),
            "translated": sum(d.status == "translated" for d in self.documents),
            "skipped": sum(d.status == "skipped" for d in self.documents),
            "errors": len(self.errors),
            "failed_gate": len(self.failed),
        }

    def to_dict(self) -> dict[str, Any]:
        """The ``--json`` summary of a batch."""
        return {
            "out": self.out,
            "passed": self.passed,
            "forced": self.forced,
            "stopped": self.stopped,
            "formats": list(self.formats),
            "backend": self.backend,
            "workers": self.workers,
            "seconds": round(self.seconds, 3),
            "counts": self.counts(),
            "failed": [d.source for d in self.failed],
            "errors": [
                {"source": d.source, "error": d.error.message} for d in self.errors if d.error
            ],
            "documents": [d.to_dict() for d in self.documents],
        }
