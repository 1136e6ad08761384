"""The cards in the site: the Test yourself pages, the cards script the trainer loads, the
Anki export, and a "Test yourself on this page" link on every service page with cards.

The trainer (``docs/assets/trainer.js``) finds ``<div class="ss-trainer">`` on a Test
yourself page and loads :data:`SCRIPT` from beside itself: the card data is in no page, so
search does not index it, and only Test yourself pages load it.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from typing import Any

from studysite.cards.make import KINDS, Card
from studysite.model import Category, NavItem, Site, SiteOutput, relative
from studysite.render.markdown import cell_text
from studysite.render.sources import NoteIndex

FOLDER = "test-yourself"
INDEX = f"{FOLDER}/index.md"
SCRIPT = "assets/cards.js"
TSV = "assets/cards.tsv"
TITLE = "Test yourself"
LINK_TEXT = "Test yourself on this page"
# studysite.site.NUMBERS, always generated: the trainer reads the site's URL style from its link.
_NUMBERS = "numbers-to-know.md"

_KIND_NAMES = {
    "fact": "numbers",
    "comparison": "comparisons",
    "question": "practice questions",
    "tip": "exam tips",
}


def category_of(site: Site, card: Card) -> Category | None:
    """The navigation category of the page a card is about."""
    if card.page not in site.catalog.entries:
        return None
    return site.catalog.category_of(card.page)


def category_page(category: Category) -> str:
    """Docs path of a category's Test yourself page."""
    return f"{FOLDER}/{category.slug}.md"


def card_data(out: SiteOutput, cards: Sequence[Card]) -> list[dict[str, Any]]:
    """What the trainer gets per card: the card and links to its note line and page
    (docs paths from the site root; the trainer turns them into URLs)."""
    site = out.site
    index = NoteIndex(site.notes)
    part_at: dict[tuple[str, int], int] = {}
    for note in site.notes:
        for part in note.parts:
            for no in part.line_numbers:
                part_at[(note.file, no)] = part.first_line
    data = []
    for c in cards:
        first = part_at.get((c.file, c.line), c.line)
        page = site.pages[c.page]
        rendered = out.rendered.get(c.page)
        anchor = rendered.line_anchors.get((c.file, first), "") if rendered else ""
        category = category_of(site, c)
        data.append(
            {
                "id": c.id,
                "kind": c.kind,
                "clue": c.clue,
                "answer": c.answer,
                "choices": list(c.choices),
                "detail": c.detail,
                "source": f"{index[c.file].short} · {c.line}",
                "note": f"{index[c.file].path}#l{first}",
                "page": c.page,
                "title": page.title,
                "where": page.path + (f"#{anchor}" if anchor else ""),
                "category": category.slug if category else "",
                "services": list(c.services),
            }
        )
    return data


def cards_script(out: SiteOutput, cards: Sequence[Card]) -> bytes:
    """``assets/cards.js``: ``window.STUDYSITE_CARDS = [...]`` (ASCII JSON, one card a line)."""
    rows = ",\n".join(json.dumps(d, ensure_ascii=True) for d in card_data(out, cards))
    return f"window.STUDYSITE_CARDS = [\n{rows}\n];\n".encode()


def _field(text: str) -> str:
    # Anki reads fields as HTML: markup is escaped, a line break is <br>, a tab a space.
    escaped = html.escape(text, quote=False).replace("\t", " ")
    return escaped.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>")


def anki_tsv(out: SiteOutput, cards: Sequence[Card]) -> bytes:
    """Every card as a tab-separated file Anki imports: front, back, source, tags.

    The header lines (``#separator:tab`` ...) tell Anki the format; fields are HTML, so no
    field holds a raw tab or line break. Tags: ``studysite``, the kind, each service's id.
    """
    index = NoteIndex(out.site.notes)
    lines = ["#separator:tab", "#html:true", "#columns:Front\tBack\tSource\tTags", "#tags column:4"]
    for c in cards:
        front = _field(c.clue)
        if c.choices:
            front += "<br>" + "<br>".join(_field(choice) for choice in c.choices)
        back = _field(c.answer) + (f"<br><br>{_field(c.detail)}" if c.detail else "")
        source = _field(f"{index[c.file].short} · {c.line} ({index[c.file].title})")
        tags = " ".join(dict.fromkeys(["studysite", f"studysite::{c.kind}", *c.services]))
        lines.append("\t".join((front, back, source, tags)))
    return ("\n".join(lines) + "\n").encode("utf-8")


def _counts(cards: Sequence[Card]) -> str:
    by_kind = {k: sum(1 for c in cards if c.kind == k) for k in KINDS}
    kinds = ", ".join(f"{n} from {_KIND_NAMES[k]}" for k, n in by_kind.items() if n)
    return f"{len(cards)} cards ({kinds})"


