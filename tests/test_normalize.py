"""Body normalizer: CommonMark bodies in, Markdown that Python-Markdown renders the same way out.

Three layers: golden files cut from the seed notes (``tests/golden/normalize``), one table per
requirement on the emitted Markdown, and checks that Python-Markdown (with the site's
extensions) really builds the expected HTML structure from the output. Independently of the
golden files, every golden case is rendered by CommonMark itself: the output must render the
same structure (except the cases in ``DIVERGES``, each with its reason) and keep every word.
"""

from __future__ import annotations

import importlib.util
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
from markdown_it import MarkdownIt
from workcount import growth

from studysite.model import Diagnostic, Line
from studysite.render.markdown import normalize

GOLDEN = Path(__file__).parent / "golden" / "normalize"
CASES = sorted(p.name.removesuffix(".in.md") for p in GOLDEN.glob("*.in.md"))

_SITE_EXTENSIONS = [
    "attr_list",
    "admonition",
    "pymdownx.details",
    "pymdownx.superfences",
    "pymdownx.highlight",
    "pymdownx.tabbed",
    "pymdownx.tasklist",
    "tables",
    "md_in_html",
    "toc",
    "footnotes",
    "def_list",
    "abbr",
    "sane_lists",
]
EXTENSIONS = [
    ext
    for ext in _SITE_EXTENSIONS
    if "." not in ext or importlib.util.find_spec(ext.split(".")[0]) is not None
]


def _lines(text: str, first: int = 1) -> list[Line]:
    return [Line(first + i, t) for i, t in enumerate(text.split("\n"))]


def _local_missing(src: str) -> str | None:
    """The seeds ship no image files: relative images are missing, URLs are kept."""
    return src if src.startswith(("http://", "https://")) else None


def norm(text: str, **kwargs: object) -> str:
    return normalize(_lines(text), **kwargs)[0]  # type: ignore[arg-type]


def html(md_text: str) -> str:
    return markdown.markdown(md_text, extensions=EXTENSIONS)


class _Skeleton(HTMLParser):
    """Open/close tags of interest, in order: the block structure of a page."""

    def __init__(self, keep: set[str]) -> None:
        super().__init__()
        self.keep = keep
        self.out: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.keep:
            self.out.append(f"<{tag}>")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.keep:
            self.out.append(f"</{tag}>")


def skeleton(html_text: str, keep: str = "ul ol li") -> str:
    parser = _Skeleton(set(keep.split()))
    parser.feed(html_text)
    return "".join(parser.out)


# -- golden files -----------------------------------------------------------------------


def test_golden_cases_exist() -> None:
    assert len(CASES) >= 12


@pytest.mark.parametrize("case", CASES)
def test_golden(case: str, golden) -> None:
    text = (GOLDEN / f"{case}.in.md").read_text(encoding="utf-8").removesuffix("\n")
    out, _ = normalize(_lines(text), file=f"{case}.in.md", resolve_image=_local_missing)
    golden(GOLDEN / f"{case}.out.md", out + "\n")


@pytest.mark.parametrize("case", CASES)
def test_golden_output_is_clean(case: str) -> None:
    text = (GOLDEN / f"{case}.in.md").read_text(encoding="utf-8").removesuffix("\n")
    out, _ = normalize(_lines(text), resolve_image=_local_missing)
    assert "\r" not in out
    assert not out.endswith("\n")
    assert not out.startswith("\n")
    assert "\n\n\n" not in out
    fence = ""
    for line in out.split("\n"):
        m = re.match(r"\s*(?:>\s*)*(`{3,}|~{3,})", line)
        if m and (not fence or m.group(1).startswith(fence)):
            fence = "" if fence else m.group(1)
            continue
        if not fence:  # code keeps its own whitespace
            assert line == line.rstrip(), repr(line)
    assert out == normalize(_lines(text), resolve_image=_local_missing)[0]  # deterministic


def _golden_html(case: str) -> str:
    text = (GOLDEN / f"{case}.in.md").read_text(encoding="utf-8").removesuffix("\n")
    return html(normalize(_lines(text), resolve_image=_local_missing)[0])


@pytest.mark.parametrize(
    ("case", "keep", "expected"),
    [
        (
            "000_list_indent_deep",
            "ul li",
            "<ul><li></li><li></li><li><ul>"
            + "<li><ul><li></li><li></li><li></li></ul></li>" * 2
            + "<li><ul><li></li><li></li></ul></li>"
            + "</ul></li></ul>",
        ),
        (
            "000_list_indent_mixed",
            "ul li p",
            "<p></p><ul><li><ul><li></li></ul></li>" + "<li></li>" * 6 + "</ul>",
        ),
        ("001_hash_in_items", "ul li h1", "<ul>" + "<li></li>" * 5 + "</ul>"),
        ("001_tab_table_hash_row", "table h1", "<table></table>"),
        ("001_tab_table_objects_caption", "table p", "<p></p><p></p><table></table><p></p>"),
        ("004_pipe_tables", "table p", "<table></table><p></p><p></p><table></table>"),
        (
            "003_blockquote_lazy_images",
            "blockquote ul li",
            "<blockquote>" + "<ul><li></li></ul>" * 4 + "</blockquote><blockquote><ul><li></li>",
        ),
    ],
)
def test_golden_renders_in_python_markdown(case: str, keep: str, expected: str) -> None:
    assert skeleton(_golden_html(case), keep).startswith(expected)


