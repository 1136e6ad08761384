"""Property-based tests: arbitrary input never crashes a reader and never loses a line.

For every reader in ``readers.READERS`` and arbitrary note lines (made of the syntax the
formats use: ``#``, ``▼``, ``>``, ``*``, ``_``, ``|``, backticks, tabs, fences, front matter,
HTML, catalog names, and any Unicode): the reader raises nothing at all (not even
:class:`~studysite.errors.StudysiteError`), every non-blank line is accounted for in the tree,
and after routing every non-blank line is on exactly one page with its own words, or is noise
with a known reason (``tests/accounting.py``). Decoding arbitrary bytes (``readers.source``)
never raises and gives valid Unicode; rendering any body never raises.

Examples per test: 2,000 under ``CI=true`` (the ``fuzz-ci`` profile), 150 locally;
``STUDYSITE_FUZZ_EXAMPLES`` overrides both for a deeper local run.
"""

from __future__ import annotations

import os
import unicodedata
from collections import Counter
from functools import cache
from pathlib import Path
from types import ModuleType

import pytest
from accounting import misplaced
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studysite.model import Line, NoteTree, unaccounted_lines
from studysite.readers import READERS, notion, plaintext, read_note, source
from studysite.render.markdown import normalize
from studysite.routing.aliases import catalog_matcher
from studysite.routing.catalog import load_catalog
from studysite.routing.route import Router, route_tree

ROOT = Path(__file__).resolve().parents[1]
CATALOG = ROOT / "catalog" / "services.yml"

_COMMON = {
    "deadline": None,
    "print_blob": True,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
}
settings.register_profile("fuzz-ci", max_examples=2000, **_COMMON)
settings.register_profile("fuzz-dev", max_examples=150, **_COMMON)
_CI = os.environ.get("CI", "").lower() == "true"
FUZZ = settings(
    settings.get_profile("fuzz-ci" if _CI else "fuzz-dev"),
    max_examples=int(os.environ.get("STUDYSITE_FUZZ_EXAMPLES", "0"))
    or settings.get_profile("fuzz-ci" if _CI else "fuzz-dev").max_examples,
)

# Whole lines in the shapes the formats give meaning to.
TEMPLATES = [
    "# Amazon EC2", "## Amazon S3", "### AWS Lambda", "#### Security", "#", "## ", "# ====",
    "Amazon EC2", "Amazon S3", "EC2:", "IAM", "Amazon EFS – Elastic File System", "VPC",
    "AWS – Compute", "AWS – Storage", "AWS - Database", "▼ Section 1: Intro", "▼ Section 2:",
    "▼ Amazon EFS", "▼", "▼ ", "- ▼ toggle", "  ▼ nested", "## Contents", "## Table of Contents",
    "- [Amazon EC2](#amazon-ec2)", "  - [S3](#amazon-s3)", "1. [IAM](#iam)", "## Section4_IAM",
    "## Setion 5: EC2", "## Section 6", "__Topic__", "**Bold title**", "*Subtopic*",
    "*Unclosed subtopic", "***Exam Note:***", "**", "__", "> quote", "> - item", ">", ">>",
    "```", "```python", "````", "~~~", "    indented code", "\tcode", "---", "...", "***",
    "___", "- ", "-", "- item", "* item", "+ item", "1. item", "1) item", " - flat child",
    "    - deep item", "| a | b |", "|---|---|", "|", "a\tb\tc", "\t\t", "<details>",
    "</details>", "<div>", "</div>", "<!--", "-->", "<pre>", "</pre>", "<script>", "<br>",
    "title: x", "title: [", "===", "Untitled", "new →", "Label:", "PREPARED BY", "Thank you",
    "The End", "![img](x.png)", "[link](http://x)", "http://example.com/a_b", "Term",
    ":   definition", "??? note", "!!! tip", "{: .x }", "\\", "&amp;", "&#x0;", "$$", "Setext",
    "===", "- [ ] task", "[^1]: note", "*[EC2]: abbr", "{{ x }}", "{% raw %}",
]  # fmt: skip
# Characters with a meaning somewhere, and line breaks Python's splitlines() would split on
# (the readers get lines split on \r and \n only).
SYNTAX = [
    *" \t▼#>*_|`~-+=:!?[](){}<>\\&$^.,;'\"0123456789aZ",
    "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029", "\u00a0", "\ufeff",
    "\u200b", "\ufffd", "é", "\u0301", "–", "—", "→", "☐", "\U0001f600",
]  # fmt: skip

# A line is a few pieces (whole template lines, syntax characters, words, indents) or a
# short run of any characters. Pieces keep each example cheap to generate: 2,000 examples
# per reader must fit in CI's time budget.
PIECES = [
    *TEMPLATES, *SYNTAX, "word", "Amazon", "EC2", "S3 ", " ", "  ", "    ", "\t", "- ", "> ",
    "**", "__", "`", "```", "# ", "▼ ",
]  # fmt: skip
_any_char = st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n")
_line = st.one_of(
    st.lists(st.sampled_from(PIECES), max_size=4).map("".join),
    st.text(_any_char, max_size=8),
)
# As readers.source hands them over: NFC-normalised, without \r or \n.
LINES = st.lists(_line, max_size=30).map(
    lambda lines: [unicodedata.normalize("NFC", ln) for ln in lines]
)


