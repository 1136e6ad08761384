"""Links between notes, rewritten to where their targets landed.

Notes link to each other as files (``../S3/README.md#lifecycle``, ``/EC2/``, ``./part-2/``)
or, in Obsidian, by name (``[[S3]]``, ``[[IdentityCenter|SSO]]``, ``[[EC2#Placement
groups]]``). The site has no such files: a note's sections are spread over service pages.
Rendering asks :meth:`NoteLinks.resolve` for each link; a link to a note gets a placeholder
(which page holds the target line is known only once every page is rendered) that
:meth:`NoteLinks.finish` turns into a relative link to the section where the line stands.
Files in the notes folder that are not notes (images, PDFs) are copied and kept; what does
not exist becomes plain text with an ``info`` diagnostic, so a user's dead link never fails
a strict build.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Mapping
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from studysite.model import RenderedPage, Site, relative
from studysite.routing.aliases import catalog_matcher
from studysite.titles import name_title

_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:|^//", re.IGNORECASE)
# docs.aws.amazon.com, aws.amazon.com/s3/faqs: a host written without its scheme.
_BARE_DOMAIN = re.compile(
    r"^(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\."
    r"(?:com|org|net|io|dev|aws|edu|gov|co|uk|de|fr|info|me|app|cloud|ai)(?:[/?#:].*)?$",
    re.IGNORECASE,
)
_PLACEHOLDER = re.compile(r"studysite-note:(\d+)")
_GENERIC = ("readme.md", "index.md", "readme.markdown", "index.markdown")


def _slug(text: str) -> str:
    """GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")


