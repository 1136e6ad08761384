"""The catalog as data: entries (services, features, topics), categories, the hierarchy.

Loading and checking ``catalog/services.yml`` is :mod:`studysite.routing.catalog`'s job.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

from studysite.model.names import strip_vendor

KINDS = ("service", "feature", "topic", "mention")


class Slot(StrEnum):
    """Where a subtopic stands in a page's outline."""

    FIRST = "first"  # Overview
    TOPIC = "topic"  # the catalog's subtopics and the notes' own headings, in between
    LAST = "last"  # Summary, Exam tips, Hands-on


class Strength(StrEnum):
    """How a subtopic's phrase in a heading weighs against the others found in it."""

    STRONG = "strong"  # "Hands on", "Exam": wins over any subtopic named beside it
    NORMAL = "normal"
    WEAK = "weak"  # "Intro", "Theory", "Summary": only when nothing else is named


@dataclass(frozen=True)
class TopicSpec:
    """A subtopic as ``catalog/topics.yml`` declares it: a title and the phrases naming it."""

    title: str
    phrases: tuple[str, ...]
    slot: Slot = Slot.TOPIC
    strength: Strength = Strength.NORMAL


@dataclass(frozen=True)
class Topic:
    """One subtopic a page can have."""

    id: str
    title: str
    phrases: tuple[tuple[str, ...], ...]
    slot: Slot = Slot.TOPIC
    strength: Strength = Strength.NORMAL
    own: bool = False  # made from a note's heading, not from the catalog


@dataclass(frozen=True)
class Entry:
    """One catalog entry: a page (service, feature, topic) or a glossary-only mention."""

    id: str
    name: str
    kind: str
    category: str
    parent: str | None
    aliases: tuple[str, ...]
    policies: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    anchors: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False, compare=False)
    # When an alias may become a cross-link (see studysite.links.rules): alias -> context
    # words and keywords ("any", "never", "heading", "anchor", "tooltip", "not WORD").
    link_context: dict[str, tuple[str, ...]] = field(
        default_factory=dict, hash=False, compare=False
    )
    # The page's own subtopics, in outline order (catalog/topics.yml ``entries``).
    topics: tuple[TopicSpec, ...] = field(default=(), hash=False, compare=False)
    # Search: what an exam question would call it without naming it ("graph database",
    # "visibility timeout"), indexed once with the page, below its title.
    keywords: tuple[str, ...] = field(default=(), hash=False, compare=False)
    # Search: regexes for query words that stand for this page (instance types, region
    # codes), matched against a whole word of the query, case-insensitively.
    patterns: tuple[str, ...] = field(default=(), hash=False, compare=False)

    @property
    def nav_title(self) -> str:
        """The name without the vendor prefix, for the navigation (``EC2``, ``Lambda``)."""
        return strip_vendor(self.name)


@dataclass(frozen=True)
class Category:
    """A navigation group (Compute, Storage, ...)."""

    name: str
    slug: str
    # The navigation's top-level section it sits in; its own name when the catalog names none.
    domain: str = ""


@dataclass
class Catalog:
    """All entries, by id, in file order, plus the category order."""

    categories: list[Category]
    entries: dict[str, Entry]
    # Subtopics every page can have (catalog/topics.yml ``slots`` and ``defaults``).
    slots: tuple[TopicSpec, ...] = ()
    default_topics: tuple[TopicSpec, ...] = ()

    def children(self, entry_id: str) -> list[Entry]:
        """Entries whose parent is ``entry_id``, in catalog order."""
        return self._children.get(entry_id, [])

    @cached_property
    def _children(self) -> dict[str, list[Entry]]:
        out: dict[str, list[Entry]] = {}
        for e in self.entries.values():
            if e.parent:
                out.setdefault(e.parent, []).append(e)
        return out

    def ancestors(self, entry_id: str) -> list[str]:
        """Parent, grandparent, ... of ``entry_id`` (nearest first)."""
        out: list[str] = []
        cur = self.entries[entry_id].parent
        while cur and cur not in out:
            out.append(cur)
            cur = self.entries[cur].parent
        return out

    def root_of(self, entry_id: str) -> str:
        """The top-level ancestor (the entry itself when it has no parent)."""
        anc = self.ancestors(entry_id)
        return anc[-1] if anc else entry_id

    def category_of(self, entry_id: str) -> Category:
        """The navigation category a page sits in: the one of its top-level ancestor."""
        name = self.entries[self.root_of(entry_id)].category
        return next(c for c in self.categories if c.name == name)

    def is_within(self, entry_id: str, other: str) -> bool:
        """True when ``entry_id`` is ``other`` or nested (at any depth) under it."""
        return entry_id == other or other in self.ancestors(entry_id)
