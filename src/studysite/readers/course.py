"""Reader for course notes: ``## SectionN_Title`` headings, ``__Topic__`` and ``*Subtopic*``
pseudo-headings, body text mostly in blockquotes (seed 003).

Such notes mark their structure with emphasis on a line of its own rather than with ``#``:
a bold-only line opens a topic, an italic-only line a subtopic. The author often puts no
blank line between a title and what follows, so the tokenizer merges them into one
paragraph; titles are therefore found per physical line of paragraph text.
"""

from __future__ import annotations

import re

from studysite.model import Diagnostic, KnownTitle, NoteTree
from studysite.readers.markdown import (
    Title,
    bold_title,
    build_tree,
    clean_title,
    heading_noise,
    lone_h1,
    mark_generic_noise,
    outside_fences,
    prepare,
    pseudo_candidate,
    take_document_title,
)

FORMAT = "course"

# Fewer numbered section headings than this is an ordinary note that mentions a section.
MIN_SECTIONS = 3
# Italic lines are this format's subtopic markup, and real ones run long (003: a 79-char
# "Don't config AWS key and ID in EC2 instance and use IAM for EC2 instance access").
MAX_EM_TITLE = 80

_SECTION_LINE = re.compile(r"^ {0,3}#{1,6}[ \t]*(?:Section|Setion)[ _]?\d+", re.I)
_SECTION_TITLE = re.compile(r"^(?:Section|Setion)[ _]?(\d+)[ \t]*[_:.\-–—]?[ \t]*(.*)$", re.I)
# One italic span on its own line; the closing `*` may be missing (003: `*Server Name
# Indication(SNI)`). A space after the first `*` would make it a bullet instead.
_EM_LINE = re.compile(r"^\s*\*(?![\s*])([^*]*[^*\s])\*?\s*$")
_WORD_UNDERSCORE = re.compile(r"(?<=[^\W_])_+(?=[^\W_])")


def detect(lines: list[str]) -> int:
    """10 for at least :data:`MIN_SECTIONS` ``## SectionN`` headings (``Setion`` typo too)."""
    count = sum(1 for _no, line in outside_fences(lines) if _SECTION_LINE.match(line))
    return 10 if count >= MIN_SECTIONS else 0


def course_title(text: str) -> str:
    """Underscores between words are separators in these notes (`AMI_is_Region_Locked`)."""
    return _WORD_UNDERSCORE.sub(" ", text)


def section_title(text: str) -> str:
    """``Section4_IAM+AWS CLI`` -> ``IAM+AWS CLI``; other headings are only cleaned."""
    title = clean_title(text)
    m = _SECTION_TITLE.match(title)
    if m and m.group(2).strip():
        return course_title(m.group(2).strip())
    return course_title(title)


def em_title(line: str) -> str | None:
    """The subtopic title when a paragraph line is only one italic span."""
    m = _EM_LINE.match(line)
    if not m:
        return None
    inner = m.group(1)
    # `*__TODO note__*` is an emphasised remark, like `***Exam Note:***`.
    if inner.startswith("__") and inner.endswith("__"):
        return None
    title = course_title(clean_title(inner))
    if not title or len(title) > MAX_EM_TITLE or title[-1] in ".!":
        return None
    return title


def read(file: str, lines: list[str], known_title: KnownTitle) -> tuple[NoteTree, list[Diagnostic]]:
    """Read course notes: sections, then bold topics, then italic subtopics, all flat."""
    prep = prepare(file, lines)
    doc_title = prep.title
    h1 = lone_h1(prep, lines)
    if h1 is not None:
        taken = take_document_title(prep, h1)
        doc_title = taken if taken is not None else doc_title

    titles: dict[int, Title] = {}
    open_depths: list[int] = []
    level = 0  # of the last real heading
    topic = 0  # level of the open bold topic under it, 0 when none
    for no, line in enumerate(lines, start=1):
        h = prep.blocks.headings.get(no)
        if h is not None and no not in prep.noise:
            reason = heading_noise(h, lines)
            if reason:
                prep.noise[no] = reason
                continue
            while open_depths and open_depths[-1] >= h.depth:
                open_depths.pop()
            open_depths.append(h.depth)
            level, topic = len(open_depths), 0
            titles[no] = Title(section_title(h.text), level, extra=h.extra)
        elif pseudo_candidate(prep.blocks, no, line):
            bold = bold_title(line)
            if bold:
                topic = level + 1
                titles[no] = Title(course_title(bold), topic, flat=True)
                continue
            sub = em_title(line)
            if sub:
                # A subtopic right under a section (no topic yet) is one level below it.
                titles[no] = Title(sub, (topic or level) + 1, flat=True)
    mark_generic_noise(lines, prep.blocks, titles, prep.noise)
    return build_tree(file, FORMAT, lines, titles, prep.noise, doc_title), prep.diagnostics
