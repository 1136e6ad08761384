"""Reader for GitHub Markdown notes that open with a linked table of contents (seed 000).

In such notes the ``#`` depth of a heading says little (categories and services both use
``#``; some services sit under another service as ``###``). The table of contents is the
authority: its group names are the categories and its ``(#anchor)`` links name the services,
so each body heading is classified by its text, whatever its ``#`` count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import unquote

from studysite.model import Diagnostic, KnownTitle, NoteTree
from studysite.readers.common import is_blank
from studysite.readers.markdown import (
    Heading,
    Title,
    bold_title,
    build_tree,
    clean_title,
    first_content_line,
    heading_noise,
    lone_h1,
    mark_generic_noise,
    outside_fences,
    prepare,
    pseudo_candidate,
    take_document_title,
)

FORMAT = "toc_markdown"

# Fewer links than this is a short link list, not a table of contents worth trusting.
MIN_TOC_LINKS = 10

_CONTENTS_TITLES = {"contents", "table of contents", "toc"}
_CONTENTS_LINE = re.compile(r"^ {0,3}#{1,6}[ \t]+(?:(?:table of[ \t]+)?contents|toc)[ \t#]*$", re.I)
_TOC_ITEM = re.compile(r"^([ \t]*)(?:[-*+]|\d+[.)])[ \t]+\[([^\]]+)\]\(#([^)\s]+)\)\s*$")
_SLUG_DROP = re.compile(r"[^\w\- ]")

CATEGORY, SERVICE = 1, 2


def detect(lines: list[str]) -> int:
    """10 for a ``Contents`` heading plus at least :data:`MIN_TOC_LINKS` in-page TOC links."""
    contents = False
    links = 0
    for _no, line in outside_fences(lines):
        if _CONTENTS_LINE.match(line):
            contents = True
        elif _TOC_ITEM.match(line):
            links += 1
    return 10 if contents and links >= MIN_TOC_LINKS else 0


def github_slug(text: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to ``-``."""
    return _SLUG_DROP.sub("", text.strip().lower()).replace(" ", "-")


def _key(text: str) -> str:
    """Group names compare case- and spacing-insensitively (`###  Migration & Transfer `)."""
    return " ".join(text.split()).casefold()


@dataclass
class Toc:
    """The table of contents of a note."""

    anchors: dict[str, str] = field(default_factory=dict)  # anchor -> group name
    groups: dict[str, str] = field(default_factory=dict)  # _key(name) -> name
    lines: list[int] = field(default_factory=list)  # lines that are only TOC
    link_lines: dict[str, int] = field(default_factory=dict)  # anchor -> its TOC line


def find_contents(headings: dict[int, Heading]) -> Heading | None:
    """The first ``Contents``/``Table of contents`` heading."""
    for no in sorted(headings):
        if clean_title(headings[no].text).casefold() in _CONTENTS_TITLES:
            return headings[no]
    return None


def parse_toc(lines: list[str], headings: dict[int, Heading], contents: Heading) -> Toc:
    """Read the TOC under ``contents``: group headings, each followed by ``- [Text](#anchor)``.

    The TOC ends at the first line that is neither: a group heading not followed by links
    (000's ``### Docs``) is content. Without group headings, top-level links that have nested
    links act as the groups.
    """
    toc = Toc(lines=[contents.no, *contents.extra])
    group = ""
    enclosing: list[tuple[int, str, str]] = []  # (indent, text, anchor) of open items
    parents: dict[str, str] = {}  # anchor of a top-level item with children -> its text
    no = contents.no + 1 + len(contents.extra)
    while no <= len(lines):
        line = lines[no - 1]
        if is_blank(line):
            no += 1
            continue
        h = headings.get(no)
        if h is not None:
            nxt = first_content_line(lines, no + 1 + len(h.extra))
            if not nxt or nxt in headings or not _TOC_ITEM.match(lines[nxt - 1]):
                break
            group = clean_title(h.text)
            toc.groups[_key(group)] = group
            toc.lines += [no, *h.extra]
            enclosing = []
            no = nxt
            continue
        m = _TOC_ITEM.match(line)
        if not m:
            break
        indent = len(m.group(1).expandtabs(4))
        text, anchor = clean_title(m.group(2)), unquote(m.group(3)).lower()
        while enclosing and enclosing[-1][0] >= indent:
            enclosing.pop()
        owner = group
        if not group and enclosing:
            owner = enclosing[0][1]
            parents[enclosing[0][2]] = owner
            toc.groups[_key(owner)] = owner
        toc.anchors.setdefault(anchor, owner)
        toc.link_lines.setdefault(anchor, no)
        enclosing.append((indent, text, anchor))
        toc.lines.append(no)
        no += 1
    for anchor, text in parents.items():
        toc.anchors[anchor] = text
    if not toc.anchors:
        # A section that happens to be called "Contents" is content.
        return Toc()
    return toc


def read(file: str, lines: list[str], known_title: KnownTitle) -> tuple[NoteTree, list[Diagnostic]]:
    """Read a note whose TOC classifies its headings into categories and services."""
    prep = prepare(file, lines)
    headings = prep.blocks.headings
    contents = find_contents(headings)
    toc = parse_toc(lines, headings, contents) if contents else Toc()
    for no in toc.lines:
        prep.noise[no] = "table of contents"
    anchor_set = set(toc.anchors)

    doc_title = prep.title
    first = first_content_line(lines, prep.start)
    h0 = headings.get(first)
    if not (h0 and contents and h0.no < contents.no):
        h0 = lone_h1(prep, lines)
    if h0 is not None and h0.no not in prep.noise:
        text = clean_title(h0.text)
        if _key(text) not in toc.groups and github_slug(text) not in anchor_set:
            taken = take_document_title(prep, h0)
            doc_title = taken if taken is not None else doc_title

    titles: dict[int, Title] = {}
    category = ""  # _key of the open category
    base = 0  # level of the last category/service heading
    others: list[int] = []  # '#' counts of open unclassified headings below it
    level = 0
    matched: set[str] = set()
    for no, line in enumerate(lines, start=1):
        h = headings.get(no)
        if h is not None and no not in prep.noise:
            reason = heading_noise(h, lines)
            if reason:
                prep.noise[no] = reason
                continue
            text = clean_title(h.text)
            key, slug = _key(text), github_slug(text)
            # A category repeated as its own first service (`# Disaster Recovery` then
            # `## Disaster Recovery`) is the service the second time.
            if key in toc.groups and key != category:
                level = base = CATEGORY
                category, others = key, []
                matched.add(slug)
            elif slug in anchor_set:
                level = base = SERVICE
                others = []
                matched.add(slug)
            else:
                while others and others[-1] >= h.depth:
                    others.pop()
                others.append(h.depth)
                level = base + len(others)
            titles[no] = Title(text, level, extra=h.extra)
        elif pseudo_candidate(prep.blocks, no, line):
            bold = bold_title(line)
            if bold:
                titles[no] = Title(bold, level + 1, flat=True)

    diags = list(prep.diagnostics)
    for anchor in sorted(anchor_set - matched, key=lambda a: toc.link_lines[a]):
        diags.append(
            Diagnostic(
                file,
                toc.link_lines[anchor],
                f"the table of contents links to #{anchor}, but no heading has that anchor",
                "info",
            )
        )
    mark_generic_noise(lines, prep.blocks, titles, prep.noise)
    tree = build_tree(file, FORMAT, lines, titles, prep.noise, doc_title, toc.anchors)
    return tree, diags
