"""What every reader produces: a section tree whose lines keep their provenance.

A reader turns a note into a :class:`NoteTree`. Every non-blank line of the note ends up in
exactly one of three places: the title line of a :class:`Section`, a :class:`Line` of some
section's body (with the line's own words), or a :class:`Noise` record with a reason from
:data:`NOISE_REASONS`. :func:`unaccounted_lines` checks it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Literal

Level = Literal["info", "warning", "error"]

# Every reason a reader gives a noise line, and the default of an override `as: noise` rule
# (whose own `why`, when given, is passed to unaccounted_lines). A new reason is added here.
NOISE_REASONS = frozenset(
    {
        "separator line",
        "empty list item",
        "'Untitled' placeholder of a removed image or database",
        "Notion 'new →' button text",
        "document title",
        "table of contents",
        "front matter",
        "multi-line heading",
        "empty heading",
        "setext heading underline",
        "title page",
        "closing page",
        "running header",
        "empty Notion toggle",
        "tags line",
        "repeated slide title",
        "marked as noise",
    }
)

_WORD = re.compile(r"\w+")

# What a reader asks routing: does this whole line name catalog entries (and little else)?
KnownTitle = Callable[[str], bool]


@dataclass(frozen=True)
class Diagnostic:
    """A recoverable problem. ``warning``/``error`` fail ``mkdocs --strict``; ``info`` is
    only counted in ``studysite report`` (e.g. a missing image shown as a placeholder)."""

    file: str
    line: int
    message: str
    level: Level = "warning"

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


@dataclass(frozen=True, slots=True)
class Line:
    """One source line of a section body.

    ``no`` is the 1-based line number in the note; ``text`` is the line as the reader left it,
    as CommonMark (a reader may rewrite syntax, e.g. a Notion one-space bullet becomes a
    two-space nested CommonMark bullet, but never drops words). Bodies keep their blank lines,
    since they separate paragraphs; a noise line inside a body is replaced by a blank
    ``Line`` with its number. Lines with ``no == 0`` are synthetic and count for no source line.
    """

    no: int
    text: str


@dataclass(frozen=True, slots=True)
class Noise:
    """A non-blank source line that is deliberately not rendered, and why."""

    no: int
    text: str
    reason: str


@dataclass
class Section:
    """A titled part of a note.

    ``level`` is the normalised depth (0 = the note itself, 1 = top sections, ...). A reader
    sets ``kind`` to ``"heading"`` for ordinary titles, ``"caption"`` for slide captions that
    only hint at the topic, ``"root"`` for the note itself. ``flat`` marks sections whose
    siblings carry no depth information (Notion toggles, plain-text titles): routing then
    lets a section without a title of its own inherit from the previous sibling.
    """

    title: str
    title_line: int | None
    level: int
    body: list[Line] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)
    kind: str = "heading"
    flat: bool = False
    hints: tuple[str, ...] = ()

    def walk(self) -> Iterator[Section]:
        """This section and every descendant, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class NoteTree:
    """What a reader returns for one note."""

    file: str
    fmt: str
    root: Section
    noise: list[Noise] = field(default_factory=list)
    title: str | None = None
    toc: dict[str, str] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)  # #tags and front matter tags, in order

    def sections(self) -> Iterator[Section]:
        """Every section except the root, in document order."""
        it = self.root.walk()
        next(it)
        yield from it


def unaccounted_lines(
    text_lines: list[str], tree: NoteTree, extra_reasons: Iterable[str] = ()
) -> list[int]:
    """Line numbers of non-blank source lines that are not placed exactly once with their words.

    A line is unaccounted when it landed nowhere or in two places, when the body line or
    noise record standing for it has other words than the source line (a reader may change
    markup, never words), or when its noise reason is empty or not in :data:`NOISE_REASONS`
    nor ``extra_reasons`` (the ``why`` of the note's override rules).
    """
    reasons = NOISE_REASONS.union(extra_reasons)
    seen: dict[int, int] = {}
    wrong: set[int] = set()

    def words_differ(no: int, text: str) -> bool:
        return 0 < no <= len(text_lines) and _WORD.findall(text) != _WORD.findall(
            text_lines[no - 1]
        )

    for sec in tree.root.walk():
        if sec.title_line:
            seen[sec.title_line] = seen.get(sec.title_line, 0) + 1
        placed = {ln.no for ln in sec.body if ln.no and ln.text.strip()}
        for no in placed:
            seen[no] = seen.get(no, 0) + 1
        wrong.update(ln.no for ln in sec.body if ln.no in placed and words_differ(ln.no, ln.text))
    for n in tree.noise:
        seen[n.no] = seen.get(n.no, 0) + 1
        if not n.reason.strip() or n.reason not in reasons or words_differ(n.no, n.text):
            wrong.add(n.no)
    bad = []
    for i, raw in enumerate(text_lines, start=1):
        if raw.strip() and (seen.get(i, 0) != 1 or i in wrong):
            bad.append(i)
    return bad
