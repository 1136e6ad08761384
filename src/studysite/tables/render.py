"""Markdown for comparison tables, their pages, the index and the "Compared with" blocks.

A table is HTML written for ``md_in_html``: each cell carries ``data-label`` (its column's
item) so the stylesheet can stack rows into cards on a phone, and its content is still
Markdown, so MkDocs rewrites and validates every link to a page section.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from studysite.model import Site, relative
from studysite.tables.resolve import Cell, Quote, Table
from studysite.tables.spec import Row

INDEX = "comparisons/index.md"
# (page id, note file, line) -> heading anchor on that page, or None.
AnchorOf = Callable[[str, str, int], str | None]

LEGEND = (
    "Each cell quotes the notes' own words, trimmed to the point; the link after a quote "
    "(note:line) opens the section of the page where that line stands. "
    '<span class="ss-cmp-mark ss-cmp-disagree">notes disagree</span> the notes say different '
    "things: every version is shown. "
    '<span class="ss-cmp-mark ss-cmp-auto">auto</span> proposed from the notes by keywords, '
    'not checked by a person. <span class="ss-cmp-silent">No note says.</span> the notes '
    "are silent on it."
)


def page_path(comparison_id: str) -> str:
    """Docs path of a comparison's own page."""
    return f"comparisons/{comparison_id}.md"


def _md(text: str) -> str:
    """Note text as literal Markdown inside an HTML table cell."""
    text = html.escape(text, quote=False)
    return re.sub(r"([\\`*_\[\]{}#|!])", r"\\\1", text)


def _attr(text: str) -> str:
    return html.escape(text, quote=True)


def _item_link(table: Table, index: int, site: Site, from_path: str) -> str:
    item = table.items[index]
    page = site.pages.get(item.page)
    if page is None:
        return _md(item.label)
    return f"[{_md(item.label)}]({relative(from_path, page.path)})"


def _quote(q: Quote, site: Site, labels: dict[str, str], from_path: str, anchor: AnchorOf) -> str:
    label = f"{labels.get(q.file, q.file)}:{q.line}"
    page = site.pages.get(q.page) if q.page else None
    note = next((n for n in site.notes if n.file == q.file), None)
    title = f"{note.title if note else q.file}, line {q.line}"
    words = f"“{_md(q.text)}”"
    if page is None:
        return f'{words} <span class="ss-cmp-src">{_md(label)}</span>'
    target = relative(from_path, page.path)
    a = anchor(page.id, q.file, q.line)
    if a:
        target += f"#{a}"
    title += f", on {page.title}"
    return f'{words} <span class="ss-cmp-src">[{_md(label)}]({target} "{_attr(title)}")</span>'


def _cell(
    cell: Cell, site: Site, labels: dict[str, str], from_path: str, anchor: AnchorOf
) -> list[str]:
    out: list[str] = []
    if cell.disagree:
        why = f" {_md(cell.why)}" if cell.why else ""
        out.append(f'<span class="ss-cmp-mark ss-cmp-disagree">notes disagree</span>{why}')
    auto = (
        '<span class="ss-cmp-mark ss-cmp-auto" title="Proposed from the notes by keywords; '
        'not checked by a person">auto</span> '
    )
    for q in cell.quotes:
        # A proposal shows its answer first ("256 KB", "push"), the quote as its evidence.
        value = f'<strong class="ss-cmp-value">{_md(cell.value)}</strong> ' if cell.value else ""
        out.append(
            (auto + value if cell.status == "auto" else "")
            + _quote(q, site, labels, from_path, anchor)
        )
    if not cell.quotes:
        text = "Quote not found in the notes." if cell.missing else "No note says."
        out.append(f'<span class="ss-cmp-silent">{text}</span>')
    return out


def table_markdown(
    table: Table, site: Site, labels: dict[str, str], from_path: str, anchor: AnchorOf
) -> str:
    """The comparison as an HTML table whose cells are Markdown (``md_in_html``)."""
    cols = len(table.items)
    out = [
        f'<div class="ss-cmp ss-cmp-{min(cols, 6)}" markdown>',
        "<table markdown>",
        "<thead markdown>",
        '<tr markdown>\n<th scope="col"></th>',
    ]
    for i in range(cols):
        out.append(f'<th scope="col" markdown="span">{_item_link(table, i, site, from_path)}</th>')
    out += ["</tr>", "</thead>", "<tbody markdown>"]
    for r, row in enumerate(table.comparison.rows):
        out.append("<tr markdown>")
        out.append(f'<th scope="row" markdown="span">{_md(row.dimension)}</th>')
        for item in table.items:
            cell = table.cells[r][item.id]
            klass = f"ss-cmp-{cell.status}" + (" ss-cmp-conflict" if cell.disagree else "")
            out.append(f'<td data-label="{_attr(item.label)}" class="{klass}" markdown="block">')
            out.append("")
            for para in _cell(cell, site, labels, from_path, anchor):
                out += [para, ""]
            out.append("</td>")
        out.append("</tr>")
    out += ["</tbody>", "</table>", "</div>"]
    return "\n".join(out)


def embed_markdown(
    table: Table, site: Site, labels: dict[str, str], from_path: str, anchor: AnchorOf
) -> str:
    """A table for a hand-written page: the table, then where it comes from."""
    link = relative(from_path, page_path(table.comparison.id))
    return (
        table_markdown(table, site, labels, from_path, anchor)
        + f'\n\n<p class="ss-cmp-legend" markdown>From the comparison '
        f"[{_md(table.comparison.title)}]({link}). {LEGEND}</p>\n"
    )


