"""The QA checks other than numbers, and :data:`CHECKS`, the registry of every check by name."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence

from translate._text import altered_occurrences, term_occurrences, token_occurrences
from translate.checks.config import LATIN, ChecksConfig, Context, base_lang
from translate.checks.numbers import check_numbers
from translate.checks.surface import SURFACE_CHECKS

__all__ = ["CHECKS", "OPTIONAL_CHECKS", "REQUIRED_KEYS"]


def _check_empty(ctx: Context) -> list[str]:
    if ctx.source.strip() and not ctx.target.strip():
        return ["the target is empty"]
    return []


def _strip_links(text: str, cfg: ChecksConfig) -> str:
    out, last = [], 0
    for start, end, _ in cfg.links.find(text):
        out += [text[last:start], " "]
        last = end
    return "".join(out) + text[last:]


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


def _check_untranslated(ctx: Context) -> list[str]:
    if ctx.origin == "passthrough" or not ctx.target.strip():
        return []

    def norm(s: str) -> str:
        return " ".join(s.casefold().split())

    if norm(ctx.source) == norm(ctx.target) and not _is_passthrough(ctx.source, ctx.cfg):
        return ["the target is a copy of the French source"]
    return []


def _check_urls(ctx: Context) -> list[str]:
    # whole tokens: "https://okx.com/fr" is not kept by "https://okx.com/fris"
    return [
        f"{kind} {ctx.source[start:end]} is missing or altered in the target"
        for start, end, kind in ctx.cfg.links.find(ctx.source)
        if not token_occurrences(ctx.target, ctx.source[start:end], ctx.cfg.links.trim)
    ]


def _dnt_problems(ctx: Context) -> list[tuple[str, str | None]]:
    """``(name, altered token or None)`` for each do-not-translate name of the source that the
    target does not keep: a token holding it altered (a near miss: ``TechFlowP``, ``Techflow``),
    or ``None`` when it is missing. Kept means what the term verification of
    :func:`translate.terms.verify` accepts (:func:`~translate._text.term_occurrences`)."""
    if "dnt" in ctx.shared:
        return list(ctx.shared["dnt"])
    min_chars = int(ctx.cfg.data["dnt"]["near_miss_min_chars"])
    # a name inside a URL, address or handle is the urls check's: one problem, one finding
    source, target = _strip_links(ctx.source, ctx.cfg), _strip_links(ctx.target, ctx.cfg)
    problems: list[tuple[str, str | None]] = []
    for name in dict.fromkeys(ctx.dnt):
        if not name.strip():
            continue
        in_source = re.search(rf"(?<![{LATIN}0-9]){re.escape(name)}(?![{LATIN}0-9])", source)
        if not in_source or term_occurrences(target, name):
            continue
        near = altered_occurrences(target, name, min_chars=min_chars)
        problems.append((name, target[near[0][0] : near[0][1]] if near else None))
    ctx.shared["dnt"] = tuple(problems)
    return problems


def _check_dnt(ctx: Context) -> list[str]:
    # an altered name is dnt_altered's (critical) finding, unless that check is turned off
    altered_elsewhere = ctx.cfg.enabled("dnt_altered")
    return [
        f"do-not-translate name {name!r} is missing in the target"
        if token is None
        else f"do-not-translate name {name!r} is altered in the target: {token!r}"
        for name, token in _dnt_problems(ctx)
        if token is None or not altered_elsewhere
    ]


def _check_dnt_altered(ctx: Context) -> list[str]:
    return [
        f"do-not-translate name {name!r} is altered in the target: {token!r}"
        for name, token in _dnt_problems(ctx)
        if token is not None
    ]


def _check_length_ratio(ctx: Context) -> list[str]:
    rules = ctx.cfg.data["length_ratio"]
    # links and words left as they are (names, brands, initials) do not change length in
    # translation; spaces, punctuation and digits follow each language's conventions, so only
    # letters are counted
    src, tgt = _strip_links(ctx.source, ctx.cfg), _strip_links(ctx.target, ctx.cfg)
    # (compared ignoring case: a name or loanword often gains or loses a sentence-initial capital)
    src_words, tgt_words = re.findall(r"\w+", src), re.findall(r"\w+", tgt)
    kept = {w.casefold() for w in src_words} & {w.casefold() for w in tgt_words}
    # (a set lookup per word: one regex alternating every kept word was quadratic on long text)
    src_letters = sum(ch.isalpha() for w in src_words if w.casefold() not in kept for ch in w)
    tgt_letters = sum(ch.isalpha() for w in tgt_words if w.casefold() not in kept for ch in w)
    if src_letters < int(rules["min_source_letters"]) or not tgt_letters:
        return []
    expected = float(rules["expected"].get(base_lang(ctx.lang), rules["expected"]["default"]))
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
            elif k >= repeats:
                # a run of figures (1 1 1 …) is no loop; a window starting inside it is all
                # figures too, so skip past those windows instead of rescanning the run
                i += max(1, (k - repeats) * n + 1)
            else:
                i += 1
    return found


def _is_power(gram: tuple[str, ...], unit: tuple[str, ...]) -> bool:
    """Whether ``gram`` is ``unit`` repeated (``a b a b`` of ``a b``)."""
    return len(gram) % len(unit) == 0 and gram == unit * (len(gram) // len(unit))


def _check_repetition(ctx: Context) -> list[str]:
    rules = ctx.cfg.data["repetition"]
    by_char = base_lang(ctx.lang) in rules["char_languages"]
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


def _check_brackets(ctx: Context) -> list[str]:
    pairs = ctx.cfg.data["brackets"]
    symmetric = "".join(ctx.cfg.data["symmetric_quotes"])
    if _balance_problem(ctx.source, pairs, symmetric) is not None:
        return []
    problem = _balance_problem(ctx.target, pairs, symmetric)
    return [f"brackets or quotes unbalanced: {problem}"] if problem else []


def _check_fr_spacing(ctx: Context) -> list[str]:
    rules = ctx.cfg.data["fr_spacing"]
    if base_lang(ctx.lang) not in rules["languages"]:
        return []
    text = _strip_links(ctx.target, ctx.cfg)
    marks = sorted(
        {
            m.group(1)
            for m in re.finditer(rf"\S[ \u00a0\u202f\u2009]+([{re.escape(rules['marks'])}])", text)
        }
    )
    return [f"space before {' '.join(marks)} (French typography) in {ctx.lang}"] if marks else []


def _check_markup(ctx: Context) -> list[str]:
    """Inline markup the translation lost, duplicated or reordered (Markdown/HTML input): what
    :func:`translate.markup.placeholders.restore` had to move, read from the segment."""
    return list(ctx.markup.issues) if ctx.markup is not None else []


#: Check name → implementation; ``checks.json`` gives each its severity and description.
CHECKS: Mapping[str, Callable[[Context], list[str]]] = {
    "empty": _check_empty,
    "untranslated": _check_untranslated,
    "numbers": check_numbers,
    "urls": _check_urls,
    "dnt": _check_dnt,
    "dnt_altered": _check_dnt_altered,
    "length_ratio": _check_length_ratio,
    "repetition": _check_repetition,
    "brackets": _check_brackets,
    "fr_spacing": _check_fr_spacing,
    **SURFACE_CHECKS,
    "markup": _check_markup,
}

#: Checks added after configuration files were written: a file without them takes the
#: bundled entry (severity, description) instead of being refused.
OPTIONAL_CHECKS = ("markup", "dnt_altered", *SURFACE_CHECKS)
#: Sections those checks read: a file without one takes the bundled section.
OPTIONAL_KEYS = ("surface", "dnt")

REQUIRED_KEYS = (
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
