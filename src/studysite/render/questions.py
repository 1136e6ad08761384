"""A practice question as the page shows it: the question and its choices, then the answer
and explanation in a collapsed ``??? success "Answer"`` block.

:class:`Question` is the structured form later features (self-test cards) use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from studysite.model import Line
from studysite.questions import CHOICE, START, pieces

_EXPLANATION_LABEL = re.compile(r"^\s*(?:\*\*|__)?explanation(?:\*\*|__)?\s*[:：]\s*", re.I)


@dataclass(frozen=True)
class Question:
    """One practice question: text, choices by letter, the correct letters, explanation."""

    text: str
    choices: tuple[tuple[str, str], ...]
    answer: tuple[str, ...]
    explanation: str
    file: str
    line: int


def _join(lines: list[Line]) -> str:
    return " ".join(ln.text.strip() for ln in lines if ln.text.strip())


def _explanation_lines(lines: list[Line]) -> list[str]:
    """The explanation as Markdown lines, un-indented (a list item's indentation dropped)."""
    texts = [ln.text for ln in lines]
    while texts and not texts[0].strip():
        texts.pop(0)
    while texts and not texts[-1].strip():
        texts.pop()
    cut = min((len(t) - len(t.lstrip(" ")) for t in texts if t.strip()), default=0)
    return [t[cut:].rstrip() for t in texts]


def render_question(lines: list[Line], file: str = "", line: int = 0) -> tuple[str, Question]:
    """Markdown of one question block and the question as data.

    ``lines`` is the block as :func:`studysite.readers.questions.split_questions` made it
    (its first line may be synthetic, ``no == 0``); ``line`` is the question's line in
    ``file`` (default: the first numbered line of the block).
    """
    parts = pieces(lines)
    m = START.match(parts.stem[0].text) if parts.stem else None
    stem_lines = list(parts.stem)
    if m is not None:
        stem_lines[0] = Line(stem_lines[0].no, m.group("stem"))
    text = _join(stem_lines)
    choices: list[tuple[str, str]] = []
    for letter, chunk in parts.choices.items():
        cm = CHOICE.match(chunk[0].text)
        first = cm.group("text") if cm else chunk[0].text
        choices.append((letter, _join([Line(chunk[0].no, first), *chunk[1:]])))
    explanation = _explanation_lines(parts.after)
    if parts.answer_note:
        explanation.insert(0, parts.answer_note)
    if explanation:
        explanation[0] = _EXPLANATION_LABEL.sub("", explanation[0])
        while explanation and not explanation[0].strip():
            explanation.pop(0)
    if not line:
        line = next((ln.no for ln in lines if ln.no), 0)
    q = Question(text, tuple(choices), parts.answer, "\n".join(explanation).strip(), file, line)
    out = [text, ""]
    out += [f"- **{letter}.** {choice}" for letter, choice in choices]
    out.append("")
    named = dict(choices)
    out += ['??? success "Answer"', "", f"    **Correct answer: {', '.join(parts.answer)}**", ""]
    out += [f"    - **{k}.** {named[k]}" for k in parts.answer if k in named]
    if q.explanation:
        out += ["", "    *Explanation:*", ""]
        out += [f"    {t}" if t.strip() else "" for t in explanation]
    return "\n".join(out).rstrip() + "\n", q
