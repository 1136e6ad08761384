"""Reader for generic Markdown notes, and the line-placing engine all Markdown readers share.

The block tokenizer (markdown-it) decides what each line *is* (a heading, fenced code,
paragraph text); the format-specific readers (this one, :mod:`.toc_markdown`,
:mod:`.course`) only decide which of those lines are section titles and at what depth.
:func:`build_tree` then turns "these lines are titles, those are noise" into a
:class:`~studysite.model.NoteTree` in which every other line is body text, so no reader can
lose a line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import pairwise

import yaml

from studysite.errors import NoteError
from studysite.markdown_tokens import block_tokens
from studysite.model import Diagnostic, KnownTitle, Line, Noise, NoteTree, Section
from studysite.readers.common import generic_noise, is_blank

FORMAT = "markdown"

# Pseudo-headings longer than this are emphasised sentences, not titles (000: 118-char bold
# statement vs. 60-char bold heading).
MAX_BOLD_TITLE = 70

# --- cheap fence-aware line scan (detection only; reading uses the real tokenizer) -------

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
_ATX = re.compile(r"^ {0,3}#{1,6}[ \t]+\S")
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$")
# A line that could be the text of a setext heading: not a list item, quote, heading or table.
_PLAIN_TEXT = re.compile(r"^ {0,3}(?![-*+>#|]|\d+[.)](?:\s|$))\S")
_FRONT_MATTER_END = re.compile(r"^(?:---|\.\.\.)\s*$")


def outside_fences(lines: list[str]) -> Iterator[tuple[int, str]]:
    """``(line number, text)`` of lines outside fenced code, for quick format detection.

    Only :func:`detect`-style scoring uses this: ``sniff`` runs every reader's ``detect`` on
    every note, and a full tokenizer pass per reader would dominate the build time.
    """
    fence = ""
    for no, line in enumerate(lines, start=1):
        m = _FENCE.match(line)
        if fence:
            run = m.group(1) if m else ""
            if m and run[:1] == fence[0] and len(run) >= len(fence) and not m.group(2).strip():
                fence = ""
            continue
        if m and not (m.group(1)[0] == "`" and "`" in m.group(2)):
            fence = m.group(1)
            continue
        yield no, line


def front_matter_date(lines: list[str]) -> str | None:
    """The ``date:`` of a note's front matter as written ("2023-05-01"), else None."""
    skip = front_matter_end(lines)
    for line in lines[1 : skip - 1] if skip else []:
        m = re.match(r"date:\s*['\"]?([^'\"#]+?)['\"]?\s*(?:#.*)?$", line)
        if m:
            return m[1]
    return None


def front_matter_end(lines: list[str]) -> int:
    """Number of lines the YAML front matter block takes at the top (0 when there is none)."""
    if not lines or lines[0].rstrip() != "---":
        return 0
    for i in range(1, len(lines)):
        if _FRONT_MATTER_END.match(lines[i]):
            return i + 1
    return 0


def heading_count(lines: list[str]) -> int:
    """ATX and setext headings outside fences and front matter (an estimate, for detection)."""
    skip = front_matter_end(lines)
    count = 0
    prev_no, prev = 0, ""
    for no, line in outside_fences(lines):
        if no <= skip:
            continue
        setext = (
            _SETEXT_UNDERLINE.match(line)
            and prev_no == no - 1
            and _PLAIN_TEXT.match(prev)
            and not _ATX.match(prev)
        )
        if setext or _ATX.match(line):
            count += 1
        prev_no, prev = no, line
    return count


def has_headings(lines: list[str]) -> bool:
    """Whether the note has any Markdown heading outside code (then it is Markdown at all)."""
    return heading_count(lines) > 0


def detect(lines: list[str]) -> int:
    """1 for any note with a Markdown heading: the fallback every specific format outranks."""
    return 1 if has_headings(lines) else 0


# --- block scan -------------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    """A top-level heading as the tokenizer saw it."""

    no: int  # 1-based line of its (first) text line
    depth: int  # '#' count; setext: 1 for '=', 2 for '-'
    text: str  # inline source, markup included
    extra: tuple[int, ...] = ()  # further lines of a setext heading (continuation, underline)


