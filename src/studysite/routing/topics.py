"""Subtopics of a page: under which heading of the page's one outline each part goes.

A service page reads as one chapter. Its outline is made of subtopics: the catalog's topics
for the entry (``topics:`` and ``anchors:`` in ``catalog/services.yml``), the catalog's
default topics every page may have (Pricing, Limits, ...), the standard slots (Overview,
Summary, Exam tips, Hands-on), and, for material that matches none of these, the note's own
heading. A part's heading decides first; a heading that names nothing ("Theory", "Intro")
takes the subtopic of its context: the heading it sits under, or for depth-less titles
(Notion toggles) the titled sibling before it.

Headings are compared by :func:`words`: the page's own names, vendor prefixes, numbering,
emoji and case dropped, plurals folded ("Buckets & Objects" == "bucket and object").
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from studysite.model.catalog import Catalog, Slot, Strength, Topic, TopicSpec
from studysite.model.site import How, Part

QUESTIONS = "practice-questions"  # the slot practice questions go to (catalog/topics.yml)
# A heading that goes on with the one before it: "Option 1: ...", "Method 2 - Stateless".
_CONTINUATION = re.compile(
    r"(?i)^(?:option|method|scenario|step|case|example|approach|way|solution|alternative)"
    r"\s*(?:\d+|[ivx]+|[a-e])\b"
)
# Numbering and decoration that say nothing about the topic: "3.1", "Section 4:",
# "Chapter 3 –", "Part II.", "Lecture 12 -", "Step 2)", "(1)".
_NUMBERING = re.compile(
    r"^\s*(?:(?:section|chapter|part|lecture|module|lesson|step|unit|day|week)"
    r"\s*[\divxlc]+[a-z]?\b|\d+(?:\.\d+)*[.)]?|\(\d+\)|[ivxlc]+\.)\s*[:.)–—-]?\s*",
    re.IGNORECASE,
)
_WORD = re.compile(r"[a-z0-9]+(?:[.@'][a-z0-9]+)*")
_VENDOR = {"amazon", "aws"}
# Words that join a phrase but say nothing on their own.
_GLUE = {"and", "or", "the", "a", "an", "of", "for", "with", "in", "on", "to", "vs", "versus"}
# Glue a heading may start or end with once the page's name is gone ("Lambda in VPC").
_EDGE = _GLUE - {"on"}


def _fold_word(word: str) -> str:
    """Singular and plural fold together: policies -> policy, buckets -> bucket."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("sses", "ches", "shes", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def clean_title(text: str) -> str:
    """A heading without emoji, decoration and leading numbering (its words kept)."""
    text = "".join(
        " " if unicodedata.category(c) in ("So", "Sk", "Cs", "Co") or c in "\u200d\ufe0f" else c
        for c in text
    )
    text = re.sub(r"[*_`#|>]+", " ", text)
    prev = None
    while prev != text:
        prev, text = text, _NUMBERING.sub("", text, count=1)
    return re.sub(r"\s+", " ", text).strip(" :–—-.")


def words(text: str, drop: Iterable[tuple[str, ...]] = ()) -> tuple[str, ...]:
    """The comparable words of a heading: lower case, folded, without ``drop`` phrases."""
    return _words(text, tuple(drop))


@lru_cache(maxsize=65536)
def _words(text: str, drop: tuple[tuple[str, ...], ...]) -> tuple[str, ...]:
    text = clean_title(text).lower().replace("&", " and ").replace("+", " and ")
    text = unicodedata.normalize("NFKD", text)
    ws = [_fold_word(w) for w in _WORD.findall(text.replace("-", " "))]
    ws = [w for w in ws if w not in _VENDOR]
    for phrase in sorted(drop, key=len, reverse=True):
        ws = _remove(ws, phrase)
    while ws and ws[0] in _EDGE:
        ws.pop(0)
    while ws and ws[-1] in _EDGE:
        ws.pop()
    return tuple(ws)


def _remove(ws: list[str], phrase: tuple[str, ...]) -> list[str]:
    n = len(phrase)
    if not n:
        return ws
    out: list[str] = []
    i = 0
    while i < len(ws):
        if tuple(ws[i : i + n]) == phrase:
            i += n
            continue
        out.append(ws[i])
        i += 1
    return out


def slugify(text: str) -> str:
    """An anchor: lower case words joined by ``-`` (like MkDocs' toc)."""
    text = re.sub(r"[^\w\s-]", "", text.lower(), flags=re.UNICODE)
    return re.sub(r"[\s-]+", "-", text).strip("-") or "section"


