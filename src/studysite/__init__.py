"""studysite: turn AWS study notes in any format into one page per service.

The package is the framework-free core. The pipeline, one folder per step:
``readers`` (one per note format) -> ``model`` (section tree with line provenance) ->
``routing`` (catalog, aliases, overrides) -> ``render`` (Markdown pages) -> ``links`` and
``tables`` -> MkDocs hooks in ``hooks/`` (outside this package).
"""

from __future__ import annotations

__version__ = "0.1.0"
