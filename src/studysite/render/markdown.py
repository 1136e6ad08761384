"""Body normalizer: CommonMark section bodies in, Python-Markdown out.

Readers hand over section bodies as CommonMark (as GitHub renders it); the site is built by
Python-Markdown (MkDocs + Material + pymdown-extensions), which disagrees on list nesting
widths, hard breaks, backslash escapes and where a block may start. :func:`normalize` parses a
body with markdown-it-py and re-emits every block in the subset both dialects read alike, and
repairs a few note artefacts on the way.

Decisions worth knowing (each one is table-tested in ``tests/test_normalize.py``):

* Blocks are separated by one blank line; nested blocks are indented 4 spaces per level.
  A list is emitted tight (no blank lines) only when every item is one paragraph plus nested
  lists; anything else forces blank lines between items, because Python-Markdown swallows the
  next item into a blank-separated block otherwise. An item that starts with a fence, table,
  quote or HTML gets a ``&#8203;`` first paragraph (Python-Markdown cannot open an item with one).
* Ordered lists keep their start number (``sane_lists`` honours it); ``1)`` becomes ``1.``
  because Python-Markdown only knows ``.``. Bullet characters are kept; two adjacent lists of
  the same kind are kept apart with ``<!-- -->``.
* Hard breaks become ``<br>`` (not two spaces, which editors and hooks strip). A lone trailing
  ``\\`` at the very end of a paragraph (a hard break with nothing after it) is dropped.
* Text is re-escaped for Python-Markdown: unmatched ``*``/``_``/backticks (e.g. the dangling
  ``**`` of ``- Rule 1:** IF``) are backslash-escaped, so emphasis never leaks; a line-initial
  ``#``, ``>``, ``-``/``+``, ``1.``, ``:``, ``!!!``, ``???``, ``===``, ``~~~``, ``{`` is made
  inert. ``\\$`` is emitted as ``&#36;``: Python-Markdown prints ``\\$`` literally (``$`` is not in
  its escape set) and a bare ``$`` could turn into math if arithmatex is ever enabled.
* Headings inside list items or quotes, and a top-level ``#`` heading whose text starts with a
  lowercase letter (``# of Requests``), are emitted as text with ``\\#``. Emphasis is always
  re-emitted with ``*``/``**`` (Python-Markdown's ``_`` rules differ from CommonMark's).
* Runs of two or more tab-separated lines (outside code, not list items or quotes) become
  pipe tables. Leading rows with a single cell (a console panel title such as
  ``Objects (4)``) become a caption paragraph above the table; the first remaining row is the
  header (a following ``-----`` row is dropped).
* Tags outside the allowlist are escaped (``&lt;bucket-name&gt;``); ``<ul>``/``<ol>``/``<li>``
  are flattened (``<li>`` -> ``• ``) since an unclosed ``<ul>`` swallows the rest of a page;
  ``<input type=checkbox>`` -> ☐/☑, other inputs -> their ``value``.
* Links to ``#`` or ``#anchor`` are unwrapped (anchors die when a note is split into pages);
  bare ``http(s)://`` URLs become ``<autolinks>`` as GitHub renders them.
* A paragraph whose source lines form a JSON object/array (an unfenced policy document) is
  emitted as a ``json`` fence; indented code blocks become fences; fence info is cut to its
  first word because pymdownx.superfences ignores a fence whose info has spaces.
* Code (fenced, indented, inline) is never altered.
"""

from __future__ import annotations

import html
import itertools
import json
import re
import textwrap
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from typing import Any
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from studysite.model import Diagnostic, Line
from studysite.render.obsidian import callout

ImageResolver = Callable[[str], str | None]
# (kind, target) -> URL to emit, or None when the target goes nowhere. ``kind`` is "link" (a
# Markdown link's href), "wiki" (an Obsidian ``[[Target#Heading]]``) or "embed" (``![[x]]``).
LinkResolver = Callable[[str, str], str | None]
_Block = tuple[str, list[str]]

# Characters Python-Markdown un-escapes after a backslash (core set + "|" from `tables`).
_PM_ESCAPABLE = frozenset("\\`*_{}[]()>#+-.!|")

# fmt: off
# Inline HTML kept as written; everything else is shown as text.
_INLINE_TAGS = frozenset({
    "img", "br", "sub", "sup", "kbd", "details", "summary", "small", "b", "i", "em", "strong",
    "code", "span", "a", "u", "s", "del", "ins", "mark", "abbr", "wbr",
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "colgroup", "col",
})
# An HTML block made only of these (and balanced) is passed through untouched.
_BLOCK_TAGS = _INLINE_TAGS | frozenset({
    "div", "p", "pre", "hr", "blockquote", "ul", "ol", "li", "dl", "dt", "dd",
    "h1", "h2", "h3", "h4", "h5", "h6", "figure", "figcaption",
})
# fmt: on
_FLATTEN_TAGS = frozenset({"ul", "ol", "li"})
_VOID_TAGS = frozenset({"img", "br", "hr", "wbr", "col", "input"})

_TAG_NAME_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)")
_TAG_SCAN_RE = re.compile(
    r"<!--.*?-->|</?[A-Za-z][A-Za-z0-9-]*(?:\s(?:[^<>\"']|\"[^\"]*\"|'[^']*')*)?/?>", re.S
)
_CONTAINER_OPEN_RE = re.compile(r"<(details|div)(?=[\s>])", re.I)
_ATTR_RE = r"(?:^|\s){}(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?"

# LaTeX leftovers that are plain symbols on the page (a site without arithmatex).
_LATEX = {
    r"\not\Rightarrow": "⇏",
    r"\Rightarrow": "⇒",
    r"\Leftarrow": "⇐",
    r"\Leftrightarrow": "⇔",
    r"\rightarrow": "→",
    r"\leftarrow": "←",
    r"\leftrightarrow": "↔",
    r"\implies": "⇒",
    r"\times": "×",
    r"\neq": "≠",
    r"\leq": "≤",
    r"\geq": "≥",
}
_LATEX_RE = re.compile(
    "|".join(re.escape(k) for k in sorted(_LATEX, key=len, reverse=True)) + r"(?![A-Za-z])"
)

