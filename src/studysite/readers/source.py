"""Finding note files under ``notes/`` and decoding them into lines.

Notes come from anywhere: any encoding, any line ending, sometimes not text at all. This
module decides what is a note, decodes what can be decoded (saying where bytes had to be
replaced) and skips what cannot, always with a one-line message naming the file.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from studysite.model import Diagnostic

NOTE_SUFFIXES = (".md", ".markdown", ".txt", ".text")
_NEWLINE = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class NoteFile:
    """A note on disk: ``file`` is its path relative to the notes folder, with ``/``."""

    file: str
    path: Path


def discover(notes_dir: Path) -> tuple[list[NoteFile], list[Diagnostic]]:
    """Every note file below ``notes_dir``, sorted by relative path.

    Hidden files and folders are skipped; symlinked folders are not followed (a symlink loop
    must not hang the build); symlinked files are read.
    """
    found: list[NoteFile] = []
    diags: list[Diagnostic] = []
    if not notes_dir.is_dir():
        return [], [Diagnostic(str(notes_dir), 0, "the notes folder does not exist; create it")]
    for dirpath, dirnames, filenames in os.walk(notes_dir, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith(".") or not name.lower().endswith(NOTE_SUFFIXES):
                continue
            path = Path(dirpath) / name
            rel = path.relative_to(notes_dir).as_posix()
            found.append(NoteFile(rel, path))
    found.sort(key=lambda n: n.file)
    return found, diags


def split_lines(text: str) -> list[str]:
    """Lines without their endings; ``\\r\\n``, ``\\r`` and ``\\n`` all end a line.

    A final line without a newline still counts; a final newline does not add a line.
    """
    if not text:
        return []
    parts = _NEWLINE.split(text)
    if parts and parts[-1] == "":
        parts.pop()
    return [unicodedata.normalize("NFC", p) for p in parts]


def decode(file: str, data: bytes) -> tuple[list[str] | None, list[Diagnostic]]:
    """Decode a note's bytes into lines; ``None`` when the file is not text at all."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return split_lines(data.decode("utf-16")), []
        except UnicodeDecodeError:
            return None, [Diagnostic(file, 1, "invalid UTF-16 text; re-save the note as UTF-8")]
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data[:8192] or data.startswith(b"\x89PNG"):
        return None, [
            Diagnostic(file, 1, "not a text file (binary content); move it out of notes/")
        ]
    try:
        return split_lines(data.decode("utf-8")), []
    except UnicodeDecodeError:
        pass
    lines = split_lines(data.decode("utf-8", errors="replace"))
    bad = [i for i, line in enumerate(lines, start=1) if "\ufffd" in line]
    # A note in a legacy 8-bit encoding (Latin-1, Windows-1252) decodes cleanly as cp1252.
    try:
        return split_lines(data.decode("cp1252")), [
            Diagnostic(
                file,
                bad[0] if bad else 1,
                "not UTF-8; read as Windows-1252 (Latin-1) text: re-save the note as UTF-8",
            )
        ]
    except UnicodeDecodeError:
        pass
    first = bad[0] if bad else 1
    return lines, [
        Diagnostic(
            file,
            first,
            f"invalid UTF-8 bytes replaced by \ufffd on {len(bad)} line(s); "
            "re-save the note as UTF-8",
        )
    ]


def load(note: NoteFile) -> tuple[list[str] | None, list[Diagnostic]]:
    """Read and decode one note; ``None`` (with a message) when it cannot be read."""
    try:
        data = note.path.read_bytes()
    except OSError as e:
        reason = e.strerror or type(e).__name__
        return None, [Diagnostic(note.file, 0, f"cannot read the note ({reason}); check it")]
    return decode(note.file, data)
