"""Finding note files under ``notes/`` and decoding them into lines.

Notes come from anywhere: any encoding, any line ending, sometimes not text at all, sometimes
not even a readable file. This module decides what is a note, decodes what can be decoded
(saying on which lines bytes had to be replaced) and skips what cannot be used, always with
a one-line message that names the file and says what to do. Nothing here raises: every
problem is a :class:`~studysite.model.Diagnostic`, so one bad file never stops the build.

Messages about a whole file (a skipped file, an empty note) name line 1, as linters do, so
that editors and terminals open the file from them.
"""

from __future__ import annotations

import codecs
import errno
import os
import re
import stat
import unicodedata
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

from studysite.model import Diagnostic

NOTE_SUFFIXES = (".md", ".markdown", ".txt", ".text")
# Far above any real note (the largest seed note is 0.3 MB), low enough that reading and
# tokenizing stay within seconds.
MAX_NOTE_BYTES = 20 * 1024 * 1024
# A line longer than this is pasted data (minified JSON, an embedded file), not prose: the
# Markdown parsers' inline passes grow faster than linearly on such a line (10 MB of JSON
# took minutes), so the note is skipped until the line is broken up. Real notes' longest
# lines are under 1,000 characters.
MAX_LINE_CHARS = 1_000_000
# Bytes looked at to tell text from binary data.
_SNIFF_BYTES = 8192
# Line numbers listed in a message before "and N more".
_MAX_LISTED = 5

_NEWLINE = re.compile(r"\r\n|\r|\n")
_NEWLINE_BYTES = re.compile(rb"\r\n|\r|\n")
# A well-formed multi-byte UTF-8 sequence: its presence says "UTF-8 with a few bad bytes"
# rather than "a legacy 8-bit encoding".
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_NON_ASCII = re.compile(rb"[\x80-\xff]")
# C0/C1 control characters that would make a file name unprintable in a one-line message.
_UNPRINTABLE_NAME = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")

# Magic numbers of files people drop into notes/ by mistake, for a message that says what it is.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive or Office document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "a program"),
)
# BOMs, longest first: the UTF-32 LE BOM starts with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (b"\x00\x00\xfe\xff", "utf-32-be", "UTF-32"),
    (b"\xff\xfe\x00\x00", "utf-32-le", "UTF-32"),
    (b"\xef\xbb\xbf", "utf-8", "UTF-8"),
    (b"\xff\xfe", "utf-16-le", "UTF-16"),
    (b"\xfe\xff", "utf-16-be", "UTF-16"),
)
# Windows-1252 leaves five bytes undefined; Latin-1 gives them a (control) character.
_CP1252_HOLES = {0xDC00 + b: chr(b) for b in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}


@dataclass(frozen=True)
class NoteFile:
    """A note on disk: ``file`` is its path relative to the notes folder, with ``/``."""

    file: str
    path: Path


def _skip(file: str, what: str) -> Diagnostic:
    return Diagnostic(file, 1, f"skipped: {what}")


def _usable_name(rel: str) -> bool:
    """Whether a note's path can be shown and written: a name that is not valid UTF-8 (kept
    by Python as surrogates) or holds a newline would break messages, pages and files."""
    try:
        rel.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return not _UNPRINTABLE_NAME.search(rel)


