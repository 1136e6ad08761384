"""The accounting report of one build: where every line went, which notes feed each page,
and every diagnostic the build gave.

:class:`Report` is made from the result of :func:`studysite.site.generate` (the same build
the site and ``studysite export`` come from), so nothing is routed or loaded a second time
and the report cannot disagree with the build. ``to_json`` and ``to_text`` read the same data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from studysite.cards import KINDS
from studysite.facts import extract_facts, extract_tips
from studysite.links import LinkGraph
from studysite.model import UNSORTED, Diagnostic, Part, SiteOutput
from studysite.questions import pieces

_NO_COMPARISONS: dict[str, Any] = {
    "tables": 0,
    "curated": 0,
    "auto": 0,
    "empty": 0,
    "by_table": [],
    "diagnostics": [],
}


@dataclass
class Report:
    """Per note and per page counts, comparison cells, links and the build's diagnostics."""

    notes: list[dict[str, Any]]
    pages: list[dict[str, Any]]
    diagnostics: list[Diagnostic]
    comparisons: dict[str, Any]
    links: LinkGraph | None = None
    questions: list[dict[str, Any]] = field(default_factory=list)
    parts: list[dict[str, Any]] = field(default_factory=list)
    facts: list[dict[str, Any]] = field(default_factory=list)
    tips: list[dict[str, Any]] = field(default_factory=list)
    cards: dict[str, Any] = field(default_factory=lambda: {"total": 0, "by_kind": {}})

    @classmethod
    def of(cls, out: SiteOutput) -> Report:
        """The report of one build."""
        site = out.site
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
                    "lines_by_page": _lines_by_page(note.parts),
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
        comparisons = out.comparisons.stats() if out.comparisons else dict(_NO_COMPARISONS)
        questions = [
            {
                "page": p.page,
                "file": p.file,
                "line": p.title_line or p.first_line,
                "answer": "".join(pieces(list(p.lines)).answer),
            }
            for note in site.notes
            for p in note.parts
            if p.kind == "question"
        ]
        facts = [
            {
                "page": f.page,
                "fact": f.fact,
                "value": f.value,
                "file": f.file,
                "line": f.line,
                "conflict": f.conflict,
            }
            for f in extract_facts(site)
        ]
        tips = [
            {"page": t.page, "file": t.file, "first": t.first, "last": t.last}
            for t in extract_tips(site)
        ]
        return cls(
            notes,
            pages,
            list(out.diagnostics),
            comparisons,
            out.links,
            questions,
            _parts(out),
            facts,
            tips,
            {
                "total": len(out.cards),
                "by_kind": {k: sum(1 for c in out.cards if c.kind == k) for k in KINDS},
            },
        )

    @property
    def unaccounted(self) -> int:
        """Lines no page and no noise list holds (a reader bug)."""
        return sum(n["unaccounted"] for n in self.notes)

    def to_json(self) -> dict[str, Any]:
        """The report as plain data (what ``studysite report --json`` prints)."""
        return {
            "notes": self.notes,
            "pages": self.pages,
            "diagnostics": [
                {"level": d.level, "file": d.file, "line": d.line, "message": d.message}
                for d in self.diagnostics
            ],
            # One entry per table, shown or not, with every cell (anyone can judge them);
            # the totals and the file's problems beside it.
            "comparisons": self.comparisons["by_table"],
            "comparisons_summary": {k: v for k, v in self.comparisons.items() if k != "by_table"},
            "links": self.links.report_data() if self.links is not None else None,
            "questions": self.questions,
            "parts": self.parts,
            "facts": self.facts,
            "tips": self.tips,
            "cards": self.cards,
        }

    def to_text(self) -> str:
        """A table per note, comparison counts, unsorted sections, links, then diagnostics."""
        out = [
            f"{'note':<34} {'format':<13} {'lines':>6} {'placed':>6} {'noise':>6} "
            f"{'unsorted':>8} {'unacc.':>6} {'pages':>5}"
        ]
        total = dict.fromkeys(("lines", "placed", "noise", "unsorted", "unaccounted"), 0)
        for n in self.notes:
            out.append(
                f"{n['file'][:34]:<34} {n['format'][:13]:<13} {n['lines']:>6} {n['placed']:>6} "
                f"{n['noise']:>6} {n['unsorted']:>8} {n['unaccounted']:>6} {len(n['pages']):>5}"
            )
            for k in total:
                total[k] += n[k]
        out.append(
            f"{'total':<34} {'':<13} {total['lines']:>6} {total['placed']:>6} "
            f"{total['noise']:>6} {total['unsorted']:>8} {total['unaccounted']:>6} "
            f"{len(self.pages):>5}"
        )
        content = max(total["lines"] - total["noise"], 1)
        out.append(f"unsorted: {100 * total['unsorted'] / content:.2f}% of content lines")
        if self.questions:
            routed = sum(1 for q in self.questions if q["page"] != UNSORTED)
            out.append(
                f"practice questions: {len(self.questions)}, {routed} on a service or topic page"
            )
        if self.cards["total"]:
            kinds = ", ".join(f"{n} {k}" for k, n in self.cards["by_kind"].items() if n)
            out.append(f"cards: {self.cards['total']} ({kinds})")
        cmp = self.comparisons
        problems = sum(1 for d in cmp["diagnostics"] if d["level"] != "info")
        out.append(
            f"comparisons: {cmp['tables']} tables, {cmp['curated']} cells curated, "
            f"{cmp['auto']} auto-filled, {cmp['empty']} empty, {problems} problems"
        )
        for t in cmp["by_table"]:
            shown = "shown" if t.get("shown", True) else "not shown (too empty)"
            out.append(
                f"  {t['id'][:40]:<40} {t['curated']:>4} curated {t['auto']:>4} proposed"
                f" {t['empty']:>4} empty  {shown}"
            )
        unsorted = [(n["file"], s) for n in self.notes for s in n["unsorted_sections"]]
        if unsorted:
            out.append("")
            out.append("Unsorted sections (fix with a rule in notes/overrides.yml):")
            for file, s in unsorted:
                out.append(f"  {file}:{s['line']}: {s['title'] or '(untitled)'}")
        if self.links is not None:
            out.append("")
            out.append(self.links.report_text())
        if self.diagnostics:
            counts = {
                level: sum(1 for d in self.diagnostics if d.level == level)
                for level in ("error", "warning", "info")
            }
            out.append("")
            out.append(
                f"Diagnostics: {counts['error']} errors, {counts['warning']} warnings"
                f" (both fail --strict), {counts['info']} info:"
            )
            out.extend(f"  {d.file}:{d.line}: {d.level}: {d.message}" for d in self.diagnostics)
        return "\n".join(out)