@dataclass
class Blocks:
    """What the tokenizer says about the lines of a note."""

    headings: dict[int, Heading] = field(default_factory=dict)
    # Lines that are paragraph text when they start with text (not a list marker or `>`):
    # where emphasis-only pseudo-headings are looked for.
    text: set[int] = field(default_factory=set)
    verbatim: set[int] = field(default_factory=set)  # code and raw HTML lines


@dataclass
class Prepared:
    """A note after front matter handling and tokenizing: the input of every Markdown reader."""

    blocks: Blocks
    noise: dict[int, str]
    title: str | None
    diagnostics: list[Diagnostic]
    start: int  # lines before this 1-based number are front matter


# Set to False to always tokenize whole notes (tests compare both paths).
FAST_SCAN = True

# No list item's content starts before column 2, so a `#` line at column 0 or 1 is top-level.
_TOP_HEADING = re.compile(r"^ ?#{1,6}(?:[ \t]|$)")
_FENCE_LINE = re.compile(r"^[ \t]*(?:`{3,}|~{3,})")
_LONG_HTML = re.compile(r"^[ \t]*<(?:pre|script|style|textarea|!|\?)", re.I)  # survive blanks
_LINK_DEF = re.compile(r"^ {0,3}\[[^\]]*\]:")  # a definition's title may span lines
# A line on which the tokenizer may see more than paragraph or list text.
_RISKY = re.compile(r"^[ \t]*(?:[#<]|`{3,}|~{3,}|(?:[-*_=+][ \t]*)+$)")


def _md_blank(line: str) -> bool:
    """Blank as the tokenizer sees it: spaces and tabs only (U+00A0 is text to it)."""
    return not line.strip(" \t")


def _indent(line: str) -> int:
    """Leading whitespace width with CommonMark's 4-column tab stops."""
    n = len(line) - len(line.lstrip(" \t"))
    return len(line[:n].expandtabs(4))


def _atx(line: str) -> Heading:
    """A ``#`` line the way markdown-it reads it (closing ``#`` run dropped)."""
    line = line.lstrip(" ")
    depth = len(line) - len(line.lstrip("#"))
    text = line[depth:].rstrip(" \t")
    closed = text.rstrip("#")
    if closed != text and closed[-1:] in (" ", "\t"):
        text = closed
    return Heading(0, depth, text.strip())


def _cuts(src: list[str]) -> list[int] | None:
    """0-based indexes where the tokenizer surely starts afresh at the top level.

    Those are top-level ``#`` headings and column-0 lines after a blank line (outside fences
    and HTML blocks): no paragraph, list item, quote or code block survives them, so the
    text between two cuts tokenizes the same alone as in the whole note. ``None`` when the
    note has constructs that make this uncertain (an indented fence opener, raw HTML together
    with fences, HTML comments or ``<pre>`` blocks that span blank lines, link definitions):
    then the whole note is tokenized.
    """
    has_html = has_fence = False
    for line in src:
        first = line.lstrip(" \t")[:1]
        if first == "<":
            if _LONG_HTML.match(line):
                return None
            has_html = True
        elif first in ("`", "~") and _FENCE_LINE.match(line):
            has_fence = True
        elif first == "[" and _LINK_DEF.match(line):
            return None
    if has_html and has_fence:
        return None
    cuts: list[int] = []
    fence = ""
    in_html = False  # inside what may be an HTML block, which only a blank line ends
    prev_blank = True
    for i, line in enumerate(src):
        if fence:
            m = _FENCE.match(line)
            run = m.group(1) if m else ""
            if m and run[:1] == fence[0] and len(run) >= len(fence) and not m.group(2).strip(" \t"):
                fence = ""
            prev_blank = False
            continue
        if _md_blank(line):
            in_html, prev_blank = False, True
            continue
        if not in_html and (_TOP_HEADING.match(line) or (prev_blank and line[0] not in " \t")):
            cuts.append(i)
        prev_blank = False
        if in_html:
            continue
        m = _FENCE.match(line)
        if m and not (m.group(1)[0] == "`" and "`" in m.group(2)):
            if line[0] in " \t":
                # Possibly inside a list item, where the item's end also ends the fence.
                return None
            fence = m.group(1)
        elif line.lstrip(" \t")[:1] == "<":
            in_html = True
    return cuts


