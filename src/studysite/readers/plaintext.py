"""Reader for plain-text notes: no heading syntax, titles are recognised by shape and name.

This is also the fallback for any text note no other reader claims, and it holds the
machinery every text-like reader shares (body clean-up, section assembly), which the Notion
reader reuses. A line becomes a title only when it is clearly one:

* ``AWS – Category`` lines open a level-1 section;
* a standalone short line that names a catalog entry (``known_title``) opens a level-2 one;
* a short standalone ``Label:`` line that is not a sentence lead-in, or an ALL-CAPS slide
  caption, opens a level-3 one (level 2 when it names a catalog entry).

Slides exported as text repeat their title on every card; a title that repeats the current
section's title a few lines later is recorded as noise and that section simply goes on.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Iterable
from dataclasses import dataclass

from studysite.errors import NoteError
from studysite.model import Diagnostic, KnownTitle, Line, Noise, NoteTree, Section
from studysite.readers.common import fence_lines_fast, generic_noise, is_blank, title_variants

FORMAT = "plaintext"


_CATEGORY = re.compile(r"^AWS\s+[–—]\s+(\S.*?)\s*$")
# A hyphen instead of the dash is accepted only on a short standalone line (see _category).
_CATEGORY_HYPHEN = re.compile(r"^AWS\s+-\s+(\S.*?)\s*$")
_ATX = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)")
LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")
_TOP_ITEM = re.compile(r"^(?:[-*+]|\d{1,9}[.)])( +)\S")
_FLAT_CHILD = re.compile(r"^ (?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")
_ALL_CAPS = re.compile(r"^[A-Z0-9][A-Z0-9 :&/-]{3,}$")
_SENTENCE_END = (".", "!", "?", ",", ";")
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
# Words that make a `...:` line read as the start of a sentence rather than a label: verbs
# and pronouns anywhere ("AWS SAM has two components:", "Amazon says:"), function words
# only at the start ("For ACID compliance:", while "Lifecycle configurations for S3:" is one).
# fmt: off
_LEAD_IN_ANYWHERE = frozenset({
    "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "can", "could",
    "will", "would", "should", "shall", "must", "may", "might", "do", "does", "did", "says",
    "said", "say", "there", "include", "includes", "including", "contains", "consists",
    "provides", "offers", "allows", "we", "you", "they", "it", "i",
})
_LEAD_IN_FIRST = frozenset({
    "for", "to", "in", "on", "at", "with", "when", "where", "if", "as", "because", "so",
    "then", "also", "each", "every", "some", "all", "any", "here", "below", "following",
    "these", "this", "those", "that", "which", "note", "e", "g", "eg",
})
# fmt: on
# Lines this far apart are not "shortly after": the same title later opens a new section.
REPEAT_WINDOW = 30
TITLE_MAX = 70
LABEL_MAX_WORDS = 6


def names_entry(text: str, known_title: KnownTitle) -> bool:
    """Whether some form of the line (see :func:`title_variants`) names a catalog entry."""
    return any(known_title(v) for v in title_variants(text))


def title_key(text: str) -> str:
    """Comparison key for repeated titles: case, punctuation and a trailing ``:`` ignored."""
    return " ".join(_WORD.findall(text.strip().rstrip(":").casefold()))


def clean_title(text: str) -> str:
    """A title as shown: no surrounding whitespace, no trailing ``:``."""
    return text.strip().rstrip(":").rstrip()


def code_fences(file: str, lines: list[str]) -> set[int]:
    """Lines inside code fences; a tokenizer failure on absurd input names the note."""
    try:
        return fence_lines_fast(lines)
    except (RecursionError, RuntimeError, ValueError) as exc:  # pragma: no cover - defensive
        raise NoteError(
            file, 1, f"the Markdown tokenizer failed ({exc}); simplify the note"
        ) from exc


def has_atx_headings(lines: list[str]) -> bool:
    """Whether a Markdown ATX heading occurs outside code fences."""
    cand = [i for i, ln in enumerate(lines, start=1) if _ATX.match(ln)]
    if not cand:
        return False
    fences = fence_lines_fast(lines)
    return any(i not in fences for i in cand)


def detect(lines: list[str]) -> int:
    """5 for plain text with ``AWS – Category`` lines and no Markdown headings, else 0.

    Any other plain text still ends up here: the registry falls back to this reader.
    """
    if sum(1 for ln in lines if _CATEGORY.match(ln)) < 2:
        return 0
    return 0 if has_atx_headings(lines) else 5


@dataclass(frozen=True)
class Mark:
    """A source line that opens a section."""

    no: int
    title: str
    level: int
    kind: str = "heading"
    flat: bool = True


class BodyCleaner:
    """Turns exported-text quirks of body lines into CommonMark, never dropping a word.

    Notion and plain-text exports flatten every nested bullet to one leading space; one
    space is not enough to nest in CommonMark, so such a line is indented to the content
    column of the last top-level list item (2 for ``- ``, 3 for ``1. ``).
    """

    def __init__(self) -> None:
        self.child_indent = 2

    def reset(self) -> None:
        """Forget the list context (a new section starts)."""
        self.child_indent = 2

    def __call__(self, text: str) -> str:
        if is_blank(text):
            return ""
        if "\t" in text.rstrip():
            # Tab-separated console tables are turned into tables by the renderer, as is.
            return text
        top = _TOP_ITEM.match(text)
        if top:
            spaces = len(top.group(1))
            marker = top.start(1)
            # CommonMark: 5+ spaces after the marker mean code inside the item, content at +1.
            self.child_indent = marker + (spaces if spaces <= 4 else 1)
            return text
        if _FLAT_CHILD.match(text):
            return " " * self.child_indent + text[1:]
        if not text[:1].isspace():
            self.child_indent = 2
        return text


def assemble(
    file: str,
    fmt: str,
    lines: list[str],
    marks: dict[int, Mark],
    noise: dict[int, Noise],
    fences: set[int],
    *,
    merge_repeats: bool = False,
    title_shaped: Container[int] = (),
    rewrite: Callable[[str], str] | None = None,
) -> NoteTree:
    """Build the section tree from the lines that open sections and the noise lines.

    Every other line goes, cleaned, to the body of the innermost open section (the root
    before the first title); noise lines leave a blank body line so paragraphs stay apart.
    With ``merge_repeats``, a mark (or a ``title_shaped`` line: a standalone short line that
    is no title by itself, e.g. ``Block vs. Object vs. File Storage`` after ``Block vs Object
    vs File Storage``) repeating the innermost section's title within :data:`REPEAT_WINDOW`
    lines of its last occurrence is noise, and that section goes on.
    """
    root = Section(title="", title_line=None, level=0, kind="root")
    stack: list[Section] = [root]
    last_seen: dict[str, int] = {}
    noise = dict(noise)
    clean = BodyCleaner()
    for no, raw in enumerate(lines, start=1):
        mark = marks.get(no)
        if merge_repeats and (mark is not None or no in title_shaped):
            key = title_key(mark.title if mark else raw)
            prev = last_seen.get(key)
            # Only the innermost section can go on: text after a repeat of an outer title
            # would otherwise land above that section's subsections, out of order.
            repeated = (
                bool(key)
                and prev is not None
                and no - prev <= REPEAT_WINDOW
                and len(stack) > 1
                and title_key(stack[-1].title) == key
            )
            if repeated:
                noise[no] = Noise(no, raw, "repeated slide title")
                mark = None
            if repeated or mark is not None:
                last_seen[key] = no
        if mark is not None:
            sec = Section(mark.title, no, mark.level, kind=mark.kind, flat=mark.flat)
            while len(stack) > 1 and stack[-1].level >= mark.level:
                stack.pop()
            stack[-1].children.append(sec)
            stack.append(sec)
            clean.reset()
            continue
        if no in noise or is_blank(raw):
            text = ""
        elif no in fences:
            text = raw
        else:
            text = clean(rewrite(raw) if rewrite else raw)
        stack[-1].body.append(Line(no, text))
    return NoteTree(file=file, fmt=fmt, root=root, noise=[noise[k] for k in sorted(noise)])


def generic_noise_lines(
    lines: list[str], fences: set[int], skip: Iterable[int] = ()
) -> dict[int, Noise]:
    """Noise records for the lines that are noise in any note (outside code fences)."""
    skipped = set(skip)
    out: dict[int, Noise] = {}
    for no, raw in enumerate(lines, start=1):
        if no in fences or no in skipped or is_blank(raw) or "\t" in raw.strip():
            continue
        reason = generic_noise(raw)
        if reason:
            out[no] = Noise(no, raw, reason)
    return out


def standalone(lines: list[str], idx: int, quiet: Container[int] = frozenset()) -> bool:
    """Whether the 0-based line ``idx`` has a blank line (or a ``quiet`` line, or the file's
    edge) right before and right after it."""
    before = idx == 0 or is_blank(lines[idx - 1]) or idx in quiet
    after = idx == len(lines) - 1 or is_blank(lines[idx + 1]) or idx + 2 in quiet
    return before and after


def may_be_title(text: str) -> bool:
    """Shape checks shared by every title rule: one plain line, not list, table or quote."""
    return not (
        text[:1].isspace()
        or "\t" in text
        or LIST_ITEM.match(text)
        or text.startswith(("|", ">", "#", "▼", "```", "~~~", "<", "!["))
    )


def is_label(text: str) -> bool:
    """A short ``Label:`` line that does not read as the lead-in of a sentence."""
    if not text.endswith(":") or text.endswith("::"):
        return False
    words = _WORD.findall(text[:-1])
    if not words or len(words) > LABEL_MAX_WORDS or not (text[0].isupper() or text[0].isdigit()):
        return False
    if ". " in text:
        return False
    if words[0].casefold() in _LEAD_IN_FIRST:
        return False
    return not any(w.casefold() in _LEAD_IN_ANYWHERE for w in words)


def _category(lines: list[str], idx: int, text: str) -> str | None:
    m = _CATEGORY.match(text)
    if m is None:
        m = _CATEGORY_HYPHEN.match(text)
        if m is None or not standalone(lines, idx) or len(m.group(1).split()) > 5:
            return None
    name = m.group(1)
    if len(text) > TITLE_MAX or name.endswith(_SENTENCE_END):
        return None
    return clean_title(name) or None


def classify(
    lines: list[str], fences: set[int], noise: dict[int, Noise], known_title: KnownTitle
) -> tuple[dict[int, Mark], set[int]]:
    """The lines of a plain-text note that open sections, by 1-based line number, and the
    standalone title-shaped lines that do not (they may repeat a title in another form)."""
    marks: dict[int, Mark] = {}
    shaped: set[int] = set()
    quiet = set(noise)
    for idx, raw in enumerate(lines):
        no = idx + 1
        if no in fences or no in noise or is_blank(raw):
            continue
        text = raw.rstrip()
        if not may_be_title(text):
            continue
        category = _category(lines, idx, text)
        if category:
            marks[no] = Mark(no, category, 1, flat=False)
            continue
        if len(text) > TITLE_MAX or text.endswith(_SENTENCE_END):
            continue
        title = clean_title(text)
        if not title:
            continue
        alone = standalone(lines, idx, quiet)
        if is_label(text) and _label_placed(lines, idx, quiet):
            # A label that names a catalog entry opens a new service, not a sub-heading.
            marks[no] = Mark(no, title, 2 if names_entry(text, known_title) else 3)
        elif alone and names_entry(text, known_title):
            marks[no] = Mark(no, title, 2)
        elif alone and _ALL_CAPS.match(text) and sum(c.isalpha() for c in text) >= 3:
            marks[no] = Mark(no, title, 3)
        elif alone:
            shaped.add(no)
    return marks, shaped


def _label_placed(lines: list[str], idx: int, quiet: Container[int]) -> bool:
    """A label stands after a blank line and before a blank line or a list."""
    if not (idx == 0 or is_blank(lines[idx - 1]) or idx in quiet):
        return False
    if idx == len(lines) - 1:
        return True
    nxt = lines[idx + 1]
    return is_blank(nxt) or idx + 2 in quiet or bool(LIST_ITEM.match(nxt))


def read(file: str, lines: list[str], known_title: KnownTitle) -> tuple[NoteTree, list[Diagnostic]]:
    """Read a plain-text note into a section tree."""
    fences = code_fences(file, lines)
    noise = generic_noise_lines(lines, fences)
    marks, shaped = classify(lines, fences, noise, known_title)
    tree = assemble(
        file, FORMAT, lines, marks, noise, fences, merge_repeats=True, title_shaped=shaped
    )
    return tree, []
