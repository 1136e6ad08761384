"""Count the work a call does, so cost tests never depend on how busy the machine is.

``calls(fn, *args)`` runs ``fn`` under a profile hook and returns how many Python and C
function calls it made. The count is the same on a fast laptop and a loaded 2-core CI
runner, so "10x the input costs at most ~10x the calls" is a test that only fails on a
real quadratic loop. Wall-clock time belongs in ``studysite bench``, never in a test.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any


def calls(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> int:
    """Number of function calls (Python and builtin) made while running ``fn(*args)``."""
    count = 0

    def hook(frame: Any, event: str, arg: Any) -> None:
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    previous = sys.getprofile()
    sys.setprofile(hook)
    try:
        fn(*args, **kwargs)
    finally:
        sys.setprofile(previous)
    return count


def growth(fn: Callable[[int], Any], small: int, big: int) -> float:
    """How many times more work ``fn(big)`` does than ``fn(small)``, in function calls.

    The fixed cost (``fn(0)``: loading a catalog, building an automaton) is subtracted, so
    linear code gives about ``big / small`` and quadratic code about its square.
    """
    fn(small)  # regex and other caches fill on the first run, not in the counted ones
    fixed = calls(fn, 0)
    return (calls(fn, big) - fixed) / (calls(fn, small) - fixed)
