"""The notes as written: one page per note, in its own order, linked both ways with the site.

Merged pages take every note apart; these pages put each one back together. Each part of a
note stands here in document order, normalised like everywhere else, with the anchor its
source marks link to (``#l2774``) and a link to where it now stands ("→ Amazon S3 ›
Replication"). They are kept out of the search index (the merged pages hold the same words)
and out of the navigation (About the notes and every source mark lead here).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from studysite.model import Diagnostic, Note, Part, Site, relative
from studysite.render.pages import (
    MAX_SECTIONS,
    ImageResolver,
    NoteLinkResolver,
    escape_text,
    html_text,
    render_body,
    yaml_str,
)
from studysite.render.sources import NoteIndex, line_anchor

# Where a part stands now: (docs path of its page, anchor there, "Amazon S3 › Replication").
Where = Callable[[Part], tuple[str, str, str] | None]


def render_note_page(
    note: Note,
    site: Site,
    notes: NoteIndex,
    where: Where,
    resolve_image: ImageResolver | None = None,
    resolve_link: NoteLinkResolver | None = None,
) -> tuple[str, list[Diagnostic]]:
    """The Markdown of ``note``'s as-written page, and what rendering it found."""
    ref = notes[note.file]
    diags: list[Diagnostic] = []
    # The theme shows a page title as given, in places no sanitizer sees: no markup in it.
    title = re.sub(r"[<>]", "", f"{note.title} (as written)")
    out = [
        "---",
        f"title: {yaml_str(title)}",
        "search:",
        "  exclude: true",
        "---",
        "",
        f"# {escape_text(note.title)} {{ #top }}",
        "",
        f'<p class="ss-summary">The note as written, in its own order · {html_text(ref.short)} · '
        f"{note.fmt} · {note.content_lines} lines. Each part links to the page and subtopic "
        "where it now stands.</p>",
        "",
    ]
    # A note of thousands of sections shows its titles as bold lines: as headings they
    # would make MkDocs' table of contents and search cost the square of the note.
    long = len(note.parts) > MAX_SECTIONS
    for part in note.parts:
        nos = part.line_numbers
        if not nos:
            continue
        anchor = line_anchor(part)
        heading = part.title_line is not None and part.title.strip()
        if heading and long:
            out += [f"**{escape_text(part.title)}**", f"{{: #{anchor} }}", ""]
        elif heading:
            level = min(2 + len(part.parent_ids), 6)
            out.append(f"{'#' * level} {escape_text(part.title)} {{ #{anchor} }}")
            out.append("")
        placed = where(part)
        # A Markdown paragraph with attributes, not a `markdown` HTML block: md_in_html
        # would rescan the page after each one, and a note has thousands of parts.
        attrs = ("" if heading else f"#{anchor} ") + ".ss-where data-search-exclude"
        if placed is not None:
            path, target, label = placed
            link = f"{relative(ref.path, path)}#{target}"
            out += [f"→ [{escape_text(label)}]({link})", f"{{: {attrs} }}"]
        elif not heading:
            out += ["→ (not placed)", f"{{: {attrs} }}"]
        out.append("")
        body = render_body(part, resolve_image, resolve_link, diags, notes)
        if body:
            out += [body, ""]
    return "\n".join(out).rstrip() + "\n", diags
