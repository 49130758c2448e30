"""Which documents a batch translates: files, folders (recursively) and glob patterns.

Each document keeps its path relative to the folder or glob base it was found under, so that
outputs mirror the input tree under ``--out``. Everything here is checked before any model is
loaded: a path that does not exist, a folder or glob without documents, and two documents whose
outputs would have the same names are errors.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from translate.errors import InputError
from translate.markup import readable_extensions

_MAGIC = frozenset("*?[")


@dataclass(frozen=True)
class BatchItem:
    """One document of a batch: where it is, and its path relative to its folder or glob base."""

    path: Path
    relative: PurePosixPath  # outputs go to OUT/<relative's folder>/<stem>.<lang>.<ext>

    @property
    def stem(self) -> str:
        return Path(self.relative.name).stem

    @property
    def key(self) -> str:
        """The output folder and stem, ``sub/article``: what two documents must not share."""
        return str(self.relative.parent / self.stem)


def _readable(name: str) -> bool:
    return name.lower().endswith(readable_extensions()) and not name.startswith(".")


def _types() -> str:
    return ", ".join(readable_extensions())


def _inside(path: Path, folder: Path | None) -> bool:
    return folder is not None and (path == folder or folder in path.parents)


def _walk(root: Path, base: Path, exclude: Path | None) -> Iterator[BatchItem]:
    """Readable files under ``root`` in sorted order, hidden entries and ``exclude`` skipped."""
    for folder, dirs, files in os.walk(root):  # does not follow symlinked folders: no cycles
        here = Path(folder)
        dirs[:] = sorted(
            d for d in dirs if not d.startswith(".") and not _inside((here / d).resolve(), exclude)
        )
        for name in sorted(files):
            if _readable(name):
                path = here / name
                yield BatchItem(path, PurePosixPath((path.relative_to(base)).as_posix()))


def _glob_base(pattern: str) -> Path:
    """The longest leading folder of ``pattern`` without wildcards."""
    parts = Path(pattern).parts
    fixed = parts[: next((i for i, p in enumerate(parts) if _MAGIC & set(p)), len(parts))]
    return Path(*fixed) if fixed else Path(".")


def _expand(arg: str, exclude: Path | None) -> list[BatchItem]:
    path = Path(arg)
    if path.is_file():
        return [BatchItem(path, PurePosixPath(path.name))]
    if path.is_dir():
        found = list(_walk(path, path, exclude))
        if not found:
            raise InputError(
                f"{path}: no document ({_types()}) in this folder or below; "
                "give a folder that holds some, or name the files."
            )
        return found
    if not _MAGIC & set(arg):
        raise InputError(f"{path}: no such file or folder; check the path.")
    base = _glob_base(arg)
    found = []
    for match in sorted(glob.glob(arg, recursive=True)):
        m = Path(match)
        if _inside(m.resolve(), exclude):
            continue
        if m.is_dir():
            found.extend(_walk(m, base, exclude))
        elif _readable(m.name):
            found.append(BatchItem(m, PurePosixPath(m.relative_to(base).as_posix())))
    if not found:
        raise InputError(
            f"{arg}: the pattern matches no document ({_types()}); "
            "check the pattern (quote it so that the shell does not expand it)."
        )
    return found


def discover(
    paths: Sequence[str | os.PathLike[str]], *, exclude: str | os.PathLike[str] | None = None
) -> list[BatchItem]:
    """The documents named by ``paths``, in order, each once.

    A file is taken as it is (its output goes to the top of ``--out``); a folder contributes
    its readable documents (:func:`translate.markup.readable_extensions`) at any depth, relative to
    itself; a glob (``*``, ``?``, ``[...]``, ``**`` for any depth) its matching documents,
    relative to the pattern's leading folder. Hidden files and folders are skipped, as is
    ``exclude`` (the output folder, which may lie inside an input folder).

    Raises:
        InputError: a path that does not exist, a folder or pattern without documents, or two
            documents that would write the same output names.
    """
    if not paths:
        raise InputError("no document given; name files, folders or glob patterns.")
    skip = Path(exclude).resolve() if exclude is not None else None
    items: list[BatchItem] = []
    seen: set[Path] = set()
    owners: dict[str, BatchItem] = {}
    for arg in paths:
        for item in _expand(os.fspath(arg), skip):
            real = item.path.resolve()
            if real in seen:
                continue
            seen.add(real)
            other = owners.setdefault(item.key, item)
            if other is not item:
                raise InputError(
                    f"{other.path} and {item.path} would both be written as {item.key}.<lang>.*; "
                    "rename one, or translate them in separate runs with different --out."
                )
            items.append(item)
    return items
