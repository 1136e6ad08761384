"""Test helpers: the core run on a few notes written for a test, and real MkDocs builds of a
copy of the project with chosen notes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from studysite.site import SiteOutput, generate

ROOT = Path(__file__).resolve().parents[1]


def copy_project(tmp_path: Path, *, note_pages_only: bool = False) -> Path:
    """A copy of the project (config, hooks, hand-written pages, theme, catalog), no notes.

    ``note_pages_only`` keeps just the home and About pages: other hand-written pages may
    link to generated pages (comparisons) that a few test notes do not make.
    """
    site = tmp_path / "proj"
    site.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", site / "mkdocs.yml")
    for folder in ("hooks", "docs", "overrides", "catalog"):
        shutil.copytree(ROOT / folder, site / folder)
    if note_pages_only:
        for page in (site / "docs").rglob("*.md"):
            if page.relative_to(site / "docs").as_posix() not in ("index.md", "about.md"):
                page.unlink()
    (site / "notes").mkdir()
    return site


def write_notes(site: Path, notes: dict[str, bytes]) -> None:
    """Write each note (path relative to ``notes/``, folders made as needed)."""
    for name, data in notes.items():
        path = site / "notes" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def generate_notes(tmp_path: Path, notes: dict[str, str]) -> SiteOutput:
    """The core's output for these notes (path relative to ``notes/`` -> text), with the
    project's catalog and no hand-written pages."""
    write_notes(tmp_path, {name: text.encode("utf-8") for name, text in notes.items()})
    return generate(tmp_path / "notes", ROOT / "catalog" / "services.yml", tmp_path / "docs")


def mkdocs_build(site: Path, *, strict: bool = True) -> subprocess.CompletedProcess[str]:
    """``mkdocs build`` of ``site`` into ``site/out``, output captured."""
    args = [sys.executable, "-m", "mkdocs", "build", "-d", str(site / "out")]
    return subprocess.run(
        [*args, "--strict"] if strict else args,
        cwd=site,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=300,
    )
