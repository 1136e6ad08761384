"""MkDocs hook: generate one page per service from notes/ at build time.

Thin adapter over :func:`studysite.site.generate`: core diagnostics become warnings on a
``mkdocs.`` logger (so ``--strict`` fails on them), core errors become ``PluginError``.
State is rebuilt in ``on_config`` because ``mkdocs serve`` keeps this module loaded.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from studysite.errors import StudysiteError
from studysite.model import Layout, SiteOutput
from studysite.render.pages import LONG_PAGE
from studysite.site import generate

log = logging.getLogger("mkdocs.plugins.studysite.generate")
_state: dict[str, SiteOutput] = {}


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    _state.clear()
    layout = Layout.project(Path(config.config_file_path).parent, Path(config.docs_dir))
    try:
        out = generate(layout.notes_dir, layout.catalog_path, layout.docs_dir)
    except StudysiteError as e:
        raise PluginError(str(e)) from e
    for d in out.diagnostics:
        if d.level != "info":
            log.warning(str(d))
        elif d.message.startswith(LONG_PAGE):
            log.info(str(d))  # a note of thousands of headings: say what its page lacks
    _state["out"] = out
    config.nav = out.nav
    config.watch.extend(str(d) for d in (layout.notes_dir, layout.catalog_dir))
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    out = _state["out"]
    for path, content in out.pages.items():
        # The notes as written are reached from source marks, not from the navigation.
        inclusion = InclusionLevel.NOT_IN_NAV if path in out.unlisted else InclusionLevel.UNDEFINED
        files.append(File.generated(config, path, content=content, inclusion=inclusion))
    for path, data in _state["out"].assets.items():
        files.append(File.generated(config, path, content=data))
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    out = _state["out"]
    if page.file.src_uri in out.pages:
        return markdown  # generated: linked and finished in the core already
    return out.finish_hand_written(markdown, page.file.src_uri)


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    # ``toc_depth`` (front matter of a generated page with thousands of sections): keep the
    # TOC to that heading level, for readers and for Material's search plugin, which looks
    # every section up in the whole TOC (quadratic). Search entries do not change: a section
    # missing from the TOC gets the same ``#id`` link.
    depth = page.meta.get("toc_depth")
    if isinstance(depth, int) and page.file.src_uri in _state["out"].pages:
        _trim_toc(page.toc.items, depth)
    return html


def _trim_toc(items: list, depth: int) -> None:
    for item in items:
        if item.level >= depth:
            item.children = []
        else:
            _trim_toc(item.children, depth)
