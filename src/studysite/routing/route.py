"""Route every section and stray block of a note to one catalog page.

The decision for a section, in order:

1. an override rule for its title line or heading text;
2. its title: the catalog aliases it names (longest match first). A title that lists several
   entries ("RDS + Aurora + ElastiCache", "SQS, SNS & Kinesis") is a *container*: its own
   blocks go to whichever listed entry they mention, its children route themselves. An
   "X vs Y" title stays with the page it sits in when that page is one of X and Y;
3. no name in the title ("Security", "Hands on", "Intro"): it inherits its context, which is
   the parent's page, or the previous sibling's page when that sibling went to a feature of
   the parent's page (a `__Cluster__` after `__Placement Groups__`), or when the parent is no
   page at all (Notion toggles and plain-text titles carry no depth, so order is the context);
4. where nothing above gives a page, each block goes to the entry it mentions most, else to
   the page of the block before it, else to the visible "Unsorted" page.

Nothing is dropped: every title and body line ends up in exactly one :class:`Part`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from studysite.model import Line, NoteTree, Section
from studysite.readers.common import block_tokens
from studysite.readers.titles import routing_title
from studysite.routing.aliases import AliasMatcher
from studysite.routing.catalog import Catalog
from studysite.routing.overrides import Rule

UNSORTED = "unsorted"

_LISTY = re.compile(r"\s(?:\+|&|and|/)\s|,|\+")
_VERSUS = re.compile(r"\bvs\.?\b|\bversus\b", re.IGNORECASE)


@dataclass
class Part:
    """A piece of one note placed on one page."""

    page: str
    file: str
    title: str
    title_line: int | None
    lines: list[Line]
    how: str
    section_id: int
    parent_ids: tuple[int, ...] = ()
    depth: int = 0

    @property
    def first_line(self) -> int:
        """The first source line of this part (title or body)."""
        nos = [self.title_line] if self.title_line else []
        nos += [ln.no for ln in self.lines if ln.no and ln.text.strip()]
        return min(nos) if nos else 0

    @property
    def line_numbers(self) -> list[int]:
        """Every non-blank source line this part renders."""
        nos = [self.title_line] if self.title_line else []
        nos += [ln.no for ln in self.lines if ln.no and ln.text.strip()]
        return sorted(set(nos))


@dataclass(frozen=True)
class Container:
    """A title that names several entries: its blocks are shared among them."""

    named: tuple[str, ...] = ()


Route = str | Container | None


@dataclass
class Router:
    """Routes the sections of notes with one catalog, matcher and override set."""

    catalog: Catalog
    matcher: AliasMatcher
    block_matcher: AliasMatcher
    rules: list[Rule] = field(default_factory=list)

    # -- titles -------------------------------------------------------------------------
    def title_entries(self, title: str, *, ambiguous: bool = True) -> list[str]:
        """Page entries a title names, in order of appearance, without repeats.

        With ``ambiguous=False`` aliases the catalog marks context-only ("Health Checks",
        "On Demand") are ignored: they may name a page, but not switch away from one.
        """
        seen: list[str] = []
        title = routing_title(title)
        alnum = sum(c.isalnum() for c in title) or 1
        for m in self.matcher.find(title, mode="title"):
            entry = self.catalog.entries[m.entry]
            whole = sum(c.isalnum() for c in title[m.start : m.end]) / alnum >= 0.8
            # An ambiguous word that is the whole title ("Glue", "Config") is the service;
            # an ambiguous phrase ("Health Checks") is still a subsection of the context.
            if (
                not ambiguous
                and m.alias.policy != "link"
                and not (whole and m.alias.text.isalnum())
            ):
                continue
            if entry.kind != "mention" and m.entry not in seen:
                seen.append(m.entry)
        return seen

    def coverage(self, title: str) -> float:
        """Share of the title's letters and digits covered by alias matches."""
        title = routing_title(title)
        alnum = sum(c.isalnum() for c in title)
        if not alnum:
            return 0.0
        covered = sum(
            sum(c.isalnum() for c in title[m.start : m.end])
            for m in self.matcher.find(title, mode="title")
        )
        return covered / alnum

    def known_title(self, text: str) -> bool:
        """Whether a whole line names catalog entries (and little else)."""
        t = text.strip().rstrip(":").strip()
        if not t or len(t) > 90 or t.endswith((".", "?", "!")):
            return False
        t = re.sub(r"^(Amazon|AWS)\s+", "", t)
        head = re.split(r"\s[–—-]\s", t, maxsplit=1)[0]
        return self.coverage(t) >= 0.6 or (head != t and self.coverage(head) >= 0.8)

    # -- decisions ----------------------------------------------------------------------
    def _context(self, parent: Route, prev: Route, flat: bool = False) -> Route:
        if prev == UNSORTED:
            prev = None
        if flat and isinstance(prev, str):
            return prev
        if isinstance(parent, str):
            if isinstance(prev, str) and self.catalog.is_within(prev, parent):
                return prev
            return parent
        # A heading of its own that names nothing ("## Thoughts on life" after "## SQS") is
        # not more of the previous page: only depth-less (flat) titles follow their sibling.
        return parent

    def decide(self, section: Section, parent: Route, prev: Route) -> tuple[Route, str]:
        """The route of ``section`` given its parent's and previous sibling's routes."""
        for rule in self.rules:
            if rule.action == "page" and rule.covers(section.title_line, section.title):
                return rule.page, "override"
        # Order is context only for leaves: a titled group of sections that names nothing
        # ("# Storage" over S3, EBS, EFS) is a category, not more of the previous page.
        ctx = self._context(parent, prev if not section.children else None, section.flat)
        for rule in self.rules:
            if rule.action == "context" and rule.covers(section.title_line, section.title):
                ctx = rule.page
        for near in (ctx, prev if section.flat else None):
            if (
                isinstance(near, str)
                and near != UNSORTED
                and self._is_section_of(section.title, near)
            ):
                # "Storage Classes" after EFS is EFS's section of that name, not the S3 page.
                return near, "title"
        if isinstance(ctx, str):
            # A title naming the current page or one of its features stays in that family:
            # "SQS + ASG" under SQS, "IAM Roles for ECS tasks" under ECS, "EC2 Spot
            # Instances" under EC2 (goes to the purchasing-options feature).
            inside = [
                e for e in self.title_entries(section.title) if self.catalog.is_within(e, ctx)
            ]
            if inside:
                specific = [e for e in inside if e != ctx]
                return (specific[0] if specific else ctx), "title"
        named = self.title_entries(section.title, ambiguous=not isinstance(ctx, str))
        if not named:
            return ctx, "inherited"
        if len(named) >= 2 and _VERSUS.search(section.title):
            return named[0], "title"
        if len(named) >= 2 and _LISTY.search(section.title):
            return Container(tuple(named)), "container"
        # "Serverless: Lambda" is about Lambda: a service beats a topic named beside it.
        q = next((e for e in named if self.catalog.entries[e].kind != "topic"), named[0])
        if (
            isinstance(ctx, str)
            and self.catalog.entries[q].kind == "topic"
            and self.catalog.entries[ctx].kind != "topic"
            and (self.coverage(section.title) < 0.8 or len(section.title.split()) <= 2)
        ):
            # A topic word inside a service section ("Encryption" under RDS) is a
            # subsection of that service unless the title is the topic itself.
            return ctx, "inherited"
        return q, "title"

    def _is_section_of(self, title: str, entry_id: str) -> bool:
        """Whether ``title`` is one of the catalog's section anchors of ``entry_id``."""
        low = re.sub(r"\s+", " ", routing_title(title).replace("-", " ")).strip().lower()
        anchors = self.catalog.entries[entry_id].anchors
        return any(
            low == anchor.replace("-", " ") or low in (p.lower() for p in phrases)
            for anchor, phrases in anchors.items()
        )

    def mentions(self, block: list[Line], named: tuple[str, ...]) -> Counter[str]:
        """How often each page entry is named in ``block`` (only ``named`` ones if given).

        The counter keeps first-mention order, which breaks ties.
        """
        counts: Counter[str] = Counter()
        for line in block:
            for m in self.block_matcher.find(line.text):
                entry = self.catalog.entries[m.entry]
                if entry.kind == "mention" or (named and m.entry not in named):
                    continue
                counts[m.entry] += 1
        return counts

    def family(self, entry_id: str) -> set[str]:
        """The entry, its ancestors and its descendants: mentions of any count for it."""
        out = {entry_id, *self.catalog.ancestors(entry_id)}
        out.update(e for e in self.catalog.entries if entry_id in self.catalog.ancestors(e))
        return out

    def block_route(self, block: list[Line], named: tuple[str, ...]) -> str | None:
        """The entry a block mentions most (among ``named`` when given), first one on ties."""
        counts = self.mentions(block, named)
        if not counts:
            return None
        best = max(counts.values())
        return next(e for e, n in counts.items() if n == best)