class NoteLinks:
    """Resolves the links of every note of one site; see the module docstring."""

    def __init__(self, notes_dir: Path, site: Site, assets: dict[str, bytes]) -> None:
        self.notes_dir = notes_dir
        self.site = site
        self.assets = assets
        self.notes = {n.file: n for n in site.notes}
        self.by_lower = {f.lower(): f for f in sorted(self.notes)}
        self.by_stem: dict[str, str] = {}
        self.by_title: dict[str, str] = {}
        for f in sorted(self.notes, key=lambda f: (f.count("/"), f)):
            self.by_stem.setdefault(PurePosixPath(f).stem.lower(), f)
            self.by_title.setdefault(self.notes[f].title.strip().lower(), f)
        self.files: dict[str, str] = {}  # lower-case relative path -> as on disk
        self.by_name: dict[str, str] = {}  # lower-case file name -> first path (Obsidian)
        if notes_dir.is_dir():
            for p in sorted(notes_dir.rglob("*")):
                rel = p.relative_to(notes_dir).as_posix()
                if p.is_file() and not any(s.startswith(".") for s in rel.split("/")):
                    self.files.setdefault(rel.lower(), rel)
                    self.by_name.setdefault(p.name.lower(), rel)
        self.matcher = catalog_matcher(site.catalog)
        self.targets: list[tuple[str, int]] = []  # placeholder -> (note file, line)
        self.entry_targets: list[str] = []

    # -- resolution ---------------------------------------------------------------------

    def resolver(self, page_path: str) -> Callable[[str, str, str], str | None]:
        """The link resolver for one generated page."""

        def resolve(note_file: str, kind: str, target: str) -> str | None:
            if kind == "link":
                return self._link(note_file, target, page_path)
            if kind == "embed":
                return self._embed(note_file, target, page_path)
            return self._wiki(target)

        return resolve

    def _link(self, note_file: str, href: str, page_path: str) -> str | None:
        if _SCHEME.match(href):
            return href
        if _BARE_DOMAIN.match(href) and not self._find(note_file, href):
            return "https://" + href
        path, _, fragment = href.partition("#")
        path = unquote(path.split("?")[0])
        found = self._find(note_file, path)
        if found is None:
            return None
        if found in self.notes:
            return self._note_target(found, unquote(fragment))
        return self._asset(found, page_path)

    def _find(self, note_file: str, path: str) -> str | None:
        """The notes-folder file a path points at, from the note's folder (``/`` is the
        notes root): the file, ``x.md`` for ``x``, a folder's README or index."""
        base = "" if path.startswith("/") else posixpath.dirname(note_file)
        rel = posixpath.normpath(posixpath.join(base, path.lstrip("/"))) if path else note_file
        if rel.startswith("../") or rel == "..":
            return None
        rel = "" if rel == "." else rel
        stem = rel.removesuffix(".html")
        tries = [rel, stem + ".md", *(posixpath.join(rel, g) for g in _GENERIC)]
        for t in tries:
            hit = self.files.get(t.lower().strip("/"))
            if hit:
                return hit
        return None

    def _asset(self, rel: str, page_path: str) -> str:
        target = f"assets/notes/{rel}"
        if target not in self.assets:
            self.assets[target] = (self.notes_dir / PurePosixPath(rel)).read_bytes()
        return relative(page_path, target)

    def _embed(self, note_file: str, target: str, page_path: str) -> str | None:
        name = target.split("|")[0].split("#")[0].strip()
        found = self._find(note_file, name) or self.by_name.get(name.split("/")[-1].lower())
        if found is None:
            note = self._note_named(name)
            return self._note_target(note, "") if note else None
        if found in self.notes:
            return self._note_target(found, "")
        return self._asset(found, page_path)

    def _note_named(self, name: str) -> str | None:
        """A note by path, file name, then title (Obsidian resolves names vault-wide)."""
        low = name.strip().lower().removesuffix(".md")
        for key in (low + ".md", low):
            if key in self.by_lower:
                return self.by_lower[key]
        tail = low.split("/")[-1]
        return self.by_stem.get(tail) or self.by_title.get(low) or self.by_title.get(tail)

    def _wiki(self, target: str) -> str | None:
        name, _, heading = target.partition("#")
        note = self._note_named(name) if name.strip() else None
        if note is not None:
            return self._note_target(note, heading)
        tail = name.split("/")[-1]
        entry = (self._entry_named(tail) or self._entry_named(name_title(tail))) if tail else None
        if entry is None:
            return None
        self.entry_targets.append(entry)
        return f"studysite-entry:{len(self.entry_targets) - 1}"

    def _entry_named(self, name: str) -> str | None:
        """The catalog entry a name is (an alias covering it), when it has a page."""
        alnum = sum(c.isalnum() for c in name) or 1
        for m in self.matcher.find(name, mode="title"):
            if sum(c.isalnum() for c in name[m.start : m.end]) / alnum >= 0.8:
                return m.entry if m.entry in self.site.pages else None
        return None

    def _note_target(self, file: str, heading: str) -> str:
        self.targets.append((file, self._line(file, heading)))
        return f"studysite-note:{len(self.targets) - 1}"

    def _line(self, file: str, heading: str) -> int:
        """The line a link to ``file#heading`` lands on: that heading's, else the first line
        the note placed on a page other than Unsorted (where the note as a whole went)."""
        parts = self.notes[file].parts
        if heading:
            want = heading.strip().lower()
            for p in parts:
                if p.title_line and want in (p.title.strip().lower(), _slug(p.title)):
                    return p.title_line
        placed = [p for p in parts if p.first_line]
        best = next((p for p in placed if p.page != "unsorted"), placed[0] if placed else None)
        return best.first_line if best else 0

    # -- after rendering ----------------------------------------------------------------

    def finish(
        self,
        pages: dict[str, str],
        rendered: dict[str, RenderedPage],
        as_written: Mapping[str, str] | None = None,
    ) -> None:
        """Replace placeholders with links to the section where each target line stands.

        A note none of whose lines stands on a page (empty, or all noise) is linked to its
        page as written, ``as_written[file]``, when there is one.
        """
        if not self.targets and not self.entry_targets:
            return
        where: dict[tuple[str, int], tuple[str, str]] = {}
        first: dict[str, str] = {}
        for pid, r in rendered.items():
            path = self.site.pages[pid].path
            for key, anchor in r.line_anchors.items():
                where.setdefault(key, (path, anchor))
                first.setdefault(key[0], path)
        for path in list(pages):
            text = pages[path]
            if "studysite-" not in text:
                continue

            def note(m: re.Match[str], here: str = path) -> str:
                file, line = self.targets[int(m.group(1))]
                if not line and as_written and file in as_written:
                    return relative(here, as_written[file])
                to, anchor = where.get((file, line), (first.get(file, "index.md"), ""))
                return relative(here, to) + (f"#{anchor}" if anchor else "")

            def entry(m: re.Match[str], here: str = path) -> str:
                return relative(here, self.site.pages[self.entry_targets[int(m.group(1))]].path)

            text = _PLACEHOLDER.sub(note, text)
            pages[path] = re.sub(r"studysite-entry:(\d+)", entry, text)
