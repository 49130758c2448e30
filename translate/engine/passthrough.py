"""Moved to :mod:`translate.passthrough` (a pre-translation filter, not an engine); this name
keeps old imports working."""

from __future__ import annotations

from translate.passthrough import RULES_FILE, PassthroughRules

__all__ = ["RULES_FILE", "PassthroughRules"]
