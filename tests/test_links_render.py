"""Linked pages rendered by Python-Markdown (MkDocs' renderer, with the site's extensions).

Every link we insert must come out as an ``<a>`` (not literal brackets inside raw HTML) and
none may sit inside ``<code>``/``<pre>``: checked on the real generated pages and on random
documents built from the constructs the protected-span analysis has to get right.
"""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studysite.links import Linker, PageLinks
from studysite.routing.catalog import Catalog

ROOT = Path(__file__).resolve().parents[1]
EXTENSIONS = [
    "abbr",
    "admonition",
    "attr_list",
    "def_list",
    "footnotes",
    "md_in_html",
    "sane_lists",
    "tables",
    "toc",
    "pymdownx.details",
    "pymdownx.highlight",
    "pymdownx.inlinehilite",
    "pymdownx.superfences",
    "pymdownx.tabbed",
    "pymdownx.tasklist",
]


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.code = 0
        self.hrefs: Counter[str] = Counter()
        self.in_code: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("code", "pre"):
            self.code += 1
        elif tag == "a":
            href = dict(attrs).get("href") or ""
            self.hrefs[href] += 1
            if self.code and not href.startswith("#"):
                self.in_code.append(href)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("code", "pre") and self.code:
            self.code -= 1


def _render(md: str) -> _Anchors:
    html = markdown.Markdown(extensions=EXTENSIONS).convert(md)
    parser = _Anchors()
    parser.feed(html)
    return parser


def _check(result: PageLinks) -> None:
    anchors = _render(result.markdown)
    assert anchors.in_code == []
    wanted = Counter(link.href for link in result.links)
    missing = {h: n for h, n in wanted.items() if anchors.hrefs[h] < n}
    assert missing == {}, "links that did not render as links"


@pytest.mark.slow
def test_real_pages_render_links_outside_code(catalog: Catalog) -> None:
    from studysite.site import generate

    # A crash here is a failure, never a skip.
    out = generate(ROOT / "notes", ROOT / "catalog" / "services.yml", ROOT / "docs")
    # generate() links the pages itself: check the links it made.
    pages, graph = out.pages, out.links
    assert graph is not None
    assert sum(len(v) for v in graph.links.values()) > 1000
    # >= 90% of service pages are linked from another catalog page (mentions, backlinks,
    # related lists, the renderer's own links); mentions alone are reported, not enforced:
    # some services are named nowhere but in their own section of the notes.
    assert graph.coverage() >= 0.9, graph.orphans(("service",))
    print(
        f"service coverage {graph.coverage():.1%}, by mentions {graph.coverage(mentions=True):.1%}"
    )
    for path, md in pages.items():
        if path in out.unlisted:
            continue  # the notes as written are not cross-linked
        anchors = _render(md)
        assert anchors.in_code == [], path
        for link in graph.links.get(path, ()):  # pages made after linking (cards)
            assert anchors.hrefs[link.href] > 0, (path, link)


_PROSE = st.sampled_from(
    [
        "SQS and SNS.",
        "EC2 instances with Lambda@Edge.",
        "**EKS** and _ECS_ with __RDS__.",
        "CloudWatch Events and CloudWatch.",
        "RAM 4GB and Resource Access Manager (RAM) shares.",
        "On-Demand and Spot instances.",
        "See [SQS](x.md) and `SNS` and <https://a.b/SQS>.",
        "A <span>SQS</span> and <!-- SNS --> end.",
        "Kinesis Data Firehose",
    ]
)
_BLOCK = st.one_of(
    _PROSE,
    _PROSE.map(lambda p: f"- {p}\n    - {p}"),
    _PROSE.map(lambda p: f"1. {p}\n\n    {p}"),
    _PROSE.map(lambda p: f"> {p}"),
    _PROSE.map(lambda p: f"| a | b |\n|---|---|\n| {p} | x |"),
    _PROSE.map(lambda p: f"```\n{p}\n```"),
    _PROSE.map(lambda p: f"~~~\n{p}\n~~~"),
    _PROSE.map(lambda p: f"    {p}"),
    _PROSE.map(lambda p: f"- item\n\n        {p}"),
    _PROSE.map(lambda p: f"- item\n\n    ```\n    {p}\n    ```"),
    _PROSE.map(lambda p: f"1. item\n\n        {p}"),
    _PROSE.map(lambda p: f"- a\n    - b\n\n            {p}"),
    _PROSE.map(lambda p: f"- a\n    - b\n\n        {p}\n\n    {p}\n\n        {p}"),
    _PROSE.map(lambda p: f"- a\n\n      {p}"),
    _PROSE.map(lambda p: f"- item\n\n!!! note\n\n        {p}"),
    _PROSE.map(lambda p: f'=== "Tab"\n\n    {p}\n\n        {p}'),
    _PROSE.map(lambda p: f"{p}\n    {p}"),
    _PROSE.map(lambda p: f'!!! note "{p}"\n\n    {p}'),
    _PROSE.map(lambda p: f"!!! note\n\n        {p}"),
    _PROSE.map(lambda p: f"??? tip\n\n    {p}\n\n    ```\n    {p}\n    ```"),
    _PROSE.map(lambda p: f"<div>\n\n{p}\n\n</div>"),
    _PROSE.map(lambda p: f'<p class="ss-source" markdown>Source: {p}</p>'),
    _PROSE.map(lambda p: f"## {p} {{ #h }}"),
    _PROSE.map(lambda p: f"{p}\n---"),
    _PROSE.map(lambda p: f"Term\n:   {p}"),
    _PROSE.map(lambda p: f'[ref]: https://x.y "{p}"'),
    _PROSE.map(lambda p: f"*[SQS]: {p}"),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_BLOCK, min_size=1, max_size=8))
def test_random_documents_render_links_outside_code(linker: Linker, blocks: list[str]) -> None:
    md = "\n\n".join(blocks) + "\n"
    result = linker.link(md, "notes/page.md")
    _check(result)