def trainer_page(
    path: str, title: str, scope: str, cards: Sequence[Card], others: Sequence[tuple[str, str]]
) -> str:
    """A Test yourself page: what it is, the keys, the Anki link, the trainer's box.

    ``scope`` is ``all`` or a category slug (the trainer's ``data-ss-cards``); ``others``
    lists (title, docs path) of the category pages, shown on the page of every card.
    """
    out = [
        "---",
        f"title: {json.dumps(title)}",
        "hide: [toc]",
        # The cards are questions about pages search already finds: keep them out of it.
        "search: {exclude: true}",
        "---",
        "",
        f"# {cell_text(title)}",
        "",
        f"{_counts(cards)} from the notes' numbers (the ones in "
        f"[Numbers to know]({relative(path, _NUMBERS)}){{ .ss-trainer-root }}), comparison "
        "tables, practice questions and exam tips. Think of the answer, show it, say whether "
        "you knew it: the cards you knew come back days later, the others this round "
        "(five Leitner boxes). Your progress stays in this browser.",
        "",
        f'<div class="ss-trainer" data-ss-cards="{html.escape(scope, quote=True)}">',
        '<p class="ss-trainer-wait">The cards need JavaScript to show.</p>',
        "</div>",
        "",
        "Keys: ++space++ show the answer, ++1++ or ++j++ knew it, ++2++ or ++k++ didn't.",
        "",
        f"[Download every card for Anki (TSV)]({relative(path, TSV)}): in Anki, "
        "*File › Import*; front, back, source and tags by service.",
    ]
    if scope != "all":
        out += ["", f"Every category's cards: [{TITLE}]({relative(path, INDEX)})."]
    elif others:
        out += ["", "## By category", ""]
        out += [f"- [{cell_text(t)}]({relative(path, p)})" for t, p in others]
    return "\n".join(out) + "\n"


def _insert_link(markdown: str, link: str) -> str:
    """``link`` after the page's summary line (else after its title)."""
    lines = markdown.split("\n")
    at = next((i for i, ln in enumerate(lines) if ln.startswith('<p class="ss-summary"')), None)
    if at is None:
        at = next((i for i, ln in enumerate(lines) if ln.startswith("# ")), None)
    if at is None:
        return markdown.rstrip("\n") + "\n\n" + link + "\n"
    return "\n".join([*lines[: at + 1], "", link, *lines[at + 1 :]])


def add_cards(out: SiteOutput, cards: Sequence[Card]) -> None:
    """Add the Test yourself pages, the script, the Anki file, the nav entry and the page
    links to ``out`` (in place: its page, asset and nav containers)."""
    if not cards:
        return
    site = out.site
    by_category: dict[str, list[Card]] = {}
    for c in cards:
        category = category_of(site, c)
        if category is not None:
            by_category.setdefault(category.slug, []).append(c)
    categories = [c for c in site.catalog.categories if c.slug in by_category]
    listed = [
        (f"{cat.name} ({len(by_category[cat.slug])})", category_page(cat)) for cat in categories
    ]
    out.pages[INDEX] = trainer_page(INDEX, TITLE, "all", cards, listed)
    for cat in categories:
        path = category_page(cat)
        out.pages[path] = trainer_page(
            path, f"{TITLE}: {cat.name}", cat.slug, by_category[cat.slug], ()
        )
    out.assets[SCRIPT] = cards_script(out, cards)
    out.assets[TSV] = anki_tsv(out, cards)
    per_page: dict[str, int] = {}
    for c in cards:
        for pid in c.services or (c.page,):
            per_page[pid] = per_page.get(pid, 0) + 1
    for pid, n in per_page.items():
        page = site.pages.get(pid)
        if page is None or page.path not in out.pages:
            continue
        href = f"{relative(page.path, INDEX)}?page={pid}"
        link = (
            f'<p class="ss-test-link" data-search-exclude markdown>'
            f"[{LINK_TEXT}]({href}) ({n} cards)</p>"
        )
        out.pages[page.path] = _insert_link(out.pages[page.path], link)
    section: list[NavItem] = [INDEX]
    section += [{cat.name: category_page(cat)} for cat in categories]
    _add_nav(out.nav, section)


def _add_nav(nav: list[NavItem], section: list[NavItem]) -> None:
    """Test yourself in the Study section, after its generated pages (Numbers to know)."""
    entry: NavItem = {TITLE: section}
    for item in nav:
        if isinstance(item, dict) and isinstance(item.get("Study"), list):
            study = item["Study"]
            assert isinstance(study, list)
            study.insert(1 if study else 0, entry)
            return
    nav.append({"Study": [entry]})
