"""Where a link may go in a Markdown page: its prose, minus every construct links must not touch.

Pages are rendered by Python-Markdown (MkDocs), so the analysis follows Python-Markdown where
it differs from CommonMark, and errs on the side of protecting too much:

- block level: markdown-it-py parses a *copy* of the page whose line count is unchanged, in
  which front matter and raw HTML blocks are blanked and admonition / details / tab bodies are
  dedented (CommonMark would read their 4-space indent as code). Only paragraphs and table
  rows are prose; headings, code blocks, fences, HTML blocks and link reference definitions
  (which produce no token at all) are not. Lines Python-Markdown reads differently are
  protected as well: ``#Title`` without a space (a heading there), ``*[ABBR]: ...``
  definitions, admonition title lines, and raw HTML up to its closing tag even across blank
  lines.
- inline level: a scanner drops code spans, links, images, anything in square brackets
  (reference and footnote links), autolinks, inline HTML elements with their content, bare
  URLs and attribute lists from each prose block.

What is left is a sorted list of linkable spans, each inside one line of one prose block.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from markdown_it import MarkdownIt

Span = tuple[int, int]

_ADMONITION = re.compile(r"^([ \t]*)(?:!!!|\?\?\?\+?|===)[ \t]")
_FRONT_END = ("---", "...")
_FENCE = re.compile(r"^ *(`{3,}|~{3,})")
_HTML_START = re.compile(r"^ {0,3}<(?:(!--)|/?([A-Za-z][A-Za-z0-9-]*)(?=[\s/>]|$))")
_ABBR_DEF = re.compile(r"^[ \t]*\*\[[^\]]+\]:")
# A line whose content starts with "#" is a heading for Python-Markdown, space or not.
_HASH_LINE = re.compile(r"^[ \t]*(?:>[ \t]?)*(?:(?:[-*+]|\d+[.)])[ \t]+)?(#{1,6})")
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param"}
    | {"source", "track", "wbr"}
)
_INLINE = re.compile(
    r"""(?P<esc>\\.)
    |(?P<code>`+)
    |(?P<bracket>!?\[)
    |(?P<angle><)
    |(?P<url>(?<![\w@.\-/])(?:[A-Za-z][A-Za-z0-9+.\-]{1,20}://|www\.)[^\s<>]*)
    |(?P<attr>\{[ \t]*[:#.][^}\n]*\})
    """,
    re.VERBOSE,
)
_AUTOLINK = re.compile(r"<(?:[A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]*|[^\s@<>]+@[^\s@<>]+)>")
_OPEN_TAG = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?>")
_CLOSE_TAG = re.compile(r"</[A-Za-z][A-Za-z0-9-]*\s*>")
_ATTR_ID = re.compile(r"\{[^}\n]*?#([A-Za-z0-9_][\w:.\-]*)[^}\n]*\}")
_HTML_ID = re.compile(r"""\bid=["']([^"']+)["']""")
_DEST = re.compile(r"\]\(\s*<?([^\s<>()]+)")
_HEADING_ATTR = re.compile(r"\s*\{[^{}]*\}\s*$")


@dataclass(frozen=True)
class Heading:
    """A heading of the page: where its line starts, its level and its plain text."""

    start: int
    level: int
    text: str


@dataclass
class Layout:
    """The linkable parts of one page.

    ``spans`` are linkable ``[start, end)`` offsets (sorted, disjoint, never across a line
    break); ``blocks`` the prose blocks (paragraphs, table rows) they lie in, used as the
    "same sentence" context window; ``headings`` every heading, in order.
    """

    spans: list[Span] = field(default_factory=list)
    blocks: list[Span] = field(default_factory=list)
    headings: list[Heading] = field(default_factory=list)
    hrefs: list[str] = field(default_factory=list)  # destinations of the page's own links

    def block_of(self, pos: int) -> Span | None:
        """The prose block containing offset ``pos``."""
        i = bisect_right(self.blocks, (pos, 1 << 62)) - 1
        if i >= 0 and self.blocks[i][0] <= pos < self.blocks[i][1]:
            return self.blocks[i]
        return None

    def heading_before(self, pos: int) -> Heading | None:
        """The nearest heading above offset ``pos``."""
        i = bisect_right(self.heading_starts, pos) - 1
        return self.headings[i] if i >= 0 else None

    @cached_property
    def heading_starts(self) -> list[int]:
        """Offsets of the heading lines, for bisection."""
        return [h.start for h in self.headings]


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # Block structure only: inline parsing is ours (it must map back to source offsets).
    # Built once: a parser costs about 0.4 ms to set up, and every page is laid out.
    return MarkdownIt("commonmark").enable("table").disable("inline")


def _indent(line: str) -> int:
    return len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip(" "))


def _front_matter(lines: list[str]) -> int:
    """Number of lines the YAML front matter takes (0 when there is none)."""
    if not lines or lines[0].rstrip() != "---":
        return 0
    for i in range(1, len(lines)):
        if lines[i].rstrip() in _FRONT_END:
            return i + 1
    return 0


def _html_block_end(lines: list[str], i: int, m: re.Match[str]) -> int:
    """Index of the last line of the raw HTML block starting at line ``i``."""
    if m.group(1):  # a comment runs to "-->"
        for j in range(i, len(lines)):
            if "-->" in lines[j][m.end() if j == i else 0 :]:
                return j
        return len(lines) - 1
    tag = (m.group(2) or "").lower()
    if lines[i].lstrip().startswith("</") or tag in _VOID:
        return i
    # Python-Markdown keeps a raw block open up to its closing tag, blank lines included.
    opener = re.compile(rf"<{tag}(?=[\s/>])", re.IGNORECASE)
    closer = re.compile(rf"</{tag}\s*>", re.IGNORECASE)
    depth = 0
    for j in range(i, len(lines)):
        depth += len(opener.findall(lines[j])) - len(closer.findall(lines[j]))
        if j == i and re.search(r"/>\s*$", lines[j]):
            return i
        if depth <= 0:
            return j
    # Never closed: CommonMark's rule (up to a blank line) is the best guess.
    for j in range(i + 1, len(lines)):
        if not lines[j].strip():
            return j - 1
    return len(lines) - 1


def _prepare(lines: list[str]) -> tuple[list[str], set[int]]:
    """The copy of the page markdown-it parses, and the lines protected outright."""
    copy = [ln.expandtabs(4) for ln in lines]
    protected: set[int] = set()
    fm = _front_matter(lines)
    for i in range(fm):
        protected.add(i)
        copy[i] = ""
    stack: list[int] = []  # indents of the admonitions the current line is inside
    fence: tuple[str, int] | None = None  # the open code fence: its character and length
    i = fm
    while i < len(copy):
        line = copy[i]
        if not line.strip():
            i += 1
            continue
        ind = _indent(line)
        while stack and ind < stack[-1] + 4:
            stack.pop()
        if stack:
            cut = 4 * len(stack)
            line = copy[i] = line[cut:] if ind >= cut else line.lstrip(" ")
        if fence is not None:
            # Nothing inside a fence is an admonition or HTML, whatever it looks like.
            close = _FENCE.match(line)
            if (
                close
                and close.group(1)[0] == fence[0]
                and len(close.group(1)) >= fence[1]
                and not line[close.end() :].strip()
            ):
                fence = None
            i += 1
            continue
        if m := _FENCE.match(line):
            fence = (m.group(1)[0], len(m.group(1)))
        elif _ADMONITION.match(line):
            protected.add(i)
            stack.append(ind)
            # A placeholder, not a blank: the title line ends a list above it, so a body
            # indented for code is not read as the list's continuation.
            copy[i] = line[: len(line) - len(line.lstrip(" "))] + "\x00"
        elif m := _HTML_START.match(line):
            end = _html_block_end(copy, i, m)
            for j in range(i, end + 1):
                protected.add(j)
                copy[j] = ""
            # A placeholder at column 0, not a blank: the HTML block ends a list above it,
            # so text indented after it is code (as Python-Markdown reads it), not the list's.
            copy[i] = "\x00"
            i = end + 1
            continue
        elif _ABBR_DEF.match(line):
            protected.add(i)
            copy[i] = ""
        i += 1
    return copy, protected


def _strip_heading(text: str) -> str:
    text = _HEADING_ATTR.sub("", text.strip())
    text = re.sub(r"\s#+\s*$", "", text)
    return re.sub(r"\\(.)", r"\1", text).replace("*", "").replace("`", "")


def layout(text: str) -> Layout:
    """The linkable spans, prose blocks and headings of a Markdown page."""
    lines = text.split("\n")
    starts = [0]
    for ln in lines:
        starts.append(starts[-1] + len(ln) + 1)
    copy, protected = _prepare(lines)
    out = Layout()
    prose: list[tuple[int, int]] = []  # [first line, end line) of paragraphs and table rows
    tokens = _parser().parse("\n".join(copy))
    for i, tok in enumerate(tokens):
        if tok.map is None:
            continue
        if tok.type == "heading_open":
            level = int(tok.tag[1:])
            body = tokens[i + 1].content if i + 1 < len(tokens) else ""
            out.headings.append(Heading(starts[tok.map[0]], level, _strip_heading(body)))
        elif tok.type in ("paragraph_open", "tr_open"):
            prose.append((tok.map[0], tok.map[1]))
    for first, end in prose:
        run: list[int] = []
        for no in range(first, min(end, len(lines))):
            if no in protected:
                continue
            if m := _HASH_LINE.match(lines[no]):
                protected.add(no)
                content = lines[no][m.end() :]
                out.headings.append(Heading(starts[no], len(m.group(1)), _strip_heading(content)))
                continue
            if run and no != run[-1] + 1:
                _add_block(text, starts, run, out)
                run = []
            run.append(no)
        if run:
            _add_block(text, starts, run, out)
    out.headings.sort(key=lambda h: h.start)
    out.blocks.sort()
    out.spans.sort()
    return out


def _add_block(text: str, starts: list[int], run: list[int], out: Layout) -> None:
    lo, hi = starts[run[0]], starts[run[-1] + 1] - 1
    out.blocks.append((lo, hi))
    pos = lo
    for a, b in inline_protected(text[lo:hi]):
        _add_free(text, pos, lo + a, out.spans)
        pos = lo + b
        if text[pos - 1] == ")" and text[lo + a] == "[" and (m := _DEST.search(text, lo + a, pos)):
            out.hrefs.append(m.group(1))
    _add_free(text, pos, hi, out.spans)


def _add_free(text: str, lo: int, hi: int, spans: list[Span]) -> None:
    """Add ``text[lo:hi]`` as linkable spans, split at line breaks."""
    while lo < hi:
        nl = text.find("\n", lo, hi)
        end = hi if nl < 0 else nl
        if end > lo:
            spans.append((lo, end))
        lo = end + 1


def inline_protected(s: str) -> list[Span]:
    """Spans of one prose block that links must not touch (relative, sorted, disjoint)."""
    out: list[Span] = []
    pos = 0
    n = len(s)
    while pos < n:
        m = _INLINE.search(s, pos)
        if m is None:
            break
        kind = m.lastgroup
        start = m.start()
        end = m.end()
        if kind == "esc":
            # A formula, \(...\) (render.markdown writes the notes' $...$ so): TeX, not prose.
            math_end = s.find("\\)", end) if m.group() == "\\(" else -1
            if math_end >= 0 and "\n" not in s[end:math_end]:
                out.append((start, math_end + 2))
                pos = math_end + 2
            else:
                pos = end
            continue
        if kind == "code":
            close = _code_close(s, end, len(m.group()))
            if close is None:
                pos = end  # an unmatched backtick run is literal text
                continue
            end = close
        elif kind == "bracket":
            found = _bracket_end(s, start + (2 if m.group().startswith("!") else 1))
            if found is None:
                pos = end
                continue
            end = found
        elif kind == "angle":
            found = _angle_end(s, start)
            if found is None:
                pos = end
                continue
            end = found
        out.append((start, end))
        pos = end
    return out


def _code_close(s: str, pos: int, ticks: int) -> int | None:
    for m in re.finditer(r"`+", s[pos:]):
        if len(m.group()) == ticks:
            return pos + m.end()
    return None


def _matching(s: str, pos: int, open_ch: str, close_ch: str) -> int | None:
    """Offset just past the ``close_ch`` balancing an ``open_ch`` before ``pos``."""
    depth = 1
    i = pos
    n = len(s)
    while i < n:
        ch = s[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "`":
            run = len(s[i:]) - len(s[i:].lstrip("`"))
            close = _code_close(s, i + run, run)
            if close is not None:
                i = close
                continue
            i += run
            continue
        if ch == open_ch:
            depth += 1
        elif ch == close_ch:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return None


def _bracket_end(s: str, pos: int) -> int | None:
    """End of ``[text]``, ``[text](dest)``, ``[text][ref]``, ``![alt](src)`` from ``pos``."""
    end = _matching(s, pos, "[", "]")
    if end is None:
        return None
    if end < len(s) and s[end] == "(":
        close = _matching(s, end + 1, "(", ")")
        return close if close is not None else end
    ref = re.match(r"[ \t]?\[", s[end:])
    if ref:
        close = _matching(s, end + ref.end(), "[", "]")
        return close if close is not None else end
    return end


def _angle_end(s: str, pos: int) -> int | None:
    """End of the autolink, comment or inline HTML element starting at ``pos``."""
    if m := _AUTOLINK.match(s, pos):
        return m.end()
    if s.startswith("<!--", pos):
        close = s.find("-->", pos + 4)
        return len(s) if close < 0 else close + 3
    if m := _CLOSE_TAG.match(s, pos):
        return m.end()
    m = _OPEN_TAG.match(s, pos)
    if m is None:
        return None
    tag = m.group(1).lower()
    if tag in _VOID or m.group().endswith("/>"):
        return m.end()
    end_tag = re.compile(rf"</{re.escape(tag)}\s*>", re.IGNORECASE).search(s, m.end())
    return end_tag.end() if end_tag else m.end()


def heading_ids(text: str) -> set[str]:
    """Every explicit id on the page: ``{ #id }`` attribute lists and ``id="..."``."""
    return set(_ATTR_ID.findall(text)) | set(_HTML_ID.findall(text))


def masked(text: str, spans: list[Span], fill: str = "\x00") -> str:
    """``text`` with everything outside ``spans`` replaced by ``fill`` (offsets unchanged)."""
    parts: list[str] = []
    pos = 0
    for a, b in spans:
        if a > pos:
            parts.append(fill * (a - pos))
        parts.append(text[a:b])
        pos = b
    if pos < len(text):
        parts.append(fill * (len(text) - pos))
    return "".join(parts)
