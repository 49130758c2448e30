"""Growth checks for the tests: CPU time of an input and of one twice as large, never wall time.

Machines are shared and noisy; CPU time ignores other processes, the least of three calls ignores
one-off stalls, and a ratio of doubled inputs separates linear (×2) from quadratic (×4) work.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from typing import Any

import pytest


def least_cpu(fn: Callable[[Any], object], arg: Any, repeat: int = 3) -> float:
    """The least CPU time of ``repeat`` calls, with the garbage collector off (a collection walks
    the whole heap of the test session: not the work measured)."""
    best = float("inf")
    gc.collect()
    gc.disable()
    try:
        for _ in range(repeat):
            start = time.process_time()
            fn(arg)
            best = min(best, time.process_time() - start)
    finally:
        gc.enable()
    return best


def assert_about_linear(
    fn: Callable[[Any], object], make: Callable[[int], Any], n: int, what: str
) -> None:
    """Fail unless ``fn(make(2n))`` costs under three times ``fn(make(n))``.

    A retry absorbs a noisy measurement (a quadratic stage is ×4 every time); timings of a few
    milliseconds, which one page fault or preemption skews, are retried on an input twice as long.
    """
    for _ in range(4):
        t1, t2 = least_cpu(fn, make(n)), least_cpu(fn, make(2 * n))
        if t2 < 0.005 or t2 / max(t1, 1e-6) < 3.0:
            return
        if t2 < 0.05:
            n *= 2
    pytest.fail(f"{what}: {t1:.4f} s → {t2:.4f} s CPU for twice the input (size {n:,})")
