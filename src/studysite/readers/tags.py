"""Obsidian-style ``#tags``: they become the tags of the pages a note feeds.

A line that is nothing but tags (``#Amazon``, ``#aws/storage #exam``) is noise with the
reason "tags line": it says nothing on the page, its tags go to the page's front matter.
A tag inside a sentence (``remember this #exam``) is a tag too, and the sentence keeps it as
written (readers never drop words). Not tags: headings (``# Title``, ``#`` then a space),
``#`` inside code (fenced, indented or in backticks), in a URL or link target
(``page#anchor``, ``(#anchor)``), ``C#``, ``&#123;``, and numbers (``#1``). A front matter
``tags:`` list (Obsidian's other way) counts as well.
"""

from __future__ import annotations

import re

import yaml

from studysite.markdown_tokens import block_tokens, code_lines
from studysite.model import Line, Noise, NoteTree
from studysite.readers.markdown import front_matter_end

_TAG = r"#[^\W\d_][\w/-]*"
_TAG_LINE = re.compile(rf"^\s*{_TAG}(?:\s+{_TAG})*\s*$")
# In a sentence: not after a word character or URL/link/entity punctuation.
_INLINE = re.compile(rf"(?<![\w/&#(\[\]\\])({_TAG})")
_CODE_SPAN = re.compile(r"(`+).*?\1")
_URL = re.compile(r"<?https?://\S+|\]\([^)]*\)")
_HINT = re.compile(r"(?:^|\s)#[^\W\d_]", re.M)


def extract_tags(tree: NoteTree, lines: list[str]) -> None:
    """Set ``tree.tags`` and turn lines that are only tags into noise."""
    tags: list[str] = _front_matter_tags(lines)
    if not _HINT.search("\n".join(lines)):
        tree.tags = list(dict.fromkeys(tags))
        return
    code = code_lines(lines, block_tokens(lines))
    for sec in tree.root.walk():
        for i, ln in enumerate(sec.body):
            if not ln.no or ln.no in code or "#" not in ln.text:
                continue
            if _TAG_LINE.match(ln.text):
                tags += [t[1:] for t in ln.text.split()]
                tree.noise.append(Noise(ln.no, lines[ln.no - 1], "tags line"))
                sec.body[i] = Line(ln.no, "")
                continue
            text = _URL.sub(" ", _CODE_SPAN.sub(" ", ln.text))
            tags += [m[1:] for m in _INLINE.findall(text)]
    tree.noise.sort(key=lambda n: n.no)
    tree.tags = list(dict.fromkeys(tags))


def _front_matter_tags(lines: list[str]) -> list[str]:
    end = front_matter_end(lines)
    if not end:
        return []
    try:
        meta = yaml.safe_load("\n".join(lines[1 : end - 1]))
    except (yaml.YAMLError, ValueError, TypeError, RecursionError):
        return []  # the reader already reported it
    raw = meta.get("tags") if isinstance(meta, dict) else None
    if isinstance(raw, str):
        raw = re.split(r"[,\s]+", raw)
    if not isinstance(raw, list):
        return []
    return [str(t).lstrip("#").strip() for t in raw if str(t).strip()]
