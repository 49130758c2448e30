"""QA checks on translated segments: numbers, links, names, copies, loops, brackets, spacing.

Each check is a named function registered in :data:`CHECKS`; its severity, description and the
patterns and per-language tables it uses (number formats, scale words, expected length ratios)
live in ``translate/data/checks.json`` so a user can read, tune and extend them. Severities are
``critical`` (the segment is unusable or breaks something), ``major`` (meaning is wrong) and
``minor`` (cosmetic); the quality gate limits the count of each.

One module per job: :mod:`~translate.checks.config` (the parsed configuration),
:mod:`~translate.checks.numbers` (the number check), :mod:`~translate.checks.rules` (the other
checks and the :data:`CHECKS` registry) and :mod:`~translate.checks.runner` (loading
``checks.json``, running the checks). The public names are re-exported here.
"""

from __future__ import annotations

from translate.checks.config import SEVERITIES, ChecksConfig
from translate.checks.numbers import _localize as _localize  # the tests use it
from translate.checks.numbers import parse_numbers
from translate.checks.rules import CHECKS
from translate.checks.runner import (
    check_result,
    count_by_severity,
    describe_checks,
    load_checks,
    run_checks,
)

__all__ = [
    "CHECKS",
    "SEVERITIES",
    "ChecksConfig",
    "check_result",
    "count_by_severity",
    "describe_checks",
    "load_checks",
    "parse_numbers",
    "run_checks",
]
