"""Loading the checks configuration and running the checks on segments and documents."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from translate._io import check_shape, read_data, read_json
from translate.checks.config import LATIN, SEVERITIES, ChecksConfig, Context
from translate.checks.rules import CHECKS, OPTIONAL_CHECKS, OPTIONAL_KEYS, REQUIRED_KEYS
from translate.errors import ConfigError
from translate.markup.placeholders import matching_source
from translate.spans import SpanFinder, default_trim, span_patterns
from translate.units import CheckResult, DocumentResult, ResultSummary, SegmentMarkup

if TYPE_CHECKING:
    from translate.score import GlossaryLike
    from translate.terms import SegmentTerms

#: The spans the ``urls`` check follows (names of ``spans.json`` patterns).
LINKS = ("url", "email", "handle")

__all__ = ["check_result", "count_by_severity", "describe_checks", "load_checks", "run_checks"]


def _parse_config(data: Any, path: str) -> ChecksConfig:
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a JSON object; see translate/data/checks.json.")
    missing = [k for k in REQUIRED_KEYS if k not in data]
    if missing:
        raise ConfigError(
            f"{path}: missing key {missing[0]!r}; copy it from translate/data/checks.json."
        )
    for name, spec in data["checks"].items():
        if name not in CHECKS:
            raise ConfigError(
                f"{path}: unknown check {name!r}; known checks are: {', '.join(CHECKS)}."
            )
        if not isinstance(spec, dict) or spec.get("severity") not in SEVERITIES:
            raise ConfigError(
                f"{path}: check {name!r} needs a severity, one of: {', '.join(SEVERITIES)}."
            )
    late = [n for n in OPTIONAL_CHECKS if n not in data["checks"]]
    missing_keys = [k for k in OPTIONAL_KEYS if k not in data]
    if late or missing_keys:  # a file written before these checks existed: the bundled entries
        bundled = json.loads(read_data("checks.json"))
        data = {**data, "checks": {**data["checks"], **{n: bundled["checks"][n] for n in late}}}
        data.update({k: bundled[k] for k in missing_keys})
    absent = [n for n in CHECKS if n not in data["checks"]]
    if absent:
        raise ConfigError(
            f'{path}: check {absent[0]!r} is not configured; add it (use "enabled": false to '
            "turn it off)."
        )
    patterns = {}
    links = {**span_patterns(data.get("spans", LINKS), origin=path), **data["patterns"]}
    sources = {**links, "passthrough": data["untranslated"].get("passthrough", "")}
    for name, rx in sources.items():
        try:
            patterns[name] = re.compile(rx)
        except (re.error, TypeError) as err:
            raise ConfigError(f"{path}: pattern {name!r} is not a valid regex ({err}).") from None
    for name in LINKS:
        if name not in patterns:
            raise ConfigError(f"{path}: patterns needs {name!r}.")
    for key in ("expected", "tolerance", "min_source_letters"):
        if key not in data["length_ratio"]:
            raise ConfigError(
                f"{path}: length_ratio needs {key!r}; copy it from translate/data/checks.json."
            )
    if not isinstance(data["dnt"].get("near_miss_min_chars"), int):
        raise ConfigError(
            f"{path}: dnt needs an integer 'near_miss_min_chars'; copy it from "
            "translate/data/checks.json."
        )
    numbers = data["numbers"]
    extra: dict[str, tuple[str, int]] = {}
    for section in ("times", "idioms"):
        for lang, rxs in numbers.get(section, {}).items():
            if lang.startswith("_"):
                continue
            for i, rx in enumerate(rxs):
                extra[f"{section}.{lang}.{i}"] = (rx, 0)
    for lang, words in numbers.get("words", {}).items():
        if lang.startswith("_"):
            continue
        for i, rx in enumerate(words):
            bounded = rf"(?<![{LATIN}])(?:{rx})(?![{LATIN}])"
            extra[f"words.{lang}.{i}"] = (bounded, re.IGNORECASE)
    for name, (rx, flags) in extra.items():
        try:
            patterns[name] = re.compile(rx, flags)
        except (re.error, TypeError) as err:
            raise ConfigError(f"{path}: numbers {name!r} is not a valid regex ({err}).") from None
        if name.startswith("times.") and "h" not in patterns[name].groupindex:
            raise ConfigError(f"{path}: numbers {name!r} needs a (?P<h>...) group for the hour.")
    finder = SpanFinder({n: links[n] for n in LINKS}, default_trim(), origin=path)
    return ChecksConfig(data=data, path=path, patterns=patterns, links=finder)


@cache
def _default_config() -> ChecksConfig:
    return _parse_config(json.loads(read_data("checks.json")), "translate/data/checks.json")


def load_checks(path: str | os.PathLike[str] | None = None) -> ChecksConfig:
    """The QA configuration: the bundled ``checks.json``, or a user's copy of it.

    Raises:
        ConfigError: the file is not valid JSON or names unknown checks or severities.
    """
    if path is None:
        return _default_config()
    data = read_json(path)
    if isinstance(data, dict):
        template = json.loads(read_data("checks.json"))
        check_shape(data, template, name=str(Path(path)), model="translate/data/checks.json")
    return _parse_config(data, str(Path(path)))


def describe_checks(config: ChecksConfig | None = None) -> list[dict[str, Any]]:
    """Every check with its severity, description and whether it is enabled."""
    cfg = config or load_checks()
    return [
        {
            "check": name,
            "severity": cfg.severity(name),
            "enabled": cfg.enabled(name),
            "description": cfg.checks[name].get("description", ""),
        }
        for name in CHECKS
    ]


# --------------------------------------------------------------------------- running


def run_checks(
    source: str,
    target: str,
    lang: str,
    *,
    dnt: Iterable[str] = (),
    origin: str = "mt",
    config: ChecksConfig | None = None,
    markup: SegmentMarkup | None = None,
) -> tuple[CheckResult, ...]:
    """All enabled QA checks on one translated segment.

    Args:
        source: the French segment.
        target: its translation.
        lang: target language code (number formats, length ratio, spacing rules).
        dnt: do-not-translate names that must appear unchanged when present in the source.
        origin: the segment's origin; ``passthrough`` segments are never "untranslated".
        config: a configuration from :func:`load_checks` (default: the bundled one).
        markup: the segment's inline markup as restored (Markdown/HTML input), for ``markup``.

    Returns:
        One :class:`CheckResult` per problem, in check order; an empty target reports only
        ``empty``.
    """
    cfg = config or load_checks()
    ctx = Context(source, target, lang, tuple(dnt), origin, cfg, markup)
    found: list[CheckResult] = []
    for name, fn in CHECKS.items():
        if not cfg.enabled(name):
            continue
        found.extend(CheckResult(name, cfg.severity(name), msg) for msg in fn(ctx))
        if name == "empty" and found:
            break
    return tuple(found)


def count_by_severity(checks: Iterable[CheckResult]) -> dict[str, int]:
    """Number of findings per severity (every severity present, zero when none)."""
    counts = dict.fromkeys(SEVERITIES, 0)
    for c in checks:
        counts[c.severity] = counts.get(c.severity, 0) + 1
    return counts


def check_result(
    result: DocumentResult,
    *,
    dnt: Iterable[str] = (),
    glossary: GlossaryLike | None = None,
    config: ChecksConfig | None = None,
    found: Sequence[SegmentTerms] | None = None,
) -> DocumentResult:
    """Run the QA checks on every segment; store them and ``summary["checks"]`` (counts).

    Earlier findings are replaced, so checking twice gives the same result. The
    do-not-translate names found in a segment's source join ``dnt`` for that segment: from
    ``found`` (each segment's terms as the pipeline matched them), else from matching
    ``glossary``.
    """
    names = tuple(dnt)
    if found is not None and len(found) != len(result.segments):
        raise ValueError("check_result needs one SegmentTerms per segment of the result.")
    segments = []
    for i, seg in enumerate(result.segments):
        seg_dnt = names
        if found is not None:
            seg_dnt += found[i].dnt_names
        elif glossary is not None:
            seg_dnt += tuple(m.text for m in glossary.match(matching_source(seg)) if m.dnt)
        checks = run_checks(
            seg.source,
            seg.target,
            result.target_lang,
            dnt=seg_dnt,
            origin=seg.origin,
            config=config,
            markup=seg.markup,
        )
        segments.append(replace(seg, checks=checks))
    counts = count_by_severity(c for s in segments for c in s.checks)
    summary: ResultSummary = {**result.summary, "checks": counts}
    return replace(result, segments=tuple(segments), summary=summary)