_URL_RE = re.compile(r"(?<![\w/])https?://[^\s<>\"'`|\U000f0000-\U000ffffd]+")
_CHAR_RE = re.compile(r"[\\`*_\[\]<|{]|&(?=#?[A-Za-z0-9]+;)")
_OL_START_RE = re.compile(r"(\d{1,9})\.(?=[ \t]|$)")
# A whole line in braces is an attr_list for the paragraph above (not `{{ x }}`, `{% x %}`).
_ATTR_LINE_RE = re.compile(r"\{[^{%][^}]*\}\s*")
_REFDEF_RE = re.compile(r"\[[^\]]*\]:")
_LANG_RE = re.compile(r"[\w#.+-]+")
# Adjacent blocks of these kinds merge in Python-Markdown unless something stands between.
_SEPARATE = frozenset({"bullet_list", "ordered_list", "blockquote"})
_PM_TABLE_SEP_RE = re.compile(r"[|:\- ]+")
_INLINE_SYNTAX_RE = re.compile(r"[\\`*_\[\]<>&!]")
_NOT_ROW_RE = re.compile(r">|(?:[-*+]|\d{1,9}[.)]) ")
_DASH_CELL_RE = re.compile(r":?-{3,}:?")

# Special pieces (escapes, entities, <br>) travel through text escaping as private-use
# characters so that neighbour-sensitive rules see one opaque character.
_PH_BASE = 0xF0000
_PH_RE = re.compile("[\U000f0000-\U000ffffd]")


# markdown-it stops parsing (and drops) whatever is nested deeper than maxNesting, 20 in the
# commonmark preset: a list 10 levels deep lost its deeper items. 210 keeps a list 100 levels
# deep (list + item per level) and stays far from Python's recursion limit (~430 frames).
_MAX_NESTING = 210


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # Same grammar as markdown_tokens.markdown_parser(), but text_join is off so that
    # backslash escapes and entities stay visible as `text_special` tokens (`\$`, `&nbsp;`).
    md = MarkdownIt("commonmark", {"maxNesting": _MAX_NESTING}).enable("table").disable("text_join")
    md.inline.ruler.before("link", "wikilink", wikilink_rule)
    md.inline.ruler.before("escape", "math", math_rule)
    return md


# What makes a `$...$` pair a formula rather than two prices: an operator or a TeX command.
_MATH_SIGNS = frozenset("\\^_=<>+-*/")


def math_span(src: str, pos: int) -> int | None:
    """End (past the closing ``$``) of the inline formula opening at ``src[pos]``, or None.

    Pandoc's rule, tightened for notes full of prices and shell: the opening ``$`` has a
    non-space after it, the closing one a non-space before it and no digit, letter, ``_``,
    ``{`` or ``(`` after it (``$5 or $10``, ``$HOME/$USER`` and ``${A}/${B}`` are no math),
    both on one line, and what lies between holds an operator or a backslash (``$1 / month
    ... ($0.03`` is still no pair: its second ``$`` opens a price).
    """
    n = len(src)
    if src[pos] != "$" or pos + 1 >= n or src[pos + 1] in " \t\n$":
        return None
    i = pos + 1
    while i < n:
        ch = src[i]
        if ch == "\n":
            return None
        if ch == "\\":
            i += 2
            continue
        if ch == "$":
            after = src[i + 1] if i + 1 < n else ""
            if src[i - 1] in " \t" or (after and (after.isalnum() or after in "_{($")):
                return None
            inner = src[pos + 1 : i]
            if "|" in inner or not _MATH_SIGNS.intersection(inner):
                return None
            return i + 1
        i += 1
    return None


def math_rule(state: StateInline, silent: bool) -> bool:
    """A ``$...$`` formula (:func:`math_span`) as one ``math`` token, its TeX kept as written."""
    end = math_span(state.src, state.pos)
    if end is None:
        return False
    if not silent:
        tok = state.push("math", "", 0)
        tok.content = state.src[state.pos + 1 : end - 1]
    state.pos = end
    return True


def wikilink_rule(state: StateInline, silent: bool) -> bool:
    """Obsidian ``[[Target|label]]`` and ``![[embed]]`` as one ``wikilink`` token.

    An inline rule, so code spans and fences keep their brackets as written.
    """
    src, pos = state.src, state.pos
    embed = src.startswith("![[", pos)
    if not embed and not src.startswith("[[", pos):
        return False
    start = pos + (3 if embed else 2)
    end = src.find("]]", start)
    inner = src[start:end] if end > start else ""
    if not inner.strip() or "\n" in inner or "[" in inner:
        return False
    if not silent:
        target, _, label = inner.partition("|")
        tok = state.push("wikilink", "", 0)
        tok.content = inner
        tok.meta = {"target": target.strip(), "label": label.strip(), "embed": embed}
    state.pos = end + 2
    return True


def normalize(
    lines: list[Line],
    *,
    file: str = "",
    resolve_image: ImageResolver = lambda src: src,
    resolve_link: LinkResolver | None = None,
    references: Mapping[str, Any] | None = None,
) -> tuple[str, list[Diagnostic]]:
    """Re-emit a CommonMark section body as Python-Markdown that renders the same way.

    ``resolve_image`` maps an image source as written to the source to emit, or ``None``
    when the image is missing (a visible placeholder and an ``info`` diagnostic then replace
    it). ``references`` are the whole note's link definitions
    (:func:`studysite.markdown_tokens.link_references`): a reference link in the body becomes
    an inline link. Returns the Markdown (``\\n`` line endings, no trailing newline) and
    diagnostics.
    """
    return _Normalizer(lines, file, resolve_image, resolve_link, references).run()