def _shown(rel: str) -> str:
    """A printable, one-line form of any name (for messages about unusable names)."""
    text = os.fsencode(rel).decode("utf-8", "backslashreplace")
    return _UNPRINTABLE_NAME.sub(lambda m: m.group().encode("unicode_escape").decode(), text)


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def discover(notes_dir: Path) -> tuple[list[NoteFile], list[Diagnostic]]:
    """Every note file below ``notes_dir``, sorted by relative path.

    Hidden files and folders are skipped. A symlinked folder is followed when it leads out of
    the notes folder (notes kept elsewhere); one that leads back into it is skipped with a
    message, since a loop would never end and a second way into a folder would show its notes
    twice. A symlinked note that points at another note is skipped the same way. Broken
    links and link loops named like notes are left to :func:`load`, which says what they are.
    """
    found: list[NoteFile] = []
    diags: list[Diagnostic] = []
    if not notes_dir.is_dir():
        return [], [Diagnostic(str(notes_dir), 0, "the notes folder does not exist; create it")]
    root = os.path.realpath(notes_dir)
    followed: set[str] = set()  # real paths of outside folders reached through a link

    def rel_of(path: str) -> str:
        return Path(path).relative_to(notes_dir).as_posix()

    def inside(target: str) -> str:
        rel = Path(target).relative_to(root).as_posix()
        return "the notes folder itself" if rel == "." else rel

    def unreadable_folder(e: OSError) -> None:
        # os.walk skips a folder it cannot list without a word unless told.
        where = rel_of(e.filename) if e.filename else str(notes_dir)
        if e.errno in (errno.EACCES, errno.EPERM):
            what = "cannot read the folder (permission denied); make it readable (chmod a+rx)"
        else:
            what = f"cannot read the folder ({e.strerror or type(e).__name__}); check it"
        diags.append(_skip(where, what))

    for dirpath, dirnames, filenames in os.walk(
        notes_dir, followlinks=True, onerror=unreadable_folder
    ):
        here = os.path.realpath(dirpath)
        keep: list[str] = []
        for name in sorted(dirnames):
            path = os.path.join(dirpath, name)
            if name.startswith("."):
                continue
            if not os.path.islink(path):
                keep.append(name)
                continue
            target = os.path.realpath(path)
            if _within(here, target):
                what = "a symbolic link loop (it links to a folder it is in); remove the link"
            elif _within(target, root):
                what = f"it links to {inside(target)}, which is read anyway; remove the link"
            elif target in followed:
                what = f"it links to {target}, which is read already; remove the link"
            else:
                followed.add(target)
                keep.append(name)
                continue
            diags.append(_skip(rel_of(path), what))
        dirnames[:] = keep
        for name in sorted(filenames):
            if name.startswith(".") or not name.lower().endswith(NOTE_SUFFIXES):
                continue
            path = os.path.join(dirpath, name)
            rel = rel_of(path)
            if not _usable_name(rel):
                diags.append(
                    _skip(
                        _shown(rel),
                        "the file name is not valid UTF-8 or has control characters; "
                        "rename the file",
                    )
                )
                continue
            if os.path.islink(path) and os.path.exists(path):
                target = os.path.realpath(path)
                if _within(target, root) and target.lower().endswith(NOTE_SUFFIXES):
                    what = f"it links to {inside(target)}, which is read anyway; remove the link"
                    diags.append(_skip(rel, what))
                    continue
            found.append(NoteFile(rel, Path(path)))
    found.sort(key=lambda n: n.file)
    return found, diags


def split_lines(text: str) -> list[str]:
    """Lines without their endings; ``\\r\\n``, ``\\r`` and ``\\n`` all end a line.

    A final line without a newline still counts; a final newline does not add a line.
    Other characters Python's ``str.splitlines`` breaks on (form feed, U+2028 ...) are text.
    """
    if not text:
        return []
    parts = _NEWLINE.split(text)
    if parts and parts[-1] == "":
        parts.pop()
    return [unicodedata.normalize("NFC", p) for p in parts]


def _line_numbers(text: str | bytes, offsets: list[int]) -> list[int]:
    """1-based line numbers (as :func:`split_lines` counts them) of sorted offsets.

    ``text`` is the decoded text, or the raw bytes of an ASCII-compatible encoding (where
    line breaks are the bytes ``\\r`` and ``\\n``). An offset never falls inside ``\\r\\n``:
    it points at a replaced or non-ASCII character.
    """
    out: list[int] = []
    line, pos = 1, 0
    for off in offsets:
        # Two branches, not one pattern variable: a str pattern cannot search bytes.
        if isinstance(text, bytes):
            line += len(_NEWLINE_BYTES.findall(text, pos, off))
        else:
            line += len(_NEWLINE.findall(text, pos, off))
        pos = off
        out.append(line)
    return out


