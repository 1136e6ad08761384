"""The one grammar of the markers a hand-written page may carry, and where they stand.

``<!-- studysite:NAME -->`` (category cards, the notes table) and ``<!-- compare: ID -->`` (a
comparison table quoting the notes) are replaced with text made from the notes. Expanding
them (:mod:`studysite.site`), checking comparison ids (:mod:`studysite.tables.spec`), warning
about markers that name nothing, and deciding which hand-written pages the sanitize hook
cleans all use this module, so what is expanded and what is sanitized cannot drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from studysite.model import Diagnostic

KINDS = ("studysite", "compare")
ID = r"[\w.-]+"  # a NAME or comparison ID: letters, digits, '_', '.', '-'

# Whatever follows, a comment opening like this is a marker: a page with one is sanitized
# even when the rest is malformed, so the decision never rests on the id's characters.
_OPEN = rf"<!--\s*(?P<kind>{'|'.join(KINDS)})\s*:"
_START = re.compile(_OPEN)
MARKER = re.compile(rf"{_OPEN}\s*(?P<arg>{ID})\s*-->")
# A malformed marker as shown in a warning: up to its end, or its line's end if unterminated.
_REST = re.compile(r"(?:(?!-->)[^\n])*(?:-->)?")
_WHOLE_ID = re.compile(rf"{ID}\Z")


@dataclass(frozen=True)
class Marker:
    """One marker as written; ``arg`` is empty when it does not follow the grammar."""

    kind: str
    arg: str
    text: str
    line: int


def valid_id(value: str) -> bool:
    """Whether ``value`` can be written as the NAME or ID of a marker."""
    return bool(_WHOLE_ID.match(value))


def embeds_notes(text: str) -> bool:
    """Whether a hand-written page carries a marker (so it may get text from the notes)."""
    return _START.search(text) is not None


def find(text: str) -> list[Marker]:
    """Every marker in ``text``, in order, with its 1-based line."""
    out = []
    for m in _START.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        ok = MARKER.match(text, m.start())  # the very match expand() replaces
        if ok:
            out.append(Marker(m.group("kind"), ok.group("arg"), ok.group(0), line))
        else:
            rest = _REST.match(text, m.end())
            end = rest.end() if rest else m.end()
            out.append(Marker(m.group("kind"), "", text[m.start() : end], line))
    return out


def expand(text: str, replace: Callable[[str, str], str | None]) -> str:
    """``text`` with each well-formed marker replaced by ``replace(kind, arg)``.

    ``None`` leaves the marker as it is (``check`` warns about it).
    """

    def sub(m: re.Match[str]) -> str:
        new = replace(m.group("kind"), m.group("arg"))
        return m.group(0) if new is None else new

    return MARKER.sub(sub, text)


def check(docs_dir: Path, names: set[str], ids: set[str], catalog_file: str) -> list[Diagnostic]:
    """A warning for each marker in ``docs_dir`` that is malformed or names nothing.

    ``names`` are the known ``studysite:NAME`` markers, ``ids`` the declared comparisons
    (``catalog_file`` names where they are declared).
    """
    diags: list[Diagnostic] = []
    if not docs_dir.is_dir():
        return diags
    for path in sorted(docs_dir.rglob("*.md")):
        where = f"{docs_dir.name}/{path.relative_to(docs_dir).as_posix()}"
        text = path.read_text(encoding="utf-8", errors="replace")
        for mk in find(text):
            if not mk.arg:
                arg = "ID" if mk.kind == "compare" else "NAME"
                why = f"write <!-- {mk.kind}: {arg} -->, {arg} of letters, digits, '.', '-', '_'"
            elif mk.kind == "compare" and mk.arg not in ids:
                why = f"no comparison '{mk.arg}' in {catalog_file}"
            elif mk.kind == "studysite" and mk.arg not in names:
                why = f"no such marker (known: {', '.join(sorted(names))})"
            else:
                continue
            diags.append(Diagnostic(where, mk.line, f"marker '{mk.text}' left unexpanded: {why}"))
    return diags
