""" "No line lost", meaning what it says: every non-blank line, with its own text, once.

``studysite.model.unaccounted_lines`` checks a reader's tree (the build reports what it finds);
:func:`misplaced` checks the same on what routing made of it, the parts of every page: each
placed line carries the source line's words, each noise record has a reason from
:data:`studysite.model.NOISE_REASONS` (or the ``why`` of an override rule, passed as
``extra_reasons``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from studysite.model import NOISE_REASONS, Noise
from studysite.routing.route import Part


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


def misplaced(
    lines: list[str],
    parts: Iterable[Part],
    noise: Iterable[Noise],
    extra_reasons: Iterable[str] = (),
) -> list[str]:
    """Problems, one per line: lost, placed twice, wrong text, or noise without a known reason."""
    reasons = NOISE_REASONS | set(extra_reasons)
    seen: Counter[int] = Counter()
    problems: list[str] = []
    for part in parts:
        if part.title_line:
            seen[part.title_line] += 1
        for ln in part.lines:
            if not ln.no or not ln.text.strip():
                continue
            # A reader may change the markup (a Notion "▼" becomes bold, a quote's "> " or
            # an indent goes), never the words.
            if _words(ln.text) != _words(lines[ln.no - 1]):
                problems.append(f"line {ln.no}: placed as {ln.text!r}, is {lines[ln.no - 1]!r}")
        seen.update({ln.no for ln in part.lines if ln.no and ln.text.strip()})
    for n in noise:
        seen[n.no] += 1
        if _words(n.text) != _words(lines[n.no - 1]):
            problems.append(f"line {n.no}: noise text {n.text!r}, is {lines[n.no - 1]!r}")
        if not n.reason.strip() or n.reason not in reasons:
            problems.append(f"line {n.no}: noise reason {n.reason!r} is not a known one")
    for no, line in enumerate(lines, 1):
        if line.strip() and seen[no] != 1:
            problems.append(f"line {no}: on {seen[no]} pages or noise records, not 1")
    return problems
