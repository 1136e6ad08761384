"""The site around the pages: navigation tree, category pages, home cards, notes table."""

from __future__ import annotations

import html
import re

from studysite.model import Category, NavItem, Page, Site, relative
from studysite.render.sources import NoteIndex


def categories_in_use(site: Site) -> list[tuple[Category, list[Page]]]:
    """Categories with at least one top-level page, in catalog order, with those pages."""
    out = []
    for cat in site.catalog.categories:
        tops = [
            p
            for p in site.pages.values()
            if p.entry is not None
            and p.entry.parent is None
            and site.catalog.category_of(p.id) == cat
        ]
        if tops:
            out.append((cat, tops))
    return out


def category_path(cat: Category) -> str:
    """Docs path of a category's overview page."""
    return f"{cat.slug}/index.md"


def _nav_page(page: Page, site: Site) -> NavItem:
    title = page.entry.nav_title if page.entry else page.title
    if not page.children:
        return {title: page.path}
    items: list[NavItem] = [page.path]
    items += [_nav_page(site.pages[c], site) for c in page.children]
    return {title: items}


def domains_in_use(site: Site) -> list[tuple[str, list[tuple[Category, list[Page]]]]]:
    """Categories in use grouped by their domain, domains in order of their first category."""
    out: dict[str, list[tuple[Category, list[Page]]]] = {}
    for cat, tops in categories_in_use(site):
        out.setdefault(cat.domain or cat.name, []).append((cat, tops))
    return list(out.items())


ABOUT = "About the notes"


def nav(site: Site, before: list[NavItem], after: list[NavItem]) -> list[NavItem]:
    """The navigation: hand-written ``before``, one section per domain (its categories inside),
    then ``after``; Unsorted only when it holds something, beside About the notes.

    The reader's navigation stays short (Home, a few domains, Comparisons, Study, About): the
    tables add Comparisons before About the notes.
    """
    out = list(before)
    for domain, cats in domains_in_use(site):
        section: list[NavItem] = []
        for cat, tops in cats:
            items: list[NavItem] = [category_path(cat)]
            items += [_nav_page(p, site) for p in tops]
            section.append({cat.name: items})
        out.append({domain: section})
    out.extend(after)
    unsorted = site.pages.get("unsorted")
    if unsorted is not None and unsorted.parts:
        # For the notes' owner, not the reader: kept beside About the notes, not on top.
        item: NavItem = {"Unsorted": unsorted.path}
        about = next((i for i, n in enumerate(out) if isinstance(n, dict) and ABOUT in n), None)
        if about is None:
            out.append(item)
        else:
            here = out[about]
            assert isinstance(here, dict)
            inner = here[ABOUT]
            out[about] = {ABOUT: [*(inner if isinstance(inner, list) else [inner]), item]}
    return out


def category_page(cat: Category, tops: list[Page], site: Site) -> str:
    """The overview page of one category: every page in it, with the notes that feed it."""
    path = category_path(cat)
    out = ["---", f'title: "{cat.name}"', "---", "", f"# {cat.name}", ""]
    for page in tops:
        out.extend(_tree_item(page, site, path, 0))
    return "\n".join(out) + "\n"


def _tree_item(page: Page, site: Site, from_path: str, depth: int) -> list[str]:
    n = len(page.notes)
    noted = f" — {n} note{'s' if n != 1 else ''}" if n else ""
    lines = [f"{'    ' * depth}- [{page.title}]({relative(from_path, page.path)}){noted}"]
    for c in page.children:
        lines.extend(_tree_item(site.pages[c], site, from_path, depth + 1))
    return lines


def category_cards(site: Site, from_path: str) -> str:
    """Material grid cards: one per category, listing its services (for the home page)."""
    out = ['<div class="grid cards" markdown>', ""]
    for cat, tops in categories_in_use(site):
        link = relative(from_path, category_path(cat))
        out.append(f"-   **[{cat.name}]({link})**")
        out.append("")
        out.append("    ---")
        out.append("")
        names = ", ".join(
            f"[{p.entry.nav_title if p.entry else p.title}]({relative(from_path, p.path)})"
            for p in tops
        )
        out.append(f"    {names}")
        out.append("")
    out.append("</div>")
    return "\n".join(out)


def notes_table(site: Site, src_uri: str = "about.md") -> str:
    """One row per note: title, its short name linking to the note as written, author,
    format, lines and pages fed (the About page)."""
    index = NoteIndex(site.notes)
    out = [
        "| Note | Author | Format | Lines | Pages fed |",
        "| --- | --- | --- | ---: | ---: |",
    ]
    for note in site.notes:
        pages = {p.page for p in note.parts}
        # Titles, authors and file names come from the user's files: shown, never markup.
        title = _cell(note.title)
        desc = f"<br><small>{_cell(note.meta.description)}</small>" if note.meta.description else ""
        author = _cell(note.meta.author or "")
        out.append(
            f"| **{title}**<br>{index.link(note.file, src_uri)} (as written){desc} | "
            f"{author} | {note.fmt} | "
            f"{note.content_lines} | {len(pages)} |"
        )
    return "\n".join(out)


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell and raw HTML: escaped, no pipes or markup."""
    text = re.sub(r"([\\`*_\[\]#{}])", r"\\\1", " ".join(str(text).split()))
    return html.escape(text, quote=False).replace("|", "&#124;")
