"""Search extras: pages' keywords and patterns in the search index, and the search box's data.

Material's search plugin writes ``search/search_index.json`` (one entry per page section);
:func:`enrich_index` adds each page's catalog ``keywords`` to its page entry only (a field
of its own, ``keywords``, boosted in ``mkdocs.yml``), plus one token per page that has
``patterns`` or ``keywords``. :func:`search_data` is what ``overrides/main.html`` reads in
the browser: the patterns with their page's token (a query word of that shape finds the
page), the keyword phrases with their page's token (a query that holds a phrase's words
finds the page: :func:`phrase_matches` is the rule), and the index's vocabulary (a query
word that matches nothing is corrected to a known word at edit distance 1: "Did you mean
…?").
"""

from __future__ import annotations

import html
import json
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

KEYWORDS_FIELD = "keywords"
# The browser's search data, written from the built index (hooks/search.py).
SEARCH_DATA = "assets/search-data.js"
# The token a query gets beside a word matching a page's pattern, and its query boost: it
# is on that page alone, so it puts that page first without hiding the pages naming the word.
TOKEN_PREFIX = "sspage"
PATTERN_BOOST = 10
# A query holding a keyword phrase's words gets the phrase's page token with this boost
# times the share of the query's words the page's matched phrases cover: a phrase that is
# most of the query puts its page first, one that is a small part of it only lifts it.
PHRASE_BOOST = 10
# A query of fewer content words gets no phrase token: a two-word query that is a keyword
# phrase already matches the keywords field whole, and the token would lift the page's own
# entry above its section titled with those words (the result would lose its section link).
MIN_QUERY_WORDS = 3
# Words that say nothing about which page is meant; left out of phrases and queries alike.
PHRASE_FILLER = frozenset({"aws", "amazon"})
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
_PHRASE_SPLIT = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class PageSearch:
    """What a page adds to search (its front matter ``keywords`` and ``patterns``)."""

    location: str  # the page's URL as the index has it ("compute/ec2/", "compute/ec2.html")
    keywords: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    names: tuple[str, ...] = ()  # its title and aliases (front matter ``tags``)


@dataclass(frozen=True)
class Phrases:
    """What the browser matches queries against, as ``(content words, page token)`` pairs.

    ``keywords``: the pages' keyword phrases of two content words or more. ``names``: the
    pages' titles and aliases that share a word with another page's keyword phrase; a query
    holding a name claims its words, so another page's phrase made only of them does not
    count ("Application Load Balancer" is a name, not ELB's "load balancer" need).
    """

    keywords: tuple[tuple[str, str], ...] = ()
    names: tuple[tuple[str, str], ...] = ()


def page_token(n: int) -> str:
    """The index token standing for the ``n``-th page with keywords or patterns."""
    return f"{TOKEN_PREFIX}{n}"


def stem(word: str) -> str:
    """A light English stemmer, the same as ``stem`` in ``docs/assets/search-query.js``.

    Only for matching query words with keyword phrases (lunr stems the index itself): it
    folds plurals, -ing, -ed and a final e or y, so "storing", "stored", "stores" and
    "store" meet, as do "queries", "queried" and "query".
    """
    if len(word) <= 3:
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "i"
    elif word.endswith("sses"):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if word.endswith("ied") and len(word) > 4:
        word = word[:-3] + "i"
    elif word.endswith(("ing", "ed")) and len(word) >= 5 + word.endswith("ing"):
        word = word[: -3 if word.endswith("ing") else -2]
        if word[-1] == word[-2] and word[-1] not in "lsz0123456789":
            word = word[:-1]  # "running", "stopped": the doubled consonant goes too
    if len(word) >= 4 and word.endswith("e"):
        word = word[:-1]
    elif len(word) >= 4 and word.endswith("y"):
        word = word[:-1] + "i"
    return word


def content_words(text: str) -> list[str]:
    """A phrase's or a query's words that can match: split at anything but letters and
    digits, lowercased, stop words and filler left out, stemmed; each once, in order."""
    out: list[str] = []
    for word in _PHRASE_SPLIT.split(text.lower()):
        if word and word not in STOP_WORDS and word not in PHRASE_FILLER:
            word = stem(word)
            if word not in out:
                out.append(word)
    return out


def needed(n: int) -> int:
    """How many of a phrase's ``n`` content words a query must hold: all of a short phrase
    (two or three words), three of four, four of five, five of six: ceil(3n/4)."""
    return math.ceil(3 * n / 4)


