"""The ``studysite`` command: report, export and bench."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from studysite.errors import StudysiteError
from studysite.model import Layout


def _paths(args: argparse.Namespace) -> tuple[Path, Path, Path]:
    layout = Layout.project(Path(args.root))
    return layout.notes_dir, layout.catalog_path, layout.docs_dir


def cmd_report(args: argparse.Namespace) -> int:
    """Print where every line of every note went, and every diagnostic of the build."""
    from studysite.report import Report
    from studysite.site import generate

    notes, catalog, docs = _paths(args)
    report = Report.of(generate(notes, catalog, docs))
    if args.json:
        print(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        print(report.to_text())
    return 1 if report.unaccounted else 0


def cmd_export(args: argparse.Namespace) -> int:
    """Write the generated Markdown tree (pages and assets) into a folder."""
    from studysite.site import generate

    notes, catalog, docs = _paths(args)
    out = generate(notes, catalog, docs)
    target = Path(args.dir)
    written = 0
    for rel, text in sorted(out.pages.items()):
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        written += 1
    for rel, data in sorted(out.assets.items()):
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    for d in out.diagnostics:
        if d.level != "info":
            print(f"warning: {d}", file=sys.stderr)
    print(f"wrote {written} pages and {len(out.assets)} assets to {target}")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    """Measure the core pipeline and the full build (see :mod:`studysite.bench`)."""
    from studysite.bench.command import run  # only now: other commands never load the bench

    return run(args)


def _bench_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--sizes",
        default="1,10",
        help="corpus sizes as multiples of notes/ (default 1,10; 1,10,100 for the big one)",
    )
    p.add_argument("--repeat", type=int, default=3, help="repetitions of each measurement (median)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--skip-build", action="store_true", help="core pipeline only, no mkdocs")
    p.add_argument(
        "--profile", action="store_true", help="pyinstrument profile of the 1x core (stderr)"
    )
    p.add_argument(
        "--pathological",
        action="store_true",
        help="only: build a note of 20,000 short headings beside the notes, time per KB",
    )


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``studysite`` command."""
    parser = argparse.ArgumentParser(prog="studysite", description=__doc__)
    parser.add_argument("--root", default=".", help="project folder (holds notes/, catalog/)")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("report", help="where every line of every note went")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_report)
    p = sub.add_parser("export", help="write the generated Markdown pages to DIR")
    p.add_argument("dir")
    p.set_defaults(func=cmd_export)
    p = sub.add_parser("bench", help="what a build costs and how it grows with the notes")
    _bench_arguments(p)
    p.set_defaults(func=cmd_bench)
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except StudysiteError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