def _notes_quoted(table: Table, site: Site, labels: dict[str, str]) -> list[str]:
    files = {q.file for row in table.cells for c in row.values() for q in c.quotes}
    out = []
    for note in site.notes:
        if note.file in files:
            out.append(f"- `{labels.get(note.file, note.file)}`: *{_md(note.title)}*")
    return out


def comparison_page(table: Table, site: Site, labels: dict[str, str], anchor: AnchorOf) -> str:
    """The page of one comparison: summary, table, legend, the notes it quotes."""
    comp = table.comparison
    path = page_path(comp.id)
    title = comp.title.replace("\\", "\\\\").replace('"', '\\"')
    names = ", ".join(i.label for i in table.items).replace('"', "'")
    items = " · ".join(_item_link(table, i, site, path) for i in range(len(table.items)))
    n_cells = sum(len(row) for row in table.cells)
    quoted = table.count("curated") + table.count("auto")
    disagree = sum(1 for row in table.cells for c in row.values() if c.disagree)
    stats = f"{len(comp.rows)} rows · {quoted} of {n_cells} cells quote the notes"
    if table.count("auto"):
        stats += f" ({table.count('auto')} auto)"
    if disagree:
        stats += f" · notes disagree in {disagree}"
    out = [
        "---",
        f'title: "{title}"',
        f'description: "How the study notes compare {names}"',
        # A table needs the width; its page has no outline worth a sidebar.
        "hide:",
        "  - toc",
        "wide: true",
        "---",
        "",
        f"# {_md(comp.title)}",
        "",
        f'<p class="ss-summary" markdown>{_md(table.theme)} · {items} · {stats}</p>',
        "",
    ]
    if comp.intro:
        out += [_md(comp.intro), ""]
    out += [table_markdown(table, site, labels, path, anchor), ""]
    out += [f'<p class="ss-cmp-legend">{LEGEND}</p>', ""]
    if table.missing:
        out += [
            "## Not in your notes yet",
            "",
            "No note answers these rows yet; a line that does fills them at the next build.",
            "",
            *(f"- **{_md(r.dimension)}**{_asks(r)}" for r in table.missing),
            "",
        ]
    quoted_notes = _notes_quoted(table, site, labels)
    if quoted_notes:
        out += ["## Notes quoted", "", *quoted_notes, ""]
    out.append(f"[All comparisons]({relative(path, INDEX)})")
    return "\n".join(out) + "\n"


def _asks(row: Row) -> str:
    return f": {_md(row.question)}" if row.question else ""


def index_page(tables: list[Table], site: Site, hidden: list[Table] | None = None) -> str:
    """The Comparisons index: one table per theme, in catalog category order."""
    cells = sum(len(row) for t in tables for row in t.cells)
    curated = sum(t.count("curated") for t in tables)
    auto = sum(t.count("auto") for t in tables)
    empty = sum(t.count("empty") for t in tables)
    out = [
        "---",
        'title: "Comparisons"',
        'description: "Services side by side, in the notes\' own words"',
        "---",
        "",
        "# Comparisons",
        "",
        f'<p class="ss-summary">{len(tables)} tables · {cells} cells: {curated} quoted, '
        f"{auto} proposed from the notes (auto), {empty} where no note says</p>",
        "",
        "Services side by side, in the words of the notes. " + LEGEND,
        "",
    ]
    for theme, group in themes(tables, site):
        out += [
            f"## {_md(theme)}",
            "",
            "| Comparison | Compares | Cells quoted |",
            "| --- | --- | ---: |",
        ]
        for t in group:
            link = relative(INDEX, page_path(t.comparison.id))
            names = ", ".join(_md(i.label) for i in t.items)
            n = sum(len(cells) for cells in t.cells)
            filled = t.count("curated") + t.count("auto")
            out.append(f"| [{_md(t.comparison.title)}]({link}) | {names} | {filled} / {n} |")
        out.append("")
    if hidden:
        out += [
            "## Not enough in your notes yet",
            "",
            "These comparisons are mostly empty for these notes, so they are not shown. Notes"
            " that answer their rows bring them back:",
            "",
        ]
        for t in hidden:
            names = ", ".join(_md(i.label) for i in t.items)
            out.append(f"- **{_md(t.comparison.title)}** ({names})")
            for r, by_item in zip(t.comparison.rows, t.cells, strict=True):
                lacking = [i.label for i in t.items if by_item[i.id].status == "empty"]
                if lacking:
                    out.append(f"    - {_md(r.dimension)}{_asks(r)} ({_md(', '.join(lacking))})")
            out += [f"    - {_md(r.dimension)}{_asks(r)}" for r in t.missing]
        out.append("")
    return "\n".join(out)


def themes(tables: list[Table], site: Site) -> list[tuple[str, list[Table]]]:
    """Tables grouped by theme: catalog categories first, in their order, then the rest."""
    order = {c.name: i for i, c in enumerate(site.catalog.categories)}
    groups: dict[str, list[Table]] = {}
    for t in tables:
        groups.setdefault(t.theme, []).append(t)
    return sorted(groups.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))


def compared_with(tables: list[Table], page_id: str, site: Site, anchor: str) -> str:
    """The "Compared with" block of a service page: the tables it is a column of."""
    path = site.pages[page_id].path
    out = [f"## Compared with {{ #{anchor} }}", ""]
    for t in tables:
        mine = [i for i in t.items if i.page == page_id]
        if not mine:
            continue
        link = relative(path, page_path(t.comparison.id))
        if any(i.sub for i in mine):
            what = ", ".join(_md(i.label) for i in mine)
        else:
            others = [i.label for i in t.items if i.page != page_id]
            what = "with " + ", ".join(_md(o) for o in others)
        out.append(f"- [{_md(t.comparison.title)}]({link}): {what}")
    return "\n".join(out) + "\n"
