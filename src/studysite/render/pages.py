"""Render one Markdown page per catalog entry from the parts routed to it.

A page is: front matter, the entry's title, a one-line summary, links to its sub-pages, then
one section per note ("From <note>"), each part under its own heading with the source lines
it came from. Every heading gets an explicit, page-unique anchor so links and comparison
tables can point at it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from studysite.model import Diagnostic, Line, Page, Part, RenderedPage, Site, relative
from studysite.render.console import fold_console
from studysite.render.markdown import normalize
from studysite.render.questions import render_question

ImageResolver = Callable[[str, str], str | None]
# (note file, kind, target) -> URL or None: see render.markdown.LinkResolver.
NoteLinkResolver = Callable[[str, str, str], str | None]

# A page with more sections than this is "long" (a note of thousands of short headings): its
# table of contents lists only its title and "From <note>" headings (front matter
# ``toc_depth: 2``, applied by hooks/generate.py) and it gets no acronym tooltips. Both cost
# the square of the sections in MkDocs: Material's search plugin looks every section up in
# the whole TOC, and Python-Markdown's abbr extension finds each block's position among all
# its siblings (20,000 headings took minutes). Thousands of TOC entries help no reader; the
# search index is the same either way. A note feeding such a page is named in an info line.
MAX_SECTIONS = 1000
LONG_PAGE = "long page "  # how the notice starts: the hook shows it, unlike other info


def is_long(page: Page) -> bool:
    """Whether ``page`` has too many sections for a full TOC and tooltips (see above)."""
    return len(page.parts) > MAX_SECTIONS


def slugify(text: str) -> str:
    """The anchor for a heading: lower case, words joined by ``-`` (like MkDocs' toc)."""
    text = re.sub(r"[^\w\s-]", "", text.lower(), flags=re.UNICODE)
    return re.sub(r"[\s-]+", "-", text).strip("-") or "section"


@dataclass
class Anchors:
    """Page-unique anchors: a repeated title gets ``-2``, ``-3`` ..."""

    used: set[str] = field(default_factory=set)
    # The last suffix given per base: 20,000 sections titled alike must not each count up
    # from -2 (that was quadratic).
    _last: dict[str, int] = field(default_factory=dict)

    def make(self, text: str, preferred: str | None = None) -> str:
        """A new unique anchor for ``text`` (``preferred`` when it is still free)."""
        if preferred and preferred not in self.used:
            self.used.add(preferred)
            return preferred
        base = slugify(text)
        anchor, n = base, self._last.get(base, 1)
        while anchor in self.used:
            n += 1
            anchor = f"{base}-{n}"
        self._last[base] = n
        self.used.add(anchor)
        return anchor


def long_page_notice(page: Page) -> str:
    """The one-line notice for a long page, naming it (the diagnostic names the note)."""
    return (
        f"{LONG_PAGE}{page.path} has {len(page.parts):,} sections (over {MAX_SECTIONS:,}): "
        "its table of contents lists only the notes, and it has no acronym tooltips"
    )


def escape_text(text: str) -> str:
    """A title as literal Markdown text (``<`` is no Python-Markdown escape: use ``&lt;``)."""
    text = re.sub(r"\s+", " ", text).strip().replace("&", "&amp;").replace("<", "&lt;")
    return re.sub(r"([\\`*_\[\]>#{}])", r"\\\1", text)


def _span(nos: list[int]) -> str:
    if not nos:
        return ""
    return f"line {nos[0]}" if nos[0] == nos[-1] else f"lines {nos[0]}–{nos[-1]}"


def render_page(
    page: Page,
    site: Site,
    resolve_image: ImageResolver | None = None,
    resolve_link: NoteLinkResolver | None = None,
) -> RenderedPage:
    """The Markdown of ``page``.

    ``resolve_image(note_file, src)`` returns the image URL to use from this page, or
    ``None`` when the image does not exist (a placeholder is shown instead).
    """
    anchors = Anchors()
    diags: list[Diagnostic] = []
    line_anchors: dict[tuple[str, int], str] = {}
    entry = page.entry
    out: list[str] = ["---", f"title: {_yaml_str(page.title)}"]
    if entry is not None:
        desc = f"{entry.name}: what the study notes say"
        out.append(f"description: {_yaml_str(desc)}")
        # Search (Material): other names as tags, so "Simple Queue Service" finds the SQS
        # page. An alias is a tag only when it adds a word the name and earlier tags lack,
        # at most 4: tags repeat in every section's index entry, and the index must stay
        # small enough for file:// (tests/browser measure ranking and size).
        # The boost lifts the page about a thing over pages that only mention it.
        tags: list[str] = []
        words = set(re.findall(r"[\w.@]+", entry.name.lower()))
        for alias in entry.aliases:
            new = set(re.findall(r"[\w.@]+", alias.lower())) - words
            if new and len(tags) < 4:
                tags.append(alias)
                words |= new
        fed = set(page.notes)  # the #tags of the notes that feed the page are its tags too
        tags += dict.fromkeys(
            t for n in site.notes if n.file in fed for t in n.tags if t not in tags
        )
        out.append(f"tags: [{', '.join(_yaml_str(t) for t in tags)}]")
        out.append("search: {boost: 1.5}")
    if is_long(page):
        out.append("toc_depth: 2")
        for file in page.notes:
            diags.append(Diagnostic(file, 0, long_page_notice(page), "info"))
    out += ["---", ""]
    top = anchors.make(page.title)
    out.append(f"# {escape_text(page.title)} {{ #{top} }}")
    out.append("")
    out.append(_summary(page, site))
    out.append("")
    if page.children:
        out.append(
            "**In this section:** "
            + " · ".join(
                f"[{escape_text(site.pages[c].title)}]({relative(page.path, site.pages[c].path)})"
                for c in page.children
            )
        )
        out.append("")
    if not page.parts:
        out.append(
            '!!! info "No note covers this page directly"\n\n'
            "    The notes cover its sub-pages, listed above."
        )
        out.append("")
    notes_by_file = {n.file: n for n in site.notes}
    for file in page.notes:
        note = notes_by_file[file]
        parts = [p for p in page.parts if p.file == file]
        anchor = anchors.make(f"from {note.title}")
        # The note's name is a heading for readers; indexing it would only add noise.
        out.append(f"## From *{escape_text(note.title)}* {{ #{anchor} data-search-exclude }}")
        out.append("")
        for part in parts:
            out.extend(
                _render_part(part, page, anchors, line_anchors, resolve_image, diags, resolve_link)
            )
    return RenderedPage("\n".join(out).rstrip() + "\n", line_anchors, diags)


def _render_part(
    part: Part,
    page: Page,
    anchors: Anchors,
    line_anchors: dict[tuple[str, int], str],
    resolve_image: ImageResolver | None,
    diags: list[Diagnostic],
    resolve_link: NoteLinkResolver | None = None,
) -> list[str]:
    out: list[str] = []
    nos = part.line_numbers
    level = min(3 + part.depth, 6)
    title = part.title.strip() or "Notes"
    if part.title_line is None and part.title.strip():
        title = f"{title} (continued)"
    anchor = anchors.make(title, _catalog_anchor(page, part.title))
    out.append(f"{'#' * level} {escape_text(title)} {{ #{anchor} }}")
    out.append("")
    where = f"<code>{_html(part.file)}</code>" + (f" {_span(nos)}" if nos else "")
    # Plain HTML, not `markdown` HTML: md_in_html rescans the rest of the page after each such
    # block, which made a page of thousands of sections cost the square of its length.
    out.append(f'<p class="ss-source" data-search-exclude>Source: {where}</p>')
    out.append("")
    for no in nos:
        line_anchors[(part.file, no)] = anchor
    if part.kind == "question":
        body, _ = render_question(list(part.lines), part.file, part.title_line or 0)
        out += [body.rstrip(), ""]
    elif part.lines:

        def resolver(src: str) -> str | None:
            return resolve_image(part.file, src) if resolve_image else src

        lines = dedent_leading(part.lines)
        links = None
        if resolve_link is not None:

            def links(kind: str, target: str) -> str | None:
                return resolve_link(part.file, kind, target)

        body, body_diags = normalize(
            lines, file=part.file, resolve_image=resolver, resolve_link=links
        )
        body = fold_console(body)
        diags.extend(body_diags)
        if body.strip():
            out.append(body.rstrip())
            out.append("")
    return out


def _catalog_anchor(page: Page, title: str) -> str | None:
    """The catalog's anchor id for a section titled like one of its phrases, if any.

    Links to a feature ("EC2 User Data" -> ``ec2#user-data``) then land on the section.
    """
    if page.entry is None:
        return None
    low = re.sub(r"\s+", " ", title).strip().lower()
    for anchor, phrases in page.entry.anchors.items():
        if any(low == p.lower() for p in phrases) or low == anchor.replace("-", " "):
            return anchor
    return None


def dedent_leading(lines: list[Line]) -> list[Line]:
    """Un-indent the first block of a body when it is indented four spaces or more.

    A pseudo-heading (``  __Two types__``) may be followed, on the very next line, by a list
    its author indented under it; once the title line is taken out, that list would read as
    indented code. After a blank line, indented text really is code and stays as it is.
    """
    first = 0
    if not lines or not lines[0].text.strip():
        return lines
    end = next((i for i in range(first, len(lines)) if not lines[i].text.strip()), len(lines))
    run = lines[first:end]
    if run[0].text.lstrip().startswith(("```", "~~~")):
        return lines
    cut = min(len(ln.text) - len(ln.text.lstrip(" ")) for ln in run)
    if cut < 4:
        return lines
    fixed = [Line(ln.no, ln.text[cut:]) for ln in run]
    return [*lines[:first], *fixed, *lines[end:]]


def _summary(page: Page, site: Site) -> str:
    entry = page.entry
    n = len(page.notes)
    fed = f"from {n} note{'s' if n != 1 else ''}" if n else "no note yet"
    if entry is None:
        return (
            '<p class="ss-summary">Sections no rule could route. Fix each with a rule in '
            "<code>notes/overrides.yml</code> (see the README).</p>"
        )
    category = site.catalog.category_of(entry.id).name
    names: list[str] = []
    # Distinct spellings only: "SQS queue" adds nothing once "SQS" is listed.
    for alias in entry.aliases:  # the catalog lists the main spellings first
        low = alias.lower()
        if alias in entry.policies or low in entry.name.lower():
            continue
        if any(n.lower() in low or low in n.lower() for n in names) or len(names) >= 6:
            continue
        names.append(alias)
    also = f" · also written as {', '.join(_html(n) for n in names)}" if names else ""
    return f'<p class="ss-summary">{_html(category)} · {entry.kind} · {fed}{also}</p>'


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _yaml_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