# -- the output renders like CommonMark ------------------------------------------------


class _Canon(HTMLParser):
    """Structure tags and whitespace-collapsed text; wrappers (p, div, span) are ignored."""

    # fmt: off
    KEEP = frozenset({
        "ul", "ol", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6",
        "table", "tr", "th", "td", "pre", "code", "em", "strong", "a", "img", "hr",
    })
    # fmt: on

    def __init__(self) -> None:
        super().__init__()
        self.events: list[str] = []
        self.text: list[str] = []

    def flush(self) -> None:
        text = " ".join("".join(self.text).replace("\u200b", "").split())
        if text:
            self.events.append(text)
        self.text = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.text.append(" ")
        elif tag in self.KEEP:
            self.flush()
            self.events.append(f"<{tag} {dict(attrs).get('src', '')}>")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.KEEP:
            self.flush()
            self.events.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def canon(html_text: str) -> list[str]:
    parser = _Canon()
    parser.feed(html_text)
    parser.close()
    parser.flush()
    return parser.events


@pytest.mark.parametrize(
    "src",
    [
        "para\n- list right after\n  - child\n   - sibling of child",
        "1. one\n1. two\n\n   para in two\n3. three",
        "5) five\n6) six",
        "- a\n* b\n+ c",
        "text with *unclosed and **bold** and _under_score_ and snake_case_name",
        "- item\n\n      indented code in item\n- next",
        "> quote\nlazy line\n> - list in quote\ncontinued lazily\n>\n> ```js\n> code\n> ```",
        "- a\n  > quote in item\n  > more\n- b",
        "Text\\\nhard break and  \ntwo-space break",
        'A [link](http://x.com/a_b "T") and <http://auto.link/x_y>',
        "`code with *stars* and <tags>` and `` `tick` `` and ``` `` ```",
        "Entities &amp; &lt;b&gt; &copy; &#123; and \\* \\_ \\# \\\\ \\` \\[x\\]",
        "x < y and 3 > 2 & co",
        "Title\n=====\n\nSub\n---\n\n***",
        "- a\n- b\n\n- c",
        "1. a\n   - b\n     1. c\n        - d",
        "| a | b |\n|:--|--:|\n| `x` | \\| |\n| **b** | [l](http://u) |",
        'Term\n: not a deflist\n\n!!! note "no admonition"\n\n=== "no tab"',
        "{: #id }\npara {#x}\n\n*x*{: .c}",
        "foo*bar*baz and foo__bar__baz and **foo**bar",
        "- a\n- b\n1. c\n2. d\n\n> q1\n\n> q2",
        "    indented code\n\npara\n* * *\n- a\n\n  b",
        "> > nested quote\n> > more",
        "20. twenty\n21. twenty-one\n\nLine one\n2. not a list\n- but this is",
        "[^1] and [TOC]\n\n*[HTML]: abbr",
        "**bold\nacross** lines and `code\nacross` lines",
        "1. - a\n     - b\n       - c\n2. z",
        "- 1. x\n  2. y\n- ```\n  fence\n  ```\n- > q",
        "x ~ |\n|\n\ny | - :\n|---|",
        "a `b` {x}\n\n- a\n  1. b\n  - c",
    ],
)
def test_renders_like_commonmark(src: str) -> None:
    out = norm(src)
    expected = canon(MarkdownIt("commonmark").enable("table").render(src))
    assert canon(html(out)) == expected, out


# -- every golden case against CommonMark itself -----------------------------------------


# Rewrites the normalizer makes on purpose, applied to the input before CommonMark renders it:
# LaTeX arrows become the arrow, dead links (`[Info](#)`) keep only their text.
def _intended(text: str) -> str:
    text = text.replace("\\not\\Rightarrow", "⇏").replace("\\Rightarrow", "⇒")
    return re.sub(r"\[([^\]]*)\]\(#[^)]*\)", r"\1", text)


