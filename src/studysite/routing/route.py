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
from collections.abc import Sequence
from dataclasses import dataclass, field

from studysite.markdown_tokens import block_tokens
from studysite.model import UNSORTED, How, Line, NoteTree, Part, Section, Topic, strip_vendor
from studysite.questions import pieces
from studysite.routing.aliases import AliasMatcher
from studysite.routing.catalog import Catalog
from studysite.routing.overrides import Rule
from studysite.routing.topics import Subtopics, words
from studysite.titles import routing_title

__all__ = ["UNSORTED", "Container", "Part", "Route", "Router", "route_tree", "split_blocks"]

MAX_CONTEXT = 8  # depth-less siblings before a part that may give it its subtopic

_LISTY = re.compile(r"\s(?:\+|&|and|/)\s|,|\+")
_VERSUS = re.compile(r"\bvs\.?\b|\bversus\b", re.IGNORECASE)


@dataclass(frozen=True)
class Container:
    """A title that names several entries: its blocks are shared among them."""

    named: tuple[str, ...] = ()


Route = str | Container | None


@dataclass(frozen=True)
class Router:
    """Routes the sections of notes with one catalog and its matchers.

    A note's override rules are passed per call, so one router serves every note.
    """

    catalog: Catalog
    matcher: AliasMatcher
    block_matcher: AliasMatcher
    subtopics: Subtopics | None = None

    def _leaves_sibling(self, title: str, parent: Route, ctx: Route) -> bool:
        """Whether a depth-less ``title`` after a sibling on page ``ctx`` names a subtopic of
        the ``parent`` page that is not that sibling's page ("Cluster" after "Placement
        Groups" stays on placement groups; "Networking" after "Lambda@Edge" is Lambda's)."""
        if self.subtopics is None or not isinstance(parent, str) or not isinstance(ctx, str):
            return False
        if parent not in self.catalog.entries or ctx not in self.catalog.entries:
            return False
        if ctx == parent:
            return False
        topic = self.subtopic_named(title, parent)
        if topic is None:
            return False
        entry = self.catalog.entries[ctx]
        sibling = {words(a) for a in (entry.name, *entry.aliases)}
        return not sibling & set(topic.phrases)

    def subtopic_named(self, title: str, page: Route) -> Topic | None:
        """The page's own subtopic whose name ``title`` is ("Networking" on Lambda's), if any."""
        if self.subtopics is None or not isinstance(page, str) or page not in self.catalog.entries:
            return None
        outline = self.subtopics.outline(page)
        topic = outline.specific_topic(title)
        return topic if topic is not None and words(title, outline.names) in topic.phrases else None

    def is_subtopic_name(self, title: str, page: Route) -> bool:
        """Whether ``title`` is the name of one of the page's own subtopics: a sub-heading so
        named stays on the page whatever services it cites."""
        return self.subtopic_named(title, page) is not None

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
        t = strip_vendor(t)
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

    def decide(
        self, section: Section, parent: Route, prev: Route, rules: Sequence[Rule] = ()
    ) -> tuple[Route, How]:
        """The route of ``section`` given its parent's and previous sibling's routes and the
        note's override ``rules``."""
        for rule in rules:
            if rule.action == "page" and rule.covers(section.title_line, section.title):
                return rule.page, How.OVERRIDE
        # Order is context only for leaves: a titled group of sections that names nothing
        # ("# Storage" over S3, EBS, EFS) is a category, not more of the previous page.
        ctx = self._context(parent, prev if not section.children else None, section.flat)
        if ctx != parent and section.flat and self._leaves_sibling(section.title, parent, ctx):
            # "__Networking__" after "__Lambda@Edge__" under Lambda: Lambda's networking.
            ctx = parent
        for rule in rules:
            if rule.action == "context" and rule.covers(section.title_line, section.title):
                ctx = rule.page
        for near in (ctx, prev if section.flat else None):
            if (
                isinstance(near, str)
                and near != UNSORTED
                and self._is_section_of(section.title, near)
            ):
                # "Storage Classes" after EFS is EFS's section of that name, not the S3 page.
                return near, How.TITLE
        if isinstance(ctx, str):
            # A title naming the current page or one of its features stays in that family:
            # "SQS + ASG" under SQS, "IAM Roles for ECS tasks" under ECS, "EC2 Spot
            # Instances" under EC2 (goes to the purchasing-options feature).
            inside = [
                e for e in self.title_entries(section.title) if self.catalog.is_within(e, ctx)
            ]
            if inside:
                specific = [e for e in inside if e != ctx]
                return (specific[0] if specific else ctx), How.TITLE
        named = self.title_entries(section.title, ambiguous=not isinstance(ctx, str))
        if not named:
            return ctx, How.INHERITED
        if len(named) >= 2 and _VERSUS.search(section.title):
            return named[0], How.TITLE
        if len(named) >= 2 and _LISTY.search(section.title):
            return Container(tuple(named)), How.CONTAINER
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
            return ctx, How.INHERITED
        return q, How.TITLE

    def question_route(
        self, section: Section, parent: Route, prev: Route, rules: Sequence[Rule] = ()
    ) -> tuple[str, How]:
        """The page of a practice question: what its text names, else its context.

        The question and its correct choices count first (a name in the correct choice
        twice: "Which service records API calls? … B. CloudTrail" is about CloudTrail);
        only when they name nothing do the other choices and the explanation count.
        """
        for rule in rules:
            # A "page" rule always names its page (load_overrides); the check narrows the type.
            if (
                rule.action == "page"
                and rule.page is not None
                and rule.covers(section.title_line, section.title)
            ):
                return rule.page, How.OVERRIDE
        parts = pieces(section.body)
        correct = [ln for k in parts.answer for ln in parts.choices.get(k, [])]
        # Context-only names ("High Availability", "Region") count last: a question is short
        # and is often about exactly such a concept.
        for context_only in (False, True):
            counts = self.mentions(parts.stem, (), context_only=context_only)
            for entry, n in self.mentions(correct, (), context_only=context_only).items():
                counts[entry] += 2 * n
            if not counts:
                counts = self.mentions(section.body, (), context_only=context_only)
            if counts:
                best = max(counts.values())
                return next(e for e, n in counts.items() if n == best), How.MENTION
        for near in (parent, prev):
            if isinstance(near, str) and near != UNSORTED:
                return near, How.CONTEXT
        if isinstance(parent, Container) and parent.named:
            return parent.named[0], How.CONTEXT
        return UNSORTED, How.UNSORTED

    def _is_section_of(self, title: str, entry_id: str) -> bool:
        """Whether ``title`` is one of the catalog's section anchors of ``entry_id``."""
        low = re.sub(r"\s+", " ", routing_title(title).replace("-", " ")).strip().lower()
        anchors = self.catalog.entries[entry_id].anchors
        return any(
            low == anchor.replace("-", " ") or low in (p.lower() for p in phrases)
            for anchor, phrases in anchors.items()
        )

    def mentions(
        self, block: list[Line], named: tuple[str, ...], *, context_only: bool = False
    ) -> Counter[str]:
        """How often each page entry is named in ``block`` (only ``named`` ones if given).

        The counter keeps first-mention order, which breaks ties. ``context_only`` counts
        the aliases the catalog keeps for titles too.
        """
        counts: Counter[str] = Counter()
        matcher = self.matcher if context_only else self.block_matcher
        for line in block:
            for m in matcher.find(line.text):
                entry = self.catalog.entries[m.entry]
                # "Kinesis Data Streams" under "SQS, SNS & Kinesis" is one of the named.
                if entry.kind == "mention" or (
                    named and not any(self.catalog.is_within(m.entry, n) for n in named)
                ):
                    continue
                counts[m.entry] += 1
        return counts

    def family(self, entry_id: str) -> set[str]:
        """The entry, its ancestors and its descendants: mentions of any count for it."""
        out = {entry_id, *self.catalog.ancestors(entry_id)}
        out.update(e for e in self.catalog.entries if entry_id in self.catalog.ancestors(e))
        return out

    def topic_route(self, block: list[Line], named: tuple[str, ...]) -> str | None:
        """The one of ``named`` (or a page under it) whose own subtopics the block speaks of
        most ("partition key", "shard" are Kinesis Data Streams'), when one clearly does."""
        if self.subtopics is None or not named:
            return None
        text = " ".join(words(" ".join(ln.text for ln in block)))
        scores: Counter[str] = Counter()
        for entry in self.catalog.entries.values():
            if entry.kind == "mention" or not any(
                self.catalog.is_within(entry.id, n) for n in named
            ):
                continue
            outline = self.subtopics.outline(entry.id)
            for topic in outline.topics:
                if topic.id not in outline.specific:
                    continue
                for phrase in topic.phrases:
                    if phrase and f" {' '.join(phrase)} " in f" {text} ":
                        scores[entry.id] += 1
        if not scores:
            return None
        (best, n), *rest = [*scores.most_common(2), ("", 0)]
        return best if n > rest[0][1] else None

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


