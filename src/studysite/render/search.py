"""Search extras: pages' keywords and patterns in the search index, and the search box's data.

Material's search plugin writes ``search/search_index.json`` (one entry per page section);
:func:`enrich_index` adds each page's catalog ``keywords`` to its page entry only (a field
of its own, ``keywords``, boosted in ``mkdocs.yml``), plus one token per page that has
``patterns``. :func:`search_data` is what ``overrides/main.html`` reads in the browser:
the patterns with their page's token (a query word of that shape finds the page) and the
index's vocabulary (a query word that matches nothing is corrected to a known word at edit
distance 1: "Did you mean …?").
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

KEYWORDS_FIELD = "keywords"
# The token a query gets beside a word matching a page's pattern, and its query boost: it
# is on that page alone, so it puts that page first without hiding the pages naming the word.
TOKEN_PREFIX = "sspattern"
PATTERN_BOOST = 10
# A word in a title, an alias or a keyword outweighs this many mentions in running text
# when two spellings compete as the correction of a typo.
HEADLINE_WEIGHT = 20
# lunr's English stop words (lunr.stopWordFilter, which Material's pipeline keeps): they are
# never indexed, so the browser must know them to leave them alone.
_LUNR_STOP_WORDS = """
    a able about across after all almost also am among an and any are as at be because
    been but by can cannot could dear did do does either else ever every for from get got
    had has have he her hers him his how however i if in into is it its just least let
    like likely may me might most must my neither no nor not of off often on only or other
    our own rather said say says she should since so some than that the their them then
    there these they this tis to too twas us wants was we were what when where which while
    who whom why will with would yet you your
"""
STOP_WORDS = frozenset(_LUNR_STOP_WORDS.split())
_TAG = re.compile(r"<[^>]*>")
_WORD = re.compile(r"[a-z][^\s]*")


@dataclass(frozen=True)
class PageSearch:
    """What a page adds to search (its front matter ``keywords`` and ``patterns``)."""

    location: str  # the page's URL as the index has it ("compute/ec2/", "compute/ec2.html")
    keywords: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()


def pattern_token(n: int) -> str:
    """The index token standing for the ``n``-th page with patterns (letters and digits)."""
    return f"{TOKEN_PREFIX}{n}"


def enrich_index(
    index: dict[str, Any], pages: Mapping[str, PageSearch]
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """Add keywords and pattern tokens to the page entries of Material's search index.

    Returns the index (changed in place) and the patterns as ``(regex, token)`` pairs, in
    the order of the pages' locations (deterministic). A page missing from the index
    (excluded from search) adds nothing.
    """
    docs = index.get("docs") or []
    first: dict[str, dict[str, Any]] = {}  # page -> its own entry (no #anchor), else its first
    own: set[str] = set()
    for doc in docs:
        loc = str(doc.get("location", ""))
        page = loc.split("#", 1)[0]
        if loc == page and page not in own:
            first[page] = doc
            own.add(page)
        elif page not in first:
            first[page] = doc
    patterns: list[tuple[str, str]] = []
    for location in sorted(pages):
        info = pages[location]
        doc = first.get(location)
        if doc is None:
            continue
        words = list(info.keywords)
        if info.patterns:
            token = pattern_token(len({t for _, t in patterns}) + 1)
            words.append(token)
            patterns += [(p, token) for p in info.patterns]
        if words:
            doc[KEYWORDS_FIELD] = words
    return index, patterns


def vocabulary(index: dict[str, Any]) -> list[str]:
    """Every word of the index that starts with a letter, most weighty first.

    Split as lunr splits them (the index's separator, lowercased, HTML removed); stop words
    and pattern tokens left out. The weight is how often the word occurs, a title, alias or
    keyword counting ``HEADLINE_WEIGHT`` times; ties in alphabetical order.
    """
    separator = re.compile(str(index.get("config", {}).get("separator") or r"[\s\-]+"))
    counts: Counter[str] = Counter()

    def add(text: str, weight: int) -> None:
        for word in separator.split(_TAG.sub(" ", text).lower()):
            word = html.unescape(word)
            if _WORD.fullmatch(word) and word not in STOP_WORDS:
                counts[word] += weight

    for doc in index.get("docs") or []:
        add(str(doc.get("text", "")), 1)
        add(str(doc.get("title", "")), HEADLINE_WEIGHT)
        for field in ("tags", KEYWORDS_FIELD):
            for value in doc.get(field) or []:
                add(str(value), HEADLINE_WEIGHT)
    return sorted(
        (w for w in counts if not w.startswith(TOKEN_PREFIX)), key=lambda w: (-counts[w], w)
    )


def search_data(patterns: list[tuple[str, str]], words: list[str]) -> str:
    """The script ``overrides/main.html`` loads: ``window.__ssSearchData`` (works on file://)."""
    data = {
        "patterns": [[p, t] for p, t in patterns],
        "boost": PATTERN_BOOST,
        "stop": sorted(STOP_WORDS),
        "words": " ".join(words),
    }
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # "</" would end an inline script; "\u2028" breaks older JS parsers.
    body = body.replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"window.__ssSearchData={body};\n"
