"""Reader for Notion pages exported to plain text, where every toggle became a ``▼`` line.

The export keeps no nesting depth, so ``▼ Section N: Title`` lines open level-1 sections and
every other column-0 toggle opens a flat level-2 one (level 1 when the note has no section
lines). Images were dropped and content of cut-out toggles was spliced into the previous
one; the slide captions left behind (``Amazon EFS – Elastic File System``) are the only trace
of the real topic, so a standalone line naming a catalog entry becomes a ``caption`` section
for routing to use. The title page, the closing page and running headers are noise.
"""

from __future__ import annotations

import re

from studysite.model import Diagnostic, KnownTitle, Noise, NoteTree
from studysite.readers.common import is_blank
from studysite.readers.plaintext import (
    LIST_ITEM,
    Mark,
    assemble,
    clean_title,
    code_fences,
    generic_noise_lines,
    may_be_title,
    names_entry,
    standalone,
)

FORMAT = "notion"

TOGGLE = "▼"
_SECTION = re.compile(r"^▼\s*Section\s+(\d+)\s*:\s*(.*?)\s*$")
_LIST_TOGGLE = re.compile(r"^(\s*)([-*+]|\d{1,9}[.)])[ \t]+▼[ \t]*(.*?)\s*$")
_ATX = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)")
_BY_LINE = re.compile(
    r"^(?:prepared|written|compiled|created|authored|edited|made)\s+by\b\s*:?\s*(.*)$", re.I
)
_CLOSING = re.compile(r"^(?:thank\s*you|thanks)\b.{0,40}$|^the\s+end\W*$", re.I)
CAPTION_MAX = 80
_SENTENCE_END = (".", "!", "?", ",", ";")
# A closing page is a few lines; more than this at the end is content.
_CLOSING_MAX_LINES = 5
# A title page is a few short lines; more or longer lines before the first toggle are content.
_COVER_MAX_LINES = 40
_COVER_MAX_CHARS = 120


def detect(lines: list[str]) -> int:
    """10 for a Notion text export (``▼ Section N:`` or ≥ 20 toggles), 6 for a few toggles
    in a note without Markdown headings, else 0."""
    toggles = 0
    headings = False
    for ln in lines:
        if ln.startswith(TOGGLE):
            if _SECTION.match(ln):
                return 10
            toggles += 1
        elif not headings and _ATX.match(ln):
            headings = True
    if toggles >= 20:
        return 10
    return 6 if toggles >= 3 and not headings else 0


def read(file: str, lines: list[str], known_title: KnownTitle) -> tuple[NoteTree, list[Diagnostic]]:
    """Read a Notion text export into a section tree."""
    fences = code_fences(file, lines)
    first = next(
        (i for i, ln in enumerate(lines, start=1) if ln.startswith(TOGGLE) and i not in fences),
        None,
    )
    noise: dict[int, Noise] = {}
    cover = title_page(lines, first - 1 if first else 0, fences)
    for no in cover:
        noise[no] = Noise(no, lines[no - 1], "title page")
    cover_texts = [lines[no - 1].strip() for no in cover]
    doc_title, author = document_title(cover_texts)
    # Lines that, found again later, are page furniture rather than content. One-word cover
    # lines ("AWS") are too likely to be real content elsewhere.
    furniture = {t for t in cover_texts if len(t.split()) >= 2}
    furniture.update(t for t in (doc_title, author) if t)
    for no in closing_page(lines, fences, furniture):
        noise[no] = Noise(no, lines[no - 1], "closing page")
    noise.update(generic_noise_lines(lines, fences, skip=noise))
    start = first or 1
    for no in range(start, len(lines) + 1):
        if no not in noise and no not in fences and lines[no - 1].strip() in furniture:
            noise[no] = Noise(no, lines[no - 1], "running header")
    marks = _marks(lines, fences, noise, known_title)
    tree = assemble(file, FORMAT, lines, marks, noise, fences, rewrite=unfold_list_toggle)
    tree.title = doc_title
    return tree, []