_MAX_MARKERS = 8  # quote/list markers looked behind on one line (keeps this linear)
_LIST_MARKER = re.compile(r"(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$)")


def _risky(line: str) -> bool:
    """Whether the tokenizer may see more than paragraph or list text on this line, also
    behind quote and list markers (a fence may open right after ``- ``)."""
    rest = line
    for _ in range(_MAX_MARKERS):
        if _RISKY.match(rest) or "|" in rest:
            return True
        s = rest.lstrip(" \t")
        if s[:1] == ">":
            rest = s[2:] if s[1:2] in (" ", "\t") else s[1:]
            if rest.strip(" \t") and _indent(rest) >= 4:  # code inside the quote
                return True
            continue
        m = _LIST_MARKER.match(s)
        if not m:
            return False
        after = s[m.end() :]
        if after.strip(" \t") and _indent(after) >= 5:  # item that opens with code
            return True
        rest = after.lstrip(" \t")
    return True  # deeper nesting than notes use: let the tokenizer decide


def _is_plain(src: list[str], start: int, end: int) -> bool:
    """Whether ``src[start:end]`` can only be paragraphs, lists and quotes (no code, HTML,
    tables, nested headings or setext underlines), so the tokenizer has nothing to add."""
    prev_blank = True
    for line in src[start:end]:
        if _md_blank(line):
            prev_blank = True
            continue
        if (prev_blank and _indent(line) >= 4) or _risky(line):
            return False
        prev_blank = False
    return True


def _index(blocks: Blocks, src: list[str], start: int, end: int) -> None:
    """Tokenize ``src[start:end]`` and record what its tokens say."""
    toks = block_tokens(src[start:end])
    for i, tok in enumerate(toks):
        if not tok.map:
            continue
        first, last = tok.map[0] + start, tok.map[1] + start
        if tok.type == "heading_open" and tok.level == 0:
            text = toks[i + 1].content if i + 1 < len(toks) else ""
            blocks.headings[first + 1] = Heading(
                first + 1, int(tok.tag[1:]), text, tuple(range(first + 2, last + 1))
            )
        elif tok.type == "paragraph_open":
            blocks.text.update(range(first + 1, last + 1))
        elif tok.type in ("fence", "code_block", "html_block"):
            blocks.verbatim.update(range(first + 1, last + 1))


def scan(file: str, lines: list[str], skip: int = 0) -> Blocks:
    """Tokenize ``lines`` (the first ``skip`` lines blanked out) and index the result.

    markdown-it-py needs ~70 ms for a 3,000-line list-heavy note, most of it in list
    parsing that cannot change which lines are titles. So the note is cut where the
    tokenizer starts afresh (:func:`_cuts`) and only the parts that hold anything but
    paragraphs, lists and quotes are tokenized; in the others every line is text.
    ``FAST_SCAN = False`` turns this off.
    """
    src = [""] * skip + lines[skip:] if skip else lines
    blocks = Blocks()
    cuts = _cuts(src) if FAST_SCAN else None
    try:
        if cuts is None:
            _index(blocks, src, 0, len(src))
            return blocks
        edges = [0, *(c for c in cuts if c > 0), len(src)]
        pending = -1  # start of a run of parts that need the tokenizer
        for start, end in pairwise(edges):
            if start >= end:
                continue
            heading = _TOP_HEADING.match(src[start]) is not None
            if _is_plain(src, start + heading, end):
                if pending >= 0:
                    _index(blocks, src, pending, start)
                    pending = -1
                if heading:
                    h = _atx(src[start])
                    blocks.headings[start + 1] = Heading(start + 1, h.depth, h.text)
                blocks.text.update(
                    no for no in range(start + 1 + heading, end + 1) if not _md_blank(src[no - 1])
                )
            elif pending < 0:
                pending = start
        if pending >= 0:
            _index(blocks, src, pending, len(src))
    except (RecursionError, RuntimeError, ValueError) as exc:  # pragma: no cover - defensive
        message = f"the Markdown tokenizer failed ({exc}); simplify the note"
        raise NoteError(file, 1, message) from exc
    return blocks


