"""The benchmark's stage timer: exclusive wall and CPU time per stage, and peak memory."""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class RecordingTimer:
    """A :class:`studysite.stages.StageTimer` that adds up each stage's exclusive time.

    A stage entered inside another (none does today, but a stage may call into another) is
    not counted twice: its time is taken out of the enclosing stage's figure.
    """

    wall: dict[str, float] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)
    calls: dict[str, int] = field(default_factory=dict)
    _stack: list[list[float]] = field(default_factory=list)

    def reset(self) -> None:
        """Forget every figure (before the next run)."""
        self.wall.clear()
        self.cpu.clear()
        self.calls.clear()

    @contextlib.contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time the block as stage ``name``."""
        inner = [0.0, 0.0]  # wall and CPU spent in stages nested in this one
        self._stack.append(inner)
        w0, c0 = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            dw, dc = time.perf_counter() - w0, time.process_time() - c0
            self._stack.pop()
            self.wall[name] = self.wall.get(name, 0.0) + dw - inner[0]
            self.cpu[name] = self.cpu.get(name, 0.0) + dc - inner[1]
            self.calls[name] = self.calls.get(name, 0) + 1
            if self._stack:
                self._stack[-1][0] += dw
                self._stack[-1][1] += dc


def peak_rss() -> int:
    """This process's peak resident memory in bytes.

    ``VmHWM`` belongs to the process image, so it restarts at ``exec``; ``ru_maxrss`` can
    carry the size of the process that forked us, hence only the fallback.
    """
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    import resource

    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale
