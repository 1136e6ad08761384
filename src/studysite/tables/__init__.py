"""Comparison tables built from the notes' own words (``catalog/comparisons.yml``).

:mod:`.spec` loads the curated comparisons, :mod:`.quotes` finds each quote in its note,
:mod:`.resolve` locates the page each quoted line landed on (and :mod:`.autofill` proposes
cells nobody curated), :mod:`.render` writes the tables. :func:`add_comparisons` is the one
call :func:`studysite.site.generate` makes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studysite.model import Diagnostic, NavItem, RenderedPage, Site
from studysite.model.layout import COMPARISONS
from studysite.tables.render import (
    INDEX,
    compared_with,
    comparison_page,
    embed_markdown,
    index_page,
    page_path,
    themes,
)
from studysite.tables.resolve import Table, note_labels, resolve
from studysite.tables.spec import load_comparisons

FILE = COMPARISONS


@dataclass
class Comparisons:
    """The resolved tables of one build, and what a hand-written page needs to embed one."""

    site: Site
    tables: list[Table] = field(default_factory=list)
    rendered: dict[str, RenderedPage] = field(default_factory=dict)
    declared: set[str] = field(default_factory=set)  # every id in the file, shown or not
    diagnostics: list[Diagnostic] = field(default_factory=list)  # about the file, for the report
    hidden: list[Table] = field(default_factory=list)  # mostly empty for these notes

    def __post_init__(self) -> None:
        self.labels = note_labels([n.file for n in self.site.notes])
        self.by_id = {t.comparison.id: t for t in self.tables}

    def anchor(self, page_id: str, file: str, line: int) -> str | None:
        """The heading anchor of the section holding a source line."""
        r = self.rendered.get(page_id)
        return r.line_anchors.get((file, line)) if r else None

    def embed(self, comparison_id: str, src_uri: str) -> str | None:
        """The table for a ``<!-- compare: ID -->`` marker, or ``None`` for an unknown id."""
        t = self.by_id.get(comparison_id)
        if t is not None:
            return embed_markdown(t, self.site, self.labels, src_uri, self.anchor)
        if comparison_id in self.declared:
            return (
                '<p class="ss-cmp-legend">No table for this comparison yet: the notes do not'
                " cover enough of its services.</p>"
            )
        return None

    def stats(self) -> dict[str, Any]:
        """Cells curated, auto-filled and empty, in total and per table, and the file's
        problems (for the report)."""
        per = [
            {
                "id": t.comparison.id,
                "title": t.comparison.title,
                "shown": t.shown,
                "curated": t.count("curated"),
                "auto": t.count("auto"),
                "proposed": t.count("auto"),
                "empty": t.count("empty"),
                "cells": _cells(t),
                "missing": [{"row": r.dimension, "question": r.question} for r in t.missing],
            }
            for t in [*self.tables, *self.hidden]
        ]
        shown = [p for p in per if p["shown"]]
        return {
            "tables": len(shown),
            "hidden": len(per) - len(shown),
            "curated": sum(p["curated"] for p in shown),
            "auto": sum(p["auto"] for p in shown),
            "empty": sum(p["empty"] for p in shown),
            "by_table": per,
            "diagnostics": [
                {"line": d.line, "level": d.level, "message": d.message} for d in self.diagnostics
            ],
        }


def _cells(table: Table) -> list[dict[str, Any]]:
    """Every cell of a table, row by row, in the report's words (``auto`` is "proposed")."""
    out: list[dict[str, Any]] = []
    for row, cells in zip(table.comparison.rows, table.cells, strict=True):
        for item in table.items:
            cell = cells[item.id]
            first = cell.quotes[0] if cell.quotes else None
            out.append(
                {
                    "row": row.dimension,
                    "item": item.id,
                    "status": "proposed" if cell.status == "auto" else cell.status,
                    "question": row.question,
                    "kind": row.kind,
                    "value": cell.value,
                    "score": cell.score,
                    "quote": first.text if first else "",
                    "file": first.file if first else "",
                    "line": first.line if first else 0,
                    "quotes": [
                        {"quote": q.text, "file": q.file, "line": q.line} for q in cell.quotes
                    ],
                }
            )
    return out


def load(site: Site, catalog_dir: Path) -> tuple[Comparisons, list[Diagnostic]]:
    """Load and resolve ``catalog_dir/comparisons.yml`` (absent: no comparisons).

    Raises:
        ConfigError: the file is not valid YAML or not a list.
    """
    where = f"{catalog_dir.name}/{FILE}"
    specs, diags = load_comparisons(catalog_dir / FILE, where)
    tables, more = resolve(specs, site, where)
    diags += more
    shown = [t for t in tables if t.shown]
    hidden = [t for t in tables if not t.shown]
    declared = {c.id for c in specs}
    return Comparisons(site, shown, declared=declared, diagnostics=diags, hidden=hidden), diags


def _unique_anchor(markdown: str, base: str) -> str:
    anchor, n = base, 1
    while re.search(rf"\{{[^}}]*#{re.escape(anchor)}\b", markdown):
        n += 1
        anchor = f"{base}-{n}"
    return anchor


def _insert(markdown: str, page: RenderedPage | None, block: str) -> str:
    """``block`` after the page's own sections, before sections others appended to it."""
    own = page.markdown.rstrip("\n") if page else ""
    if not own or not markdown.startswith(own):
        return markdown.rstrip("\n") + "\n\n" + block
    rest = markdown[len(own) :].lstrip("\n")
    return own + "\n\n" + block + ("\n" + rest if rest else "")


def add_comparisons(
    site: Site,
    catalog_dir: Path,
    pages: dict[str, str],
    rendered: dict[str, RenderedPage],
    nav: list[NavItem],
) -> tuple[Comparisons, list[Diagnostic]]:
    """Add the comparison pages, "Compared with" blocks and nav section (in place)."""
    comps, diags = load(site, catalog_dir)
    comps.rendered = rendered
    if not comps.tables and not comps.hidden:
        return comps, diags
    # With every table hidden the index still stands: it lists what the notes lack, and the
    # study pages link to it.
    pages[INDEX] = index_page(comps.tables, site, comps.hidden)
    for t in comps.tables:
        pages[page_path(t.comparison.id)] = comparison_page(t, site, comps.labels, comps.anchor)
    involved = dict.fromkeys(i.page for t in comps.tables for i in t.items if i.page in site.pages)
    for page_id in involved:
        path = site.pages[page_id].path
        md = pages[path]
        block = compared_with(comps.tables, page_id, site, _unique_anchor(md, "compared-with"))
        pages[path] = _insert(md, rendered.get(page_id), block)
    section: list[NavItem] = [INDEX]
    for theme, group in themes(comps.tables, site):
        entries: list[NavItem] = [{t.comparison.title: page_path(t.comparison.id)} for t in group]
        section.append({theme: entries})
    # Before the study tools and About the notes, after the service domains.
    where = next(
        (
            i
            for i, n in enumerate(nav)
            if isinstance(n, dict) and ("Study" in n or "About the notes" in n)
        ),
        len(nav),
    )
    nav.insert(where, {"Comparisons": section})
    return comps, diags
