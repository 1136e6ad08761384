"""The worker side: ``generate()`` on one corpus in a fresh process, stage by stage.

Each corpus runs in its own process so its peak memory is its own (the 1x figure is not
polluted by a bigger corpus, nor by the parent). Stages come from the
:class:`~studysite.bench.clock.RecordingTimer` that ``generate()`` is given.
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from studysite.bench.clock import RecordingTimer, peak_rss
from studysite.bench.procs import median
from studysite.stages import STAGES


def core_worker(notes: Path, catalog: Path, docs: Path, runs: int, profile: bool) -> dict[str, Any]:
    """Time ``generate()`` ``runs`` times on one corpus; stages, totals, memory, corpus facts."""
    t0 = time.perf_counter()
    from studysite.site import generate

    import_s = time.perf_counter() - t0
    rss_after_import = peak_rss()
    clock = RecordingTimer()
    parses = _ParseClock()
    walls: list[float] = []
    cpus: list[float] = []
    stage_runs: list[dict[str, tuple[float, float, int]]] = []
    facts: dict[str, Any] = {}
    parse_runs: list[dict[str, float]] = []
    for i in range(runs):
        clock.reset()
        parses.reset()
        w0, c0 = time.perf_counter(), time.process_time()
        out = generate(notes, catalog, docs, clock)
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
        stage_runs.append({s: (clock.wall[s], clock.cpu[s], clock.calls[s]) for s in clock.wall})
        parse_runs.append(dict(parses.cpu))
        if i == 0:
            facts = _corpus_facts(out)
        del out  # the next run must not find this one's data still alive
    stages: dict[str, Any] = {}
    for stage in STAGES:
        per = [r.get(stage, (0.0, 0.0, 0)) for r in stage_runs]
        stages[stage] = {
            "wall_s": median([p[0] for p in per]),
            "cpu_s": median([p[1] for p in per]),
            "calls": per[0][2],
        }
    total, cpu = median(walls), median(cpus)
    stages["other"] = {
        "wall_s": max(total - sum(s["wall_s"] for s in stages.values() if s), 0.0),
        "cpu_s": max(cpu - sum(s["cpu_s"] for s in stages.values() if s), 0.0),
        "calls": None,
    }
    result = {
        "runs": runs,
        "import_s": import_s,
        "wall_s": total,
        "cpu_s": cpu,
        "first_wall_s": walls[0],
        "all_wall_s": walls,
        "stages": stages,
        # CPU seconds inside markdown-it's parse, by what the text is parsed for (README,
        # "Performance": what one parse per note could save at most).
        "markdown_it_cpu_s": {
            use: median([r.get(use, 0.0) for r in parse_runs]) for use in _ParseClock.USES
        },
        "markdown_it_calls": dict(parses.calls),
        "peak_rss_bytes": peak_rss(),
        "rss_after_import_bytes": rss_after_import,
        "corpus": facts,
    }
    if profile:
        result["profile"] = _profile(generate, notes, catalog, docs)
    return result


class _ParseClock:
    """CPU time of every markdown-it parse of a run, by use: the parsers are built once
    per process, so their ``parse`` is wrapped once, in this worker process only."""

    USES = ("reading", "rendering", "link layout")

    def __init__(self) -> None:
        from studysite.links import protect
        from studysite.markdown_tokens import block_parser
        from studysite.render import markdown

        self.cpu: dict[str, float] = {}
        self.calls: dict[str, int] = {}
        for use, parser in zip(
            self.USES, (block_parser(), markdown._parser(), protect._parser()), strict=True
        ):
            parser.parse = self._timed(use, parser.parse)  # type: ignore[method-assign]

    def reset(self) -> None:
        self.cpu.clear()
        self.calls.clear()

    def _timed(self, use: str, parse: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            c0 = time.process_time()
            try:
                return parse(*args, **kwargs)
            finally:
                self.cpu[use] = self.cpu.get(use, 0.0) + time.process_time() - c0
                self.calls[use] = self.calls.get(use, 0) + 1

        return timed


def _profile(generate: Callable[..., Any], notes: Path, catalog: Path, docs: Path) -> str:
    try:
        from pyinstrument import Profiler
    except ImportError:
        return "pyinstrument is not installed: pip install -r requirements-dev.txt"
    profiler = Profiler(interval=0.001)
    profiler.start()
    generate(notes, catalog, docs)
    profiler.stop()
    return profiler.output_text(unicode=True, color=False)


def _corpus_facts(out: Any) -> dict[str, Any]:
    site = out.site
    content = sum(n.content_lines for n in site.notes)
    noise = sum(len(n.noise) for n in site.notes)
    unsorted = sum(
        sum(1 for ln in p.lines if ln.text.strip())
        for n in site.notes
        for p in n.parts
        if p.page == "unsorted"
    )
    sizes = {path: len(text.encode("utf-8")) for path, text in out.pages.items()}
    largest = max(sizes, key=lambda p: sizes[p]) if sizes else ""
    return {
        "notes": len(site.notes),
        "content_lines": content,
        "noise_lines": noise,
        "unsorted_lines": unsorted,
        "parts": sum(len(n.parts) for n in site.notes),
        "pages": len(out.pages),
        "markdown_bytes": sum(sizes.values()),
        "largest_markdown": {"path": largest, "bytes": sizes.get(largest, 0)},
        "warnings": sum(1 for d in out.diagnostics if d.level != "info"),
    }


def export_worker(root: Path, target: Path) -> dict[str, Any]:
    """Write the final Markdown tree as the hook serves it to MkDocs, plus the nav.

    Mirrors ``on_page_markdown`` in ``hooks/generate.py``: generated pages are final as
    generated; hand-written pages get ``finish_hand_written`` (markers, links), or only
    their markers expanded where that method does not exist. A build without hooks then sees
    the very same pages (``same_output`` in the result checks it).
    """
    from studysite.site import generate

    docs = root / "docs"
    out = generate(root / "notes", root / "catalog" / "services.yml", docs)
    finish = getattr(out, "finish_hand_written", None)
    if docs.is_dir():
        shutil.copytree(docs, target, dirs_exist_ok=True)
    else:
        target.mkdir(parents=True, exist_ok=True)
    pages = {}
    for path in target.rglob("*.md"):
        rel = path.relative_to(target).as_posix()
        text = path.read_text(encoding="utf-8")
        pages[rel] = finish(text, rel) if finish else out.expand_markers(text, rel)
    for rel, text in out.pages.items():
        pages[rel] = text if finish else out.expand_markers(text, rel)
    for rel, text in pages.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    for rel, data in out.assets.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return {"nav": out.nav, "pages": len(pages), "assets": len(out.assets)}


def worker_main(argv: list[str]) -> int:
    """``python -m studysite.bench core|export ...``: the subprocess side."""
    p = argparse.ArgumentParser(prog="python -m studysite.bench")
    sub = p.add_subparsers(dest="mode", required=True)
    c = sub.add_parser("core")
    c.add_argument("notes", type=Path)
    c.add_argument("catalog", type=Path)
    c.add_argument("docs", type=Path)
    c.add_argument("--runs", type=int, default=1)
    c.add_argument("--profile", action="store_true")
    c.add_argument("--out", type=Path, required=True)
    e = sub.add_parser("export")
    e.add_argument("root", type=Path)
    e.add_argument("target", type=Path)
    e.add_argument("--out", type=Path, required=True)
    args = p.parse_args(argv)
    if args.mode == "core":
        data = core_worker(args.notes, args.catalog, args.docs, args.runs, args.profile)
    else:
        data = export_worker(args.root, args.target)
    # A file, not stdout: nothing the pipeline prints can corrupt the result.
    args.out.write_text(json.dumps(data), encoding="utf-8")
    return 0
