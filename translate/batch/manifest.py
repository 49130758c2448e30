"""The batch manifest: which documents a batch finished, so that the next identical run skips them.

``OUT/translate-manifest.jsonl`` gets one JSON line per finished document, appended (and flushed
to disk) after all its files were written: its path relative to ``OUT``'s tree, the SHA-256 of
its bytes, a digest of every option that shapes the outputs, the digests of its reference files,
the files written and its summary. A run killed at any point leaves at worst a last line cut
short, which is ignored; appending keeps the cost of a record independent of the batch size.
The last line of a document wins.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

from translate.errors import OutputError

MANIFEST_NAME = "translate-manifest.jsonl"
MANIFEST_VERSION = 1


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def options_digest(options: Mapping[str, Any]) -> str:
    """A stable digest of JSON-able options (keys sorted; other values by ``str``)."""
    text = json.dumps(options, sort_keys=True, ensure_ascii=False, default=str)
    return sha256_bytes(text.encode("utf-8"))


def _ends_cut(path: Path) -> bool:
    """The file is not empty and does not end with a newline."""
    with open(path, "rb") as fh:
        fh.seek(0, os.SEEK_END)
        if fh.tell() == 0:
            return False
        fh.seek(-1, os.SEEK_END)
        return fh.read(1) != b"\n"


class Manifest:
    """The finished documents of the batches run into one output folder."""

    def __init__(self, out_dir: str | os.PathLike[str]) -> None:
        self.out_dir = Path(out_dir)
        self.path = self.out_dir / MANIFEST_NAME
        self.entries: dict[str, dict[str, Any]] = {}
        self._fh: IO[str] | None = None
        if self.path.is_file():
            self._load()

    def _load(self) -> None:
        try:
            text = self.path.read_text(encoding="utf-8", errors="replace")
        except OSError as err:
            raise OutputError(
                f"cannot read {self.path} ({err.strerror}); check its permissions or delete it."
            ) from None
        for line in text.split("\n"):
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                continue  # an empty line, or the last one cut short by a kill
            if (
                isinstance(entry, dict)
                and entry.get("v") == MANIFEST_VERSION
                and isinstance(entry.get("input"), str)
                and isinstance(entry.get("files"), dict)
            ):
                self.entries[entry["input"]] = entry

    def finished(
        self, relative: str, digest: str, options: str, references: Mapping[str, str]
    ) -> dict[str, Any] | None:
        """The entry of a document finished with these bytes, options and references, if its
        files are all still there; else None (the document is to be translated)."""
        entry = self.entries.get(relative)
        if (
            entry is None
            or entry.get("digest") != digest
            or entry.get("options") != options
            or entry.get("references") != dict(references)
        ):
            return None
        for files in entry["files"].values():
            if not isinstance(files, dict) or not all(
                isinstance(name, str) and (self.out_dir / name).is_file() for name in files.values()
            ):
                return None
        return entry

    def record(self, entry: Mapping[str, Any]) -> None:
        """Append one finished document and push it to disk before the next one starts."""
        line = json.dumps({"v": MANIFEST_VERSION, **entry}, ensure_ascii=False) + "\n"
        try:
            if self._fh is None:
                self.out_dir.mkdir(parents=True, exist_ok=True)
                self._fh = open(self.path, "a", encoding="utf-8")  # noqa: SIM115
                if _ends_cut(self.path):
                    self._fh.write("\n")  # ends the line a kill cut short
            self._fh.write(line)
            self._fh.flush()
            os.fsync(self._fh.fileno())
        except OSError as err:
            raise OutputError(
                f"cannot write {self.path} ({err.strerror}); choose a writable output folder."
            ) from None
        self.entries[str(entry["input"])] = dict(entry)

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None