# Golden cases whose structure differs from CommonMark on purpose, and why. Every other case
# must render exactly as CommonMark renders its input (after the rewrites above).
DIVERGES = {
    "000_toc_anchors": "'# name' inside a list item is text, not a heading",
    "000_trailing_backslash": "a hard break with nothing after it is dropped",
    "001_hash_in_items": "'# of CPU cores' in an item is text, not a heading",
    "001_heading_in_item": "'## Kinesis' in an item is text, not a heading",
    "001_pseudo_tags": "<bucket-name> is visible text, not an HTML tag",
    "001_tab_table_alb_ul": "tab-separated rows become a table",
    "001_tab_table_checkboxes": "tab-separated rows become a table",
    "001_tab_table_dollars": "tab-separated rows become a table",
    "001_tab_table_hash_row": "tab-separated rows become a table",
    "001_tab_table_objects_caption": "tab-separated rows become a table",
    "001_tab_table_small_info": "tab-separated rows become a table",
    "001_tab_table_summary": "tab-separated rows become a table",
    "001_tab_table_ul_cells": "tab-separated rows become a table",
    "003_blockquote_lazy_images": "a missing image becomes a placeholder",
    "003_unfenced_json": "unfenced JSON becomes a code block",
    "004_pipe_table_ul": "a <ul> pasted into a table cell is dropped, its text kept",
    "synthetic_commonmark_mix": "bare URLs become links; '# of' lines are text",
}


def _words(events: list[str]) -> Counter[str]:
    text = [e for e in events if not re.fullmatch(r"</?[a-z0-9]+(?: [^>]*)?>", e)]
    return Counter(w for e in text for w in re.findall(r"\w+", e))


def _golden_and_commonmark(case: str) -> tuple[list[str], list[str]]:
    text = (GOLDEN / f"{case}.in.md").read_text(encoding="utf-8").removesuffix("\n")
    out, _ = normalize(_lines(text), resolve_image=_local_missing)
    expected = MarkdownIt("commonmark").enable("table").render(_intended(text))
    return canon(html(out)), canon(expected)


def test_divergent_cases_are_golden_cases() -> None:
    assert set(DIVERGES) <= set(CASES)
    assert all(DIVERGES.values())


@pytest.mark.parametrize("case", [c for c in CASES if c not in DIVERGES])
def test_golden_renders_like_commonmark(case: str) -> None:
    ours, commonmark = _golden_and_commonmark(case)
    assert ours == commonmark


@pytest.mark.parametrize("case", CASES)
def test_golden_keeps_every_word_commonmark_shows(case: str) -> None:
    """Even where the structure differs on purpose, no word CommonMark shows is lost."""
    ours, commonmark = _golden_and_commonmark(case)
    assert not _words(commonmark) - _words(ours)


# -- 1. lists ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        # 1-3 space nesting (GitHub) becomes 4 spaces per level
        ("- a\n  - b\n   - c", "- a\n    - b\n    - c"),
        ("- a\n - b", "- a\n- b"),
        ("- a\n  - b\n    - c\n   - d", "- a\n    - b\n        - c\n    - d"),
        ("1. a\n   - b\n2. c", "1. a\n    - b\n2. c"),
        # start number and marker style
        ("3. x\n4. y", "3. x\n4. y"),
        ("7) x\n8) y", "7. x\n8. y"),
        ("* a\n* b", "* a\n* b"),
        ("+ a", "+ a"),
        # continuation blocks go into their item, and force blank lines between items
        ("- a\n\n  more\n- b", "- a\n\n    more\n\n- b"),
        ("- a\n  ```\n  x\n  ```\n- b", "- a\n\n    ```\n    x\n    ```\n\n- b"),
        ("- a\n  > q\n- b", "- a\n\n    > q\n\n- b"),
        ("- a\n\n      code", "- a\n\n    ```\n    code\n    ```"),
        # an item cannot start with a fence or a list in Python-Markdown
        ("- ```\n  x\n  ```", "- &#8203;\n\n    ```\n    x\n    ```"),
        ("1. - a\n     - b", "1. &#8203;\n    - a\n        - b"),
        ("-\n- b", "- &#8203;\n- b"),
        # adjacent lists that CommonMark keeps apart
        ("- a\n* b", "- a\n\n<!-- -->\n\n* b"),
        ("- a\n1. b", "- a\n\n1. b"),
    ],
)
def test_lists(src: str, expected: str) -> None:
    assert norm(src) == expected


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        ("- a\n  - b\n   - c", "<ul><li><ul><li></li><li></li></ul></li></ul>"),
        (
            "- Three types:\n  - endpoint\n    - checkers\n   - other\n     - combine\n"
            "    - alarms\n      - outside",
            "<ul><li><ul><li><ul><li></li></ul></li><li><ul><li></li></ul></li>"
            "<li><ul><li></li></ul></li></ul></li></ul>",
        ),
        ("1. a\n\n   para\n\n   - b\n2. c", "<ol><li><ul><li></li></ul></li><li></li></ol>"),
        ("> - a\n>   - b\nlazy", "<ul><li><ul><li></li></ul></li></ul>"),
    ],
)
def test_lists_render_nested_in_python_markdown(src: str, expected: str) -> None:
    assert skeleton(html(norm(src))) == expected


