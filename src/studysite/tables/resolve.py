"""Turn the curated comparisons into cells of quotes located in the notes.

For every citation: find the note (file name or unique prefix), find the quote in it (see
:mod:`.quotes`), and find the page its first line landed on. A cell nobody curated is
proposed from the notes (:mod:`.autofill`). Each problem is a :class:`Diagnostic` naming the
comparison, row and item; nothing here needs the rendered pages.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from typing import Literal

from studysite.model import Diagnostic, Level, Site
from studysite.model.names import short_names
from studysite.tables.autofill import Pages, Proposal, candidates, fill_column
from studysite.tables.quotes import NoteText
from studysite.tables.spec import Citation, Comparison, Item, Row

Status = Literal["curated", "auto", "empty"]
# A table whose cells are mostly empty for these notes is listed, not shown.
MOSTLY_EMPTY = 0.7


@dataclass(frozen=True)
class Quote:
    """The note's own words for one citation, and where that line stands in the site."""

    file: str
    line: int
    text: str
    page: str | None  # None: the line is on no page (left out as noise)


@dataclass
class Cell:
    """One resolved cell: what to show and how it was filled."""

    status: Status
    quotes: list[Quote] = field(default_factory=list)
    disagree: bool = False
    why: str = ""
    missing: bool = False  # curated quotes none of which could be found
    value: str = ""  # the answer a proposed cell read in its quote ("256 KB", "push")
    score: float = 0.0  # how sure a proposal is (see autofill.THRESHOLD)


@dataclass
class Table:
    """A comparison with every cell resolved: ``cells[row index][item id]``."""

    comparison: Comparison
    items: list[Item]
    cells: list[dict[str, Cell]]
    theme: str
    shown: bool = True  # False: mostly empty for these notes (listed, not shown)
    missing: list[Row] = field(default_factory=list)  # rows no note answers

    def count(self, status: Status) -> int:
        """How many cells have ``status``."""
        return sum(1 for row in self.cells for c in row.values() if c.status == status)

    def empty_share(self) -> float:
        """Share of the table's shown cells that no note fills (rows no note answers are
        listed apart, see ``missing``)."""
        total = len(self.cells) * len(self.items)
        filled = self.count("curated") + self.count("auto")
        return 1 - filled / total if total else 1.0


@dataclass
class Notes:
    """Lookup of notes by short id, with each note's text indexed once."""

    site: Site
    texts: dict[str, NoteText] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._where: dict[tuple[str, int], str] = {}
        for note in self.site.notes:
            for part in note.parts:
                for no in part.line_numbers:
                    self._where[(note.file, no)] = part.page

    def file_of(self, ref: str) -> tuple[str | None, str, Level]:
        """The note file ``ref`` names (exact name or unique prefix), else why not and how
        bad that is: an ambiguous id is the curator's to fix, a missing note is not (notes
        come and go)."""
        files = [n.file for n in self.site.notes]
        if ref in files:
            return ref, "", "info"
        hits = [f for f in files if f.startswith(ref) or posixpath.basename(f).startswith(ref)]
        if len(hits) == 1:
            return hits[0], "", "info"
        if hits:
            return None, f"note '{ref}' is ambiguous: {', '.join(hits)}", "warning"
        return None, f"no note '{ref}' in notes/, quote skipped", "info"

    def text(self, file: str) -> NoteText:
        """The indexed text of one note."""
        if file not in self.texts:
            note = next(n for n in self.site.notes if n.file == file)
            self.texts[file] = NoteText(note.lines)
        return self.texts[file]

    def page_of(self, file: str, line: int) -> str | None:
        """The page a source line landed on."""
        return self._where.get((file, line))


def note_labels(files: list[str]) -> dict[str, str]:
    """Short, unique labels for notes: ``001`` for ``001_d0d02486f0911ba5.txt``."""
    return short_names(files)


