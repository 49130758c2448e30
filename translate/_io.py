"""Reading user documents safely, writing outputs atomically; bundled data and user folders.

Every command reads its input through :func:`read_document` so that missing files, directories,
binary data and bad encodings fail the same way, and writes through :func:`atomic_write` so that a
failed run never leaves a truncated file behind.
"""

from __future__ import annotations

import contextlib
import json
import ntpath
import os
import sys
import tempfile
from collections.abc import Iterable
from importlib import resources
from pathlib import Path, PurePath
from typing import Any

from translate._outputs import name_limit, temp_name, write_set
from translate.errors import ConfigError, InputError, OutputError

BOM = "\ufeff"
# Longest first: the UTF-32-LE mark starts with the UTF-16-LE one. Each codec drops its BOM.
_UNICODE_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


# kind: (XDG variable, its default under the home folder, the folder under ~/Library on macOS)
_USER_DIRS = {
    "cache": ("XDG_CACHE_HOME", ".cache", "Caches"),
    "data": ("XDG_DATA_HOME", ".local/share", "Application Support"),
}


def public_path(path: str | os.PathLike[str]) -> str:
    """How an output names a file or folder without revealing the machine's folders.

    A path inside the working folder is written relative to it (``articles/fr/a.txt``); any other
    path, or an absolute one already recorded, is reduced to its last component (a local model's
    folder name), so exports can be shared and two machines write the same files.
    """
    text = os.fspath(path)
    if not is_absolute(text):
        return PurePath(text).as_posix() if text else text
    local = Path(text).expanduser()
    if local.is_absolute():  # on this system: it may lie inside the working folder
        with contextlib.suppress(ValueError, OSError):
            rel = local.resolve().relative_to(Path.cwd().resolve())
            if rel.parts:
                return rel.as_posix()
    return ntpath.basename(text.rstrip("/\\")) or text


def is_absolute(text: str) -> bool:
    """An absolute POSIX or Windows path (``/home/...``, ``C:\\...``, ``\\\\server\\...``), or ``~``."""
    return text.startswith(("/", "~", "\\")) or ntpath.isabs(text)


def user_dir(kind: str) -> Path:
    """The toolkit's ``cache`` or ``data`` folder, following each platform's convention.

    ``$XDG_CACHE_HOME/translate`` or ``~/.cache/translate`` (``$XDG_DATA_HOME/translate`` or
    ``~/.local/share/translate``) on Linux, ``~/Library/Caches/translate`` (``~/Library/Application
    Support/translate``) on macOS, ``%LOCALAPPDATA%\\translate`` for both on Windows.
    """
    xdg, default, mac = _USER_DIRS[kind]
    home = Path.home()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or home / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = home / "Library" / mac
    else:
        base = Path(os.environ.get(xdg) or home / default)
    return base / "translate"


def read_data(name: str) -> str:
    """The text of a file shipped in ``translate/data`` (``name`` may name a subfolder: ``a/b``)."""
    return resources.files("translate").joinpath(f"data/{name}").read_text("utf-8")


def decode_text(data: bytes, *, encoding: str | None = None, name: str = "input") -> str:
    """Decode bytes to text: strict UTF-8 (BOM removed) unless ``encoding`` is given; CRLF → LF.

    A UTF-16 or UTF-32 byte-order mark selects that encoding when ``encoding`` is not given.

    Offsets everywhere in the toolkit are indices into the string this returns.
    """
    if encoding is None:
        # A UTF-16/32 byte-order mark names the encoding (Windows editors write these).
        for bom, codec in _UNICODE_BOMS:
            if data.startswith(bom):
                encoding = codec
                break
    nul = data.find(b"\x00") if encoding is None else -1  # the whole file: memchr is fast
    if nul >= 0:
        raise InputError(
            f"{name} looks like a binary file, not text (a NUL byte at offset {nul}); give a "
            "UTF-8 text document."
        )
    enc = encoding or "utf-8"
    try:
        text = data.decode(enc)
    except LookupError:
        raise InputError(
            f"unknown encoding {encoding!r}; use a Python codec name such as latin-1."
        ) from None
    except UnicodeDecodeError as err:
        raise InputError(
            f"{name} is not valid {enc.upper()} (byte 0x{data[err.start]:02x} at offset {err.start}); "
            "convert it to UTF-8 or pass --encoding (e.g. --encoding latin-1)."
        ) from None
    if text.startswith(BOM):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


def check_name(path: str | os.PathLike[str]) -> None:
    """Refuse a file name that is not valid UTF-8 before any work: it is recorded in results.

    Python keeps such bytes as lone surrogates (``caf\\udce9.txt``), which no UTF-8 output can
    hold, so a translation would fail when its files are written.

    Raises:
        InputError: the name holds bytes that are not UTF-8.
    """
    name = os.fspath(path)
    try:
        name.encode("utf-8")
    except UnicodeEncodeError as err:
        raw = os.fsencode(name[err.start : err.end])
        shown = name.encode("utf-8", "backslashreplace").decode("ascii", "replace")
        raise InputError(
            f"the file name {shown} is not valid UTF-8 (byte 0x{raw[0]:02x}); rename the file "
            "with a UTF-8 name."
        ) from None


