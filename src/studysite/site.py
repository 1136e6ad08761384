"""Everything one site build needs, as plain data: page Markdown, assets, navigation.

This is the single entry point of the MkDocs hook and of ``studysite export``: both call
:func:`generate`, so the exported tree and the built site cannot disagree.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path, PurePosixPath

from studysite import markers
from studysite.build import build_site
from studysite.cards import add_cards, make_cards
from studysite.facts import Tip, extract_facts, extract_tips
from studysite.links import abbreviations, link_site
from studysite.links.notelinks import NoteLinks
from studysite.model import Layout, NavItem, Part, RenderedPage, Site, SiteOutput, relative
from studysite.render import passing
from studysite.render.facts import facts_by_page, numbers_page, tips_page
from studysite.render.navigation import (
    ABOUT,
    categories_in_use,
    category_cards,
    category_page,
    category_path,
    nav,
    notes_table,
    study_cards,
)
from studysite.render.notepages import render_note_page
from studysite.render.pages import ImageResolver, is_long, render_page
from studysite.render.sources import NoteIndex
from studysite.routing.aliases import catalog_matcher
from studysite.stages import NO_TIMER, StageTimer
from studysite.tables import FILE as COMPARISONS_FILE
from studysite.tables import Comparisons, add_comparisons

__all__ = ["SiteOutput", "generate"]

NAMES = {"categories", "notes", "study", "exam-tips"}  # the <!-- studysite:NAME --> markers
NUMBERS = "numbers-to-know.md"  # the generated page of every key fact


def _marker_expander(
    site: Site,
    comparisons: Comparisons | None,
    navigation: list[NavItem],
    tips: Sequence[Tip] = (),
    index: NoteIndex | None = None,
) -> Callable[[str, str], str]:
    """Replaces the markers (:mod:`studysite.markers`) in a hand-written page.

    A marker naming nothing stays as it is: :func:`generate` already warned about it.
    """

    def expand(markdown: str, src_uri: str) -> str:
        def replace(kind: str, arg: str) -> str | None:
            if kind == "compare":
                return comparisons.embed(arg, src_uri) if comparisons else None
            if arg == "categories":
                return category_cards(site, src_uri)
            if arg == "notes":
                return notes_table(site, src_uri)
            if arg == "exam-tips":
                return tips_page(site, tips, index or NoteIndex(site.notes), src_uri)
            if arg == "study":
                return study_cards(navigation, src_uri)
            return None

        return markers.expand(markdown, replace)

    return expand


def _image_resolver(notes_dir: Path, assets: dict[str, bytes], page_path: str) -> ImageResolver:
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


def _hand_written(
    docs_dir: Path, generated: Sequence[NavItem] = ()
) -> tuple[list[NavItem], list[NavItem]]:
    """Home first; then (after the service domains) Study: the ``generated`` study pages and
    every other hand-written page, and About the notes last."""
    before: list[NavItem] = []
    study: list[NavItem] = list(generated)
    after: list[NavItem] = []
    if (docs_dir / "index.md").exists():
        before.append({"Home": "index.md"})
    for path in sorted(docs_dir.rglob("*.md")) if docs_dir.is_dir() else ():
        rel = path.relative_to(docs_dir).as_posix()
        if rel in ("index.md", "about.md"):
            continue
        title = rel.removesuffix(".md").replace("-", " ").replace("/", " / ").capitalize()
        study.append({title: rel})
    if study:
        after.append({"Study": study})
    if (docs_dir / "about.md").exists():
        after.append({ABOUT: "about.md"})
    return before, after


def generate(
    notes_dir: Path, catalog_path: Path, docs_dir: Path, timer: StageTimer = NO_TIMER
) -> SiteOutput:
    """Build the site data from the notes; raises ``StudysiteError`` on unusable config.

    ``timer`` sees each stage (:data:`studysite.stages.STAGES`); the benchmark passes one.
    """
    layout = Layout(notes_dir, catalog_path, docs_dir)
    site = build_site(layout.notes_dir, layout.catalog_path, timer)
    pages: dict[str, str] = {}
    assets: dict[str, bytes] = {}
    rendered: dict[str, RenderedPage] = {}
    diagnostics = list(site.diagnostics)
    note_links = NoteLinks(layout.notes_dir, site, assets)
    index = NoteIndex(site.notes)
    facts, tips = extract_facts(site), extract_tips(site)
    facts_of = facts_by_page(facts)
    tips_of: dict[str, list[Tip]] = {}
    for tip in tips:
        tips_of.setdefault(tip.page, []).append(tip)
    with timer.stage("render"):
        for page in site.pages.values():
            r = render_page(
                page,
                site,
                _image_resolver(layout.notes_dir, assets, page.path),
                note_links.resolver(page.path),
                index,
                facts_of.get(page.id, ()),
                tips_of.get(page.id, ()),
            )
            rendered[page.id] = r
            pages[page.path] = r.markdown
            diagnostics.extend(r.diagnostics)
        as_written = _note_pages(site, index, rendered, layout.notes_dir, assets, note_links)
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
        pages[NUMBERS] = numbers_page(site, facts, index, NUMBERS)
        before, after = _hand_written(layout.docs_dir, [{"Numbers to know": NUMBERS}])
        navigation = nav(site, before, after)
    with timer.stage("tables"):
        comparisons, diags = add_comparisons(site, layout.catalog_dir, pages, rendered, navigation)
    diagnostics.extend(diags)
    diagnostics.extend(
        markers.check(
            layout.docs_dir,
            NAMES,
            comparisons.declared,
            f"{layout.catalog_dir.name}/{COMPARISONS_FILE}",
        )
    )
    for r in rendered.values():
        # The unlinked Markdown is no longer needed (its anchors are): on a large corpus
        # keeping every page twice is what tips peak memory over.
        r.markdown = ""
    # Links last: tables and quotes are in place, so their cells get links too.
    with timer.stage("links"):
        # Links between notes point at sections, whose anchors exist only now.
        note_pages = {n.file: index[n.file].path for n in site.notes}
        note_links.finish(pages, rendered, note_pages)
        page_ids = {page.path: page.id for page in site.pages.values()}
        # A long page keeps its size down: no tooltips (README, "Long pages").
        long = frozenset(path for path, pid in page_ids.items() if is_long(site.pages[pid]))
        pages, links, link_diags = link_site(pages, page_ids, site.catalog, long, consume=True)
        diagnostics.extend(link_diags)
        # The notes as written are not linked: their mentions are the merged pages' mentions.
        note_links.finish(as_written, rendered, note_pages)
    pages.update(as_written)
    expand = _marker_expander(site, comparisons, navigation, tips, index)

    def finish(markdown: str, src_uri: str) -> str:
        # What the hook does to a hand-written page: markers, cross-links, tooltips.
        return links.link_page(expand(markdown, src_uri), src_uri)

    out = SiteOutput(
        site=site,
        pages=pages,
        assets=assets,
        nav=navigation,
        diagnostics=diagnostics,
        rendered=rendered,
        comparisons=comparisons,
        links=links,
        abbreviations=abbreviations(site.catalog),
        markers=expand,
        finish=finish,
        unlisted=frozenset(as_written),
    )
    # Cards last: they quote the resolved tables and link to the rendered pages' anchors.
    with timer.stage("render"):
        cards, card_diags = make_cards(out, facts, tips)
        diagnostics.extend(card_diags)
        add_cards(out, cards)
    return replace(out, cards=tuple(cards))


def _note_pages(
    site: Site,
    index: NoteIndex,
    rendered: dict[str, RenderedPage],
    notes_dir: Path,
    assets: dict[str, bytes],
    note_links: NoteLinks,
) -> dict[str, str]:
    """One as-written page per note, each part linked to where it now stands."""
    subtopic: dict[tuple[str, str], str] = {}
    for page in site.pages.values():
        for t in page.topics:
            subtopic[(page.id, t.id)] = t.title
    out: dict[str, str] = {}
    for note in site.notes:
        path = index[note.file].path

        def where(part: Part) -> tuple[str, str, str] | None:
            page = site.pages.get(part.page)
            if page is None:
                return None
            anchor = rendered[page.id].line_anchors.get((part.file, part.first_line), "")
            label = page.title
            if (page.id, part.topic) in subtopic:
                label += f" › {subtopic[(page.id, part.topic)]}"
            return page.path, anchor, label

        # Rendering diagnostics were given once already, for the merged pages.
        out[path], _ = render_note_page(
            note,
            site,
            index,
            where,
            _image_resolver(notes_dir, assets, path),
            note_links.resolver(path),
        )
    return out
