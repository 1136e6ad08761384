"""Pipeline stages, and the timer :func:`studysite.site.generate` reports them to.

``generate()`` and ``build_site()`` run each stage inside ``timer.stage(name)``. The default
timer does nothing; the benchmark (:mod:`studysite.bench`) passes one that records time per
stage. Stages named here are the whole contract: no caller patches pipeline functions.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from typing import Protocol

STAGES = ("setup", "read", "parse", "route", "render", "excerpts", "links", "tables")


class StageTimer(Protocol):
    """Anything with ``stage(name)``, a context manager around one stage's work."""

    def stage(self, name: str) -> AbstractContextManager[object]:
        """Enter stage ``name`` (one of :data:`STAGES`); stages may nest and repeat."""
        ...


class NoTimer:
    """The default: stages cost nothing extra."""

    def stage(self, name: str) -> AbstractContextManager[object]:
        """A context manager that does nothing."""
        return nullcontext()


NO_TIMER = NoTimer()