def make_topic(
    title: str,
    phrases: Iterable[str] = (),
    *,
    id: str | None = None,
    slot: Slot = Slot.TOPIC,
    strength: Strength = Strength.NORMAL,
    drop: Iterable[tuple[str, ...]] = (),
) -> Topic:
    """A topic whose phrases are compared as :func:`words` (the title is one of them)."""
    drop = tuple(drop)
    seen: dict[tuple[str, ...], None] = {}
    for p in (title, *phrases):
        w = words(p, drop)
        if w:
            seen[w] = None
    return Topic(id or slugify(title), title, tuple(seen), slot, strength)


@dataclass(frozen=True)
class Heading:
    """What a heading says about its topic."""

    kind: str  # "topic" | "slot" (a weak slot word only) | "page" (the page's own name) | "own"
    topic: Topic | None
    rest: tuple[str, ...]  # its words that are not the topic's phrase


@dataclass
class Outline:
    """The topics one page can have, in outline order, and how a heading maps onto them."""

    topics: list[Topic]
    names: tuple[tuple[str, ...], ...]  # the page's own names, as words
    # Words that frame a page without naming a subtopic: category names ("Storage",
    # "Networking") and broad topics ("Serverless: Lambda" is Lambda's overview).
    framing: frozenset[str] = frozenset()
    specific: frozenset[str] = frozenset()  # ids of the entry's own topics and anchors
    _own: dict[tuple[str, ...], Topic] = field(default_factory=dict)
    _ids: set[str] = field(default_factory=set)  # every topic id made, for unique new ones
    _index: dict[tuple[str, ...], list[tuple[int, int, Topic]]] = field(default_factory=dict)

    def classify(self, title: str) -> Heading:
        """What ``title`` names: a catalog topic, only a weak slot, the page itself, or else."""
        ws = words(title, self.names)
        if not ws:
            return Heading("page", self.overview, ())
        best: tuple[int, int, int, int] | None = None
        found: Topic | None = None
        found_phrase: tuple[str, ...] = ()
        found_at = 0
        index = self._phrase_index()
        lengths = sorted({len(p) for p in index}, reverse=True)
        for at in range(len(ws)):
            for n in lengths:
                phrase = tuple(ws[at : at + n])
                if len(phrase) < n:
                    continue
                for rank, order, topic in index.get(phrase, ()):
                    # The most specific phrase wins ("Block Public Access" over "bucket"),
                    # then the one named first.
                    score = (rank, -n, at, order)
                    if best is None or score < best:
                        best, found, found_phrase, found_at = score, topic, phrase, at
        if found is None:
            if _CONTINUATION.match(title.strip()):
                return Heading("more", None, ws)
            if set(ws) - _GLUE <= self.framing:
                return Heading("page", self.overview, ())
            return Heading("own", None, ws)
        at = found_at
        rest = tuple(w for w in (*ws[:at], *ws[at + len(found_phrase) :]) if w not in _GLUE)
        if found.strength == Strength.WEAK:
            # "Intro to lifecycle rules" names lifecycle; "Theory" names nothing.
            return Heading("slot", found, rest) if not rest else Heading("own", None, ws)
        return Heading("topic", found, rest)

    def _phrase_index(self) -> dict[tuple[str, ...], list[tuple[int, int, Topic]]]:
        """Each phrase of the catalog's topics -> (strength rank, order, topic)."""
        if not self._index:
            rank = {Strength.STRONG: 0, Strength.NORMAL: 1, Strength.WEAK: 2}
            for order, topic in enumerate(self.topics):
                for phrase in topic.phrases:
                    self._index.setdefault(phrase, []).append((rank[topic.strength], order, topic))
        return self._index

    @property
    def overview(self) -> Topic:
        """The first slot (Overview)."""
        return next(t for t in self.topics if t.slot == Slot.FIRST)

    def own_topic(self, title: str) -> Topic:
        """The topic a note's own heading makes (one per distinct wording)."""
        key = words(title, self.names)
        if key not in self._own:
            shown = display_title(title, self.names)
            if not self._ids:
                self._ids.update(t.id for t in self.topics)
            tid, n = slugify(shown), 1
            while tid in self._ids:
                n += 1
                tid = f"{slugify(shown)}-{n}"
            self._ids.add(tid)
            self._own[key] = Topic(tid, shown, (key,), own=True)
        return self._own[key]

    def specific_topic(self, title: str) -> Topic | None:
        """The page's own catalog subtopic ``title`` names (not a default or slot every page
        has), if any."""
        h = self.classify(title)
        if h.kind == "topic" and h.topic is not None and h.topic.id in self.specific:
            return h.topic
        return None

    def all_topics(self) -> list[Topic]:
        """The catalog's topics and the notes' own headings made so far."""
        return [*self.topics, *self._own.values()]

    def place(self, title: str, context: Sequence[tuple[str, bool]]) -> tuple[Topic, str]:
        """The topic of a part titled ``title`` and the label it shows under it ("" if none).

        ``context`` lists the titles around it on the same page, nearest first, each with
        whether it is a parent (True) or a depth-less sibling before it (False).
        """
        own = self.classify(title)
        if own.kind == "more":
            # "Option 1: make it public", "Method 2": more of the heading before it.
            for ctx_title, _ in context:
                c = self.classify(ctx_title)
                if c.kind == "topic" and c.topic is not None:
                    return c.topic, title
                if c.kind == "own":
                    return self.own_topic(ctx_title), title
            return self.own_topic(title), ""
        if own.kind == "topic" and own.topic is not None:
            if own.topic.strength == Strength.STRONG:
                label = title if own.rest else self._label_from(context)
                return own.topic, label
            return own.topic, title if own.rest else ""
        if own.kind == "page" and title.strip():
            return self.overview, ""
        for ctx_title, is_parent in context:
            if not is_parent and own.kind == "own":
                break  # a named sibling before says nothing about a named heading
            c = self.classify(ctx_title)
            if c.kind == "slot":
                continue  # "Theory" over "Intro": look further out
            if c.kind == "page":
                break
            if c.topic is not None:
                return c.topic, title if own.kind == "own" else ""
            # The context is a heading of its own ("Hybrid cloud storage").
            return self.own_topic(ctx_title), title if own.kind == "own" else ""
        if own.kind == "slot" and own.topic is not None:
            return own.topic, ""
        if own.kind == "own":
            return self.own_topic(title), ""
        return self.overview, ""

    def _label_from(self, context: Sequence[tuple[str, bool]]) -> str:
        for ctx_title, _ in context:
            if self.classify(ctx_title).kind in ("topic", "own"):
                return ctx_title
        return ""