def test_ordered_start_survives_interrupting_paragraphs() -> None:
    out = html(norm("1. one\n\ntext\n\n2. two\n\ntext\n\n3. three"))
    assert '<ol start="2">' in out
    assert '<ol start="3">' in out


# -- 2. blank lines around blocks -------------------------------------------------------


@pytest.mark.parametrize(
    ("src", "expected", "tag"),
    [
        ("para\n- item", "para\n\n- item", "ul"),
        ("para\n1. item", "para\n\n1. item", "ol"),
        ("para\n```\nx\n```", "para\n\n```\nx\n```", "pre"),
        ("para\n> q", "para\n\n> q", "blockquote"),
        ("para\n## H", "para\n\n## H", "h2"),
        (
            "para\n| a | b |\n|---|---|\n| 1 | 2 |",
            "para\n\n| a | b |\n| --- | --- |\n| 1 | 2 |",
            "table",
        ),
        ("- item\n\n\n\npara", "- item\n\npara", "ul"),
    ],
)
def test_blank_lines_around_blocks(src: str, expected: str, tag: str) -> None:
    out = norm(src)
    assert out == expected
    assert f"<{tag}" in html(out)
    assert "<p>para</p>" in html(out)


# -- 3. tables --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        ("A\tB\n1\t2", "| A | B |\n| --- | --- |\n| 1 | 2 |"),
        # trailing empty cells trimmed, ragged rows padded
        ("A\tB\tC\t\t\n1\t2", "| A | B | C |\n| --- | --- | --- |\n| 1 | 2 | |"),
        ("a|b\tc\n1\t2", "| a\\|b | c |\n| --- | --- |\n| 1 | 2 |"),
        # a single-cell first row is a panel title: caption above the table
        (
            "Objects (4)\t\t\t\nName\tSize\nx\t1",
            "Objects (4)\n\n| Name | Size |\n| --- | --- |\n| x | 1 |",
        ),
        ("T\t\nsub\t\nk\tv", "T<br>\nsub\n\n| k | v |\n| --- | --- |"),
        # a row of ----- cells marks the header
        ("Mac\tT4g\tT3\n-----\t-----\t----", "| Mac | T4g | T3 |\n| --- | --- | --- |"),
        ("\tStd\tAdv\nCost\t1\t2", "| | Std | Adv |\n| --- | --- | --- |\n| Cost | 1 | 2 |"),
        (
            '<input type="checkbox"/>\tName\n<input checked="" type="checkbox"/>\tx',
            "| ☐ | Name |\n| --- | --- |\n| ☑ | x |",
        ),
        (
            '<input type="button" value="1m"/>\tb\n<input type="text"/>\td',
            "| 1m | b |\n| --- | --- |\n| | d |",
        ),
        (
            '<ul style="list-style-type: none"> • a • b\tc\nd\te',
            "| • a • b | c |\n| --- | --- |\n| d | e |",
        ),
        (
            "# of Requests\tx\nRuntime\t[Info](#)",
            "| # of Requests | x |\n| --- | --- |\n| Runtime | Info |",
        ),
        (
            "Price\t\\$0.05\nIPv4 <small>Info</small>\t{x}",
            "| Price | &#36;0.05 |\n| --- | --- |\n| IPv4 <small>Info</small> | \\{x} |",
        ),
        # rows of only trailing tabs are prose, tabs inside fences are code
        ("prose\t\nmore\t", "prose\nmore"),
        ("one line\tonly", "one line\tonly"),
        ("- item\ta\n- item\tb", "- item\ta\n- item\tb"),
        ("-\tRunning\nIPv6\tstate", "| - | Running |\n| --- | --- |\n| IPv6 | state |"),
        ("```\na\tb\nc\td\n```", "```\na\tb\nc\td\n```"),
        # GitHub pipe tables stay tables (empty header kept)
        (
            "| | Standard | IA |\n|---|:--|--:|\n| Access | Any | Rare |",
            "| | Standard | IA |\n| --- | :--- | ---: |\n| Access | Any | Rare |",
        ),
        (
            '| | |\n|--|---|\n|  Memcached | Good for: <ul style="a">■ x■ y |',
            "| | |\n| --- | --- |\n| Memcached | Good for: ■ x■ y |",
        ),
    ],
)
def test_tables(src: str, expected: str) -> None:
    assert norm(src) == expected