def _lines_by_page(parts: list[Part]) -> dict[str, int]:
    """How many of a note's placed lines each page got (the title line counts)."""
    out: dict[str, set[int]] = {}
    for p in parts:
        out.setdefault(p.page, set()).update(p.line_numbers)
    return {page: len(nos) for page, nos in sorted(out.items())}


def _parts(out: SiteOutput) -> list[dict[str, Any]]:
    """Where every placed block went: page, subtopic (its heading and anchor), file, lines.

    One entry per part with lines, in note order; the ``first``-``last`` spans of a note's
    entries cover each of its placed lines exactly once (tests/test_outline.py checks it).
    """
    titles = {(page.id, t.id): t.title for page in out.site.pages.values() for t in page.topics}
    entries = []
    for note in out.site.notes:
        for p in note.parts:
            nos = p.line_numbers
            if not nos:
                continue
            rendered = out.rendered.get(p.page)
            anchor = rendered.line_anchors.get((p.file, nos[0]), "") if rendered else ""
            entries.append(
                {
                    "page": p.page,
                    # A folded heading (nothing under it) names its subtopic by id.
                    "subtopic": titles.get((p.page, p.topic))
                    or p.topic.replace("-", " ").capitalize(),
                    "anchor": anchor,
                    "file": p.file,
                    "first": nos[0],
                    "last": nos[-1],
                }
            )
    return entries