def display_title(title: str, names: Iterable[tuple[str, ...]] = ()) -> str:
    """A note's heading as a subtopic title: decoration gone, a leading page name dropped.

    "S3 Access Logs" on the S3 page reads "Access Logs"; "Lambda with RDS Proxy" keeps
    its name, since what is left would not stand alone.
    """
    text = clean_title(title)
    stripped = re.sub(r"^(?:Amazon|AWS)\s+", "", text)
    for phrase in sorted(names, key=len, reverse=True):
        pattern = r"\s+".join(re.escape(w) for w in phrase)
        m = re.match(rf"(?i){pattern}s?\b\s*[:–—-]?\s*", stripped)
        if m and m.end() < len(stripped):
            rest = stripped[m.end() :]
            first = rest.split()[0].lower() if rest.split() else ""
            if first not in _GLUE and rest[:1].isalnum():
                return rest[0].upper() + rest[1:]
    return text or title.strip()


# Words that may stand beside a page's short name and still name the page ("EC2 instances").
_NAME_WORDS = {"service", "family"}


def _initials(ws: Sequence[str]) -> str:
    return "".join(w[0] for w in ws if w not in _GLUE)


def _expand_acronym(word: str) -> str:
    """S3 -> sss, EC2 -> ecc: a digit repeats the letter before it."""
    out = ""
    for c in word:
        out += out[-1] * (int(c) - 1) if c.isdigit() and out and c != "0" else c
    return out


def page_names(name: str, short: str, aliases: Iterable[str]) -> tuple[tuple[str, ...], ...]:
    """The words that name the page itself, to drop from its headings.

    An alias names the page when it is the name, the short name (perhaps with "service"),
    or the short name spelled out ("Simple Storage Service" for S3); "S3 Replication" names
    a feature, not the page.
    """
    base = {words(name), words(short)}
    short_words = set(words(short)) | set(words(name))
    acronyms = {_expand_acronym(w) for w in words(short)}
    out = {w for w in base if w}
    for alias in aliases:
        ws = words(alias)
        if not ws:
            continue
        if set(ws) <= short_words | _NAME_WORDS or (len(ws) >= 2 and _initials(ws) in acronyms):
            out.add(ws)
    return tuple(sorted(out, key=lambda w: (-len(w), w)))


