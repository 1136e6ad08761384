"""Fold console material and missing screenshots into collapsed blocks.

Notes pasted from the AWS console (tables of instance, subnet and volume ids, status columns,
terminal transcripts) and screenshots that never made it into the export weigh as much on a
page as the facts worth learning. :func:`fold_console` keeps every word but moves such runs of
top-level blocks into a collapsed pymdownx.details block: ``??? note "Console output"`` or
``??? note "Screenshots not included"``, content indented 4 spaces.

The input is one normalized body (the output of :func:`studysite.render.markdown.normalize`),
so blocks are separated by blank lines and no line starts with ``???`` unless it is a fold.
Classification is deliberately conservative: a table folds only when at least half of its
filled cells look like console text (resource ids, ARNs, IPs, status and button words,
timestamps, checkboxes) *and* at least one of them is unmistakable (an id, ARN, UUID, button
or status word), so a study table quoting an id or a CIDR block stays visible.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from markdown_it.token import Token

from studysite.markdown_tokens import block_parser

CONSOLE_TITLE = "Console output"
SCREENSHOT_TITLE = "Screenshots not included"

# A table folds when this share of its filled cells looks like console text.
_TABLE_SHARE = 0.5

# -- cell evidence ------------------------------------------------------------------------

# Strong evidence: only the console prints these.
# `vol-0f600a8436e7ed268`, `pl-78a54011`: a lowercase prefix, 8 or 17 hex digits (one a digit).
_RESOURCE_ID = re.compile(r"(?<![\w-])[a-z]{1,10}-(?=[0-9a-f]*[0-9])[0-9a-f]{8,17}(?![\w-])")
_ARN = re.compile(r"\barn:aws[\w-]*:")
# Full or truncated (`9dcfe482-571f-4e`) UUIDs.
_UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{1,4}", re.I)
# Buttons and labels: a cell that starts with an action, or carries an `Edit`/`Info` label.
_BUTTON = re.compile(
    r"^(?:Add|Edit|Delete|Remove|Create|Filter|Search|View|Actions|Choose|Select|Learn more)\b"
    r"|(?<=\w )(?:Edit|Info)(?: |$)"
)
# Status words the console shows in a column of their own.
# fmt: off
_STATUS = frozenset({
    "running", "stopped", "stopping", "pending", "starting", "terminated", "available",
    "in-use", "attached", "associated", "enabled", "disabled", "active", "inactive", "healthy",
    "unhealthy", "inservice", "outofservice", "creating", "deleting", "modifying", "succeeded",
    "failed", "completed", "ok", "alarm",
})
# fmt: on
# Checkboxes (a selection column: console UI) and other glyphs the export leaves in cells.
_CHECKBOX = "☐☑□"
_GLYPHS = _CHECKBOX + "■▼▶ⓘ✓•"

# Weak evidence: console-like, but a study table may hold a few.
_IPV4 = re.compile(r"(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?:/\d{1,2})?(?![\d.])")
_TIMESTAMP = re.compile(
    r"\b\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}"  # 2022-03-17 19:54:20
    r"|\b\d{1,2}:\d{2}(?::\d{2})?\b.*(?:GMT|UTC)"  # 20:26:10 GMT+5:30
    r"|\b\d{4},? \d{1,2}:\d{2}"  # Sun Mar 13 2022 11:54:20, December 8, 2020, 17:32
    r"|\b\d+ (?:seconds?|minutes?|hours?|days?) ago\b"
)
_HOSTNAME = re.compile(r"\b[\w-]+(?:\.[\w-]+)*\.(?:amazonaws\.com|compute\.internal)\b")
_ZONE = re.compile(r"^(?:[a-z]{2}(?:-gov)?-[a-z]+-\d[a-z]?(?:, *|$))+")
_DEVICE = re.compile(r"^/dev/\w+$")
_DOMAIN = re.compile(r"\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|io|co)\b")
# Resource names people type in a demo: `database-1`, `target-group-1`, `t2.micro`.
_SLUG = re.compile(
    r"\b[a-z][a-z0-9]*(?:-[a-z0-9]+)*-\d+[a-z]?\b|\b(?:db\.)?[a-z]\d[a-z]*\.\d*(?:nano|micro|small|medium|large|xlarge)\b"
)
# Version ids, tokens: long, no spaces, letters mixed with digits.
_TOKEN = re.compile(r"^(?=[\w-]*\d)(?=[\w-]*[A-Z])(?=[\w-]*[a-z])[\w-]{16,}$")
# A value the console cut off: `demo-clb-1306837501.ap-so...`, `Asia Paci...`.
_TRUNCATED = re.compile(r"[\w-](?:\.\.\.|…)$")

_TAG = re.compile(r"<[^>]*>")
# Cells that say nothing either way.
_NEUTRAL = frozenset({"", "-", "—", "–", "N/A"})

# -- transcripts --------------------------------------------------------------------------

_PROMPT = re.compile(
    r"^\s*(?:"
    r"\[[\w.-]+@[\w.-]+[^\]]*\][$#]"  # [ec2-user@ip-172-31-44-172 ~]$
    r"|[\w.-]+@[\w.-]+:[^\s$#]*[$#]"  # ubuntu@host:~$
    r"|PS [A-Za-z]:\\[^>]*>"  # PS C:\>
    r"|[A-Za-z]:\\[^>]*>"  # C:\>
    r"|\$"  # $ ls
    r")(?: |$)"
)
_JSON_KEY = re.compile(r'"([A-Za-z][\w]*)"\s*:')
# Keys of documents a note quotes on purpose (policies, templates), never CLI output.
_DOCUMENT_KEYS = frozenset({"Statement", "AWSTemplateFormatVersion", "Resources"})

# -- placeholders -------------------------------------------------------------------------

# The two forms render/markdown.py emits for an image that is not in the export.
_PLACEHOLDER = re.compile(
    r"\*\(image not available: (`+) ?.*? ?\1\)\*"
    r"|<em>\(image not available: <code>[^<]*</code>\)</em>"
)
_HTML_FILLER = re.compile(r"<[^>]*>|&nbsp;|&#8203;|\s")

# A console panel title left above its table: `Alarms (2)`, `Network interfaces (3) Info`.
_PANEL_TITLE = re.compile(r"^[^\s|].{0,60}?(?: \(\d+\)(?: Info)?| Info| <small>Info</small>)$")

_FOLD_LINE = re.compile(r'^\?\?\?\+? \w+ "')
# What any foldable block contains: a table row, a code fence, a placeholder. Indented code
# is never folded (only kept with a fold above it), so an indent alone (a nested list) is no
# reason to parse a body.
_MAYBE = re.compile(r"\||```|~~~|image not available")


def fold_console(markdown: str) -> str:
    """``markdown`` with runs of console material and missing-screenshot placeholders folded.

    Only top-level blocks are considered. A run is consecutive blocks of one kind with only
    blank lines between them; it is wrapped in a collapsed details block and indented, every
    other line is returned unchanged. Folding an already folded body changes nothing.
    """
    if not markdown.strip() or not _MAYBE.search(markdown):
        return markdown  # no table, code or placeholder: nothing to fold, nothing to parse
    lines = markdown.split("\n")
    blocks = _classified_blocks(lines)
    if not any(kind for _, _, kind in blocks):
        return markdown
    runs = _runs(blocks, lines)
    out: list[str] = []
    pos = 0
    for start, end, kind in runs:
        out.extend(lines[pos:start])
        if out and out[-1].strip():
            out.append("")
        out.append(f'??? note "{kind}"')
        out.append("")
        out.extend(f"    {ln}" if ln.strip() else "" for ln in lines[start:end])
        pos = end
        if pos < len(lines) and lines[pos].strip():
            out.append("")
    out.extend(lines[pos:])
    return "\n".join(out)


def _classified_blocks(lines: list[str]) -> list[tuple[int, int, str]]:
    """Top-level blocks as ``(start, end, kind)``; kind is a fold title or ``""``.

    A paragraph whose first or last lines are placeholders alone is split there, so that a
    caption line above a missing screenshot stays visible.
    """
    tokens = block_parser().parse("\n".join(lines))
    out: list[tuple[int, int, str]] = []
    i = 0
    after_fold = False
    while i < len(tokens):
        tok = tokens[i]
        first, i = i, _closing(tokens, i) + 1
        if tok.level != 0 or not tok.map:
            continue
        a, b = tok.map
        if after_fold and tok.type == "code_block":
            # The indented body of an existing fold (it parses as indented code).
            out.append((a, b, ""))
            after_fold = False
            continue
        after_fold = tok.type == "paragraph_open" and bool(_FOLD_LINE.match(lines[a]))
        if tok.type == "paragraph_open":
            out.extend(_paragraph_pieces(lines, a, b))
        elif tok.type == "table_open":
            console = _console_table(tokens[first:i])
            prev = out[-1] if out else None
            if console and prev and prev[1] - prev[0] == 1 and _PANEL_TITLE.match(lines[prev[0]]):
                # The panel's title goes with its table.
                out[-1] = (prev[0], prev[1], CONSOLE_TITLE)
            out.append((a, b, CONSOLE_TITLE if console else ""))
        elif tok.type == "fence":
            out.append((a, b, CONSOLE_TITLE if _console_fence(tok.content) else ""))
        elif tok.type == "html_block":
            out.append((a, b, SCREENSHOT_TITLE if _placeholder_only(tok.content) else ""))
        else:
            out.append((a, b, ""))
    return out


def _closing(tokens: Sequence[Token], i: int) -> int:
    """Index of the token closing the block opened at ``i`` (``i`` itself for a leaf)."""
    if tokens[i].nesting != 1:
        return i
    depth = 0
    for j in range(i, len(tokens)):
        depth += tokens[j].nesting
        if depth == 0:
            return j
    return len(tokens) - 1


def _runs(blocks: list[tuple[int, int, str]], lines: list[str]) -> list[tuple[int, int, str]]:
    """Maximal runs of same-kind folded blocks with only blank lines between them."""
    runs: list[tuple[int, int, str]] = []
    for a, b, kind in blocks:
        if not kind:
            continue
        if runs and runs[-1][2] == kind and not any(ln.strip() for ln in lines[runs[-1][1] : a]):
            runs[-1] = (runs[-1][0], b, kind)
        else:
            runs.append((a, b, kind))
    return runs


# -- paragraphs: placeholders ---------------------------------------------------------------


def _placeholder_only(text: str) -> bool:
    """Is ``text`` one or more image placeholders and nothing else (tags and spaces aside)?"""
    rest, found = _PLACEHOLDER.subn("", text)
    return bool(found) and not _HTML_FILLER.sub("", rest)


def _paragraph_pieces(lines: list[str], a: int, b: int) -> list[tuple[int, int, str]]:
    """A paragraph as blocks: leading and trailing placeholder-only lines split off."""
    lo, hi = a, b
    while lo < hi and _placeholder_only(lines[lo]):
        lo += 1
    if lo == hi:
        return [(a, b, SCREENSHOT_TITLE)]
    while hi > lo and _placeholder_only(lines[hi - 1]):
        hi -= 1
    pieces = [(a, lo, SCREENSHOT_TITLE)] if lo > a else []
    pieces.append((lo, hi, ""))
    if hi < b:
        pieces.append((hi, b, SCREENSHOT_TITLE))
    return pieces


# -- tables -------------------------------------------------------------------------------


def _console_table(tokens: Sequence[Token]) -> bool:
    """Are the table's filled cells mostly console text, with at least one unmistakable?

    The share is taken over all cells and over the body alone (whichever is higher): a
    console table's header is column labels, but a pasted tab table's header is often data.
    """
    cells: list[tuple[bool, int]] = []
    in_body = False
    for tok in tokens:
        if tok.type == "tbody_open":
            in_body = True
        elif tok.type == "inline":
            score = _cell_evidence(tok.content)
            if score is not None:
                cells.append((in_body, score))
    if not any(score > 1 for _, score in cells):
        return False
    body = [score for in_body, score in cells if in_body]
    return any(
        scores and sum(1 for s in scores if s) >= _TABLE_SHARE * len(scores)
        for scores in ([score for _, score in cells], body)
    )


def _cell_evidence(raw: str) -> int | None:
    """2 for unmistakable console text, 1 for console-like, 0 for none, ``None`` if empty."""
    text = _TAG.sub(" ", raw)
    bare = text.strip().strip(_GLYPHS).strip()
    if text.strip().startswith(tuple(_CHECKBOX)):
        return 2
    if bare in _NEUTRAL:
        return None
    if (
        _RESOURCE_ID.search(text)
        or _ARN.search(text)
        or _UUID.search(text)
        or _BUTTON.search(bare)
        or bare.casefold() in _STATUS
    ):
        return 2
    if (
        _IPV4.search(text)
        or _TIMESTAMP.search(text)
        or _HOSTNAME.search(text)
        or _ZONE.match(bare)
        or _DEVICE.match(bare)
        or _TRUNCATED.search(bare)
        or _DOMAIN.search(text)
        or _SLUG.search(text)
        or _TOKEN.match(bare)
    ):
        return 1
    return 0


# -- fences -------------------------------------------------------------------------------


def _console_fence(content: str) -> bool:
    """A pasted terminal transcript (a prompt line and output) or CLI JSON output."""
    lines = [ln for ln in content.split("\n") if ln.strip()]
    if not lines:
        return False
    prompts = sum(1 for ln in lines if _PROMPT.match(ln))
    if prompts and prompts < len(lines):
        return True
    return _cli_json(content)


def _cli_json(content: str) -> bool:
    """JSON that a command printed: resource ids or timestamps, not a policy or template."""
    text = content.strip()
    if text[:1] not in "{[":
        return False
    if _DOCUMENT_KEYS & set(_JSON_KEY.findall(text)):
        return False
    try:
        values = list(_json_strings(json.loads(text)))
    except ValueError:
        values = re.findall(r'"((?:[^"\\]|\\.)*)"', text)
    hits = sum(1 for v in values if _cell_evidence(v))
    return hits >= 2


def _json_strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _json_strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _json_strings(v)]
    return []
