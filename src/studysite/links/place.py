"""Placing links on one page: first mention per section, never to itself or its parents.

One pass of the alias automaton over the page with every protected character masked, so the
cost is linear in the page size whatever the number of aliases; context checks run only for
the few matches whose rule asks for them.
"""

from __future__ import annotations

import html
import posixpath
import re
from bisect import bisect_right
from dataclasses import dataclass, field

from studysite.links.abbr import tooltips
from studysite.links.protect import Layout, layout, masked
from studysite.links.rules import LinkRules, Rule
from studysite.model import relative
from studysite.routing.aliases import Match
from studysite.routing.catalog import Catalog

# "__EC2__" is bold EC2: those underscores must not glue the alias to a word (the matcher
# counts "_" as a word character, rightly inside "STANDARD_IA").
_EMPHASIS_UNDERSCORES = re.compile(r"(?<![0-9A-Za-z])_+|_+(?![0-9A-Za-z])")
# A sentence ends at . ! ? ; followed by a space, and a table cell at |.
_SENTENCE_END = re.compile(r"[.!?;](?=\s)|\|")
_WORD = re.compile(r"[A-Za-z0-9]+")  # acronyms inside a matched spelling ("Amazon SQS")
SECTION_LEVEL = 3  # H1-H3 start a section; deeper headings do not


@dataclass(frozen=True)
class Link:
    """One link placed on a page."""

    target: str  # entry id
    href: str
    anchor: str | None
    text: str
    start: int
    line: int  # 1-based line of the page
    section: int


@dataclass(frozen=True)
class Tip:
    """One acronym tooltip placed on a page: ``<abbr title>`` around ``text``."""

    start: int
    text: str
    title: str


@dataclass
class PageLinks:
    """A page after linking: its Markdown, the links made and anchors it wanted but missed."""

    markdown: str
    links: list[Link] = field(default_factory=list)
    tips: list[Tip] = field(default_factory=list)
    sections: int = 0
    hrefs: list[str] = field(default_factory=list)
    missing_anchors: set[tuple[str, str]] = field(default_factory=set)


def resolve_href(from_path: str, href: str) -> str | None:
    """The docs path a relative link on page ``from_path`` points to (None: external)."""
    target = href.split("#", 1)[0]
    if not target or re.match(r"^[A-Za-z][A-Za-z0-9+.\-]*:|^/", target):
        return None
    return posixpath.normpath(posixpath.join(posixpath.dirname(from_path), target))


