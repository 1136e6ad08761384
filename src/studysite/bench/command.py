"""``studysite bench``: run every measurement and print the figures (options: studysite.cli)."""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from studysite.bench.build import build_compare
from studysite.bench.corpus import make_corpus
from studysite.bench.pathological import pathological_bench, pathological_text
from studysite.bench.procs import worker
from studysite.bench.report import report_text, targets


def _sizes(text: str) -> list[int]:
    try:
        sizes = sorted({int(s) for s in text.split(",") if s.strip()})
    except ValueError:
        sizes = []
    if not sizes or sizes[0] < 1:
        raise SystemExit(f"studysite bench: --sizes wants positive integers, got {text!r}")
    return sizes if sizes[0] == 1 else [1, *sizes]


def _core_runs(size: int, repeat: int) -> int:
    # A 100x run takes minutes; its growth figure needs one run, not a median.
    return repeat if size <= 10 else 1


def bench(root: Path, sizes: list[int], repeat: int, build: bool, profile: bool) -> dict[str, Any]:
    """Run every measurement; the result is what ``--json`` prints."""
    notes, catalog, docs = root / "notes", root / "catalog" / "services.yml", root / "docs"
    result: dict[str, Any] = {
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "load_avg": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
        },
        "repeat": repeat,
        "core": {},
        "build": None,
    }
    with tempfile.TemporaryDirectory(prefix="studysite-bench-") as tmp_name:
        tmp = Path(tmp_name)
        for size in sizes:
            corpus, made = notes, None
            if size > 1:
                corpus = tmp / f"notes-{size}x"
                made = make_corpus(notes, catalog, corpus, size)
            args = ["core", str(corpus), str(catalog), str(docs)]
            args += ["--runs", str(_core_runs(size, repeat))]
            if profile and size == 1:
                args.append("--profile")
            data = worker(args, root, tmp)
            if made:
                data["corpus"]["renamed_titles"] = made["renamed_titles"]
            result["core"][f"{size}x"] = data
            if size > 1:
                shutil.rmtree(corpus)
        if build:
            result["build"] = build_compare(root, repeat, tmp)
    result["targets"] = targets(result)
    return result


def run(args: argparse.Namespace) -> int:
    """``studysite bench``: print the figures; exit 0 even when a target is missed."""
    root = Path(args.root).resolve()
    if args.repeat < 1:
        raise SystemExit("studysite bench: --repeat wants at least 1")
    if args.pathological:
        with tempfile.TemporaryDirectory(prefix="studysite-bench-") as tmp:
            data = pathological_bench(root, args.repeat, Path(tmp))
        print(json.dumps(data, indent=2) if args.json else pathological_text(data))
        return 0
    result = bench(root, _sizes(args.sizes), args.repeat, not args.skip_build, args.profile)
    profile = result["core"]["1x"].pop("profile", None)
    if profile:
        print(profile, file=sys.stderr)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(report_text(result))
    return 0