class _Normalizer:
    """One body: segments it into Markdown and tab tables and emits the blocks."""

    def __init__(
        self,
        lines: Sequence[Line],
        file: str,
        resolve_image: ImageResolver,
        resolve_link: LinkResolver | None = None,
        references: Mapping[str, Any] | None = None,
    ) -> None:
        self.references = references
        self.texts = [ln.text.replace("\r", "") for ln in lines]
        self.nos = [ln.no for ln in lines]
        self.file = file
        self.resolve_image = resolve_image
        self.resolve_link = resolve_link
        self.diags: list[Diagnostic] = []

    # -- driver ---------------------------------------------------------------------------

    def run(self) -> tuple[str, list[Diagnostic]]:
        # A copy: markdown-it adds the body's own definitions to it (the note's first one
        # of a label wins, as in the whole note).
        env = {"references": dict(self.references)} if self.references else None
        tokens = _parser().parse("\n".join(self.texts), env)
        runs = self._table_runs(tokens)
        children = _tree(tokens)
        if not runs:
            return self._finish(self._blocks(children, 0, nested=False))
        # Only the top-level blocks a tab run touches (a paragraph that lazily absorbed the
        # rows, usually) are re-parsed around the table; the rest of the tree is reused.
        starts = [node.map[0] if node.map else 0 for node in children]
        ends = [node.map[1] if node.map else 0 for node in children]
        regions: list[list[int]] = []
        for a, b in runs:
            lo, hi = a, b
            k = max(bisect_right(starts, a) - 1, 0)
            while k < len(children) and starts[k] < b:
                if ends[k] > a:
                    lo, hi = min(lo, starts[k]), max(hi, ends[k])
                k += 1
            if regions and lo < regions[-1][1]:
                regions[-1][1] = max(regions[-1][1], hi)
            else:
                regions.append([lo, hi])
        blocks: list[_Block] = []
        clean: list[_Node] = []
        k = 0
        for node in children:
            a = node.map[0] if node.map else 0
            while k < len(regions) and regions[k][1] <= a:
                blocks.extend(self._blocks(clean, 0, nested=False))
                clean = []
                blocks.extend(self._region(regions[k][0], regions[k][1], runs))
                k += 1
            if k < len(regions) and regions[k][0] <= a:
                continue
            clean.append(node)
        blocks.extend(self._blocks(clean, 0, nested=False))
        for lo, hi in regions[k:]:
            blocks.extend(self._region(lo, hi, runs))
        return self._finish(blocks)

    def _finish(self, blocks: list[_Block]) -> tuple[str, list[Diagnostic]]:
        out: list[str] = []
        prev = ""
        for kind, lines in blocks:
            if kind == prev and kind in _SEPARATE:
                out.append("<!-- -->")
            out.append("\n".join(lines))
            prev = kind
        return "\n\n".join(out), self.diags

    def _region(self, start: int, end: int, runs: list[tuple[int, int]]) -> list[_Block]:
        """Blocks of body lines ``start:end``: tab tables and the Markdown between them."""
        blocks: list[_Block] = []
        pos = start
        i = bisect_left(runs, (start, start))
        while i < len(runs) and runs[i][0] < end:
            a, b = runs[i]
            i += 1
            blocks.extend(self._parse_span(pos, a))
            blocks.extend(self._tab_table(a, b))
            pos = b
        blocks.extend(self._parse_span(pos, end))
        return blocks

    def _parse_span(self, start: int, end: int) -> list[_Block]:
        if start >= end:
            return []
        nodes = _tree(_parser().parse("\n".join(self.texts[start:end])))
        return self._blocks(nodes, start, nested=False)

    def line_no(self, idx: int) -> int:
        """Source line number of body index ``idx``; synthetic lines borrow a neighbour's."""
        if not self.nos:
            return 0
        idx = min(max(idx, 0), len(self.nos) - 1)
        for j in itertools.chain(range(idx, -1, -1), range(idx + 1, len(self.nos))):
            if self.nos[j]:
                return self.nos[j]
        return 0

    def _table_runs(self, tokens: Sequence[Token]) -> list[tuple[int, int]]:
        """Runs of tab-separated lines (outside code) that form a table: ``(start, end)``."""
        n = len(self.texts)
        if not any("\t" in t for t in self.texts):
            return []
        fenced: set[int] = set()
        indented: set[int] = set()
        for tok in tokens:
            if tok.map and tok.type in ("fence", "code_block"):
                (fenced if tok.type == "fence" else indented).update(range(*tok.map))

        def is_row(i: int) -> bool:
            # List items and quotes keep their tabs (`-\tRunning` is a cell, `- a\tb` an item).
            body = self.texts[i].lstrip(" \t")
            return i not in fenced and "\t" in body and not _NOT_ROW_RE.match(body)

        out: list[tuple[int, int]] = []
        i = 0
        while i < n:
            if not is_row(i):
                i += 1
                continue
            j = i
            while j < n and is_row(j):
                j += 1
            rows = [_split_tab_row(self.texts[k]) for k in range(i, j)]
            wide = any(sum(1 for c in r if c) >= 2 for r in rows)
            # One line is not a table. A console table whose first row starts with a tab
            # parses as indented code; a run that is code through and through is code.
            if j - i >= 2 and wide and not all(k in indented for k in range(i, j)):
                out.append((i, j))
            i = j
        return out

    # -- blocks ---------------------------------------------------------------------------

    def _blocks(self, nodes: Sequence[_Node], base: int, *, nested: bool) -> list[_Block]:
        out: list[_Block] = []
        prev = ""
        for node in nodes:
            kind, lines = self._block(node, base, nested)
            if not lines:
                continue
            if kind == prev and kind in _SEPARATE:
                # Python-Markdown would merge two adjacent lists (or quotes) that CommonMark
                # keeps apart.
                out.append(("html_block", ["<!-- -->"]))
            out.append((kind, lines))
            prev = kind
        return out

    def _block(self, node: _Node, base: int, nested: bool) -> _Block:
        kind = node.type
        if kind == "paragraph":
            return kind, self._paragraph(node, base)
        if kind == "heading":
            return self._heading(node, base, nested)
        if kind in ("bullet_list", "ordered_list"):
            return kind, self._list(node, base)
        if kind == "blockquote":
            inner = _join_blocks(self._blocks(node.children, base, nested=True))
            admonition = callout(inner)
            if admonition is not None:
                return "admonition", admonition
            return kind, [f"> {ln}" if ln else ">" for ln in inner] or [">"]
        if kind == "fence":
            return kind, _fence(node.content, node.info, node.markup[:1] or "`")
        if kind == "code_block":
            return kind, _fence(node.content, "", "`")
        if kind == "html_block":
            return self._html_block(node, base)
        if kind == "hr":
            return kind, ["---"]
        if kind == "table":
            return kind, self._pipe_table(node, base)
        # Unknown block types cannot come from this grammar; keep their source lines.
        if node.map:
            return kind, [t.rstrip() for t in self.texts[base + node.map[0] : base + node.map[1]]]
        return kind, []

    def _paragraph(self, node: _Node, base: int) -> list[str]:
        inline = node.children[0] if node.children else None
        if inline is None:
            return []
        if node.map and node.map[1] - node.map[0] >= 2 and inline.content[:1] in "{[":
            fenced = self._json_fence(base + node.map[0], base + node.map[1])
            if fenced:
                return fenced
        text = self._inline(inline, base, paragraph=True)
        lines = text.split("\n") if text else []
        if len(lines) > 1 and "|" in lines[1] and _PM_TABLE_SEP_RE.fullmatch(lines[1]):
            # Python-Markdown reads a paragraph whose second line is only `|:- ` as a table.
            lines[1] = lines[1].replace("|", "\\|")
        return lines

    def _json_fence(self, start: int, end: int) -> list[str] | None:
        """An unfenced JSON document (a policy pasted as text) becomes a ``json`` fence."""
        code = textwrap.dedent("\n".join(t.rstrip() for t in self.texts[start:end])).strip("\n")
        stripped = code.strip()
        if stripped[-1:] not in ("}", "]"):
            return None
        try:
            json.loads(stripped)
        except ValueError:
            return None
        return _fence(code + "\n", "json", "`")

    def _heading(self, node: _Node, base: int, nested: bool) -> _Block:
        level = int(node.tag[1])
        inline = node.children[0] if node.children else None
        raw = inline.content if inline is not None else ""
        atx = node.markup.startswith("#")
        # `# of Requests`: an h1 whose text starts lowercase is a "number of" sign, not a title.
        if nested or (atx and level == 1 and raw[:1].islower()):
            # Not a heading of this page: the text stays, its `#` marks become literal.
            if not atx:
                text = self._inline(inline, base, paragraph=True) if inline is not None else ""
                return "paragraph", text.split("\n") if text else []
            body = self._inline(inline, base, line_start=False) if inline is not None else ""
            return "paragraph", [("\\" + "#" * level + " " + body).rstrip()]
        body = self._inline(inline, base, heading=True) if inline is not None else ""
        return "heading", [("#" * level + " " + body).rstrip()]

    def _list(self, node: _Node, base: int) -> list[str]:
        ordered = node.type == "ordered_list"
        start = int(str(node.attrs.get("start", 1))) if ordered else 1
        items = [self._blocks(item.children, base, nested=True) for item in node.children]
        cm_tight = all(
            ch.token.hidden
            for item in node.children
            for ch in item.children
            if ch.type == "paragraph"
        )
        tight = cm_tight and all(_tight_item(blocks) for blocks in items)
        out: list[str] = []
        for k, blocks in enumerate(items):
            marker = f"{start + k}." if ordered else (node.markup or "-")
            if out and not tight:
                out.append("")
            out.extend(_item(marker, blocks, tight))
        return out

    def _pipe_table(self, node: _Node, base: int) -> list[str]:
        header: list[str] = []
        aligns: list[str] = []
        body: list[list[str]] = []
        for part in node.children:
            for tr in part.children:
                cells = []
                for cell in tr.children:
                    inline = cell.children[0] if cell.children else None
                    text = (
                        self._inline(inline, base, table=True, line_start=False)
                        if inline is not None
                        else ""
                    )
                    cells.append(text.strip())
                    if part.type == "thead":
                        aligns.append(str(cell.attrs.get("style", "")))
                if part.type == "thead":
                    header = cells
                else:
                    body.append(cells)
        seps = [_align_marker(a) for a in aligns] or ["---"] * len(header)
        return _table_lines(header, seps, body)

    def _html_block(self, node: _Node, base: int) -> _Block:
        content = node.content.rstrip("\n").lstrip(" ")
        first = base + (node.map[0] if node.map else 0)
        open_name = ""
        m = _CONTAINER_OPEN_RE.match(content)
        if m and "markdown=" not in m.group() and f"</{m.group(1).lower()}" not in content.lower():
            # A container closed by a later block (CommonMark renders the Markdown between):
            # md_in_html needs markdown="1" to do the same.
            open_name = m.group(1).lower()
            content = f'{content[: m.end(1)]} markdown="1"{content[m.end(1) :]}'
        if _is_clean_html(content, open_name):
            out = _TAG_SCAN_RE.sub(
                lambda m: (
                    self._img_tag(m.group(), first + content.count("\n", 0, m.start()))
                    if m.group().lower().startswith("<img")
                    else m.group()
                ),
                content,
            )
            keep_indent = "<pre" in out.lower()  # only <pre> content depends on indentation
            lines = [ln.rstrip() if keep_indent else ln.strip() for ln in out.split("\n")]
            return "html_block", lines
        # Not trustworthy HTML (pseudo-tags, an unclosed <ul>): treat it as inline text.
        toks: list[Token] = []
        pos = 0
        for m in _TAG_SCAN_RE.finditer(content):
            _text_tokens(content[pos : m.start()], toks)
            toks.append(Token("html_inline", "", 0, content=m.group()))
            pos = m.end()
        _text_tokens(content[pos:], toks)
        text = _InlineWriter(self, first, paragraph=True).render(toks, line_start=True)
        lines = [ln.rstrip() for ln in text.strip().split("\n")] if text.strip() else []
        return "paragraph", lines

    # -- tab tables -----------------------------------------------------------------------

    def _tab_table(self, start: int, end: int) -> list[_Block]:
        rows = [(k, _split_tab_row(self.texts[k])) for k in range(start, end)]
        captions: list[tuple[int, str]] = []
        while rows and sum(1 for c in rows[0][1] if c) <= 1 and rows[0][1][:1] != [""]:
            captions.append((rows[0][0], rows[0][1][0] if rows[0][1] else ""))
            rows.pop(0)
        rows = [r for r in rows if not _is_dash_row(r[1])]
        blocks: list[_Block] = []
        if captions:
            parts = [self._cell(text, k, table=False) for k, text in captions]
            blocks.append(("paragraph", "<br>\n".join(p for p in parts if p).split("\n")))
        if rows:
            width = max(len(cells) for _, cells in rows)
            rendered = [
                [self._cell(c, k) for c in cells] + [""] * (width - len(cells)) for k, cells in rows
            ]
            blocks.append(("table", _table_lines(rendered[0], ["---"] * width, rendered[1:])))
        return blocks

    def _cell(self, text: str, idx: int, *, table: bool = True) -> str:
        if _INLINE_SYNTAX_RE.search(text):
            toks = _parser().parseInline(text)
            children = (toks[0].children or []) if toks else []
        else:  # plain text parses to itself; skipping the parser halves the cost of a table
            children = [Token("text", "", 0, content=text)]
        writer = _InlineWriter(self, idx, table=table, paragraph=not table)
        return writer.render(children, line_start=not table).strip()

    # -- inline helpers -------------------------------------------------------------------

    def _inline(
        self,
        inline: _Node,
        base: int,
        *,
        line_start: bool = True,
        paragraph: bool = False,
        heading: bool = False,
        table: bool = False,
    ) -> str:
        first = base + (inline.map[0] if inline.map else 0)
        tokens = inline.token.children
        writer = _InlineWriter(self, first, paragraph=paragraph, heading=heading, table=table)
        return writer.render(tokens or [], line_start=line_start and not heading)

    def tag(self, tag: str, idx: int) -> str:
        """Python-Markdown form of one raw HTML tag found at body index ``idx``."""
        if tag.startswith("<!--"):
            return tag
        m = _TAG_NAME_RE.match(tag)
        if not m:
            return _escape_pseudo_tag(tag)
        closing, name = bool(m.group(1)), m.group(2).lower()
        if name == "img" and not closing:
            return self._img_tag(tag, idx)
        if name == "input":
            return "" if closing else _input_text(tag)
        if name in _FLATTEN_TAGS:
            return "• " if name == "li" and not closing else ""
        if name in _INLINE_TAGS:
            return tag
        return _escape_pseudo_tag(tag)

    def _img_tag(self, tag: str, idx: int) -> str:
        m = re.search(_ATTR_RE.format("src"), tag, re.I)
        if not m or not m.group(1):
            return tag
        raw = m.group(1)
        src = html.unescape(raw[1:-1] if raw[:1] in "\"'" else raw)
        resolved = self.resolve_image(src)
        if resolved is None:
            self.missing_image(src, idx)
            return f"<em>(image not available: <code>{html.escape(src)}</code>)</em>"
        if resolved == src:
            return tag
        return f'{tag[: m.start(1)]}"{html.escape(resolved)}"{tag[m.end(1) :]}'

    def link(self, kind: str, target: str, idx: int) -> str | None:
        """Where a note's link or wikilink points from this page; ``None`` (and a report
        entry) when it goes nowhere: a user's dead link is their note's problem, not a
        build error."""
        if self.resolve_link is None:
            return target if kind == "link" else None
        url = self.resolve_link(kind, target)
        if url is None:
            what = "link" if kind == "link" else f"[[{target}]]"
            msg = f"{what} to '{target}' goes nowhere: shown as plain text"
            self.diags.append(Diagnostic(self.file, self.line_no(idx), msg, "info"))
        return url

    def missing_image(self, src: str, idx: int) -> None:
        msg = f"image not found: {src}"
        self.diags.append(Diagnostic(self.file, self.line_no(idx), msg, "info"))