def resolve(
    comparisons: list[Comparison], site: Site, where: str
) -> tuple[list[Table], list[Diagnostic]]:
    """Every comparison with its cells located in the notes; problems as diagnostics.

    The file outlives any one set of notes: a citation of a note that is not in notes/, a
    page no note feeds, a row left empty by such citations, a table left without two
    columns or without a filled cell are ``info`` (counted in the report, no build
    failure); everything a curator can fix is a ``warning``.
    """
    notes = Notes(site)
    pages = Pages(site)
    tables: list[Table] = []
    diags: list[Diagnostic] = []
    for comp in comparisons:
        items = _items(comp, site, where, diags)
        if len(items) < 2:
            diags.append(
                Diagnostic(
                    where,
                    comp.at,
                    f"comparison '{comp.id}' left out: fewer than two of its pages exist",
                    "info",
                )
            )
            continue
        rows: list[Row] = []
        cells: list[dict[str, Cell]] = []
        resolved = [_row(comp, row, items, notes, where, diags) for row in comp.rows]
        _fill(comp.rows, [out for out, _ in resolved], items, site, pages)
        for row, (out, cited) in zip(comp.rows, resolved, strict=True):
            if any(c.status != "empty" for c in out.values()):
                rows.append(row)
                cells.append(out)
                continue
            name = f"comparison '{comp.id}', row '{row.dimension}'"
            if cited is False:
                # Every note it quotes is gone: the row belongs to notes this site lacks.
                diags.append(Diagnostic(where, row.at, f"{name} left out: no cited note", "info"))
                continue
            if cited is None and not row.cells:
                # Nothing curated: the notes do not answer it (yet), nothing to fix here.
                msg = f"{name} left out: no note answers it"
                diags.append(Diagnostic(where, row.at, msg, "info"))
                continue
            diags.append(Diagnostic(where, row.at, f"{name}: no cell is filled"))
            rows.append(row)
            cells.append(out)
        if not any(c.status != "empty" for r in cells for c in r.values()):
            msg = f"comparison '{comp.id}' left out: no cell is filled"
            diags.append(Diagnostic(where, comp.at, msg, "info"))
            continue
        shown = Comparison(comp.id, comp.title, items, rows, comp.theme, comp.intro, comp.at)
        kept = {id(r) for r in rows}
        missing = [r for r in comp.rows if id(r) not in kept]
        table = Table(shown, items, cells, comp.theme or _theme(site, items), missing=missing)
        # One proposed cell compares nothing; a curator's table stays unless mostly empty.
        lone = table.count("curated") == 0 and table.count("auto") < 2
        if table.empty_share() > MOSTLY_EMPTY or lone:
            table.shown = False
            msg = f"comparison '{comp.id}' not shown: {table.empty_share():.0%} of its cells empty"
            diags.append(Diagnostic(where, comp.at, msg, "info"))
        tables.append(table)
    return tables, diags


def _items(comp: Comparison, site: Site, where: str, diags: list[Diagnostic]) -> list[Item]:
    """The columns that can be shown, each with a label; problems appended to ``diags``."""
    items = []
    for item in comp.items:
        entry = site.catalog.entries.get(item.page)
        if entry is None:
            diags.append(
                Diagnostic(
                    where,
                    comp.at,
                    f"comparison '{comp.id}', item '{item.id}': unknown page id '{item.page}'"
                    " (not in catalog/services.yml)",
                )
            )
            continue
        if item.page not in site.pages:
            diags.append(
                Diagnostic(
                    where,
                    comp.at,
                    f"comparison '{comp.id}', item '{item.id}' left out:"
                    f" no note feeds page '{item.page}'",
                    "info",
                )
            )
            continue
        if not item.label:
            # "Data Firehose (formerly Kinesis Data Firehose)" is too long for a column.
            name = re.sub(r"\s*\(.*\)$", "", entry.nav_title)
            item = Item(item.id, name, item.page, item.keywords, item.sub)
        items.append(item)
    return items


def _row(
    comp: Comparison,
    row: Row,
    items: list[Item],
    notes: Notes,
    where: str,
    diags: list[Diagnostic],
) -> tuple[dict[str, Cell], bool | None]:
    """The cells of one row, and whether a shown cell cites a note that exists (None: the row
    cites no note at all)."""
    out: dict[str, Cell] = {}
    cited: bool | None = None
    for item in items:
        name = f"comparison '{comp.id}', row '{row.dimension}', cell '{item.id}'"
        spec = row.cells.get(item.id)
        if spec is not None and spec.silent:
            out[item.id] = Cell("empty")
            continue
        quotes: list[Quote] = []
        present = False
        for cite in spec.citations if spec else ():
            q, found, d = _locate(cite, notes, name, where)
            diags.extend(d)
            present = present or found
            if q is not None:
                quotes.append(q)
        if present:
            cited = True
        if quotes and spec is not None:  # quotes come only from spec's citations
            out[item.id] = Cell("curated", quotes, spec.disagree, spec.why)
        elif spec and present:
            out[item.id] = Cell("empty", missing=True)  # the warning names the quote
        else:
            # Nothing curated, or only quotes of notes this site lacks: the notes are asked
            # once every row is known (see _fill).
            out[item.id] = Cell("empty")
            out[item.id].why = _ASK
    if cited is None and any(c.citations for c in row.cells.values()):
        cited = False  # it quotes notes, just none this site has (or columns it lacks)
    return out, cited