def test_tab_table_between_paragraphs_keeps_the_rest_intact() -> None:
    src = "Intro *text*\n- item\nCIDR\tStatus\n10.0.0.0/16\tAssociated\n- after\n\nend"
    out = norm(src)
    assert out == (
        "Intro *text*\n\n- item\n\n| CIDR | Status |\n| --- | --- |\n"
        "| 10.0.0.0/16 | Associated |\n\n- after\n\nend"
    )
    assert skeleton(html(out), "ul li table tr p") == (
        "<p></p><ul><li></li></ul><table><tr></tr><tr></tr></table><ul><li></li></ul><p></p>"
    )


def test_tables_render_as_tables() -> None:
    out = html(norm("\tCloudFront Functions\tLambda@Edge\n# of Requests\tMillions\tThousands"))
    assert "<table>" in out
    assert "<h1" not in out
    assert "<td># of Requests</td>" in out


# -- 4. line breaks ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        ("a\\\nb", "a<br>\nb"),
        ("a  \nb", "a<br>\nb"),
        ("a \\\nb", "a<br>\nb"),
        ("a\nb\nc", "a\nb\nc"),
        ("- x\\\n  y", "- x<br>\n    y"),
        ("cases\\", "cases"),  # a hard break with nothing after it
        ("a\\\\", "a\\\\"),  # an escaped backslash is text
    ],
)
def test_line_breaks(src: str, expected: str) -> None:
    assert norm(src) == expected


def test_hard_break_renders_br() -> None:
    assert html(norm("a\\\nb")) == "<p>a<br>\nb</p>"


# -- 5. headings that are not headings --------------------------------------------------


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        ("# of Requests", "\\# of Requests"),
        ("x\n# of threads", "x\n\n\\# of threads"),
        ("- ## Kinesis", "- \\## Kinesis"),
        (" - # of CPU cores", "- \\# of CPU cores"),
        ("> # quoted", "> \\# quoted"),
        ("# Title", "# Title"),
        ("Title\n=====", "# Title"),
        ("Sub\n---", "## Sub"),
        ("# C# \\#", "# C# \\#"),
        ("## Head {#id}", "## Head \\{#id}"),
    ],
)
def test_hash_lines(src: str, expected: str) -> None:
    assert norm(src) == expected


@pytest.mark.parametrize("src", ["# of Requests", "- ## Kinesis", "a\n\n\\# b", "text\n\\# b"])
def test_no_heading_from_hash_text(src: str) -> None:
    assert not re.search(r"<h\d", html(norm(src)))


# -- 6. HTML and pseudo-tags ------------------------------------------------------------


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        (
            "URL <bucket-name>.s3-website-<AWS-region>.amazonaws.com",
            "URL &lt;bucket-name&gt;.s3-website-&lt;AWS-region&gt;.amazonaws.com",
        ),
        ("IPv4 <small>Info</small>", "IPv4 <small>Info</small>"),
        (
            "H<sub>2</sub>O <kbd>Ctrl</kbd> <b>b</b> <br>",
            "H<sub>2</sub>O <kbd>Ctrl</kbd> <b>b</b> <br>",
        ),
        ("a <script>x()</script>", "a &lt;script&gt;x()&lt;/script&gt;"),
        ("a < b and c<d", "a < b and c&lt;d"),
        ("<bucket-name>", "&lt;bucket-name&gt;"),
        (
            "<details>\n<summary>S</summary>\n\nText\n\n</details>",
            '<details markdown="1">\n<summary>S</summary>\n\nText\n\n</details>',
        ),
        ('<ul style="x"> • a • b', "• a • b"),
        ("AT&T &amp; &copy;", "AT&T &amp; &copy;"),
    ],
)
def test_html(src: str, expected: str) -> None:
    assert norm(src) == expected


def test_pseudo_tags_are_visible_text() -> None:
    out = html(norm("The URL is <bucket-name>.s3-website"))
    assert "&lt;bucket-name&gt;" in out


# -- 7. links ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        ("Review [Info](#) here", "Review Info here"),
        ("- [EC2](#ec2)", "- EC2"),
        ("[**bold** dead](#)", "**bold** dead"),
        ("[AWS](https://aws.amazon.com)", "[AWS](https://aws.amazon.com)"),
        ('[t](http://u "T")', '[t](http://u "T")'),
        ("[p](https://x.org/a_(b))", "[p](<https://x.org/a_(b)>)"),
        ("<https://auto.link/a_b>", "<https://auto.link/a_b>"),
        ("see https://example.com/a_b.", "see <https://example.com/a_b>."),
        ("[x]", "[x]"),
    ],
)
def test_links(src: str, expected: str) -> None:
    assert norm(src) == expected


# -- 8. images --------------------------------------------------------------------------


