"""Where a block of a page came from: each note's short name, its as-written page, source marks.

Every block on a merged page carries one compact mark, ``001 · 4306–4311``, that links to
the same lines on the note's own page (the note as written), with the note's title on
hover. A reader can always check a merged page against the note.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from studysite.markdown_tokens import link_references
from studysite.model import Diagnostic, Note, Part, relative
from studysite.model.names import short_names

NOTES_FOLDER = "notes"  # docs folder of the notes-as-written pages

# A part's rendered body by ``id(part)``, kept from its merged page for its note's page.
BodyCache = dict[int, tuple[Part, str, list[Diagnostic]]]


def _page_slug(file: str) -> str:
    parts = [
        re.sub(r"[^\w.-]+", "-", p).strip("-").lower() or "note" for p in PurePosixPath(file).parts
    ]
    parts[-1] = PurePosixPath(parts[-1]).stem or "note"
    return "/".join(parts)


@dataclass(frozen=True)
class NoteRef:
    """How pages refer to one note."""

    file: str
    short: str
    title: str
    path: str  # docs path of its as-written page


class NoteIndex:
    """Short names and as-written pages of every note of a build (unique short names)."""

    def __init__(self, notes: list[Note]) -> None:
        self.refs: dict[str, NoteRef] = {}
        # The notes' dates (manifest or front matter ``date:``): they order disagreeing values.
        self.dates: dict[str, str] = {n.file: n.meta.date for n in notes if n.meta.date}
        shorts = short_names([n.file for n in notes])
        for note in notes:
            short = shorts[note.file]
            path = f"{NOTES_FOLDER}/{_page_slug(note.file)}.md"
            self.refs[note.file] = NoteRef(note.file, short, note.title, path)
        # Each part is rendered twice, on its merged page and on its note's page: the second
        # takes the first's body from here (render.pages.render_body), which drops it then.
        self.bodies: BodyCache = {}
        self._lines = {n.file: n.lines for n in notes}
        self._references: dict[str, dict[str, Any]] = {}

    def references(self, file: str) -> dict[str, dict[str, Any]]:
        """The link definitions of one note, for its parts' reference links (read once)."""
        if file not in self._references:
            self._references[file] = link_references(self._lines.get(file, []))
        return self._references[file]

    def __getitem__(self, file: str) -> NoteRef:
        return self.refs[file]

    def paths(self) -> set[str]:
        """Docs paths of the as-written pages."""
        return {r.path for r in self.refs.values()}

    def mark(self, part: Part, from_path: str) -> str:
        """The source mark of ``part`` on the page at ``from_path``: one Markdown paragraph.

        Markdown, not raw HTML: MkDocs rewrites (and checks) only Markdown links, and a
        ``markdown`` HTML block per part would cost md_in_html a rescan of the page each.
        Outside the search index: a reader searches the notes' words, not their sources.
        """
        nos = part.line_numbers
        if not nos:
            return ""
        span = f"{nos[0]}" if nos[0] == nos[-1] else f"{nos[0]}–{nos[-1]}"
        return (
            f"{self.link(part.file, from_path, f' · {span}', line_anchor(part))}\n"
            "{: .ss-source data-search-exclude }"
        )

    def link(self, file: str, from_path: str, suffix: str = "", anchor: str = "") -> str:
        """A Markdown link to a note's as-written page (at ``anchor``), its short name (and
        ``suffix``) as text, its title on hover."""
        ref = self.refs[file]
        # Names and titles come from the user's files: shown as text, never as markup.
        title = html.escape(ref.title, quote=True)
        text = re.sub(r"([\\`*_\[\]{}#!|])", r"\\\1", html.escape(ref.short + suffix, quote=False))
        href = relative(from_path, ref.path) + (f"#{anchor}" if anchor else "")
        return f'[{text}]({href} "{title}")'


def line_anchor(part: Part) -> str:
    """The anchor of a part on its note's as-written page."""
    return f"l{part.first_line}"