def _body_span(body: list[Line]) -> tuple[int, int]:
    nos = [ln.no for ln in body if ln.no]
    return (min(nos), max(nos)) if nos else (0, -1)


def split_blocks(body: list[Line]) -> list[list[Line]]:
    """Cut a body into top-level blocks (a list item is a block) without breaking code.

    Blank lines stay with the block before them; leading blank lines with the first block.
    """
    if not body:
        return []
    texts = [ln.text for ln in body]
    starts = {0}
    for tok in block_tokens(texts):
        if tok.map is None:
            continue
        if (tok.level == 0 and tok.nesting in (0, 1)) or (
            tok.level == 1 and tok.type == "list_item_open"
        ):
            starts.add(tok.map[0])
    cuts = sorted(s for s in starts if 0 <= s < len(body))
    blocks = [body[a:b] for a, b in zip(cuts, [*cuts[1:], len(body)], strict=True)]
    return [b for b in blocks if b]


def route_tree(tree: NoteTree, router: Router, context: str | None = None) -> list[Part]:
    """Route one note: a list of parts in document order.

    ``context`` is the page the note as a whole is about (its title, file or folder name):
    its sections that name nothing inherit it.
    """
    parts: list[Part] = []
    pending: list[Part] = []  # titles whose page is known only once content follows

    def resolve(page: str) -> None:
        for p in pending:
            p.page = page
        pending.clear()

    def rule_page(line: int) -> str | None:
        for rule in router.rules:
            if rule.action == "page" and rule.heading is None and rule.covers(line):
                return rule.page
        return None

    def walk(section: Section, parent: Route, parent_ids: tuple[int, ...]) -> None:
        prev: Route = None
        for child in section.children:
            route, how = router.decide(child, parent, prev)
            if how == "inherited" and child.body and (child.flat or not isinstance(parent, str)):
                # Exports splice whole services under unrelated toggles ("Intro" holding API
                # Gateway after DynamoDB): a title that names nothing follows its body when
                # the body names another entry repeatedly and never the inherited one.
                counts = router.mentions(child.body, ())
                top = max(counts, key=lambda e: counts[e]) if counts else None
                need = 3 if isinstance(route, str) else 2
                family = router.family(route) if isinstance(route, str) else set()
                # Topics (classic architectures, caching) name many services by nature.
                topic = isinstance(route, str) and router.catalog.entries[route].kind == "topic"
                if top and counts[top] >= need and not family & set(counts) and not topic:
                    route, how = top, "mention"
            sid = id(child)
            title = Part(
                page=route if isinstance(route, str) else "",
                file=tree.file,
                title=child.title,
                title_line=child.title_line,
                lines=[],
                how=how,
                section_id=sid,
                parent_ids=parent_ids,
            )
            parts.append(title)
            if title.page:
                resolve(title.page)
            else:
                pending.append(title)
            last: str | None = route if isinstance(route, str) else None
            lo, hi = _body_span(child.body)
            if isinstance(route, str) and not any(
                r.action == "page" and r.heading is None and r.first <= hi and lo <= (r.last or 0)
                for r in router.rules
                if r.first is not None
            ):
                # The whole body goes where the title goes: no need to cut it into blocks.
                blocks = [child.body] if child.body else []
            else:
                blocks = split_blocks(child.body)
            for block in blocks:
                first = next((ln.no for ln in block if ln.no and ln.text.strip()), 0)
                if not first:
                    # Blank or synthetic lines decide nothing: they stay where they are.
                    (parts[-1] if parts[-1].section_id == sid else title).lines.extend(block)
                    continue
                page = rule_page(first) if first else None
                block_how = "override"
                if page is None and isinstance(route, str):
                    page, block_how = route, how
                elif page is None:
                    named = route.named if isinstance(route, Container) else ()
                    page, block_how = router.block_route(block, named), "mention"
                    if page is None:
                        page = (
                            last
                            or (named[0] if named else None)
                            or (prev if child.flat and isinstance(prev, str) else None)
                        )
                        block_how = "context" if page else "unsorted"
                    page = page or UNSORTED
                last = page
                resolve(page)
                if not title.lines and title.page == page:
                    title.lines.extend(block)
                elif parts[-1].section_id == sid and parts[-1].page == page:
                    parts[-1].lines.extend(block)
                else:
                    parts.append(
                        Part(
                            page,
                            tree.file,
                            child.title,
                            None,
                            list(block),
                            block_how,
                            sid,
                            parent_ids,
                        )
                    )
            walk(child, route, (*parent_ids, sid))
            if isinstance(route, str):
                prev = route
            elif last is not None:
                prev = last

    root = tree.root
    if any(ln.text.strip() for ln in root.body):
        # Text before the first title (plain text, Notion) is an untitled first section.
        lead = Section("", None, 1, body=list(root.body))
        root = Section(root.title, None, 0, children=[lead, *root.children], kind="root")
    walk(root, context, ())
    for p in pending:
        p.page, p.how = UNSORTED, "unsorted"
    _set_depths(parts)
    return parts


def _set_depths(parts: list[Part]) -> None:
    """Depth of a part on its page: how many of its ancestors have a titled part there."""
    titled: dict[tuple[int, str], bool] = {}
    for p in parts:
        if p.title_line is not None or p.title:
            titled[(p.section_id, p.page)] = True
    for p in parts:
        p.depth = sum(1 for a in p.parent_ids if (a, p.page) in titled)
