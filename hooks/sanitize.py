"""MkDocs hook: sanitize the HTML of every page made from notes.

Thin adapter over :func:`studysite.render.sanitize.sanitize`. Generated pages (service pages,
category pages, Unsorted) are cleaned; hand-written ``docs/`` pages are trusted and left as
they are, except those carrying a marker (:mod:`studysite.markers`), which
``hooks/generate.py`` expands into note-derived content (note titles, quoted tables).
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from studysite.markers import embeds_notes
from studysite.render.sanitize import sanitize


def _from_notes(page: Page) -> bool:
    # File.generated() records the plugin (here: hook) that made the file; docs/ files have None.
    if page.file.generated_by is not None:
        return True
    return embeds_notes(page.file.content_string)


# First of all on_page_content handlers: later ones (glightbox wraps images in links with
# data-* attributes) add trusted markup the allowlist need not know about.
@event_priority(100)
def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    return sanitize(html) if _from_notes(page) else html
