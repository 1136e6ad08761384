"""The accounting report: per note, where every line went; per page, which notes feed it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from studysite.links import LinkGraph
from studysite.model import UNSORTED, Site
from studysite.tables import comparison_stats


def report_data(
    site: Site, catalog_dir: Path | None = None, links: LinkGraph | None = None
) -> dict[str, Any]:
    """The report as plain data (what ``studysite report --json`` prints).

    ``catalog_dir`` holds ``comparisons.yml``; by default ``catalog/`` of the current folder.
    ``links`` is the cross-link graph of the generated pages, when they were generated.
    """
    notes = []
    for note in site.notes:
        placed = {no for p in note.parts for no in p.line_numbers}
        unsorted = {no for p in note.parts if p.page == UNSORTED for no in p.line_numbers}
        notes.append(
            {
                "file": note.file,
                "title": note.title,
                "format": note.fmt,
                "lines": note.content_lines,
                "placed": len(placed),
                "noise": len({n.no for n in note.noise}),
                "unsorted": len(unsorted),
                "unaccounted": len(note.unaccounted),
                "pages": sorted({p.page for p in note.parts}),
                "unsorted_sections": [
                    {"line": p.first_line, "title": p.title}
                    for p in note.parts
                    if p.page == UNSORTED
                ],
                "noise_lines": [
                    {"line": n.no, "reason": n.reason, "text": n.text} for n in note.noise
                ],
            }
        )
    pages = [
        {"id": page.id, "title": page.title, "path": page.path, "notes": page.notes}
        for page in site.pages.values()
    ]
    return {
        "notes": notes,
        "pages": pages,
        "diagnostics": [
            {"file": d.file, "line": d.line, "level": d.level, "message": d.message}
            for d in site.diagnostics
        ],
        "comparisons": comparison_stats(site, catalog_dir or Path("catalog")),
        "links": links.report_data() if links is not None else None,
    }


def report_text(site: Site, catalog_dir: Path | None = None, links: LinkGraph | None = None) -> str:
    """A human-readable report: a table per note, then unsorted sections with file:line."""
    data = report_data(site, catalog_dir, links)
    out = [
        f"{'note':<34} {'format':<13} {'lines':>6} {'placed':>6} {'noise':>6} "
        f"{'unsorted':>8} {'unacc.':>6} {'pages':>5}"
    ]
    total = dict.fromkeys(("lines", "placed", "noise", "unsorted", "unaccounted"), 0)
    for n in data["notes"]:
        out.append(
            f"{n['file'][:34]:<34} {n['format'][:13]:<13} {n['lines']:>6} {n['placed']:>6} "
            f"{n['noise']:>6} {n['unsorted']:>8} {n['unaccounted']:>6} {len(n['pages']):>5}"
        )
        for k in total:
            total[k] += n[k]
    out.append(
        f"{'total':<34} {'':<13} {total['lines']:>6} {total['placed']:>6} {total['noise']:>6} "
        f"{total['unsorted']:>8} {total['unaccounted']:>6} {len(data['pages']):>5}"
    )
    content = max(total["lines"] - total["noise"], 1)
    out.append(f"unsorted: {100 * total['unsorted'] / content:.2f}% of content lines")
    cmp = data["comparisons"]
    problems = [d for d in cmp["diagnostics"] if d["level"] != "info"]
    out.append(
        f"comparisons: {cmp['tables']} tables, {cmp['curated']} cells curated, "
        f"{cmp['auto']} auto-filled, {cmp['empty']} empty, {len(problems)} problems"
    )
    unsorted = [(n["file"], s) for n in data["notes"] for s in n["unsorted_sections"]]
    if unsorted:
        out.append("")
        out.append("Unsorted sections (fix with a rule in notes/overrides.yml):")
        for file, s in unsorted:
            out.append(f"  {file}:{s['line']}: {s['title'] or '(untitled)'}")
    if problems:
        out.append("")
        out.append("Comparison problems (fix in catalog/comparisons.yml):")
        out.extend(f"  line {d['line']}: {d['level']}: {d['message']}" for d in problems)
    if links is not None:
        out.append("")
        out.append(links.report_text())
    if data["diagnostics"]:
        out.append("")
        out.append("Diagnostics:")
        out.extend(
            f"  {d['file']}:{d['line']}: {d['level']}: {d['message']}" for d in data["diagnostics"]
        )
    return "\n".join(out)