class _Node:
    """A block of the token tree: its opening (or only) token and its children.

    A lighter stand-in for ``markdown_it.tree.SyntaxTreeNode``, which costs as much as a
    third of the parse on list-heavy bodies.
    """

    __slots__ = ("children", "token", "type")

    def __init__(self, token: Token) -> None:
        self.token = token
        self.type = token.type.removesuffix("_open")
        self.children: list[_Node] = []

    @property
    def map(self) -> list[int] | None:
        return self.token.map

    @property
    def markup(self) -> str:
        return self.token.markup

    @property
    def info(self) -> str:
        return self.token.info

    @property
    def content(self) -> str:
        return self.token.content

    @property
    def tag(self) -> str:
        return self.token.tag

    @property
    def attrs(self) -> dict[str, str | int | float]:
        return self.token.attrs


def _tree(tokens: Sequence[Token]) -> list[_Node]:
    """Nest a flat block token stream (``*_open`` ... ``*_close``) into :class:`_Node` s."""
    top: list[_Node] = []
    stack: list[list[_Node]] = [top]
    for tok in tokens:
        if tok.nesting == -1:
            stack.pop()
            continue
        node = _Node(tok)
        stack[-1].append(node)
        if tok.nesting == 1:
            stack.append(node.children)
    return top


