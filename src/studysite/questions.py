"""The grammar of practice questions: which line opens a question, is a choice, gives the
answer; and a question block cut into those pieces.

Readers find the blocks (:mod:`studysite.readers.questions`), routing reads what a question
names, render shows it: all three read lines the same way through this module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # typing only: this grammar sits beside the model, not above it
    from studysite.model import Line

# "1. What …", "12) Which …", "Q1. …", "Q 3: …", "Question 3: …", "**Question 3:** …".
START = re.compile(
    r"^(?P<indent> {0,3})(?:\*\*)?"
    r"(?:Q(?:uestion)?\s*#?\s*\d+\s*(?:\*\*)?\s*[.:)\-]?(?:\*\*)?|\d{1,4}[.)])"
    r"\s+(?P<stem>\S.*)$",
    re.IGNORECASE,
)
# "- A. text", "A) text", "(a) text", "a. text", "* B) text".
CHOICE = re.compile(
    r"^\s*(?:[-*+]\s+)?(?:\((?P<p>[A-Fa-f])\)|(?P<l>[A-Fa-f])[.)])\s+(?P<text>\S.*)$"
)
ANSWER = re.compile(
    r"^\s*(?:[-*+]\s+)?(?:\*\*|__)?(?:correct\s+)?answers?(?:\*\*|__)?\s*[:：]\s*(?:\*\*|__)?"
    r"\s*(?P<letters>[A-F]{2,6}|\(?[A-Fa-f]\)?(?:\s*(?:,|&|/|\band\b)\s*\(?[A-Fa-f]\)?)*)\b"
    r"(?P<rest>.*)$",
    re.IGNORECASE,
)
EXPLANATION = re.compile(r"^\s*(?:\*\*|__)?explanation(?:\*\*|__)?\s*[:：]", re.IGNORECASE)
_LETTER = re.compile(r"[A-Fa-f]")
# Cheap test before any tokenizing: most notes have no answer line at all.
ANY_ANSWER = re.compile(r"^\s*(?:[-*+]\s+)?(?:\*\*|__)?(?:correct\s+)?answers?\b", re.I | re.M)
_TITLE_WORDS = 8
_MARKUP = re.compile(r"<[^>]+>|[*_`]|\[|\]\([^)]*\)")


def choice_letter(text: str) -> str | None:
    """The upper-case letter of a choice line, or ``None``."""
    m = CHOICE.match(text)
    return (m.group("p") or m.group("l")).upper() if m else None


def answer_letters(text: str) -> tuple[str, ...] | None:
    """The letters an answer line gives (``Correct answer: B, E`` -> ``("B", "E")``)."""
    m = ANSWER.match(text)
    if not m:
        return None
    return tuple(dict.fromkeys(c.upper() for c in _LETTER.findall(m.group("letters"))))


def question_title(first_line: str) -> str:
    """``Question: <first words>`` for a question line (numbering and markup dropped)."""
    m = START.match(first_line)
    stem = m.group("stem") if m else first_line.strip()
    words = _MARKUP.sub("", stem).split()
    title = " ".join(words[:_TITLE_WORDS])
    if len(words) > _TITLE_WORDS:
        title = title.rstrip(",.;:?") + " …"
    return f"Question: {title}"


@dataclass(frozen=True)
class Pieces:
    """A question block cut into what it says: lines of the question, of each choice (by
    letter), the answer letters, any words after them on the answer line, and the lines
    after the answer (the explanation)."""

    stem: list[Line]
    choices: dict[str, list[Line]]
    answer: tuple[str, ...]
    answer_note: str
    after: list[Line]


_DETAILS = re.compile(r"^\s*</?details\b[^>]*>(?:\s*<summary\b[^>]*>.*?</summary>)?\s*$", re.I)


def pieces(block: list[Line]) -> Pieces:
    """Cut a question block (as :func:`studysite.readers.questions.split_questions` made it)
    into its pieces. ``<details>``/``<summary>`` wrapper lines are dropped: the page shows
    its own."""
    stem: list[Line] = []
    choices: dict[str, list[Line]] = {}
    answer: tuple[str, ...] = ()
    note = ""
    after: list[Line] = []
    current: list[Line] = stem
    done = False
    for i, ln in enumerate(block):
        if _DETAILS.match(ln.text):
            continue
        if not done:
            letter = choice_letter(ln.text) if i else None
            m = ANSWER.match(ln.text) if letter is None and choices else None
            if m is not None:
                answer = tuple(dict.fromkeys(c.upper() for c in _LETTER.findall(m["letters"])))
                note = m["rest"].strip(" .:-–—")
                done, current = True, after
                continue
            if letter is not None and letter not in choices:
                current = choices.setdefault(letter, [])
        current.append(ln)
    return Pieces(stem, choices, answer, note, after)
