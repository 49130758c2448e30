"""QA checks on translated segments: numbers, links, names, copies, loops, brackets, spacing.

Each check is a named function registered in :data:`CHECKS`; its severity, description and the
patterns and per-language tables it uses (number formats, scale words, expected length ratios)
live in ``translate/data/checks.json`` so a user can read, tune and extend them. Severities are
``critical`` (the segment is unusable or breaks something), ``major`` (meaning is wrong) and
``minor`` (cosmetic); the quality gate limits the count of each.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from translate._io import check_shape, read_data, read_json
from translate.errors import ConfigError
from translate.units import CheckResult, DocumentResult

if TYPE_CHECKING:
    from translate.score import GlossaryLike

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

#: Severity levels from worst to mildest; the gate counts findings per level.
SEVERITIES = ("critical", "major", "minor")

_LATIN = "A-Za-zÀ-ÖØ-öø-ÿ"


@dataclass(frozen=True)
class ChecksConfig:
    """The parsed ``checks.json``: which checks run, at what severity, with which tables."""

    data: Mapping[str, Any]
    path: str
    patterns: Mapping[str, re.Pattern[str]]

    @property
    def checks(self) -> Mapping[str, Mapping[str, Any]]:
        return self.data["checks"]  # type: ignore[no-any-return]

    def severity(self, name: str) -> str:
        return str(self.checks[name]["severity"])

    def enabled(self, name: str) -> bool:
        return bool(self.checks[name].get("enabled", True))


@dataclass(frozen=True)
class _Context:
    source: str
    target: str
    lang: str
    dnt: tuple[str, ...]
    origin: str
    cfg: ChecksConfig


def _lang(lang: str) -> str:
    return lang.lower().replace("_", "-").split("-")[0]


# --------------------------------------------------------------------------- numbers


@cache
def _number_regex(decimal: str, group: str) -> re.Pattern[str]:
    d = "[" + re.escape(decimal) + "]"
    g = "[" + re.escape(group) + "]" if group else None
    grouped = rf"\d{{1,3}}(?:{g}\d{{3}})+(?!\d)(?:{d}\d+)?|" if g else ""
    return re.compile(rf"(?<![{_LATIN}0-9])(?<![0-9][.,])(?:{grouped}\d+(?:{d}\d+)?)(?!\d)")


def _format(cfg: ChecksConfig, lang: str) -> Mapping[str, Any]:
    numbers = cfg.data["numbers"]
    formats = numbers["formats"]
    return formats.get(_lang(lang)) or formats[numbers["default"]]  # type: ignore[no-any-return]


def _table_key(table: Mapping[str, Any], lang: str) -> str | None:
    """The key of ``table`` that serves ``lang``: its own, else ``default``, else none."""
    for key in (_lang(lang), "default"):
        if key in table:
            return key
    return None


@dataclass(frozen=True)
class _Number:
    start: int
    end: int
    raw: str
    bare: Decimal
    scaled: Decimal | None = None

    @property
    def values(self) -> frozenset[Decimal]:
        return frozenset({self.bare} if self.scaled is None else {self.bare, self.scaled})

    def agrees(self, other: _Number) -> bool:
        """Same value; two figures that both carry a scale word must agree once scaled."""
        if self.scaled is not None and other.scaled is not None:
            return self.scaled == other.scaled
        return bool(self.values & other.values)


@cache
def _scale_regex(words: tuple[str, ...]) -> re.Pattern[str] | None:
    if not words:
        return None
    alts = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"\s?({alts})(?![{_LATIN}])")


@cache
def _range_regex(connectors: tuple[str, ...]) -> re.Pattern[str] | None:
    if not connectors:
        return None
    alts = "|".join(re.escape(c) for c in sorted(connectors, key=len, reverse=True))
    # a currency sign may open the second figure: "$2.5 to $5 million"
    return re.compile(rf"\s*(?:{alts})\s*(?:[^\w\s]\s*)?")


def _scan_numbers(text: str, lang: str, cfg: ChecksConfig) -> list[_Number]:
    """The numbers in ``text`` with their spans and every value each may mean."""
    numbers = cfg.data["numbers"]
    fmt = _format(cfg, lang)
    scales = numbers["scales"].get(_lang(lang), {})
    scale_rx = _scale_regex(tuple(scales))
    found: list[tuple[int, int, str, Decimal, Decimal | None]] = []
    for m in _number_regex("".join(fmt["decimal"]), "".join(fmt["group"])).finditer(text):
        raw = m.group()
        digits, frac = raw, ""
        for sep in fmt["decimal"]:
            head, sep_found, tail = raw.rpartition(sep)
            # a decimal separator is followed by anything but a 3-digit group of a grouped number
            if sep_found and not (sep in fmt["group"] and len(tail) == 3 and head):
                digits, frac = head, tail
                break
        digits = "".join(ch for ch in digits if ch.isdigit())
        try:
            value = Decimal(f"{digits}.{frac}" if frac else digits).normalize()
        except InvalidOperation:
            continue
        scaled = scale_rx.match(text, m.end()) if scale_rx else None
        factor = Decimal(int(scales[scaled.group(1)])) if scaled else None
        found.append((m.start(), m.end(), raw, value, factor))
    # in a range the scale word is written once: "entre 2,5 et 5 millions", "2.5 to 5 million"
    connectors = numbers.get("range_connectors", {})
    key = _table_key(connectors, lang)
    range_rx = _range_regex(tuple(connectors[key]) if key else ())
    factors = [f for *_, f in found]
    for i in range(len(found) - 2, -1, -1):
        if factors[i] is None and factors[i + 1] is not None and range_rx is not None:
            gap = range_rx.fullmatch(text, found[i][1], found[i + 1][0])
            if gap:
                factors[i] = factors[i + 1]
    return [
        _Number(start, end, raw, value, None if factor is None else (value * factor).normalize())
        for (start, end, raw, value, _), factor in zip(found, factors, strict=True)
    ]


def parse_numbers(text: str, lang: str, config: ChecksConfig | None = None) -> list[set[Decimal]]:
    """The numbers written in ``text`` in ``lang``'s format, each as the set of values it may mean.

    A number followed by a scale word (``milliards``, ``billion``, ``亿``) may mean the bare figure
    or the scaled one, so both are in its set: ``94,82 milliards`` and ``948.2亿`` share a value.
    The first figure of a range shares the scale word of the second (``2,5 et 5 millions``).
    """
    cfg = config or load_checks()
    return [set(n.values) for n in _scan_numbers(text, lang, cfg)]


@dataclass(frozen=True)
class _Time:
    start: int
    end: int
    hour: int
    minute: int
    meridiem: bool


def _scan_times(text: str, lang: str, cfg: ChecksConfig) -> list[_Time]:
    """Clock times in ``text`` (``14 h 30``, ``2:30 pm``, ``14.30 Uhr``, ``下午2点30分``)."""
    out: list[_Time] = []
    for rx in _time_patterns(cfg, lang):
        for m in rx.finditer(text):
            # an earlier, more specific pattern ("2:30 pm") wins over a later one ("2:30")
            if any(t.start < m.end() and m.start() < t.end for t in out):
                continue
            groups = m.groupdict()
            hour = int(groups["h"])
            minute = 30 if groups.get("half") else int(groups.get("m") or 0)
            meridiem = bool(groups.get("pm") or groups.get("am"))
            if groups.get("pm") and hour < 12:
                hour += 12
            elif groups.get("am") and hour == 12:
                hour = 0
            if hour < 24 and minute < 60:
                out.append(_Time(m.start(), m.end(), hour, minute, meridiem))
    return out


def _time_patterns(cfg: ChecksConfig, lang: str) -> tuple[re.Pattern[str], ...]:
    times = cfg.data["numbers"].get("times", {})
    key = _table_key(times, lang)
    n = len(times[key]) if key else 0
    return tuple(cfg.patterns[f"times.{key}.{i}"] for i in range(n))


def _same_time(src: _Time, tgt: _Time) -> bool:
    if tgt.minute != src.minute:
        return False
    # "2:30" without am/pm may stand for 14 h 30 in a 12-hour clock
    return tgt.hour == src.hour if tgt.meridiem else tgt.hour % 12 == src.hour % 12


def _word_values(text: str, lang: str, cfg: ChecksConfig) -> set[Decimal]:
    """Values of the numbers ``text`` spells out in words (``three``, ``zweiten``, ``第二``)."""
    table = cfg.data["numbers"].get("words", {})
    key = _table_key(table, lang)
    if key is None:
        return set()
    return {
        Decimal(int(value))
        for i, value in enumerate(table[key].values())
        if cfg.patterns[f"words.{key}.{i}"].search(text)
    }


def _check_numbers(ctx: _Context) -> list[str]:
    cfg = ctx.cfg
    target = _scan_numbers(ctx.target, ctx.lang, cfg)
    target += [_Number(0, 0, "", v) for v in sorted(_word_values(ctx.target, ctx.lang, cfg))]
    # numbers a translation may leave out: set phrases (24 h/24 -> round the clock) and clock
    # times written another way (14 h 30 -> 2:30 pm)
    free = [m.span() for rx in _idiom_patterns(cfg) for m in rx.finditer(ctx.source)]
    target_times = _scan_times(ctx.target, ctx.lang, cfg)
    free += [
        (t.start, t.end)
        for t in _scan_times(ctx.source, "fr", cfg)
        if any(_same_time(t, u) for u in target_times)
    ]
    spaced = re.sub(r"[\u00a0\u202f\u2009]", " ", ctx.target)
    problems = []
    seen: set[tuple[Decimal, Decimal | None]] = set()
    for num in _scan_numbers(ctx.source, "fr", cfg):
        if (num.bare, num.scaled) in seen or any(num.agrees(t) for t in target):
            continue
        if any(a <= num.start and num.end <= b for a, b in free):
            continue
        seen.add((num.bare, num.scaled))
        expected = _localize(num.bare, ctx.lang, cfg)
        raw = num.raw
        if not raw.isdigit() and re.sub(r"[\u00a0\u202f\u2009]", " ", raw) in spaced:
            problems.append(
                f"number {raw} is still in French format; write {expected} in {ctx.lang}"
            )
        elif num.scaled is not None and any(
            t.bare == num.bare and t.scaled not in (None, num.scaled) for t in target
        ):
            problems.append(f"number {raw} has another scale word in the target than in French")
        else:
            problems.append(f"number {raw} is missing from the target (expected {expected})")
    return problems


def _idiom_patterns(cfg: ChecksConfig) -> tuple[re.Pattern[str], ...]:
    n = len(cfg.data["numbers"].get("idioms", {}).get("fr", []))
    return tuple(cfg.patterns[f"idioms.fr.{i}"] for i in range(n))


def _localize(value: Decimal, lang: str, cfg: ChecksConfig) -> str:
    """``value`` written the way ``lang`` writes it (first decimal and group separator)."""
    fmt = _format(cfg, lang)
    dec, grp = fmt["decimal"][0], (fmt["group"] or [""])[0]
    whole, _, frac = format(value, "f").partition(".")
    if len(whole) > 4:
        whole = f"{int(whole):,}".replace(",", grp)
    return whole + (dec + frac if frac else "")


# --------------------------------------------------------------------------- the other checks


def _check_empty(ctx: _Context) -> list[str]:
    if ctx.source.strip() and not ctx.target.strip():
        return ["the target is empty"]
    return []


def _strip_links(text: str, cfg: ChecksConfig) -> str:
    for name in ("url", "email", "handle"):
        text = cfg.patterns[name].sub(" ", text)
    return text


def _is_passthrough(source: str, cfg: ChecksConfig) -> bool:
    rules = cfg.data["untranslated"]
    rest = _strip_links(source, cfg)
    if cfg.patterns["passthrough"].match(rest):
        return True
    letters = sum(ch.isalpha() for ch in rest)
    if letters < int(rules["min_letters"]):
        return True
    words = re.findall(r"[^\W\d_]+", rest)
    # a name may hold lowercase particles: "Le Journal du Cloud", "Banque de France"
    particles = {p.casefold() for p in rules.get("name_particles", ())}
    names = [w for w in words if w.casefold() not in particles or w[0].isupper()]
    return (
        len(words) <= int(rules["max_name_words"])
        and bool(names)
        and all(w[0].isupper() for w in names)
    )


def _check_untranslated(ctx: _Context) -> list[str]:
    if ctx.origin == "passthrough" or not ctx.target.strip():
        return []

    def norm(s: str) -> str:
        return " ".join(s.casefold().split())

    if norm(ctx.source) == norm(ctx.target) and not _is_passthrough(ctx.source, ctx.cfg):
        return ["the target is a copy of the French source"]
    return []


def _check_urls(ctx: _Context) -> list[str]:
    problems = []
    for kind in ("url", "email", "handle"):
        for m in ctx.cfg.patterns[kind].finditer(ctx.source):
            if m.group() not in ctx.target:
                problems.append(f"{kind} {m.group()} is missing or altered in the target")
    return problems


def _check_dnt(ctx: _Context) -> list[str]:
    problems = []
    for name in dict.fromkeys(ctx.dnt):
        if not name.strip():
            continue
        in_source = re.search(rf"(?<![{_LATIN}0-9]){re.escape(name)}(?![{_LATIN}0-9])", ctx.source)
        if in_source and name not in ctx.target:
            problems.append(f"do-not-translate name {name!r} is missing or altered in the target")
    return problems


def _check_length_ratio(ctx: _Context) -> list[str]:
    rules = ctx.cfg.data["length_ratio"]
    # links and words left as they are (names, brands, initials) do not change length in
    # translation; spaces, punctuation and digits follow each language's conventions, so only
    # letters are counted
    src, tgt = _strip_links(ctx.source, ctx.cfg), _strip_links(ctx.target, ctx.cfg)
    # (compared ignoring case: a name or loanword often gains or loses a sentence-initial capital)
    kept = {w.casefold() for w in re.findall(r"\w+", src)} & {
        w.casefold() for w in re.findall(r"\w+", tgt)
    }
    if kept:
        alts = "|".join(re.escape(w) for w in sorted(kept, key=len, reverse=True))
        rx = re.compile(rf"(?<!\w)(?:{alts})(?!\w)", re.IGNORECASE)
        src, tgt = rx.sub("", src), rx.sub("", tgt)
    src_letters = sum(ch.isalpha() for ch in src)
    tgt_letters = sum(ch.isalpha() for ch in tgt)
    if src_letters < int(rules["min_source_letters"]) or not tgt_letters:
        return []
    expected = float(rules["expected"].get(_lang(ctx.lang), rules["expected"]["default"]))
    tol = float(rules["tolerance"])
    ratio = tgt_letters / src_letters
    low, high = expected / tol, expected * tol
    # in short segments a few words more or less swing the ratio: also ask for a gap of
    # min_gap_letters, counted in source letters, between the target and its expected length
    if abs(tgt_letters / expected - src_letters) < float(rules.get("min_gap_letters", 0)):
        return []
    if ratio < low:
        return [f"target has {ratio:.2f}× the source's letters (expected ≥ {low:.2f}): truncated?"]
    if ratio > high:
        return [f"target has {ratio:.2f}× the source's letters (expected ≤ {high:.2f}): additions?"]
    return []


def _tokens(text: str, by_char: bool) -> list[str]:
    if by_char:
        return [ch for ch in text.casefold() if ch.isalnum()]
    return re.findall(r"\w+", text.casefold())


def _loops(tokens: Sequence[str], ns: Iterable[int], repeats: int) -> list[tuple[str, ...]]:
    found: list[tuple[str, ...]] = []
    for n in ns:
        i = 0
        while i + n * repeats <= len(tokens):
            gram = tuple(tokens[i : i + n])
            k = 1
            while tuple(tokens[i + k * n : i + (k + 1) * n]) == gram:
                k += 1
            if k >= repeats and not all(t.isdigit() for t in gram):
                # one finding per loop: 'market market' is the loop of 'market' again
                if gram not in found and not any(_is_power(gram, f) for f in found):
                    found.append(gram)
                i += k * n
            else:
                i += 1
    return found


def _is_power(gram: tuple[str, ...], unit: tuple[str, ...]) -> bool:
    """Whether ``gram`` is ``unit`` repeated (``a b a b`` of ``a b``)."""
    return len(gram) % len(unit) == 0 and gram == unit * (len(gram) // len(unit))


def _check_repetition(ctx: _Context) -> list[str]:
    rules = ctx.cfg.data["repetition"]
    by_char = _lang(ctx.lang) in rules["char_languages"]
    lo = int(rules["min_char_n"]) if by_char else 1
    ns = range(lo, int(rules["max_n"]) + 1)
    repeats = int(rules["min_repeats"])
    # a loop the source itself has (« non, non, non ») may be translated as one
    source_ns = {len(g) for g in _loops(_tokens(ctx.source, False), ns, repeats)}
    sep = "" if by_char else " "
    return [
        f"{sep.join(gram)!r} repeats {repeats}+ times in a row (hallucination loop)"
        for gram in _loops(_tokens(ctx.target, by_char), ns, repeats)
        if by_char or len(gram) not in source_ns
    ]


def _balance_problem(text: str, pairs: Sequence[Sequence[str]], symmetric: str) -> str | None:
    closers = {c: o for o, c in pairs}
    openers = {o for o, _ in pairs}
    stack: list[str] = []
    for ch in text:
        if stack and closers.get(ch) == stack[-1]:
            stack.pop()
        elif ch in openers:
            stack.append(ch)
        elif ch in closers:
            return f"unmatched closing {ch!r}"
    if stack:
        return f"unclosed {stack[-1]!r}"
    for q in symmetric:
        if text.count(q) % 2:
            return f"odd number of {q!r} quotes"
    return None


def _check_brackets(ctx: _Context) -> list[str]:
    pairs = ctx.cfg.data["brackets"]
    symmetric = "".join(ctx.cfg.data["symmetric_quotes"])
    if _balance_problem(ctx.source, pairs, symmetric) is not None:
        return []
    problem = _balance_problem(ctx.target, pairs, symmetric)
    return [f"brackets or quotes unbalanced: {problem}"] if problem else []


def _check_fr_spacing(ctx: _Context) -> list[str]:
    rules = ctx.cfg.data["fr_spacing"]
    if _lang(ctx.lang) not in rules["languages"]:
        return []
    text = _strip_links(ctx.target, ctx.cfg)
    marks = sorted(
        {
            m.group(1)
            for m in re.finditer(rf"\S[ \u00a0\u202f\u2009]+([{re.escape(rules['marks'])}])", text)
        }
    )
    return [f"space before {' '.join(marks)} (French typography) in {ctx.lang}"] if marks else []


#: Check name → implementation; ``checks.json`` gives each its severity and description.
CHECKS: Mapping[str, Callable[[_Context], list[str]]] = {
    "empty": _check_empty,
    "untranslated": _check_untranslated,
    "numbers": _check_numbers,
    "urls": _check_urls,
    "dnt": _check_dnt,
    "length_ratio": _check_length_ratio,
    "repetition": _check_repetition,
    "brackets": _check_brackets,
    "fr_spacing": _check_fr_spacing,
}

_REQUIRED = (
    "checks",
    "patterns",
    "untranslated",
    "numbers",
    "length_ratio",
    "repetition",
    "brackets",
    "symmetric_quotes",
    "fr_spacing",
)


# --------------------------------------------------------------------------- configuration


def _parse_config(data: Any, path: str) -> ChecksConfig:
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a JSON object; see translate/data/checks.json.")
    missing = [k for k in _REQUIRED if k not in data]
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
    absent = [n for n in CHECKS if n not in data["checks"]]
    if absent:
        raise ConfigError(
            f'{path}: check {absent[0]!r} is not configured; add it (use "enabled": false to '
            "turn it off)."
        )
    patterns = {}
    sources = {**data["patterns"], "passthrough": data["untranslated"].get("passthrough", "")}
    for name, rx in sources.items():
        try:
            patterns[name] = re.compile(rx)
        except (re.error, TypeError) as err:
            raise ConfigError(f"{path}: pattern {name!r} is not a valid regex ({err}).") from None
    for name in ("url", "email", "handle"):
        if name not in patterns:
            raise ConfigError(f"{path}: patterns needs {name!r}.")
    for key in ("expected", "tolerance", "min_source_letters"):
        if key not in data["length_ratio"]:
            raise ConfigError(
                f"{path}: length_ratio needs {key!r}; copy it from translate/data/checks.json."
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
            bounded = rf"(?<![{_LATIN}])(?:{rx})(?![{_LATIN}])"
            extra[f"words.{lang}.{i}"] = (bounded, re.IGNORECASE)
    for name, (rx, flags) in extra.items():
        try:
            patterns[name] = re.compile(rx, flags)
        except (re.error, TypeError) as err:
            raise ConfigError(f"{path}: numbers {name!r} is not a valid regex ({err}).") from None
        if name.startswith("times.") and "h" not in patterns[name].groupindex:
            raise ConfigError(f"{path}: numbers {name!r} needs a (?P<h>...) group for the hour.")
    return ChecksConfig(data=data, path=path, patterns=patterns)


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
) -> tuple[CheckResult, ...]:
    """All enabled QA checks on one translated segment.

    Args:
        source: the French segment.
        target: its translation.
        lang: target language code (number formats, length ratio, spacing rules).
        dnt: do-not-translate names that must appear unchanged when present in the source.
        origin: the segment's origin; ``passthrough`` segments are never "untranslated".
        config: a configuration from :func:`load_checks` (default: the bundled one).

    Returns:
        One :class:`CheckResult` per problem, in check order; an empty target reports only
        ``empty``.
    """
    cfg = config or load_checks()
    ctx = _Context(source, target, lang, tuple(dnt), origin, cfg)
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
) -> DocumentResult:
    """Run the QA checks on every segment; store them and ``summary["checks"]`` (counts).

    Earlier findings are replaced, so checking twice gives the same result. Glossary entries
    marked do-not-translate that match a segment's source join ``dnt`` for that segment.
    """
    names = tuple(dnt)
    segments = []
    for seg in result.segments:
        seg_dnt = names
        if glossary is not None:
            seg_dnt += tuple(m.text for m in glossary.match(seg.source) if m.dnt)
        checks = run_checks(
            seg.source,
            seg.target,
            result.target_lang,
            dnt=seg_dnt,
            origin=seg.origin,
            config=config,
        )
        segments.append(replace(seg, checks=checks))
    counts = count_by_severity(c for s in segments for c in s.checks)
    summary = {**dict(result.summary), "checks": counts}
    return replace(result, segments=tuple(segments), summary=summary)
