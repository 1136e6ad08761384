"""Readers: one per note format, each chosen from the note's content, never its file name.

Every reader module exposes ``FORMAT`` (its name), ``detect(lines) -> int`` (0 when the
content does not look like its format, higher when it is more certain) and
``read(file, lines, known_title) -> (NoteTree, diagnostics)``. ``lines`` are the note's
lines already decoded, NFC-normalised and without line endings (see
:mod:`studysite.readers.source`). ``known_title(text)`` tells whether a whole line names an
entry of the catalog (a service, feature or topic): plain-text formats have no heading
syntax, so only such lines may become titles.
"""

from __future__ import annotations

from types import ModuleType

from studysite.model import Diagnostic, KnownTitle, NoteTree
from studysite.readers import course, markdown, notion, plaintext, questions, tags, toc_markdown

# Order breaks ties: the specific formats first, the generic ones last.
READERS: tuple[ModuleType, ...] = (notion, toc_markdown, course, plaintext, markdown)


def sniff(lines: list[str]) -> ModuleType:
    """The reader whose ``detect`` is most certain about these lines."""
    best, best_score = None, 0
    for reader in READERS:
        score = reader.detect(lines)
        if score > best_score:
            best, best_score = reader, score
    if best is not None:
        return best
    # No format claims the note: Markdown if it has any heading, else plain text.
    return markdown if markdown.has_headings(lines) else plaintext


def no_known_titles(text: str) -> bool:
    """A ``known_title`` for when no catalog is at hand."""
    return False


def read_note(
    file: str, lines: list[str], known_title: KnownTitle = no_known_titles
) -> tuple[NoteTree, list[Diagnostic]]:
    """Read one note with the reader its content calls for; #tags collected (a line of
    only tags is noise), practice questions split out."""
    tree, diags = sniff(lines).read(file, lines, known_title)
    tags.extract_tags(tree, lines)
    questions.split_questions(tree, lines)
    return tree, diags
