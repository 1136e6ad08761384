"""Obsidian syntax as Material renders it: callouts become admonitions, wikilinks text.

Wikilinks and embeds are parsed by an inline rule of the render parser
(:func:`studysite.render.markdown.wikilink_rule`) and resolved by
:mod:`studysite.links.notelinks`; this module holds what is left: callouts
(``> [!tip]- Title``) and the plain text of a wikilink where no link can stand (quotes).
"""

from __future__ import annotations

import re

# Obsidian's callout types and their aliases -> Material's admonition types.
_TYPES = {
    "note": "note",
    "abstract": "abstract",
    "summary": "abstract",
    "tldr": "abstract",
    "info": "info",
    "todo": "info",
    "tip": "tip",
    "hint": "tip",
    "important": "tip",
    "success": "success",
    "check": "success",
    "done": "success",
    "question": "question",
    "help": "question",
    "faq": "question",
    "warning": "warning",
    "caution": "warning",
    "attention": "warning",
    "failure": "failure",
    "fail": "failure",
    "missing": "failure",
    "danger": "danger",
    "error": "danger",
    "bug": "bug",
    "example": "example",
    "quote": "quote",
    "cite": "quote",
}
# The first line of a quote as the normaliser emits it: `[` and `]` may come escaped.
_CALLOUT = re.compile(r"^\\?\[!([A-Za-z-]+)\\?\]([+-]?)[ \t]*(.*)$")
_WIKI = re.compile(r"!?\[\[([^\]|#]*)(?:#([^\]|]*))?(?:\|([^\]]*))?\]\]")


def callout(inner: list[str]) -> list[str] | None:
    """The admonition for a quote's emitted lines when it opens with ``[!type]``, else None.

    ``[!tip]`` -> ``!!! tip``; foldable ``[!tip]-`` -> ``??? tip`` (``+``: open). Unknown
    types keep their name as the title over a ``note``.
    """
    if not inner:
        return None
    m = _CALLOUT.match(inner[0])
    if not m:
        return None
    kind, fold, title = m.group(1).lower(), m.group(2), m.group(3).strip()
    mapped = _TYPES.get(kind)
    if mapped is None:
        mapped, title = "note", title or kind.capitalize()
    marker = {"-": "???", "+": "???+"}.get(fold, "!!!")
    title = re.sub(r"\\(.)|[*_`]", r"\1", title).replace('"', "&quot;")
    head = f'{marker} {mapped} "{title}"' if title else f"{marker} {mapped}"
    body = inner[1:]
    while body and not body[0].strip():
        body = body[1:]
    return [head, ""] + [f"    {ln}" if ln.strip() else "" for ln in body] if body else [head]


def plain_wikilinks(text: str) -> str:
    """``text`` with each ``[[Target#Heading|label]]`` replaced by what Obsidian shows."""
    if "[[" not in text:
        return text

    def shown(m: re.Match[str]) -> str:
        target = m.group(1).split("/")[-1].strip()
        return (m.group(3) or " › ".join(x for x in (target, m.group(2) or "") if x)).strip()

    return _WIKI.sub(shown, text)
