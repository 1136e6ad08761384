"""Key facts at the top of a service page: the numbers the notes state, disagreements shown.

From :func:`studysite.facts.extract_facts`: at most :data:`MAX_FACTS` rows, the most
exam-relevant first (named by a limit word, stated by several notes, or disputed). A fact
stated by several notes with one value is one row with each note's mark; where notes
disagree, the row says so and shows every value beside its note. The notes' order decides
nothing: no value is taken to be the newer one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

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


def key_facts(page: Page, facts: Sequence[Fact], notes: NoteIndex) -> str:
    """The Key facts block of ``page`` ("" when its notes state none worth listing)."""
    groups: dict[str, list[Fact]] = {}
    for f in facts:
        if f.page != page.id or not worth_showing(f):
            continue
        groups.setdefault(phrase_key(f.fact), []).append(f)
    if not groups:
        return ""

    def score(item: tuple[str, list[Fact]]) -> tuple[int, int]:
        key, fs = item
        notes_count = len({f.file for f in fs})
        disputed = len({f.normalised for f in fs}) > 1 and notes_count > 1
        return (-(notes_count + 2 * disputed), order[key])

    order = {key: i for i, key in enumerate(groups)}
    chosen = sorted(groups.items(), key=score)[:MAX_FACTS]
    chosen.sort(key=lambda item: order[item[0]])
    rows = []
    for _, fs in chosen:
        by_value: dict[tuple[float, ...], list[Fact]] = {}
        for f in fs:
            by_value.setdefault(f.normalised, []).append(f)
        disputed = len(by_value) > 1 and len({f.file for f in fs}) > 1
        values = []
        for same in by_value.values():
            marks = ", ".join(
                dict.fromkeys(
                    notes.link(f.file, page.path, f" · {f.line}", line_anchor(f.part)) for f in same
                )
            )
            values.append(f"{_cell(same[0].value)} ({marks})")
        mark = " **notes disagree**" if disputed else ""
        rows.append(f"| {_cell(fs[0].fact)} | {'; '.join(values)}{mark} |")
    return "\n".join(
        [
            '???+ abstract "Key facts: the numbers the notes state"',
            "",
            *("    " + line for line in ["| Fact | Value (note · line) |", "| --- | --- |", *rows]),
        ]
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
        by_value: dict[tuple[float, ...], list[Fact]] = {}
        for f in fs:
            by_value.setdefault(f.normalised, []).append(f)
        values = "; ".join(
            f"{_cell(same[0].value)} ("
            + ", ".join(
                dict.fromkeys(
                    notes.link(f.file, path, f" · {f.line}", line_anchor(f.part)) for f in same
                )
            )
            + ")"
            for same in by_value.values()
        )
        service = f"[{_cell(pages[page_id].title)}]({relative(path, pages[page_id].path)})"
        return f"| {service} | {_cell(fs[0].fact)} | {values} |"

    grouped: dict[str, dict[str, list[Fact]]] = {}
    for f in facts:
        if f.page in pages and worth_showing(f):
            grouped.setdefault(f.page, {}).setdefault(phrase_key(f.fact), []).append(f)
    header = ["| Service | Fact | Value (note · line) |", "| --- | --- | --- |"]
    disputed = [
        row(pid, fs)
        for pid, by_key in grouped.items()
        for fs in by_key.values()
        if len({f.normalised for f in fs}) > 1 and len({f.file for f in fs}) > 1
    ]
    if disputed:
        out += ["## Notes disagree", "", *header, *disputed, ""]
    for category in site.catalog.categories:
        ids = [pid for pid in grouped if site.catalog.category_of(pid) == category and pid in pages]
        if not ids:
            continue
        out += [f"## {_cell(category.name)}", "", *header]
        out += [row(pid, fs) for pid in ids for fs in grouped[pid].values()]
        out.append("")
    return "\n".join(out).rstrip() + "\n"
