"""The one Markdown tokenizer setup that readers, routing and render share.

markdown-it-py with CommonMark and GitHub tables; tokens carry ``map`` line ranges.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token


@lru_cache(maxsize=1)
def markdown_parser() -> MarkdownIt:
    """A CommonMark tokenizer with GitHub tables; tokens carry ``map`` line ranges."""
    return MarkdownIt("commonmark").enable("table")


def tokens(lines: list[str]) -> list[Token]:
    """Block tokens of ``lines``; ``token.map`` is ``[first, last)`` as 0-based line indexes."""
    return markdown_parser().parse("\n".join(lines))


def code_lines(lines: list[str], toks: list[Token] | None = None) -> set[int]:
    """1-based numbers of lines inside fenced or indented code (fences included).

    Nothing on these lines is a heading, a list or a table, whatever it looks like.
    """
    out: set[int] = set()
    for tok in toks if toks is not None else tokens(lines):
        if tok.type in ("fence", "code_block") and tok.map:
            out.update(range(tok.map[0] + 1, tok.map[1] + 1))
    return out


def fence_lines(lines: list[str], toks: list[Token] | None = None) -> set[int]:
    """Like :func:`code_lines` but fenced code only (indented text is often just indented)."""
    out: set[int] = set()
    for tok in toks if toks is not None else tokens(lines):
        if tok.type == "fence" and tok.map:
            out.update(range(tok.map[0] + 1, tok.map[1] + 1))
    return out


@lru_cache(maxsize=1)
def block_parser() -> MarkdownIt:
    """:func:`markdown_parser` without the inline phase.

    Block structure (headings, code, paragraphs, lists) is all a reader needs to place lines;
    inline parsing roughly doubles the cost on list-heavy notes, so readers that only classify
    lines use this and look at single lines with a regex once the block tokens have spoken.
    """
    return (
        MarkdownIt("commonmark")
        .enable("table")
        .disable(["inline", "text_join"], ignoreInvalid=True)
    )


def block_tokens(lines: list[str]) -> list[Token]:
    """Like :func:`tokens` but block-level only: ``inline`` tokens keep their source text in
    ``content`` and have no children.

    The same text is parsed once: a note's reader, its #tags and its practice questions all
    ask for the whole note, one after the other. The list is shared: read it, never change it.
    """
    return _block_parse("\n".join(lines))


@lru_cache(maxsize=4)
def _block_parse(text: str) -> list[Token]:
    return block_parser().parse(text)


# What may open a link reference definition (``[aws docs]: https://...``); markdown-it decides.
_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:")


def link_references(lines: Sequence[str]) -> dict[str, dict[str, Any]]:
    """A note's link reference definitions, by normalized label (markdown-it's ``env``).

    A note is rendered part by part, and a reference link (``[the docs][aws]``) in one part
    may use a definition written anywhere in the note, usually at its end. Notes without a
    line that looks like a definition are not parsed.
    """
    if not any(_DEFINITION.match(line) for line in lines):
        return {}
    env: dict[str, Any] = {}
    block_parser().parse("\n".join(lines), env)
    return dict(env.get("references", {}))