def build_outline(
    name: str,
    short: str,
    aliases: Iterable[str],
    anchors: dict[str, tuple[str, ...]],
    own: Sequence[TopicSpec],
    defaults: Sequence[TopicSpec],
    slots: Sequence[TopicSpec],
    framing: frozenset[str] = frozenset(),
) -> Outline:
    """The outline one page can have: Overview, its own topics, its anchors, the defaults,
    then the last slots. Each topic takes the id of the catalog anchor it covers."""
    names = page_names(name, short, aliases)
    free = dict(anchors)
    topics: list[Topic] = []

    def add(spec: TopicSpec) -> None:
        topic = make_topic(
            spec.title, spec.phrases, slot=spec.slot, strength=spec.strength, drop=names
        )
        if not topic.phrases:
            return
        anchor = next(
            (
                a
                for a, ps in free.items()
                if words(a.replace("-", " ")) in topic.phrases
                or any(words(p, names) in topic.phrases for p in ps)
            ),
            None,
        )
        if anchor is not None:
            free.pop(anchor)
        taken = {t.id for t in topics}
        tid = anchor or topic.id
        if tid in taken:
            return
        topics.append(Topic(tid, topic.title, topic.phrases, topic.slot, topic.strength))

    firsts = [s for s in slots if s.slot == Slot.FIRST]
    lasts = [s for s in slots if s.slot == Slot.LAST]
    for spec in (*firsts, *own):
        add(spec)
    for anchor, phrases in list(free.items()):
        if anchor not in free:
            continue
        humane = anchor.replace("-", " ")
        title = next((p for p in phrases if words(p) == words(humane)), humane.capitalize())
        add(TopicSpec(title, (humane, *phrases)))
    specific = frozenset(t.id for t in topics if t.slot == Slot.TOPIC)
    known = {p for t in topics for p in t.phrases}
    for spec in defaults:
        if words(spec.title, names) not in known:
            add(spec)
    for spec in lasts:
        add(spec)
    return Outline(topics, names, framing, specific)


def outline_of(catalog: Catalog, entry_id: str) -> Outline:
    """The outline the page of ``entry_id`` can have."""
    e = catalog.entries[entry_id]
    return build_outline(
        e.name,
        e.nav_title,
        e.aliases,
        e.anchors,
        e.topics,
        catalog.default_topics,
        catalog.slots,
        framing_words(catalog),
    )


def framing_words(catalog: Catalog) -> frozenset[str]:
    """Words of category names and of broad topics' names: "Storage", "Serverless"."""
    out: set[str] = set()
    for c in catalog.categories:
        out.update(words(c.name))
    for e in catalog.entries.values():
        if e.kind == "topic" and e.parent is None:
            for alias in (e.name, *e.aliases):
                ws = words(alias)
                if len(ws) == 1:
                    out.update(ws)
    return frozenset(out - _GLUE)


def _has_content(part: Part) -> bool:
    return any(ln.text.strip() for ln in part.lines)


class Subtopics:
    """The outlines of one build's pages (made on first use) and each part's place in them."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._outlines: dict[str, Outline] = {}

    def outline(self, page_id: str) -> Outline:
        """The outline of a page (Unsorted gets the slots and defaults only)."""
        if page_id not in self._outlines:
            if page_id in self.catalog.entries:
                self._outlines[page_id] = outline_of(self.catalog, page_id)
            else:
                self._outlines[page_id] = build_outline(
                    "", "", (), {}, (), self.catalog.default_topics, self.catalog.slots
                )
        return self._outlines[page_id]

    def place(self, part: Part, note_title: str = "") -> Part:
        """``part`` with its subtopic and label set.

        A note whose title names a subtopic ("IAM Permission Boundaries") puts there what
        its own headings place nowhere more precise.
        """
        outline = self.outline(part.page)
        if part.kind == "question":
            slot = next((t for t in outline.topics if t.id == QUESTIONS), None)
            if slot is not None:
                return dataclasses.replace(part, topic=slot.id, label="")
        title = part.title
        if part.how in (How.CONTAINER, How.MENTION):
            # A block that left its section for this page ("RDS + Aurora + ElastiCache")
            # takes nothing from a title about several things, but a slot it names
            # ("Exam notes", "Hands on") still holds.
            h = outline.classify(title)
            if h.topic is None or h.topic.strength != Strength.STRONG:
                title = ""
        context = part.context
        if note_title and outline.classify(note_title).kind == "topic":
            context = (*context, (note_title, True))
        topic, label = outline.place(title, context)
        return dataclasses.replace(part, topic=topic.id, label=label)

    def topics(self, page_id: str, parts: Sequence[Part]) -> tuple[Topic, ...]:
        """The subtopics of a page that have content, in outline order: Overview, the
        catalog's, the notes' own headings (first seen first), then the last slots."""
        outline = self.outline(page_id)
        used: dict[str, int] = {}
        for i, p in enumerate(parts):
            if _has_content(p):
                used.setdefault(p.topic, i)
        by_id = {t.id: t for t in outline.all_topics()}
        first = [t for t in outline.topics if t.slot == Slot.FIRST and t.id in used]
        middle = [t for t in outline.topics if t.slot == Slot.TOPIC and t.id in used]
        own = sorted((by_id[i] for i in used if by_id[i].own), key=lambda t: used[t.id])
        last = [t for t in outline.topics if t.slot == Slot.LAST and t.id in used]
        return (*first, *middle, *own, *last)