def test_missing_image_becomes_placeholder_with_info_diagnostic() -> None:
    lines = [Line(164, "Text"), Line(165, ""), Line(166, "![0](./images/aws/EC2-instance.png)")]
    out, diags = normalize(lines, file="002.txt", resolve_image=lambda src: None)
    assert out == "Text\n\n*(image not available: `./images/aws/EC2-instance.png`)*"
    assert diags == [
        Diagnostic("002.txt", 166, "image not found: ./images/aws/EC2-instance.png", "info")
    ]


@pytest.mark.parametrize(
    ("src", "resolver", "expected"),
    [
        ("![0](./images/a.png)", lambda s: "../assets/a.png", "![0](../assets/a.png)"),
        ("![](https://x.io/i.png)", lambda s: s, "![](https://x.io/i.png)"),
        ('![t](./a.png "Title")', lambda s: s, '![t](./a.png "Title")'),
        ("![a](<./my img.png>)", lambda s: s, "![a](<./my img.png>)"),
        (
            '<img width="5" src="./a.png">',
            lambda s: None,
            "<em>(image not available: <code>./a.png</code>)</em>",
        ),
        ('<img src ="./a.png" width="400"/>', lambda s: "b.png", '<img src ="b.png" width="400"/>'),
        ('x <img src="http://h/i.png"> y', lambda s: s, 'x <img src="http://h/i.png"> y'),
    ],
)
def test_images(src: str, resolver, expected: str) -> None:
    assert norm(src, resolve_image=resolver) == expected


def test_image_diagnostic_lines_follow_the_paragraph() -> None:
    lines = _lines('> a\nlazy ![](x.png)\n\n<img src="y.png">', first=40)
    _, diags = normalize(lines, file="f", resolve_image=lambda s: None)
    assert [(d.line, d.level) for d in diags] == [(41, "info"), (43, "info")]


# -- 9. code ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        ("```shell\n# comment\n> output\n```", "```shell\n# comment\n> output\n```"),
        ("```\n```inner\n```", "````\n```inner\n````"),
        ("````\n```\nx\n```\n````", "````\n```\nx\n```\n````"),
        ("~~~py\nx\n~~~", "~~~py\nx\n~~~"),
        ("``` python title\nx\n```", "```python\nx\n```"),
        ("text\n\n    indented\n      more", "text\n\n```\nindented\n  more\n```"),
        ("`<b>*x*</b> \\Rightarrow`", "`<b>*x*</b> \\Rightarrow`"),
        ("`` a`b ``", "``a`b``"),
        ("```\n```", "```\n```"),
    ],
)
def test_code(src: str, expected: str) -> None:
    assert norm(src) == expected


def test_code_content_is_never_changed() -> None:
    body = "# h\n- x\n\\Rightarrow <tag> **b a\\\n\t[l](#) ![i](./x.png) `y`  "
    out, diags = normalize(
        _lines(f"- item\n\n  ```\n{_indent(body, 2)}\n  ```"), resolve_image=lambda s: None
    )
    assert _indent(body, 4) in out
    assert not diags


def _indent(text: str, n: int) -> str:
    return "\n".join(" " * n + ln if ln else ln for ln in text.split("\n"))


def test_unfenced_json_becomes_a_json_fence() -> None:
    src = '{\n    "Version": "2012",\n    "Statement": []\n}'
    assert norm(src) == f"```json\n{src}\n```"
    assert norm("{not json,\n  at all}") == "{not json,\nat all}"


# -- 10. escapes and emphasis -----------------------------------------------------------


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        ("Private Subnet \\Rightarrow NATGW", "Private Subnet ⇒ NATGW"),
        ("a \\not\\Rightarrow b", "a ⇏ b"),
        ("costs \\$0.01 (\\$\\$\\$)", "costs &#36;0.01 (&#36;&#36;&#36;)"),
        ("- Rule 1:** IF Path", "- Rule 1:\\*\\* IF Path"),
        ("attacks**", "attacks\\*\\*"),
        ("__cached__ in the file gateway__", "**cached** in the file gateway\\_\\_"),
        ("a__b and x_y_", "a\\_\\_b and x_y\\_"),
        ("__IPV4_IPV6__ and snake_case", "**IPV4_IPV6** and snake_case"),
        ("2*3*4 and a * b", "2*3*4 and a \\* b"),
        ("\\*not em\\*", "\\*not em\\*"),
        ("x\n\\+ y", "x\n\\+ y"),
        ("x\n2. y", "x\n2\\. y"),
        ("Term\n\\: def", "Term\n&#58; def"),
        ("!!! note", "&#33;!! note"),
        ('=== "tab"', '&#61;== "tab"'),
        ("[^1] ref", "\\[^1] ref"),
        ("*x*{: .c}", "*x*\\{: .c}"),
        ("x |\n|", "x |\n\\|"),
        ("para\n\\{x}", "para\n\\{x}"),
        ("para\n{{ x }}", "para\n{{ x }}"),
        # "[1][a](url)" would read as a reference link in Python-Markdown: the "]" is escaped.
        ("see [1][a](http://e.com/x)", "see [1\\][a](http://e.com/x)"),
    ],
)
def test_escapes(src: str, expected: str) -> None:
    assert norm(src) == expected


