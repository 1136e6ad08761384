"""The whole pipeline, framework-free: notes folder in, Markdown pages and a report out.

``notes/`` -> :mod:`readers` (one per format) -> :mod:`model` section trees ->
:mod:`routing` (catalog aliases, context, overrides) -> :mod:`render` pages. The MkDocs
hooks, the ``studysite`` command and the tests all call :func:`build_site`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from studysite.errors import StudysiteError
from studysite.model import Diagnostic, Line, Noise, NoteTree, Section, unaccounted_lines
from studysite.notes import NoteMeta, load_manifest
from studysite.readers import read_note
from studysite.readers.source import discover, load
from studysite.routing.aliases import catalog_matcher
from studysite.routing.catalog import Catalog, Entry, load_catalog
from studysite.routing.overrides import Overrides, Rule, load_overrides
from studysite.routing.route import UNSORTED, Part, Router, route_tree
from studysite.stages import NO_TIMER, StageTimer

MANIFEST = "manifest.yml"
OVERRIDES = "overrides.yml"


@dataclass
class Note:
    """One note after reading and routing."""

    file: str
    meta: NoteMeta
    fmt: str
    lines: list[str]
    noise: list[Noise]
    parts: list[Part]
    unaccounted: list[int]

    @property
    def title(self) -> str:
        """The manifest title, else the note's own title, else its file name."""
        return self.meta.title or self.file

    @property
    def content_lines(self) -> int:
        """Non-blank lines in the note."""
        return sum(1 for line in self.lines if line.strip())


@dataclass
class Page:
    """One generated page: a catalog entry (or Unsorted) and the parts placed on it."""

    id: str
    title: str
    path: str
    entry: Entry | None
    parts: list[Part] = field(default_factory=list)
    children: list[str] = field(default_factory=list)

    @property
    def notes(self) -> list[str]:
        """Files of the notes that feed this page, in first-part order."""
        return list(dict.fromkeys(p.file for p in self.parts))


@dataclass
class Site:
    """Everything the hooks and the command line need about one build."""

    catalog: Catalog
    notes: list[Note]
    pages: dict[str, Page]
    diagnostics: list[Diagnostic]


def _apply_line_rules(tree: NoteTree, rules: list[Rule]) -> None:
    """``as: body`` turns a title into body text; ``as: noise`` drops a line with a reason."""
    noise_rules = [r for r in rules if r.action == "noise"]
    body_rules = [r for r in rules if r.action == "body"]
    if not noise_rules and not body_rules:
        return
    sections = list(tree.root.walk())
    for sec in sections:
        rule = next((r for r in noise_rules if r.covers(sec.title_line)), None)
        if rule and sec.title_line:
            tree.noise.append(Noise(sec.title_line, sec.title, rule.why or "marked as noise"))
            sec.title_line = None
        for i, ln in enumerate(sec.body):
            rule = next((r for r in noise_rules if r.covers(ln.no)), None)
            if rule and ln.text.strip():
                tree.noise.append(Noise(ln.no, ln.text, rule.why or "marked as noise"))
                sec.body[i] = Line(ln.no, "")
    for sec in sections[1:]:
        if (
            sec.title_line is None
            and not sec.children
            and not any(ln.text.strip() for ln in sec.body)
        ):
            _detach(tree.root, sec)  # wholly noise: nothing left to place
    sections = list(tree.root.walk())
    previous: Section = tree.root
    for sec in sections[1:]:
        rule = next((r for r in body_rules if r.covers(sec.title_line, sec.title)), None)
        if rule and not sec.children and sec.title_line:
            previous.body.append(Line(sec.title_line, sec.title))
            previous.body.extend(sec.body)
            _detach(tree.root, sec)
            continue
        previous = sec


def _detach(root: Section, target: Section) -> None:
    for sec in root.walk():
        if target in sec.children:
            sec.children.remove(target)
            return


def build_site(notes_dir: Path, catalog_path: Path, timer: StageTimer = NO_TIMER) -> Site:
    """Read, route and group every note under ``notes_dir``; ``timer`` sees each stage.

    Raises:
        StudysiteError: the catalog, manifest or override file is unusable.
    """
    with timer.stage("setup"):
        catalog = load_catalog(catalog_path)
        manifest = load_manifest(notes_dir / MANIFEST)
        overrides: Overrides = load_overrides(notes_dir / OVERRIDES, set(catalog.entries))
        title_matcher = catalog_matcher(catalog)
        router = Router(
            catalog, title_matcher, catalog_matcher(catalog, include_context_only=False)
        )
    with timer.stage("read"):
        files, diagnostics = discover(notes_dir)
    order = {f: i for i, f in enumerate(manifest)}
    files.sort(key=lambda n: (order.get(n.file, len(order)), n.file))
    notes: list[Note] = []
    for nf in files:
        with timer.stage("read"):
            lines, diags = load(nf)
        diagnostics.extend(diags)
        if lines is None:
            continue
        with timer.stage("parse"):
            try:
                tree, diags = read_note(nf.file, lines, router.known_title)
            except StudysiteError as e:
                message = getattr(e, "message", None) or str(e)  # NoteError names file:line
                diagnostics.append(Diagnostic(nf.file, getattr(e, "line", 0), message, "error"))
                continue
            diagnostics.extend(diags)
            rules = overrides.get(nf.file, [])
            _apply_line_rules(tree, rules)
        with timer.stage("route"):
            router.rules = rules
            parts = route_tree(tree, router)
            notes.append(
                Note(
                    file=nf.file,
                    meta=manifest.get(nf.file, NoteMeta(nf.file, title=tree.title)),
                    fmt=tree.fmt,
                    lines=lines,
                    noise=sorted(tree.noise, key=lambda n: n.no),
                    parts=parts,
                    unaccounted=unaccounted_lines(lines, tree),
                )
            )
        for no in notes[-1].unaccounted[:1]:
            diagnostics.append(
                Diagnostic(nf.file, no, "line not placed on any page (a reader bug); report it")
            )
    for f in overrides:
        if f not in {n.file for n in notes}:
            diagnostics.append(
                Diagnostic(str(notes_dir / OVERRIDES), 0, f"rules for '{f}', which is no note")
            )
    with timer.stage("route"):
        pages = _make_pages(catalog, notes)
    return Site(catalog=catalog, notes=notes, pages=pages, diagnostics=diagnostics)


def _make_pages(catalog: Catalog, notes: list[Note]) -> dict[str, Page]:
    fed: dict[str, list[Part]] = {}
    for note in notes:
        for part in note.parts:
            fed.setdefault(part.page, []).append(part)
    wanted = {pid for pid in fed if pid != UNSORTED}
    for pid in list(wanted):
        wanted.update(catalog.ancestors(pid))
    pages: dict[str, Page] = {}
    # Catalog order keeps the navigation stable and familiar (EC2 before Lambda).
    for entry in catalog.entries.values():
        if entry.id not in wanted:
            continue
        pages[entry.id] = Page(entry.id, entry.name, "", entry, fed.get(entry.id, []))
    for page in pages.values():
        page.children = [c.id for c in catalog.children(page.id) if c.id in pages]
    for page in pages.values():
        chain = [*reversed(catalog.ancestors(page.id)), page.id]
        folder = "/".join([catalog.category_of(page.id).slug, *chain[:-1]])
        page.path = f"{folder}/{page.id}/index.md" if page.children else f"{folder}/{page.id}.md"
    if UNSORTED in fed:
        pages[UNSORTED] = Page(UNSORTED, "Unsorted", "unsorted.md", None, fed[UNSORTED])
    return pages
