"""Cross-linking figures: time per MB of Markdown and links per page.

``python -m studysite.links.bench [notes_dir] [catalog] [docs_dir]`` links the pages
:func:`studysite.site.generate` makes from the notes and prints the timing, the link counts
and the share of service pages with inbound links. With ``--scale N`` the pages are
repeated N times (under new paths) to show the cost stays linear.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from studysite.links import LinkTiming, link_site, time_link_site
from studysite.routing.catalog import Catalog

Pages = dict[str, str]


def site_pages(notes: Path, catalog: Path, docs: Path) -> tuple[Pages, dict[str, str], Catalog]:
    """The generated pages, their entry ids and the catalog, as the MkDocs hook sees them."""
    from studysite.site import generate  # the whole pipeline: only needed here

    out = generate(notes, catalog, docs)
    page_ids = {page.path: page.id for page in out.site.pages.values()}
    return out.pages, page_ids, out.site.catalog


def scaled(
    pages: dict[str, str], page_ids: dict[str, str], factor: int
) -> tuple[dict[str, str], dict[str, str]]:
    """``factor`` copies of the site (copies under ``copyN/``: only the first is a target)."""
    out = dict(pages)
    for n in range(1, factor):
        out.update({f"copy{n}/{path}": md for path, md in pages.items()})
    return out, dict(page_ids)


def main(argv: list[str] | None = None) -> int:
    """Print the timing and link figures for the project's notes."""
    root = Path.cwd()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notes", nargs="?", type=Path, default=root / "notes")
    parser.add_argument("catalog", nargs="?", type=Path, default=root / "catalog/services.yml")
    parser.add_argument("docs", nargs="?", type=Path, default=root / "docs")
    parser.add_argument("--scale", type=int, default=1, help="also time N copies of the site")
    args = parser.parse_args(argv)
    pages, page_ids, catalog = site_pages(args.notes, args.catalog, args.docs)
    timing: LinkTiming = time_link_site(pages, page_ids, catalog)
    print(f"link_site: {timing}")
    if args.scale > 1:
        big, ids = scaled(pages, page_ids, args.scale)
        print(f"link_site x{args.scale}: {time_link_site(big, ids, catalog)}")
    _, graph, diagnostics = link_site(pages, page_ids, catalog)
    data = graph.report_data()
    print(
        f"service pages: {data['service_pages']}, "
        f"{100 * data['service_coverage']:.1f}% linked from another page, "
        f"{100 * data['service_mention_coverage']:.1f}% mentioned by another page"
    )
    print(f"info diagnostics (catalog anchors missing on their pages): {len(diagnostics)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