def route_tree(
    tree: NoteTree, router: Router, rules: Sequence[Rule] = (), context: str | None = None
) -> list[Part]:
    """Route one note with its override ``rules``: a list of parts in document order.

    ``context`` is the page the note as a whole is about (its title, file or folder name):
    its sections that name nothing inherit it.
    """
    walk = _Walk(router, tuple(rules))
    walk.children(_with_lead(tree.root), context, ())
    walk.give_up_pending()
    return _finish(tree.file, walk.drafts)


def _with_lead(root: Section) -> Section:
    """Text before the first title (plain text, Notion) as an untitled first section."""
    if not any(ln.text.strip() for ln in root.body):
        return root
    lead = Section("", None, 1, body=list(root.body))
    return Section(root.title, None, 0, children=[lead, *root.children], kind="root")


@dataclass
class _Draft:
    """A part while its note is routed: its page may be known only later, its lines grow."""

    page: str
    title: str
    title_line: int | None
    lines: list[Line]
    how: How
    section_id: int
    parent_ids: tuple[int, ...]
    kind: str = "text"
    sibling_ids: tuple[int, ...] = ()  # depth-less sections before it, nearest first


@dataclass
class _Walk:
    """One note's routing: the parts so far and the titles still waiting for a page."""

    router: Router
    rules: tuple[Rule, ...]
    drafts: list[_Draft] = field(default_factory=list)
    pending: list[_Draft] = field(default_factory=list)

    def children(self, section: Section, parent: Route, parent_ids: tuple[int, ...]) -> None:
        """Route and place every child of ``section``, then their children."""
        prev: Route = None
        route: Route  # a question's route is a page id, any other section's may be more
        before: list[int] = []
        for child in section.children:
            siblings = tuple(reversed(before[-MAX_CONTEXT:])) if child.flat else ()
            if child.kind != "question":
                before.append(id(child))
            if child.kind == "question":
                route, how = self.router.question_route(child, parent, prev, self.rules)
                self.place_section(child, route, how, prev, parent_ids)
                continue  # a question is no context for the sections after it
            route, how = self.router.decide(child, parent, prev, self.rules)
            if (
                how == How.INHERITED
                and child.body
                and (child.flat or not isinstance(parent, str))
                and not self.router.is_subtopic_name(child.title, route)
            ):
                route, how = _follow_body(self.router, child, route) or (route, how)
            last = self.place_section(child, route, how, prev, parent_ids, siblings)
            self.children(child, route, (*parent_ids, id(child)))
            if isinstance(route, str):
                prev = route
            elif last is not None:
                prev = last

    def place_section(
        self,
        child: Section,
        route: Route,
        how: How,
        prev: Route,
        parent_ids: tuple[int, ...],
        sibling_ids: tuple[int, ...] = (),
    ) -> str | None:
        """Place the title and body blocks of ``child``; the page of its last block."""
        sid = id(child)
        title = _Draft(
            route if isinstance(route, str) else "",
            child.title,
            child.title_line,
            [],
            how,
            sid,
            parent_ids,
            "question" if child.kind == "question" else "text",
            sibling_ids,
        )
        self.drafts.append(title)
        if title.page:
            self.resolve(title.page)
        else:
            self.pending.append(title)
        last: str | None = route if isinstance(route, str) else None
        for block in self.blocks_of(child.body, route):
            first = next((ln.no for ln in block if ln.no and ln.text.strip()), 0)
            if not first:
                # Blank or synthetic lines decide nothing: they stay where they are.
                (self.drafts[-1] if self.drafts[-1].section_id == sid else title).lines.extend(
                    block
                )
                continue
            page, block_how = self.block_page(block, first, route, how, last, prev, child.flat)
            last = page
            self.resolve(page)
            self.add_block(title, block, page, block_how)
        return last

    def blocks_of(self, body: list[Line], route: Route) -> list[list[Line]]:
        """The body whole when it all goes where the title goes, else its blocks."""
        lo, hi = _body_span(body)
        if isinstance(route, str) and not any(
            r.action == "page" and r.heading is None and r.first <= hi and lo <= (r.last or 0)
            for r in self.rules
            if r.first is not None
        ):
            return [body] if body else []
        return split_blocks(body)

    def block_page(
        self,
        block: list[Line],
        first: int,
        route: Route,
        how: How,
        last: str | None,
        prev: Route,
        flat: bool,
    ) -> tuple[str, How]:
        """The page of one block starting at line ``first``, and why."""
        page = self.rule_page(first)
        if page is not None:
            return page, How.OVERRIDE
        if isinstance(route, str):
            return route, how
        named = route.named if isinstance(route, Container) else ()
        page = self.router.block_route(block, named) or self.router.topic_route(block, named)
        if page is not None:
            return page, How.MENTION
        page = (
            last
            or (named[0] if named else None)
            or (prev if flat and isinstance(prev, str) else None)
        )
        return (page, How.CONTEXT) if page else (UNSORTED, How.UNSORTED)

    def add_block(self, title: _Draft, block: list[Line], page: str, how: How) -> None:
        """Add a block to its section's title part or last part on ``page``, else a new part."""
        last = self.drafts[-1]
        if not title.lines and title.page == page:
            title.lines.extend(block)
        elif last.section_id == title.section_id and last.page == page:
            last.lines.extend(block)
        else:
            self.drafts.append(
                _Draft(
                    page,
                    title.title,
                    None,
                    list(block),
                    how,
                    title.section_id,
                    title.parent_ids,
                    title.kind,
                    title.sibling_ids,
                )
            )

    def rule_page(self, line: int) -> str | None:
        """The page an override rule for a line span sends ``line`` to."""
        for rule in self.rules:
            if rule.action == "page" and rule.heading is None and rule.covers(line):
                return rule.page
        return None

    def resolve(self, page: str) -> None:
        """Titles waiting for content go where the first content after them goes."""
        for draft in self.pending:
            draft.page = page
        self.pending.clear()

    def give_up_pending(self) -> None:
        """Titles no content followed: visible on the Unsorted page."""
        for draft in self.pending:
            draft.page, draft.how = UNSORTED, How.UNSORTED
        self.pending.clear()


