"""Linting glossary files: mistakes that would silently weaken enforcement."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from translate.glossary.io import OPTION_COLUMNS, SOURCE_LANG, RawRow, read_glossary_file
from translate.glossary.merge import french_key

__all__ = ["LintIssue", "lint_glossaries"]


@dataclass(frozen=True)
class LintIssue:
    """One finding of :func:`lint_glossaries`; ``severity`` is ``error``, ``warning`` or
    ``info`` (a note that needs no action, such as a consistent nested term)."""

    severity: str
    code: str
    message: str
    source: str = ""
    line: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "source": self.source,
            "line": self.line,
        }


def _nested_pairs(keys: Iterable[str]) -> list[tuple[str, str]]:
    """Every ``(inner, outer)`` pair of keys where ``inner`` is a run of whole words of
    ``outer`` (hyphens count as spaces), sorted as a double loop over sorted keys would give.

    Each key's word runs are looked up in a set, up to the longest key's word count: the time
    grows with the number of keys, not with its square (20,000 rows were minutes before).
    """
    known = set(keys)
    longest = max((k.count(" ") + 1 for k in known), default=0)
    pairs = []
    for outer in known:
        words = outer.replace("-", " ").split(" ")
        for i in range(len(words)):
            for j in range(i + 1, min(len(words), i + longest) + 1):
                inner = " ".join(words[i:j])
                if inner != outer and inner in known:
                    pairs.append((inner, outer))
    return sorted(set(pairs))


def _row_forms(row: RawRow, lang: str) -> tuple[str, ...]:
    return row.cells.get(lang, ()) or (row.cells[SOURCE_LANG] if row.dnt else ())


def _nested_clash(inner: RawRow, outer: RawRow) -> tuple[str, str, str] | None:
    """A language where no form of the nested term occurs in the longer term's translation.

    ``cloud`` → ``cloud`` inside ``cloud public`` → ``public cloud`` is consistent; ``plateforme
    d'échange`` → ``trading platform`` inside ``plateforme d'échange de cryptomonnaies`` →
    ``cryptocurrency exchange`` is not: the same French words get two translations.
    """
    if outer.dnt:
        return None  # a name is copied verbatim, terms inside it included
    for lang in outer.cells:
        if lang == SOURCE_LANG:
            continue
        inner_forms, outer_forms = _row_forms(inner, lang), _row_forms(outer, lang)
        if not inner_forms or not outer_forms:
            continue
        folded = [o.casefold().replace("-", " ") for o in outer_forms]
        if not any(i.casefold().replace("-", " ") in o for i in inner_forms for o in folded):
            return lang, inner_forms[0], outer_forms[0]
    return None


def lint_glossaries(
    paths: Sequence[str | Path],
    *,
    produces_unk: Callable[[str], bool] | None = None,
    unk_languages: Iterable[str] | None = None,
) -> list[LintIssue]:
    """Check glossary files for mistakes that would silently weaken enforcement.

    Errors: unknown columns, rows without a French term, the same French term with different
    targets in one file, target terms the model cannot produce (``produces_unk``). Warnings:
    a file without any term, duplicates, conflicts resolved by file precedence, empty target cells, one French term
    inside another whose translation the longer term's does not contain (``plateforme
    d'échange`` → trading platform inside ``plateforme d'échange de cryptomonnaies`` →
    cryptocurrency exchange), do-not-translate rows whose target differs from the name.
    Notes (``info``): consistent nested terms (``cloud`` inside ``cloud public``).

    Args:
        paths: the glossary files, in precedence order.
        produces_unk: tells whether a target term tokenizes to ``<unk>`` (from the model's
            tokenizer); omitted, that check is skipped.
        unk_languages: languages whose terms ``produces_unk`` checks (default: all targets).

    Raises:
        GlossaryError: a file is malformed (it cannot be linted at all).
    """
    issues: list[LintIssue] = []
    raws = [read_glossary_file(p) for p in paths]
    seen: dict[str, tuple[str, RawRow]] = {}
    check_langs = set(unk_languages) if unk_languages is not None else None
    for raw in raws:
        if not raw.rows:
            issues.append(
                LintIssue(
                    "warning",
                    "empty",
                    "the glossary has no term (a header only?); add rows or drop the file.",
                    raw.path,
                    1,
                )
            )
        for col in raw.unknown_columns:
            issues.append(
                LintIssue(
                    "error",
                    "unknown-column",
                    f"column {col!r} is neither a known language code nor one of "
                    f"{', '.join(OPTION_COLUMNS)}; rename it (e.g. en, zh, pt-br).",
                    raw.path,
                    1,
                )
            )
        for row in raw.rows:
            fr = row.cells.get(SOURCE_LANG, ())
            if not fr:
                issues.append(
                    LintIssue(
                        "error",
                        "empty-source",
                        "row has no French term; fill the fr cell or delete the row.",
                        raw.path,
                        row.line,
                    )
                )
                continue
            for lang in raw.languages:
                if lang == SOURCE_LANG:
                    continue
                forms = row.cells.get(lang, ())
                if not forms and not row.dnt:
                    issues.append(
                        LintIssue(
                            "warning",
                            "empty-cell",
                            f"{fr[0]!r} has no {lang} term; it is not enforced in {lang}.",
                            raw.path,
                            row.line,
                        )
                    )
                if row.dnt and forms and set(forms) - set(fr):
                    issues.append(
                        LintIssue(
                            "warning",
                            "dnt-target",
                            f"do-not-translate {fr[0]!r} has a different {lang} term "
                            f"{forms[0]!r}; the name is kept verbatim, so empty the cell.",
                            raw.path,
                            row.line,
                        )
                    )
                if produces_unk and (check_langs is None or lang in check_langs):
                    for form in forms:
                        if produces_unk(form):
                            issues.append(
                                LintIssue(
                                    "error",
                                    "unk",
                                    f"{lang} term {form!r} tokenizes to <unk> with this model; "
                                    "the decoder cannot produce it: respell it.",
                                    raw.path,
                                    row.line,
                                )
                            )
            key = french_key(fr[0], row.case_sensitive)
            if key in seen:
                first_path, first = seen[key]
                same = {k: v for k, v in first.cells.items() if v} == {
                    k: v for k, v in row.cells.items() if v
                } and (first.dnt, first.case_sensitive) == (row.dnt, row.case_sensitive)
                where = f"line {first.line}" + (
                    "" if first_path == raw.path else f" of {first_path}"
                )
                if same:
                    issues.append(
                        LintIssue(
                            "warning",
                            "duplicate",
                            f"{fr[0]!r} repeats {where}; delete one.",
                            raw.path,
                            row.line,
                        )
                    )
                elif first_path == raw.path:
                    issues.append(
                        LintIssue(
                            "error",
                            "conflict",
                            f"{fr[0]!r} is also at {where} with different targets; keep one.",
                            raw.path,
                            row.line,
                        )
                    )
                else:
                    issues.append(
                        LintIssue(
                            "warning",
                            "overridden",
                            f"{fr[0]!r} differs from {where}, which wins (first file first).",
                            raw.path,
                            row.line,
                        )
                    )
            else:
                seen[key] = (raw.path, row)
    for inner, outer in _nested_pairs(seen):
        path, row = seen[outer]
        inner_row = seen[inner][1]
        clash = _nested_clash(inner_row, row)
        head = (
            f"{inner_row.cells[SOURCE_LANG][0]!r} occurs inside "
            f"{row.cells[SOURCE_LANG][0]!r}; the longer term wins where both match"
        )
        if clash:
            lang, inner_form, outer_form = clash
            issues.append(
                LintIssue(
                    "warning",
                    "overlap",
                    f"{head}, but its {lang} term {inner_form!r} does not occur in "
                    f"{outer_form!r}: check that this is meant (another sense, a "
                    "compound), else make the two agree.",
                    path,
                    row.line,
                )
            )
        else:
            issues.append(LintIssue("info", "overlap", f"{head}.", path, row.line))
    return issues