@cache
def router() -> Router:
    catalog = load_catalog(CATALOG)
    return Router(
        catalog,
        catalog_matcher(catalog),
        catalog_matcher(catalog, include_context_only=False),
    )


def known_title(text: str) -> bool:
    return router().known_title(text)


def lost_lines(lines: list[str], tree: NoteTree) -> list[int]:
    """Non-blank lines not exactly once on a page (after routing) or in the noise."""
    seen: Counter[int] = Counter()
    for part in route_tree(tree, router()):
        if part.title_line:
            seen[part.title_line] += 1
        seen.update({ln.no for ln in part.lines if ln.no and ln.text.strip()})
    seen.update(n.no for n in tree.noise)
    return [no for no, line in enumerate(lines, 1) if line.strip() and seen[no] != 1]


def root_body(tree: NoteTree) -> set[int]:
    """Lines a reader left in the root's own body (text before the first title)."""
    return {ln.no for ln in tree.root.body if ln.no and ln.text.strip()}


# route_tree places the root's own body (text before the first title) as an untitled first
# section; the flag stays so the check can be switched back if that ever regresses.
ROOT_BODY_IS_LOST = False


def lost(lines: list[str], tree: NoteTree) -> list[int]:
    missing = lost_lines(lines, tree)
    if ROOT_BODY_IS_LOST:
        known = root_body(tree)
        missing = [no for no in missing if no not in known]
    return missing


@pytest.mark.parametrize(
    ("reader", "lines"),
    [
        (plaintext, ["Some words before any title.", "", "Amazon EC2", "", "EC2 runs servers."]),
        # More than a title page's 40 lines before the first toggle: content, not a cover.
        (notion, [*(["Some words."] * 41), "", "▼ Amazon EC2", "", "EC2 runs servers."]),
    ],
    ids=["plaintext", "notion"],
)
def test_text_before_the_first_title_is_placed(reader: ModuleType, lines: list[str]) -> None:
    tree, _ = reader.read("fuzz.txt", lines, known_title)
    assert lost_lines(lines, tree) == []


def test_check_catches_a_lost_line() -> None:
    """The check below is not vacuous: a tree missing a line fails it."""
    from studysite.readers import markdown

    tree, _ = markdown.read("fuzz.md", ["## Amazon EC2", "", "text"], known_title)
    tree.root.children[0].body.clear()
    assert lost_lines(["## Amazon EC2", "", "text"], tree) == [3]


# One example goes through every reader: generating it costs far more than reading it, so
# this is what lets each reader see 2,000 examples in CI within the time budget.
@FUZZ
@given(lines=LINES)
def test_every_reader_accounts_for_every_line(lines: list[str]) -> None:
    for reader in (*READERS, None):
        name = reader.FORMAT if reader else "sniffed"
        # Any exception fails: a StudysiteError here would be a note the site skips.
        if reader is None:
            tree, diags = read_note("fuzz.md", list(lines), known_title)
        else:
            tree, diags = reader.read("fuzz.md", list(lines), known_title)
        assert unaccounted_lines(lines, tree) == [], name
        assert lost(lines, tree) == [], name
        assert misplaced(lines, route_tree(tree, router()), tree.noise) == [], name
        for d in diags:
            assert "\n" not in d.message, name
            assert 0 <= d.line <= max(len(lines), 1), name


# Decoding is cheap to check and has few paths: a quarter of the examples covers them.
DECODE = settings(FUZZ, max_examples=max(FUZZ.max_examples // 4, 50))
_BOMS = [b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"]


@DECODE
@given(
    data=st.one_of(
        st.binary(max_size=200),
        st.tuples(st.sampled_from(_BOMS), st.binary(max_size=200)).map(b"".join),
        st.text(max_size=100).map(lambda t: t.encode("utf-8", "surrogatepass")),
        st.text(max_size=100).map(lambda t: t.encode("utf-16-le", "surrogatepass")),
        st.lists(st.sampled_from([b"a", b"\xc3\xa9", b"\xff", b"\r", b"\n", b"\r\n", b"\x00"])).map(
            b"".join
        ),
    )
)
def test_decoding_any_bytes_never_raises(data: bytes) -> None:
    lines, diags = source.decode("fuzz.md", data)
    for d in diags:
        assert "\n" not in d.message
        assert d.file == "fuzz.md"
    if lines is None:
        assert [d.message.split(":")[0] for d in diags] == ["skipped"]
        return
    assert all("\r" not in ln and "\n" not in ln for ln in lines)
    for ln in lines:
        ln.encode("utf-8")  # valid Unicode: no lone surrogate left from a bad byte
    for d in diags:
        assert 1 <= d.line <= max(len(lines), 1)


@DECODE
@given(lines=LINES)
def test_rendering_any_body_never_raises(lines: list[str]) -> None:
    """The normalizer (CommonMark -> Python-Markdown) takes whatever a reader leaves."""
    text, diags = normalize([Line(no, ln) for no, ln in enumerate(lines, 1)], file="fuzz.md")
    assert isinstance(text, str)
    for d in diags:
        assert "\n" not in d.message
