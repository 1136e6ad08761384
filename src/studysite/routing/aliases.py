"""One automaton over every catalog alias: finds service names in text in linear time.

Matching rules, shared by routing and cross-linking:
- longest match first at any position ("CloudWatch Events" before "CloudWatch");
- whole words only (no "SAM" inside "SAML", no "RDS" inside "RDSX");
- an all-caps acronym matches its exact case only; in ``text`` mode a one-word alias also
  matches its exact case only ("Lambda", not "lambda"); multi-word aliases match any case;
- in ``title`` mode (section titles) every non-acronym alias matches any case, because
  titles are often written in lower case ("Setion19 cloudwatch").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import ahocorasick

from studysite.routing.catalog import Catalog

Mode = Literal["text", "title"]


@dataclass(frozen=True)
class Alias:
    """One spelling of one entry."""

    text: str
    entry: str
    policy: str = "link"  # "link" or "context-only"

    @property
    def is_acronym(self) -> bool:
        """All-caps short names (SQS, NACL, EC2): these never match another case."""
        letters = [c for c in self.text if c.isalpha()]
        return len(self.text) <= 8 and bool(letters) and all(c.isupper() for c in letters)

    @property
    def multiword(self) -> bool:
        """Names with a space or hyphen between words match in any case."""
        return bool(re.search(r"[\s]", self.text.strip()))


@dataclass(frozen=True)
class Match:
    """An alias found at ``text[start:end]``."""

    start: int
    end: int
    alias: Alias

    @property
    def entry(self) -> str:
        """The catalog entry this match names."""
        return self.alias.entry


def _fold(text: str) -> str:
    """Lower-case without changing the length, so offsets stay valid."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


class AliasMatcher:
    """Leftmost-longest, whole-word alias search over a fixed alias set."""

    def __init__(self, aliases: Iterable[Alias]) -> None:
        self._automaton = ahocorasick.Automaton()
        by_key: dict[str, list[Alias]] = {}
        for alias in aliases:
            key = _fold(alias.text.strip())
            if key:
                by_key.setdefault(key, []).append(alias)
        for key, group in by_key.items():
            # Exact-case spellings first so a case-sensitive hit prefers them.
            self._automaton.add_word(key, (len(key), tuple(group)))
        self._empty = not by_key
        if not self._empty:
            self._automaton.make_automaton()

    def find(self, text: str, mode: Mode = "text") -> list[Match]:
        """Non-overlapping matches, leftmost first, longest at each position."""
        if self._empty or not text:
            return []
        folded = _fold(text)
        candidates: list[tuple[int, int, Alias]] = []
        for end_idx, (length, group) in self._automaton.iter(folded):
            start, end = end_idx - length + 1, end_idx + 1
            if start > 0 and _is_word_char(text[start - 1]) and _is_word_char(text[start]):
                continue
            if end < len(text) and _is_word_char(text[end]) and _is_word_char(text[end - 1]):
                continue
            surface = text[start:end]
            alias = _pick(group, surface, mode)
            if alias is not None:
                candidates.append((start, -(end - start), alias))
        candidates.sort(key=lambda c: (c[0], c[1]))
        out: list[Match] = []
        pos = 0
        for start, neg_len, alias in candidates:
            if start >= pos:
                out.append(Match(start, start - neg_len, alias))
                pos = start - neg_len
        return out


def _pick(group: tuple[Alias, ...], surface: str, mode: Mode) -> Alias | None:
    """The alias of ``group`` that accepts ``surface`` under the case rules, if any."""
    for alias in group:
        if alias.text == surface:
            return alias
    for alias in group:
        if alias.is_acronym:
            continue
        if alias.multiword or mode == "title":
            return alias
    return None


def catalog_matcher(catalog: Catalog, *, include_context_only: bool = True) -> AliasMatcher:
    """A matcher over all aliases of all entries (mentions included)."""
    aliases = []
    for entry in catalog.entries.values():
        for text in entry.aliases:
            policy = entry.policies.get(text, "link")
            if policy == "context-only" and not include_context_only:
                continue
            aliases.append(Alias(text, entry.id, "context-only" if policy != "link" else "link"))
    return AliasMatcher(aliases)
