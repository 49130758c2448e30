"""Checking a record rebuilt from JSON against its dataclass type hints, field by field.

A result file is data from outside: a segment's ``"index": "3"`` must be refused on reading, with
the field's name, not found later as a traceback in whichever stage first does arithmetic on it.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping
from dataclasses import fields
from typing import Any


def type_problem(record: Any, where: str = "") -> str | None:
    """The first field of a record (or of a record inside it) whose value has the wrong type."""
    hints = typing.get_type_hints(type(record))
    for f in fields(record):
        value, hint = getattr(record, f.name), hints[f.name]
        at = f"{where}{f.name}"
        if isinstance(value, tuple) and typing.get_origin(hint) is tuple:
            item_hint = typing.get_args(hint)[0]
            for i, item in enumerate(value):
                if hasattr(item, "__dataclass_fields__"):
                    inner = type_problem(item, f"{at}[{i}].")
                    if inner:
                        return inner
                elif not _matches(item, item_hint):
                    return _wrong(f"{at}[{i}]", item, item_hint)
        if not _matches(value, hint):
            return _wrong(at, value, hint)
    return None


def _wrong(at: str, value: Any, hint: Any) -> str:
    want = getattr(hint, "__name__", None) or str(hint).replace("typing.", "")
    return f"{at} must be {want}, not {type(value).__name__} {value!r:.40}"


def _matches(value: Any, hint: Any) -> bool:
    """Whether a value read from JSON fits a field's type hint (records checked field by field)."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint is Any:
        return True
    if typing.is_typeddict(hint):  # summary, provenance: any JSON object (kept as read)
        return isinstance(value, Mapping) and all(isinstance(k, str) for k in value)
    if origin in (typing.Union, types.UnionType):
        return any(_matches(value, a) for a in args)
    if hint is type(None):
        return value is None
    if origin is tuple:
        return isinstance(value, tuple) and all(_matches(v, args[0]) for v in value)
    if origin is Mapping:
        return isinstance(value, Mapping) and all(
            isinstance(k, str) and _matches(v, args[1]) for k, v in value.items()
        )
    if hint is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if isinstance(hint, type) and hasattr(hint, "__dataclass_fields__"):
        return isinstance(value, hint) and type_problem(value) is None
    return isinstance(value, hint)
