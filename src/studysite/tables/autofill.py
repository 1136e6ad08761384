"""Propose the cells nobody curated: a claim of the item's page that answers the row.

A line is a candidate for a cell only when it is a claim (a sentence or bullet with words, not
a heading, a label ending in a colon, a table row, a link or a practice question's choice),
stands on the item's page (a sub-item such as an S3 storage class must be named by the line
or by the title of its block) and does not speak of a sibling column instead, and matches the
row's kind:

- ``number``: a key fact (:func:`studysite.facts.facts_in`) of a fitting unit, in a line
  that names the row (a keyword);
- ``choice``: a spelling of one of the row's values (the longest spelling wins: "near real
  time" is not "real time");
- ``text``: the row's keywords and none of its ``exclude`` words.

Each candidate gets a score; below :data:`THRESHOLD` it is dropped (precision over recall).
:func:`fill_column` then gives each row of one column its best candidate, a line answering
at most one row unless it matches each row's kind on its own (a value for each).
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass

from studysite.facts import facts_in
from studysite.facts.extract import UNITS
from studysite.model import Part, Site
from studysite.routing.aliases import catalog_matcher
from studysite.tables.quotes import normalize, plain
from studysite.tables.spec import Row

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
# Keywords that name no dimension on their own: they count for no hit.
# fmt: off
_WEAK = frozenset({
    "access", "check", "code", "content", "control", "data", "default", "ec2", "example",
    "file", "instance", "instances", "need", "note", "services", "set", "standard", "support",
    "supported", "users", "works", "changes", "change", "service", "fifo", "api", "local",
})
# fmt: on
_MAX = 200  # characters: a cell is a quote, not a section
_LEAD_WORDS = 5  # a service named within a line's first words is what the line is about
# A proposal must reach this score: a value of the row's kind plus one more sign that the line
# is about the row, or two for a text row (see _score_*).
THRESHOLD = 2.0


@dataclass(frozen=True)
class Proposal:
    """A line proposed for a cell: where it is, the words to show, its value and score."""

    file: str
    line: int
    text: str
    hits: int
    value: str = ""
    score: float = 0.0


def default_keywords(dimension: str) -> tuple[str, ...]:
    """Keywords for a row that declares none: the dimension's longer words."""
    words = re.findall(r"[A-Za-z][\w-]{3,}", dimension)
    return tuple(w for w in words if w.lower() not in _STOP)


def _has(norm_text: str, word: str) -> bool:
    return _word(word).search(norm_text) is not None


# Every row of every table scans its items' pages line by line: compile each keyword once
# and normalize each line once, not once per row.
@functools.cache
def _word(word: str) -> re.Pattern[str]:
    w = normalize(word)
    # Plurals and verb forms of a single word count: "replica" finds "replicas".
    tail = r"(?:s|es)?" if re.fullmatch(r"[a-z]{4,}", w) else ""
    return re.compile(rf"(?<![\w-]){re.escape(w)}{tail}(?![\w-])")


_normalized = functools.lru_cache(maxsize=1 << 16)(normalize)

_LINK = re.compile(r"!?\[\[([^\]|#]*)(?:#[^\]|]*)?(?:\|([^\]]*))?\]\]")
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_FOOTNOTE = re.compile(r"\[\^[^\]]*\]")
_TAG = re.compile(r"</?[A-Za-z][^>]*>")
_MARK = re.compile(r"^\s*(?:[-*+•▼]\s+|\d+[.)]\s+|>\s*)+")
_FENCE = re.compile(r"^\s*(```|~~~)")


def clean(raw: str) -> str:
    """A note line as plain cell text: no list mark, link syntax, footnote mark, HTML tag,
    escaped entity, table pipe escape or emphasis."""
    text = _LINK.sub(lambda m: m.group(2) or m.group(1), raw)
    text = _MD_LINK.sub(r"\1", text)
    text = _FOOTNOTE.sub("", _TAG.sub("", text))
    text = html.unescape(html.unescape(text)).replace("\\|", "|")
    text = text.replace("==", "")  # Obsidian highlight
    return plain(_MARK.sub("", text))


def _claim(raw: str) -> str | None:
    """The line as plain text when it is a claim, else ``None``."""
    s = raw.strip()
    if not s or s[0] in "#|<!" or s.startswith(("```", "~~~", "[[", "![")) or s.count("|") >= 2:
        return None
    if re.fullmatch(r"(?:\[[^\]]*\]\([^)]*\)[\s,;|-]*)+", _MARK.sub("", s)):
        return None  # a table of contents entry: links only
    text = clean(s)
    if re.search(r"\\[a-z]{2,}|\$\$", text):
        return None  # LaTeX: "IO Size \times IOPS"
    words = len(re.findall(r"[A-Za-zÀ-ÿ]{2,}", text))
    if text.endswith((":", "?")) or words < (3 if re.search(r"\d", text) else 5):
        return None  # "Retention:", a question, a heading ("Snowball Edge Compute Optimized")
    if re.fullmatch(r"\*\*[^*]+\*\*:?", s) or re.fullmatch(r"[A-D][.)]\s.*", text):
        return None  # a bold label, a practice question's choice
    return text


