"""Everything one site build needs, as plain data: page Markdown, assets, navigation.

This is the single entry point of the MkDocs hook and of ``studysite export``: both call
:func:`generate`, so the exported tree and the built site cannot disagree.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from studysite.build import Site, build_site
from studysite.links import LinkGraph, abbreviations, link_site
from studysite.model import Diagnostic
from studysite.render import passing
from studysite.render.navigation import (
    NavItem,
    categories_in_use,
    category_cards,
    category_page,
    category_path,
    nav,
    notes_table,
)
from studysite.render.pages import RenderedPage, is_long, relative, render_page
from studysite.routing.aliases import catalog_matcher
from studysite.stages import NO_TIMER, StageTimer
from studysite.tables import MARKER as _COMPARE
from studysite.tables import Comparisons, add_comparisons

_MARKER = re.compile(r"<!--\s*studysite:(\w+)\s*-->")


@dataclass
class SiteOutput:
    """Generated pages (docs-relative path -> Markdown), assets, nav and diagnostics."""

    site: Site
    pages: dict[str, str]
    assets: dict[str, bytes]
    nav: list[NavItem]
    diagnostics: list[Diagnostic]
    rendered: dict[str, RenderedPage] = field(default_factory=dict)
    comparisons: Comparisons | None = None
    links: LinkGraph | None = None
    abbreviations: str = ""

    def finish_hand_written(self, markdown: str, src_uri: str) -> str:
        """What the hook does to a hand-written page: markers, cross-links, tooltips."""
        markdown = self.expand_markers(markdown, src_uri)
        if self.links is not None:
            markdown = self.links.link_page(markdown, src_uri)
        return markdown.rstrip("\n") + "\n\n" + self.abbreviations

    def expand_markers(self, markdown: str, src_uri: str) -> str:
        """Replace ``<!-- studysite:NAME -->`` markers in a hand-written page."""

        def sub(m: re.Match[str]) -> str:
            name = m.group(1)
            if name == "categories":
                return category_cards(self.site, src_uri)
            if name == "notes":
                return notes_table(self.site)
            return m.group(0)

        def compare(m: re.Match[str]) -> str:
            # An unknown id stays as it is: generate() already warned about it.
            table = self.comparisons.embed(m.group(1), src_uri) if self.comparisons else None
            return table if table is not None else m.group(0)

        return _COMPARE.sub(compare, _MARKER.sub(sub, markdown))


def _image_resolver(notes_dir: Path, assets: dict[str, bytes], page_path: str):
    def resolve(note_file: str, src: str) -> str | None:
        if re.match(r"^[a-z][a-z0-9+.-]*:", src, re.IGNORECASE) or src.startswith("//"):
            return src
        rel = posixpath.normpath(posixpath.join(posixpath.dirname(note_file), src.split("#")[0]))
        if rel.startswith("../") or rel.startswith("/"):
            return None
        path = notes_dir / PurePosixPath(rel)
        if not path.is_file():
            return None
        target = f"assets/notes/{rel}"
        assets.setdefault(target, path.read_bytes())
        return relative(page_path, target)

    return resolve


def _hand_written(docs_dir: Path) -> tuple[list[NavItem], list[NavItem]]:
    before: list[NavItem] = []
    after: list[NavItem] = []
    if (docs_dir / "index.md").exists():
        before.append({"Home": "index.md"})
    if not docs_dir.is_dir():
        return before, after
    for path in sorted(docs_dir.rglob("*.md")):
        rel = path.relative_to(docs_dir).as_posix()
        if rel == "index.md":
            continue
        title = rel.removesuffix(".md").replace("-", " ").replace("/", " / ").capitalize()
        if rel == "about.md":
            title = "About the notes"
        after.append({title: rel})
    return before, after


def generate(
    notes_dir: Path, catalog_path: Path, docs_dir: Path, timer: StageTimer = NO_TIMER
) -> SiteOutput:
    """Build the site data from the notes; raises ``StudysiteError`` on unusable config.

    ``timer`` sees each stage (:data:`studysite.stages.STAGES`); the benchmark passes one.
    """
    site = build_site(notes_dir, catalog_path, timer)
    pages: dict[str, str] = {}
    assets: dict[str, bytes] = {}
    rendered: dict[str, RenderedPage] = {}
    diagnostics = list(site.diagnostics)
    with timer.stage("render"):
        for page in site.pages.values():
            r = render_page(page, site, _image_resolver(notes_dir, assets, page.path))
            rendered[page.id] = r
            pages[page.path] = r.markdown
            diagnostics.extend(r.diagnostics)
    with timer.stage("excerpts"):
        excerpts = passing.collect(site, rendered, catalog_matcher(site.catalog))
        for pid, items in excerpts.items():
            page = site.pages[pid]
            pages[page.path] = (
                pages[page.path].rstrip("\n") + "\n\n" + passing.render(page.path, items, site)
            )
    with timer.stage("render"):
        for cat, tops in categories_in_use(site):
            pages[category_path(cat)] = category_page(cat, tops, site)
        before, after = _hand_written(docs_dir)
        navigation = nav(site, before, after)
    with timer.stage("tables"):
        comparisons, diags = add_comparisons(
            site, catalog_path.parent, docs_dir, pages, rendered, navigation
        )
    diagnostics.extend(diags)
    for r in rendered.values():
        # The unlinked Markdown is no longer needed (its anchors are): on a large corpus
        # keeping every page twice is what tips peak memory over.
        r.markdown = ""
    # Links last: tables and quotes are in place, so their cells get links too.
    with timer.stage("links"):
        page_ids = {page.path: page.id for page in site.pages.values()}
        pages, links, link_diags = link_site(pages, page_ids, site.catalog)
        diagnostics.extend(link_diags)
        abbr = abbreviations(site.catalog)
        for path, pid in page_ids.items():
            if not is_long(site.pages[pid]):  # tooltips cost a long page minutes in MkDocs
                pages[path] = pages[path].rstrip("\n") + "\n\n" + abbr
    return SiteOutput(
        site=site,
        pages=pages,
        assets=assets,
        nav=navigation,
        diagnostics=diagnostics,
        rendered=rendered,
        comparisons=comparisons,
        links=links,
        abbreviations=abbr,
    )
