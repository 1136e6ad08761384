"""Cross-linking figures: time per MB of Markdown and links per page.

Given the generated pages (``scripts/link_bench.py`` makes them from the notes), prints the
timing, the link counts and the share of service pages with inbound links. With a scale N
the pages are repeated N times (under new paths) to show the cost stays linear.
"""

from __future__ import annotations

from studysite.links import LinkTiming, link_site, time_link_site
from studysite.routing.catalog import Catalog

Pages = dict[str, str]


def scaled(
    pages: dict[str, str], page_ids: dict[str, str], factor: int
) -> tuple[dict[str, str], dict[str, str]]:
    """``factor`` copies of the site (copies under ``copyN/``: only the first is a target)."""
    out = dict(pages)
    for n in range(1, factor):
        out.update({f"copy{n}/{path}": md for path, md in pages.items()})
    return out, dict(page_ids)


def link_figures(
    pages: Pages, page_ids: dict[str, str], catalog: Catalog, scale: int = 1
) -> list[str]:
    """The timing and link figures of linking ``pages``, as printable lines."""
    timing: LinkTiming = time_link_site(pages, page_ids, catalog)
    out = [f"link_site: {timing}"]
    if scale > 1:
        big, ids = scaled(pages, page_ids, scale)
        out.append(f"link_site x{scale}: {time_link_site(big, ids, catalog)}")
    _, graph, diagnostics = link_site(pages, page_ids, catalog)
    data = graph.report_data()
    out.append(
        f"service pages: {data['service_pages']}, "
        f"{100 * data['service_coverage']:.1f}% linked from another page, "
        f"{100 * data['service_mention_coverage']:.1f}% mentioned by another page"
    )
    out.append(f"info diagnostics (catalog anchors missing on their pages): {len(diagnostics)}")
    return out
