"""Behaviour the fast suite used to let slip: one test per one-line bug of issue 19.

Each bug below was put by hand into the core, one at a time, and no fast test failed. Every
test here states the behaviour that bug breaks, in the words of the module's documentation,
and fails with that bug in place (the docstring names it);
``tests/mutation/issue19_by_hand.py`` puts each bug back and names the test that fails.
"""

from __future__ import annotations

from pathlib import Path

import markdown as python_markdown
import pytest
from shared import shared
from test_tables import BASE, _cell, _load  # the tiny two-note project of the table tests

from studysite.build import Site
from studysite.links import Linker
from studysite.model import Line, NoteTree, Section
from studysite.readers.source import decode, split_lines
from studysite.render.markdown import normalize
from studysite.routing.aliases import catalog_matcher
from studysite.routing.catalog import Catalog
from studysite.routing.route import Router, route_tree

# The tables fixtures live in test_tables; pytest finds them through this import.
from test_tables import project, site  # noqa: F401  # isort: skip

# --- routing/route.py -------------------------------------------------------------------


@pytest.fixture(scope="module")
@shared
def router(catalog: Catalog) -> Router:
    return Router(
        catalog, catalog_matcher(catalog), catalog_matcher(catalog, include_context_only=False)
    )


def _route(router: Router, *tops: Section) -> list:
    root = Section("", None, 0, [], list(tops), kind="root")
    return route_tree(NoteTree("n.md", "test", root), router)


def _sec(title: str, line: int, *children: Section, body=(), flat: bool = False) -> Section:
    lines = [Line(line + 1 + i, t) for i, t in enumerate(body)]
    return Section(title, line, 1, lines, list(children), flat=flat)


def test_sub_sections_keep_their_nesting_on_the_page(router: Router) -> None:
    """Bug: every part gets depth 0."""
    tree = _sec(
        "Amazon SQS",
        1,
        _sec("Security", 3, _sec("Encryption", 5, body=["SSE with keys"]), body=["IAM"]),
        body=["Queues"],
    )
    depths = {p.title: p.depth for p in _route(router, tree) if p.title_line is not None}
    assert depths == {"Amazon SQS": 0, "Security": 1, "Encryption": 2}


@pytest.mark.parametrize(
    ("title", "page"), [("SQS vs SNS", "sqs"), ("SNS vs SQS", "sns"), ("EBS versus EFS", "ebs")]
)
def test_x_vs_y_title_goes_to_x(router: Router, title: str, page: str) -> None:
    """Bug: an "X vs Y" title goes to Y instead of X."""
    route, how = router.decide(Section(title, 1, 1, flat=True), None, None)
    assert (route, how) == (page, "title")


def test_untitled_toggle_naming_its_inherited_page_stays(router: Router) -> None:
    """Bug: an untitled toggle follows its body's mentions even when the body also names the
    page it inherits."""
    body = ["SNS fans out.", "SNS topics.", "SNS pushes to SQS queues."]
    parts = _route(
        router,
        _sec("Amazon SQS", 1, body=["Queues."], flat=True),
        _sec("Intro", 10, body=body, flat=True),
    )
    assert {p.title: p.page for p in parts if p.title_line} == {"Amazon SQS": "sqs", "Intro": "sqs"}
    # Without the inherited page in the body it does follow the body (the rule itself).
    body = ["SNS fans out.", "SNS topics.", "SNS pushes."]
    parts = _route(
        router,
        _sec("Amazon SQS", 1, body=["Queues."], flat=True),
        _sec("Intro", 10, body=body, flat=True),
    )
    assert {p.title: p.page for p in parts if p.title_line} == {"Amazon SQS": "sqs", "Intro": "sns"}


# --- render/markdown.py -----------------------------------------------------------------


def _normalize(text: str) -> str:
    out, _ = normalize([Line(i, t) for i, t in enumerate(text.split("\n"), 1)])
    return out


@pytest.mark.parametrize(
    ("source", "expected", "tag", "count"),
    [
        # Nested in a list item: the inner lists are separated inside the item.
        ("- item\n\n    - a\n    * b", "- item\n\n    - a\n\n    <!-- -->\n\n    * b", "<ul>", 3),
        (
            "- item\n\n    > a\n\n    > b",
            "- item\n\n    > a\n\n    <!-- -->\n\n    > b",
            "<blockquote>",
            2,
        ),
        ("> - a\n> * b", "> - a\n>\n> <!-- -->\n>\n> * b", "<ul>", 2),
        # Before a tab-separated table (a region parsed on its own).
        (
            "- x\n* y\na\tb\nc\td",
            "- x\n\n<!-- -->\n\n* y\n\n| a | b |\n| --- | --- |\n| c | d |",
            "<ul>",
            2,
        ),
    ],
)
def test_adjacent_lists_and_quotes_stay_apart(
    source: str, expected: str, tag: str, count: int
) -> None:
    """Bug: no separator between two adjacent lists or quotes that CommonMark keeps apart
    (Python-Markdown would merge them)."""
    out = _normalize(source)
    assert out == expected
    html = python_markdown.markdown(out, extensions=["tables"])
    assert html.count(tag) == count


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("(see https://example.com/a)", "(see <https://example.com/a>)"),
        ("(docs: https://example.com/a_(b))", "(docs: <https://example.com/a_(b)>)"),
        ("(https://example.com).", "(<https://example.com>)."),
    ],
)
def test_bare_url_in_parentheses_leaves_the_closing_one(source: str, expected: str) -> None:
    """Bug: a bare URL in parentheses keeps the closing ``)``."""
    assert _normalize(source) == expected


