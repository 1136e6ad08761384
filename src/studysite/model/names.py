"""How notes and the catalog write names: the vendor prefix, and notes' short names."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import PurePosixPath

# "Amazon EFS", "AWS Lambda": the prefix is dropped when matching titles and in the nav.
VENDOR_PREFIX = re.compile(r"^(?:Amazon|AWS)\s+(?=\S)")


def strip_vendor(text: str) -> str:
    """``text`` without a leading ``Amazon``/``AWS`` (a prefix alone is kept)."""
    return VENDOR_PREFIX.sub("", text)


def _short(file: str) -> str:
    """A note's short name: its leading number ("000" of ``000_ce43….txt``), else its name.

    File names that are hashes, or ``README.md`` in a folder, say nothing to a reader: the
    folder or the number stands for them ("" for a bare hash).
    """
    path = PurePosixPath(file)
    stem = path.stem
    m = re.match(r"(\d+)(?:[_\-\s.]|$)", stem)
    if m:
        return m.group(1)
    if stem.lower() in ("readme", "index") and path.parent.name:
        stem = path.parent.name
    if re.fullmatch(r"[0-9a-fA-F]{8,}", stem):
        return ""
    stem = re.sub(r"[_\s]+", " ", stem).strip()
    return stem if len(stem) <= 28 else stem[:27].rstrip() + "…"


def short_names(files: list[str]) -> dict[str, str]:
    """Short, unique names for notes, as readers say them: ``001``, ``StepFunctions``.

    Two notes of one name in different folders are told apart by their folders
    (``a/notes``, ``b/notes``); a name that says nothing becomes ``note N``.
    """
    names = {f: _short(f) for f in files}
    twice = {s for s, n in Counter(names.values()).items() if n > 1}
    out: dict[str, str] = {}
    used: set[str] = set()
    for i, f in enumerate(files, start=1):
        short = names[f] or f"note {i}"
        if short in twice:
            short = str(PurePosixPath(f).with_suffix(""))
        if short in used:
            short = f"{short} ({i})"
        used.add(short)
        out[f] = short
    return out