def prepare(file: str, lines: list[str]) -> Prepared:
    """Front matter to noise (its ``title:`` kept), then tokenize the rest."""
    diags: list[Diagnostic] = []
    noise: dict[int, str] = {}
    title: str | None = None
    skip = front_matter_end(lines)
    if skip:
        try:
            meta = yaml.safe_load("\n".join(lines[1 : skip - 1]))
        except (yaml.YAMLError, ValueError, TypeError, RecursionError) as exc:
            # PyYAML raises plain ValueError for bad dates/numbers (`date: 2020-13-45`).
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 2 if mark is not None else 1  # +1 for `---`, +1 for 1-based
            problem = getattr(exc, "problem", None) or (str(exc).splitlines() or ["error"])[0]
            diags.append(
                Diagnostic(
                    file, line, f"front matter is not valid YAML ({problem}); fix it or remove it"
                )
            )
            meta = None
        if isinstance(meta, dict) or meta is None:
            if isinstance(meta, dict) and isinstance(meta.get("title"), str | int | float):
                title = str(meta["title"]).strip() or None
            for no in range(1, skip + 1):
                if not is_blank(lines[no - 1]):
                    noise[no] = "front matter"
        else:
            # `---` + prose + `---` is Markdown (a rule and a setext heading), not metadata.
            skip = 0
    return Prepared(scan(file, lines, skip), noise, title, diags, skip + 1)


# --- titles -----------------------------------------------------------------------------

_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_STRONG_STARS = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_STRONG_UNDERSCORES = re.compile(r"(?<!\w)__(?=\S)(.+?)(?<=\S)__(?!\w)")
_EM_STAR = re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])")
_EM_UNDERSCORE = re.compile(r"(?<![\w_])_(?=[^\s_])(.+?)(?<=[^\s_])_(?![\w_])")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_SPACES = re.compile(r"\s+")
_MARKUP = re.compile(r"[*_`\[\\]")

# A physical line that is nothing but one bold span: `__x__` or `**x**`.
_STRONG_LINE = re.compile(r"^\s*(\*\*|__)(?=\S)(.+?)(?<=\S)\1\s*$")


def clean_title(text: str) -> str:
    """Plain title text: no emphasis markers, link syntax, backticks, trailing spaces or ':'."""
    t = text
    if _MARKUP.search(t):  # most titles are plain: skip six regex passes
        t = _LINK.sub(r"\1", t)
        for pattern in (_STRONG_STARS, _STRONG_UNDERSCORES, _EM_STAR, _EM_UNDERSCORE):
            t = pattern.sub(r"\1", t)
        t = _ESCAPE.sub(r"\1", t.replace("`", ""))
    return _SPACES.sub(" ", t).strip().rstrip(":").rstrip()


def _is_label(inner: str) -> bool:
    """``***Exam Note:***`` style bold-italic labels stay body text."""
    return len(inner) > 2 and inner[0] in "*_" and inner[-1] == inner[0]


def bold_title(line: str, max_len: int = MAX_BOLD_TITLE) -> str | None:
    """The title when a paragraph line is only one bold span that reads as a heading.

    Bold statements (a sentence ending in ``.!?``, or too long) stay body text.
    """
    if line.lstrip()[:2] not in ("**", "__"):
        return None
    m = _STRONG_LINE.match(line)
    if not m:
        return None
    delim, inner = m.group(1), m.group(2)
    if delim in inner or _is_label(inner):
        return None
    title = clean_title(inner)
    if not title or len(title) > max_len or title[-1] in ".!?":
        return None
    return title


def pseudo_candidate(blocks: Blocks, no: int, line: str) -> bool:
    """Whether line ``no`` is paragraph text that may hold an emphasis-only pseudo-heading."""
    return no in blocks.text and line.lstrip()[:1] in ("*", "_")


def heading_noise(h: Heading, lines: list[str]) -> str | None:
    """Why a heading line is noise (``## ====`` separators, empty headings), else ``None``."""
    reason = generic_noise(lines[h.no - 1])
    if reason:
        return reason
    if not clean_title(h.text):
        return "empty heading"
    return None


def first_content_line(lines: list[str], start: int) -> int:
    """1-based number of the first non-blank line at or after ``start`` (0 if none)."""
    for no in range(start, len(lines) + 1):
        if not is_blank(lines[no - 1]):
            return no
    return 0