@dataclass(frozen=True)
class _Line:
    part: Part
    no: int
    text: str  # plain
    norm: str
    title: str  # the block's title and subtopic, normalized
    lead: str  # the catalog entry the line names first, within its first words ("": none)


class Pages:
    """The claims of each page and the key facts of each part, read once per build."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.notes = {n.file: n for n in site.notes}
        self._lines: dict[str, tuple[_Line, ...]] = {}
        self._matcher = catalog_matcher(site.catalog, include_context_only=False)
        self._facts: dict[int, dict[int, list[tuple[str, str, str]]]] = {}
        self._words: dict[int, tuple[str, ...]] = {}
        self._eligible: dict[tuple[object, ...], tuple[_Line, ...]] = {}

    def lines(self, page_id: str) -> tuple[_Line, ...]:
        """The claims of one page, in part and line order (practice questions left out)."""
        if page_id not in self._lines:
            self._lines[page_id] = self._read(page_id)
        return self._lines[page_id]

    def _read(self, page_id: str) -> tuple[_Line, ...]:
        page = self.site.pages.get(page_id)
        if page is None:
            return ()
        out: list[_Line] = []
        for part in page.parts:
            if part.kind == "question":
                continue
            raw_lines = self.notes[part.file].lines
            title = _normalized(f"{part.title} {part.label} {part.topic.replace('-', ' ')}")
            fenced = False
            for ln in part.lines:
                if _FENCE.match(ln.text):
                    fenced = not fenced
                    continue
                if fenced or not ln.no or ln.no == part.title_line:
                    continue
                if not 0 < ln.no <= len(raw_lines):
                    continue
                text = _claim(raw_lines[ln.no - 1])
                if text is not None:
                    lead = self._lead(text)
                    out.append(_Line(part, ln.no, text, _normalized(text), title, lead))
        return tuple(out)

    def _lead(self, text: str) -> str:
        """The entry a line names first, when that is among its first words: what the line
        is about ("using Kinesis: ...", "Subscribers: Email, Lambda, SQS")."""
        entries = self.site.catalog.entries
        found = [m for m in self._matcher.find(text) if entries[m.entry].kind == "service"]
        if not found or len(text[: found[0].start].split()) >= _LEAD_WORDS:
            return ""
        return found[0].entry

    def family(self, page_id: str) -> frozenset[str]:
        """A page's entry, its parent and its children: names that speak of the page."""
        entries = self.site.catalog.entries
        entry = entries.get(page_id)
        out = {page_id} | {e.id for e in entries.values() if e.parent == page_id}
        if entry is not None and entry.parent:
            out.add(entry.parent)
        return frozenset(out)

    def eligible(
        self, page_id: str, item_words: tuple[str, ...], sibling_words: tuple[str, ...], sub: bool
    ) -> tuple[_Line, ...]:
        """The claims of ``page_id`` that may speak of one item (see :func:`candidates`)."""
        key = (page_id, item_words, sibling_words, sub)
        if key not in self._eligible:
            out = []
            family = self.family(page_id)
            for line in self.lines(page_id):
                mine = _names(line.norm, item_words)
                if line.lead and line.lead not in family and not (sub and mine):
                    continue  # the line is about another service
                if not mine and _names(line.norm, sibling_words):
                    continue  # a line naming a sibling and not the item speaks of the sibling
                if not mine and _names(line.title, sibling_words):
                    continue  # a block about a sibling (the SNS part of a messaging note)
                if sub and not mine and not _names(line.title, item_words):
                    continue  # a sub-item is named by the line or by its block
                out.append(line)
            self._eligible[key] = tuple(out)
        return self._eligible[key]

    def words(self, row: Row) -> tuple[str, ...]:
        """The keywords that count as naming ``row``: no unit, weak word or value spelling."""
        key = id(row)
        if key not in self._words:
            spelled = {normalize(s) for _, ss in row.values for s in ss}
            self._words[key] = tuple(
                k
                for k in _keywords(row)
                if not _unit_word(k) and k.lower() not in _WEAK and normalize(k) not in spelled
            )
        return self._words[key]

    def facts(self, part: Part) -> dict[int, list[tuple[str, str, str]]]:
        """Per line of ``part``, its key facts as (kind, value, phrase)."""
        key = id(part)
        if key not in self._facts:
            out: dict[int, list[tuple[str, str, str]]] = {}
            for f in facts_in(part):
                out.setdefault(f.line, []).append((f.kind, f.value, _normalized(f.fact)))
            self._facts[key] = out
        return self._facts[key]


def _choices(row: Row, norm: str) -> list[str]:
    """The row's values a line spells, each once, longest spelling first."""
    spellings = sorted(
        ((normalize(s), v) for v, ss in row.values for s in ss), key=lambda sv: -len(sv[0])
    )
    found: list[str] = []
    text = norm
    for s, v in spellings:
        m = _word(s).search(text)
        if m is None:
            continue
        text = text[: m.start()] + " " * (m.end() - m.start()) + text[m.end() :]
        if v not in found:
            found.append(v)
    return found