@pytest.mark.parametrize(
    "src",
    [
        "- Rule 1:** IF Path\n- Rule 2: rest",
        "__Multi-value is not subsitute\n\nnext paragraph",
        "a_b _c d",
    ],
)
def test_unbalanced_emphasis_does_not_leak(src: str) -> None:
    out = html(norm(src))
    assert "<strong>" not in out
    assert "<em>" not in out


def test_escapes_render_as_text() -> None:
    out = html(norm("costs \\$5 \\Rightarrow \\*x\\* and Term\n\\: def"))
    assert out == "<p>costs &#36;5 ⇒ *x* and Term\n&#58; def</p>"


# -- 10b. math ------------------------------------------------------------------------

_ARITHMATEX = {"generic": True, "inline_syntax": ["round"], "block_syntax": ["begin"]}


def math_html(md_text: str) -> str:
    """Python-Markdown with the site's arithmatex settings (mkdocs.yml)."""
    return markdown.markdown(
        md_text,
        extensions=["pymdownx.arithmatex", "tables"],
        extension_configs={"pymdownx.arithmatex": _ARITHMATEX},
    )


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        (
            "Will take $200(\\text{TB}) * 8 / 1 \\text{ Gbps} = 18.5\\text{d}$",
            "Will take \\(200(\\text{TB}) * 8 / 1 \\text{ Gbps} = 18.5\\text{d}\\)",
        ),
        ("(IPs, $32 - 5 = 27 < 29$) next", "(IPs, \\(32 - 5 = 27 < 29\\)) next"),
        (
            "NOT transitive ($A - B \\not\\Rightarrow A - C$)",
            "NOT transitive (\\(A - B \\not\\Rightarrow A - C\\))",
        ),
        ("a_1 is $x_1^2$.", "a_1 is \\(x_1^2\\)."),
    ],
)
def test_math_pairs_become_arithmatex_formulas(src: str, expected: str) -> None:
    out = norm(src)
    assert out == expected
    assert out.count('class="arithmatex"') == 0
    assert math_html(out).count('<span class="arithmatex">') == out.count("\\(")


@pytest.mark.parametrize(
    "src",
    [
        "$0.023 per GB of storage and $0.01 per 1,000 requests",
        "$1 / month + pay for API call to KMS ($0.03 / 10000 calls)",
        "$ per hour + $ per GB of data processed",
        "first use ($$$) and more ($$)",
        "echo $HOME/$USER and ${Bucket}/${Key} and $(hostname -f) in $AZ",
        "costs $5-$10, or $20 - $30 x",
        "one letter $x$ alone",
        "`$a+b$` in code",
        "| Price | $0.05 + $0.01 |\n| --- | --- |\n| x | y |",
    ],
)
def test_dollars_that_are_no_formula_stay_dollars(src: str) -> None:
    out = norm(src)
    assert "\\(" not in out
    assert "arithmatex" not in math_html(out)
    assert math_html(out).count("$") == src.count("$")


def test_math_keeps_its_tex_as_written() -> None:
    # No Markdown escaping inside a formula: `*` and `_` are TeX there, not emphasis.
    out = norm("x $a * b_i * c_j = d$ y")
    assert out == "x \\(a * b_i * c_j = d\\) y"
    assert "<em>" not in math_html(out)


# -- 11. template syntax ----------------------------------------------------------------


@pytest.mark.parametrize("src", ["{{ x }} and {% raw %}", "Ex. `{{ssm: parameter-name}}`"])
def test_template_syntax_is_left_alone(src: str) -> None:
    out = norm(src)
    assert out == src
    assert "{{" in html(out)


# -- 12. output hygiene and speed -------------------------------------------------------


def test_line_endings_and_blank_lines() -> None:
    lines = [Line(1, "a\r"), Line(2, ""), Line(3, ""), Line(4, "b  "), Line(5, ""), Line(0, "")]
    assert normalize(lines)[0] == "a\n\nb"
    assert normalize([]) == ("", [])
    assert normalize([Line(1, "   ")]) == ("", [])