_RUN_TYPES = frozenset({"text", "text_special", "softbreak", "hardbreak"})


class _InlineWriter:
    """Emits one inline token list (a paragraph, heading or cell) as Python-Markdown."""

    def __init__(
        self,
        norm: _Normalizer,
        first_idx: int,
        *,
        paragraph: bool = False,
        heading: bool = False,
        table: bool = False,
    ) -> None:
        self.norm = norm
        self.idx = first_idx
        self.paragraph = paragraph
        self.heading = heading
        self.table = table
        self.out: list[str] = []
        self.specials: list[str] = []
        self.links: list[tuple[bool, str, str]] = []
        self.in_link = 0

    def render(self, tokens: Sequence[Token], *, line_start: bool) -> str:
        self.line_start = line_start
        i, n = 0, len(tokens)
        while i < n:
            tok = tokens[i]
            if tok.type in _RUN_TYPES:
                j = i
                while j < n and tokens[j].type in _RUN_TYPES:
                    j += 1
                self._run(tokens[i:j], tokens[j] if j < n else None)
                i = j
                continue
            if tok.type == "link_open" and tok.markup == "autolink":
                j = i + 1
                while j < n and tokens[j].type != "link_close":
                    j += 1
                label = "".join(t.content for t in tokens[i + 1 : j])
                self._emit(_autolink(str(tok.attrs.get("href", "")), label))
                i = j + 1
                continue
            self._token(tok)
            i += 1
        text = "".join(self.out)
        if self.heading and text.endswith("#") and not text.endswith("\\#"):
            # Python-Markdown strips a closing `#` run; this one is heading text.
            text = text[:-1] + "\\#"
        return text

    def _emit(self, s: str) -> None:
        if s:
            self.out.append(s)

    def _last_char(self) -> str:
        for piece in reversed(self.out):
            if piece:
                return piece[-1]
        return "\x00"

    def _at_line_start(self) -> bool:
        last = self._last_char()
        return last == "\n" or (last == "\x00" and self.line_start)

    def _own_pua(self, text: str) -> str:
        """``text`` with its own private-use characters (icon fonts put glyphs there) made
        specials standing for themselves: as placeholders they would be looked up (and crash)."""
        if not _PH_RE.search(text):
            return text
        return _PH_RE.sub(lambda m: self._special(m.group()), text)

    def _special(self, out: str) -> str:
        self.specials.append(out)
        return chr(_PH_BASE + len(self.specials) - 1)

    def _token(self, tok: Token) -> None:
        kind = tok.type
        if kind == "code_inline":
            self._emit(_code_span(tok.content))
        elif kind in ("em_open", "em_close"):
            self._emit("*")
        elif kind in ("strong_open", "strong_close"):
            self._emit("**")
        elif kind == "link_open":
            href = str(tok.attrs.get("href", ""))
            keep = not (href == "" or href.startswith("#"))
            if keep:
                url = self.norm.link("link", href, self.idx)
                keep, href = url is not None, url or href
            self.links.append((keep, href, str(tok.attrs.get("title", "") or "")))
            self.in_link += 1
            if keep:
                self._emit("[")
        elif kind == "link_close":
            keep, href, title = self.links.pop() if self.links else (False, "", "")
            self.in_link -= 1
            if keep:
                self._emit(f"]({_dest(href)}{_title(title)})")
        elif kind == "image":
            self._image(tok)
        elif kind == "wikilink":
            self._wikilink(tok)
        elif kind == "math":
            # pymdownx.arithmatex reads \(...\) only (mkdocs.yml): a bare $ stays a dollar.
            self._emit(f"\\({tok.content}\\)")
        elif kind == "html_inline":
            self._emit(self.norm.tag(tok.content, self.idx))
            self.idx += tok.content.count("\n")
        else:
            self._emit(tok.content)

    def _image(self, tok: Token) -> None:
        src = unquote(str(tok.attrs.get("src", "")))
        resolved = self.norm.resolve_image(src)
        if resolved is None:
            self.norm.missing_image(src, self.idx)
            self._emit(f"*(image not available: {_code_span(src)})*")
            return
        alt = re.sub(r"([\\\[\]])", r"\\\1", _plain(tok.children or []))
        alt = unicodedata.normalize("NFC", alt)
        title = str(tok.attrs.get("title", "") or "")
        self._emit(f"![{alt}]({_dest(resolved)}{_title(title)})")

    def _wikilink(self, tok: Token) -> None:
        target, label, embed = tok.meta["target"], tok.meta["label"], tok.meta["embed"]
        shown = label or target.split("/")[-1].replace("#", " › ").strip(" ›")
        text = _escape_run(
            shown,
            prev=self._last_char(),
            nxt="\x00",
            line_start=self._at_line_start(),
            table=self.table,
            heading=self.heading,
            linkify=False,
        )
        if embed and self.norm.resolve_link is not None:
            url = self.norm.resolve_link("embed", target)
            if url is None:
                self.norm.missing_image(target, self.idx)
                self._emit(f"*(image not available: {_code_span(target)})*")
            elif url.endswith(".md") or ".md#" in url:
                self._emit(f"[{text}]({_dest(url)})")  # an embedded note: link to it
            else:
                self._emit(f"![{text}]({_dest(url)})")
            return
        url = None if self.in_link else self.norm.link("wiki", target, self.idx)
        self._emit(f"[{text}]({_dest(url)})" if url else text)

    def _run(self, toks: Sequence[Token], nxt: Token | None) -> None:
        buf: list[str] = []
        for t in toks:
            if t.type == "text":
                buf.append(self._own_pua(t.content))
            elif t.type == "softbreak":
                if buf:  # CommonMark strips spaces before a line end, but not tabs
                    buf[-1] = buf[-1].rstrip(" \t")
                buf.append(" " if self.heading or self.table else "\n")
                self.idx += 1
            elif t.type == "hardbreak":
                if buf:
                    buf[-1] = buf[-1].rstrip(" \t")
                buf.append(self._special("<br>"))
                if not (self.heading or self.table):
                    buf.append("\n")
                self.idx += 1
            elif t.content == t.markup or (
                t.info == "escape" and t.content not in _PM_ESCAPABLE and t.content not in "$<&"
            ):
                # `\\Rightarrow` (no escape at all) or `\\:` (an escape Python-Markdown lacks):
                # plain text, so that the usual escaping rules still see the character.
                buf.append(self._own_pua(t.content))
            else:
                buf.append(self._special(_special_text(t)))
        s = "".join(buf)
        if self.paragraph and nxt is None and s.endswith("\\"):
            # A CommonMark hard break with nothing after it: the `\` was never meant as text.
            s = s[:-1].rstrip(" \t")
        s = _escape_run(
            s,
            prev=self._last_char(),
            nxt=_lead_char(nxt),
            line_start=self._at_line_start(),
            table=self.table,
            heading=self.heading,
            linkify=not self.in_link,
        )
        if self.specials:
            s = _PH_RE.sub(lambda m: self.specials[ord(m.group()) - _PH_BASE], s)
        self._emit(s)


