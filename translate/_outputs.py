"""Writing output files as a set: a reader finds the old files or the new ones, never a mix.

Each file is written to a hidden temporary ``.<name>.<random>.tmp`` beside it, flushed to disk
and locked while its writer lives. When every file of a set is complete, a journal listing the
renames is written (the commit point), the temporaries are renamed over the outputs and the
journal is removed. A process killed before the journal leaves only temporaries; one killed
during the renames leaves a journal: the next write into that folder finishes the renames (roll
forward) and removes temporaries whose writer is gone, so nothing of ours stays behind. Any
exception before the commit point removes the temporaries at once.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from translate.errors import OutputError

try:
    import fcntl
except ImportError:  # Windows: stale files are recognised by age instead of by lock
    fcntl = None  # type: ignore[assignment]

# mkstemp's names: ".<name>." + 8 random characters + ".tmp"
TEMP_RANDOM = 8
_TEMP = re.compile(rf"^\.(?P<name>.+)\.[a-z0-9_]{{{TEMP_RANDOM}}}\.tmp$")
_JOURNAL_PREFIX = ".translate-set."
_JOURNAL_SUFFIX = ".json"
_STALE_WITHOUT_LOCKS_S = 86400.0


def temp_name(name: str) -> str:
    """The longest temporary name :func:`write_set` uses for an output called ``name``."""
    return f".{name}.{'x' * TEMP_RANDOM}.tmp"


def name_limit(folder: Path) -> int:
    """The longest file name (in bytes) the file system of ``folder`` (or its parent) accepts."""
    for p in (folder, *folder.parents):
        with contextlib.suppress(OSError, ValueError, AttributeError):
            if p.is_dir():
                return int(os.pathconf(p, "PC_NAME_MAX"))
    return 255


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _try_lock(fd: int) -> bool:
    """Take an exclusive lock without waiting; True when taken (or when locks do not exist)."""
    if fcntl is None:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _abandoned(path: Path) -> int | None:
    """An open, locked descriptor of ``path`` when no live writer holds it, else None."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    if fcntl is None:
        with contextlib.suppress(OSError):
            if time.time() - os.fstat(fd).st_mtime > _STALE_WITHOUT_LOCKS_S:
                return fd
        os.close(fd)
        return None
    if _try_lock(fd):
        return fd
    os.close(fd)
    return None


def recover(folder: Path, names: Iterable[str] = ()) -> None:
    """Finish the renames of sets whose writer died, and remove its leftover temporaries.

    Only our own files are touched: journals, and abandoned temporaries of the output ``names``
    or of files of their shape (``<stem>.<lang>.<ext>`` with one of their extensions).
    """
    wanted = set(names)
    exts = "|".join(sorted({re.escape(n.rsplit(".", 1)[-1]) for n in wanted if "." in n}))
    shape = (
        re.compile(rf"^.+\.[A-Za-z]{{2,3}}(?:-[A-Za-z0-9]{{1,8}})*\.(?:{exts})$") if exts else None
    )
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith(_JOURNAL_PREFIX) and entry.name.endswith(_JOURNAL_SUFFIX):
            _roll_forward(Path(entry.path))
    for entry in entries:
        match = _TEMP.match(entry.name)
        if match is None:
            continue
        if match["name"] not in wanted and not (shape and shape.match(match["name"])):
            continue
        fd = _abandoned(Path(entry.path))
        if fd is not None:
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
            os.close(fd)


def _roll_forward(journal: Path) -> None:
    fd = _abandoned(journal)
    if fd is None:
        return
    try:
        with contextlib.suppress(OSError, ValueError):
            renames = json.loads(journal.read_text(encoding="utf-8"))["renames"]
            for tmp, final in renames:
                if os.path.exists(tmp):
                    os.replace(tmp, final)
        with contextlib.suppress(OSError):
            os.unlink(journal)
    finally:
        os.close(fd)


def _fail(path: Path, err: OSError) -> OutputError:
    return OutputError(
        f"cannot write {path} ({err.strerror or err}); choose a writable output path."
    )


def _prepare(folder: Path, path: Path) -> None:
    blocker = next((a for a in (folder, *folder.parents) if a.exists() and not a.is_dir()), None)
    if blocker is not None:
        raise OutputError(
            f"cannot write {path}: {blocker} is a file, not a folder; choose another output path."
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise _fail(path, err) from None


def _write_temp(path: Path, data: bytes) -> tuple[int, str]:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        _try_lock(fd)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
        # mkstemp creates 0600 files; give the output the permissions a plain open() would.
        os.chmod(tmp, 0o666 & ~_umask())
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return fd, tmp


def _sync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_set(files: Sequence[tuple[Path, bytes]]) -> list[Path]:
    """Write every ``(path, content)`` so that all of them change together or none does.

    Raises:
        OutputError: a file cannot be written (full disk, no permission, a file in the way);
            the old files are then all left as they were and no temporary file remains.
    """
    files = [(Path(p), data) for p, data in files]
    folders = list(dict.fromkeys(p.parent for p, _ in files))
    for folder in folders:
        _prepare(folder, next(p for p, _ in files if p.parent == folder))
        recover(folder, (p.name for p, _ in files if p.parent == folder))
    for path, _ in files:
        if path.is_dir():
            raise OutputError(f"cannot write {path}: it is a folder; choose a file name.")
    temps: list[tuple[int, str, Path]] = []
    journal: tuple[int, str] | None = None
    committed = False
    try:
        for path, data in files:
            try:
                fd, tmp = _write_temp(path, data)
            except OSError as err:
                raise _fail(path, err) from None
            temps.append((fd, tmp, path))
        if len(temps) > 1:
            renames = [[os.path.abspath(t), os.path.abspath(p)] for _, t, p in temps]
            payload = json.dumps({"renames": renames}).encode("utf-8")
            try:
                journal = tempfile.mkstemp(
                    prefix=_JOURNAL_PREFIX, suffix=_JOURNAL_SUFFIX, dir=folders[0]
                )
                _try_lock(journal[0])
                os.write(journal[0], payload)
                os.fsync(journal[0])
            except OSError as err:
                raise _fail(files[0][0], err) from None
        committed = True
        for _, tmp, path in temps:
            try:
                os.replace(tmp, path)
            except OSError as err:  # a journal stays: the next write finishes the set
                if journal is None:
                    committed = False
                raise _fail(path, err) from None
        for folder in folders:
            _sync_folder(folder)
        if journal is not None:
            with contextlib.suppress(OSError):
                os.unlink(journal[1])
    finally:
        for fd, tmp, _ in temps:
            if not committed:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
            os.close(fd)
        if journal is not None:
            if not committed:
                with contextlib.suppress(OSError):
                    os.unlink(journal[1])
            os.close(journal[0])
    return [p for p, _ in files]
