"""Cross-links: every service mention links to its page, pages list their backlinks.

:func:`link_site` runs after all pages are rendered: it links the first mention of each
catalog entry per section (H1-H3) of every page, using one alias automaton over the page
(:mod:`.rules` decides which matches may link, :mod:`.protect` which characters may be
touched, :mod:`.place` where links go), then appends "Mentioned in" and "Related services" to
every catalog page (:mod:`.graph`). :func:`link_markdown` does the same for a hand-written
page; the linker also writes acronym tooltips (:mod:`.abbr`), first mention per section.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from studysite.links.abbr import abbreviations
from studysite.links.graph import LinkGraph, page_title
from studysite.links.place import Link, Linker, PageLinks
from studysite.links.protect import heading_ids
from studysite.model import Diagnostic
from studysite.routing.catalog import Catalog

__all__ = [
    "Link",
    "LinkGraph",
    "LinkTiming",
    "Linker",
    "PageLinks",
    "abbreviations",
    "link_markdown",
    "link_site",
    "time_link_site",
]


def link_site(
    pages: dict[str, str],
    page_ids: dict[str, str],
    catalog: Catalog,
    no_tips: frozenset[str] = frozenset(),
    *,
    consume: bool = False,
) -> tuple[dict[str, str], LinkGraph, list[Diagnostic]]:
    """Link every page of a site and append backlinks to the catalog pages.

    ``pages`` maps docs-relative paths to Markdown, ``page_ids`` the paths of catalog pages
    to their entry ids (other pages are linked too, but are no link targets). Returns the
    new pages, the link graph (its ``linker`` links hand-written pages the same way) and
    ``info`` diagnostics for catalog anchors missing on their pages. Pages get acronym
    tooltips (first mention per section) except those in ``no_tips``. With ``consume`` each
    page is taken out of ``pages`` as it is linked, so a large site is not held twice.
    """
    kinds = {eid: catalog.entries[eid].kind for eid in page_ids.values() if eid in catalog.entries}
    targets: dict[str, str] = {}
    for path, eid in page_ids.items():
        if kinds.get(eid) not in (None, "mention") and path in pages:
            targets.setdefault(eid, path)
    ids = {path: heading_ids(pages[path]) for path in targets.values()}
    linker = Linker(catalog, targets, ids)
    titles = {path: page_title(md) or path for path, md in pages.items()}
    for eid, path in targets.items():
        titles[path] = page_title(pages[path]) or catalog.entries[eid].name
    graph = LinkGraph(
        page_ids={p: e for p, e in page_ids.items() if e in targets and targets[e] == p},
        kinds=kinds,
        titles=titles,
        linker=linker,
    )
    out: dict[str, str] = {}
    missing: dict[tuple[str, str], str] = {}
    for path in list(pages):
        markdown = pages.pop(path) if consume else pages[path]
        result = linker.link(markdown, path, page_ids.get(path), path not in no_tips)
        out[path] = result.markdown
        graph.add(path, result)
        for key in result.missing_anchors:
            missing.setdefault(key, path)
    for path in graph.page_ids:
        extra = graph.appendix(path, ids.get(path, set()))
        if extra:
            out[path] = out[path].rstrip("\n") + "\n\n" + extra
    diagnostics = [
        Diagnostic(
            targets[eid],
            0,
            f"catalog anchor '#{anchor}' of '{eid}' is no heading id on its page (wanted by "
            f"{source}); those links go to the top of the page",
            "info",
        )
        for (eid, anchor), source in sorted(missing.items())
    ]
    return out, graph, diagnostics


def link_markdown(markdown: str, path: str, linker: Linker, entry_id: str | None = None) -> str:
    """Link a hand-written page (``path``: docs-relative) with a site's :class:`Linker`."""
    return linker.link(markdown, path, entry_id).markdown


@dataclass(frozen=True)
class LinkTiming:
    """What :func:`time_link_site` measured."""

    pages: int
    megabytes: float
    seconds: float  # wall clock
    cpu_seconds: float  # this process's CPU: steadier than wall time on a busy machine
    links: int

    @property
    def seconds_per_mb(self) -> float:
        """Linking (wall) time per MB of input Markdown."""
        return self.seconds / self.megabytes if self.megabytes else 0.0

    @property
    def cpu_seconds_per_mb(self) -> float:
        """Linking CPU time per MB of input Markdown."""
        return self.cpu_seconds / self.megabytes if self.megabytes else 0.0

    @property
    def links_per_page(self) -> float:
        """Links placed per page."""
        return self.links / self.pages if self.pages else 0.0

    def __str__(self) -> str:
        return (
            f"{self.pages} pages, {self.megabytes:.2f} MB: {self.seconds:.3f} s wall "
            f"({self.seconds_per_mb:.3f} s/MB), {self.cpu_seconds:.3f} s CPU "
            f"({self.cpu_seconds_per_mb:.3f} s/MB); {self.links} links "
            f"({self.links_per_page:.1f} per page)"
        )


def time_link_site(
    pages: dict[str, str], page_ids: dict[str, str], catalog: Catalog, repeat: int = 3
) -> LinkTiming:
    """Time :func:`link_site` (best of ``repeat`` runs) for a benchmark."""
    size = sum(len(md.encode("utf-8")) for md in pages.values()) / 1e6
    wall = cpu = float("inf")
    links = 0
    for _ in range(max(repeat, 1)):
        start, start_cpu = time.perf_counter(), time.process_time()
        _, graph, _ = link_site(pages, page_ids, catalog)
        wall = min(wall, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - start_cpu)
        links = sum(len(v) for v in graph.links.values())
    return LinkTiming(len(pages), size, wall, cpu, links)
