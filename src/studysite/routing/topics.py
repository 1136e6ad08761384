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

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from studysite.model.catalog import Catalog, Slot, Strength, TopicSpec


@dataclass(frozen=True)
class Topic:
    """One subtopic a page can have."""

    id: str
    title: str
    phrases: tuple[tuple[str, ...], ...]
    slot: Slot = Slot.TOPIC
    strength: Strength = Strength.NORMAL
    own: bool = False  # made from a note's heading, not from the catalog

    @property
    def key(self) -> tuple[str, ...]:
        """The title's words, for comparing headings."""
        return words(self.title)


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


def _find(ws: Sequence[str], phrase: tuple[str, ...]) -> int:
    """Index of the first occurrence of ``phrase`` in ``ws`` as whole words, else -1."""
    n = len(phrase)
    for i in range(len(ws) - n + 1):
        if tuple(ws[i : i + n]) == phrase:
            return i
    return -1


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
    _own: dict[tuple[str, ...], Topic] = field(default_factory=dict)

    def classify(self, title: str) -> Heading:
        """What ``title`` names: a catalog topic, only a weak slot, the page itself, or else."""
        ws = words(title, self.names)
        if not ws:
            return Heading("page", self.overview, ())
        best: tuple[int, int, int, int] | None = None
        found: Topic | None = None
        found_phrase: tuple[str, ...] = ()
        rank = {Strength.STRONG: 0, Strength.NORMAL: 1, Strength.WEAK: 2}
        for order, topic in enumerate(self.topics):
            for phrase in topic.phrases:
                at = _find(ws, phrase)
                if at < 0:
                    continue
                score = (rank[topic.strength], at, -len(phrase), order)
                if best is None or score < best:
                    best, found, found_phrase = score, topic, phrase
        if found is None:
            return Heading("own", None, ws)
        at = _find(ws, found_phrase)
        rest = tuple(w for w in (*ws[:at], *ws[at + len(found_phrase) :]) if w not in _GLUE)
        if found.strength == Strength.WEAK:
            # "Intro to lifecycle rules" names lifecycle; "Theory" names nothing.
            return Heading("slot", found, rest) if not rest else Heading("own", None, ws)
        return Heading("topic", found, rest)

    @property
    def overview(self) -> Topic:
        """The first slot (Overview)."""
        return next(t for t in self.topics if t.slot == Slot.FIRST)

    def own_topic(self, title: str) -> Topic:
        """The topic a note's own heading makes (one per distinct wording)."""
        key = words(title, self.names)
        if key not in self._own:
            shown = display_title(title, self.names)
            self._own[key] = Topic(slugify(shown), shown, (key,), own=True)
        return self._own[key]

    def place(self, title: str, context: Sequence[tuple[str, bool]]) -> tuple[Topic, str]:
        """The topic of a part titled ``title`` and the label it shows under it ("" if none).

        ``context`` lists the titles around it on the same page, nearest first, each with
        whether it is a parent (True) or a depth-less sibling before it (False).
        """
        own = self.classify(title)
        if own.kind == "topic" and own.topic is not None:
            if own.topic.strength == Strength.STRONG:
                label = title if own.rest else self._label_from(context)
                return own.topic, label
            return own.topic, title if own.rest else ""
        if own.kind == "page":
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
        if set(ws) <= short_words | {"service", "services"} or (
            len(ws) >= 2 and _initials(ws) in acronyms
        ):
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
    known = {p for t in topics for p in t.phrases}
    for spec in defaults:
        if words(spec.title, names) not in known:
            add(spec)
    for spec in lasts:
        add(spec)
    return Outline(topics, names)


def outline_of(catalog: Catalog, entry_id: str) -> Outline:
    """The outline the page of ``entry_id`` can have."""
    e = catalog.entries[entry_id]
    return build_outline(
        e.name, e.nav_title, e.aliases, e.anchors, e.topics, catalog.default_topics, catalog.slots
    )
