"""Loading the catalog of AWS services, features and topics that pages are made from."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from studysite.config import read_yaml
from studysite.errors import ConfigError
from studysite.model.catalog import KINDS, Catalog, Category, Entry, Slot, Strength, TopicSpec

TOPICS = "topics.yml"  # beside services.yml

__all__ = ["KINDS", "Catalog", "Category", "Entry", "load_catalog"]


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


MAX_KEYWORD = 80  # characters: a keyword is a phrase, not a paragraph
# Regex syntax Python accepts and the browser's RegExp does not (or reads otherwise): the
# same pattern runs in both (tests here, the search box in docs/assets/search-query.js).
_NOT_JS = re.compile(r"\(\?P|\(\?#|\(\?[aiLmsux]|\(\?>|\\[AZz]|[*+?}]\+")


def _keywords(raw: object, eid: str, kind: str, where: str) -> tuple[str, ...]:
    """Parse an entry's optional ``keywords:`` list (phrases an exam question would use)."""
    if raw is None:
        return ()
    if kind == "mention":
        raise ConfigError(where, 0, f"entry '{eid}' is a mention (no page): drop its keywords")
    if not isinstance(raw, list):
        raise ConfigError(where, 0, f"entry '{eid}': 'keywords' must be a list of phrases")
    out: dict[str, str] = {}
    for k in raw:
        if not isinstance(k, str | int | float) or not str(k).strip():
            raise ConfigError(where, 0, f"entry '{eid}': keyword {k!r} must be a non-empty phrase")
        text = " ".join(str(k).split())
        if len(text) > MAX_KEYWORD:
            raise ConfigError(
                where, 0, f"entry '{eid}': keyword '{text[:40]}…' is over {MAX_KEYWORD} characters"
            )
        if text.lower() in out:
            raise ConfigError(where, 0, f"entry '{eid}': keyword '{text}' is listed twice")
        out[text.lower()] = text
    return tuple(out.values())


def _patterns(raw: object, eid: str, kind: str, where: str) -> tuple[str, ...]:
    """Parse an entry's optional ``patterns:`` (regexes for query words standing for it)."""
    if raw is None:
        return ()
    if kind == "mention":
        raise ConfigError(where, 0, f"entry '{eid}' is a mention (no page): drop its patterns")
    if not isinstance(raw, list) or not all(isinstance(p, str) and p.strip() for p in raw):
        raise ConfigError(where, 0, f"entry '{eid}': 'patterns' must be a list of regexes")
    for p in raw:
        try:
            compiled = re.compile(f"(?:{p})", re.IGNORECASE)
        except re.error as e:
            raise ConfigError(where, 0, f"entry '{eid}': pattern '{p}' is no regex: {e}") from e
        if m := _NOT_JS.search(p):
            raise ConfigError(
                where,
                0,
                f"entry '{eid}': pattern '{p}' uses '{m.group()}', which the browser's "
                "regexes do not read the same way; write it without",
            )
        if compiled.fullmatch(""):
            raise ConfigError(where, 0, f"entry '{eid}': pattern '{p}' matches an empty word")
    return tuple(raw)


