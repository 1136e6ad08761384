"""The whole pipeline, framework-free: notes folder in, Markdown pages and a report out.

``notes/`` -> :mod:`readers` (one per format) -> :mod:`model` section trees ->
:mod:`routing` (catalog aliases, context, overrides) -> :mod:`render` pages. The MkDocs
hooks, the ``studysite`` command and the tests all call :func:`build_site`.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from studysite.errors import StudysiteError
from studysite.model import (
    UNSORTED,
    Catalog,
    Diagnostic,
    Line,
    Noise,
    Note,
    NoteMeta,
    NoteTree,
    Page,
    Part,
    Section,
    Site,
    unaccounted_lines,
)
from studysite.model.layout import MANIFEST, OVERRIDES
from studysite.notes import load_manifest
from studysite.readers import read_note
from studysite.readers.markdown import front_matter_date
from studysite.readers.source import discover, load
from studysite.routing.aliases import catalog_matcher
from studysite.routing.catalog import load_catalog
from studysite.routing.notecontext import note_context
from studysite.routing.overrides import Overrides, Rule, load_overrides
from studysite.routing.route import Router, route_tree
from studysite.routing.topics import Subtopics
from studysite.stages import NO_TIMER, StageTimer
from studysite.titles import file_title

# Re-exported for callers that used to find them here (the types live in studysite.model).
__all__ = ["MANIFEST", "OVERRIDES", "Note", "Page", "Site", "build_site"]


def _dated(meta: NoteMeta, lines: list[str]) -> NoteMeta:
    """The manifest's ``date:`` wins; else a Markdown note's own front matter ``date:``."""
    date = meta.date or front_matter_date(lines)
    return dataclasses.replace(meta, date=date) if date != meta.date else meta


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
        subtopics = Subtopics(catalog)
        router = Router(
            catalog,
            title_matcher,
            catalog_matcher(catalog, include_context_only=False),
            subtopics,
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
            parts = route_tree(tree, router, rules, note_context(tree, router))
            if not tree.title:
                # Obsidian shows the file name as the title; so does the site.
                tree.title = file_title(nf.file)
            notes.append(
                Note(
                    file=nf.file,
                    meta=_dated(manifest.get(nf.file, NoteMeta(nf.file, title=tree.title)), lines),
                    fmt=tree.fmt,
                    lines=lines,
                    noise=sorted(tree.noise, key=lambda n: n.no),
                    parts=parts,
                    unaccounted=unaccounted_lines(lines, tree, {r.why for r in rules}),
                    tags=tuple(tree.tags),
                )
            )
        for no in notes[-1].unaccounted[:1]:
            diagnostics.append(
                Diagnostic(
                    nf.file,
                    no,
                    "line not placed exactly once with its words (a reader bug); report it",
                )
            )
    for f in overrides:
        if f not in {n.file for n in notes}:
            diagnostics.append(
                Diagnostic(str(notes_dir / OVERRIDES), 0, f"rules for '{f}', which is no note")
            )
    with timer.stage("route"):
        notes = [
            dataclasses.replace(n, parts=[subtopics.place(p, n.title) for p in n.parts])
            for n in notes
        ]
        pages = _make_pages(catalog, notes, subtopics)
    return Site(catalog=catalog, notes=notes, pages=pages, diagnostics=diagnostics)


def _make_pages(catalog: Catalog, notes: list[Note], subtopics: Subtopics) -> dict[str, Page]:
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
        children = tuple(c.id for c in catalog.children(entry.id) if c.id in wanted)
        path = _page_path(catalog, entry.id, bool(children))
        parts = tuple(fed.get(entry.id, ()))
        topics = subtopics.topics(entry.id, parts)
        pages[entry.id] = Page(entry.id, entry.name, path, entry, parts, children, topics)
    if UNSORTED in fed:
        parts = tuple(fed[UNSORTED])
        topics = subtopics.topics(UNSORTED, parts)
        pages[UNSORTED] = Page(UNSORTED, "Unsorted", "unsorted.md", None, parts, (), topics)
    return pages


def _page_path(catalog: Catalog, entry_id: str, has_children: bool) -> str:
    """Docs path of a page: category folder, ancestors, then a file (a folder with children)."""
    chain = [*reversed(catalog.ancestors(entry_id)), entry_id]
    folder = "/".join([catalog.category_of(entry_id).slug, *chain[:-1]])
    return f"{folder}/{entry_id}/index.md" if has_children else f"{folder}/{entry_id}.md"
