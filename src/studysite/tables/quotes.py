"""Find a curator's quote in a note, tolerant of whitespace, case and Markdown emphasis.

Both sides are normalised the same way (casefold, whitespace runs to one space, emphasis
and escape characters dropped, typographic quotes and dashes to ASCII) over the whole note,
so a quote may span a soft-wrapped line break. A match is mapped back to the characters it
came from: the 1-based line it starts on and the note's own words for it.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cached_property

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
_TRANS = str.maketrans(_FOLD)
# Emphasis and escapes are formatting, not words: "**Max** size" quotes as "Max size".
_EMPHASIS = re.compile(r"[*_`\\]+")
_SPACES = re.compile(r"\s+")
_RUNS = re.compile(r"([*_`\\]+)|(\s+)|([^*_`\\\s]+)")


def normalize(text: str) -> str:
    """The form quotes are compared in (``_normalize`` without the map to the source)."""
    return _SPACES.sub(" ", _EMPHASIS.sub("", text.translate(_TRANS))).strip().casefold()


def _normalize(text: str) -> tuple[str, list[int]]:
    """``normalize`` plus, for each character of the result, its index in ``text``."""
    out: list[str] = []
    origin: list[int] = []
    space = True  # drop leading whitespace and collapse runs
    for m in _RUNS.finditer(text.translate(_TRANS)):
        if m.group(1):
            continue
        if m.group(2):
            if not space:
                out.append(" ")
                origin.append(m.start())
                space = True
            continue
        run, start = m.group(3), m.start()
        folded = run.casefold()
        if len(folded) == len(run):
            out.append(folded)
            origin.extend(range(start, start + len(run)))
        else:  # "ß" folds to "ss": map each piece back to its own character
            for i, ch in enumerate(run):
                f = ch.casefold()
                out.append(f)
                origin.extend([start + i] * len(f))
        space = False
    return "".join(out), origin


_PAIRS = (
    re.compile(r"(\*\*?)(?=\S)(.+?)(?<=\S)\1"),
    re.compile(r"(?<!\w)(__?)(?=\S)(.+?)(?<=\S)\1(?!\w)"),
)
_DOUBLE = re.compile(r"\*\*+|(?<!\w)__+|__+(?!\w)")
_SINGLE = re.compile(r"(?<=\w)[*_](?=[^\w*_]|$)|(?:^|(?<=[^\w*_]))[*_](?=\w)")


def plain(text: str) -> str:
    """Note text as shown in a table: emphasis markers dropped, whitespace collapsed.

    Only markers are dropped: a literal asterisk ("(*)") and ``snake_case`` stay, and so
    does the half of a pair that a quote cuts through.
    """
    text = re.sub(r"\\(?=[^\w\s])", "", text).replace("`", "")
    for pair in _PAIRS:
        text = pair.sub(r"\2", text)
    text = _SINGLE.sub("", _DOUBLE.sub("", text))
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class Match:
    """One place a quote occurs: the line it starts on and the note's words for it."""

    line: int
    end_line: int
    text: str


@dataclass
class NoteText:
    """One note's lines, normalised once for every quote looked up in it.

    The note is normalised line by line and joined with single spaces; a match is mapped
    back to its source characters only for the lines it touches.
    """

    lines: list[str]
    _origins: dict[int, list[int]] = field(default_factory=dict, repr=False)

    @cached_property
    def _index(self) -> tuple[str, list[int], list[int]]:
        parts: list[str] = []
        starts: list[int] = []  # offset of each kept line in the joined text
        numbers: list[int] = []  # its 1-based line number
        pos = 0
        for no, line in enumerate(self.lines, start=1):
            norm = normalize(line)
            if not norm:
                continue
            starts.append(pos)
            numbers.append(no)
            parts.append(norm)
            pos += len(norm) + 1
        return " ".join(parts), starts, numbers

    def _source(self, offset: int, end: bool) -> tuple[int, int]:
        """(line number, column in that line) of a normalised offset."""
        _, starts, numbers = self._index
        k = bisect.bisect_right(starts, offset) - 1
        no = numbers[k]
        origin = self._origins.get(no)
        if origin is None:
            origin = self._origins[no] = _normalize(self.lines[no - 1])[1]
        local = min(offset - starts[k], len(origin) - 1)
        return no, origin[local] + (1 if end else 0)

    def find(self, quote: str) -> list[Match]:
        """Every place ``quote`` occurs, as whole words, in document order."""
        q = normalize(quote)
        if not q:
            return []
        norm = self._index[0]
        out: list[Match] = []
        start = norm.find(q)
        while start != -1:
            end = start + len(q)
            # Whole words only: "7 days" is not in "17 days".
            before = start > 0 and q[0].isalnum() and norm[start - 1].isalnum()
            after = end < len(norm) and q[-1].isalnum() and norm[end].isalnum()
            if not before and not after:
                first, col = self._source(start, end=False)
                last, end_col = self._source(end - 1, end=True)
                if first == last:
                    words = self.lines[first - 1][col:end_col]
                else:
                    words = "\n".join(
                        [
                            self.lines[first - 1][col:],
                            *self.lines[first : last - 1],
                            self.lines[last - 1][:end_col],
                        ]
                    )
                out.append(Match(first, last, plain(words)))
            start = norm.find(q, start + 1)
        return out
