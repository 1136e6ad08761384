"""Cards made from what the build found in the notes: key facts, curated comparison cells,
practice questions and exam tips, each tied to the note line it comes from.

A card asks a clue and expects an answer. Two rules drop a card (:func:`drop_reason`): its
answer can be read in its clue, or its clue says too little (under :data:`MIN_WORDS` words).
A card's id hashes its kind, source and clue, so progress kept in a browser survives
rebuilds that do not change that line.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from studysite.facts import Fact, Tip, extract_facts, extract_tips
from studysite.facts.extract import phrase_key, plain
from studysite.model import UNSORTED, Diagnostic, Site, SiteOutput, strip_vendor
from studysite.model.names import short_names
from studysite.render.facts import worth_showing
from studysite.render.questions import render_question

KINDS = ("fact", "comparison", "question", "tip")
MIN_WORDS = 4
BLANK = "___"
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Card:
    """One question to ask the reader, and where in the notes its answer stands."""

    id: str
    kind: str  # one of KINDS
    clue: str
    answer: str
    choices: tuple[str, ...]
    detail: str  # shown with the answer: the note's own sentence, the explanation
    file: str
    line: int
    page: str  # the page the answer is about
    services: tuple[str, ...]  # every page the card is about (tags, the per-page filter)


@dataclass(frozen=True)
class _Draft:
    kind: str
    clue: str
    body: str  # the clue's own words (without the card's fixed wording), for the word rule
    answers: tuple[str, ...]  # what must not be readable in the clue
    answer: str
    choices: tuple[str, ...]
    detail: str
    file: str
    line: int
    page: str
    services: tuple[str, ...]


def card_id(kind: str, file: str, line: int, clue: str) -> str:
    """A short id that stays the same while the card's kind, source and clue do."""
    return hashlib.sha1(f"{kind}\n{file}\n{line}\n{clue}".encode()).hexdigest()[:12]


def drop_reason(body: str, answers: Iterable[str], clue: str | None = None) -> str | None:
    """Why a card is not worth asking, or ``None``: an empty answer, an answer readable in
    the clue (case-insensitive), or a clue of fewer than :data:`MIN_WORDS` words."""
    answers = [a.strip() for a in answers]
    if not answers or not all(answers):
        return "no answer"
    shown = (clue if clue is not None else body).casefold()
    if any(a.casefold() in shown for a in answers):
        return "answer in clue"
    if len(_WORD.findall(body)) < MIN_WORDS:
        return f"clue under {MIN_WORDS} words"
    return None


def names_of(site: Site, page_id: str, *extra: str) -> list[str]:
    """Every name a page goes by (its title, the catalog name with and without the vendor,
    aliases), longest first: the words blanked out of a clue whose answer is that page."""
    names = {*extra}
    page = site.pages.get(page_id)
    if page is not None:
        names.add(page.title)
        if page.entry is not None:
            names |= {page.entry.name, strip_vendor(page.entry.name), *page.entry.aliases}
    names = {n.strip() for n in names if len(n.strip()) >= 2}
    return sorted(names, key=lambda n: (-len(n), n))


def blank_names(text: str, names: Sequence[str]) -> str:
    """``text`` with every whole-word occurrence of ``names`` (and an ``Amazon``/``AWS``
    before it) replaced by :data:`BLANK`."""
    if not names:
        return text
    return _names_pattern(tuple(names)).sub(BLANK, text)


@lru_cache(maxsize=1024)
def _names_pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    # A page's cards share its names: one compile per page, not per card (re's own cache
    # holds 512 patterns and a site has more).
    alternatives = "|".join(re.escape(n) for n in names)
    return re.compile(rf"(?<!\w)(?:(?:Amazon|AWS)\s+)?(?:{alternatives})(?!\w)", re.IGNORECASE)


def _fact_cards(
    site: Site, facts: Sequence[Fact], labels: dict[str, str], dropped: Counter[str]
) -> list[_Draft]:
    groups: dict[tuple[str, str], list[Fact]] = {}
    for f in facts:
        if f.page in site.pages and f.page != UNSORTED and worth_showing(f):
            groups.setdefault((f.page, phrase_key(f.fact)), []).append(f)
    out = []
    for (page_id, _), fs in groups.items():
        phrase = plain(fs[0].fact)
        if re.search(r"\d", phrase) or phrase.count("(") != phrase.count(")"):
            # "000 and throughput", "up to 16 TB", "minimum) delay": a phrase cut from its
            # sentence asks something else than the number answers.
            dropped["fact phrase cut from its sentence"] += 1
            continue
        title = site.pages[page_id].title
        by_value: dict[tuple[float, ...], list[Fact]] = {}
        for f in fs:
            by_value.setdefault(f.normalised, []).append(f)
        disputed = len(by_value) > 1 and len({f.file for f in fs}) > 1
        values = tuple(same[0].value for same in by_value.values())
        if disputed:
            answer = "The notes disagree: " + "; ".join(
                f"{same[0].value} ({labels[same[0].file]} · {same[0].line})"
                for same in by_value.values()
            )
        else:
            answer = " or ".join(values)
        first = fs[0]
        clue = f"{title}: {phrase}?"
        detail = "\n".join(dict.fromkeys(plain(f.context) for f in fs if f.context))
        out.append(
            _Draft(
                "fact",
                clue,
                clue,
                values,
                answer,
                (),
                detail,
                first.file,
                first.line,
                page_id,
                (page_id,),
            )
        )
    return out


