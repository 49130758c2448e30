"""What the review page carries for its editor: a result without local paths, and its XLIFF.

The page lets an editor post-edit in the browser and save the decisions as XLIFF 2.1 or as a
result JSON, with no server. So the page embeds the result and the XLIFF that ``translate export``
would write for it (packed: gzip + base64, unpacked only to export); the page's script patches
targets, states and notes into that XLIFF, which keeps one XLIFF writer
(:mod:`translate.export.xliff`) for both.

A page is shared with editors outside the machine that made it: file paths of that machine are
reduced to their file names here, before anything is shown or embedded (model ids stay).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import replace
from functools import lru_cache
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any

from translate._io import is_absolute, read_data
from translate._text import CJK_RANGES
from translate.errors import LanguageTagError
from translate.export.base import public_result as base_public_result
from translate.langtags import parse_tag
from translate.units import DocumentResult, TermResult

# Besides absolute paths (translate._io.is_absolute): file: URLs and ./ or ../ relative paths.
_LOCAL_PREFIXES = ("file:", "./", "../", ".\\", "..\\")
# Provenance keys whose values are file names even when relative (``glossary.path``).
_PATH_KEY = re.compile(r"(?:^|[._])(?:path|file|dir|directory|paths|files)$", re.IGNORECASE)


def file_name(value: str) -> str:
    """The last component of a path (POSIX or Windows), or ``value`` when it has none."""
    name = PureWindowsPath(PurePosixPath(value.removeprefix("file://")).name).name
    return name or value


def _redact(value: Any, key: str = "") -> Any:
    if isinstance(value, Mapping):
        return {k: _redact(v, f"{key}.{k}" if key else str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_redact(v, key) for v in value]
    if not isinstance(value, str):
        return value
    if is_absolute(value) or value.startswith(_LOCAL_PREFIXES) or _PATH_KEY.search(key):
        return file_name(value)
    return value


def public_result(result: DocumentResult) -> DocumentResult:
    """``result`` as the page shows it: what every export cleans
    (:func:`translate.export.base.public_result`: no absolute path), and then, since a page
    travels to editors elsewhere, every file path in the source path, provenance and summary cut
    to its file name (model ids stay)."""
    public = base_public_result(result)
    return replace(
        public,
        source_path=file_name(public.source_path) if public.source_path else "",
        provenance=_redact(public.provenance),
        summary=_redact(public.summary),
    )


@lru_cache(maxsize=1)
def _directions() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(read_data("review/directions.json"))
    return data


def text_direction(lang: str) -> str:
    """``rtl`` or ``ltr`` for a language tag such as ``ar``, ``fa-AF``, ``az-Arab`` or
    ``ks-Deva`` (``data/review/directions.json``: a script subtag decides over the language);
    what is not a tag reads left to right."""
    data = _directions()
    try:
        tag = parse_tag(lang)
    except LanguageTagError:
        return "ltr"
    if tag.script:
        return "rtl" if tag.script.lower() in data["rtl_scripts"] else "ltr"
    return "rtl" if tag.language.lower() in data["rtl_languages"] else "ltr"


def digest(result: DocumentResult) -> str:
    """A stable key for the result: the page stores an editor's work under it in the browser."""
    return hashlib.sha256(result.to_json().encode("utf-8")).hexdigest()[:32]


def download_names(result: DocumentResult) -> dict[str, str]:
    """File names the page offers for its downloads: ``<stem>.<lang>.edited.{xlf,json}``."""
    stem = PurePosixPath(file_name(result.source_path or "document")).stem or "document"
    return {ext: f"{stem}.{result.target_lang}.edited.{ext}" for ext in ("xlf", "json")}


def script_json(data: Any) -> str:
    """JSON safe inside an HTML ``<script>`` element: no ``<``, ``>``, ``&`` or line separators
    appear raw, so no text can close the element or open markup."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char in ("<", ">", "&", "\u2028", "\u2029"):
        text = text.replace(char, f"\\u{ord(char):04x}")
    return text


def _live(result: DocumentResult) -> list[dict[str, Any]]:
    """What the page's live checks read per segment: the MT and the forms each term requires."""

    def req(terms: tuple[TermResult, ...]) -> list[dict[str, Any]]:
        return [{"source": t.source, "required": list(t.required)} for t in terms]

    return [
        {"id": s.id, "target": s.target, "terms": req(s.terms), "protected": req(s.protected)}
        for s in result.segments
    ]


def pack(data: Any) -> str:
    """``data`` as gzip-compressed JSON in base64: the page unpacks it only to export, so the
    file stays small and opens fast (the XLIFF alone is several times the rows' size)."""
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return base64.b64encode(gzip.compress(raw, compresslevel=9, mtime=0)).decode("ascii")


def page_data(result: DocumentResult) -> dict[str, Any]:
    """Everything the page's editor needs, from an already redacted ``result``: live data for
    the checks, and (packed) the result and its XLIFF for the exports."""
    from translate.export.xliff import XliffExporter

    xliff = XliffExporter().render(result).decode("utf-8")
    return {
        "digest": digest(result),
        "names": download_names(result),
        "cjk": CJK_RANGES,
        "segments": _live(result),
        "pack": pack({"result": result.to_dict(), "xliff": xliff}),
    }
