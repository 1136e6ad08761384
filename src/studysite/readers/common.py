"""Helpers every reader shares: fenced-code ranges, generic noise rules, title variants.

The tokenizer itself lives in :mod:`studysite.markdown_tokens` (routing and render use it too).
"""

from __future__ import annotations

import re

from studysite.markdown_tokens import block_tokens, code_lines, fence_lines, tokens
from studysite.model.names import strip_vendor

# Re-exported: readers and tests reach the tokenizer helpers through here too.
__all__ = ["block_tokens", "code_lines", "fence_lines", "tokens"]


def is_blank(line: str) -> bool:
    """Empty or whitespace-only (a Notion export leaves single spaces on empty lines)."""
    return not line.strip()


# Lines that carry no content in any format: reasons are shown in `studysite report`.
_GENERIC_NOISE: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^\s*(?:[-=_*]\s*){3,}$"), "separator line"),
    (re.compile(r"^\s*#{1,6}\s*={3,}\s*$"), "separator line"),
    (re.compile(r"^\s*[-*+]\s*$"), "empty list item"),
    (re.compile(r"^\s*Untitled\s*$"), "'Untitled' placeholder of a removed image or database"),
    (re.compile(r"^\s*new\s*→\s*$"), "Notion 'new →' button text"),
]


def generic_noise(line: str) -> str | None:
    """The reason ``line`` is noise in any note, or ``None`` when it is content."""
    for pattern, reason in _GENERIC_NOISE:
        if pattern.match(line):
            return reason
    return None


# A sentinel paragraph line appended to a parse window: it lands inside a fence or HTML block
# only when that block is still open at the window's end (it can close neither).
_WINDOW_SENTINEL = "\ufffc window end"
_FENCE_HINT = re.compile(r"```|~~~|<[!?]|<(?:script|pre|style|textarea)\b", re.IGNORECASE)


def fence_lines_fast(lines: list[str]) -> set[int]:
    """Same result as :func:`fence_lines`, parsing only the top-level blocks near a fence.

    Parsing a whole 8k-line note with markdown-it costs ~150 ms, most of it on lines that
    cannot be in a fence. A line at column 0 after a blank line starts a top-level block no
    fence, list item or quote before it survives, so only the blocks holding a fence marker
    (or an HTML block opener that could swallow one) are parsed; a block still open at the end
    of its window is re-parsed with the window grown to the next marker.
    """
    n = len(lines)
    hints = [i for i, ln in enumerate(lines) if _FENCE_HINT.search(ln)]
    if not hints:
        return set()
    # seg_start[i]: the top-level block start at or before i; next_start[i]: the first after i.
    seg_start = [0] * n
    cur = 0
    for i in range(n):
        if i and lines[i][:1] not in ("", " ", "\t") and not lines[i - 1].strip():
            cur = i
        seg_start[i] = cur
    next_start = [n] * n
    nxt = n
    for i in range(n - 1, -1, -1):
        next_start[i] = nxt
        if seg_start[i] == i:
            nxt = i
    out: set[int] = set()
    done = 0
    k = 0
    while k < len(hints):
        h = hints[k]
        if h < done:
            k += 1
            continue
        start = max(seg_start[h], done)
        end = next_start[h]
        while True:
            window = lines[start:end] + ([_WINDOW_SENTINEL] if end < n else [])
            toks = block_tokens(window)
            still_open = end < n and any(
                t.type in ("fence", "html_block") and t.map and t.map[1] > end - start for t in toks
            )
            if not still_open:
                break
            while k < len(hints) and hints[k] < end:
                k += 1
            end = next_start[hints[k]] if k < len(hints) else n
        for t in toks:
            if t.type == "fence" and t.map:
                out.update(range(start + t.map[0] + 1, start + min(t.map[1], end - start) + 1))
        done = end
    return out


_CAPTION_DASH = re.compile(r"\s+[–—]\s+")


def title_variants(text: str) -> list[str]:
    """The forms of a title line worth asking ``known_title`` about, most literal first.

    Notes write the same name as ``Amazon EFS``, ``EFS:``, ``Amazon EFS – Elastic File
    System``; the catalog knows one of them, so a reader asks about each in turn.
    """
    out: list[str] = []
    base = text.strip()
    for form in (base, base.rstrip(":").rstrip()):
        for cand in (form, _CAPTION_DASH.split(form, maxsplit=1)[0]):
            for v in (cand, strip_vendor(cand)):
                v = v.strip()
                if v and v not in out:
                    out.append(v)
    return out