def read_document(
    path: str | os.PathLike[str], *, encoding: str | None = None, allow_empty: bool = False
) -> str:
    """Read a text document for processing, with one clear error for each way it can be unusable."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such file; check the path.")
    if p.is_dir():
        raise InputError(f"{p} is a directory; give a text file.")
    try:
        data = p.read_bytes()
    except OSError as err:
        raise InputError(f"{p}: cannot read ({err.strerror}); check its permissions.") from None
    text = decode_text(data, encoding=encoding, name=str(p))
    if not allow_empty and not text.strip():
        raise InputError(
            f"{p} is empty (or only whitespace); give a document with text to process."
        )
    return text


def atomic_write(
    path: str | os.PathLike[str], data: str | bytes, *, encoding: str = "utf-8"
) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same directory, then rename.

    See :func:`translate._outputs.write_set` (a set of one file) for what is left on a failure:
    nothing of ours.
    """
    content = data.encode(encoding) if isinstance(data, str) else data
    return write_set([(Path(path), content)])[0]


def check_output_dir(path: str | os.PathLike[str], names: Iterable[str] = ()) -> Path:
    """Fail before any work when ``path`` cannot become an output folder; leaves nothing behind.

    ``names`` are the files that will be written there: each one's temporary name must fit the
    file system's name limit.

    Raises:
        OutputError: ``path`` is a file, lies under a file, is (or lies under) a dangling or
            looping symbolic link, its nearest existing folder is not writable, or a name is too
            long.
    """
    p = Path(path)
    for a in (p, *p.parents):
        if os.path.islink(a) and not os.path.exists(a):
            raise OutputError(
                f"output folder {p} cannot be created: {a} is a symbolic link to "
                f"{os.readlink(a)!r}, which does not exist (or loops); fix the link or choose "
                "another --out."
            )
    existing = next(a for a in (p, *p.parents) if a.exists() or a == a.parent)
    if not existing.is_dir():
        raise OutputError(
            f"output folder {p} cannot be created: {existing} is a file; choose a folder for --out."
        )
    if not _writable(existing):
        raise OutputError(f"{existing} is not writable; choose a writable folder for --out.")
    limit = name_limit(existing)
    for name in names:
        if len(os.fsencode(temp_name(name))) > limit:
            raise OutputError(
                f"cannot write {p / name}: the name is too long for the file system (its "
                f"temporary name {temp_name(name)[:40]}... exceeds {limit} bytes); rename the "
                "input file to a shorter name."
            )
    return p


def _writable(folder: Path) -> bool:
    """True when a file can be created in ``folder`` (asked of the file system, not the mode
    bits: they say nothing of read-only mounts, and root ignores them)."""
    if not os.access(folder, os.W_OK | os.X_OK):
        return False
    try:
        fd, probe = tempfile.mkstemp(prefix=".translate-probe.", suffix=".tmp", dir=folder)
    except OSError:
        return False
    os.close(fd)
    with contextlib.suppress(OSError):
        os.unlink(probe)
    return True


def _json_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return "null"


def check_shape(data: Any, template: Any, *, name: str, model: str, where: str = "") -> None:
    """Check that a user's JSON ``data`` has the JSON types of the bundled ``template``.

    Run where a file type is loaded, so that a value of the wrong type (a string where a number
    is expected, a list for an object) is one :class:`ConfigError` naming the key, not a
    traceback later. ``name`` is the user's file, ``model`` the bundled file it copies.

    Keys present in both are compared, recursively; list items are compared with the template's
    first item when all its items are of one kind; ``null`` in the template allows anything. Keys
    only one side has are left to the caller (a user may add entries or omit optional ones).

    Raises:
        ConfigError: the first place where the types differ, named by its key path.
    """
    want, got = _json_kind(template), _json_kind(data)
    if want != "null" and want != got:
        at = f"{where} " if where else ""
        raise ConfigError(f"{name}: {at}must be {want}, not {got}; see {model} for the layout.")
    if isinstance(template, dict):
        for key in template.keys() & data.keys():
            where_key = f"{where}.{key}".lstrip(".")
            check_shape(data[key], template[key], name=name, model=model, where=where_key)
    elif isinstance(template, list) and template:
        kinds = {_json_kind(item) for item in template}
        if len(kinds) == 1:
            for i, item in enumerate(data):
                check_shape(item, template[0], name=name, model=model, where=f"{where}[{i}]")


def read_json(path: str | os.PathLike[str], *, fix: str = "") -> Any:
    """Parse a user's JSON file, read as :func:`read_document` reads documents.

    Raises:
        InputError: the file is missing, empty or unreadable.
        ConfigError: it is not valid JSON (the message ends with ``fix``, when given).
    """
    try:
        return json.loads(read_document(path))
    except json.JSONDecodeError as err:
        hint = f"; {fix}" if fix else ""
        raise ConfigError(
            f"{Path(path)}: not valid JSON ({err.msg} at line {err.lineno}){hint}."
        ) from None