# -- text escaping ------------------------------------------------------------------------


def _escape_run(
    s: str,
    *,
    prev: str,
    nxt: str,
    line_start: bool,
    table: bool,
    heading: bool,
    linkify: bool,
) -> str:
    """Escape a run of plain text (placeholders for specials) for Python-Markdown."""
    if "\\" in s:
        s = _LATEX_RE.sub(lambda m: _LATEX[m.group()], s)
    if not s.isascii() and not unicodedata.is_normalized("NFC", s):
        s = unicodedata.normalize("NFC", s)
    pieces: list[str] = []
    pos = 0
    before = prev
    if linkify and "://" in s:
        for m in _URL_RE.finditer(s):
            url = _trim_url(m.group())
            end = m.start() + len(url)
            pieces.append(_escape_chars(s[pos : m.start()], before, url[0], table, heading))
            pieces.append(f"<{url}>")
            before, pos = ">", end
    pieces.append(_escape_chars(s[pos:], before, nxt, table, heading))
    out = "".join(pieces)
    if "\n" not in out and not line_start:
        return out
    lines = out.split("\n")
    for k, ln in enumerate(lines):
        if k or line_start:
            lines[k] = _escape_line_start(ln)
    return "\n".join(lines)


def _escape_chars(seg: str, prev: str, nxt: str, table: bool, heading: bool) -> str:
    if not seg:
        return seg
    t = (prev or "\x00") + seg + (nxt or "\x00")
    last = len(t) - 1

    def sub(m: re.Match[str]) -> str:
        i = m.start()
        c = m.group()
        if i == 0 or i == last:
            return c
        a, b = t[i - 1], t[i + 1]
        if c == "\\":
            return "\\\\" if b in _PM_ESCAPABLE or b == "\x00" else c
        if c in "`*":
            return "\\" + c
        if c == "_":
            return c if a.isalnum() and b.isalnum() else "\\_"
        if c == "[":
            return "\\[" if b == "^" else c
        if c == "]":
            return "\\]" if b in "([" else c
        if c == "<":
            return "&lt;" if b.isalpha() or b in "/!?" else c
        if c == "|":
            return "\\|" if table else c
        if c == "{":
            # attr_list eats `{...}` at the end of a heading or cell, or after an inline element.
            return "\\{" if heading or table or (i == 1 and a in "*`)>]") else c
        return "&amp;"

    return _CHAR_RE.sub(sub, t)[1:-1]


