"""Key facts at the top of a service page: the numbers the notes state, disagreements shown.

From :func:`studysite.facts.extract_facts`: at most :data:`MAX_FACTS` rows, the most
exam-relevant first (named by a limit word, stated by several notes, or disputed). A fact
stated by several notes with one value is one row with each note's mark; where notes
disagree (:func:`studysite.facts.mark_conflicts`), the row says so and shows every value
beside its note: newest first with its date when every note is dated (manifest or front
matter ``date:``), else in note order, no value taken to be the newer one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from studysite.facts import Fact, Tip
from studysite.facts.extract import phrase_key
from studysite.model import Page, Site, relative
from studysite.render.markdown import cell_text as _cell
from studysite.render.sources import NoteIndex, line_anchor

EXAM_TIPS = "exam-tips"  # the subtopic slot of catalog/topics.yml

MAX_FACTS = 12
# A phrase that names a limit, a default or a size is what an exam asks.
_STRONG = re.compile(
    r"\b(?:max(?:imum)?|min(?:imum)?|default|limit|retention|timeout|size|up to|durability|"
    r"availability|duration|period|ttl|throughput|capacity|storage|memory|cost|price|iops|"
    r"latency|interval|quota)\b",
    re.IGNORECASE,
)
_WEAK_PHRASE = re.compile(r"[<…]|^\W|^(?:\w+\s?){0,1}$")


def worth_showing(fact: Fact) -> bool:
    """A fact the Key facts, Numbers to know and cards show: a phrase of some words that
    names a limit, a default or a size."""
    return not _WEAK_PHRASE.search(fact.fact) and bool(_STRONG.search(fact.fact))


def _rows(facts: Sequence[Fact], keep: Callable[[Fact], bool]) -> dict[str, list[Fact]]:
    """Facts as rows: a disagreement is one row (every fact of its group, on any page), a
    fact the notes agree on one row per phrase and value (each note's mark in it)."""
    rows: dict[str, list[Fact]] = {}
    disputed = {f.group for f in facts if f.group and keep(f)}
    for f in facts:
        if f.group in disputed:
            rows.setdefault("!" + f.group, []).append(f)
        elif not f.group and keep(f) and worth_showing(f):
            rows.setdefault(f"{phrase_key(f.fact)}={f.normalised}", []).append(f)
    return rows


def _values(fs: list[Fact], notes: NoteIndex, path: str) -> str:
    """Each value with the marks of the notes stating it; where notes disagree and every one
    is dated, newest first with its date ("notes disagree, newest first"), else note order
    and no value taken for the newer."""
    by_value: dict[tuple[float, ...], list[Fact]] = {}
    for f in fs:
        by_value.setdefault(f.normalised, []).append(f)
    groups = list(by_value.values())
    disputed = bool(fs[0].group)
    dated = disputed and all(f.file in notes.dates for f in fs)
    if dated:
        groups.sort(key=lambda same: max(notes.dates[f.file] for f in same), reverse=True)

    def mark(f: Fact) -> str:
        link = notes.link(f.file, path, f" · {f.line}", line_anchor(f.part))
        return f"{link}, {notes.dates[f.file]}" if dated else link

    text = "; ".join(
        f"{_cell(same[0].value)} ({', '.join(dict.fromkeys(mark(f) for f in same))})"
        for same in groups
    )
    if disputed:
        text += " **notes disagree, newest first**" if dated else " **notes disagree**"
    return text


def _on_page(page_id: str) -> Callable[[Fact], bool]:
    return lambda f: f.page == page_id


def _chosen(page: Page, facts: Sequence[Fact]) -> list[tuple[int, list[Fact]]]:
    """The rows the Key facts block of ``page`` shows, each with its place in page order:
    at most MAX_FACTS, those most notes state (a disagreement counts two more) first."""
    rows = list(_rows(facts, _on_page(page.id)).items())

    def score(item: tuple[int, tuple[str, list[Fact]]]) -> tuple[int, int]:
        i, (key, fs) = item
        return (-(len({f.file for f in fs}) + 2 * key.startswith("!")), i)

    return [(i, fs) for i, (_, fs) in sorted(enumerate(rows), key=score)[:MAX_FACTS]]


def key_facts(page: Page, facts: Sequence[Fact], notes: NoteIndex) -> str:
    """The Key facts block of ``page`` ("" when its notes state none worth listing)."""
    chosen = sorted(_chosen(page, facts), key=lambda item: item[0])  # shown in page order
    if not chosen:
        return ""
    rows = [f"| {_cell(_name(fs))} | {_values(fs, notes, page.path)} |" for _, fs in chosen]
    return "\n".join(
        [
            '???+ abstract "Key facts: the numbers the notes state"',
            "",
            *("    " + line for line in ["| Fact | Value (note · line) |", "| --- | --- |", *rows]),
        ]
    )


def facts_by_page(facts: Sequence[Fact]) -> dict[str, list[Fact]]:
    """Each page's facts; a disagreement's facts on every page one of them stands on (the
    row shows all its values)."""
    by_group: dict[str, list[Fact]] = {}
    for f in facts:
        if f.group:
            by_group.setdefault(f.group, []).append(f)
    out: dict[str, list[Fact]] = {}
    for f in facts:
        mine = out.setdefault(f.page, [])
        mine.append(f)
        for other in by_group.get(f.group, ()):
            if other.page != f.page and other not in mine:
                mine.append(other)
    return out


def shown_facts(page: Page, facts: Sequence[Fact]) -> list[Fact]:
    """The facts the Key facts block of ``page`` shows (for checks of what the site shows)."""
    return [f for _, fs in _chosen(page, facts) for f in fs]


def _name(fs: list[Fact]) -> str:
    """A row's fact phrase: the one a limit word names, else the first."""
    return next(
        (f.fact for f in fs if _STRONG.search(f.fact) and not _WEAK_PHRASE.search(f.fact)),
        fs[0].fact,
    )


def exam_tips_block(page: Page, tips: Sequence[Tip], notes: NoteIndex) -> str:
    """The page's exam tips, each with its mark ("" when none), tips already standing under
    its Exam tips subtopic left there."""
    rows = [
        f"    - {_cell(t.text)} "
        f"({notes.link(t.file, page.path, f' · {t.first}', line_anchor(t.part))})"
        for t in tips
        if t.page == page.id and t.part.topic != EXAM_TIPS
    ]
    if not rows:
        return ""
    return "\n".join(['???+ tip "Exam tips from the notes"', "", *rows])


def tips_page(site: Site, tips: Sequence[Tip], notes: NoteIndex, path: str) -> str:
    """Every exam tip of every note, by service (the ``<!-- studysite:exam-tips -->`` marker)."""
    by_page: dict[str, list[Tip]] = {}
    for t in tips:
        by_page.setdefault(t.page, []).append(t)
    out: list[str] = []
    for page in site.pages.values():
        if page.id not in by_page:
            continue
        link = relative(path, page.path)
        out += [f"### [{_cell(page.title)}]({link}) {{ data-search-exclude }}", ""]
        for t in by_page[page.id]:
            mark = notes.link(t.file, path, f" · {t.first}", line_anchor(t.part))
            out.append(f"- {_cell(t.text)} ({mark})")
        out.append("")
    return "\n".join(out).rstrip() + "\n" if out else "*No note marks an exam tip yet.*\n"


def numbers_page(site: Site, facts: Sequence[Fact], notes: NoteIndex, path: str) -> str:
    """Every key fact of every service, by category and service, disagreements first, with a
    filter box (``docs/assets/studysite.js`` filters the rows as you type, offline too)."""
    out = [
        "---",
        'title: "Numbers to know"',
        "hide: [toc]",
        "---",
        "",
        "# Numbers to know",
        "",
        "Every limit, size, duration and price the notes state, service by service, each with "
        "the note and line it comes from. Where notes disagree, every value is shown.",
        "",
        '<input type="search" class="ss-filter" data-ss-filter="numbers" '
        'placeholder="Filter: a service, a fact or a number" aria-label="Filter the numbers">',
        "",
    ]
    pages = {p.id: p for p in site.pages.values()}

    def row(page_id: str, fs: list[Fact]) -> str:
        service = f"[{_cell(pages[page_id].title)}]({relative(path, pages[page_id].path)})"
        return f"| {service} | {_cell(_name(fs))} | {_values(fs, notes, path)} |"

    header = ["| Service | Fact | Value (note · line) |", "| --- | --- | --- |"]
    every = _rows(facts, lambda f: f.page in pages)
    disputed = [
        row(next(f.page for f in fs if f.page in pages), fs)
        for key, fs in every.items()
        if key.startswith("!")
    ]
    if disputed:
        out += ["## Notes disagree", "", *header, *disputed, ""]
    for category in site.catalog.categories:
        ids = [
            p
            for p in pages
            if p in site.catalog.entries and site.catalog.category_of(p) == category
        ]
        rows = [row(pid, fs) for pid in ids for fs in _rows(facts, _on_page(pid)).values()]
        if rows:
            out += [f"## {_cell(category.name)}", "", *header, *rows, ""]
    return "\n".join(out).rstrip() + "\n"
