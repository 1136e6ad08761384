"""The user's own routing corrections: ``notes/overrides.yml``, keyed by note file.

Each note maps to a list of rules::

    001_notion_export.txt:
      - lines: 2119-2331          # a line or a span; or `heading: "Records"` (exact title)
        page: route-53            # send what starts inside the span to this page
        why: Section 10 is missing from the export; its toggles sit under Section 9
      - lines: 4839-4946
        context: api-gateway      # titles here that name nothing are about API Gateway;
                                  # titles that name a feature still go to its page
      - lines: 3932
        as: body                  # this title line is not a title (console text)
      - lines: 5566
        as: noise                 # not content; `why` is the reason shown in the report
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from studysite.config import read_yaml
from studysite.errors import ConfigError

ACTIONS = ("page", "context", "body", "noise")


@dataclass(frozen=True)
class Rule:
    """One correction for one note."""

    first: int | None
    last: int | None
    heading: str | None
    action: str  # "page", "context", "body" or "noise"
    page: str | None
    why: str

    def covers(self, line: int | None, title: str | None = None) -> bool:
        """Whether a title or block starting at ``line`` (titled ``title``) is concerned."""
        if self.heading is not None:
            return title is not None and title.strip().lower() == self.heading.strip().lower()
        return (
            line is not None and self.first is not None and self.first <= line <= (self.last or 0)
        )


Overrides = dict[str, list[Rule]]


def _span(value: object, where: str) -> tuple[int, int]:
    text = str(value).replace(" ", "")
    try:
        a, _, b = text.partition("-")
        first, last = int(a), int(b or a)
    except ValueError as e:
        raise ConfigError(where, 0, f"'lines: {value}' must be N or N-M") from e
    if last < first:
        raise ConfigError(where, 0, f"'lines: {value}' ends before it starts")
    return first, last


def load_overrides(path: Path, known_pages: set[str]) -> Overrides:
    """Load the override file (absent file = no overrides).

    Raises:
        ConfigError: the file is not YAML, or a rule is malformed or names an unknown page.
    """
    if not path.exists():
        return {}
    where = str(path)
    data = read_yaml(path, "the override file") or {}
    if not isinstance(data, dict):
        raise ConfigError(where, 1, "the override file must map note files to lists of rules")
    out: Overrides = {}
    for note, rules in data.items():
        if not isinstance(rules, list):
            raise ConfigError(where, 0, f"'{note}' must hold a list of rules")
        parsed = []
        for raw in rules:
            if not isinstance(raw, dict) or ("lines" not in raw and "heading" not in raw):
                raise ConfigError(where, 0, f"a rule of '{note}' needs 'lines:' or 'heading:'")
            first = last = None
            if "lines" in raw:
                first, last = _span(raw["lines"], where)
            action = next((a for a in ("page", "context") if a in raw), str(raw.get("as", "")))
            if action not in ACTIONS:
                raise ConfigError(
                    where,
                    0,
                    f"a rule of '{note}' needs 'page: ID', 'context: ID' or 'as: body|noise'",
                )
            page = str(raw[action]) if action in ("page", "context") else None
            if page is not None and page not in known_pages:
                raise ConfigError(
                    where, 0, f"'{note}' sends lines {raw.get('lines')} to unknown page '{page}'"
                )
            parsed.append(
                Rule(first, last, raw.get("heading"), action, page, str(raw.get("why", "")))
            )
        out[str(note)] = parsed
    return out