def phrase_matches(query: str, phrases: Phrases) -> dict[str, int]:
    """The page tokens a query gets from keyword phrases, with their boosts.

    A keyword phrase (two content words or more) matches when the query's content words
    hold :func:`needed` of its words, unless all the words it matched are in names of other
    pages that the query holds whole; a page's boost is ``PHRASE_BOOST`` times the share of
    the query's content words its matched phrases cover, rounded to a whole number (lunr's
    query parser reads boosts as integers), at least 1. A query of fewer than
    ``MIN_QUERY_WORDS`` content words matches nothing. The browser computes the same
    (``phrases`` in ``docs/assets/search-query.js``).
    """
    query_words = set(content_words(query))
    covered: dict[str, set[str]] = {}
    if len(query_words) < MIN_QUERY_WORDS:
        return {}
    named: dict[str, set[str]] = {}  # page token -> query words its names hold
    for words, token in phrases.names:
        name = set(words.split())
        if name <= query_words:
            named.setdefault(token, set()).update(name)
    for words, token in phrases.keywords:
        phrase = words.split()
        hits = query_words.intersection(phrase)
        if len(phrase) < 2 or len(hits) < needed(len(phrase)):
            continue
        claimed = set().union(*(w for t, w in named.items() if t != token))
        if hits - claimed:
            covered.setdefault(token, set()).update(hits)
    return {
        t: max(1, math.floor(PHRASE_BOOST * len(c) / len(query_words) + 0.5))
        for t, c in sorted(covered.items())
    }


def enrich_index(
    index: dict[str, Any], pages: Mapping[str, PageSearch]
) -> tuple[dict[str, Any], list[tuple[str, str]], Phrases]:
    """Add keywords and page tokens to the page entries of Material's search index.

    Every page with keywords or patterns gets a token of its own. Returns the index
    (changed in place), the patterns as ``(regex, token)`` pairs and the :class:`Phrases`,
    in the order of the pages' locations (deterministic). A page missing from the index
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
    phrases: list[tuple[str, str]] = []
    names: list[tuple[str, str]] = []
    tokens = 0
    for location in sorted(pages):
        info = pages[location]
        doc = first.get(location)
        if doc is None or not (info.keywords or info.patterns):
            continue
        tokens += 1
        token = page_token(tokens)
        doc[KEYWORDS_FIELD] = [*info.keywords, token]
        patterns += [(p, token) for p in info.patterns]
        for keyword in info.keywords:
            words = content_words(keyword)
            if len(words) >= 2 and (" ".join(words), token) not in phrases:
                phrases.append((" ".join(words), token))
        for name in info.names:
            words = content_words(name)
            if words and (" ".join(words), token) not in names:
                names.append((" ".join(words), token))
    # Only a name that shares a word with another page's phrase can change a match.
    used: dict[str, set[str]] = {}
    for phrase, token in phrases:
        for word in phrase.split():
            used.setdefault(word, set()).add(token)
    names = [
        (name, token)
        for name, token in names
        if any(used.get(w, set()) - {token} for w in name.split())
    ]
    return index, patterns, Phrases(tuple(phrases), tuple(names))


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


def _grouped(pairs: Sequence[tuple[str, str]]) -> list[list[str]]:
    """``(phrase, token)`` pairs as ``[token, "phrase|phrase"]``, tokens in first-seen order."""
    grouped: dict[str, list[str]] = {}
    for phrase, token in pairs:
        grouped.setdefault(token, []).append(phrase)
    return [[t, "|".join(ps)] for t, ps in grouped.items()]


def search_data(
    patterns: list[tuple[str, str]], words: list[str], phrases: Phrases | None = None
) -> str:
    """The script ``overrides/main.html`` loads: ``window.__ssSearchData`` (works on file://).

    Keyword phrases and names go as one string per token, separated by ``|``.
    """
    phrases = phrases or Phrases()
    data = {
        "patterns": [[p, t] for p, t in patterns],
        "boost": PATTERN_BOOST,
        "phrases": _grouped(phrases.keywords),
        "names": _grouped(phrases.names),
        "phraseBoost": PHRASE_BOOST,
        "phraseMin": MIN_QUERY_WORDS,
        "filler": sorted(PHRASE_FILLER),
        "stop": sorted(STOP_WORDS),
        "words": " ".join(words),
    }
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # "</" would end an inline script; "\u2028" breaks older JS parsers.
    body = body.replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"window.__ssSearchData={body};\n"


# lunr 2.3.9 (inside Material's search worker) names each node of its token set by its final
# flag and, per edge, the edge's letter and the target node's id run together: "0" + "1" +
# "23" reads the same as "0" + "12" + "3" once letters are digits. Nodes with equal names
# are merged while the set is built, so the set gains words the index lacks; a prefix
# query that reaches one ("1*", "15*", a region code's "1") throws in Index.query and
# Material shows "No matching documents". Which words collide depends on the whole
# vocabulary, so any notes with numbers can set it off. An end mark after each id keeps
# the names apart (a letter is one character, an id its digits up to the mark).
_LUNR_NODE_NAME = re.compile(
    r"(TokenSet\.prototype\.toString=function\(\)\{.{0,160}?"
    r"(?P<acc>\w+)=(?P=acc)\+(?P<label>\w+)\+(?P<node>\w+)\.id)(\}return (?P=acc)\})"
)


def fix_lunr_token_set(script: str) -> tuple[str, bool]:
    """``script`` (Material's search worker) with lunr's token-set node names made
    unambiguous, and whether the place to fix was found (already fixed counts as found)."""
    if '.id+"|"}return' in script:
        return script, True
    fixed, n = _LUNR_NODE_NAME.subn(r'\1+"|"\5', script, count=1)
    return fixed, n == 1