def _escape_line_start(line: str) -> str:
    """Make a line-initial character that Python-Markdown would read as block syntax inert."""
    if not line:
        return line
    c = line[0]
    if c in "#>" or (c == "{" and _ATTR_LINE_RE.fullmatch(line)):
        return "\\" + line
    if c in "-+" and (len(line) == 1 or line[1] in " \t" or not line.strip(c + " \t")):
        return "\\" + line
    m = _OL_START_RE.match(line)
    if m:
        return m.group(1) + "\\" + line[len(m.group(1)) :]
    if c == "=" and (not line.rstrip("= \t") or line.startswith("=== ")):
        return "&#61;" + line[1:]
    if c == ":" and (len(line) == 1 or line[1] in " \t"):
        return "&#58;" + line[1:]
    if line.startswith(("!!!", "???", "~~~")):
        return {"!": "&#33;", "?": "&#63;", "~": "&#126;"}[c] + line[1:]
    if c == "[" and (line.startswith(("[^", "[TOC]")) or _REFDEF_RE.match(line)):
        return "\\" + line
    return line


def _trim_url(url: str) -> str:
    url = url.rstrip(".,:;!?*_~'\"")
    while url.endswith(")") and url.count(")") > url.count("("):
        url = url[:-1].rstrip(".,:;!?*_~'\"")
    return url


def _special_text(tok: Token) -> str:
    """Output for a ``text_special`` token (a backslash escape or an entity)."""
    if tok.info == "entity":
        return tok.markup
    ch = tok.content
    if ch in _PM_ESCAPABLE:
        return "\\" + ch
    return {"$": "&#36;", "<": "&lt;", "&": "&amp;"}.get(ch, ch)


def _lead_char(tok: Token | None) -> str:
    """First character the next inline token will emit (``\\x00`` when unknown or none)."""
    if tok is None:
        return "\x00"
    return {
        "code_inline": "`",
        "em_open": "*",
        "em_close": "*",
        "strong_open": "*",
        "strong_close": "*",
        "image": "!",
        "html_inline": "<",
    }.get(tok.type, "[" if tok.type == "link_open" else "\x00")


def _escape_pseudo_tag(tag: str) -> str:
    return _escape_chars(tag, "\x00", "\x00", True, False).replace(">", "&gt;")


def _input_text(tag: str) -> str:
    typ = re.search(_ATTR_RE.format("type"), tag, re.I)
    kind = (typ.group(1) or "").strip("\"'").lower() if typ else ""
    if kind == "checkbox":
        return "☑" if re.search(_ATTR_RE.format("checked"), tag, re.I) else "☐"
    val = re.search(_ATTR_RE.format("value"), tag, re.I)
    value = html.unescape((val.group(1) or "").strip("\"'")) if val else ""
    return _escape_chars(value, "\x00", "\x00", True, False)


