"""Practice questions: a question, its choices, the answer and the explanation, as one block.

Recognised in any note after its reader has built the section tree (:func:`split_questions`
is called by :func:`studysite.readers.read_note`), so every format gets them and every line
still lands exactly once. Forms recognised:

- a numbered list item (``1.``, ``2)``) or a ``Q1.`` / ``Question 3:`` line opens a question;
- choices ``- A. …`` (nested or not), ``A)``, ``(a)``, ``a.``: at least two, consecutive,
  from ``A`` (or ``B`` when the ``A.`` choice ran into the question line);
- the answer ``Answer: C`` / ``Correct answer: B, D`` / ``Correct Answer: BD`` (also inside
  ``<details>``);
- an optional ``Explanation:`` paragraph after it.

A block needs a question line, two choices and an answer before the next question, title or
end of note; a numbered list of steps has no choices or answer, so it stays text. Fenced code
comes from the markdown-it tokens, never from a line scan.
"""

from __future__ import annotations

from dataclasses import dataclass

from studysite.markdown_tokens import block_tokens, fence_lines
from studysite.model import Line, NoteTree, Section
from studysite.questions import (
    ANY_ANSWER,
    EXPLANATION,
    START,
    answer_letters,
    choice_letter,
    question_title,
)


@dataclass(frozen=True)
class Block:
    """Where one question block stands: 1-based first and last line, and its answer."""

    first: int
    last: int
    answer: tuple[str, ...]


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" \t"))


def find_blocks(lines: list[str], stops: set[int] | frozenset[int] = frozenset()) -> list[Block]:
    """Question blocks of a note, in order. ``stops`` are lines a block never crosses
    (section titles); lines in fenced code never start, hold or end a question."""
    if not ANY_ANSWER.search("\n".join(lines)):
        return []
    code = fence_lines(lines, block_tokens(lines))
    out: list[Block] = []
    n = len(lines)
    no = 1
    while no <= n:
        m = START.match(lines[no - 1]) if no not in code else None
        if m is None or choice_letter(lines[no - 1]) is not None:
            no += 1
            continue
        block = _block_from(lines, no, code, stops)
        if block is None:
            no += 1
            continue
        out.append(block)
        no = block.last + 1
    return out


def _block_from(
    lines: list[str], start: int, code: set[int], stops: set[int] | frozenset[int]
) -> Block | None:
    """The block opened by the question line ``start``, or ``None`` when it is no question."""
    n = len(lines)
    letters: list[str] = []
    answer: tuple[str, ...] | None = None
    no = start + 1
    while no <= n:
        text = lines[no - 1]
        if no in stops or (no not in code and START.match(text) and choice_letter(text) is None):
            return None
        if no not in code:
            letter = choice_letter(text)
            if letter is not None and answer is None:
                # Consecutive letters; the first may be B when "A." got lost in the stem.
                expected = chr(ord(letters[-1]) + 1) if letters else letter
                if letter != expected or (not letters and letter not in "AB"):
                    return None
                letters.append(letter)
            else:
                found = answer_letters(text)
                if found is not None and len(letters) >= 2:
                    answer = found
                    break
        no += 1
    if answer is None or not set(answer) <= set(letters):
        return None
    last = no
    base = _indent(lines[start - 1])
    # After the answer: an explanation paragraph, `</details>`, and text indented under the
    # question (a list item's continuation) still belong to it; anything else ends it.
    explaining = False
    k = no + 1
    while k <= n and k not in stops:
        text = lines[k - 1]
        if not text.strip():
            explaining = False
            k += 1
            continue
        if k not in code and START.match(text) and _indent(text) <= base:
            break
        if EXPLANATION.match(text):
            explaining = True
        elif (
            not (explaining or _indent(text) > base or text.strip().startswith("</details"))
            and last != k - 1  # a paragraph going on from the answer line itself stays
        ):
            break
        last = k
        k += 1
    return Block(start, last, answer)


def split_questions(tree: NoteTree, lines: list[str]) -> int:
    """Make each question block its own ``kind="question"`` section; how many were made.

    A question's lines must all be in one section's body (else it is left as text). The
    question's first line is its ``title_line``; its body is the whole block, the first line
    as a synthetic ``Line(0, …)`` so the line counts once. Text after a question that is no
    question goes to an untitled section, so document order is kept.
    """
    titles = {s.title_line for s in tree.root.walk() if s.title_line}
    blocks = find_blocks(lines, titles)
    if not blocks:
        return 0
    owner: dict[int, Section] = {}
    for sec in tree.root.walk():
        for ln in sec.body:
            if ln.no:
                owner[ln.no] = sec
    by_section: dict[int, tuple[Section, list[Block]]] = {}
    for b in blocks:
        secs = {id(owner.get(no)) for no in range(b.first, b.last + 1) if lines[no - 1].strip()}
        home = owner.get(b.first)
        if home is None or secs != {id(home)}:
            continue
        by_section.setdefault(id(home), (home, []))[1].append(b)
    made = 0
    for sec, sec_blocks in by_section.values():
        made += _split(sec, sec_blocks, lines)
    return made


def _split(sec: Section, blocks: list[Block], lines: list[str]) -> int:
    level = sec.level + 1
    keep: list[Line] = []
    new: list[Section] = []
    it = iter(blocks)
    current = next(it, None)
    tail: Section | None = None
    for ln in sec.body:
        while current is not None and ln.no > current.last:
            current = next(it, None)
        if current is not None and current.first <= ln.no <= current.last:
            if ln.no == current.first:
                q = Section(question_title(lines[ln.no - 1]), ln.no, level, kind="question")
                q.body.append(Line(0, ln.text))
                new.append(q)
                tail = None
            else:
                new[-1].body.append(ln)
            continue
        if not new:
            keep.append(ln)
        elif tail is None and not ln.text.strip():
            new[-1].body.append(ln)  # blank lines stay with the question before them
        else:
            if tail is None:
                tail = Section("", None, level)
                new.append(tail)
            tail.body.append(ln)
    sec.body[:] = keep
    sec.children[:0] = new
    return sum(1 for s in new if s.kind == "question")
