"""French-to-multilingual translation toolkit: segment, translate with enforced glossaries, score, export.

The public API is re-exported here; heavy dependencies (torch, transformers) load only when a
document is actually translated.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