def _is_clean_html(content: str, open_name: str = "") -> bool:
    """Only allowlisted, balanced tags (``open_name`` may stay open): a safe raw HTML block."""
    depth: dict[str, int] = {}
    rest = _TAG_SCAN_RE.sub("", content)
    if "<" in rest and re.search(r"<[A-Za-z/!?]", rest):
        return False
    for m in _TAG_SCAN_RE.finditer(content):
        tag = m.group()
        if tag.startswith("<!--"):
            continue
        nm = _TAG_NAME_RE.match(tag)
        if not nm:
            return False
        name = nm.group(2).lower()
        if name not in _BLOCK_TAGS:
            return False
        if name in _VOID_TAGS or tag.endswith("/>"):
            continue
        depth[name] = depth.get(name, 0) + (-1 if nm.group(1) else 1)
    if open_name:
        depth[open_name] = depth.get(open_name, 0) - 1
    return not any(depth.values())


def _text_tokens(text: str, out: list[Token]) -> None:
    """Plain text of an HTML block as ``text``/``softbreak`` tokens (lines stripped)."""
    for k, part in enumerate(text.split("\n")):
        if k:
            out.append(Token("softbreak", "br", 0))
        part = part.strip() if k else part
        if part:
            out.append(Token("text", "", 0, content=part))


# -- small emitters -----------------------------------------------------------------------


def _code_span(content: str) -> str:
    longest = max((len(r) for r in re.findall(r"`+", content)), default=0)
    ticks = "`" * (longest + 1)
    pad = (
        " "
        if content[:1] == "`"
        or content[-1:] == "`"
        or (content[:1] == " " and content[-1:] == " " and content.strip())
        else ""
    )
    return f"{ticks}{pad}{content}{pad}{ticks}"


def _autolink(href: str, label: str) -> str:
    if re.match(r"(?i)(https?|ftp)://[^\s<>]*$", label):
        return f"<{label}>"
    if href.startswith("mailto:") and "@" in label and not label.startswith("mailto:"):
        return f"<{label}>"
    return f"[{label}]({_dest(href)})"


def _dest(url: str) -> str:
    return f"<{url}>" if not url or any(c in url for c in " ()<>") else url


def _title(title: str) -> str:
    return f' "{title.replace(chr(34), "&quot;")}"' if title else ""


def _plain(tokens: Sequence[Token]) -> str:
    out: list[str] = []
    for t in tokens:
        if t.type in ("text", "text_special", "code_inline"):
            out.append(t.content)
        elif t.type in ("softbreak", "hardbreak"):
            out.append(" ")
        elif t.type == "image":
            out.append(_plain(t.children or []))
    return "".join(out)


def _fence(content: str, info: str, char: str) -> list[str]:
    body = content[:-1] if content.endswith("\n") else content
    longest = max((len(r) for r in re.findall(re.escape(char) + "+", body)), default=0)
    fence = char * max(3, longest + 1)
    words = info.split()
    lang = words[0] if words and _LANG_RE.fullmatch(words[0]) else ""
    return [fence + lang, *(body.split("\n") if body else []), fence]


def _split_tab_row(text: str) -> list[str]:
    cells = [c.strip() for c in text.split("\t")]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _is_dash_row(cells: list[str]) -> bool:
    filled = [c for c in cells if c]
    return bool(filled) and all(_DASH_CELL_RE.fullmatch(c) for c in filled)


def _align_marker(style: str) -> str:
    if "center" in style:
        return ":---:"
    if "right" in style:
        return "---:"
    if "left" in style:
        return ":---"
    return "---"


def _table_lines(header: list[str], seps: list[str], body: list[list[str]]) -> list[str]:
    def row(cells: list[str]) -> str:
        return "|" + "|".join(f" {c} " if c else " " for c in cells) + "|"

    return [row(header), row(seps), *(row(r) for r in body)]


def _join_blocks(blocks: list[_Block]) -> list[str]:
    out: list[str] = []
    for _, lines in blocks:
        if out:
            out.append("")
        out.extend(lines)
    return out


def _tight_item(blocks: list[_Block]) -> bool:
    """Can this item be emitted without blank lines (one paragraph, then nested lists)?"""
    lists = ("bullet_list", "ordered_list")
    for k, (kind, lines) in enumerate(blocks):
        if "" in lines:
            return False
        if kind == "paragraph" and k == 0:
            continue
        # Two lists in a row need a blank line between them, or the second one is text.
        if kind not in lists or (k and blocks[k - 1][0] in lists):
            return False
    return True


def _item(marker: str, blocks: list[_Block], tight: bool) -> list[str]:
    if not blocks:
        return [f"{marker} &#8203;"]
    out: list[str] = []
    rest = blocks
    first_kind, first_lines = blocks[0]
    if first_kind == "paragraph":
        out.append(f"{marker} {first_lines[0]}")
        out.extend(_indent(first_lines[1:]))
        rest = blocks[1:]
    else:
        # Python-Markdown cannot open an item with a fence, quote or table, and loses the
        # children of a list opened on the marker line (`1. - a` then deeper items).
        out.append(f"{marker} &#8203;")
    for kind, lines in rest:
        if not (tight and kind in ("bullet_list", "ordered_list")):
            out.append("")
        out.extend(_indent(lines))
    return out


def _indent(lines: list[str]) -> list[str]:
    return [f"    {ln}" if ln else "" for ln in lines]


def cell_text(text: str) -> str:
    """Text safe inside a Markdown table cell and raw HTML: escaped, no pipes or markup."""
    text = re.sub(r"([\\`*_\[\]#{}])", r"\\\1", " ".join(str(text).split()))
    return html.escape(text, quote=False).replace("|", "&#124;")