def _follow_body(router: Router, child: Section, route: Route) -> tuple[str, How] | None:
    """The entry an inheriting section's body is really about, if it is clearly another one.

    Exports splice whole services under unrelated toggles ("Intro" holding API Gateway after
    DynamoDB): a title that names nothing follows its body when the body names another entry
    repeatedly and never the inherited one.
    """
    counts = router.mentions(child.body, ())
    top = max(counts, key=lambda e: counts[e]) if counts else None
    need = 3 if isinstance(route, str) else 2
    family = router.family(route) if isinstance(route, str) else set()
    # Topics (classic architectures, caching) name many services by nature.
    topic = isinstance(route, str) and router.catalog.entries[route].kind == "topic"
    if top and counts[top] >= need and not family & set(counts) and not topic:
        return top, How.MENTION
    return None


def _finish(file: str, drafts: list[_Draft]) -> list[Part]:
    """The parts, complete: depth on its page is how many ancestors have a titled part there;
    context is the titles around it on its page (depth-less siblings before it, then its
    ancestors, nearest first), which decide the subtopic of a heading that names nothing."""
    titled = {(d.section_id, d.page) for d in drafts if d.title_line is not None or d.title}
    titles = {d.section_id: d.title for d in drafts if d.title_line is not None}

    def context(d: _Draft) -> tuple[tuple[str, bool], ...]:
        # Only the nearest few: a heading is explained by those just before or above it.
        near = [(s, False) for s in d.sibling_ids]
        near += [(a, True) for a in reversed(d.parent_ids)]
        return tuple(
            (titles[s], is_parent)
            for s, is_parent in near
            if (s, d.page) in titled and titles.get(s)
        )

    return [
        Part(
            page=d.page,
            file=file,
            title=d.title,
            title_line=d.title_line,
            lines=tuple(d.lines),
            how=d.how,
            section_id=d.section_id,
            parent_ids=d.parent_ids,
            depth=sum(1 for a in d.parent_ids if (a, d.page) in titled),
            kind=d.kind,
            context=context(d),
        )
        for d in drafts
    ]
