"""Propose a cell nobody curated: the line of the item's page that best matches the row.

A row's ``keywords`` (or, failing those, the longer words of its dimension) are looked for,
as whole words, in every placed line of the item's page; the line naming most of them wins,
the earlier on ties. A sub-item (an S3 storage class on the storage-classes page) must also
be named, by its label or keywords, in the line or in the title of the section it sits in.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from studysite.model import Site
from studysite.tables.quotes import normalize, plain

# Words too common to say what a row is about ("Typical use cases", "Pricing model").
# fmt: off
_STOP = frozenset({
    "about", "after", "also", "and", "are", "best", "case", "cases", "does", "each", "extra",
    "extras", "feature", "features", "from", "general", "have", "into", "kind", "level",
    "main", "many", "mode", "model", "more", "most", "much", "name", "names", "notes",
    "only", "option", "options", "other", "over", "purpose", "same", "special", "than",
    "that", "their", "them", "then", "there", "these", "they", "this", "type", "types",
    "typical", "used", "uses", "using", "what", "when", "where", "which", "while", "with",
    "your",
})
# fmt: on
_MAX = 200  # characters: a cell is a quote, not a section


@dataclass(frozen=True)
class Proposal:
    """A line proposed for a cell: where it is and the words to show."""

    file: str
    line: int
    text: str
    hits: int


def default_keywords(dimension: str) -> tuple[str, ...]:
    """Keywords for a row that declares none: the dimension's longer words."""
    words = re.findall(r"[A-Za-z][\w-]{3,}", dimension)
    return tuple(w for w in words if w.lower() not in _STOP)


def _has(norm_text: str, word: str) -> bool:
    return _word(word).search(norm_text) is not None


# Every row of every table scans its items' pages line by line: compile each keyword once
# and normalize each line once, not once per row (a page of 20,000 sections made this the
# costliest stage).
@functools.cache
def _word(word: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(normalize(word))}(?!\w)")


_normalized = functools.lru_cache(maxsize=1 << 16)(normalize)


@functools.lru_cache(maxsize=1 << 16)
def _line(raw: str) -> tuple[str, int]:
    norm = normalize(raw)
    return norm, len(norm.split())


def propose(
    site: Site,
    page_id: str,
    keywords: tuple[str, ...],
    item_words: tuple[str, ...] = (),
    min_hits: int = 1,
) -> Proposal | None:
    """The best line of ``page_id`` for these keywords, or ``None`` when none qualifies."""
    page = site.pages.get(page_id)
    if page is None or not keywords:
        return None
    notes = {n.file: n for n in site.notes}
    best: Proposal | None = None
    for part in page.parts:
        lines = notes[part.file].lines
        title = _normalized(part.title)
        for no in part.line_numbers:
            if no == part.title_line or not 0 < no <= len(lines):
                continue
            raw = lines[no - 1]
            norm, words = _line(raw)
            if words < 3:
                continue  # "Retention:" alone says nothing
            if item_words and not any(_has(norm, w) or _has(title, w) for w in item_words):
                continue
            hits = sum(1 for k in keywords if _has(norm, k))
            if hits < min_hits or (best is not None and hits <= best.hits):
                continue
            best = Proposal(part.file, no, _trim(raw, keywords), hits)
    return best


def _trim(raw: str, keywords: tuple[str, ...]) -> str:
    """The line without its list marker, cut to the sentence that names a keyword."""
    text = plain(re.sub(r"^\s*(?:[-*+•▼]\s+|\d+[.)]\s+|>\s*)+", "", raw))
    if len(text) <= _MAX:
        return text
    sentences = re.split(r"(?<=[.!?])\s+", text)
    for s in sentences:
        if any(_has(normalize(s), k) for k in keywords):
            text = s
            break
    if len(text) > _MAX:
        text = text[:_MAX].rsplit(" ", 1)[0] + " …"
    return text