# --- links/place.py ---------------------------------------------------------------------


@pytest.fixture(scope="module")
@shared
def all_pages(catalog: Catalog) -> Linker:
    targets = {e.id: f"svc/{e.id}.md" for e in catalog.entries.values() if e.kind != "mention"}
    return Linker(catalog, targets)


def test_a_table_cell_bounds_the_context_window(all_pages: Linker) -> None:
    """Bug: context words leak across table cells. RAM links only with "shared" (or the like)
    in its own sentence or cell."""
    apart = "| Service | Note |\n|---|---|\n| RAM | shared with another account |\n"
    assert [k.text for k in all_pages.link(apart, "x.md").links] == []
    together = "| Service | Note |\n|---|---|\n| RAM shares subnets | x |\n"
    assert "RAM" in [k.text for k in all_pages.link(together, "x.md").links]


# --- tables/resolve.py ------------------------------------------------------------------

ONE_ROW = """\
- id: q
  title: Q
  items: [sqs, sns]
  rows:
  - dimension: {dimension}
    {keywords}
    cells:
      sqs: {{note: queues, quote: Consumers poll the queue}}
      {sns}
"""


def test_silent_cell_is_never_auto_filled(site: Site, tmp_path: Path) -> None:  # noqa: F811
    """Bug: cells the curator marked ``silent`` get auto-filled."""
    yml = ONE_ROW.format(
        dimension="Delivery", keywords="keywords: [pushes, subscribers]", sns="sns: silent"
    )
    comps, _ = _load(site, tmp_path, yml)
    assert _cell(comps, "q", 0, "sns").status == "empty"
    # The same row without `silent` does propose the SNS line: the fixture can tell.
    comps, _ = _load(
        site,
        tmp_path,
        ONE_ROW.format(dimension="Delivery", keywords="keywords: [pushes, subscribers]", sns=""),
    )
    assert _cell(comps, "q", 0, "sns").status == "auto"


@pytest.mark.parametrize(
    ("dimension", "status"), [("Pushes ordering", "empty"), ("Pushes subscribers", "auto")]
)
def test_guessed_dimension_needs_two_words(
    site: Site,  # noqa: F811
    tmp_path: Path,
    dimension: str,
    status: str,
) -> None:
    """Bug: a dimension's guessed keywords need only one word to propose a line."""
    comps, _ = _load(site, tmp_path, ONE_ROW.format(dimension=dimension, keywords="", sns=""))
    assert _cell(comps, "q", 0, "sns").status == status


@pytest.mark.parametrize("pin", [16, 17])
def test_line_pin_matches_any_line_of_a_quote(site: Site, tmp_path: Path, pin: int) -> None:  # noqa: F811
    """Bug: a ``line:`` pin matches only a quote's first line (this quote spans 16-17)."""
    yml = """\
    - id: q
      title: Q
      items: [sqs, kinesis-data-streams]
      rows:
      - dimension: R
        cells:
          sqs: {note: queues, quote: Consumers poll the queue}
          kinesis-data-streams: {note: queues, quote: '1 day (default) to 365 days', line: PIN}
    """.replace("PIN", str(pin))
    comps, diags = _load(site, tmp_path, yml)
    assert diags == []
    [quote] = _cell(comps, "q", 0, "kinesis-data-streams").quotes
    assert quote.line == 16


def test_several_matches_without_pin_use_the_first(site: Site, tmp_path: Path) -> None:  # noqa: F811
    """Bug: with several matches and no pin, the last one is used."""
    comps, diags = _load(site, tmp_path, BASE.replace(", line: 6}", "}"))
    assert any("found in 2 places" in d for d in diags), diags
    [quote] = _cell(comps, "queues", 1, "sqs").quotes
    assert (quote.line, quote.page) == (6, "sqs")


# --- readers/source.py ------------------------------------------------------------------


def test_only_cr_and_lf_end_a_line() -> None:
    """Bug: lines split on form feed, VT and U+2028 (unlike the documented text rule)."""
    text = "a\fb\vc\u2028d\u2029e\x1cf\x85g"
    assert split_lines(text + "\r\nh\ri\nj") == [text, "h", "i", "j"]
    lines, diags = decode("n.md", (text + "\nz\n").encode())
    assert (lines, diags) == ([text, "z"], [])


def test_a_second_bom_does_not_hide_a_heading() -> None:
    """Bug: a second BOM stays and hides a heading on line 1."""
    lines, diags = decode("n.md", b"\xef\xbb\xbf\xef\xbb\xbf# Amazon S3\ntext\n")
    assert (lines, diags) == (["# Amazon S3", "text"], [])


def test_one_utf8_sequence_does_not_make_a_latin1_note_utf8() -> None:
    """Bug: one valid UTF-8 sequence makes a mostly Latin-1 note "UTF-8 with bad bytes"."""
    data = "café crème à la carte, déjà vu\n".encode("latin-1") + "naïve\n".encode()
    lines, diags = decode("n.txt", data)
    assert lines is not None
    assert lines[0] == "café crème à la carte, déjà vu"
    assert [d.message.split(":")[0] for d in diags] == ["not UTF-8"]


def test_undefined_windows_1252_bytes_become_characters() -> None:
    """Bug: undefined Windows-1252 bytes stay as lone surrogates in the text."""
    lines, _ = decode("n.txt", b"caf\xe9 \x81\x8d\x8f\x90\x9d end\n")
    assert lines == ["café \x81\x8d\x8f\x90\x9d end"]
    for line in lines:
        line.encode("utf-8")  # no lone surrogate: valid Unicode
