"""QA checks on translations made elsewhere: line-aligned source and hypothesis files.

``translate checks --src SRC --hyp HYP --lang LANG`` runs every QA check on each pair of lines, as
pofilter does for PO files, so CI can check any MT system's or translator's output. The files are
read twice, line by line (first to compare their line counts, then to check), so memory stays
bounded on any size.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from itertools import zip_longest
from pathlib import Path
from typing import TYPE_CHECKING

from translate.checks.config import SEVERITIES, ChecksConfig
from translate.checks.runner import run_checks
from translate.errors import InputError
from translate.units import CheckResult

if TYPE_CHECKING:
    from translate.score import GlossaryLike

__all__ = ["check_files", "count_lines", "worst_at_least"]


def _lines(path: Path) -> Iterator[str]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for line in fh:
                yield line.rstrip("\r\n")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file; check the path.") from None
    except IsADirectoryError:
        raise InputError(f"{path} is a directory; give a text file, one segment a line.") from None
    except UnicodeDecodeError as err:
        raise InputError(
            f"{path} is not UTF-8 (byte {err.start} of a line); convert it to UTF-8."
        ) from None
    except OSError as err:
        raise InputError(f"cannot read {path} ({err.strerror}); check the path.") from None


def count_lines(path: str | os.PathLike[str]) -> int:
    """Lines of a UTF-8 text file (read as a stream).

    Raises:
        InputError: missing, a directory, unreadable or not UTF-8.
    """
    return sum(1 for _ in _lines(Path(path)))


def check_files(
    src: str | os.PathLike[str],
    hyp: str | os.PathLike[str],
    lang: str,
    *,
    dnt: Iterable[str] = (),
    glossary: GlossaryLike | None = None,
    config: ChecksConfig | None = None,
) -> Iterator[tuple[int, tuple[CheckResult, ...]]]:
    """``(0-based line index, findings)`` for each line pair of two line-aligned files.

    Glossary entries marked do-not-translate that match a source line join ``dnt`` for it.

    Raises:
        InputError: a file cannot be read, or the files have different line counts (checked
            before any line is checked).
    """
    src_path, hyp_path = Path(src), Path(hyp)
    n_src, n_hyp = count_lines(src_path), count_lines(hyp_path)
    if n_src != n_hyp:
        raise InputError(
            f"{src_path} has {n_src} lines but {hyp_path} has {n_hyp}; give line-aligned files "
            "(one segment a line, the same count)."
        )
    names = tuple(dnt)
    pairs = zip_longest(_lines(src_path), _lines(hyp_path), fillvalue="")
    for index, (source, target) in enumerate(pairs):
        seg_dnt = names
        if glossary is not None:
            seg_dnt += tuple(m.text for m in glossary.match(source) if m.dnt)
        yield index, run_checks(source, target, lang, dnt=seg_dnt, config=config)


def worst_at_least(checks: Iterable[CheckResult], level: str) -> bool:
    """Whether a finding is of severity ``level`` or worse (``critical`` is the worst)."""
    rank = SEVERITIES.index(level)
    return any(c.severity in SEVERITIES[: rank + 1] for c in checks)
