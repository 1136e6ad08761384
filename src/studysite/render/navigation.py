"""The site around the pages: navigation tree, category pages, home cards, notes table."""

from __future__ import annotations

from studysite.model import Category, NavItem, Page, Site, relative
from studysite.render.markdown import cell_text as _cell
from studysite.render.pages import definition, escape_text
from studysite.render.sources import NoteIndex

DESCRIPTION_CHARS = 110  # one line of a card


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
    """The overview page of one category: a card per page in it (what it is, its notes)."""
    path = category_path(cat)
    out = ["---", f'title: "{cat.name}"', "---", "", f"# {cat.name}", ""]
    out.append('<div class="grid cards" markdown>')
    out.append("")
    for page in tops:
        out.append(f"-   **[{_name(page)}]({relative(path, page.path)})** · {_notes(page)}")
        out.append("")
        out.append("    ---")
        out.append("")
        out.append(f"    {description(page, site)}")
        out.append("")
        if page.children:
            subs = ", ".join(
                f"[{_name(site.pages[c])}]({relative(path, site.pages[c].path)})"
                for c in page.children
            )
            out.append(f"    In it: {subs}")
            out.append("")
    out.append("</div>")
    return "\n".join(out) + "\n"


def _name(page: Page) -> str:
    return escape_text(page.entry.nav_title if page.entry else page.title)


def _notes(page: Page) -> str:
    n = len(page.notes)
    return f"{n} note{'s' if n != 1 else ''}" if n else "no note yet"


def description(page: Page, site: Site) -> str:
    """One line saying what a page is about: the notes' definition sentence if they give
    one (shortened to a line), else its catalog name and category. Markdown, escaped."""
    text = definition(page)
    if text is None:
        if page.entry is None:
            return escape_text(page.title)
        return escape_text(f"{page.entry.name} · {site.catalog.category_of(page.entry.id).name}")
    if len(text) > DESCRIPTION_CHARS:
        text = text[:DESCRIPTION_CHARS].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"
    return escape_text(text)


def category_cards(site: Site, from_path: str) -> str:
    """Material grid cards, one per category under a heading per domain: each lists its
    pages with a one-line description and how many notes feed it (the home page)."""
    out: list[str] = []
    for domain, cats in domains_in_use(site):
        out += [f"## {domain}", "", '<div class="grid cards" markdown>', ""]
        for cat, tops in cats:
            link = relative(from_path, category_path(cat))
            out += [f"-   **[{cat.name}]({link})**", "", "    ---", ""]
            for p in tops:
                out.append(
                    f"    - [{_name(p)}]({relative(from_path, p.path)}) · {_notes(p)}: "
                    f"{description(p, site)}"
                )
            out.append("")
        out += ["</div>", ""]
    return "\n".join(out).rstrip("\n")


_BLURBS = {
    "Comparisons": "Services side by side (SQS or SNS? EBS, EFS or S3?), in the notes' own words.",
    "Exam tips": "What the notes say to keep in mind on exam day.",
    "Test yourself": "Cards made from the notes: think, show the answer, say if you knew it.",
    ABOUT: "The notes this site is made from, each one also as written.",
}


def study_cards(navigation: list[NavItem], from_path: str) -> str:
    """Material grid cards for the study tools in the navigation (Comparisons, the Study
    pages, About the notes): what the home page offers before the categories."""
    tools: list[tuple[str, str]] = []
    for item in navigation:
        if not isinstance(item, dict):
            continue
        for name, value in item.items():
            if name == "Comparisons" and isinstance(value, list) and isinstance(value[0], str):
                tools.append((name, value[0]))
            elif name == "Study" and isinstance(value, list):
                for sub in value:
                    if isinstance(sub, dict):
                        for t, p in sub.items():
                            # A section (Test yourself by category): its index page.
                            first = p[0] if isinstance(p, list) and p else p
                            if isinstance(first, str):
                                tools.append((t, first))
            elif name == ABOUT:
                # Its page, not the Unsorted page kept beside it for the notes' owner.
                first = value[0] if isinstance(value, list) else value
                if isinstance(first, str):
                    tools.append((name, first))
    if not tools:
        return ""
    out = ["## Study", "", '<div class="grid cards" markdown>', ""]
    for title, path in tools:
        out += [f"-   **[{escape_text(title)}]({relative(from_path, path)})**", ""]
        if title in _BLURBS:
            out += ["    ---", "", f"    {_BLURBS[title]}", ""]
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
