"""Translation engines behind one protocol; torch and transformers load only inside backends."""

from __future__ import annotations

from translate.engine.base import DecodeOptions, Engine

__all__ = ["DecodeOptions", "Engine"]
