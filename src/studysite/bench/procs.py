"""Subprocesses of the benchmark: a child's own CPU time and peak memory, and the workers."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def median(values: list[float]) -> float:
    """The median, 0 for no values."""
    return statistics.median(values) if values else 0.0


@dataclass
class ChildRun:
    """One finished subprocess: exit code, wall time, its own CPU time and peak memory."""

    code: int
    wall_s: float
    cpu_s: float | None
    peak_rss_bytes: int | None
    output: str


def run_child(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> ChildRun:
    with tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as log:
        w0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
        cpu = rss = None
        if hasattr(os, "wait4"):
            # wait4 gives this child's own rusage: its CPU time and peak memory.
            _, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
            cpu = usage.ru_utime + usage.ru_stime
            rss = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)
        else:  # pragma: no cover - not Linux or macOS
            proc.wait()
        wall = time.perf_counter() - w0
        log.seek(0)
        return ChildRun(proc.returncode, wall, cpu, rss, log.read())


def python_env() -> dict[str, str]:
    env = dict(os.environ)
    env["NO_MKDOCS_2_WARNING"] = "1"
    env.setdefault("PYTHONHASHSEED", "0")
    return env


def worker(args: list[str], cwd: Path, tmp: Path) -> dict[str, Any]:
    out = tmp / f"worker-{time.monotonic_ns()}.json"
    cmd = [sys.executable, "-m", "studysite.bench", *args, "--out", str(out)]
    run = run_child(cmd, cwd, python_env())
    if run.code != 0 or not out.exists():
        raise RuntimeError(f"{' '.join(cmd[2:4])} failed:\n{run.output[-4000:]}")
    data: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    out.unlink()
    return data
