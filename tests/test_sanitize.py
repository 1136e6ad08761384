"""The HTML allowlist (studysite.render.sanitize) and the hook that applies it.

Dangerous markup from notes is removed (table); everything Python-Markdown and the configured
extensions emit survives unchanged; the hook cleans generated pages first of all
``on_page_content`` handlers and leaves hand-written pages alone; and a site built from
hostile notes has no script, frame, event handler or script URL that came from a note.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import markdown
import pytest
import yaml
from sitebuild import copy_project, mkdocs_build, write_notes

from studysite.render.sanitize import sanitize

ROOT = Path(__file__).resolve().parents[1]

# (markup in page content, what the built page gets)
REMOVED = [
    ("<script>alert(1)</script>ok", "ok"),
    ("<SCRIPT SRC=//evil.example/x.js></SCRIPT>ok", "ok"),
    ("<img src=x onerror=alert(1)>", '<img src="x">'),
    ('<a href="javascript:alert(1)">x</a>', "<a>x</a>"),
    ('<a href="JaVa&#x09;ScRiPt:alert(1)">x</a>', "<a>x</a>"),
    ('<a href=" javascript:alert(1)">x</a>', "<a>x</a>"),
    ('<a href="vbscript:msgbox(1)">x</a>', "<a>x</a>"),
    ('<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">x</a>', "<a>x</a>"),
    ('<a href="data:image/png;base64,AAAA">x</a>', "<a>x</a>"),
    ('<img src="data:image/svg+xml;base64,PHN2Zz4=">', "<img>"),
    ('<img src="data:text/html;base64,AAAA">', "<img>"),
    # A browser drops tabs and newlines from a URL: "da\nta:" is "data:".
    ('<img src="da\nta:text/html;base64,PHNjcmlwdD4=" alt="x">', '<img alt="x">'),
    ('<iframe src="https://evil.example"></iframe>after', "after"),
    ('<object data="x.swf"></object><embed src="x.swf">after', "after"),
    ('<svg onload="alert(1)"><circle r="1"/></svg>after', "after"),
    ("<math><mtext><script>alert(1)</script></mtext></math>after", "after"),
    ('<div onmouseover="alert(1)" onclick="x()">hover</div>', "<div>hover</div>"),
    ('<p style="position:fixed;top:0">x</p>', "<p>x</p>"),
    ('<form action="/x"><button formaction="javascript:alert(1)">b</button></form>', "b"),
    ('<a href="#x" target="_blank">t</a>', '<a href="#x">t</a>'),
    ('<base href="https://evil.example/"><link rel="stylesheet" href="x.css">t', "t"),
    ('<meta http-equiv="refresh" content="0;url=https://evil.example">t', "t"),
    ("<style>body{display:none}</style>visible", "visible"),
    ("<template><img src=x onerror=alert(1)></template>t", "t"),
    ("<noscript><img src=x onerror=alert(1)></noscript>t", "t"),
    ("<!-- a comment -->c", "c"),
    ('<h2 id="__drawer">t</h2>', "<h2>t</h2>"),
    ('<a name="__search">t</a>', "<a>t</a>"),
    ('<input type="text" value="password">', "<input>"),
    ('<div data-tabs="1:2" data-x="y">t</div>', '<div data-tabs="1:2">t</div>'),
    ("<scr<script>ipt>alert(1)</script>", "ipt&gt;alert(1)"),
]

# Markup that must reach the page as it is (nh3 only normalises the serialisation).
KEPT = [
    '<img src="a.png" alt="x" width="10" height="20">',
    '<img src="data:image/png;base64,iVBORw0KGgo=" alt="dot">',
    '<img src="data:image/jpeg;base64,/9j/4AAQ" alt="jpeg">',
    "<p>a<br>b</p>",
    '<details open=""><summary>More</summary><p>hidden</p></details>',
    "<p>H<sub>2</sub>O x<sup>2</sup> <kbd>Ctrl</kbd>+<kbd>C</kbd></p>",
    '<a href="https://aws.amazon.com/s3/" title="S3">S3</a>',
    '<a href="../s3/#storage-classes">classes</a>',
    '<a href="mailto:me@example.com">mail</a>',
    '<abbr title="Simple Storage Service">S3</abbr>',
    '<h3 id="amazon-s3-2">Amazon S3<a class="headerlink" href="#amazon-s3-2">¶</a></h3>',
    '<div class="admonition note"><p class="admonition-title">Note</p><p>x</p></div>',
    '<p class="ss-source">Source: <code>a/notes.md</code> lines 1–3</p>',
    '<ul><li>a<ul><li>b</li></ul></li></ul><ol start="3"><li>c</li></ol>',
    "<dl><dt>t</dt><dd>d</dd></dl><hr><blockquote><p>q</p></blockquote>",
    "<p><em>e</em> <strong>s</strong> <del>d</del> <mark>m</mark> <small>s</small></p>",
    '<pre><code class="language-python">x = 1</code></pre>',
    '<table><thead><tr><th style="text-align:right" scope="col">a</th></tr></thead>'
    '<tbody><tr><td style="text-align:left" data-label="a">1</td></tr></tbody></table>',
    "<p>{{ ssm:x }} {% raw %} {{ config.site_name }}</p>",
]


@pytest.mark.parametrize(("html", "expected"), REMOVED)
def test_dangerous_markup_is_removed(html: str, expected: str) -> None:
    assert sanitize(html) == expected


@pytest.mark.parametrize("html", KEPT)
def test_allowed_markup_is_kept(html: str) -> None:
    assert sanitize(html) == html


# --- everything the configured Markdown extensions emit survives ------------------------


class _Loader(yaml.SafeLoader):
    """mkdocs.yml with its ``!ENV`` tags read as plain values."""


_Loader.add_multi_constructor("!", lambda loader, suffix, node: None)


def _extensions() -> tuple[list[str], dict[str, Any]]:
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_Loader)
    names: list[str] = []
    options: dict[str, Any] = {}
    for item in config["markdown_extensions"]:
        if isinstance(item, dict):
            (name, opts), *_ = item.items()
            names.append(name)
            options[name] = opts or {}
        else:
            names.append(item)
    return names, options


EVERY_EXTENSION = """\
# Title { #custom-id .custom-class }

