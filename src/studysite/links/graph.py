"""The site's link graph: backlinks ("Mentioned in"), co-mentions ("Related services") and
the figures ``studysite report`` prints."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from studysite.links.place import Link, Linker, PageLinks, resolve_href
from studysite.model import relative

MENTIONED_IN = "Mentioned in"
RELATED = "Related services"
MAX_BACKLINKS = 25
MAX_RELATED = 8
PAGE_KINDS = ("service", "feature", "topic")

_TITLE = re.compile(r"^title:\s*(.+?)\s*$", re.MULTILINE)
_H1 = re.compile(r"^#\s+(.+?)\s*$", re.MULTILINE)


def page_title(markdown: str) -> str | None:
    """A page's title: its front matter ``title:``, else its first ``#`` heading."""
    if markdown.startswith("---"):
        end = markdown.find("\n---", 3)
        m = _TITLE.search(markdown, 0, end if end > 0 else 0)
        if m:
            value = m.group(1)
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1].replace('\\"', '"').replace("\\\\", "\\")
            return value
    m = _H1.search(markdown)
    if m:
        text = re.sub(r"\s*\{[^{}]*\}\s*$", "", m.group(1))
        return re.sub(r"\\(.)", r"\1", text)
    return None


def _escape(text: str) -> str:
    return re.sub(r"([\\`*_\[\]<>|{}])", r"\\\1", re.sub(r"\s+", " ", text).strip())


