"""``studysite bench --pathological``: a note of 20,000 short headings against the notes.

Issue 11: such a note (670 KB) took about 150 s to build against 20 s for the five notes
(563 KB). This builds, side by side, the same project three times, each with only its own
notes: the notes themselves, the pathological note spread over many pages, and the
pathological note all on one page. Each ``mkdocs build`` runs in its own process (CPU time
of that process; the builds alternate, ``repeat`` times each, median), and ``generate()``
alone is timed in a worker too, so the figures say how much is ours and how much MkDocs'.
The figure judged is the cost per KB of note against the notes' cost per KB.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

from studysite.bench import TARGET_PATHOLOGICAL_RATIO
from studysite.bench.corpus import pathological_note, service_names
from studysite.bench.procs import ChildRun, median, python_env, run_child, worker

# What a build needs from the project besides its notes.
_PROJECT = ("hooks", "docs", "overrides", "catalog")


def _project(root: Path, target: Path, notes: dict[str, bytes]) -> Path:
    """A copy of the project whose ``notes/`` holds just ``notes``."""
    target.mkdir(parents=True)
    shutil.copy(root / "mkdocs.yml", target / "mkdocs.yml")
    for folder in _PROJECT:
        if (root / folder).is_dir():
            shutil.copytree(root / folder, target / folder)
    (target / "notes").mkdir()
    for name, data in notes.items():
        path = target / "notes" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return target


def _note_files(notes: Path) -> dict[str, bytes]:
    return {
        p.relative_to(notes).as_posix(): p.read_bytes()
        for p in sorted(notes.rglob("*"))
        if p.is_file()
    }


def _note_bytes(files: dict[str, bytes]) -> int:
    # The notes' own text: manifest and overrides are configuration.
    return sum(len(data) for name, data in files.items() if not name.endswith((".yml", ".yaml")))


def pathological_bench(root: Path, repeat: int, tmp: Path) -> dict[str, Any]:
    """Build the notes and both pathological variants; cost per KB and the ratios."""
    catalog = root / "catalog" / "services.yml"
    notes = _note_files(root / "notes")
    variants = {
        "notes": notes,
        "spread": {"pathological.md": pathological_note(service_names(catalog)).encode()},
        "one page": {"pathological.md": pathological_note([]).encode()},
    }
    projects = {
        name: _project(root, tmp / f"proj-{i}", files)
        for i, (name, files) in enumerate(variants.items())
    }
    runs: dict[str, list[ChildRun]] = {name: [] for name in variants}
    order = list(variants)
    for r in range(repeat):
        # Alternate the order so no variant always gets the warmer caches.
        for name in order if r % 2 == 0 else reversed(order):
            cmd = [sys.executable, "-m", "mkdocs", "build", "-d", str(tmp / f"site-{r}")]
            run = run_child(cmd, projects[name], python_env())
            if run.code != 0:
                raise RuntimeError(f"mkdocs build ({name}) failed:\n{run.output[-4000:]}")
            runs[name].append(run)
            shutil.rmtree(tmp / f"site-{r}", ignore_errors=True)
    out: dict[str, Any] = {"repeat": repeat, "target_ratio": TARGET_PATHOLOGICAL_RATIO}
    for name, project in projects.items():
        core = worker(
            ["core", str(project / "notes"), str(catalog), str(project / "docs"), "--runs", "1"],
            root,
            tmp,
        )
        kb = _note_bytes(variants[name]) / 1000
        cpu = median([r.cpu_s or 0.0 for r in runs[name]])
        out[name] = {
            "note_kb": kb,
            "build_cpu_s": cpu,
            "build_wall_s": median([r.wall_s for r in runs[name]]),
            "core_cpu_s": core["cpu_s"],
            "peak_rss_bytes": max((r.peak_rss_bytes or 0) for r in runs[name]),
            "pages": core["corpus"]["pages"],
            "largest_markdown": core["corpus"]["largest_markdown"],
            "cpu_ms_per_kb": 1000 * cpu / kb if kb else None,
            "notices": sorted(
                {
                    ln.split("-  ", 1)[-1]
                    for ln in runs[name][0].output.splitlines()
                    if "long page" in ln
                }
            ),
        }
    base = out["notes"]
    for name in ("spread", "one page"):
        v = out[name]
        v["ratio_per_kb"] = v["cpu_ms_per_kb"] / base["cpu_ms_per_kb"]
        v["ratio_time"] = v["build_cpu_s"] / base["build_cpu_s"]
        v["met"] = v["ratio_per_kb"] <= TARGET_PATHOLOGICAL_RATIO
    return out


def pathological_text(data: dict[str, Any]) -> str:
    """The figures as a table."""
    head = ["note", "KB", "pages", "build cpu s", "wall s", "core cpu s", "ms/KB", "per KB", "time"]
    rows = [head]
    for name in ("notes", "spread", "one page"):
        v = data[name]
        rows.append(
            [
                name,
                f"{v['note_kb']:.0f}",
                str(v["pages"]),
                f"{v['build_cpu_s']:.1f}",
                f"{v['build_wall_s']:.1f}",
                f"{v['core_cpu_s']:.1f}",
                f"{v['cpu_ms_per_kb']:.1f}",
                f"{v.get('ratio_per_kb', 1.0):.2f}x",
                f"{v.get('ratio_time', 1.0):.2f}x",
            ]
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    lines = [
        "Pathological note (20,000 short headings) against the notes: mkdocs build, CPU time,"
        f" median of {data['repeat']}; ratios against the notes (target per KB ≤ "
        f"{data['target_ratio']:.1f}x)",
        "",
        *["  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) for r in rows],
        "",
    ]
    for name in ("spread", "one page"):
        v = data[name]
        lines.append(f"{name}: {'met' if v['met'] else 'MISSED'}")
        lines += [f"  {n}" for n in v["notices"]]
    return "\n".join(lines)
