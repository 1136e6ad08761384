"""The catalog of AWS services, features and topics that pages are made from."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from studysite.config import read_yaml
from studysite.errors import ConfigError

KINDS = ("service", "feature", "topic", "mention")


@dataclass(frozen=True)
class Entry:
    """One catalog entry: a page (service, feature, topic) or a glossary-only mention."""

    id: str
    name: str
    kind: str
    category: str
    parent: str | None
    aliases: tuple[str, ...]
    policies: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    anchors: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False, compare=False)
    # When an alias may become a cross-link (see studysite.links.rules): alias -> context
    # words and keywords ("any", "never", "heading", "anchor", "tooltip", "not WORD").
    link_context: dict[str, tuple[str, ...]] = field(
        default_factory=dict, hash=False, compare=False
    )

    @property
    def nav_title(self) -> str:
        """The name without the vendor prefix, for the navigation (``EC2``, ``Lambda``)."""
        return re.sub(r"^(Amazon|AWS)\s+", "", self.name)


def _is_acronym(alias: str) -> bool:
    return (
        bool(re.fullmatch(r"[A-Z][A-Z0-9]{1,7}s?", alias)) and sum(c.isupper() for c in alias) >= 2
    )


@dataclass(frozen=True)
class Category:
    """A navigation group (Compute, Storage, ...)."""

    name: str
    slug: str


@dataclass
class Catalog:
    """All entries, by id, in file order, plus the category order."""

    categories: list[Category]
    entries: dict[str, Entry]

    def children(self, entry_id: str) -> list[Entry]:
        """Entries whose parent is ``entry_id``, in catalog order."""
        return self._children.get(entry_id, [])

    @cached_property
    def _children(self) -> dict[str, list[Entry]]:
        out: dict[str, list[Entry]] = {}
        for e in self.entries.values():
            if e.parent:
                out.setdefault(e.parent, []).append(e)
        return out

    def ancestors(self, entry_id: str) -> list[str]:
        """Parent, grandparent, ... of ``entry_id`` (nearest first)."""
        out: list[str] = []
        cur = self.entries[entry_id].parent
        while cur and cur not in out:
            out.append(cur)
            cur = self.entries[cur].parent
        return out

    def root_of(self, entry_id: str) -> str:
        """The top-level ancestor (the entry itself when it has no parent)."""
        anc = self.ancestors(entry_id)
        return anc[-1] if anc else entry_id

    def category_of(self, entry_id: str) -> Category:
        """The navigation category a page sits in: the one of its top-level ancestor."""
        name = self.entries[self.root_of(entry_id)].category
        return next(c for c in self.categories if c.name == name)

    def is_within(self, entry_id: str, other: str) -> bool:
        """True when ``entry_id`` is ``other`` or nested (at any depth) under it."""
        return entry_id == other or other in self.ancestors(entry_id)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("&", "and")).strip("-")


def _link_context(
    raw: object, eid: str, aliases: set[str], where: str
) -> dict[str, tuple[str, ...]]:
    """Parse an entry's optional ``link_context:`` mapping (alias -> word or list of words)."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ConfigError(where, 0, f"entry '{eid}': 'link_context' must map aliases to words")
    out: dict[str, tuple[str, ...]] = {}
    for alias, value in raw.items():
        alias = str(alias)
        if alias not in aliases:
            raise ConfigError(
                where, 0, f"entry '{eid}': link_context names '{alias}', which is no alias of it"
            )
        words = [value] if isinstance(value, str) else value
        if (
            not isinstance(words, list)
            or not words
            or not all(isinstance(w, str) and w.strip() for w in words)
        ):
            raise ConfigError(
                where,
                0,
                f"entry '{eid}': link_context for '{alias}' needs a word or a list of words",
            )
        out[alias] = tuple(w.strip() for w in words)
    return out


def load_catalog(path: Path) -> Catalog:
    """Load and check ``catalog/services.yml``.

    Raises:
        ConfigError: the file is missing, not YAML, or an entry is malformed.
    """
    where = str(path)
    data = read_yaml(path, "the catalog")
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        raise ConfigError(where, 1, "the catalog needs an 'entries:' list")
    cats = [
        Category(str(c["name"]), str(c.get("slug") or _slug(str(c["name"]))))
        for c in data.get("categories") or []
    ]
    entries: dict[str, Entry] = {}
    for i, raw in enumerate(data["entries"], start=1):
        if not isinstance(raw, dict) or not raw.get("id") or not raw.get("name"):
            raise ConfigError(where, 0, f"entry #{i} needs at least 'id' and 'name'")
        eid = str(raw["id"])
        if eid in entries:
            raise ConfigError(where, 0, f"entry id '{eid}' is defined twice; rename one")
        kind = str(raw.get("kind") or "service")
        if kind not in KINDS:
            raise ConfigError(where, 0, f"entry '{eid}' has unknown kind '{kind}' (use {KINDS})")
        category = str(raw.get("category") or "Other")
        if category not in [c.name for c in cats]:
            cats.append(Category(category, _slug(category)))
        ambiguous = raw.get("ambiguous") or {}
        policies = {
            str(a): str(v.get("policy", "context-only") if isinstance(v, dict) else v)
            for a, v in ambiguous.items()
        }
        aliases = [str(a) for a in raw.get("aliases") or []]
        if raw["name"] not in aliases:
            aliases.append(str(raw["name"]))
        linkable = tuple(a for a in aliases if policies.get(a) != "never-link-here")
        entries[eid] = Entry(
            id=eid,
            name=str(raw["name"]),
            kind=kind,
            category=category,
            parent=raw.get("parent"),
            aliases=linkable,
            policies=policies,
            anchors={
                str(k): tuple(map(str, v or ())) for k, v in (raw.get("anchors") or {}).items()
            },
            link_context=_link_context(raw.get("link_context"), eid, set(linkable), where),
        )
    for e in entries.values():
        if e.parent and e.parent not in entries:
            raise ConfigError(where, 0, f"entry '{e.id}' has unknown parent '{e.parent}'")
    return Catalog(categories=cats, entries=entries)