_bad_offsets: ContextVar[list[int]] = ContextVar("studysite_bad_offsets")


def _record_invalid(e: UnicodeError) -> tuple[str, int]:
    """Codec error handler: U+FFFD, as ``errors="replace"`` gives, noting where it was."""
    assert isinstance(e, UnicodeDecodeError)
    _bad_offsets.get().append(e.start)
    return "\ufffd", e.end


codecs.register_error("studysite-record", _record_invalid)


def _replace_invalid(data: bytes, encoding: str) -> tuple[str, list[int]]:
    """Decode with U+FFFD for every invalid sequence; also return the byte offsets of those."""
    bad: list[int] = []
    token = _bad_offsets.set(bad)
    try:
        return data.decode(encoding, errors="studysite-record"), bad
    finally:
        _bad_offsets.reset(token)


def _listed(nos: list[int]) -> str:
    uniq = sorted(set(nos))
    shown = ", ".join(str(n) for n in uniq[:_MAX_LISTED])
    more = f" (and {len(uniq) - _MAX_LISTED} more)" if len(uniq) > _MAX_LISTED else ""
    return f"line {shown}" if len(uniq) == 1 else f"lines {shown}{more}"


def _binary_kind(data: bytes) -> str | None:
    """What binary data this is, or ``None`` when it may be text."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if b"\x00" in data[:_SNIFF_BYTES]:
        return "binary data"
    return None


def _bomless_utf16(data: bytes) -> str | None:
    """``utf-16-le``/``-be`` when the data reads as UTF-16 text without a byte order mark.

    Mostly-ASCII UTF-16 has a NUL in every other byte, which would otherwise look binary.
    """
    sample = data[:_SNIFF_BYTES]
    if len(data) % 2 or len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    for encoding, zeros, other in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if zeros.count(0) >= 0.9 * len(zeros) and other.count(0) == 0:
            try:
                data.decode(encoding)
            except UnicodeDecodeError:
                return None
            return encoding
    return None


def decode(file: str, data: bytes) -> tuple[list[str] | None, list[Diagnostic]]:
    """Decode a note's bytes into lines; ``None`` (with a message) when it is not text.

    UTF-8, UTF-16 and UTF-32 (with a byte order mark, or UTF-16 without one) decode as they
    are. UTF-8 with a few invalid bytes keeps its text: each bad byte becomes U+FFFD and the
    message lists the lines. Text with no UTF-8 at all is a legacy 8-bit note and is read as
    Windows-1252 (a superset of Latin-1 for printable text).
    """
    for bom, encoding, name in _BOMS:
        if data.startswith(bom):
            body = data[len(bom) :]
            if encoding == "utf-8":
                data = body
                break
            return _decode_wide(file, body, encoding, name)
    else:
        wide = _bomless_utf16(data)
        if wide:
            return _decode_wide(file, data, wide, "UTF-16")
    kind = _binary_kind(data)
    if kind:
        return None, [_skip(file, f"not a text file ({kind}); move it out of notes/")]
    try:
        return _lines(data.decode("utf-8")), []
    except UnicodeDecodeError:
        pass
    # Valid multi-byte sequences outnumbering the invalid bytes: UTF-8 with a few bad bytes.
    # None at all: a legacy 8-bit note, which would otherwise become a wall of U+FFFD.
    valid = len(_UTF8_SEQUENCE.findall(data)) if _UTF8_SEQUENCE.search(data) else 0
    text, bad = _replace_invalid(data, "utf-8") if valid else ("", [])
    if valid and valid >= len(bad):
        nos = _line_numbers(data, bad)
        return _lines(text), [
            Diagnostic(
                file,
                nos[0],
                f"invalid UTF-8 bytes on {_listed(nos)} replaced by U+FFFD; "
                "re-save the note as UTF-8",
            )
        ]
    legacy = data.decode("cp1252", errors="surrogateescape").translate(_CP1252_HOLES)
    first = _NON_ASCII.search(data)
    no = _line_numbers(data, [first.start()])[0] if first else 1
    return _lines(legacy), [
        Diagnostic(
            file,
            no,
            "not UTF-8: read as Windows-1252 (Latin-1); if accented letters look wrong, "
            "re-save the note as UTF-8",
        )
    ]


def _decode_wide(
    file: str, data: bytes, encoding: str, name: str
) -> tuple[list[str] | None, list[Diagnostic]]:
    """UTF-16/32 text; invalid sequences become U+FFFD with a message naming their lines."""
    text, bad = _replace_invalid(data, encoding)
    if "\x00" in text[:_SNIFF_BYTES]:
        # Binary data behind something that looked like a byte order mark.
        return None, [_skip(file, "not a text file (binary data); move it out of notes/")]
    lines = _lines(text)
    if not bad:
        return lines, []
    # Line breaks are not single bytes here: find the replacements in the decoded text.
    nos = _line_numbers(text, [m.start() for m in re.finditer("\ufffd", text)])
    return lines, [
        Diagnostic(
            file,
            nos[0],
            f"invalid {name} bytes on {_listed(nos)} replaced by U+FFFD; re-save the note as UTF-8",
        )
    ]


def _lines(text: str) -> list[str]:
    # A second BOM (a file saved twice with a BOM) would hide a heading on the first line.
    return split_lines(text.removeprefix("\ufeff"))


def load(note: NoteFile) -> tuple[list[str] | None, list[Diagnostic]]:
    """Read and decode one note; ``None`` (with a message) when it cannot be used.

    Never reads anything but a regular file (a FIFO would block the build forever), never
    more than :data:`MAX_NOTE_BYTES`, and never a note with a line over
    :data:`MAX_LINE_CHARS`. An empty note is fine (an ``info`` message): it simply has
    nothing to show.
    """
    try:
        st = os.stat(note.path)
        if not stat.S_ISREG(st.st_mode):
            return None, [_skip(note.file, "not a regular file; move it out of notes/")]
        if st.st_size > MAX_NOTE_BYTES:
            return None, [
                _skip(
                    note.file,
                    f"{st.st_size / 1024 / 1024:.1f} MB is too large for a note (the limit is "
                    f"{MAX_NOTE_BYTES // 1024 // 1024} MB); split it into smaller notes",
                )
            ]
        data = note.path.read_bytes()
    except OSError as e:
        return None, [_skip(note.file, _unreadable(e, note.path))]
    lines, diags = decode(note.file, data)
    if lines is None:
        return None, diags
    too_long = next((no for no, line in enumerate(lines, 1) if len(line) > MAX_LINE_CHARS), 0)
    if too_long:
        size = len(lines[too_long - 1])
        return None, [
            *diags,
            Diagnostic(
                note.file,
                too_long,
                f"skipped: line {too_long} is {size:,} characters long (the limit is "
                f"{MAX_LINE_CHARS:,}); break it into shorter lines, or move pasted data "
                "(minified JSON, embedded files) out of the note",
            ),
        ]
    if not any(line.strip() for line in lines):
        diags.append(Diagnostic(note.file, 1, "the note is empty; nothing to show", "info"))
    return lines, diags


def _unreadable(e: OSError, path: Path) -> str:
    """What went wrong reading a file, and what to do about it."""
    if e.errno == errno.ELOOP:
        return "a symbolic link loop; remove the link"
    if e.errno == errno.ENOENT and path.is_symlink():
        return "a broken symbolic link (its target does not exist); fix or remove the link"
    if e.errno == errno.ENOENT:
        return "the file disappeared while the site was built; build again"
    if e.errno in (errno.EACCES, errno.EPERM):
        return "cannot read the file (permission denied); make it readable (chmod a+r)"
    if e.errno == errno.EISDIR:
        return "a folder named like a note; rename it"
    reason = e.strerror or type(e).__name__
    return f"cannot read the file ({reason}); check the file or move it out of notes/"
