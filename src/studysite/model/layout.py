"""The one place that knows the project layout and how docs pages link to each other."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

MANIFEST = "manifest.yml"
OVERRIDES = "overrides.yml"
CATALOG = "services.yml"
COMPARISONS = "comparisons.yml"


@dataclass(frozen=True)
class Layout:
    """Where a build reads from: the notes folder, the catalog file, the docs folder."""

    notes_dir: Path
    catalog_path: Path
    docs_dir: Path

    @classmethod
    def project(cls, root: Path, docs_dir: Path | None = None) -> Layout:
        """The standard layout under ``root``: ``notes/``, ``catalog/services.yml``, ``docs/``."""
        return cls(root / "notes", root / "catalog" / CATALOG, docs_dir or root / "docs")

    @property
    def catalog_dir(self) -> Path:
        """The folder of the catalog, where ``comparisons.yml`` sits too."""
        return self.catalog_path.parent

    @property
    def manifest(self) -> Path:
        """``notes/manifest.yml`` (optional)."""
        return self.notes_dir / MANIFEST

    @property
    def overrides(self) -> Path:
        """``notes/overrides.yml`` (optional)."""
        return self.notes_dir / OVERRIDES

    @property
    def comparisons(self) -> Path:
        """``catalog/comparisons.yml`` (optional)."""
        return self.catalog_dir / COMPARISONS


def relative(from_path: str, to_path: str) -> str:
    """A relative link from one docs page to another (both docs-relative ``.md`` paths)."""
    return _relpath(to_path, posixpath.dirname(from_path) or ".")


@lru_cache(maxsize=65536)
def _relpath(to_path: str, from_dir: str) -> str:
    return posixpath.relpath(to_path, from_dir)
