"""MkDocs hook: pages' keywords and patterns into the search index, and the search box's data.

Thin adapter over :mod:`studysite.render.search`. Each page's front matter ``keywords`` and
``patterns`` are collected as pages render; after Material's search plugin has written
``search/search_index.json`` (and before its offline plugin copies it into
``search_index.js``) the index gets them, and ``assets/search-data.js`` is written for
``overrides/main.html`` (patterns, keyword phrases, vocabulary for "Did you mean …?").
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page

from studysite.render.search import (
    SEARCH_DATA,
    PageSearch,
    Phrases,
    enrich_index,
    fix_lunr_token_set,
    search_data,
    vocabulary,
)

WORKERS = "assets/javascripts/workers"
log = logging.getLogger("mkdocs.plugins.studysite.search")
_pages: dict[str, PageSearch] = {}


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    _pages.clear()  # `mkdocs serve` keeps this module loaded across builds
    return config


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


def on_page_context(context: Any, page: Page, config: MkDocsConfig, nav: Any) -> Any:
    keywords, patterns = _strings(page.meta.get("keywords")), _strings(page.meta.get("patterns"))
    if keywords or patterns:
        names = (str(page.title or ""), *_strings(page.meta.get("tags")))
        _pages[page.url] = PageSearch(page.url, keywords, patterns, names)
    return context


# After the search plugin (priority 0) wrote the index, before the offline plugin (-100)
# inlines it into search_index.js.
@event_priority(-50)
def on_post_build(config: MkDocsConfig) -> None:
    site = Path(config.site_dir)
    path = site / "search" / "search_index.json"
    patterns: list[tuple[str, str]] = []
    phrases = Phrases()
    words: list[str] = []
    if path.is_file():
        index, patterns, phrases = enrich_index(
            json.loads(path.read_text(encoding="utf-8")), _pages
        )
        words = vocabulary(index)
        path.write_text(json.dumps(index, separators=(",", ":")), encoding="utf-8")
    out = site / SEARCH_DATA
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(search_data(patterns, words, phrases), encoding="utf-8")
    for worker in sorted((site / WORKERS).glob("search*.js")):
        script, found = fix_lunr_token_set(worker.read_text(encoding="utf-8"))
        if not found:
            log.warning(
                f"{worker.name}: lunr's token set was not found to fix; queries with numbers "
                "may find nothing (check the pinned mkdocs-material version)"
            )
        worker.write_text(script, encoding="utf-8")