Term
:   Definition

!!! note "Admonition"
    Body with a footnote[^1], <kbd>Ctrl</kbd>, H<sub>2</sub>O, x<sup>2</sup><br>next line.

??? info "Collapsed"
    Hidden text.

=== "Tab A"
    a

=== "Tab B"
    b

- [ ] to do
- [x] done

1. one
2. two
    - nested

```python
def f(x):
    return x  # `code`
```

Inline `#!python print(1)` and `code`.

*[HTML]: Hyper Text Markup Language

HTML here, [a link](https://example.com "title") and ![an image](img.png){ width=10 }.

| left | right | center |
|:-----|------:|:------:|
| 1    | 2     | 3      |

> A quote with **bold** and *em*.

<details><summary>Raw details</summary>raw body</details>

<div markdown>*md in html*</div>

---

[^1]: The footnote.
"""


class _Events(HTMLParser):
    """Tags, attributes (style whitespace ignored) and text, in document order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[tuple[Any, ...]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        norm = {k: v or "" for k, v in attrs}
        if "style" in norm:
            norm["style"] = re.sub(r"\s|;$", "", norm["style"])
        self.events.append(("start", tag, tuple(sorted(norm.items()))))

    def handle_endtag(self, tag: str) -> None:
        if tag not in ("br", "hr", "img", "input", "col", "wbr"):
            self.events.append(("end", tag))

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.events.append(("text", data.strip()))


def events(html: str) -> list[tuple[Any, ...]]:
    parser = _Events()
    parser.feed(html)
    return parser.events


def test_everything_the_extensions_emit_survives() -> None:
    names, options = _extensions()
    html = markdown.Markdown(extensions=names, extension_configs=options).convert(EVERY_EXTENSION)
    # The sample really exercises the extensions (so the check below means something).
    for needle in ("tabbed-set", "task-list", "admonition", "footnote", "<abbr", "highlight"):
        assert needle in html, needle
    assert events(sanitize(html)) == events(html)


# --- the hook ---------------------------------------------------------------------------


def _hook() -> ModuleType:
    spec = importlib.util.spec_from_file_location("sanitize_hook", ROOT / "hooks/sanitize.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _page(generated_by: str | None, source: str = "") -> Any:
    return SimpleNamespace(file=SimpleNamespace(generated_by=generated_by, content_string=source))


DIRTY = '<p onclick="x()">t</p><script>alert(1)</script>'


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (_page("hooks/generate.py"), "<p>t</p>"),  # a generated service page
        (_page(None, "# About\n\n<!-- studysite:notes -->\n"), "<p>t</p>"),  # note titles
        (_page(None, "<!-- compare: s3.classes -->\n"), "<p>t</p>"),  # an id with a dot
        (_page(None, "<!--compare :s3 classes!-->\n"), "<p>t</p>"),  # whatever the id
        (_page(None, "# Exam tips\n\nHand-written.\n"), DIRTY),  # trusted, untouched
    ],
    ids=["generated", "hand-written-with-marker", "dotted-id", "malformed-id", "hand-written"],
)
def test_hook_cleans_pages_made_from_notes(page: Any, expected: str) -> None:
    hook = _hook()
    assert hook.on_page_content(DIRTY, page=page, config=None, files=None) == expected


def test_hook_runs_before_glightbox() -> None:
    """glightbox wraps images in links with data-* attributes after the page is clean."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.config import load_config

    config = load_config(str(ROOT / "mkdocs.yml"))
    order = [getattr(h, "__module__", "") for h in config.plugins.events["page_content"]]
    assert order[0] == "hooks/sanitize.py", order
    assert any("glightbox" in m for m in order[1:]), order


# --- a site built from hostile notes ------------------------------------------------------

# Every payload carries PWNED so that anything from a note can be told from the theme's own.
HOSTILE_MD = """\
---
title: <img src=x onerror=alert('PWNED-title')>
---

# Notes

## Amazon EC2

<script>alert('PWNED-1')</script>

<iframe src="https://evil.example/PWNED-2"></iframe>

<img src="x" onerror="alert('PWNED-3')"> and <a href="javascript:alert('PWNED-4')">click</a>

<a href="data:text/html;base64,PWNED5">data link</a>

<object data="PWNED-6.swf"></object><embed src="PWNED-7.swf">

<div onmouseover="alert('PWNED-8')">hover me</div>

<table><tr><td onclick="alert('PWNED-9')">cell</td></tr></table>

<svg onload="alert('PWNED-10')"><circle r="1"/></svg>

<p style="position:fixed;top:0" title="PWNED-11">styled</p>

[md link](javascript:alert('PWNED-12')) and ![md img](javascript:alert('PWNED-13'))

<scr<script>ipt>alert('PWNED-14')</script>

<details><summary>More</summary>Hidden <kbd>Ctrl</kbd>+<kbd>C</kbd>,
H<sub>2</sub>O, x<sup>2</sup><br>next</details>

<img src="data:image/png;base64,iVBORw0KGgo=" alt="inline dot">

Template text: {{ ssm:x }} and {% raw %} and {{ config.site_name }}.

## <img src=x onerror=alert('PWNED-15')> heading

## Amazon S3 {: onclick="alert('PWNED-16')" }

text `</code><script>alert('PWNED-17')</script>`
"""
HOSTILE_NOTES = {
    "xss.md": HOSTILE_MD.encode(),
    # A file name is note data too (it is shown on pages and on the About page).
    "<img src=x onerror=alert('PWNED-18')>.md": b"## Amazon SQS\n\nqueue note\n",
    "h1.md": b"# <img src=x onerror=alert(PWNED19)>\n\nlone h1\n\n## Amazon SNS\n\ntopic\n",
    "plain.txt": b'AWS \xe2\x80\x93 Compute\n\nAmazon EC2\n\n<script>alert("PWNED-20")</script>\n\n'
    b'<img src=x onerror=alert("PWNED-21")>\n',
}
SCRIPT_URL = re.compile(r"^\s*(?:javascript|vbscript|data:text)", re.I)


class _Audit(HTMLParser):
    """Everything in a built page that could run script."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}={value!r}>")
            if name in ("href", "src", "action", "formaction", "data") and SCRIPT_URL.match(
                value or ""
            ):
                self.found.append(f"<{tag} {name}={value!r}>")
        if tag in ("iframe", "object", "embed", "frame", "base"):
            self.found.append(f"<{tag}>")
        if tag == "script":
            self._script = True
            src = dict(attrs).get("src") or ""
            # The theme's scripts are local files; a note's would be PWNED or remote.
            if "PWNED" in src or re.match(r"[a-z][a-z0-9+.-]*:|//", src, re.I):
                self.found.append(f"<script src={src!r}>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = False

    def handle_data(self, data: str) -> None:
        if self._script and "PWNED" in data:
            self.found.append(f"<script>{data[:60]}")


@pytest.mark.slow
def test_site_from_hostile_notes_runs_no_note_script(tmp_path: Path) -> None:
    site = copy_project(tmp_path, note_pages_only=True)
    write_notes(site, HOSTILE_NOTES)
    result = mkdocs_build(site, strict=False)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    out = site / "out"
    pages = sorted(out.rglob("*.html"))
    found: list[str] = []
    for page in pages:
        audit = _Audit()
        audit.feed(page.read_text(encoding="utf-8"))
        found += [f"{page.relative_to(out)}: {f}" for f in audit.found]
    assert found == []
    # Search results are built in the browser from the index: no live markup in it either.
    index = json.loads((out / "search" / "search_index.json").read_text(encoding="utf-8"))
    for doc in index["docs"]:
        for key in ("title", "text"):
            audit = _Audit()
            audit.feed(doc[key])
            assert audit.found == [], doc["location"]
            assert "<script" not in doc[key]
    ec2 = (out / "compute" / "ec2" / "index.html").read_text(encoding="utf-8")
    assert "{{ ssm:x }} and {% raw %} and {{ config.site_name }}" in ec2
    for kept in ("<details>", "<summary>More</summary>", "<kbd>Ctrl</kbd>", "<sub>2</sub>"):
        assert kept in ec2, kept
    assert "<sup>2</sup><br>" in ec2
    assert 'src="data:image/png;base64,iVBORw0KGgo="' in ec2
    assert "<div>hover me</div>" in ec2  # the div stays, its handler does not


# A comparison whose id has a dot, embedded in a hand-written page: the page gets text from
# the notes, so it is sanitized as a whole (its own hand-written handler goes too).
DOTTED_NOTE = """\
# Queues

## Amazon SQS

- Max message size: 256 KB <img src=x onerror=alert('PWNED-1')>
- Retention: 4 days <script>alert('PWNED-2')</script>

## Amazon SNS

- Max message size: 256 KB per message <b onmouseover="alert('PWNED-3')">b</b>
"""
DOTTED_COMPARISON = """\
- id: queues.v2
  title: SQS vs SNS
  items: [sqs, sns]
  rows:
  - dimension: Max message size
    cells:
      sqs: {note: "q<img", quote: "Max message size: 256 KB <img src=x onerror=alert('PWNED-1')>"}
      sns: {note: "q<img", quote: "256 KB per message <b onmouseover"}
"""


@pytest.mark.slow
def test_hand_written_page_embedding_a_dotted_comparison_id_is_sanitized(tmp_path: Path) -> None:
    site = copy_project(tmp_path, note_pages_only=True)
    (site / "docs" / "tips.md").write_text(
        "# Tips\n\n<!-- compare: queues.v2 -->\n\n"
        "<p onclick=\"alert('PWNED-hand')\">hand-written</p>\n",
        encoding="utf-8",
    )
    (site / "catalog" / "comparisons.yml").write_text(DOTTED_COMPARISON, encoding="utf-8")
    write_notes(site, {"q<img src=x onerror=alert('PWNED-4')>.md": DOTTED_NOTE.encode()})
    result = mkdocs_build(site)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr
    html = (site / "out" / "tips" / "index.html").read_text(encoding="utf-8")
    assert 'data-label="SQS"' in html  # the marker was expanded into the table
    assert "<!-- compare:" not in html
    assert "256 KB" in html
    assert "<p>hand-written</p>" in html  # sanitized as a whole: the handler is gone
    audit = _Audit()
    audit.feed(html)
    assert audit.found == []
    assert "PWNED" not in re.sub(r"&lt;.*?&gt;", "", html)  # only as escaped text, if at all