def lone_h1(prep: Prepared, lines: list[str]) -> Heading | None:
    """The document title: an H1 on the first content line that is the note's only H1."""
    first = first_content_line(lines, prep.start)
    h = prep.blocks.headings.get(first)
    if h is None or h.depth != 1:
        return None
    if any(o.depth == 1 and o.no != h.no for o in prep.blocks.headings.values()):
        return None
    return h


def take_document_title(prep: Prepared, h: Heading) -> str | None:
    """Record heading ``h`` as the document title when it agrees with the front matter.

    Returns the note's title, or ``None`` (and records nothing) when front matter names a
    different title: then the heading is ordinary content.
    """
    text = clean_title(h.text)
    if prep.title is not None and text.casefold() != prep.title.casefold():
        return None
    for no in (h.no, *h.extra):
        prep.noise[no] = "document title"
    return prep.title or text


@dataclass(frozen=True)
class Title:
    """A line a reader chose as a section title."""

    text: str
    level: int
    flat: bool = False
    extra: tuple[int, ...] = ()  # other lines of the same title (setext underline)


def mark_generic_noise(
    lines: list[str], blocks: Blocks, titles: dict[int, Title], noise: dict[int, str]
) -> None:
    """Record separators and empty bullets as noise, except inside code and titles."""
    for no, line in enumerate(lines, start=1):
        if no in titles or no in noise or no in blocks.verbatim or is_blank(line):
            continue
        reason = generic_noise(line)
        if reason:
            noise[no] = reason


def build_tree(
    file: str,
    fmt: str,
    lines: list[str],
    titles: dict[int, Title],
    noise: dict[int, str],
    title: str | None = None,
    toc: dict[str, str] | None = None,
) -> NoteTree:
    """Nest ``titles`` by level and give every other line to the section above it.

    Lines before the first title go to an untitled level-1 section (routing places it);
    noise lines inside a body become blank lines so paragraphs stay apart.
    """
    for t in titles.values():
        for no in t.extra:
            noise[no] = "setext heading underline" if no == t.extra[-1] else "multi-line heading"
    root = Section(title or "", None, 0, kind="root")
    stack: list[Section] = [root]
    current: Section | None = None
    for no, text in enumerate(lines, start=1):
        head = titles.get(no)
        if head is not None:
            sec = Section(head.text, no, head.level, flat=head.flat)
            while stack[-1].level >= sec.level:
                stack.pop()
            stack[-1].children.append(sec)
            stack.append(sec)
            current = sec
        elif no in noise or is_blank(text):
            if current is not None:
                current.body.append(Line(no, ""))
        else:
            if current is None:
                current = Section("", None, 1)
                root.children.append(current)
                stack.append(current)
            current.body.append(Line(no, text))
    noise_list = [Noise(no, lines[no - 1], reason) for no, reason in sorted(noise.items())]
    return NoteTree(file, fmt, root, noise_list, title, dict(toc or {}))


def read(file: str, lines: list[str], known_title: KnownTitle) -> tuple[NoteTree, list[Diagnostic]]:
    """Read a generic Markdown note: heading depth relative to the enclosing headings."""
    prep = prepare(file, lines)
    doc_title = prep.title
    h1 = lone_h1(prep, lines)
    if h1 is not None:
        taken = take_document_title(prep, h1)
        doc_title = taken if taken is not None else doc_title

    titles: dict[int, Title] = {}
    open_depths: list[int] = []  # '#' counts of the headings enclosing the current line
    level = 0
    for no, line in enumerate(lines, start=1):
        h = prep.blocks.headings.get(no)
        if h is not None and no not in prep.noise:
            reason = heading_noise(h, lines)
            if reason:
                prep.noise[no] = reason
                continue
            # Depth counts enclosing headings, not '#'s: `#` then `###` is 1 then 2.
            while open_depths and open_depths[-1] >= h.depth:
                open_depths.pop()
            open_depths.append(h.depth)
            level = len(open_depths)
            titles[no] = Title(clean_title(h.text), level, extra=h.extra)
        elif pseudo_candidate(prep.blocks, no, line):
            text = bold_title(line)
            if text:
                titles[no] = Title(text, level + 1, flat=True)
    mark_generic_noise(lines, prep.blocks, titles, prep.noise)
    return build_tree(file, FORMAT, lines, titles, prep.noise, doc_title), prep.diagnostics
