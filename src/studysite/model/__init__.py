"""The data every pipeline step shares, created complete and frozen where nothing changes it.

- :mod:`~studysite.model.tree`: what a reader makes of a note (sections, lines, noise);
- :mod:`~studysite.model.catalog`: catalog entries and categories;
- :mod:`~studysite.model.site`: routed notes, parts, pages, the site and what ``generate`` returns;
- :mod:`~studysite.model.layout`: the project layout (notes/, catalog/, docs/) and page links;
- :mod:`~studysite.model.names`: the vendor prefix (``Amazon``/``AWS``).
"""

from studysite.model.catalog import (
    KINDS,
    Catalog,
    Category,
    Entry,
    Slot,
    Strength,
    Topic,
    TopicSpec,
)
from studysite.model.layout import Layout, relative
from studysite.model.names import VENDOR_PREFIX, strip_vendor
from studysite.model.site import (
    UNSORTED,
    How,
    NavItem,
    Note,
    NoteMeta,
    Page,
    Part,
    RenderedPage,
    Site,
    SiteOutput,
)
from studysite.model.tree import (
    NOISE_REASONS,
    Diagnostic,
    KnownTitle,
    Level,
    Line,
    Noise,
    NoteTree,
    Section,
    unaccounted_lines,
)

__all__ = [
    "KINDS",
    "NOISE_REASONS",
    "UNSORTED",
    "VENDOR_PREFIX",
    "Catalog",
    "Category",
    "Diagnostic",
    "Entry",
    "How",
    "KnownTitle",
    "Layout",
    "Level",
    "Line",
    "NavItem",
    "Noise",
    "Note",
    "NoteMeta",
    "NoteTree",
    "Page",
    "Part",
    "RenderedPage",
    "Section",
    "Site",
    "SiteOutput",
    "Slot",
    "Strength",
    "Topic",
    "TopicSpec",
    "relative",
    "strip_vendor",
    "unaccounted_lines",
]