@dataclass
class LinkGraph:
    """Who links to whom, after :func:`studysite.links.link_site`.

    ``page_ids`` maps the docs path of each catalog page to its entry id, ``kinds`` each
    entry id to its kind, ``titles`` every page path to its title; ``links`` holds the
    mention links made on each page (paths of pages without any are still keys) and
    ``other_links`` the catalog pages each page links to otherwise: links the renderer wrote
    and the appended "Mentioned in" / "Related services" lists.
    """

    page_ids: dict[str, str]
    kinds: dict[str, str]
    titles: dict[str, str]
    links: dict[str, list[Link]] = field(default_factory=dict)
    other_links: dict[str, Counter[str]] = field(default_factory=dict)
    sections: dict[str, int] = field(default_factory=dict)
    linker: Linker | None = field(default=None, repr=False)
    _inbound: dict[str, Counter[str]] | None = field(default=None, repr=False)
    _co: dict[str, Counter[str]] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.path_of: dict[str, str] = {}
        for path, eid in self.page_ids.items():
            self.path_of.setdefault(eid, path)

    def add(self, path: str, result: PageLinks) -> None:
        """Record the links placed on the page at ``path`` and those it already had."""
        self.links[path] = list(result.links)
        self.sections[path] = result.sections
        for href in result.hrefs:
            self._other(path, resolve_href(path, href))
        self._inbound = self._co = None

    def _other(self, src: str, dst: str | None) -> None:
        # Only catalog pages count as sources: category indexes list every page anyway.
        if dst is not None and dst != src and dst in self.page_ids and src in self.page_ids:
            self.other_links.setdefault(src, Counter())[dst] += 1

    def inbound(self, path: str) -> list[tuple[str, int]]:
        """Pages linking to ``path`` with their number of links: most first, then by title."""
        if self._inbound is None:
            self._inbound = {}
            where = self.path_of
            for src, links in self.links.items():
                for link in links:
                    dst = where.get(link.target)
                    if dst is not None and dst != src:
                        self._inbound.setdefault(dst, Counter())[src] += 1
        counts = self._inbound.get(path, Counter())
        return sorted(counts.items(), key=lambda kv: (-kv[1], self.titles.get(kv[0], kv[0])))

    def related(self, path: str, limit: int = MAX_RELATED) -> list[tuple[str, int]]:
        """Pages most often mentioned in the same section as the page at ``path``.

        A section counts once per pair; the page's own sections count its mentions of others.
        """
        if self._co is None:
            self._co = {}
            for src, links in self.links.items():
                own = self.page_ids.get(src)
                per_section: dict[int, set[str]] = {}
                for link in links:
                    per_section.setdefault(link.section, set()).add(link.target)
                for targets in per_section.values():
                    members = targets | ({own} if own in self.kinds else set())
                    for a, b in combinations(sorted(members), 2):
                        self._co.setdefault(a, Counter())[b] += 1
                        self._co.setdefault(b, Counter())[a] += 1
        eid = self.page_ids.get(path, "")
        scores = {
            self.path_of[other]: n
            for other, n in self._co.get(eid, Counter()).items()
            if other in self.path_of and self.path_of[other] != path
        }
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], self.titles.get(kv[0], kv[0])))
        return ranked[:limit]

    def link_page(self, markdown: str, path: str) -> str:
        """Link a hand-written page (docs path ``path``) like the generated ones."""
        if self.linker is None:
            return markdown
        return self.linker.link(markdown, path, tips=True).markdown

    def link_count(self, path: str) -> int:
        """Links placed on the page at ``path``."""
        return len(self.links.get(path, []))

    def entry_pages(self, kinds: tuple[str, ...] = PAGE_KINDS) -> list[str]:
        """Paths of the catalog pages of the given kinds."""
        return [p for p, e in self.page_ids.items() if self.kinds.get(e) in kinds]

    def linked_from(self, path: str) -> set[str]:
        """Catalog pages whose content links to ``path`` in any way (mention or other)."""
        out = {src for src, _ in self.inbound(path) if src in self.page_ids}
        out.update(src for src, dsts in self.other_links.items() if path in dsts)
        out.discard(path)
        return out

    def orphans(self, kinds: tuple[str, ...] = PAGE_KINDS, *, mentions: bool = False) -> list[str]:
        """Catalog pages no other catalog page links to (``mentions``: no page mentions)."""
        if mentions:
            return [p for p in self.entry_pages(kinds) if not self.inbound(p)]
        return [p for p in self.entry_pages(kinds) if not self.linked_from(p)]

    def coverage(self, kinds: tuple[str, ...] = ("service",), *, mentions: bool = False) -> float:
        """Share of the catalog pages of ``kinds`` with an inbound link (or mention link)."""
        pages = self.entry_pages(kinds)
        missing = self.orphans(kinds, mentions=mentions)
        return 1.0 if not pages else 1 - len(missing) / len(pages)

    def appendix(self, path: str, used_ids: set[str]) -> str:
        """The "Mentioned in" and "Related services" sections for a catalog page ('' if none)."""
        out: list[str] = []
        inbound = self.inbound(path)
        if inbound:
            anchor = _unique("mentioned-in", used_ids)
            # Link lists are navigation, not notes: kept out of the search index.
            out += [f"## {MENTIONED_IN} {{ #{anchor} data-search-exclude }}", ""]
            for src, n in inbound[:MAX_BACKLINKS]:
                out.append(f"- {self._ref(path, src)} · {n} link{'s' if n != 1 else ''}")
                self._other(path, src)
            if len(inbound) > MAX_BACKLINKS:
                out.append(f"- … and {len(inbound) - MAX_BACKLINKS} more pages")
            out.append("")
        related = self.related(path)
        if related:
            anchor = _unique("related-services", used_ids)
            out += [f"## {RELATED} {{ #{anchor} data-search-exclude }}", ""]
            for other, n in related:
                where = f"{n} section{'s' if n != 1 else ''}"
                out.append(f"- {self._ref(path, other)} · mentioned together in {where}")
                self._other(path, other)
            out.append("")
        return "\n".join(out)

    def _ref(self, from_path: str, to_path: str) -> str:
        title = _escape(self.titles.get(to_path) or to_path)
        return f"[{title}]({relative(from_path, to_path)})"

    def report_data(self) -> dict[str, Any]:
        """Links per page, inbound counts and pages nobody links to, as plain data."""
        pages: list[dict[str, Any]] = [
            {
                "path": path,
                "id": self.page_ids.get(path),
                "links": self.link_count(path),
                "inbound": sum(n for _, n in self.inbound(path)),
                "linked_from": len(self.linked_from(path)),
            }
            for path in sorted(self.links)
        ]
        total = sum(p["links"] for p in pages)
        return {
            "links": total,
            "pages": pages,
            "links_per_page": total / len(pages) if pages else 0.0,
            "service_pages": len(self.entry_pages(("service",))),
            "service_coverage": self.coverage(),
            "service_mention_coverage": self.coverage(mentions=True),
            "no_inbound": sorted(self.orphans()),
            "not_mentioned": sorted(self.orphans(mentions=True)),
        }

    def report_text(self) -> str:
        """The link section of ``studysite report``."""
        data = self.report_data()
        out = [
            f"links: {data['links']} mention links on {len(data['pages'])} pages "
            f"({data['links_per_page']:.1f} per page)",
            f"service pages ({data['service_pages']}): "
            f"{100 * data['service_coverage']:.1f}% linked from another page, "
            f"{100 * data['service_mention_coverage']:.1f}% mentioned (linked) by another page",
            "",
            f"{'page':<60} {'links':>5} {'in':>5} {'from':>5}",
        ]
        for p in data["pages"]:
            path, links, inbound, sources = p["path"], p["links"], p["inbound"], p["linked_from"]
            out.append(f"{path[:60]:<60} {links:>5} {inbound:>5} {sources:>5}")
        if data["no_inbound"]:
            out += ["", "Pages no other page links to:"]
            out += [f"  {path}" for path in data["no_inbound"]]
        quiet = [p for p in data["not_mentioned"] if p not in data["no_inbound"]]
        if quiet:
            out += ["", "Pages only linked from lists (no other page mentions them):"]
            out += [f"  {path}" for path in quiet]
        return "\n".join(out)


def _unique(anchor: str, used: set[str]) -> str:
    out, n = anchor, 1
    while out in used:
        n += 1
        out = f"{anchor}-{n}"
    used.add(out)
    return out
