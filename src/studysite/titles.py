"""Titles from where people put them: file and folder names, and decorated headings.

Obsidian shows a note's file name as its title, so many vaults have no ``# Title``; folder
repositories name a service by its folder (``Storage/S3/README.md``); book-style notes dress
headings with emoji and numbering (``# 📘 3.1 Amazon S3``). These helpers give routing the
words that name things; the page keeps the text as written.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePosixPath

# File names that say nothing about their note: the folder names it instead.
_GENERIC_STEMS = frozenset({"readme", "index", "notes", "note", "main", "home", "_index"})
_SMALL_WORDS = frozenset(
    {"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to", "vs", "with"}
)
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
# Leading numbering and book structure: "3.1", "2)", "Section 4:", "Chapter 3 –", "Part II -".
_NUMBERING = re.compile(
    r"^(?:(?:chapter|section|part|module|lesson|unit|lecture|day|week|step)\s*"
    r"(?:\d+|[ivxlc]+)\b\s*[:.)\-–—]*\s*"
    r"|\d+(?:\.\d+)+[.):]?(?=\s)\s*|\d+[.):](?=\s)\s*"
    r"|[a-z][.)](?=\s)\s*)",
    re.IGNORECASE,
)


def _is_decoration(ch: str) -> bool:
    """Emoji, symbols and pictographs people put before titles (📘 🔶 🔹 ✅ ▶ •)."""
    cat = unicodedata.category(ch)
    return cat in ("So", "Sk", "Sm", "Cf", "Co") or ch in "•·▪▫►▶▸◆◇■□●○★☆\ufe0f\u200d"


def routing_title(title: str) -> str:
    """``title`` without emoji, numbering and decoration: the words that name something.

    "📘 3.1 Amazon S3" -> "Amazon S3"; "Section 4: IAM" -> "IAM"; "Chapter 3 – VPC" -> "VPC".
    """
    # Emoji anywhere are decoration; arrows and other symbols only at the ends ("EC2 → ASG"
    # is a path, "▶ EC2" a bullet).
    t = "".join(" " if unicodedata.category(c) == "So" or c in "\ufe0f\u200d" else c for c in title)
    while t and (_is_decoration(t[0]) or t[0].isspace()):
        t = t[1:]
    while t and (_is_decoration(t[-1]) or t[-1].isspace()):
        t = t[:-1]
    t = re.sub(r"\s+", " ", t).strip(" -–—:|*_#")
    for _ in range(3):  # "Section 4: 4.1 S3" carries two layers
        stripped = _NUMBERING.sub("", t, count=1).strip(" -–—:|")
        if stripped == t or not stripped:
            break
        t = stripped
    return t


def _word(w: str) -> str:
    if w.islower() and len(w) <= 3 and w not in _SMALL_WORDS and any(c.isalpha() for c in w):
        return w.upper()  # s3, iam, ec2, vpc: acronyms written in a file name's lower case
    if w.islower():
        return w if w in _SMALL_WORDS else w[:1].upper() + w[1:]
    return w


def name_title(name: str) -> str:
    """A readable title from a file or folder name.

    "StepFunctions" -> "Step Functions"; "s3-object-lock-setup" -> "S3 Object Lock Setup";
    "EBS Volume Types - gp2" stays as written.
    """
    words = re.split(r"[\s_]+|(?<=\w)-(?=\w)", name.strip())
    out: list[str] = []
    for w in words:
        if not w:
            continue
        out.extend(p for p in _CAMEL.split(w) if p)
    text = " ".join(_word(w) for w in out)
    return text[:1].upper() + text[1:] if text else name


def file_title(file: str) -> str:
    """The title a note without its own title gets: its file name, or its folder's name
    when the file is a ``README.md``/``index.md``."""
    path = PurePosixPath(file)
    stem = path.stem
    if stem.lower() in _GENERIC_STEMS and len(path.parts) > 1:
        stem = path.parts[-2]
    return name_title(stem)


def folder_titles(file: str) -> list[str]:
    """Readable names of the folders holding ``file``, innermost first."""
    parts = PurePosixPath(file).parts[:-1]
    return [name_title(p) for p in reversed(parts)]


def name_candidates(file: str) -> list[str]:
    """What a note's file and folder names say, innermost first, each as a readable title
    and as written: "CodeBuild" reads "Code Build", but the catalog knows "CodeBuild"."""
    path = PurePosixPath(file)
    names = [path.stem] if path.stem.lower() not in _GENERIC_STEMS else []
    names += list(reversed(path.parts[:-1]))
    out: list[str] = []
    for name in names:
        for cand in (name_title(name), name.strip()):
            if cand and cand not in out:
                out.append(cand)
    return out
