"""Cross-linking figures for the project's notes: ``python scripts/link_bench.py [--scale N]``.

Generates the pages as the MkDocs hook does, then prints what
:func:`studysite.links.bench.link_figures` measures.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from studysite.links.bench import link_figures
from studysite.model import Layout
from studysite.site import generate


def main(argv: list[str] | None = None) -> int:
    """Print the timing and link figures for the project's notes."""
    root = Layout.project(Path.cwd())
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notes", nargs="?", type=Path, default=root.notes_dir)
    parser.add_argument("catalog", nargs="?", type=Path, default=root.catalog_path)
    parser.add_argument("docs", nargs="?", type=Path, default=root.docs_dir)
    parser.add_argument("--scale", type=int, default=1, help="also time N copies of the site")
    args = parser.parse_args(argv)
    out = generate(args.notes, args.catalog, args.docs)
    page_ids = {page.path: page.id for page in out.site.pages.values()}
    for line in link_figures(out.pages, page_ids, out.site.catalog, args.scale):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
