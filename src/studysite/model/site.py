"""The site as data: notes after routing, the parts placed on pages, the pages, the result.

Every type here is created complete; the pipeline steps (:mod:`studysite.build`,
:mod:`studysite.site`) are functions that make them, never fill them in afterwards.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from studysite.model.catalog import Catalog, Entry, Topic
from studysite.model.tree import Diagnostic, Line, Noise

if TYPE_CHECKING:  # typing only: links, tables and cards sit above the model
    from studysite.cards import Card
    from studysite.links import LinkGraph
    from studysite.tables import Comparisons

UNSORTED = "unsorted"

NavItem = str | dict[str, "list[NavItem] | str"]


@dataclass(frozen=True)
class NoteMeta:
    """What the manifest says about one note (all optional)."""

    file: str
    title: str | None = None
    author: str | None = None
    description: str | None = None
    date: str | None = None  # ISO "2023-05-01": the manifest's or the note's front matter


class How(StrEnum):
    """Why a part landed on its page (str-valued: it reads and serialises as the word)."""

    OVERRIDE = "override"  # a rule in notes/overrides.yml
    TITLE = "title"  # its title names the page
    INHERITED = "inherited"  # its title names nothing: the context's page
    CONTAINER = "container"  # a title listing several entries
    MENTION = "mention"  # the entry its text names most
    CONTEXT = "context"  # names nothing: the page of the block before it
    UNSORTED = "unsorted"  # nothing gave a page


@dataclass(frozen=True)
class Part:
    """A piece of one note placed on one page."""

    page: str
    file: str
    title: str
    title_line: int | None
    lines: tuple[Line, ...]
    how: How
    section_id: int
    parent_ids: tuple[int, ...] = ()
    depth: int = 0
    # The titles around it on its page, nearest first, each with whether it is a parent
    # (else a depth-less sibling before it): they decide the subtopic of "Theory".
    context: tuple[tuple[str, bool], ...] = ()
    # Its subtopic on the page (a heading of the page's outline) and the label it shows
    # there, its own title when that says more than the subtopic ("" when not).
    topic: str = ""
    label: str = ""
    kind: str = "text"  # "question": a practice question (see studysite.readers.questions)

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
class Note:
    """One note after reading and routing."""

    file: str
    meta: NoteMeta
    fmt: str
    lines: list[str]
    noise: list[Noise]
    parts: list[Part]
    unaccounted: list[int]
    tags: tuple[str, ...] = ()  # the note's #tags: front matter tags of the pages it feeds

    @property
    def title(self) -> str:
        """The manifest title, else the note's own title, else its file name."""
        return self.meta.title or self.file

    @property
    def content_lines(self) -> int:
        """Non-blank lines in the note."""
        return sum(1 for line in self.lines if line.strip())


@dataclass(frozen=True)
class Page:
    """One generated page: a catalog entry (or Unsorted) and the parts placed on it."""

    id: str
    title: str
    path: str
    entry: Entry | None
    parts: tuple[Part, ...] = ()
    children: tuple[str, ...] = ()
    # The subtopics its parts fill, in outline order (each part's ``topic`` is one's id).
    topics: tuple[Topic, ...] = ()

    @property
    def notes(self) -> list[str]:
        """Files of the notes that feed this page, in first-part order."""
        return list(dict.fromkeys(p.file for p in self.parts))


@dataclass(frozen=True)
class Site:
    """Everything routing knows about one build: catalog, notes, pages, diagnostics."""

    catalog: Catalog
    notes: list[Note]
    pages: dict[str, Page]
    diagnostics: list[Diagnostic]


@dataclass
class RenderedPage:
    """The Markdown of one page and where each source line went.

    Not frozen: once every page is linked, :func:`studysite.site.generate` drops
    ``markdown`` (the anchors are still needed) to keep peak memory down.
    """

    markdown: str
    line_anchors: dict[tuple[str, int], str]
    diagnostics: list[Diagnostic]


@dataclass(frozen=True)
class SiteOutput:
    """What :func:`studysite.site.generate` returns: page Markdown, assets, nav, diagnostics.

    The two hand-written-page steps are given by ``generate`` (they need render, tables and
    links, which sit above the model).
    """

    site: Site
    pages: dict[str, str]
    assets: dict[str, bytes]
    nav: list[NavItem]
    diagnostics: list[Diagnostic]
    rendered: dict[str, RenderedPage] = field(default_factory=dict)
    comparisons: Comparisons | None = None
    links: LinkGraph | None = None
    abbreviations: str = ""
    markers: Callable[[str, str], str] = field(default=lambda markdown, src_uri: markdown)
    finish: Callable[[str, str], str] = field(default=lambda markdown, src_uri: markdown)
    # Generated pages kept out of the navigation (the notes as written).
    unlisted: frozenset[str] = frozenset()
    # The Test yourself cards (studysite.cards), in the order the trainer and Anki get them.
    cards: tuple[Card, ...] = ()

    def finish_hand_written(self, markdown: str, src_uri: str) -> str:
        """What the hook does to a hand-written page: markers, cross-links, tooltips."""
        return self.finish(markdown, src_uri)

    def expand_markers(self, markdown: str, src_uri: str) -> str:
        """Replace ``<!-- studysite:NAME -->`` and compare markers in a hand-written page."""
        return self.markers(markdown, src_uri)
