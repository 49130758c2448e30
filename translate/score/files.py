"""Score input files: plain lines, result JSON and ``.jsonl`` references, paired for scoring."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from translate._io import read_document
from translate.errors import ScoreError
from translate.langtags import is_known, normalize_tag
from translate.score.metrics import join_sentences
from translate.score.references import References, align_units, load_references
from translate.units import DocumentResult

__all__ = ["Pairs", "guess_script_lang", "load_hypotheses", "load_lines", "read_pairs"]


def load_lines(path: str | os.PathLike[str]) -> list[str]:
    """Read a plain-text file of one segment per line, exactly as sacrebleu's CLI does."""
    text = read_document(path)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line.rstrip() for line in lines]


def load_hypotheses(path: str | os.PathLike[str]) -> list[str] | DocumentResult:
    """A result JSON written by ``translate run`` (``.json``) or plain lines (anything else)."""
    p = Path(path)
    if p.suffix != ".json":
        return load_lines(p)
    return DocumentResult.from_json(read_document(p), str(p))


@dataclass(frozen=True)
class Pairs:
    """Aligned hypotheses, references and (when known) sources, ready for scoring."""

    hypotheses: tuple[str, ...]
    references: tuple[str, ...]
    lang: str | None
    ids: tuple[str, ...] | None = None
    sources: tuple[str, ...] | None = None
    result: DocumentResult | None = field(default=None, compare=False)


def _lang_of_reference(path: Path) -> str | None:
    """``articles/<lang>/<slug>.jsonl`` → ``<lang>`` when the folder is named like a language."""
    name = path.parent.name
    return normalize_tag(name) if path.suffix == ".jsonl" and is_known(name) else None


def guess_script_lang(texts: Sequence[str]) -> str | None:
    """``zh``, ``ja`` or ``ko`` when most letters of ``texts`` are in that script, else None.

    Used only when no language is given or recorded, so that Chinese, Japanese or Korean
    references are never scored with the 13a tokenizer by mistake (sacrebleu's CLI only warns).
    """
    counts = {"han": 0, "kana": 0, "hangul": 0, "other": 0}
    for text in texts:
        for c in text:
            if not c.isalpha():
                continue
            o = ord(c)
            if 0x3040 <= o <= 0x30FF:
                counts["kana"] += 1
            elif 0xAC00 <= o <= 0xD7AF or 0x1100 <= o <= 0x11FF:
                counts["hangul"] += 1
            elif 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF:
                counts["han"] += 1
            else:
                counts["other"] += 1
    cjk = counts["han"] + counts["kana"] + counts["hangul"]
    if cjk == 0 or cjk < counts["other"]:
        return None
    if counts["hangul"] > counts["han"] + counts["kana"]:
        return "ko"
    return "ja" if counts["kana"] > 0.05 * cjk else "zh"


def read_pairs(
    hyp_path: str | os.PathLike[str],
    ref_path: str | os.PathLike[str],
    *,
    src_path: str | os.PathLike[str] | None = None,
    lang: str | None = None,
) -> Pairs:
    """Load a hypothesis and a reference file in any supported combination and align them.

    Hypotheses are plain lines or a result JSON; references are plain lines or a ``.jsonl``
    reference file. A result JSON with a ``.jsonl`` reference is aligned by locating the reference
    sources in the article; every other combination is aligned line by line. The language is
    ``lang``, else the result's target language, else the ``.jsonl`` file's folder name, else
    ``zh``/``ja``/``ko`` when the references are mostly in that script
    (:func:`guess_script_lang`).

    Raises:
        ScoreError: the files do not align.
    """
    hyp = load_hypotheses(hyp_path)
    rp = Path(ref_path)
    refs_obj: References | None = None
    if rp.suffix == ".jsonl":
        lang = lang or (hyp.target_lang if isinstance(hyp, DocumentResult) else None)
        lang = lang or _lang_of_reference(rp)
        refs_obj = load_references(rp, lang or "")
    elif isinstance(hyp, DocumentResult):
        lang = lang or hyp.target_lang
    sources: list[str] | None = load_lines(src_path) if src_path else None
    if isinstance(hyp, DocumentResult):
        if refs_obj is not None:
            units = align_units(hyp.document, refs_obj)
            by_id = {s.id: s for s in hyp.segments}
            hyps = [join_sentences((by_id[i].target for i in u.segment_ids), lang) for u in units]
            refs = [u.reference for u in units]
            ids = ["+".join(u.segment_ids) for u in units]
            src = [join_sentences((by_id[i].source for i in u.segment_ids), "fr") for u in units]
        else:
            hyps = [s.target for s in hyp.segments]
            refs = load_lines(rp)
            lang = lang or guess_script_lang(refs)
            ids = [s.id for s in hyp.segments]
            src = [s.source for s in hyp.segments]
        return Pairs(tuple(hyps), tuple(refs), lang, tuple(ids), tuple(sources or src), hyp)
    if refs_obj is not None:
        refs = [r.target for r in refs_obj.entries]
        if sources is None:
            sources = [r.source for r in refs_obj.entries]
    else:
        refs = load_lines(rp)
    lang = lang or guess_script_lang(refs)
    if len(hyp) != len(refs):
        raise ScoreError(
            f"{hyp_path} has {len(hyp)} lines but {ref_path} has {len(refs)} references; give "
            "one hypothesis line per reference, in the same order."
        )
    return Pairs(
        tuple(hyp), tuple(refs), lang, None, tuple(sources) if sources is not None else None
    )