def _check_patterns(entries: dict[str, Entry], where: str) -> None:
    """A pattern must not match a plain word of the catalog: it would take over its queries."""
    words = {
        w
        for e in entries.values()
        for phrase in (e.name, *e.aliases, *e.keywords)
        for w in re.split(r"[\s,;:()/]+", phrase.lower())
        if w
    }
    for e in entries.values():
        for p in e.patterns:
            compiled = re.compile(f"(?:{p})", re.IGNORECASE)
            hit = next((w for w in sorted(words) if compiled.fullmatch(w)), None)
            if hit:
                raise ConfigError(
                    where,
                    0,
                    f"entry '{e.id}': pattern '{p}' matches the word '{hit}' of the catalog; "
                    "a pattern stands for shapes (m5.large, us-east-1), not words",
                )


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
        Category(
            str(c["name"]),
            str(c.get("slug") or _slug(str(c["name"]))),
            str(c.get("domain") or c["name"]),
        )
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
            cats.append(Category(category, _slug(category), category))
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
            keywords=_keywords(raw.get("keywords"), eid, kind, where),
            patterns=_patterns(raw.get("patterns"), eid, kind, where),
        )
    for e in entries.values():
        if e.parent and e.parent not in entries:
            raise ConfigError(where, 0, f"entry '{e.id}' has unknown parent '{e.parent}'")
    _check_patterns(entries, where)
    slots, defaults, per_entry = _load_topics(path.parent / TOPICS, set(entries))
    for eid, specs in per_entry.items():
        entries[eid] = dataclasses.replace(entries[eid], topics=specs)
    return Catalog(categories=cats, entries=entries, slots=slots, default_topics=defaults)


# Without a topics file every page still has an Overview and a Hands-on part.
_SLOT_DEFAULTS = (
    TopicSpec("Overview", ("intro", "introduction", "theory"), Slot.FIRST, Strength.WEAK),
    TopicSpec("Hands-on", ("hands on", "demo", "lab"), Slot.LAST, Strength.STRONG),
)


def _phrases(raw: object, where: str, what: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(p, str | int | float) for p in raw):
        raise ConfigError(where, 0, f"{what} needs a list of phrases")
    return tuple(str(p) for p in raw)


def _load_topics(
    path: Path, ids: set[str]
) -> tuple[tuple[TopicSpec, ...], tuple[TopicSpec, ...], dict[str, tuple[TopicSpec, ...]]]:
    """Read ``catalog/topics.yml``: the slots, the default subtopics, each page's own."""
    if not path.exists():
        return _SLOT_DEFAULTS, (), {}
    where = str(path)
    data = read_yaml(path, "the topics file")
    if not isinstance(data, dict):
        raise ConfigError(where, 1, "the topics file needs 'slots', 'defaults' and 'entries'")
    slots: list[TopicSpec] = []
    for i, raw in enumerate(data.get("slots") or [], start=1):
        if not isinstance(raw, dict) or not raw.get("title"):
            raise ConfigError(where, 0, f"slot #{i} needs a 'title'")
        try:
            slot, strength = Slot(raw.get("slot", "last")), Strength(raw.get("strength", "normal"))
        except ValueError as e:
            raise ConfigError(where, 0, f"slot '{raw['title']}': {e}; fix it") from e
        what = f"slot '{raw['title']}'"
        slots.append(
            TopicSpec(str(raw["title"]), _phrases(raw.get("match"), where, what), slot, strength)
        )
    if not any(s.slot == Slot.FIRST for s in slots):
        slots.insert(0, _SLOT_DEFAULTS[0])
    raw_defaults = data.get("defaults") or {}
    raw_entries = data.get("entries") or {}
    if not isinstance(raw_defaults, dict) or not isinstance(raw_entries, dict):
        raise ConfigError(where, 0, "'defaults' and 'entries' must map titles to phrases")
    defaults = tuple(
        TopicSpec(str(t), _phrases(ps, where, f"default topic '{t}'"))
        for t, ps in raw_defaults.items()
    )
    per_entry: dict[str, tuple[TopicSpec, ...]] = {}
    for eid, topics in raw_entries.items():
        if eid not in ids:
            raise ConfigError(
                where, 0, f"topics for '{eid}', which is no catalog entry; fix the id"
            )
        if not isinstance(topics, dict):
            raise ConfigError(where, 0, f"topics of '{eid}' must map titles to phrases")
        per_entry[str(eid)] = tuple(
            TopicSpec(str(t), _phrases(ps, where, f"topic '{t}' of '{eid}'"))
            for t, ps in topics.items()
        )
    return tuple(slots), defaults, per_entry
