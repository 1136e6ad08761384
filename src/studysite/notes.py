"""The notes manifest: optional titles, authors and descriptions for the notes."""

from __future__ import annotations

from pathlib import Path

from studysite.config import read_yaml
from studysite.errors import ConfigError
from studysite.model import NoteMeta

__all__ = ["NoteMeta", "load_manifest"]


def load_manifest(path: Path) -> dict[str, NoteMeta]:
    """Load ``notes/manifest.yml``; a missing manifest is fine (every note still builds).

    Raises:
        ConfigError: the manifest exists but is not valid YAML or not a list of notes.
    """
    if not path.exists():
        return {}
    where = str(path)
    data = read_yaml(path, "the manifest") or {}
    notes = data.get("notes") if isinstance(data, dict) else None
    if not isinstance(notes, list):
        raise ConfigError(where, 1, "the manifest needs a 'notes:' list of {file, title, ...}")
    out: dict[str, NoteMeta] = {}
    for item in notes:
        if not isinstance(item, dict) or not item.get("file"):
            raise ConfigError(where, 0, "each manifest entry needs a 'file:'")
        out[str(item["file"])] = NoteMeta(
            file=str(item["file"]),
            title=item.get("title"),
            author=item.get("author"),
            description=item.get("description"),
            date=str(item["date"]) if item.get("date") else None,
        )
    return out