class Linker:
    """Links catalog mentions in Markdown pages to the pages of a site.

    ``targets`` maps entry ids to the docs path of their page; ``ids`` maps docs paths to the
    explicit heading ids of that page (anchors are only linked when they exist there).
    """

    def __init__(
        self,
        catalog: Catalog,
        targets: dict[str, str],
        ids: dict[str, set[str]] | None = None,
        rules: LinkRules | None = None,
    ) -> None:
        self.catalog = catalog
        self.targets = targets
        self.ids = ids or {}
        self.rules = rules or LinkRules(catalog)
        self.tooltips = tooltips(catalog)

    def link(
        self, markdown: str, path: str, entry_id: str | None = None, tips: bool = False
    ) -> PageLinks:
        """Insert links into ``markdown``, the page at docs path ``path`` about ``entry_id``;
        with ``tips``, an acronym tooltip at each acronym's first mention per section too."""
        lay = layout(markdown)
        if not lay.spans:
            return PageLinks(markdown, hrefs=lay.hrefs)
        own = {entry_id, *self._ancestors(entry_id)} if entry_id else set()
        section_starts = [h.start for h in lay.headings if h.level <= SECTION_LEVEL]
        seen: set[tuple[int, str]] = set()
        tipped: set[tuple[int, str]] = set()
        result = PageLinks(markdown, sections=len(section_starts) + 1, hrefs=lay.hrefs)
        line, counted = 1, 0  # matches come in order: count line breaks incrementally
        haystack = _EMPHASIS_UNDERSCORES.sub(_blank, masked(markdown, lay.spans))
        for m in self.rules.matcher.find(haystack):
            if m.start > 0 and markdown[m.start - 1] in "!\\/":
                # "![" would make an image, "\[" a literal bracket; "aws/lambda" is a path
                continue
            if tips:
                self._tip(markdown, m, own, bisect_right(section_starts, m.start), tipped, result)
            rule = self._choose(markdown, lay, m)
            if rule is None or rule.entry in own:
                continue
            to_path = self.targets.get(rule.entry)
            if to_path is None:
                continue
            anchor = self.rules.anchor(rule.entry, m.alias.text)
            if anchor is not None and anchor not in self.ids.get(to_path, set()):
                result.missing_anchors.add((rule.entry, anchor))
                anchor = None
            if anchor is None and rule.anchor_only:
                continue
            section = bisect_right(section_starts, m.start)
            if (section, rule.entry) in seen:
                continue  # one link per target and section, to the page or to an anchor
            seen.add((section, rule.entry))
            href = relative(path, to_path) + (f"#{anchor}" if anchor else "")
            line += markdown.count("\n", counted, m.start)
            counted = m.start
            surface = markdown[m.start : m.end]
            result.links.append(Link(rule.entry, href, anchor, surface, m.start, line, section))
        result.markdown = _splice(markdown, result.links, result.tips)
        return result

    def _tip(
        self,
        text: str,
        m: Match,
        own: set[str],
        section: int,
        tipped: set[tuple[int, str]],
        result: PageLinks,
    ) -> None:
        """Tooltips for the acronyms of one matched spelling, once per section, never on
        the page's own names (nor its parents')."""
        for w in _WORD.finditer(text, m.start, m.end):
            tip = self.tooltips.get(w.group())
            if tip is None or tip[0] in own or (section, w.group()) in tipped:
                continue
            tipped.add((section, w.group()))
            result.tips.append(Tip(w.start(), w.group(), tip[1]))

    def _ancestors(self, entry_id: str) -> list[str]:
        return self.catalog.ancestors(entry_id) if entry_id in self.catalog.entries else []

    def _choose(self, text: str, lay: Layout, m: Match) -> Rule | None:
        """The first rule of the matched spelling that allows a link here, if any."""
        window: str | None = None
        heading: str | None = None
        for rule in self.rules.rules(m.alias.text):
            if not rule.entry:
                return None  # a blocker: the phrase is matched so nothing inside it links
            if rule.mode == "never":
                continue
            if rule.mode == "always" and rule.unless is None and not rule.not_heading:
                return rule
            if window is None:
                window = _sentence(text, lay, m)
                h = lay.heading_before(m.start)
                heading = h.text if h else None
            if self.rules.passes(rule, window, heading):
                return rule
        return None


def _blank(m: re.Match[str]) -> str:
    return "\x00" * len(m.group())


def _sentence(text: str, lay: Layout, m: Match) -> str:
    """The sentence (or table cell) around a match, with the match itself blanked."""
    block = lay.block_of(m.start) or (m.start, m.end)
    lo, hi = block
    before = text[lo : m.start]
    cut = 0
    for e in _SENTENCE_END.finditer(before):
        cut = e.end()
    after = _SENTENCE_END.search(text, m.end, hi)
    end = after.start() if after else hi
    return before[cut:] + " " * (m.end - m.start) + text[m.end : end]


def _splice(text: str, links: list[Link], tips: list[Tip] | None = None) -> str:
    tips = tips or []
    if not links and not tips:
        return text
    parts: list[str] = []
    pos = 0
    queue = sorted(tips, key=lambda t: t.start)
    k = 0

    def upto(end: int) -> str:
        # The text up to ``end`` with the tooltips in it.
        nonlocal pos, k
        out: list[str] = []
        while k < len(queue) and queue[k].start < end:
            t = queue[k]
            out.append(text[pos : t.start])
            out.append(f'<abbr title="{html.escape(t.title)}">{t.text}</abbr>')
            pos = t.start + len(t.text)
            k += 1
        out.append(text[pos:end])
        pos = end
        return "".join(out)

    for link in sorted(links, key=lambda k: k.start):
        parts.append(upto(link.start))
        parts.append(f"[{upto(link.start + len(link.text))}]({link.href})")
    parts.append(upto(len(text)))
    return "".join(parts)