def title_page(lines: list[str], end: int, fences: set[int]) -> list[int]:
    """Numbers of the title-page lines among the first ``end`` lines (before the first toggle).

    A cover is a handful of short lines; a long run of text before the first toggle is an
    introduction and stays content.
    """
    nos = [no for no in range(1, end + 1) if not is_blank(lines[no - 1])]
    if len(nos) > _COVER_MAX_LINES or any(no in fences for no in nos):
        return []
    texts = [lines[no - 1].strip() for no in nos]
    if any(len(t) > _COVER_MAX_CHARS or LIST_ITEM.match(t) or t.startswith("|") for t in texts):
        return []
    return nos


def _marks(
    lines: list[str], fences: set[int], noise: dict[int, Noise], known_title: KnownTitle
) -> dict[int, Mark]:
    """Section, toggle and caption lines; an empty toggle is added to ``noise``."""
    has_sections = any(
        _SECTION.match(ln) and i not in fences for i, ln in enumerate(lines, start=1)
    )
    toggle_level = 2 if has_sections else 1
    quiet = set(noise)
    marks: dict[int, Mark] = {}
    for idx, raw in enumerate(lines):
        no = idx + 1
        if no in fences or no in noise or is_blank(raw):
            continue
        if raw.startswith(TOGGLE):
            # A toggle with a tab is a console widget captured inside a table row.
            if "\t" in raw:
                continue
            sec = _SECTION.match(raw)
            if sec:
                title = clean_title(sec.group(2)) or f"Section {sec.group(1)}"
                marks[no] = Mark(no, title, 1, flat=False)
                continue
            title = clean_title(raw[len(TOGGLE) :])
            if title:
                marks[no] = Mark(no, title, toggle_level)
            else:
                noise[no] = Noise(no, raw, "empty Notion toggle")
            continue
        text = raw.rstrip()
        if (
            len(text) <= CAPTION_MAX
            and not text.endswith(_SENTENCE_END)
            and may_be_title(text)
            and standalone(lines, idx, quiet)
            and clean_title(text)
            and names_entry(text, known_title)
        ):
            marks[no] = Mark(no, clean_title(text), toggle_level, kind="caption")
    return marks


def unfold_list_toggle(text: str) -> str:
    """``- ▼ X`` (a toggle inside a list item) as the bold list item ``- **X**``."""
    m = _LIST_TOGGLE.match(text)
    if m is None:
        return text
    indent, marker, label = m.groups()
    if not label or "\t" in label:
        return text
    # Bold around a label with its own emphasis or a trailing backslash would break it.
    if "*" in label or label.endswith("\\"):
        return f"{indent}{marker} {label}"
    return f"{indent}{marker} **{label}**"


def document_title(cover: list[str]) -> tuple[str | None, str | None]:
    """The document title and author named on a title page, when it names them.

    ``PREPARED BY`` / ``ARJUNAN K`` gives the author; a running header such as ``AWS
    Solutions Architect: Arjunan K`` then gives the title without the author.
    """
    author: str | None = None
    for i, text in enumerate(cover):
        m = _BY_LINE.match(text)
        if m:
            author = m.group(1).strip() or (cover[i + 1] if i + 1 < len(cover) else None)
            break
    cands = [
        t
        for t in cover
        if len(t.split()) >= 2
        and len(t) <= 100
        and not t.endswith(_SENTENCE_END)
        and not _BY_LINE.match(t)
        and t != author
    ]
    if author:
        tail = re.compile(rf"^(.+?)\s*[:|,–—-]\s*(?:by\s+)?{re.escape(author)}$", re.I)
        for t in cands:
            m = tail.match(t)
            if m and clean_title(m.group(1)):
                return clean_title(m.group(1)), author
    return (cands[0] if cands else None), author


def closing_page(lines: list[str], fences: set[int], furniture: set[str]) -> list[int]:
    """Line numbers of a closing page: ``Thank You`` or cover lines at the very end."""
    out: list[int] = []
    for idx in range(len(lines) - 1, -1, -1):
        raw = lines[idx]
        if is_blank(raw):
            continue
        text = raw.strip()
        if idx + 1 in fences or raw.startswith(TOGGLE) or len(out) >= _CLOSING_MAX_LINES:
            break
        if not (_CLOSING.match(text) or text in furniture):
            break
        out.append(idx + 1)
    return out