def _theme(site: Site, items: list[Item]) -> str:
    for item in items:
        if item.page in site.catalog.entries:
            return site.catalog.category_of(item.page).name
    return "Other"


_ASK = "\0ask"  # marks a cell the notes are asked for (never shown: _fill clears it)
# Name words too common to tell one column from another.
_GENERIC = frozenset({"amazon", "aws", "data", "service", "services", "elastic", "simple", "cloud"})


def _names(site: Site, item: Item) -> tuple[str, ...]:
    """Words naming a column: its label and keywords, and for a page its catalog aliases
    that carry its name (not "Read Replicas" for RDS)."""
    words = [item.label, *item.keywords]
    entry = site.catalog.entries.get(item.page)
    if entry is not None and not item.sub:
        title = re.sub(r"\s*\(.*\)$", "", entry.nav_title)
        key = {w.casefold() for w in re.findall(r"[\w-]{3,}", title)} - _GENERIC
        for alias in entry.aliases:
            own = {w.casefold() for w in re.findall(r"[\w-]{3,}", alias)}
            if own & key or (alias.isupper() and len(alias) <= 6):
                words.append(alias)
    return tuple(dict.fromkeys(w for w in words if w))


def _fill(
    rows: list[Row], cells: list[dict[str, Cell]], items: list[Item], site: Site, pages: Pages
) -> None:
    """Propose the cells left to the notes, column by column (in place)."""
    names = {item.id: _names(site, item) for item in items}
    for item in items:
        ask = [r for r, out in enumerate(cells) if out[item.id].why == _ASK]
        if not ask:
            continue
        mine = names[item.id]
        folded = {w.casefold() for w in mine}
        others = tuple(
            w
            for other in items
            if other.id != item.id
            for w in names[other.id]
            if w.casefold() not in folded
        )
        # A column's own words minus any a sibling shares ("Kinesis" names both streams).
        theirs = {w.casefold() for w in others}
        mine = tuple(w for w in mine if w.casefold() not in theirs)
        ranked: dict[int, list[Proposal]] = {
            r: candidates(pages, item.page, rows[r], mine, others, item.sub) for r in ask
        }
        used = {(q.file, q.line) for out in cells for q in out[item.id].quotes}
        chosen = fill_column(rows, ranked, used)
        for r in ask:
            p = chosen.get(r)
            if p is None:
                cells[r][item.id] = Cell("empty")
            else:
                quote = Quote(p.file, p.line, p.text, item.page)
                cells[r][item.id] = Cell("auto", [quote], value=p.value, score=p.score)


def _locate(
    cite: Citation, notes: Notes, name: str, where: str
) -> tuple[Quote | None, bool, list[Diagnostic]]:
    """The quote, whether its note exists, and the problems."""
    file, why, level = notes.file_of(cite.note)
    if file is None:
        return None, False, [Diagnostic(where, cite.at, f"{name}: {why}", level)]
    matches = notes.text(file).find(cite.quote)
    shown = cite.quote if len(cite.quote) <= 60 else cite.quote[:57] + "..."
    if not matches:
        msg = f"{name}: quote not found in {file}: '{shown}'"
        return None, True, [Diagnostic(where, cite.at, msg)]
    diags: list[Diagnostic] = []
    if cite.line is not None:
        pinned = [m for m in matches if m.line <= cite.line <= m.end_line]
        if not pinned:
            lines = ", ".join(str(m.line) for m in matches)
            return (
                None,
                True,
                [
                    Diagnostic(
                        where,
                        cite.at,
                        f"{name}: quote '{shown}' is not at line {cite.line} of {file}"
                        f" (found at line {lines})",
                    )
                ],
            )
        match = pinned[0]
    else:
        match = matches[0]
        if len(matches) > 1:
            lines = ", ".join(str(m.line) for m in matches)
            diags.append(
                Diagnostic(
                    where,
                    cite.at,
                    f"{name}: quote '{shown}' found in {len(matches)} places in {file}"
                    f" (lines {lines}); pin one with line:",
                )
            )
    page = notes.page_of(file, match.line)
    if page is None:
        diags.append(
            Diagnostic(
                where,
                cite.at,
                f"{name}: quote '{shown}' is at {file}:{match.line}, which is on no page",
            )
        )
    return Quote(file, match.line, match.text, page), True, diags
