"""Find a curator's quote in a note, tolerant of whitespace, case and Markdown emphasis.

Both sides are normalised the same way (casefold, whitespace runs to one space, emphasis
and escape characters dropped, typographic quotes and dashes to ASCII) over the whole note,
so a quote may span a soft-wrapped line break. Each normalised character remembers where it
came from, which gives the 1-based line a match starts on and the note's own words for it.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cached_property

# Emphasis and escapes are formatting, not words: "**Max** size" quotes as "Max size".
_DROP = frozenset("*_`\\")
# Notion and word processors turn quotes and dashes typographic; curators type ASCII.
_FOLD = {
    "“": '"',
    "”": '"',
    "„": '"',
    "‘": "'",
    "’": "'",
    "–": "-",
    "—": "-",
    "\u00a0": " ",
}


def normalize(text: str) -> str:
    """The form quotes are compared in."""
    return _normalize(text)[0].strip()


def _normalize(text: str) -> tuple[str, list[int]]:
    out: list[str] = []
    origin: list[int] = []
    space = True  # drop leading whitespace and collapse runs
    for i, ch in enumerate(text):
        if ch in _DROP:
            continue
        ch = _FOLD.get(ch, ch)
        if ch.isspace():
            if not space:
                out.append(" ")
                origin.append(i)
                space = True
            continue
        for c in ch.casefold():
            out.append(c)
            origin.append(i)
        space = False
    return "".join(out), origin


def plain(text: str) -> str:
    """Note text as shown in a table: emphasis markers dropped, whitespace collapsed."""
    text = re.sub(r"\\(?=[^\w\s])", "", text)
    text = re.sub(r"[*_`]+", "", text)
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class Match:
    """One place a quote occurs: the line it starts on and the note's words for it."""

    line: int
    end_line: int
    text: str


@dataclass
class NoteText:
    """One note's lines, normalised once for every quote looked up in it."""

    lines: list[str]

    @cached_property
    def _joined(self) -> str:
        return "\n".join(self.lines)

    @cached_property
    def _starts(self) -> list[int]:
        starts, pos = [], 0
        for line in self.lines:
            starts.append(pos)
            pos += len(line) + 1
        return starts

    @cached_property
    def _norm(self) -> tuple[str, list[int]]:
        return _normalize(self._joined)

    def line_of(self, offset: int) -> int:
        """The 1-based line holding character ``offset`` of the joined note."""
        return bisect.bisect_right(self._starts, offset)

    def find(self, quote: str) -> list[Match]:
        """Every place ``quote`` occurs, as whole words, in document order."""
        q = normalize(quote)
        if not q:
            return []
        norm, origin = self._norm
        out: list[Match] = []
        start = norm.find(q)
        while start != -1:
            end = start + len(q)
            # Whole words only: "7 days" is not in "17 days".
            before = start > 0 and q[0].isalnum() and norm[start - 1].isalnum()
            after = end < len(norm) and q[-1].isalnum() and norm[end].isalnum()
            if not before and not after:
                a, b = origin[start], origin[end - 1] + 1
                out.append(
                    Match(self.line_of(a), self.line_of(b - 1), plain(self._joined[a:b]))
                )
            start = norm.find(q, start + 1)
        return out