def _keywords(row: Row) -> tuple[str, ...]:
    return row.keywords or default_keywords(row.dimension)


def _unit_word(word: str) -> bool:
    return word.lower() in UNITS


def _score(pages: Pages, row: Row, line: _Line) -> tuple[float, str, int]:
    """(score, value, keyword hits) of one line for one row; score 0: it does not answer."""
    if any(_has(line.norm, w) for w in row.exclude):
        return 0.0, "", 0
    words = pages.words(row)
    hits = sum(1 for k in words if _has(line.norm, k))
    in_title = any(_has(line.title, k) for k in words)
    if row.kind == "number":
        facts = [f for f in pages.facts(line.part).get(line.no, []) if f[0] in row.units]
        if not facts:
            return 0.0, "", hits
        named = [f for f in facts if any(_has(f[2], k) for k in words)]
        value = (named or facts)[0][1]
        # A fitting number named by the row, or a line naming the row twice.
        score = 1.0 + (1.5 if named else 0.0) + 0.5 * hits + (0.5 if in_title else 0.0)
        return score, value, hits
    if row.kind == "choice":
        found = _choices(row, line.norm)
        if not found:
            return 0.0, "", hits
        # A value plus the row named in the line or its block; a lone value is weaker.
        score = 1.5 + min(hits, 1) + (0.5 if in_title else 0.0) - (len(found) - 1)
        return score, " / ".join(found), hits
    if not hits:
        return 0.0, "", 0
    return float(hits) + (1.0 if in_title else 0.0), "", hits


def _names(norm: str, words: tuple[str, ...]) -> bool:
    return any(w and _has(norm, w) for w in words)


def candidates(
    pages: Pages,
    page_id: str,
    row: Row,
    item_words: tuple[str, ...] = (),
    sibling_words: tuple[str, ...] = (),
    sub: bool = False,
) -> list[Proposal]:
    """The lines of ``page_id`` that answer ``row`` for one item, best first.

    ``item_words`` name the item, ``sibling_words`` the other columns: a line naming a
    sibling and not the item speaks of the sibling. A sub-item must be named by the line,
    or by its block's title when the line names no sibling.
    """
    out: list[Proposal] = []
    for line in pages.eligible(page_id, item_words, sibling_words, sub):
        score, value, hits = _score(pages, row, line)
        if score < THRESHOLD:
            continue
        if len(line.text) > _MAX:
            score -= 0.5  # a long line is less likely a cell's answer
        out.append(
            Proposal(line.part.file, line.no, _trim(line.text, row), hits, value, round(score, 2))
        )
    out.sort(key=lambda p: -p.score)  # stable: the earlier line on ties
    return [p for p in out if p.score >= THRESHOLD]


def fill_column(
    rows: list[Row], ranked: dict[int, list[Proposal]], used: set[tuple[str, int]]
) -> dict[int, Proposal]:
    """The proposal for each row (by index) of one column, best scores first.

    ``used`` holds the lines the column already shows (curated quotes); a line may answer a
    second row only when both are number or choice rows (it then holds a value for each).
    """
    taken: dict[tuple[str, int], list[int]] = {}
    for where in used:
        taken[where] = [-1]
    order = sorted(
        ((p.score, -r, k, p) for r, ps in ranked.items() for k, p in enumerate(ps)),
        key=lambda t: (-t[0], -t[1], t[2]),
    )
    out: dict[int, Proposal] = {}
    for _, neg_r, _, p in order:
        r = -neg_r
        if r in out:
            continue
        where = (p.file, p.line)
        holders = taken.get(where, [])
        if holders and not all(
            h >= 0 and rows[h].kind != "text" and rows[r].kind != "text" for h in holders
        ):
            continue
        out[r] = p
        taken.setdefault(where, []).append(r)
    return out


def propose(
    site: Site,
    page_id: str,
    keywords: tuple[str, ...],
    item_words: tuple[str, ...] = (),
    min_hits: int = 1,
) -> Proposal | None:
    """The best line of ``page_id`` for these keywords (a text row), or ``None``."""
    row = Row("", keywords, {})
    ps = candidates(Pages(site), page_id, row, item_words, sub=bool(item_words))
    ps = [p for p in ps if p.hits >= min_hits]
    return ps[0] if ps else None


def _trim(text: str, row: Row) -> str:
    """The claim cut to the sentence that answers the row, at most :data:`_MAX` characters."""
    if len(text) <= _MAX:
        return text
    words = _keywords(row) + tuple(s for _, ss in row.values for s in ss)
    for s in re.split(r"(?<=[.!?])\s+", text):
        if any(_has(normalize(s), k) for k in words):
            text = s
            break
    if len(text) > _MAX:
        text = text[:_MAX].rsplit(" ", 1)[0] + " …"
    return text