def _comparison_cards(out: SiteOutput) -> list[_Draft]:
    site, comps = out.site, out.comparisons
    if comps is None:
        return []
    drafts = []
    for table in comps.tables:
        labels = {
            i.id: i.label or (site.pages[i.page].title if i.page in site.pages else i.id)
            for i in table.items
        }
        pages = {i.id: i.page for i in table.items}
        services = tuple(dict.fromkeys(p for p in pages.values() if p in site.pages))
        for row, cells in zip(table.comparison.rows, table.cells, strict=True):
            for item_id, cell in cells.items():
                if cell.status != "curated" or pages.get(item_id) not in site.pages:
                    continue
                names = names_of(site, pages[item_id], labels[item_id])
                for quote in cell.quotes:
                    words = plain(quote.text)
                    blanked = blank_names(words, names)
                    clue = f"{row.dimension}: which one is it? “{blanked}”"
                    drafts.append(
                        _Draft(
                            "comparison",
                            clue,
                            blanked,
                            (labels[item_id],),
                            labels[item_id],
                            tuple(labels.values()),
                            words,
                            quote.file,
                            quote.line,
                            pages[item_id],
                            services,
                        )
                    )
    return drafts


def _question_cards(site: Site) -> list[_Draft]:
    drafts = []
    for note in site.notes:
        for part in note.parts:
            if part.kind != "question":
                continue
            line = part.title_line or part.first_line
            _, q = render_question(list(part.lines), part.file, line)
            named = dict(q.choices)
            right = [named[k] for k in q.answer if k in named]
            if not q.answer or len(right) != len(q.answer):
                continue
            answer = "; ".join(f"{k}. {named[k]}" for k in q.answer)
            drafts.append(
                _Draft(
                    "question",
                    plain(q.text),
                    plain(q.text),
                    tuple(right),
                    answer,
                    tuple(f"{k}. {t}" for k, t in q.choices),
                    q.explanation,
                    part.file,
                    q.line,
                    part.page,
                    (part.page,) if part.page != UNSORTED else (),
                )
            )
    return drafts


def _tip_cards(site: Site, tips: Sequence[Tip], dropped: Counter[str]) -> list[_Draft]:
    drafts = []
    for t in tips:
        if t.page not in site.pages or t.page == UNSORTED:
            continue
        title = site.pages[t.page].title
        text = plain(t.text)
        blanked = blank_names(text, names_of(site, t.page))
        if BLANK not in blanked:
            dropped["tip not naming its service"] += 1
            continue
        drafts.append(
            _Draft(
                "tip",
                f"Which service? {blanked}",
                blanked,
                (title, strip_vendor(title)),
                title,
                (),
                text,
                t.file,
                t.first,
                t.page,
                (t.page,),
            )
        )
    return drafts


def make_cards(
    out: SiteOutput, facts: Sequence[Fact] | None = None, tips: Sequence[Tip] | None = None
) -> tuple[list[Card], list[Diagnostic]]:
    """Every card worth asking from one build, in a stable order (facts, comparisons,
    questions, tips), and one ``info`` diagnostic counting the cards dropped and why.

    ``facts`` and ``tips`` default to extracting them again from ``out.site``.
    """
    site = out.site
    facts = extract_facts(site) if facts is None else facts
    tips = extract_tips(site) if tips is None else tips
    labels = short_names([n.file for n in site.notes])
    dropped: Counter[str] = Counter()
    drafts = (
        _fact_cards(site, facts, labels, dropped)
        + _comparison_cards(out)
        + _question_cards(site)
        + _tip_cards(site, tips, dropped)
    )
    # A clue two cards share with different answers cannot be answered: neither is kept.
    answers_of: dict[str, set[str]] = {}
    for d in drafts:
        answers_of.setdefault(d.clue.casefold(), set()).add(d.answer)
    cards: list[Card] = []
    seen: set[str] = set()
    for d in drafts:
        key = d.clue.casefold()
        why = drop_reason(d.body, d.answers, d.clue)
        if why is None and len(answers_of[key]) > 1:
            why = "clue with several answers"
        if why is None and key in seen:
            why = "same card twice"
        if why is not None:
            dropped[why] += 1
            continue
        seen.add(key)
        cards.append(
            Card(
                card_id(d.kind, d.file, d.line, d.clue),
                d.kind,
                d.clue,
                d.answer,
                d.choices,
                d.detail,
                d.file,
                d.line,
                d.page,
                d.services,
            )
        )
    diagnostics = []
    if dropped:
        reasons = ", ".join(f"{why}: {n}" for why, n in sorted(dropped.items()))
        diagnostics.append(
            Diagnostic(
                "cards",
                0,
                f"{len(cards)} cards made, {sum(dropped.values())} dropped ({reasons})",
                "info",
            )
        )
    return cards, diagnostics
