"""Quotes from notes that mention a service in passing, for that service's page.

A note often says something useful about KMS inside its S3 section, or about CloudTrail
inside its Secrets Manager card. Those lines are placed on the page where they stand (every
line lands on exactly one page); the service's own page quotes a few of them, from notes
that have no section of their own about it, each linking back to where the line stands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from studysite.markdown_tokens import block_tokens, code_lines
from studysite.model import RenderedPage, Site, relative
from studysite.render.obsidian import plain_wikilinks
from studysite.render.pages import escape_text
from studysite.routing.aliases import AliasMatcher

MAX_PER_PAGE = 6
MAX_PER_NOTE = 3
_MARKERS = re.compile(r"^\s*(?:>\s*)*(?:[-*+•]\s+|\d+[.)]\s+)?")
_EMPHASIS = re.compile(r"(\*\*|__|`)")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Excerpt:
    """One quoted line: its note, line number, text and the page/anchor it stands on."""

    file: str
    line: int
    text: str
    page: str
    anchor: str


def _clean(text: str) -> str:
    text = plain_wikilinks(text)
    text = _EMPHASIS.sub("", _MARKERS.sub("", text))
    if "](" in text:
        text = _LINK.sub(r"\1", _IMAGE.sub("", text))
    return _SPACES.sub(" ", text).strip()


def collect(
    site: Site, rendered: dict[str, RenderedPage], matcher: AliasMatcher
) -> dict[str, list[Excerpt]]:
    """Excerpts per page id, best first (longer sentences from notes not feeding it)."""
    feeding = {pid: set(page.notes) for pid, page in site.pages.items()}
    found: dict[str, list[tuple[int, Excerpt]]] = {}
    for note in site.notes:
        for part in note.parts:
            if part.page not in rendered or part.page not in site.catalog.entries:
                continue
            texts = [ln.text for ln in part.lines]
            code = (
                code_lines(texts, block_tokens(texts))
                if any("`" in t or "~~~" in t for t in texts)
                else set()
            )
            for i, ln in enumerate(part.lines, start=1):
                if i in code or not ln.no or "\t" in ln.text or "|" in ln.text:
                    continue
                if not 30 <= len(ln.text) <= 400:
                    continue
                text = _clean(ln.text)
                if not 30 <= len(text) <= 280:
                    continue
                family = {part.page, *site.catalog.ancestors(part.page)}
                hits = {m.entry for m in matcher.find(text) if m.alias.policy == "link"}
                for entry in hits - family:
                    if entry not in site.pages or note.file in feeding.get(entry, set()):
                        continue
                    if part.page in site.catalog.ancestors(entry):
                        continue
                    anchor = rendered[part.page].line_anchors.get((note.file, ln.no))
                    if anchor is None:
                        continue
                    score = len(text.split()) + (10 if text.endswith(".") else 0)
                    found.setdefault(entry, []).append(
                        (score, Excerpt(note.file, ln.no, text, part.page, anchor))
                    )
    out: dict[str, list[Excerpt]] = {}
    for entry, items in found.items():
        items.sort(key=lambda s: (-s[0], s[1].file, s[1].line))
        chosen: list[Excerpt] = []
        per_note: dict[str, int] = {}
        for _, ex in items:
            if per_note.get(ex.file, 0) >= MAX_PER_NOTE:
                continue
            per_note[ex.file] = per_note.get(ex.file, 0) + 1
            chosen.append(ex)
            if len(chosen) >= MAX_PER_PAGE:
                break
        out[entry] = sorted(chosen, key=lambda e: (e.file, e.line))
    return out


def render(page_path: str, excerpts: list[Excerpt], site: Site) -> str:
    """The "In other notes, in passing" section of one page."""
    titles = {n.file: n.title for n in site.notes}
    out = ["## In other notes, in passing { #in-other-notes }", ""]
    for ex in excerpts:
        target = site.pages[ex.page]
        link = f"{relative(page_path, target.path)}#{ex.anchor}"
        out.append(
            f"- “{escape_text(ex.text)}” — *{escape_text(titles[ex.file])}*, "
            f"in [{escape_text(target.title)}]({link}) (line {ex.line})"
        )
    return "\n".join(out) + "\n"