def _big_body(n_lines: int) -> list[Line]:
    chunk = [
        "__Aurora Global Database__",
        "",
        "- __Cross Region Read Replicas:__ with `code` and [Info](#)",
        "  - Useful for disaster recovery",
        " - Designed for __globally distributed applications__ \\",
        "   continued line",
        "    - Up to 16 Read Replicas per secondary region",
        "",
        "> On demand",
        "> - coming and staying in resort",
        "whenever we like, we pay the full price",
        "",
        "Instance ID\tPublic IPv4 address",
        '<input type="checkbox"/>\t3.111.77.253',
        "",
        "```shell",
        "# comment",
        "yum install -y httpd",
        "```",
        "",
        "| | Standard | IA |",
        "|---|---|---|",
        "| Access | Anytime | Infrequent |",
        "",
        "The URL is <bucket-name>.s3-website \\Rightarrow ![0](./images/x.png) \\$5",
        "",
    ]
    texts = (chunk * (n_lines // len(chunk) + 1))[:n_lines]
    return [Line(i + 1, t) for i, t in enumerate(texts)]


def test_5000_line_body_is_linear() -> None:
    out, diags = normalize(_big_body(5000), resolve_image=lambda s: None)
    assert "<table" not in out
    assert out.count("| --- |") > 300
    assert len(diags) > 150

    def run(n: int) -> None:
        normalize(_big_body(n), resolve_image=lambda s: None)

    # Function calls, not seconds: 10x the lines is ~10x the calls (quadratic would be 100x).
    ratio = growth(run, 500, 5000)
    assert ratio < 10 * 1.5, ratio


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        # A tag left unfinished makes the block unsafe as HTML: it is shown as text.
        ("<div>\nAn unclosed <tag\n</div>", "&lt;div&gt;\nAn unclosed &lt;tag\n&lt;/div&gt;"),
        ("<div>\nok <b>bold</b>\n</div>", "<div>\nok <b>bold</b>\n</div>"),
        # A dollar that ends the text opens no formula (and does not read past the end).
        ("It costs 5$", "It costs 5$"),
        ("$", "$"),
        # Tab-separated lines in indented code are code, not a table.
        (
            "Output:\n\n    name\tsize\n    a.txt\t3 KB",
            "Output:\n\n```\nname\tsize\na.txt\t3 KB\n```",
        ),
        # Headings around a tab-separated table stay headings of the page.
        (
            "## Limits\n\nSome text.\n\nName\tSize\nSQS\t256 KB\n\n## After\n\nMore.",
            "## Limits\n\nSome text.\n\n| Name | Size |\n| --- | --- |\n| SQS | 256 KB |"
            "\n\n## After\n\nMore.",
        ),
    ],
)
def test_html_blocks_dollars_and_tab_tables(src: str, expected: str) -> None:
    assert norm(src) == expected


@pytest.mark.parametrize(
    "src",
    [
        "- a\n\n- b\n\n- c",  # a loose list stays loose (its items are paragraphs)
        "- a\n- b\n- c",  # a tight one stays tight
        "1. a\n\n2. b",
    ],
)
def test_lists_keep_their_looseness(src: str) -> None:
    assert norm(src) == src
    assert norm("- a\n\n- b\n- c") == "- a\n\n- b\n\n- c"  # one blank line makes it loose


def test_an_escaped_character_before_the_closing_dollar_ends_the_formula() -> None:
    from studysite.render.markdown import math_span

    src = "$x^2\\,$"
    assert math_span(src, 0) == len(src)


def test_an_email_autolink_stays_an_autolink() -> None:
    assert norm("Mail <me@example.com> or [me](mailto:me@example.com).") == (
        "Mail <me@example.com> or [me](mailto:me@example.com)."
    )


def test_an_embedded_note_becomes_a_link_and_an_embedded_image_an_image() -> None:
    urls = {"Other note#Sec": "other.md#sec", "Other note": "other.md", "pic.png": "img/pic.png"}
    out, _ = normalize(
        _lines("See ![[Other note#Sec]], ![[Other note]] and ![[pic.png]]."),
        resolve_link=lambda kind, target: urls.get(target),
    )
    assert out == (
        "See [Other note › Sec](other.md#sec), [Other note](other.md) and ![pic.png](img/pic.png)."
    )


@pytest.mark.parametrize(
    ("body", "closers"),
    [
        ("<div>\n\n<details>\n\n</div>", "\n\n</details>"),  # the div closed, details not
        ("<details>\n\n<div>\n\n</div>", "\n\n</details>"),
        ("<div>\n\n<div>\n\n</div>", "\n\n</div>"),
        ("<details>\n\n</details>", ""),
        ("Text with <div> inline only.", ""),
    ],
)
def test_containers_a_body_leaves_open_are_closed(body: str, closers: str) -> None:
    from studysite.render.pages import close_containers

    assert close_containers(body) == body + closers


def test_a_tight_item_keeps_its_nested_ordered_list_tight() -> None:
    assert norm("- a\n  1. b\n  2. c\n- d") == "- a\n    1. b\n    2. c\n- d"


def test_an_unfenced_json_array_becomes_a_json_fence() -> None:
    src = '[\n  {"a": 1},\n  {"b": 2}\n]'
    assert norm(src) == f"```json\n{src}\n```"
