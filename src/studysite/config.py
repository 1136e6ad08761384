"""Reading the project's YAML files (catalog, manifest, overrides) with one-line errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from studysite.errors import ConfigError

# libyaml's loader when present: the catalog is the largest file read per build.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path, what: str) -> Any:
    """The data of a YAML file; ``what`` names it in messages ("the catalog").

    Raises:
        ConfigError: the file cannot be read or is not valid YAML, naming file and line.
    """
    where = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        reason = e.strerror or type(e).__name__
        raise ConfigError(where, 0, f"cannot read {what} ({reason}); check the file") from e
    except UnicodeDecodeError as e:
        raise ConfigError(where, 0, f"{what} is not UTF-8 text; re-save it as UTF-8") from e
    try:
        return yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as e:
        line = getattr(getattr(e, "problem_mark", None), "line", -1) + 1
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise ConfigError(where, line, f"{what} is not valid YAML ({problem}); fix it") from e
